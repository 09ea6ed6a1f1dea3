#!/usr/bin/env bash
# bench-confine.sh — what confinement costs (make bench-confine):
#  1. one process start, unconfined and in the tools' and agents' sandboxes
#     (build/bin/bench-confine: median of 41 starts of /bin/true);
#  2. a whole slot through the real lint gate (verilator: the gate with the
#     most process starts) and the fake others, with a cmd: agent, run with
#     --confine on and --confine off alternately, RUNS times each (default 3),
#     no gate cache: the median slot time of each and the difference, and
#     the cost that follows from the slot's confined starts (the slot times
#     vary by more than confinement costs).
# Run from the repository root on an otherwise idle machine.
set -eu
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
micro=$("$BUILD/bin/bench-confine" 41)
echo "$micro"
start_ms=$(sed -n 's/^confine-start: \([0-9.]*\) ms.*/\1/p' <<<"$micro")
EVOL=$(realpath "$BUILD/bin/evo-fake-lint")
source test/orch/lib-orch.sh
T=$(mktemp -d /tmp/evo-bench-confine.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/repo
# A scratch project whose core is a copy of cores/baseline (the real RTL and
# testbenches: lint builds and runs each), and an agent that makes one
# harmless edit, so that every slot is a new candidate.
orch_repo "$R" >/dev/null
rm -rf "$R/cores/demo"
cp -r cores/baseline "$R/cores/demo"
rm -rf "$R/cores/demo/experiments"
sed -i 's/^name: .*/name: demo/' "$R/cores/demo/core.yaml"
orch_git -C "$R" add -A >/dev/null
orch_git -C "$R" commit -qm "baseline as demo"
AGENT=$T/agent.sh
cat > "$AGENT" <<'SH'
#!/usr/bin/env bash
set -eu
cat > /dev/null
if [ "$EVO_PHASE" = hypothesis ]; then
    cat > "$EVO_HYPOTHESIS" <<YAML
id: $EVO_ID
title: Bench edit for $EVO_ID
category: micro_opt
motivation: A harmless comment so that the bench measures a new candidate through the real lint gate.
hypothesis: Nothing changes in the design; only the time of the slot is of interest to the benchmark.
expected_impact:
  fitness_delta_pct: 0
  confidence: low
changes:
  - file: rtl/core.sv
    description: a comment
YAML
    exit 0
fi
echo "// bench $EVO_ID" >> "cores/$EVO_TARGET/rtl/core.sv"
SH
chmod +x "$AGENT"
slot_seconds() { # the last slot's wall time: agent + sandbox + gates + bookkeeping
    sed -n 's/.*"wall_s": \([0-9.]*\).*/\1/p' "$(ls -td "$R"/runs/demo/demo-r*/ | head -n1)/timing.json"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: > "$T/on"; : > "$T/off"
for i in $(seq "$RUNS"); do
    for mode in on off; do
        (cd "$R" && "$EVOL" next --target demo --agent "cmd:$AGENT" --confine "$mode" --no-cache) \
            > "$T/out" 2>&1 || { echo "bench-confine: run failed:"; tail -n 5 "$T/out"; exit 1; }
        slot_seconds >> "$T/$mode"
    done
done
on=$(median < "$T/on"); off=$(median < "$T/off")
awk -v on="$on" -v off="$off" -v n="$RUNS" 'BEGIN {
    d = on - off; pct = off > 0 ? 100 * d / off : 0;
    printf "bench-confine: slot on cores/baseline (real lint, fake other gates), median of %d: confined %.2f s, unconfined %.2f s\n", n, on, off;
    printf "confine-slot: %+.2f s per slot (%+.1f%%; target <= 2%% of a whole slot)\n", d, pct }'
# The slot times above vary by a few seconds from run to run (compiler
# and disk noise), more than confinement costs: the cost follows from the
# number of confined starts in the slot times the cost of one.
starts=$(grep -c '^== lint' "$(ls -td "$R"/runs/demo/demo-r*/ | head -n1)/lint.log")
awk -v s="$starts" -v ms="$start_ms" -v on="$on" 'BEGIN {
    printf "confine-slot-starts: %d confined starts in the lint gate x %.1f ms = %.2f s (%.2f%% of the slot)\n",
           s, ms, s * ms / 1000, (on > 0 ? 100 * s * ms / 1000 / on : 0) }'
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
