#!/usr/bin/env bash
# test_orch_topk.sh — PARENT=topk:K (tools/orch/parents.h) end to end on a
# scratch repository, with the cmd: test agent (agents/agent.sh) and the fake
# gates (evo-fake): bad PARENT specs refused before anything is done; the
# designs that passed every gate kept under refs/evo/<core>/passed/<id> and
# pruned to the top K; slot 2 starting from the runner-up and winning: an
# exact-tree merge on a linear core-<core>, the entry's parent_id, the
# prompt and the report naming the parent; a missing ref or a ref left by a
# killed run is not an error; PARENT=champion keeps no refs.
# Run from the repository root: bash test/orch/test_orch_topk.sh
set -u
source test/lib.sh
source test/orch/lib-orch.sh
orch_suite_init orch-topk
trap 'rm -rf "$T"' EXIT
R=$T/repo

evo() { # DIR ARGS...: evo-fake in DIR; output in $T/out, status in $RC
    local dir=$1
    shift
    (cd "$dir" && "$EVO" "$@") > "$T/out" 2>&1
    RC=$?
}
round() { # MODES PARENT [DIR]: one round, one slot per mode
    local k
    k=$(awk -F, '{ print NF }' <<<"$1")
    AGENT_MODES=$1 evo "${3:-$R}" next --target demo -k "$k" --agent "cmd:$AGENT" --parent "$2"
}
logfile() { git -C "${1:-$R}" show core-demo:cores/demo/experiments/log.jsonl; }
entry() { logfile | grep "\"id\":\"$1\""; }
slot_id() { # ROUND SLOT: the id of that slot's entry
    local l
    while IFS= read -r l; do
        [ "$(field "$l" round)" = "$1" ] && [ "$(field "$l" slot)" = "$2" ] && field "$l" id
    done < <(logfile)
}
refs() { git -C "${1:-$R}" for-each-ref --format='%(refname:lstrip=4)' refs/evo/demo/passed | sort | tr '\n' ' '; }
expect() { # NAME CONDITION-COMMAND...
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "check '$*' failed; evo said: $(tail -n 4 "$T/out" | tr '\n' ' ')"; fi
}

orch_repo "$R"

# --- bad specs: a clear error, nothing done -----------------------------------
for spec in topk:0 topk:x best topk: topk:2.5; do
    round improve "$spec"
    expect "parent: '$spec' is refused with a clear error (exit 2)" \
        bash -c "test $RC -eq 2 && grep -q \"bad value for --parent (PARENT=): '$spec'; use champion\" '$T/out'"
done
expect "parent: a refused spec creates nothing (no branch, no runs/)" \
    test -z "$(git -C "$R" branch --list core-demo)" -a ! -e "$R/runs"

# --- round 1: the regression that passed is kept under a ref ------------------
round improve,regress topk:2
R1S1=$(slot_id 1 1)
R1S2=$(slot_id 1 2)
expect "topk: round 1 runs (improve, regress)" test "$RC" -eq 0 -a -n "$R1S2"
expect "topk: the passed regression's commit is kept under refs/evo/demo/passed/<id>, the winner's is not" \
    test "$(refs)" = "$R1S2 "
expect "topk: the kept commit holds the design the entry measured" \
    test "$(git -C "$R" rev-parse "refs/evo/demo/passed/$R1S2:cores/demo/rtl")" = "$(field "$(entry "$R1S2")" rtl_tree)"
expect "topk: the kept design is not on core-demo" \
    bash -c "! git -C '$R' merge-base --is-ancestor refs/evo/demo/passed/$R1S2 core-demo"

# --- bad specs once a run exists: nothing changes ------------------------------
TIP=$(git -C "$R" rev-parse core-demo)
round improve topk:0
expect "parent: a refused spec leaves core-demo and the refs as they were" \
    test "$RC" -eq 2 -a "$(git -C "$R" rev-parse core-demo)" = "$TIP" -a "$(refs)" = "$R1S2 "

# --- round 2: slot 2 starts from the runner-up and wins -----------------------
TEST_TREE=$(git -C "$R" rev-parse "refs/evo/demo/passed/$R1S2:cores/demo/test")
round regress,big topk:2
R2S1=$(slot_id 2 1)
R2S2=$(slot_id 2 2)
W=$(entry "$R2S2")
expect "topk: round 2 runs" test "$RC" -eq 0 -a -n "$R2S2"
expect "topk: the progress names slot 2's parent" grep -q "s2/2\] parent: $R1S2 (2250.0 it/s), not the champion" "$T/out"
expect "topk: slot 2 from the runner-up (2250 it/s x 1.5) wins against the champion (3000 it/s)" \
    test "$(field "$W" outcome)" = improvement -a "$(field "$W" fitness)" = 3375.0
