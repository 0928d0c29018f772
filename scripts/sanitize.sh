#!/usr/bin/env bash
# Sanitizer runs (not part of scripts/test.sh; see docs/reliability.md for their cost):
#   asan  build-asan/, -DHAVEN_SANITIZE=address,undefined: builds `haven` and the unit-labelled test
#         executables and runs `ctest -L unit` under AddressSanitizer + UBSan.
#   tsan  build-tsan/, -DHAVEN_SANITIZE=thread: builds the audio and journal tests (the
#         real-time ring, the JACK callback and the journal's writer thread) and runs those
#         executables under ThreadSanitizer.
# Usage: scripts/sanitize.sh [asan|tsan|all]   (default all). Exits non-zero on any report.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
jobs="$(nproc)"

# Every test executable labelled `unit`, read from the tests' CMakeLists (ctest only knows
# the test names once the executables exist, so they cannot be asked first).
unit_targets() {
  find tests -name CMakeLists.txt -exec cat {} + | awk '
    /haven_add_test\(/ { sub(/.*haven_add_test\(/, ""); split($0, w, /[ )]/); name = w[1] }
    /LABELS/ && name != "" { if ($0 ~ /LABELS[^)]*unit/) print name; name = "" }'
}

# UB is an error, not a warning; leaks fail the run.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

run_asan() {
  local start=$SECONDS
  mapfile -t targets < <(unit_targets)
  echo "sanitize: asan+ubsan build of ${targets[*]}"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHAVEN_SANITIZE=address,undefined \
    -DCMAKE_CXX_FLAGS=-fno-sanitize-recover=undefined >/dev/null
  # The `haven` binary too: the unit-labelled `haven check` exit-code and systemd-unit tests
  # run it, so the CLI's config checking is exercised under the sanitizers as well.
  cmake --build build-asan -j"$jobs" --target "${targets[@]}" haven
  local built=$SECONDS
  ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs" --timeout 600
  echo "sanitize: asan+ubsan build $((built - start)) s, tests $((SECONDS - built)) s"
}

run_tsan() {
  local start=$SECONDS
  local targets=(audio_unit_tests audio_jack_tests journal_test journal_report_test)
  echo "sanitize: tsan build of ${targets[*]}"
  # GCC 12 warns that atomic_thread_fence is not supported with -fsanitize=thread.
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DHAVEN_SANITIZE=thread \
    -DHAVEN_WERROR=OFF >/dev/null
  cmake --build build-tsan -j"$jobs" --target "${targets[@]}"
  local built=$SECONDS
  # ctest names tests by suite, not by executable: run the four executables themselves.
  local t exe
  for t in "${targets[@]}"; do
    exe="$(find build-tsan/tests -type f -name "$t" -perm -u+x | head -1)"
    echo "sanitize: tsan $t"
    (cd "$(dirname "$exe")" && timeout 900 "./$t" --gtest_brief=1)
  done
  echo "sanitize: tsan build $((built - start)) s, tests $((SECONDS - built)) s"
}

case "$which" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  # Plain commands, not `run_asan && run_tsan`: bash ignores set -e inside a function called
  # from an && list, so a failing ctest there would not fail the run.
  all)
    run_asan
    run_tsan
    ;;
  *) echo "usage: $0 [asan|tsan|all]" >&2; exit 2 ;;
esac
