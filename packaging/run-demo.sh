#!/usr/bin/env bash
# Installs what is missing, builds, and opens the console on the bundled demo workspace, which
# is indexed from resources/demo when the console starts. Extra arguments go to the console.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$source_dir/packaging/install-deps.sh"
"$source_dir/packaging/build.sh"
exec "${BUILD_DIR:-$source_dir/build}/app/console/llmops-console" --demo "$@"
