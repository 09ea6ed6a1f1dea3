#!/usr/bin/env bash
# bench-slurm.sh EVO_FAKE — the slurm executor's cost per gate: the median
# wall time of one trivial gate (the fake coremark: no tool, no work) run as
# `<evo-fake> gate` directly and as an `srun` job on a private one-node
# cluster (slurm-up.sh), over several runs; then a whole round of K=4 slots
# (fake gates that each take BENCH_GATE_S=10 s; 36 Slurm jobs: lint and synth
# of each slot as gate jobs, formal's two proofs, the three P&R seeds and
# cosim's two batches as tool jobs, as formal, pnr, cosim and coremark
# themselves run in evo) through
# the loop locally and with EXECUTOR=slurm, median of ROUNDS_N rounds each.
# Prints "per-job overhead: N s" (srun median minus local median),
# "round K=4: local N s, slurm N s (+P%)" and "squeue calls per minute: N"
# over the Slurm rounds (a wrapper counts them). The cluster advertises 16 CPUs
# and the local run gets --cores 16, so both may run every gate at once.
# Last, the real cosim gate on the baseline, here and with its model build
# and eight program batches as jobs: "real cosim gate ...: local N s, slurm N s".
set -u
EVO=$(realpath "${1:?usage: bench-slurm.sh EVO_FAKE}")
GET="$(dirname "$EVO")/cosimctl" # `cosimctl get FILE KEY` prints a JSON value
HERE=$(cd "$(dirname "$0")" && pwd)
source test/orch/lib-orch.sh
T=$(mktemp -d /tmp/evo-bench-slurm.XXXXXX)
trap 'bash "$HERE/slurm-down.sh" "$T/cluster"; rm -rf "$T"' EXIT
up=$(SLURM_UP_CPUS=16 bash "$HERE/slurm-up.sh" "$T/cluster") || { echo "bench-slurm: no private cluster (slurm-up.sh failed)"; exit 1; }
export "$up"
PATH=$PATH:/usr/sbin
orch_repo "$T/repo" >/dev/null
cd "$T/repo" || exit 1
# the coremark gate's prior: the fake cosim and P&R gates' own results (their
# format follows the real gates', workload set included)
for g in cosim pnr; do
    "$EVO" gate "$g" --core demo --rundir "$T/prior-$g" --json "$T/$g.json" >/dev/null 2>&1 ||
        { echo "bench-slurm: the fake $g gate failed (see $T/prior-$g)"; exit 1; }
done
printf '{"cosim": %s, "pnr": %s}\n' "$("$GET" get "$T/cosim.json" cosim)" "$("$GET" get "$T/pnr.json" pnr)" > "$T/prior.json"
args=(gate coremark --core demo --rundir "$T/run" --prior "$T/prior.json" --json "$T/out.json")
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_one() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
runs=${RUNS_N:-7}
"$EVO" "${args[@]}" > "$T/check" 2>&1 || { echo "bench-slurm: the gate does not pass: $(cat "$T/check")"; exit 1; }
for _ in $(seq 1 "$runs"); do time_one "$EVO" "${args[@]}"; done | median > "$T/local"
for _ in $(seq 1 "$runs"); do time_one srun --quiet --ntasks=1 --cpus-per-task=1 --mem=64 --time=1 \
    --chdir="$T/repo" --job-name=evo-bench "$EVO" "${args[@]}"; done | median > "$T/srun"
printf 'local gate: median %.3f s; as an srun job: median %.3f s (%d runs each)\n' "$(cat "$T/local")" "$(cat "$T/srun")" "$runs"
printf 'per-job overhead: %.2f s\n' "$(echo "$(cat "$T/srun") - $(cat "$T/local")" | bc -l)"

