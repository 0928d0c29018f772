#!/bin/sh
# Runs the panel's browser tests against the REAL daemon: `haven run` on a private mosquitto,
# driven in Debian's Chromium through playwright-core (never downloads a browser).
# Usage: run-daemon.sh <haven binary> <source dir>
# Exits 77 (ctest SKIP_RETURN_CODE) when chromium, node/npm or mosquitto are not installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "run-daemon.sh: SKIP: $1" >&2; exit 77; }
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium missing (apt-get install chromium)"
command -v node >/dev/null || skip "node missing (apt-get install nodejs npm)"
command -v npm >/dev/null || skip "npm missing (apt-get install npm)"
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || skip "mosquitto missing (apt-get install mosquitto)"
command -v mosquitto_sub >/dev/null || skip "mosquitto_sub missing (apt-get install mosquitto-clients)"
[ -x "$1" ] || { echo "run-daemon.sh: $1 is not an executable haven binary" >&2; exit 1; }
# Absolute before the cd below, so relative arguments work.
haven=$(realpath "$1") source_dir=$(realpath "$2")
if [ -n "${HAVEN_DOCS_SCREENSHOT:-}" ]; then HAVEN_DOCS_SCREENSHOT=$(realpath -m "$HAVEN_DOCS_SCREENSHOT"); export HAVEN_DOCS_SCREENSHOT; fi
PATH="$PATH:/usr/sbin"
cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund || skip "npm ci failed (offline?): playwright-core unavailable"
fi
export HAVEN_BINARY="$haven" HAVEN_SOURCE_DIR="$source_dir" PATH
exec node --test --test-concurrency=1 daemon.test.mjs
