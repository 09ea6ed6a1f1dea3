#!/usr/bin/env bash
# rv32sim.sh — end-to-end tests of the rv32sim CLI (tools/rv32sim/main.c):
# UART output, exit codes (a0 & 0xFF, 124 budget, 125 fault, 126 bad input),
# --trace, --stats with bench markers, and a broken-ELF corpus made by patching
# a good ELF (test/iss/hello.S) byte by byte. Expected counts come from the
# assembly sources (see their header comments), not from earlier runs.
# Needs: make test-prereqs (builds $BUILD/bin/rv32sim and $BUILD/test/iss/*.elf).
set -u
source test/lib.sh
BUILD=${BUILD:-build}
SIM=$BUILD/bin/rv32sim
ELFS=$BUILD/test/iss
tmp=$(mktemp -d /tmp/rv32sim-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

for f in "$SIM" "$ELFS/hello.elf" "$ELFS/fault.elf" "$ELFS/spin.elf" "$ELFS/exit300.elf" \
         "$ELFS/traps.elf"; do
    if [ ! -e "$f" ]; then
        t_fail "rv32sim prerequisites" "$f is missing: run 'make test-prereqs'"
        exit 0
    fi
done

# run ARGS...: sets rc, out (stdout file $tmp/out), err (stderr text).
run() {
    "$SIM" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    err=$(cat "$tmp/err")
}

# check NAME COND-DESCRIPTION: passes when every "want" recorded since the last
# check holds; want appends a failure reason when its test command fails.
reasons=()
want() { local why=$1; shift; "$@" || reasons+=("$why"); }
check() {
    if [ ${#reasons[@]} -eq 0 ]; then t_pass "$1"
    else t_fail "$1" "$(IFS=';'; echo "${reasons[*]}") (rc=$rc, stderr: $(head -c 300 <<<"$err" | tr '\n' ' '))"; fi
    reasons=()
}
has() { grep -qF -- "$2" <<<"$1"; }

# ---- programs that run ----
run "$ELFS/hello.elf"
want "exit code $rc, want 42" test "$rc" -eq 42
want "stdout differs" cmp -s "$tmp/out" <(printf 'Hello from rv32sim!\n')
want "stderr not empty" test -z "$err"
check "rv32sim hello: UART text on stdout, exit a0=42"

run "$ELFS/exit300.elf"
want "exit code $rc, want 44 (300 & 0xFF)" test "$rc" -eq 44
check "rv32sim exit code is a0 & 0xFF"

run "$ELFS/traps.elf"
want "exit code $rc, want 7" test "$rc" -eq 7
check "rv32sim ecall/csr/mret/misaligned load trap and continue"

run --stats "$ELFS/hello.elf"
want "exit code $rc" test "$rc" -eq 42
want "instruction count not 122" has "$err" "122 instructions"
want "no MIPS figure" has "$err" "MIPS"
want "BENCH_START not at instruction 2" has "$err" "BENCH_START at instruction 2"
want "BENCH_STOP not at instruction 14" has "$err" "BENCH_STOP at instruction 14"
want "timed region not 12" has "$err" "timed region: 12 instructions"
check "rv32sim --stats: instructions, MIPS, bench markers"

run --trace "$ELFS/hello.elf"
lines=$(wc -l <"$tmp/err")
want "exit code $rc" test "$rc" -eq 42
want "$lines trace lines, want 122" test "$lines" -eq 122
want "stdout differs under --trace" cmp -s "$tmp/out" <(printf 'Hello from rv32sim!\n')
first=$(sed -n 1p "$tmp/err")
want "first line '$first'" has "$first" "00000000 100002b7  lui t0, 0x10000"
want "first line has no rd write" has "$first" "t0=10000000"
want "no BENCH_START store line" grep -qE '^ +2 00000008 .*store\[10000100\] mask=f data=00000000' "$tmp/err"
want "no load line" grep -qE 'lbu a3, 0\(a1\) +a3=00000048 load\[[0-9a-f]{8}\] mask=1' "$tmp/err"
want "last line not ebreak HALT" grep -qE '^ +121 [0-9a-f]{8} 00100073  ebreak +HALT$' <(tail -n 1 "$tmp/err")
check "rv32sim --trace: one line per retirement with rd, memory, halt"

run --trace "$ELFS/traps.elf"
want "$(grep -c TRAP "$tmp/err") TRAP lines, want 4" test "$(grep -c ' TRAP$' "$tmp/err")" -eq 4
want "ecall line" grep -qE '^ +1 00000004 00000073  ecall +TRAP$' "$tmp/err"
check "rv32sim --trace marks traps"

# ---- budget ----
run --max-insns 1000 "$ELFS/spin.elf"
want "exit code $rc, want 124" test "$rc" -eq 124
want "no budget message" has "$err" "budget of 1000"
check "rv32sim --max-insns: budget exhausted exits 124"

run --max-insns=122 "$ELFS/hello.elf"
want "exit code $rc, want 42 (budget ends at EBREAK)" test "$rc" -eq 42
check "rv32sim --max-insns=N equal to the program length still halts"

run --max-insns 121 "$ELFS/hello.elf"
want "exit code $rc, want 124" test "$rc" -eq 124
check "rv32sim --max-insns one short of EBREAK exits 124"

run --trace --max-insns 50 "$ELFS/spin.elf"
want "exit code $rc, want 124" test "$rc" -eq 124
want "$(grep -c '^ ' "$tmp/err") trace lines, want 50" test "$(grep -c '^ ' "$tmp/err")" -eq 50
check "rv32sim --trace honours --max-insns"

# ---- fault ----
run "$ELFS/fault.elf"
want "exit code $rc, want 125" test "$rc" -eq 125
want "no address" has "$err" "0x20000000"
want "no kind" has "$err" "load"
want "no pc" has "$err" "pc 0x00000004"
want "no file name" has "$err" "fault.elf"
check "rv32sim out-of-bounds load: exit 125 with pc, address, kind"

# ---- usage ----
run
want "exit code $rc, want 126" test "$rc" -eq 126
want "no usage" has "$err" "usage: rv32sim"
check "rv32sim without a program: 126 and usage"
run --frobnicate "$ELFS/hello.elf"
want "exit code $rc, want 126" test "$rc" -eq 126
want "option not named" has "$err" "--frobnicate"
check "rv32sim unknown option: 126"
run --max-insns 12x "$ELFS/hello.elf"
want "exit code $rc, want 126" test "$rc" -eq 126
check "rv32sim --max-insns with a bad number: 126"
run --max-insns -5 "$ELFS/hello.elf"
want "exit code $rc, want 126" test "$rc" -eq 126
check "rv32sim --max-insns negative: 126"
run "$ELFS/hello.elf" "$ELFS/spin.elf"
want "exit code $rc, want 126" test "$rc" -eq 126
check "rv32sim two programs: 126"
run --help
want "exit code $rc, want 0" test "$rc" -eq 0
want "usage not on stdout" grep -q "exit status" "$tmp/out"
check "rv32sim --help documents the exit codes"

# ---- broken ELF files, made from hello.elf ----
u32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d ' '; }
u16() { od -An -t u2 -j "$2" -N 2 "$1" | tr -d ' '; }
# poke FILE OFFSET BYTE...: overwrites bytes (hex, e.g. 3e 00).
poke() {
    local f=$1 off=$2; shift 2
    printf "$(printf '\\x%s' "$@")" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}
le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# Offset of the first PT_LOAD program header.
first_load() {
    local f=$1 phoff phent phnum i
    phoff=$(u32 "$f" 28); phent=$(u16 "$f" 42); phnum=$(u16 "$f" 44)
    for ((i = 0; i < phnum; i++)); do
        if [ "$(u32 "$f" $((phoff + i * phent)))" = 1 ]; then echo $((phoff + i * phent)); return; fi
    done
    echo -1
}
bad() { cp "$ELFS/hello.elf" "$tmp/$1"; }

# bad_case NAME FILE NEEDLE: rv32sim must exit 126 naming FILE and the problem.
bad_case() {
    local name=$1 file=$2 needle=$3
    run "$file"
    want "exit code $rc, want 126" test "$rc" -eq 126
    want "message does not name the file" has "$err" "$file"
    want "message lacks '$needle'" has "$err" "$needle"
    want "stdout not empty" test ! -s "$tmp/out"
    check "rv32sim bad ELF: $name"
}

load=$(first_load "$ELFS/hello.elf")
if [ "$load" -lt 0 ]; then
    t_fail "rv32sim bad ELF corpus" "no PT_LOAD header found in $ELFS/hello.elf"
else
    bad_case "missing file" "$tmp/no-such.elf" "cannot open"
    printf 'this is not an ELF file\n' >"$tmp/text.elf"
    bad_case "text file" "$tmp/text.elf" "not an ELF"
    bad trunc-header.elf; truncate -s 30 "$tmp/trunc-header.elf"
    bad_case "truncated inside the ELF header" "$tmp/trunc-header.elf" "truncated"
    off=$(u32 "$ELFS/hello.elf" $((load + 4)))
    bad trunc-segment.elf; truncate -s $((off + 8)) "$tmp/trunc-segment.elf"
    bad_case "truncated inside a segment" "$tmp/trunc-segment.elf" "truncated"
    bad class64.elf; poke "$tmp/class64.elf" 4 02
    bad_case "EI_CLASS = ELFCLASS64" "$tmp/class64.elf" "ELFCLASS32"
    bad bigendian.elf; poke "$tmp/bigendian.elf" 5 02
    bad_case "EI_DATA = big-endian" "$tmp/bigendian.elf" "little-endian"
    bad x86.elf; poke "$tmp/x86.elf" 18 3e 00
    bad_case "e_machine = EM_X86_64" "$tmp/x86.elf" "EM_RISCV"
    bad dyn.elf; poke "$tmp/dyn.elf" 16 03 00
    bad_case "e_type = ET_DYN" "$tmp/dyn.elf" "ET_EXEC"
    bad entry.elf; poke "$tmp/entry.elf" 24 $(le32 4)
    bad_case "entry point 4" "$tmp/entry.elf" "entry point"
    bad outside.elf
    poke "$tmp/outside.elf" $((load + 8)) $(le32 0x000FFFF0)   # p_vaddr
    poke "$tmp/outside.elf" $((load + 12)) $(le32 0x000FFFF0)  # p_paddr
    bad_case "segment moved to the top of RAM (crosses 1 MiB)" "$tmp/outside.elf" "outside RAM"
    bad wrap.elf
    poke "$tmp/wrap.elf" $((load + 12)) $(le32 0xFFFFFFF8)     # p_paddr wraps
    bad_case "segment address wraps around 2^32" "$tmp/wrap.elf" "outside RAM"
    bad filesz.elf; poke "$tmp/filesz.elf" $((load + 20)) $(le32 1)  # p_memsz
    bad_case "p_filesz > p_memsz" "$tmp/filesz.elf" "p_filesz"
    bad_case "a directory" "$tmp" "not a regular file"
fi

# ---- the project's own programs (bench/), when they are built ----
# bench_case NAME ELF NEEDLE: exit 0 and NEEDLE on stdout.
bench_case() {
    if [ ! -f "$2" ]; then t_skip "$1" "$2 not built (make bench-elfs)"; return; fi
    run --max-insns 200000000 "$2"
    want "exit code $rc, want 0" test "$rc" -eq 0
    want "stdout lacks '$3'" grep -qF -- "$3" "$tmp/out"
    check "$1"
}
bench_case "rv32sim passes the RV32IM ISA test set" build/bench/isa.elf " 0 failed"
bench_case "rv32sim runs the self-test" build/bench/selftest.elf "PASS"
bench_case "rv32sim runs the workload with its checksums" build/bench/workload.elf "checksums OK"
if [ -f build/bench/isa-broken.elf ]; then
    run --max-insns 200000000 build/bench/isa-broken.elf
    want "exit code 0: the ISA set's planted failure went unnoticed" test "$rc" -ne 0
    check "rv32sim: the ISA test set with a planted wrong value fails"
fi

# ---- memory checking of the simulator itself ----
if command -v valgrind >/dev/null 2>&1; then
    valgrind -q --error-exitcode=99 --leak-check=full "$SIM" --stats --trace \
        "$ELFS/hello.elf" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    err=$(grep '^==' "$tmp/err" | head -5)
    want "exit code $rc, want 42 (99 = valgrind error)" test "$rc" -eq 42
    want "valgrind reported errors" test -z "$err"
    check "rv32sim runs clean under valgrind memcheck"
else
    t_skip "rv32sim runs clean under valgrind memcheck" "valgrind is not installed"
fi
exit 0