# A round of K=4 through the loop, each on a repository whose first
# measurement is done; the round's wall time is what a user waits for.
AGENT=$(realpath "$OLDPWD/test/orch/agents/agent.sh")
round_s() { # EXTRA_ARGS...: seconds of one `next -k 4` round
    orch_repo "$T/r" >/dev/null
    (cd "$T/r" && "$EVO" next --target demo -k 1 --agent "cmd:$AGENT" --cores 16 "$@") >/dev/null 2>&1
    local t0 t1
    t0=$(date +%s.%N)
    (cd "$T/r" && AGENT_MODES=improve,regress,same,improve EVO_FAKE_SLEEP=$gate_s "$EVO" next --target demo -k 4 \
        --agent "cmd:$AGENT" --cores 16 --no-cache "$@") > "$T/round.out" 2>&1 ||
        { echo "bench-slurm: the round failed: $(tail -n 3 "$T/round.out")" >&2; return 1; }
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
rounds=${ROUNDS_N:-3}
gate_s=${BENCH_GATE_S:-10}
for _ in $(seq 1 "$rounds"); do round_s; done | median > "$T/rl"
# The Slurm rounds' squeue calls (watchers' polls, sweeps, drains, reapers),
# counted by a wrapper first in PATH.
mkdir -p "$T/wrap"
printf '#!/bin/sh\necho >> "%s"\nexec "%s" "$@"\n' "$T/squeue.calls" "$(command -v squeue)" > "$T/wrap/squeue"
chmod +x "$T/wrap/squeue"
: > "$T/squeue.calls"
s0=$(date +%s.%N)
(PATH=$T/wrap:$PATH; for _ in $(seq 1 "$rounds"); do round_s --executor slurm; done) | median > "$T/rs"
s1=$(date +%s.%N)
printf "round K=4 (per slot: lint and synth as gate jobs, formal's two fake proofs, the three P&R seeds and cosim's two batches as tool jobs; fake gates of $gate_s s): local %.1f s, slurm %.1f s (%+.1f%%), per slot %+.2f s (median of %d rounds)\n" \
    "$(cat "$T/rl")" "$(cat "$T/rs")" "$(echo "($(cat "$T/rs") / $(cat "$T/rl") - 1) * 100" | bc -l)" \
    "$(echo "($(cat "$T/rs") - $(cat "$T/rl")) / 4" | bc -l)" "$rounds"
calls=$(wc -l < "$T/squeue.calls")
printf 'squeue calls per minute: %.0f (%d calls in the %.0f s of the Slurm rounds, each with its first measurement)\n' \
    "$(echo "$calls * 60 / ($s1 - $s0)" | bc -l)" "$calls" "$(echo "$s1 - $s0" | bc -l)"

# The real cosim gate on the baseline as the loop runs it (full mode, fresh
# seeds pinned, models cached by a first run): here, with its batches as
# processes on this host's cores, and with each batch a one-CPU Slurm job
# (gate_on_slurm, as the loop does under EXECUTOR=slurm).
B=$(dirname "$(dirname "$EVO")")
ROOT=$OLDPWD
if [ -x "$B/bin/gate_on_slurm" ] && [ -x "$B/bin/evo" ] && [ -e "$B/bench/workload.elf" ] && command -v verilator >/dev/null; then
    cosim_s() { # local|slurm: seconds of one cosim gate
        local t0 t1
        t0=$(date +%s.%N)
        if [ "$1" = local ]; then
            (cd "$ROOT" && COSIM_SEED=4242 "$GET" cosim --core baseline --rundir "$T/cl" > "$T/cl.json" 2>/dev/null)
        else
            (cd "$ROOT" && COSIM_SEED=4242 "$B/bin/gate_on_slurm" --gate cosim --exe "$B/bin/evo" --core baseline \
                --tree "$ROOT" --rundir "$T/cs" --build "$B" > "$T/cs.json" 2>/dev/null)
        fi
        t1=$(date +%s.%N)
        echo "$t1 - $t0" | bc -l
    }
    cosim_s local >/dev/null
    for _ in $(seq 1 "$rounds"); do cosim_s local; done | median > "$T/cl.s"
    for _ in $(seq 1 "$rounds"); do cosim_s slurm; done | median > "$T/cs.s"
    same=$(for f in "$T/cl.json" "$T/cs.json"; do "$GET" get "$f" fitness.cycles; "$GET" get "$f" runs.passed; done | paste -sd' ')
    printf 'real cosim gate (baseline, full: %s runs, 8 batch jobs): local %.1f s, slurm %.1f s (median of %d; cycles and passes local/slurm: %s)\n' \
        "$("$GET" get "$T/cs.json" runs.total)" "$(cat "$T/cl.s")" "$(cat "$T/cs.s")" "$rounds" "$same"
else
    echo "real cosim gate: skipped (make test-prereqs builds gate_on_slurm, evo and the bench ELFs)"
fi
