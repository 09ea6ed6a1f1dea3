#!/usr/bin/env bash
# bench-orch.sh EVO_FAKE — the orchestrator's own cost per slot: worktree
# creation, prompts, hypothesis check, guard, commit of the agent's work,
# sandbox, bookkeeping commits, chart and clean-up; the agents (a trivial
# cmd: script) and the gates (fake, instantaneous) are measured apart and
# excluded. Scratch repository: 300 commits of history, ~350 files.
# Prints the median over every slot of 3 runs of 4 rounds x 2 slots; the
# target is under 1 s. Run from the repository root (make bench-orch).
set -eu
EVO=$(realpath "$1")
AGENT=$(realpath test/orch/agents/agent.sh)
source test/orch/lib-orch.sh
T=$(mktemp -d /tmp/evo-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/repo
echo "bench-orch: building a scratch repository with 300 commits..."
orch_repo "$R" 300
mkdir -p "$R/tools/bulk"
for i in $(seq 300); do printf 'int bulk%d;\n' "$i" > "$R/tools/bulk/f$i.c"; done
orch_git -C "$R" add -A
orch_git -C "$R" commit -qm "bulk files"
echo "bench-orch: $(git -C "$R" rev-list --count main) commits, $(git -C "$R" ls-files | wc -l) files"
for run in 1 2 3; do
    (cd "$R" && AGENT_MODES=improve,regress "$EVO" loop --target demo -n 4 -k 2 --agent "cmd:$AGENT") > "$T/run$run.out" 2>&1 ||
        { echo "bench-orch: run $run failed:"; tail -n 20 "$T/run$run.out"; exit 1; }
    grep 'orchestrator overhead per slot' "$T/run$run.out" | sed "s/^/run $run: /"
done
# every slot's own measurement (wall - agent - gates, bookkeeping included)
sed -n 's/.*"overhead_s": \([0-9.]*\).*/\1/p' "$R"/runs/demo/*/timing.json | sort -n > "$T/all"
n=$(wc -l < "$T/all")
median=$(awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }' "$T/all")
printf 'bench-orch: orchestrator overhead per slot over %d slots: median %.3f s (min %.3f, max %.3f); target < 1 s: %s\n' \
    "$n" "$median" "$(head -n1 "$T/all")" "$(tail -n1 "$T/all")" \
    "$(awk -v m="$median" 'BEGIN { print (m < 1.0) ? "met" : "NOT met" }')"
