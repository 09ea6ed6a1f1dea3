#!/usr/bin/env bash
# fuzz.sh TARGET... — runs afl-fuzz on each fuzz target in turn (make fuzz).
# Builds the targets with afl-clang-fast and ASan+UBSan in build/afl, fuzzes
# each for $FUZZ_SECONDS (default 600) from its seed corpus
# test/fuzz/<target>/corpus (with <target>/dict when present) into
# build/fuzz-out/<target> (started afresh each time), and prints per target
# the executions per second, the corpus size, the bitmap coverage, and the
# crashes and hangs found (hang: one input over FUZZ_TIMEOUT_MS, default
# 1000). Exit 1 when any target crashed or hung, 2 on a setup error.
# One afl-fuzz at a time: it takes one CPU core for the whole run.
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-600}
TIMEOUT_MS=${FUZZ_TIMEOUT_MS:-1000}
AFL_BUILD=${FUZZ_BUILD:-build/afl}
OUT=${FUZZ_OUT:-build/fuzz-out}
AFL_CC=${AFL_CC:-afl-clang-fast}

if [ $# -eq 0 ]; then
    echo "usage: fuzz.sh TARGET...  (targets: $(ls test/fuzz/*/harness.c | cut -d/ -f3 | tr '\n' ' '))" >&2
    exit 2
fi
for tool in afl-fuzz "$AFL_CC"; do
    command -v "$tool" >/dev/null ||
        { echo "fuzz: $tool not found; install AFL++ with 'bash tools/setup.sh' (Debian package afl++)" >&2; exit 2; }
done
for t in "$@"; do
    [ -f "test/fuzz/$t/harness.c" ] ||
        { echo "fuzz: no target '$t' (test/fuzz/$t/harness.c is missing)" >&2; exit 2; }
done

bins=()
for t in "$@"; do bins+=("$AFL_BUILD/fuzz/$t"); done
echo "fuzz: building ${bins[*]} with $AFL_CC (ASan+UBSan)"
if ! make --no-print-directory -j2 BUILD="$AFL_BUILD" SAN=1 CC="$AFL_CC" FUZZ=afl \
        "${bins[@]}" >"$AFL_BUILD.log" 2>&1; then
    tail -n 20 "$AFL_BUILD.log" >&2
    echo "fuzz: the AFL++ build failed; full log in $AFL_BUILD.log" >&2
    exit 2
fi

# afl-fuzz settings for this machine: no CPU pinning or governor checks (a
# shared machine), no curses UI, core dumps may go to a handler. Sanitizers
# abort so afl-fuzz sees a crash; leaks are checked by the corpus replay
# (make test), since a leak report at the end of a persistent loop names no input.
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0:print_stacktrace=1
export FUZZ_SCRATCH

stat_of() { awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1/default/fuzzer_stats" 2>/dev/null; }

bad=0
summary=()
for t in "$@"; do
    out="$OUT/$t"
    rm -rf "$out"
    mkdir -p "$out/scratch"
    FUZZ_SCRATCH=$(realpath "$out/scratch")
    dict=()
    [ -f "test/fuzz/$t/dict" ] && dict=(-x "test/fuzz/$t/dict")
    echo "fuzz: $t for $SECONDS_EACH s (afl-fuzz log: $out/afl.log)"
    afl-fuzz -i "test/fuzz/$t/corpus" -o "$out" -t "$TIMEOUT_MS" -m none -V "$SECONDS_EACH" \
        "${dict[@]}" -- "$AFL_BUILD/fuzz/$t" >"$out/afl.log" 2>&1
    rc=$?
    if [ ! -f "$out/default/fuzzer_stats" ]; then
        tail -n 15 "$out/afl.log" >&2
        line="fuzz/$t: afl-fuzz did not start (exit $rc); see $out/afl.log"
        bad=1
    else
        crashes=$(stat_of "$out" saved_crashes); hangs=$(stat_of "$out" saved_hangs)
        line=$(printf 'fuzz/%s: %s execs/s, corpus %s, bitmap %s, %s crashes, %s hangs' "$t" \
            "$(stat_of "$out" execs_per_sec)" "$(stat_of "$out" corpus_count)" \
            "$(stat_of "$out" bitmap_cvg)" "${crashes:-?}" "${hangs:-?}")
        if [ "${crashes:-1}" != 0 ] || [ "${hangs:-1}" != 0 ]; then
            bad=1
            line+=" (inputs in $out/default/crashes and $out/default/hangs; replay one with build/fuzz/$t FILE)"
        fi
    fi
    echo "$line"
    summary+=("$line")
done
echo
printf '%s\n' "${summary[@]}"
exit $bad
