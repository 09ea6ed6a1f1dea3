#!/usr/bin/env bash
# test/core/run.sh — a core's own acceptance checks, for $TEST_CORE (default
# baseline) and $TARGET when it names another core:
#   knobs   every knob in core.yaml has exactly one `parameter NAME = value` line
#           in its file, with a value and a default from its `values`;
#   lint    `verilator --lint-only -Wall` clean for the RTL as it stands and for
#           every value of every knob (-GNAME=value);
#   tb      every test/tb_*.sv, built and run the way the lint gate does, its
#           PASS/FAIL lines relayed under <core>/;
#   prog    test programs (test/*.S with test/mkprog.sh) match their generated
#           *_prog.svh (needs the cross toolchain);
#   synth   Yosys synth_ice40 of `core` as it stands: LUT4/FF/CARRY/BRAM counts
#           within the device of core.yaml (RVFI logic is kept, so this is an
#           upper bound; `make core-sweep` covers every knob value).
# Build products go to $BUILD/core-tests/<core>/. Run from the repository root.
set -u
source test/lib.sh
source test/core/knobs.sh
BUILD=${BUILD:-build}
NICE="nice -n 10"

cores=("${TEST_CORE:-baseline}")
if [ -n "${TARGET:-}" ] && [ "${TARGET}" != "${cores[0]}" ]; then cores+=("$TARGET"); fi

