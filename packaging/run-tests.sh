#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite with ctest. With --sanitize the
# build uses AddressSanitizer and UndefinedBehaviorSanitizer, in build-sanitize/.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmake_options=()
if [[ ${1:-} == "--sanitize" ]]; then
    export BUILD_DIR=${BUILD_DIR:-$source_dir/build-sanitize}
    export BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
    cmake_options+=(-DLLMOPS_SANITIZE=ON)
fi

"$source_dir/packaging/install-deps.sh"
"$source_dir/packaging/build.sh" "${cmake_options[@]}"
cd "${BUILD_DIR:-$source_dir/build}"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --timeout 600
