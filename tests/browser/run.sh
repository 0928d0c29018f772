#!/bin/sh
# Runs the panel's browser tests in Debian's Chromium through playwright-core (never downloads
# a browser). Usage: run.sh <panel server binary> <www root>
# The server binary must print "PORT <n>" once listening (panel_demo_server does).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/chromium ] || { echo "run.sh: /usr/bin/chromium missing (apt-get install chromium)" >&2; exit 1; }
cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
export HAVEN_PANEL_SERVER="$1" HAVEN_PANEL_WWW="$2"
export HAVEN_SCREENSHOT_DIR="${HAVEN_SCREENSHOT_DIR:-$here/screenshots}"
exec node --test --test-concurrency=1 panel.test.mjs
