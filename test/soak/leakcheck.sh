#!/usr/bin/env bash
# test/soak/leakcheck.sh — a short evo loop (LEAK_N rounds, default 3, of K
# slots; the builtin agent by default) on the fake gates under the ASan+UBSan
# build with LeakSanitizer on: PASS when evo exits 0 and no sanitizer
# reports. First a control: a program that leaks on purpose must be caught,
# so a LeakSanitizer that cannot run here is never taken for a clean run.
# Run from the repository root; BUILD names the normal build (default build).
set -u
source test/lib.sh
ORCH_SRC=$(pwd)
source test/orch/lib-orch.sh
source test/soak/lib-soak.sh
BUILD=${BUILD:-build}
ASAN_EVO=$(realpath "$BUILD/asan/bin/evo-fake" 2>/dev/null)
LEAK_N=${LEAK_N:-3}
if [ -z "$ASAN_EVO" ] || [ ! -x "$ASAN_EVO" ]; then
    t_skip "leak: evo under LeakSanitizer" "$BUILD/asan/bin/evo-fake is not built (make asan)"
    exit 0
fi
T=$(mktemp -d /tmp/evo-leak.XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
CC=${CC:-cc}
printf '#include <stdlib.h>\nint main(void) { void *volatile p = malloc(77); p = 0; return p != 0; }\n' > "$T/leak.c"
if "$CC" -fsanitize=address -g "$T/leak.c" -o "$T/leak" 2>/dev/null; then
    "$T/leak" > "$T/control" 2>&1
    if grep -q 'LeakSanitizer: detected memory leaks' "$T/control"; then t_pass "leak: LeakSanitizer catches a planted leak here"
    else t_fail "leak: LeakSanitizer catches a planted leak here" "it did not: $(head -c 300 "$T/control")"; exit 0; fi
else
    t_skip "leak: LeakSanitizer catches a planted leak here" "$CC cannot build with -fsanitize=address"
fi
soak_repo "$T/repo"
(cd "$T/repo" && exec "$ASAN_EVO" loop --target demo -n "$LEAK_N" -k "${K:-2}" --agent "${AGENT:-builtin}") \
    > "$T/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q 'Sanitizer' "$T/out"; then
    t_pass "leak: evo loop -n $LEAK_N -k ${K:-2} under ASan+LeakSanitizer: no leak, no report"
else
    t_fail "leak: evo loop -n $LEAK_N -k ${K:-2} under ASan+LeakSanitizer: no leak, no report" \
        "status $rc: $(grep -A12 'Sanitizer' "$T/out" | head -c 1500 | tr '\n' ' ')"
fi
