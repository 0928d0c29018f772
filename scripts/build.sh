#!/usr/bin/env bash
# Configures and builds Haven into build/ (or $HAVEN_BUILD_DIR), installing any missing
# Debian packages first. Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_DIR=${HAVEN_BUILD_DIR:-build}
# Configuring again is quick when nothing changed, and repairs a build dir whose last
# configure failed half-way.
cmake -S . -B "$BUILD_DIR" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
