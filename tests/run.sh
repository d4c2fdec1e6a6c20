#!/usr/bin/env bash
# The whole test suite: a plain build with -Werror and an ASan+UBSan build, each running every
# ctest test (unit and integration; benchmarks are not tests), then every libFuzzer target for a
# minute from its seeds and regressions (tests/fuzz: a clang build in build-fuzz; any crash,
# leak or sanitizer report fails), then the integration tests that cover a full service
# lifetime again under valgrind memcheck (leaks and errors fail them).
# The packaging test (tests/packaging: the .deb, installs, the systemd unit, the man page) runs
# once, alone, in the plain build's ctest run (about a minute: it builds karirbot twice).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

build() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}

echo "== plain build (-Wall -Wextra -Werror)"
build "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir "$root/build" --output-on-failure -j2 -LE "bench|valgrind"

echo "== sanitizer build (ASan + UBSan)"
build "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DKARIRBOT_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j2 -LE "bench|valgrind"

echo "== fuzzing (libFuzzer, ASan + UBSan), 60 s per target"
KARIRBOT_JOBS=$jobs "$root/tests/fuzz/run.sh" 60

echo "== valgrind memcheck"
ctest --test-dir "$root/build" --output-on-failure -j2 -L valgrind
