#!/usr/bin/env bash
# Configures and builds llmops with CMake and Ninja into BUILD_DIR (default: build/ in the
# checkout). Extra arguments go to cmake, e.g. -DLLMOPS_SANITIZE=ON.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$source_dir/build}

cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@"
cmake --build "$build_dir"
