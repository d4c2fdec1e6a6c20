#!/usr/bin/env bash
# The libFuzzer targets (tests/fuzz/README.md): builds them with clang under ASan + UBSan in
# build-fuzz/ and runs each for SECONDS (default 60; CI uses the default, a longer run
# locally finds more: `tests/fuzz/run.sh 1800`). Any crash, leak, sanitizer report, broken
# check or hang (-timeout) fails the run; the input that caused it is printed with the command
# that replays it. Prints how many inputs each target executed.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# Environment: KARIRBOT_FUZZ_BUILD (build directory, default build-fuzz), KARIRBOT_JOBS (build
# jobs, default all cores). What a target finds is kept in <build>/fuzz-work/<target>/corpus and
# grows from run to run; the seeds in tests/fuzz/corpus/ and the regressions are read, never
# written.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
build=${KARIRBOT_FUZZ_BUILD:-$root/build-fuzz}
jobs=${KARIRBOT_JOBS:-$(nproc)}
all=(update botapi script locale policy reminders validate csv callback)
targets=("${@:-${all[@]}}")
case $secs in
'' | *[!0-9]*)
    echo "usage: $0 [SECONDS] [TARGET...]" >&2
    exit 64
    ;;
esac

echo "== fuzz build (clang, libFuzzer, ASan + UBSan) in $build"
# -O2 without -DNDEBUG: fast, and assert() still checks. The layers build without -Werror:
# clang warns where gcc, which judges the project's code (tests/run.sh), does not.
CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" -DKARIRBOT_SANITIZE=ON -DKARIRBOT_FUZZ=ON \
    -DKARIRBOT_WERROR=OFF >/dev/null
cmake --build "$build" --target fuzz_all -j"$jobs"

export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1
# The targets' scratch files (the loaders read files by name), in memory when possible; a
# target that crashes cannot remove its own, so the run removes them all.
KB_FUZZ_TMP=$(mktemp -d /dev/shm/kb-fuzz-run.XXXXXX 2>/dev/null || mktemp -d)
export KB_FUZZ_TMP
trap 'rm -rf "$KB_FUZZ_TMP"' EXIT
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
work=$build/fuzz-work
failed=()
summary=()
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "no such fuzz target: $t (targets: ${all[*]})" >&2
        exit 64
    fi
    mkdir -p "$work/$t/corpus"
    inputs=("$work/$t/corpus" "$root/tests/fuzz/corpus/$t")
    [ -d "$root/tests/fuzz/regressions/$t" ] && inputs+=("$root/tests/fuzz/regressions/$t")
    echo "== fuzz_$t: ${secs} s"
    rc=0
    # -close_fd_mask=2: karirbot's log lines go nowhere (libFuzzer and the sanitizers keep
    # their own copy of stderr). The first directory receives what the run finds. The memory
    # limit leaves room for ASan's quarantine and libFuzzer's tables, which grow over an hour
    # (fuzz_callback: about 0.8 GB after 20 minutes) without anything leaking.
    "$bin" -max_total_time="$secs" -print_final_stats=1 -close_fd_mask=2 -timeout=30 \
        -rss_limit_mb=4096 -dict="$root/tests/fuzz/$t.dict" -artifact_prefix="$work/$t/" \
        "${inputs[@]}" >"$work/$t/log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t/log" | tail -1)
    kept=$(find "$work/$t/corpus" -type f | wc -l)
    if [ "$rc" -ne 0 ]; then
        failed+=("$t")
        summary+=("$(printf '%-10s %12s %8s %7s  FAILED (exit %d)' "$t" "${execs:--}" \
            "${rate:--}" "$kept" "$rc")")
        echo "-- fuzz_$t failed; the end of its log ($work/$t/log):"
        tail -n 60 "$work/$t/log"
        for a in "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* "$work/$t"/oom-*; do
            [ -e "$a" ] || continue
            echo "-- input: $a"
            echo "   replay: $bin $a"
            echo "   keep it: cp $a $root/tests/fuzz/regressions/$t/ (after the fix)"
        done
    else
        summary+=("$(printf '%-10s %12s %8s %7s  ok' "$t" "$execs" "$rate" "$kept")")
    fi
done

echo "== fuzz summary (${secs} s per target)"
printf '%-10s %12s %8s %7s  %s\n' target executions exec/s corpus result
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing failed: ${failed[*]}" >&2
    exit 1
fi
