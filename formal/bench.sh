#!/usr/bin/env bash
# bench.sh CORE [RUNS] [--deep] — speed of the formal gate: runs the fast
# suite (or with --deep the deep suite) RUNS times (default 3) and prints the
# median wall time, the median netlist preparation time and each check's
# median proof+cover time, slowest first.
# Figures depend on the machine's load: run it on an otherwise idle machine.
set -u
core=${1:?usage: formal/bench.sh CORE [RUNS]}
runs=${2:-3}
mode=${3:-}
bin=${BUILD:-build}/bin/formal
[ -x "$bin" ] || { echo "bench-formal: $bin missing (make $bin)" >&2; exit 2; }
out=$(mktemp -d /tmp/formal-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
for i in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    "$bin" --core "$core" $mode --rundir "$out/run$i" >"$out/table$i" 2>&1
    rc=$?
    end=$(date +%s.%N)
    echo "$end - $start" | bc >"$out/wall$i"
    echo "run $i: exit $rc, $(cat "$out/wall$i") s wall, $(grep -- ' -> ' "$out/table$i" | sed 's/.*: //')"
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
echo "median wall: $(cat "$out"/wall* | median) s over $runs runs"
echo "median netlist preparation: $(grep -h -- ' -> ' "$out"/table* | sed 's/netlist preparation \([0-9.]*\) s.*/\1/' | median) s"
echo "per check (median seconds, property + cover):"
awk 'NF > 4 && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9.]+$/ { print $1, $4 }' "$out"/table* |
    sort -k1,1 | awk '{ a[$1] = a[$1] " " $2 } END { for (k in a) print k, a[k] }' |
    while read -r name vals; do
        printf '%-14s %8.1f\n' "$name" "$(echo $vals | tr ' ' '\n' | median)"
    done | sort -k2,2 -rn
