#!/usr/bin/env bash
# bench-fpga.sh CORE [RUNS] — how long the synth and pnr gates take on a core,
# and how much the three nextpnr seeds disagree (the accept rule's noise floor).
#
# Each run starts from an empty pnr cache (a fresh build directory under
# $BUILD/bench-fpga), so it measures the real work: Yosys, then seeds 1, 2, 3
# two at a time. Then the pnr gate is rerun on the same netlist five times to
# time the cached path. Prints one line per run and a summary with medians.
# The machine is shared: the load average is printed so figures taken under
# load can be told apart; CPU seconds (user+sys of the whole gate, children
# included) are the load-independent figure. nextpnr is deterministic for a
# given netlist and seed, so extra RUNS re-measure time, not the seed spread;
# the spread over many designs comes from bench-fpga-knobs.sh.
set -euo pipefail
core=${1:?usage: bench-fpga.sh CORE [RUNS]}
runs=${2:-1}
BUILD=${BUILD:-build}
TREE=${TREE:-.}   # where cores/<core> lives (the tests use test/fpga/data)
bin=$BUILD/bin/fpga
[ -x "$bin" ] || { echo "bench-fpga: $bin missing: run 'make $bin'" >&2; exit 2; }
[ -f "$TREE/cores/$core/core.yaml" ] || { echo "bench-fpga: no $TREE/cores/$core/core.yaml" >&2; exit 2; }
out=$BUILD/bench-fpga/$core
rm -rf "$out"
mkdir -p "$out"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
    else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
kv() { grep "^$2=" "$1" | cut -d= -f2; }

echo "bench-fpga: core $core, $runs uncached run(s), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
    d=$out/run$i
    mkdir -p "$d"
    /usr/bin/time -f '%e %U %S' -o "$d/time" \
        "$bin" --core "$core" --tree "$TREE" --rundir "$d/run" --build "$d/build" > "$d/stdout" 2>&1 || {
        echo "bench-fpga: run $i failed; see $d/stdout" >&2; tail -n 20 "$d/stdout" >&2; exit 1; }
    "$bin" --kv "$d/run/gates.json" > "$d/kv"
    read -r wall user sys < "$d/time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    printf 'run %d: synth %.1f s; seeds %.1f / %.1f / %.1f s (Fmax %s / %s / %s MHz); pnr %.1f s; whole gate %.1f s wall, %s s CPU\n' \
        "$i" "$(kv "$d/kv" synth_seconds)" "$(kv "$d/kv" seed1_seconds)" "$(kv "$d/kv" seed2_seconds)" \
        "$(kv "$d/kv" seed3_seconds)" "$(kv "$d/kv" seed1_fmax)" "$(kv "$d/kv" seed2_fmax)" \
        "$(kv "$d/kv" seed3_fmax)" "$(kv "$d/kv" pnr_seconds)" "$wall" "$cpu"
    echo "$wall" >> "$out/wall"
    echo "$cpu" >> "$out/cpu"
    kv "$d/kv" synth_seconds >> "$out/synth"
    kv "$d/kv" pnr_seconds >> "$out/pnr"
    kv "$d/kv" spread_pct >> "$out/spread"
    for s in 1 2 3; do kv "$d/kv" "seed${s}_seconds" >> "$out/seed"; done
done

# The cached path: the pnr gate alone on the first run's netlist, same cache.
for k in 1 2 3 4 5; do
    /usr/bin/time -f '%e' -o "$out/cached-time" "$bin" --core "$core" --tree "$TREE" \
        --prior "$out/run1/run/gates.json" --rundir "$out/cached$k" --build "$out/run1/build" \
        > "$out/cached-stdout" 2>&1
    "$bin" --kv "$out/cached$k/gates.json" > "$out/cached-kv"
    [ "$(kv "$out/cached-kv" cached)" = 1 ] || { echo "bench-fpga: rerun $k was not a cache hit" >&2; exit 1; }
    cat "$out/cached-time" >> "$out/cached"
    kv "$out/cached-kv" pnr_seconds >> "$out/cached-gate"
done

d=$out/run1/kv
echo
echo "summary for $core ($(kv "$d" lut) LUT4, $(kv "$d" ff) FF, $(kv "$d" bram) BRAM; $(kv "$d" lc_used)/$(kv "$d" lc_available) LCs):"
echo "  synth                 median $(median < "$out/synth") s"
echo "  one nextpnr seed      median $(median < "$out/seed") s"
echo "  pnr gate (3 seeds)    median $(median < "$out/pnr") s"
echo "  whole gate uncached   median $(median < "$out/wall") s wall, $(median < "$out/cpu") s CPU (target < 240 s)"
echo "  pnr gate cached       median $(median < "$out/cached-gate") s in the gate, $(median < "$out/cached") s whole process (target < 1 s)"
echo "  seed spread           median $(median < "$out/spread") % of median Fmax ((max-min)/median)"
echo "  load average at end   $(cut -d' ' -f1-3 /proc/loadavg)"
