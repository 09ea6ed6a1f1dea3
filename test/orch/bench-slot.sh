#!/usr/bin/env bash
# bench-slot.sh EVO — one slot of a single-knob hypothesis through every real
# gate (lint, synth, formal, cosim, 3-seed P&R, fitness), as `make loop`
# runs it: the real pipeline, scheduler and cache, on this machine's cores.
#
#   cold: the gate caches hold nothing for the candidate (gate-cache,
#         pnr-cache and the Verilator models built from its RTL are deleted
#         before each run; the per-Verilator-version runtime objects, which
#         any loop builds once per machine, are kept). Median of RUNS runs.
#   warm: the identical candidate once more, every gate answered by the cache.
#
# The figure is the slot's own wall time (timing.json: agent, sandbox, gates
# and bookkeeping; the round's set-up and the process start are printed
# beside it). Prints each gate's wall and CPU time per run, the gate that
# finished last (what the verdict waited for) and the machine's load.
# Scratch clone of the committed HEAD in /tmp; the C programs are this
# checkout's build. Knob: BENCH_SLOT_KNOB=NAME=VALUE on the baseline core
# (default DIV_IMPL=2, a move the accept rule rejects, so that the champion
# stays the same and the warm run sees the identical candidate).
set -eu
EVO=$(realpath "$1")
ROOT=$(pwd)
RUNS=${BENCH_SLOT_RUNS:-3}
KNOB=${BENCH_SLOT_KNOB:-DIV_IMPL=2}
kname=${KNOB%%=*}
kval=${KNOB#*=}
CORES_OPT=${CORES:+--cores $CORES}

for t in verilator yosys yosys-abc nextpnr-ice40 riscv64-unknown-elf-gcc; do
    command -v "$t" >/dev/null || { echo "bench-slot: $t is not installed: run 'make setup' (as root) first" >&2; exit 1; }
done
grep -q "parameter $kname = " cores/baseline/rtl/core.sv ||
    { echo "bench-slot: BENCH_SLOT_KNOB=$KNOB: cores/baseline/rtl/core.sv has no 'parameter $kname = ...;'" >&2; exit 2; }

T=$(mktemp -d /tmp/evo-bench-slot.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/repo
git clone -q "$ROOT" "$R"
git -C "$R" config user.name bench && git -C "$R" config user.email bench@localhost
# The harness products the gates read (ELFs, the ISS library, rv32sim) and
# the per-Verilator-version runtime objects; nothing keyed by a design.
mkdir -p "$R/build/models"
cp -a build/bench build/bin build/lib "$R/build/"
for d in build/models/runtime-* build/models/tbrt-*; do [ -e "$d" ] && cp -a "$d" "$R/build/models/"; done

cat > "$T/agent.sh" <<AGENT
#!/usr/bin/env bash
# bench-slot's agent: sets $kname = $kval in the baseline's core.sv.
set -eu
cat > /dev/null
if [ "\$EVO_PHASE" = hypothesis ]; then
    cat > "\$EVO_HYPOTHESIS" <<YAML
id: \$EVO_ID
title: "Set $kname to $kval"
category: micro_opt
motivation: "bench-slot: one knob move through every real gate, timed."
hypothesis: "Setting $kname to $kval changes cycles, Fmax and logic cells; the gates measure by how much."
expected_impact:
  fitness_delta_pct: 1
  confidence: low
changes:
  - file: rtl/core.sv
    description: parameter $kname = $kval
YAML
    exit 0
fi
sed -i 's/parameter $kname = [^;]*;/parameter $kname = $kval;/' "cores/\$EVO_TARGET/rtl/core.sv"
AGENT
chmod +x "$T/agent.sh"

echo "bench-slot: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); knob $KNOB on the baseline; workload set: ${WORKLOADS:-$([ -n "${COREMARK_DIR:-}" ] && echo "coremark+vm (CoreMark: $COREMARK_DIR)" || echo "workload+vm")}"
echo "bench-slot: forking the baseline as core 'bench' (measures it through every gate; not timed)..."
(cd "$R" && "$EVO" fork --target bench --base baseline $CORES_OPT) > "$T/fork.out" 2>&1 ||
    { echo "bench-slot: the fork failed:"; tail -n 20 "$T/fork.out"; exit 1; }

# run_slot NAME: one round of one slot; prints the slot's figures as one line.
run_slot() {
    local name=$1 t0 t1 id dir
    t0=$(date +%s.%N)
    (cd "$R" && "$EVO" next --target bench -k 1 --agent "cmd:$T/agent.sh" $CORES_OPT) > "$T/$name.out" 2>&1 ||
        { echo "bench-slot: run $name failed:"; tail -n 20 "$T/$name.out"; exit 1; }
    t1=$(date +%s.%N)
    id=$(ls -t "$R/runs/bench" | grep -- '-s1-' | head -n1)
    dir=$R/runs/bench/$id
    python3 - "$dir" "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$R/.worktrees/bench/cores/bench/experiments/log.jsonl" <<'PY'
import json, sys
d, name, cmd_wall, log = sys.argv[1:5]
t = json.load(open(f"{d}/timing.json"))
entry = [json.loads(l) for l in open(log) if l.strip()][-1]
if entry.get("accepted"):
    sys.exit(f"bench-slot: the candidate was accepted ({entry.get('accept_reason')}): pick a knob the rule rejects with BENCH_SLOT_KNOB")
if entry.get("failed_gate"):
    sys.exit(f"bench-slot: the candidate failed {entry['failed_gate']}: {entry.get('diagnostic', '')[:300]}")
res = {}
for g in entry.get("gate_seconds", {}):
    try:
        res[g] = json.load(open(f"{d}/{g}.json"))
    except OSError:
        pass
cpu = entry.get("gate_cpu_seconds", {})
cached = entry.get("gate_cache", {})
# The schedule's critical path: from the gate that ended last, step back to
# the gate that ended last before it started (what it waited for: a gate
# it needs, or cores).
ran = [k for k in res if k not in cached]
chain, g = [], max(ran, key=lambda k: res[k].get("end_s", 0), default=None)
while g:
    chain.append(g)
    start = res[g].get("start_s", 0)
    before = [k for k in ran if k not in chain and res[k].get("end_s", 0) <= start + 0.5]
    g = max(before, key=lambda k: res[k].get("end_s", 0), default=None)
print(f"{name}: slot {t['wall_s']:.1f} s (the command: {float(cmd_wall):.1f} s; agent {t['agent_s']:.1f} s, "
      f"gates {t['gates_s']:.1f} s, bookkeeping {t['overhead_s']:.1f} s); waited for: {' <- '.join(chain) or 'nothing (every gate from the cache)'}")
print("  gate      start      end     wall      cpu  cached")
for g in sorted(res, key=lambda k: res[k].get("start_s", 0)):
    r = res[g]
    print(f"  {g:8s} {r.get('start_s', 0):6.1f} {r.get('end_s', 0):8.1f} {entry['gate_seconds'].get(g, 0):8.1f} "
          f"{cpu.get(g, 0):8.1f}  {cached.get(g, '-')}")
open(f"{d}/../../bench-slot.{name}", "w").write(f"{t['wall_s']:.3f}\n")
PY
}

for i in $(seq "$RUNS"); do
    rm -rf "$R/build/gate-cache" "$R/build/pnr-cache"
    find "$R/build/models" -mindepth 1 -maxdepth 1 ! -name 'runtime-*' ! -name 'tbrt-*' -exec rm -rf {} +
    run_slot "cold$i"
done
run_slot warm

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cold=$(cat "$R"/runs/bench-slot.cold* | median)
warm=$(cat "$R/runs/bench-slot.warm")
echo "bench-slot: load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'cold: %.1f s (median of %d; target <= 90 s: %s)\n' "$cold" "$RUNS" "$(awk -v c="$cold" 'BEGIN { print (c <= 90) ? "met" : "NOT met" }')"
printf 'warm: %.2f s (target < 1 s: %s)\n' "$warm" "$(awk -v w="$warm" 'BEGIN { print (w < 1) ? "met" : "NOT met" }')"
