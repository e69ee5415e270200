#!/bin/sh
# Runs a command beside a private, unlocked GNOME keyring on a private D-Bus session bus, so
# the keychain tests never read or write the keyring of the person running them. Both the bus
# and the keyring daemon end when the command ends.
#
#   dbus-run-session -- sh with-session-keyring.sh COMMAND [ARGS...]
set -eu

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
chmod 700 "$scratch"
export XDG_RUNTIME_DIR="$scratch" XDG_DATA_HOME="$scratch/data"

# --unlock reads the new keyring's password from standard input; the daemon forks and returns
# once it serves the Secret Service.
printf 'llmops-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export LLMOPS_TEST_KEYRING=1
"$@"
