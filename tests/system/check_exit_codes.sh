#!/bin/sh
# `haven check` as a tech's script sees it: exit 0 valid, 1 invalid, 2 unreadable, and one
# FILE:LINE:COL line per problem on stdout; advice (PIN files) is a FILE: warning: line that
# leaves the exit status alone.
set -u
HAVEN=$1
SRC=$(cd "$2" && pwd)
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
# One line per problem: as many as the file's own "# expect:" lines (the loader test's corpus).
lines=$("$HAVEN" check "$SRC/tests/config/broken/wrong-types.yaml" | grep -c ': error: ')
want=$(grep -c '^# expect: ' "$SRC/tests/config/broken/wrong-types.yaml")
[ "$lines" = "$want" ] || { echo "FAIL: expected $want error lines, got $lines"; fail=1; }
# A 50 MB file is refused by its size, located at 1:1, before yaml-cpp ever sees it.
huge=$(mktemp /tmp/haven-huge-XXXXXX.yaml)
{ cat "$SRC/config/rooms/demo.yaml"; head -c 52428800 /dev/zero | tr '\0' '#'; echo; } >"$huge"
expect 1 "a 50 MB file is invalid" "$HAVEN" check "$huge"
"$HAVEN" check "$huge" | grep -q "^$huge:1:1: error: the file is 512[0-9][0-9] KiB; a config file is at most 1024 KiB" ||
    { echo "FAIL: a 50 MB file is not refused at 1:1 by its size"; fail=1; }
rm -f "$huge"
expect 1 "run refuses an invalid config" "$HAVEN" run --config "$SRC/tests/config/broken/never-ends.yaml" --state-dir /tmp/haven-check-test

# PIN advice is a warning (exit 0, "FILE: warning: ..." naming what to do), never an error.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sed -e "s#\.\./\.\./playlists#$SRC/playlists#g" -e "s#\.\./templates#$SRC/config/templates#" \
    -e "s#demo-therapist.pin#therapist.pin#" -e "s#demo-tech.pin#tech.pin#" \
    "$SRC/config/rooms/demo.yaml" >"$tmp/room.yaml"
pins() { # therapist-pin tech-pin tech-mode
    printf '%s\n' "$1" >"$tmp/therapist.pin"; printf '%s\n' "$2" >"$tmp/tech.pin"
    chmod 600 "$tmp/therapist.pin"; chmod "$3" "$tmp/tech.pin"
}
warns() { # expected-count pattern description
    out=$("$HAVEN" check "$tmp/room.yaml" 2>&1); got=$?
    n=$(printf '%s\n' "$out" | grep -c ': warning: ')
    if [ "$got" != 0 ] || [ "$n" != "$1" ] || ! printf '%s\n' "$out" | grep -q -- "$2"; then
        echo "FAIL: $3: exit $got, $n warnings (expected 0 and $1, matching '$2')"; echo "$out"; fail=1
    fi
    if printf '%s\n' "$out" | grep -q -e 246813 -e 975310 -e 2468; then
        echo "FAIL: $3: a PIN was printed"; fail=1
    fi
}
pins 246813 975310 600; warns 0 ": ok (room" "good PINs get no warning"
pins 246813 975310 644; warns 1 "tech.pin: warning: .*chmod 600 $tmp/tech.pin" "a world-readable PIN file"
pins 2468 975310 600; warns 1 "therapist.pin: warning: the therapist PIN has 4 digits; use 6 or more" "a short PIN"
pins 975310 975310 600; warns 1 "room.yaml: warning: the therapist and tech PINs are the same" "one PIN for both roles"
exit $fail
