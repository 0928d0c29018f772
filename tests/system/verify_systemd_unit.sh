#!/usr/bin/env bash
# systemd-analyze verify on the generated unit, as instance "cedar", with the built binary
# standing in for the installed one (verify checks that ExecStart exists).
set -euo pipefail
unit=$1 binary=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^\(Exec[A-Za-z]*=\)[^ ]*/haven #\1$binary #" "$unit" > "$dir/haven@.service"
cp "$dir/haven@.service" "$dir/haven@cedar.service"
out=$(cd "$dir" && systemd-analyze verify --man=no "$dir/haven@cedar.service" 2>&1 || true)
# verify also complains about unrelated units on a machine without systemd running; keep
# only lines about our unit.
ours=$(grep -E "haven@" <<<"$out" || true)
if [ -n "$ours" ]; then
  echo "$ours"
  exit 1
fi
grep -q '^Type=notify' "$unit"
grep -q '^WatchdogSec=' "$unit"
echo "systemd unit verifies"
