#!/bin/sh
# Runs the panel's browser tests in Debian's Chromium through playwright-core (never downloads
# a browser). Usage: run.sh <panel server binary> <www root>
# The server binary must print "PORT <n>" once listening (panel_demo_server does).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# Exits 77 (ctest SKIP_RETURN_CODE) when chromium or node/npm are not installed.
skip() { echo "run.sh: SKIP: $1" >&2; exit 77; }
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium missing (apt-get install chromium)"
command -v node >/dev/null || skip "node missing (apt-get install nodejs npm)"
command -v npm >/dev/null || skip "npm missing (apt-get install npm)"
# Absolute before the cd below, so relative arguments work.
server=$(realpath "$1") www=$(realpath "$2")
cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund || skip "npm ci failed (offline?): playwright-core unavailable"
fi
export HAVEN_PANEL_SERVER="$server" HAVEN_PANEL_WWW="$www"
# Opt-in: set HAVEN_SCREENSHOT_DIR to keep a screenshot (runs must not rewrite tracked files).
export HAVEN_SCREENSHOT_DIR="${HAVEN_SCREENSHOT_DIR:-}"
exec node --test --test-concurrency=1 panel.test.mjs
