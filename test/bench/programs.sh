#!/usr/bin/env bash
# test/bench/programs.sh - runs the bench programs (bench/bench.mk builds them
# into build/bench via `make test-prereqs`) under the ISS command-line
# simulator and checks their verdicts:
#   selftest  exit 0 and "selftest: PASS"
#   isa       exit 0 and "isa: N tests, 0 failed"; the broken variant
#             (one expected value flipped) must exit non-zero and name test #1
#   workload  exit 0, "checksums OK", "iterations: N", both bench markers;
#             the broken variant (59 rounds) must exit 1 with MISMATCH; the
#             host build must print the same checksums as the RV32IM run
#   vm        the interpreter workload: exit 0, "vm: checksums OK",
#             "iterations: N", both markers; its broken variant (3 rounds
#             checked against results of 4) must exit 1 with MISMATCH; the
#             host build must print the same results
#   coremark  only when COREMARK_DIR is set (or third_party/coremark exists):
#             "Correct operation validated." and the five 2K performance CRCs
# Protocol: test/lib.sh (PASS/FAIL/SKIP lines); run from the repository root.
set -u
. test/lib.sh

BENCH=build/bench
SIM=${BUILD:-build}/bin/rv32sim
BUDGET=50000000   # instructions; the largest program retires about 3 million
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run NAME ELF: runs ELF, leaving $TMP/NAME.out, $TMP/NAME.err, $TMP/NAME.rc
run() {
    local name=$1 elf=$2
    timeout 120 "$SIM" --stats --max-insns "$BUDGET" "$elf" >"$TMP/$name.out" 2>"$TMP/$name.err"
    echo $? >"$TMP/$name.rc"
}
rc_of() { cat "$TMP/$1.rc"; }
tail_of() { tail -n 4 "$TMP/$1.out" "$TMP/$1.err" 2>/dev/null | tr '\n' ' '; }
insns_of() { sed -n 's/^rv32sim: \([0-9]*\) instructions.*/\1/p' "$TMP/$1.err"; }
timed_of() { sed -n 's/^rv32sim: timed region: \([0-9]*\) instructions.*/\1/p' "$TMP/$1.err"; }

ALL="selftest isa isa-negative-control workload workload-negative-control workload-host-agrees vm vm-negative-control vm-host-agrees coremark"
if [ ! -x "$SIM" ]; then
    for t in $ALL; do t_skip "$t" "$SIM is not built (make $SIM)"; done
    exit 0
fi

# need NAME ELF: FAIL (and return 1) when a prerequisite ELF is missing
need() {
    [ -f "$2" ] && return 0
    t_fail "$1" "$2 is missing: run 'make test-prereqs' (bench/bench.mk builds it)"
    return 1
}

# --- selftest
if need selftest $BENCH/selftest.elf; then
    run selftest $BENCH/selftest.elf
    if [ "$(rc_of selftest)" != 0 ]; then
        t_fail selftest "exit $(rc_of selftest): $(tail_of selftest)"
    elif ! grep -qx 'selftest: PASS' "$TMP/selftest.out"; then
        t_fail selftest "no 'selftest: PASS' line: $(tail_of selftest)"
    else
        t_pass selftest
    fi
fi

# --- ISA test set
if need isa $BENCH/isa.elf; then
    run isa $BENCH/isa.elf
    line=$(grep -E '^isa: [0-9]+ tests, [0-9]+ failed$' "$TMP/isa.out")
    if [ "$(rc_of isa)" != 0 ]; then
        t_fail isa "exit $(rc_of isa): $(grep '^isa: FAIL' "$TMP/isa.out" | head -n 5 | tr '\n' ' ') $(tail_of isa)"
    elif ! [[ $line =~ ^isa:\ ([1-9][0-9]*)\ tests,\ 0\ failed$ ]]; then
        t_fail isa "no 'isa: N tests, 0 failed' line: $(tail_of isa)"
    else
        t_pass isa
    fi
fi
if need isa-negative-control $BENCH/isa-broken.elf; then
    run isab $BENCH/isa-broken.elf
    rc=$(rc_of isab)
    if [ "$rc" = 0 ]; then
        t_fail isa-negative-control "isa-broken.elf (an expected value flipped) exited 0: the ISA test set cannot fail"
    elif [ "$rc" != 1 ] || ! grep -q '^isa: FAIL #1 add 1, 1: got 0x00000002 expected 0x00000003$' "$TMP/isab.out" ||
         ! grep -qE '^isa: [0-9]+ tests, 1 failed$' "$TMP/isab.out"; then
        t_fail isa-negative-control "exit $rc, expected 1 with the failure of test #1 reported: $(tail_of isab)"
    else
        t_pass isa-negative-control
    fi
fi

# --- workload
if need workload $BENCH/workload.elf; then
    run workload $BENCH/workload.elf
    if [ "$(rc_of workload)" != 0 ]; then
        t_fail workload "exit $(rc_of workload): $(tail_of workload)"
    elif ! grep -qx 'workload: checksums OK' "$TMP/workload.out"; then
        t_fail workload "no 'workload: checksums OK': $(tail_of workload)"
    elif ! grep -qE '^iterations: [1-9][0-9]*$' "$TMP/workload.out"; then
        t_fail workload "no 'iterations: N' line: $(tail_of workload)"
    elif ! grep -q 'BENCH_START' "$TMP/workload.err" || ! grep -q 'BENCH_STOP' "$TMP/workload.err"; then
        t_fail workload "rv32sim --stats did not report both bench markers: $(tail_of workload)"
    elif [ -z "$(timed_of workload)" ] || [ "$(timed_of workload)" -le 0 ]; then
        t_fail workload "empty timed region: $(tail_of workload)"
    else
        t_pass workload
    fi
