#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs every test with ctest.
# Integration tests start their own mosquitto broker and JACK dummy server on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
cd "${HAVEN_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" --timeout 300