expect "topk: the winner's entry records its parent (parent_id)" test "$(field "$W" parent_id)" = "$R1S2"
expect "topk: slot 1 (from the champion) has no parent_id" test -z "$(field "$(entry "$R2S1")" parent_id)"
expect "topk: the entry's parent is the commit slot 2 started from, holding the runner-up's design" \
    test "$(git -C "$R" rev-parse "$(field "$W" parent):cores/demo/rtl")" = "$(field "$(entry "$R1S2")" rtl_tree)"
expect "topk: the prompts say the parent is not the champion and give its figures" \
    bash -c "grep -q '^Parent design: $R1S2\$' '$(field "$W" rundir)/prompt-hypothesis.md' &&
             grep -q 'does NOT start from the champion' '$(field "$W" rundir)/prompt-implement.md' &&
             grep -q 'Its figures: fitness 2250.0 it/s' '$(field "$W" rundir)/prompt-hypothesis.md'"
expect "topk: slot 1's prompt names no parent" \
    bash -c "! grep -q 'Parent design' '$(field "$(entry "$R2S1")" rundir)/prompt-hypothesis.md'"
expect "merge: core-demo stays linear (no commit with two parents)" \
    test -z "$(git -C "$R" rev-list --min-parents=2 main..core-demo)"
MERGE=$(git -C "$R" log --format=%H --grep="^$R2S2: " core-demo)
expect "merge: the winner is one commit on the previous tip, with its record" \
    test "$(git -C "$R" show --name-only --format= "$MERGE" | sort | tr '\n' ' ')" = \
         "cores/demo/LESSONS.md cores/demo/core.yaml cores/demo/experiments/hypotheses/$R2S2.yaml cores/demo/experiments/log.jsonl cores/demo/rtl/core.sv "
expect "merge: the tip's rtl tree is exactly the winner's" \
    test "$(git -C "$R" rev-parse core-demo:cores/demo/rtl)" = "$(field "$W" rtl_tree)"
expect "merge: the tip's test tree is exactly the winner's" \
    test "$(git -C "$R" rev-parse core-demo:cores/demo/test)" = "$TEST_TREE"
expect "merge: the design is the runner-up's x1.5, not a mix with the champion's" \
    grep -q '^// fake: fmax=67.5000 ' <(git -C "$R" show core-demo:cores/demo/rtl/core.sv)
expect "merge: git fsck is clean" git -C "$R" fsck --no-progress --no-dangling
expect "merge: core.yaml current: names the winner" grep -q "id: $R2S2" <(git -C "$R" show core-demo:cores/demo/core.yaml)
evo "$R" report --target demo
expect "report: shows the winner's parent when it is not the previous champion" \
    grep -q "parent: $R1S2 (not the previous champion)" "$T/out"
expect "report: a winner from the champion shows none" test "$(grep -c 'parent: ' "$T/out")" -eq 1
evo "$R" pr --target demo --out "$T/pr.md"
expect "pr: the summary names the parent" grep -q "from the design of \`$R1S2\`" "$T/pr.md"

# --- pruning to K --------------------------------------------------------------
expect "prune: after round 2 only the top K's designs keep a ref (K=2: the champion and $R2S1)" \
    test "$(refs)" = "$R2S1 "
round regress,same,regress topk:3
R3S1=$(slot_id 3 1)
R3S2=$(slot_id 3 2)
expect "prune: round 3 with K=3 runs" test "$RC" -eq 0 -a -n "$R3S2"
expect "prune: slot 3 of round 3 starts from the runner-up, slot 2 from the champion" \
    bash -c "grep -q 's3/3\] parent: $R2S1 ' '$T/out' && ! grep -q 's2/3\] parent: ' '$T/out'"
expect "prune: the refs are the K-1 best regressions, the worse ones pruned" \
    test "$(refs)" = "$(printf '%s\n' "$R3S1" "$R3S2" | sort | tr '\n' ' ')"

# --- a missing ref is not an error; a ref of an unlogged id is pruned ----------
git -C "$R" update-ref -d "refs/evo/demo/passed/$R3S2"
git -C "$R" update-ref refs/evo/demo/passed/demo-r099-s1-dead "$(git -C "$R" rev-parse main)"
round regress,regress topk:3
expect "resume: a top-K design without its ref is not offered, and the round runs" \
    bash -c "test $RC -eq 0 && grep -q 'not offered: $R3S2 (its ref is missing)' '$T/out'"
expect "resume: slot 2 starts from the design that still has its ref" grep -q "s2/2\] parent: $R3S1 " "$T/out"
expect "resume: a ref left by a killed run (an id not in the log) is pruned" \
    test -z "$(git -C "$R" for-each-ref refs/evo/demo/passed/demo-r099-s1-dead)"

# --- PARENT=champion (the default) keeps no refs --------------------------------
R2=$T/repo2
orch_repo "$R2"
round improve,regress champion "$R2"
expect "champion: PARENT=champion runs and keeps no ref" test "$RC" -eq 0 -a -z "$(refs "$R2")"
expect "champion: no entry has a parent_id" bash -c "! grep -q parent_id <(git -C '$R2' show core-demo:cores/demo/experiments/log.jsonl)"
exit 0
