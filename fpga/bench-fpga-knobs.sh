#!/usr/bin/env bash
# bench-fpga-knobs.sh CORE — does every knob value of a core still place on its
# device? For each value other than the default of each knob in core.yaml, the
# core is copied, the knob's `parameter NAME = value` line is rewritten (as a
# knob move does, DESIGN.md §2, Knobs) and the synth and pnr gates run on the copy.
# Prints one line per value: LUT4/FF/BRAM, LCs, median Fmax, or why it failed.
# Slow (one full gate per value); QUICK=1 (default) places seeds 1 and 2 only.
# BASE="NAME=value ..." sets other knobs first in every copy (e.g.
# BASE="BRANCH_PREDICT=2" to sweep BTB_ENTRIES where it matters); ONLY=NAME
# sweeps one knob.
set -uo pipefail
core=${1:?usage: bench-fpga-knobs.sh CORE}
BUILD=${BUILD:-build}
QUICK=${QUICK:-1}
TREE=${TREE:-.}   # where cores/<core> lives
bin=$BUILD/bin/fpga
yaml=$TREE/cores/$core/core.yaml
[ -x "$bin" ] || { echo "bench-fpga-knobs: $bin missing: run 'make $bin'" >&2; exit 2; }
[ -f "$yaml" ] || { echo "bench-fpga-knobs: no $yaml" >&2; exit 2; }
out=$BUILD/bench-fpga-knobs/$core${BASE:+-$(echo "$BASE" | tr " =" "_-")}
rm -rf "$out"
mkdir -p "$out"
kv() { grep "^$2=" "$1" | cut -d= -f2; }
BASE=${BASE:-}
ONLY=${ONLY:-}
quick=()
[ "$QUICK" = 1 ] && quick=(--quick)

"$bin" --knobs "$yaml" > "$out/values" || exit 2
[ -s "$out/values" ] || { echo "bench-fpga-knobs: $yaml lists no knob values to try"; exit 0; }
if [ -n "$ONLY" ]; then grep -P "^$ONLY\t" "$out/values" > "$out/values.only" || true; mv "$out/values.only" "$out/values"; fi
echo "bench-fpga-knobs: $core, $(wc -l < "$out/values") knob values${BASE:+ on top of $BASE}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bad=0
# set_param FILE PARAM VALUE: rewrites exactly one `parameter [type] PARAM = x`.
set_param() {
    local n
    n=$(grep -cE "parameter[[:space:]]+([A-Za-z_]+[[:space:]]+)?$2[[:space:]]*=" "$1" || true)
    [ "$n" = 1 ] || { echo "cannot set: $n lines declare parameter $2 in $1"; return 1; }
    sed -i -E "s/(parameter[[:space:]]+([A-Za-z_]+[[:space:]]+)?$2[[:space:]]*=[[:space:]]*)[^,;)[:space:]]+/\\1$3/" "$1"
}
while IFS=$'\t' read -r name file param dflt val; do
    tag=$name=$val
    tree=$out/$tag/tree
    mkdir -p "$tree/cores"
    cp -r "$TREE/cores/$core" "$tree/cores/"
    f=$tree/cores/$core/$file
    ok=1
    for kv_ in $BASE; do  # BASE knobs live in the same file as the swept one
        set_param "$f" "${kv_%%=*}" "${kv_#*=}" || ok=0
    done
    why=$(set_param "$f" "$param" "$val") || ok=0
    if [ $ok = 0 ]; then echo "$tag: $why"; bad=1; continue; fi
    start=$(date +%s)
    "$bin" --core "$core" --tree "$tree" --rundir "$out/$tag/run" --build "$BUILD" "${quick[@]}" \
        > "$out/$tag/stdout" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    "$bin" --kv "$out/$tag/run/gates.json" > "$out/$tag/kv" 2>/dev/null
    if [ $rc -eq 0 ]; then
        k=$out/$tag/kv
        printf '%-22s %5s LUT4 %5s FF %2s BRAM  %5s/%s LCs  Fmax %6s MHz (spread %s%%)  %ds\n' "$tag" \
            "$(kv "$k" lut)" "$(kv "$k" ff)" "$(kv "$k" bram)" "$(kv "$k" lc_used)" \
            "$(kv "$k" lc_available)" "$(kv "$k" fmax_median)" "$(kv "$k" spread_pct)" "$secs"
    else
        bad=1
        echo "$tag: FAILED (exit $rc): $(grep -E 'fail|error|timeout' "$out/$tag/stdout" | head -n 2 | tr '\n' ' ')"
    fi
done < "$out/values"
exit $bad
