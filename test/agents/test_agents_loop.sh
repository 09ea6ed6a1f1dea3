#!/usr/bin/env bash
# test_agents_loop.sh — the builtin agent inside the real loop (evo on the
# fake gates, test/orch) on a scratch repository whose core declares two
# knobs: 3 single moves and 2 pairs reachable from the first champion. Four
# rounds of two slots must try each of the five moves once, never the same
# move twice from one champion, two different moves per round, and then say
# that the design space is exhausted. SKIP while the orchestrator's provider
# table does not register the builtin agent yet.
set -u
. test/lib.sh
BUILD=${BUILD:-build}
evo=$BUILD/bin/evo-fake
if [ ! -x "$evo" ]; then
    t_skip agents_loop "$evo is not built (make $evo)"
    exit 0
fi
if ! command -v git >/dev/null 2>&1; then
    t_skip agents_loop "git is not installed (the scratch repository needs it)"
    exit 0
fi
evo=$(cd "$(dirname "$evo")" && pwd)/$(basename "$evo")
ORCH_SRC=$(pwd)
. test/orch/lib-orch.sh

tmp=$(mktemp -d /tmp/agents-loop.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
orch_repo "$repo" >/dev/null
cat >> "$repo/cores/demo/core.yaml" <<'YAML'
knobs:
  - name: FAST
    file: rtl/core.sv
    parameter: FAST
    values: [0, 1]
    default: 0
    tradeoff: fewer cycles, more LUTs
  - name: WIDE
    file: rtl/core.sv
    parameter: WIDE
    values: [0, 1, 2]
    default: 0
    tradeoff: shorter path and more LUTs
YAML
sed -i 's/^);$/);\n    parameter FAST = 0;\n    parameter WIDE = 0;/' "$repo/cores/demo/rtl/core.sv"
orch_git -C "$repo" commit -qam "knobs"

out=$tmp/out
(cd "$repo" && timeout 600 "$evo" loop --target demo -n 4 -k 2 --agent builtin --repo "$repo") >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    t_fail agents_loop_runs "evo-fake loop exited $rc: $(tail -n 5 "$out" | tr '\n' ' ')"
    exit 0
fi
t_pass agents_loop_runs

log=$(git -C "$repo" show core-demo:cores/demo/experiments/log.jsonl 2>/dev/null)
# One line per slot: "<round> <slot> <outcome> <gate> <knobs as k=v,...>"
rows=$(printf '%s\n' "$log" | python3 -c '
import json, sys
for line in sys.stdin:
    if not line.strip():
        continue
    e = json.loads(line)
    h = e.get("hypothesis") or {}
    k = ",".join("%s=%s" % kv for kv in sorted((h.get("knobs") or {}).items()))
    print(e["round"], e["slot"], e["outcome"], e["failed_gate"] or "-", k or "-")
' 2>&1)
nrows=$(printf '%s\n' "$rows" | grep -c .)
# 9 entries (round 0 + 4x2); fewer when the loop stops at the exhaustion.
if [ "$nrows" -ge 6 ] && [ "$nrows" -le 9 ]; then t_pass agents_loop_logs_every_slot
else t_fail agents_loop_logs_every_slot "expected 6 to 9 log entries, got $nrows: $rows"; fi

moves=$(printf '%s\n' "$rows" | awk '$1 > 0 && $5 != "-" { print $5 }')
distinct=$(printf '%s\n' "$moves" | sort -u | grep -c .)
total=$(printf '%s\n' "$moves" | grep -c .)
want="FAST=1
FAST=1,WIDE=1
FAST=1,WIDE=2
WIDE=1
WIDE=2"
if [ "$distinct" -eq "$total" ] && [ "$(printf '%s\n' "$moves" | sort -u)" = "$want" ]; then
    t_pass agents_loop_each_move_once
else
    t_fail agents_loop_each_move_once "moves tried: $(printf '%s ' $moves)"
fi
# Singles come before pairs.
first_pair=$(printf '%s\n' "$rows" | awk '$1 > 0 && $5 ~ /,/ { print $1; exit }')
last_single=$(printf '%s\n' "$rows" | awk '$1 > 0 && $5 != "-" && $5 !~ /,/ { r = $1 } END { print r }')
if [ -n "$first_pair" ] && [ -n "$last_single" ] && [ "$first_pair" -ge "$last_single" ]; then
    t_pass agents_loop_singles_before_pairs
else
    t_fail agents_loop_singles_before_pairs "first pair in round '$first_pair', last single in round '$last_single'"
fi
if printf '%s\n' "$log" | cat - "$out" | grep -q "design space exhausted from champion demo-r000-s0-"; then
    t_pass agents_loop_reports_exhaustion
else
    t_fail agents_loop_reports_exhaustion "no 'design space exhausted' in the log or the output: $(printf '%s\n' "$rows" | tr '\n' ';')"
fi

# The core's branch carries the schemas of the day it was forked; the loop
# writes entries its own (newer) schema allows. The builtin agent must read
# the log against the loop's schema, not the branch's older copy (a v1 loop
# once broke every slot this way).
wt=$repo/.worktrees/demo
python3 - "$wt/schemas/log_entry.schema.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
del s["properties"]["cpi_profile"]
json.dump(s, open(p, "w"), indent=2)
PY
orch_git -C "$wt" commit -qam "an older log schema, without cpi_profile"
if ! printf '%s\n' "$log" | grep -q '"cpi_profile"'; then
    t_fail agents_loop_branch_schema "the fake gates wrote no cpi_profile, so the check below proves nothing"
else
    (cd "$repo" && timeout 300 "$evo" next --target demo -k 1 --agent builtin --repo "$repo") >"$out" 2>&1
    if grep -q "does not match log_entry.schema.json" "$out" "$repo"/runs/demo/*/agent-hypothesis.log 2>/dev/null; then
        t_fail agents_loop_branch_schema "the builtin agent read the log against the branch's old schema: $(grep -h 'does not match' "$out" "$repo"/runs/demo/*/agent-hypothesis.log | head -n 1)"
    elif grep -q "design space exhausted" "$out"; then
        t_pass agents_loop_branch_schema
    else
        t_fail agents_loop_branch_schema "no exhaustion message: $(tail -n 3 "$out" | tr '\n' ' ')"
    fi
fi
exit 0
