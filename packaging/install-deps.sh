#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and running llmops need, skipping
# the ones already installed. Uses sudo when not run as root.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev
    libcurl4-openssl-dev libssl-dev libsqlite3-dev libhnswlib-dev nlohmann-json3-dev libgumbo-dev
    qtkeychain-qt6-dev libre2-dev
    # promptfoo YAML configurations imported as eval data sets.
    libyaml-cpp-dev
    # A private session bus and keyring for the keychain tests.
    dbus-daemon gnome-keyring
    # Offscreen GUI runs and screenshots.
    xvfb xauth imagemagick fonts-dejavu-core
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi
echo "Installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