fi
if need workload-negative-control $BENCH/workload-broken.elf; then
    run wlb $BENCH/workload-broken.elf
    if [ "$(rc_of wlb)" != 1 ] || ! grep -q 'MISMATCH' "$TMP/wlb.out" ||
       grep -q 'checksums OK' "$TMP/wlb.out"; then
        t_fail workload-negative-control "59 rounds against checksums of 60 must exit 1 with MISMATCH; got exit $(rc_of wlb): $(tail_of wlb)"
    else
        t_pass workload-negative-control
    fi
fi
if [ ! -f "$TMP/workload.out" ]; then
    t_skip workload-host-agrees "workload.elf did not run, nothing to compare with"
elif need workload-host-agrees $BENCH/workload-host; then
    host_out=$("$BENCH/workload-host" 2>&1); host_rc=$?
    sums() { grep -E '^(iterations:|[a-z]+ +checksum:)'; }
    if [ "$host_rc" != 0 ]; then
        t_fail workload-host-agrees "the host build disagrees with the frozen checksums: $(printf '%s' "$host_out" | tr '\n' ' ')"
    elif [ "$(printf '%s\n' "$host_out" | sums)" != "$(sums <"$TMP/workload.out")" ]; then
        t_fail workload-host-agrees "host and RV32IM runs print different checksums"
    else
        t_pass workload-host-agrees
    fi
fi

# --- the interpreter workload (bench/vm)
if need vm $BENCH/vm.elf; then
    run vm $BENCH/vm.elf
    if [ "$(rc_of vm)" != 0 ]; then
        t_fail vm "exit $(rc_of vm): $(tail_of vm)"
    elif ! grep -qx 'vm: checksums OK' "$TMP/vm.out"; then
        t_fail vm "no 'vm: checksums OK': $(tail_of vm)"
    elif ! grep -qE '^iterations: [1-9][0-9]*$' "$TMP/vm.out"; then
        t_fail vm "no 'iterations: N' line: $(tail_of vm)"
    elif ! grep -q 'BENCH_START' "$TMP/vm.err" || ! grep -q 'BENCH_STOP' "$TMP/vm.err"; then
        t_fail vm "rv32sim --stats did not report both bench markers: $(tail_of vm)"
    elif [ -z "$(timed_of vm)" ] || [ "$(timed_of vm)" -le 0 ]; then
        t_fail vm "empty timed region: $(tail_of vm)"
    else
        t_pass vm
    fi
fi
if need vm-negative-control $BENCH/vm-broken.elf; then
    run vmb $BENCH/vm-broken.elf
    if [ "$(rc_of vmb)" != 1 ] || ! grep -q 'MISMATCH' "$TMP/vmb.out" ||
       ! grep -qx 'vm: checksum mismatch: the core or the compiler computes wrongly' "$TMP/vmb.out" ||
       grep -q 'checksums OK' "$TMP/vmb.out"; then
        t_fail vm-negative-control "3 rounds against results of 4 must exit 1 with MISMATCH; got exit $(rc_of vmb): $(tail_of vmb)"
    else
        t_pass vm-negative-control
    fi
fi
if [ ! -f "$TMP/vm.out" ]; then
    t_skip vm-host-agrees "vm.elf did not run, nothing to compare with"
elif need vm-host-agrees $BENCH/vm-host; then
    host_out=$("$BENCH/vm-host" 2>&1); host_rc=$?
    vsums() { grep -E '^(iterations:|(crc|last|ops) *:)'; }
    if [ "$host_rc" != 0 ]; then
        t_fail vm-host-agrees "the host build disagrees with the frozen results: $(printf '%s' "$host_out" | tr '\n' ' ')"
    elif [ "$(printf '%s\n' "$host_out" | vsums)" != "$(vsums <"$TMP/vm.out")" ]; then
        t_fail vm-host-agrees "host and RV32IM runs print different results"
    else
        t_pass vm-host-agrees
    fi
fi

# --- CoreMark (optional: needs the EEMBC sources)
cm_dir=${COREMARK_DIR:-}
[ -z "$cm_dir" ] && [ -f third_party/coremark/core_main.c ] && cm_dir=third_party/coremark
if [ -z "$cm_dir" ]; then
    t_skip coremark "COREMARK_DIR is not set and third_party/coremark is absent (make coremark-fetch, or COREMARK_DIR=/path/to/coremark)"
elif need coremark $BENCH/coremark.elf; then
    run cm $BENCH/coremark.elf
    missing=""
    for want in 'Correct operation validated.' 'seedcrc          : 0xe9f5' '[0]crclist       : 0xe714' \
                '[0]crcmatrix     : 0x1fd7' '[0]crcstate      : 0x8e3a' '[0]crcfinal      : 0xfcaf' \
                'Iterations       : 10'; do
        grep -qF -- "$want" "$TMP/cm.out" || missing="$missing '$want'"
    done
    if [ "$(rc_of cm)" != 0 ]; then
        t_fail coremark "exit $(rc_of cm): $(tail_of cm)"
    elif [ -n "$missing" ]; then
        t_fail coremark "output lacks$missing"
    elif ! grep -q 'BENCH_START' "$TMP/cm.err" || ! grep -q 'BENCH_STOP' "$TMP/cm.err"; then
        t_fail coremark "rv32sim --stats did not report both bench markers"
    else
        t_pass coremark
    fi
fi

# Figures for the log (not checked): retired instructions per program.
for n in selftest isa workload vm cm; do
    [ -f "$TMP/$n.err" ] || continue
    t=$(timed_of $n)
    echo "# ${n/#cm/coremark}: $(insns_of $n) instructions retired${t:+, $t between the markers}"
done
exit 0
