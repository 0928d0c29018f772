#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, in build-fuzz/) and runs each for SECONDS (default 20)
# from its seed corpus in fuzz/corpus/<target>/. Inputs the fuzzers find go to
# build-fuzz/corpus/<target>/, not the repo; a crashing input is left in build-fuzz/crashes/.
# Exits non-zero when any target crashes. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${HAVEN_FUZZ_BUILD:-$root/build-fuzz}"
seconds="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] &&
  targets=(fuzz_command fuzz_command_pipeline fuzz_room_config fuzz_light_message fuzz_button_message
    fuzz_panel_request)

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; run scripts/install-deps.sh" >&2
  exit 2
fi
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DHAVEN_FUZZ=ON -DHAVEN_WERROR=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null

# Leaks are real findings too; UB already aborts (built with -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

passed=0
failed=0
mkdir -p "$build/crashes"
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  log="$build/fuzz-$target.log"
  mkdir -p "$work"
  status=0
  # -timeout: one input taking 10 s is a hang worth reporting; -rss_limit_mb bounds memory.
  "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$target-" \
    "$work" "$root/fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)"
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz: $target ok (${execs:-?} execs in ${seconds}s, ${cov:-cov: ?})"
  else
    failed=$((failed + 1))
    echo "fuzz: $target FAILED (exit $status); log $log, input in $build/crashes/" >&2
    grep -m1 -A12 -E 'ERROR: |runtime error|invariant failed' "$log" >&2 || tail -20 "$log" >&2
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
