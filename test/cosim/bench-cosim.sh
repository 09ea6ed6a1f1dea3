#!/usr/bin/env bash
# bench-cosim.sh [CORE] — speed of the lockstep harness (issue 3's targets:
# >= 3 M simulated cycles/s with every retirement checked, <= 15% overhead over
# the same model without the ISS, the whole workload checked in < 5 s).
#   - Verilator build time: a fresh build of CORE's model in an empty cache
#     (verilate + C++ compile), then the harness compile/link;
#   - the fitness workload (CoreMark when COREMARK_DIR is set, else the project
#     workload) under the std stall pattern, RUNS times checked and RUNS times
#     with --no-check, interleaved; median M cycles/s of each;
#   - median wall time of one checked run including process start-up;
#   - last line: "overhead N%" = (unchecked / checked - 1) * 100.
# Rates are per CPU-second of the simulating process (the machine is shared, so
# wall-clock rates of concurrent jobs are noisy); wall-clock rates are shown too.
set -euo pipefail
core=${1:-baseline}
RUNS=${RUNS:-5}
CTL=build/bin/cosimctl
prog=build/bench/workload.elf
if [ -n "${COREMARK_DIR:-}" ]; then prog=build/bench/coremark.elf; fi
for f in "$CTL" "$prog"; do
    [ -e "$f" ] || { echo "bench-cosim: missing $f (run make first)" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/bench-cosim.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p" "$2" | head -n 1; }

echo "bench-cosim: core $core, program $prog, stall std, $RUNS runs each"
start=$(date +%s.%N)
COSIM_MODEL_CACHE=$tmp/models "$CTL" model --core "$core" --rundir "$tmp/run" >"$tmp/bin" 2>"$tmp/model.err" || {
    echo "bench-cosim: model build failed:" >&2; cat "$tmp/model.err" >&2; exit 1; }
end=$(date +%s.%N)
bin=$(cat "$tmp/bin")
sed -n 's/.*verilate \([0-9.]*\) s), harness linked (\([0-9.]*\) s).*/verilator build: \1 s (verilate + model C++ at -O2), harness compile+link \2 s/p' "$tmp/model.err"
awk -v s="$start" -v e="$end" 'BEGIN { printf "fresh build total (incl. Verilator runtime, once per version): %.1f s\n", e - s }'

: >"$tmp/chk"; : >"$tmp/raw"; : >"$tmp/wall"; : >"$tmp/chkw"; : >"$tmp/raww"
cycles=0
for i in $(seq "$RUNS"); do
    t0=$(date +%s.%N)
    "$bin" --stall std --out "$tmp/c$i.json" "$prog" || { echo "bench-cosim: checked run failed:"; head -c 600 "$tmp/c$i.json"; exit 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >>"$tmp/wall"
    field mcycles_per_cpu_sec "$tmp/c$i.json" >>"$tmp/chk"
    field mcycles_per_sec "$tmp/c$i.json" >>"$tmp/chkw"
    cycles=$(sed -n 's/.*"cycles": \([0-9]*\), "retired".*/\1/p' "$tmp/c$i.json")
    "$bin" --stall std --no-check --out "$tmp/r$i.json" "$prog" >/dev/null
    field mcycles_per_cpu_sec "$tmp/r$i.json" >>"$tmp/raw"
    field mcycles_per_sec "$tmp/r$i.json" >>"$tmp/raww"
done
chk=$(median <"$tmp/chk")
raw=$(median <"$tmp/raw")
wall=$(median <"$tmp/wall")
echo "workload: $cycles cycles per run"
echo "checked (lockstep with the ISS): $chk M cycles/s   (runs: $(tr '\n' ' ' <"$tmp/chk")); wall-clock median $(median <"$tmp/chkw")"
echo "unchecked (model only, --no-check): $raw M cycles/s   (runs: $(tr '\n' ' ' <"$tmp/raw")); wall-clock median $(median <"$tmp/raww")"
echo "checked workload wall time incl. start-up: $wall s"
awk -v c="$chk" -v r="$raw" 'BEGIN { printf "overhead %.0f%%\n", (r / c - 1) * 100 }'