lint_core() {   # lint_core CORE NAME [-Gx=y]
    local c=$1 name=$2; shift 2
    local out
    out=$($NICE verilator --lint-only -Wall -Icores/"$c"/rtl cores/"$c"/rtl/*.sv --top-module core "$@" 2>&1)
    local rc=$?
    if [ $rc -eq 0 ] && ! grep -q '%Warning\|%Error' <<<"$out"; then t_pass "$c/lint/$name"
    else t_fail "$c/lint/$name" "$(grep -m3 '%Warning\|%Error' <<<"$out" | tr '\n' ' ')"; fi
}

check_knobs() {   # prints "PARAM VALUE" pairs to lint on stdout; PASS/FAIL lines on fd 3
    local c=$1 dir=cores/$1 n=0 bad=0
    while read -r p f d vals; do
        [ -z "$p" ] && continue
        n=$((n + 1))
        local cur
        cur=$(knob_current "$dir" "$p" "$f")
        if [ -z "$cur" ]; then
            t_fail "$c/knobs/$p" "no single 'parameter $p = value' line in $dir/$f" >&3; bad=1; continue
        fi
        if ! grep -qw -- "$cur" <<<"$vals"; then
            t_fail "$c/knobs/$p" "$f sets $p = $cur, not one of [$vals]" >&3; bad=1
        elif ! grep -qw -- "$d" <<<"$vals"; then
            t_fail "$c/knobs/$p" "default $d is not one of [$vals]" >&3; bad=1
        else
            t_pass "$c/knobs/$p" >&3
        fi
        for v in $vals; do echo "$p $v"; done
    done < <(core_knobs "$dir")
    [ $n -eq 0 ] && t_skip "$c/knobs" "core.yaml declares no knobs" >&3
    return 0
}

run_tb() {   # run_tb CORE TBFILE
    local c=$1 tb=$2 top
    top=$(basename "$tb" .sv)
    local mdir=$BUILD/core-tests/$c/$top exe log
    exe=$mdir/$top
    log=$BUILD/core-tests/$c/$top.build.log
    mkdir -p "$mdir"
    # Rebuild only when an input changed since the last build.
    if [ ! -x "$exe" ] || [ -n "$(find cores/"$c"/rtl cores/"$c"/test -newer "$exe" -type f 2>/dev/null | head -1)" ]; then
        if ! $NICE verilator --binary -j 2 -Wno-fatal -Wno-lint -Wno-style --top-module "$top" -Mdir "$mdir" \
                -o "$top" -Icores/"$c"/rtl -Icores/"$c"/test cores/"$c"/rtl/*.sv "$tb" >"$log" 2>&1; then
            t_fail "$c/$top" "verilator --binary failed: $(grep -m2 '%Error' "$log" | tr '\n' ' ') (log $log)"
            return
        fi
    fi
    local out rc
    out=$(cd "$mdir" && timeout 120 "./$top" 2>&1)
    rc=$?
    grep -E '^(PASS|FAIL|SKIP) ' <<<"$out" | sed -E "s/^(PASS|FAIL|SKIP) /\1 $c\//"
    if [ $rc -ne 0 ]; then t_fail "$c/$top" "exited with status $rc: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
    elif ! grep -q '^PASS ' <<<"$out"; then t_fail "$c/$top" "printed no PASS line"; fi
}

check_progs() {
    local c=$1 dir=cores/$1/test
    local srcs=("$dir"/*.S)
    [ -e "${srcs[0]}" ] && [ -x "$dir/mkprog.sh" ] || return 0
    if ! command -v "${RISCV_CC:-riscv64-unknown-elf-gcc}" >/dev/null; then
        t_skip "$c/prog" "riscv64-unknown-elf-gcc not installed (bash tools/setup.sh)"; return
    fi
    for s in "${srcs[@]}"; do
        local svh=${s%.S}_prog.svh name gen
        name=$(basename "$s" .S)
        gen=$BUILD/core-tests/$c/${name}_prog.svh
        mkdir -p "$(dirname "$gen")"
        if ! "$dir/mkprog.sh" "$s" >"$gen" 2>"$gen.err"; then t_fail "$c/prog/$name" "mkprog.sh failed: $(head -c 300 "$gen.err")"
        elif cmp -s "$gen" "$svh"; then t_pass "$c/prog/$name"
        else t_fail "$c/prog/$name" "$svh is stale: run 'cd $dir && ./mkprog.sh $name.S > ${name}_prog.svh'"; fi
    done
}

synth_core() {
    local c=$1 dir=$BUILD/core-tests/$1
    mkdir -p "$dir"
    if ! command -v yosys >/dev/null; then t_skip "$c/synth" "yosys not installed (bash tools/setup.sh)"; return; fi
    local t0=$SECONDS
    if ! $NICE yosys -q -l "$dir/synth.log" -p "read_verilog -sv cores/$c/rtl/*.sv; synth_ice40 -top core; tee -q -o $dir/synth.stat stat" >/dev/null 2>&1; then
        t_fail "$c/synth" "yosys synth_ice40 failed: $(grep -m2 -i 'error' "$dir/synth.log" | tr '\n' ' ')"; return
    fi
    read -r lut ff carry bram < <(yosys_counts "$dir/synth.stat")
    local dev cap
    dev=$(core_device "cores/$c")
    cap=$(device_capacity "$dev")
    local fig="LUT4 $lut, FF $ff, CARRY $carry, SB_RAM40_4K $bram ($((SECONDS - t0)) s)"
    if [ -z "$cap" ]; then t_skip "$c/synth/fit" "unknown device '$dev' in core.yaml; $fig"; return; fi
    read -r lcs brams <<<"$cap"
    if [ "$lut" -gt 0 ] && [ "$lut" -le "$lcs" ] && [ "$ff" -le "$lcs" ] && [ "$bram" -le "$brams" ]; then
        t_pass "$c/synth/fit: $fig; $dev has $lcs LCs, $brams BRAMs"
    else
        t_fail "$c/synth/fit" "$fig exceeds $dev ($lcs LCs, $brams BRAMs)"
    fi
}

for c in "${cores[@]}"; do
    if [ ! -d "cores/$c/rtl" ]; then t_fail "$c" "no such core: cores/$c/rtl"; continue; fi
    if ! command -v verilator >/dev/null; then t_skip "$c/lint" "verilator not installed (bash tools/setup.sh)"; continue; fi
    pairs=$(check_knobs "$c" 3>&1 1>/dev/null)   # PASS/FAIL lines
    printf '%s\n' "$pairs" | grep -E '^(PASS|FAIL|SKIP) '
    lint_core "$c" "as-is"
    while read -r p v; do
        [ -n "$p" ] && lint_core "$c" "$p=$v" -G"$p=$v"
    done < <(check_knobs "$c" 3>/dev/null)
    for tb in cores/"$c"/test/tb_*.sv; do
        [ -e "$tb" ] && run_tb "$c" "$tb"
    done
    check_progs "$c"
    synth_core "$c"
done
exit 0
