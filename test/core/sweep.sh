#!/usr/bin/env bash
# test/core/sweep.sh CORE — synthesises the core once per knob value (every
# other knob as it stands in the RTL) and prints LUT4/FF/CARRY/SB_RAM40_4K per
# value, then the worst-area combination (per knob, the value with the most
# LUT4s). With PNR=1 it also places and routes the RTL as it stands and that
# worst combination with nextpnr-ice40 through the fitness wrapper
# fpga/rtl/fpga_top.sv (RVFI left unconnected), reporting logic cells and Fmax.
# Synthesis of `core` alone keeps the RVFI logic, so its counts are upper
# bounds. Output follows the PASS/FAIL protocol; products in $BUILD/core-sweep/.
set -u
source test/lib.sh
source test/core/knobs.sh
c=${1:-baseline}
dir=cores/$c
BUILD=${BUILD:-build}
out=$BUILD/core-sweep/$c
mkdir -p "$out"
NICE="nice -n 10"
command -v yosys >/dev/null || { t_skip "$c/sweep" "yosys not installed (bash tools/setup.sh)"; exit 0; }
[ -d "$dir/rtl" ] || { t_fail "$c/sweep" "no such core: $dir/rtl"; exit 0; }
dev=$(core_device "$dir")
pkg=$(awk '/^fpga:/ { f = 1; next } f && /^[^ ]/ { f = 0 } f && /package:/ { print $2 }' "$dir/core.yaml")
mhz=$(awk '/^fpga:/ { f = 1; next } f && /^[^ ]/ { f = 0 } f && /clock_mhz:/ { print $2 }' "$dir/core.yaml")
cap=$(device_capacity "$dev")
read -r cap_lc cap_bram <<<"${cap:-0 0}"

# synth NAME "P=V ..." -> prints "LUT4 FF CARRY BRAM" or nothing on failure
synth() {
    local name=$1 ch="" kv
    for kv in $2; do ch+="chparam -set ${kv%%=*} ${kv#*=} core; "; done
    if $NICE yosys -q -l "$out/$name.log" -p "read_verilog -sv $dir/rtl/*.sv; $ch synth_ice40 -top core; tee -q -o $out/$name.stat stat" >/dev/null 2>&1; then
        yosys_counts "$out/$name.stat"
    fi
}

report() {   # report NAME COUNTS SECONDS
    local name=$1 counts=$2 secs=$3
    if [ -z "$counts" ]; then t_fail "$c/sweep/$name" "yosys failed (log $out/$name.log)"; return 1; fi
    read -r lut ff carry bram <<<"$counts"
    local fig
    fig=$(printf 'LUT4 %5d  FF %5d  CARRY %4d  BRAM %2d  (%d s)' "$lut" "$ff" "$carry" "$bram" "$secs")
    if [ "$cap_lc" -gt 0 ] && { [ "$lut" -gt "$cap_lc" ] || [ "$ff" -gt "$cap_lc" ] || [ "$bram" -gt "$cap_bram" ]; }; then
        t_fail "$c/sweep/$name" "$fig exceeds $dev"
    else
        t_pass "$c/sweep/$name: $fig"
    fi
}

declare -A worst_val worst_lut
t0=$SECONDS
counts=$(synth as-is "")
report as-is "$counts" $((SECONDS - t0))
while read -r p f d vals; do
    [ -z "$p" ] && continue
    cur=$(knob_current "$dir" "$p" "$f")
    for v in $vals; do
        t0=$SECONDS
        counts=$(synth "$p=$v" "$p=$v")
        report "$p=$v" "$counts" $((SECONDS - t0)) || continue
        lut=${counts%% *}
        if [ -z "${worst_lut[$p]:-}" ] || [ "$lut" -ge "${worst_lut[$p]}" ]; then
            worst_lut[$p]=$lut; worst_val[$p]=$v
        fi
    done
    : "$cur"
done < <(core_knobs "$dir")

combo=""
for p in "${!worst_val[@]}"; do combo+="$p=${worst_val[$p]} "; done
combo=$(tr ' ' '\n' <<<"$combo" | sort | tr '\n' ' ')
echo "worst-area combination: $combo"
t0=$SECONDS
counts=$(synth worst "$combo")
report worst "$counts" $((SECONDS - t0))

[ "${PNR:-0}" = 1 ] || exit 0
wrapper=fpga/rtl/fpga_top.sv
pcf=fpga/pcf/$dev-$pkg.pcf
if [ ! -f "$wrapper" ] || [ ! -f "$pcf" ] || ! command -v nextpnr-ice40 >/dev/null; then
    t_skip "$c/pnr" "needs $wrapper, $pcf and nextpnr-ice40"; exit 0
fi
pnr() {   # pnr NAME "P=V ..."
    local name=$1 ch="" kv
    for kv in $2; do ch+="chparam -set ${kv%%=*} ${kv#*=} core; "; done
    local t0=$SECONDS
    if ! $NICE yosys -q -l "$out/pnr-$name.ylog" -p "read_verilog -sv $dir/rtl/*.sv $wrapper; $ch synth_ice40 -top fpga_top -json $out/pnr-$name.json" >/dev/null 2>&1; then
        t_fail "$c/pnr/$name" "yosys failed (log $out/pnr-$name.ylog)"; return
    fi
    if ! $NICE nextpnr-ice40 --"$dev" --package "$pkg" --pcf "$pcf" --json "$out/pnr-$name.json" \
            --freq "${mhz:-30}" --timing-allow-fail --report "$out/pnr-$name.report.json" >"$out/pnr-$name.log" 2>&1; then
        t_fail "$c/pnr/$name" "nextpnr-ice40 did not place/route (log $out/pnr-$name.log)"; return
    fi
    local lc fmax
    lc=$(grep -m1 'ICESTORM_LC:' "$out/pnr-$name.log" | awk '{print $3, $4, $5}')
    fmax=$(grep 'Max frequency for clock' "$out/pnr-$name.log" | tail -1 | sed -E 's/.*: ([0-9.]+ MHz).*/\1/')
    t_pass "$c/pnr/$name: LC $lc, Fmax $fmax ($((SECONDS - t0)) s)"
}
pnr as-is ""
pnr worst "$combo"
