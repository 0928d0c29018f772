#!/bin/sh
# `haven check` as a tech's script sees it: exit 0 valid, 1 invalid, 2 unreadable, and one
# FILE:LINE:COL line per problem on stdout.
set -u
HAVEN=$1
SRC=$2
fail=0
expect() { # expected-code description command...
    want=$1; what=$2; shift 2
    out=$("$@" 2>&1); got=$?
    if [ "$got" != "$want" ]; then echo "FAIL: $what: exit $got, expected $want"; echo "$out"; fail=1; fi
}
expect 0 "shipped rooms are valid" "$HAVEN" check "$SRC"/config/rooms/*.yaml
expect 1 "a broken room is invalid" "$HAVEN" check "$SRC/tests/config/broken/wrong-types.yaml"
expect 2 "a missing file is unreadable" "$HAVEN" check "$SRC/tests/config/broken/absent.yaml"
expect 2 "unreadable wins over invalid" "$HAVEN" check "$SRC/tests/config/broken/wrong-types.yaml" /nonexistent.yaml
expect 0 "--help works" "$HAVEN" check --help
lines=$("$HAVEN" check "$SRC/tests/config/broken/wrong-types.yaml" | grep -c ': error: ')
[ "$lines" = 11 ] || { echo "FAIL: expected 11 error lines, got $lines"; fail=1; }
# A 50 MB file is refused by its size, located at 1:1, before yaml-cpp ever sees it.
huge=$(mktemp /tmp/haven-huge-XXXXXX.yaml)
{ cat "$SRC/config/rooms/demo.yaml"; head -c 52428800 /dev/zero | tr '\0' '#'; echo; } >"$huge"
expect 1 "a 50 MB file is invalid" "$HAVEN" check "$huge"
"$HAVEN" check "$huge" | grep -q "^$huge:1:1: error: the file is 512[0-9][0-9] KiB; a config file is at most 1024 KiB" ||
    { echo "FAIL: a 50 MB file is not refused at 1:1 by its size"; fail=1; }
rm -f "$huge"
expect 1 "run refuses an invalid config" "$HAVEN" run --config "$SRC/tests/config/broken/never-ends.yaml" --state-dir /tmp/haven-check-test
exit $fail
