#!/usr/bin/env bash
# crash.sh — crash injection: real rounds of the loop (evo-fake: the fake
# gates, the cmd: agent test/crash/agent.sh, K=2 slots) on a scratch
# repository, each killed with SIGKILL at a chosen moment, then checked:
#   - git fsck is clean; main has not moved and its checkout is clean;
#   - core-demo's log.jsonl validates (build/bin/validate, schemas/), keeps
#     every byte it had before the run, holds unique ids and whole rounds
#     (round 0, then rounds 1.. each with slots 1..K: no slot lost or
#     counted twice), one lesson per line, each slot's hypothesis file;
#     the tip's rtl tree is the one the champion was measured on, core.yaml
#     current: names the champion, and the tip's design passes lint;
#   - no process of the run outlives it;
#   - the next run succeeds, says "recovered" when the kill left a slot
#     behind, and leaves no slot branch, worktree, exported tree, agent home,
#     git lock file or held evo lock; the core worktree is at the tip.
# Kill moments: first one per named phase (CRASH_PHASES, default all below),
# then random delays within a round, drawn from $RANDOM seeded with SEED.
#   round0                     the first run of a new core, in its round-0
#                              measurement (cosim held); only as the first phase
#   hypothesis implement       the agent, held in that phase (agent.sh)
#   reflock                    implement, and then the lock files a kill inside a
#                              git write leaves (a slot branch's, core-demo's and
#                              its worktree's index.lock) are planted
#   lint synth formal cosim pnr coremark   that fake gate, held (EVO_FAKE_SLEEP_<GATE>)
#   merge merged record recorded publish cleanup cleaned sync
#                              evo-fake's named pauses (test/orch/crashpoints.c):
#                              before/after the winner's merge commit, a log
#                              commit, the branch update, a slot's removal, and
#                              before the core worktree's sync
#   overlay overlaid keep kept prune pruned
#                              with CRASH_PARENT=topk:K (every round runs with
#                              PARENT=topk:K; CRASH_MODES= sets the agent's
#                              modes): a slot's start from another design or
#                              such a winner's commit, a kept design's ref, its
#                              pruning
# One PASS/FAIL line per kill (test/unit/check.h protocol), then
# "N kills, N consistent"; exit 1 on any inconsistency.
# Usage, from the repository root: bash test/crash/crash.sh [KILLS [SEED]]
# (also KILLS=, SEED=, CRASH_PHASES= in the environment; make crash-test).
set -u
source test/lib.sh
source test/orch/lib-orch.sh
BUILD=${BUILD:-build}
KILLS=${1:-${KILLS:-20}}
SEED=${2:-${SEED:-$((RANDOM * 32768 + RANDOM))}}
read -ra PHASES <<<"${CRASH_PHASES:-round0 hypothesis implement reflock lint synth formal cosim pnr coremark merge merged record recorded publish cleanup cleaned sync}"
K=2
EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
VALIDATE=$(realpath "$BUILD/bin/validate" 2>/dev/null)
for need in "$EVO" "$VALIDATE"; do
    if [ -z "$need" ] || [ ! -x "$need" ]; then
        t_skip crash "$BUILD/bin/evo-fake or $BUILD/bin/validate is not built (make $BUILD/bin/evo-fake)"
        exit 0
    fi
done
for tool in git jq flock; do
    command -v "$tool" >/dev/null || { t_skip crash "$tool is missing (make setup)"; exit 0; }
done

T=$(mktemp -d /tmp/evo-crash.XXXXXX)
EVO_PID=
trap '[ -n "$EVO_PID" ] && kill -9 "$EVO_PID" 2>/dev/null; rm -rf "$T"' EXIT
R=$T/repo
# One self-contained agent file (test/crash/agent.sh says why).
AGENT=$T/agent.sh
{ cat test/crash/agent.sh; tail -n +2 test/orch/agents/agent.sh; } > "$AGENT" && chmod +x "$AGENT"
RANDOM=$SEED
# Held agents and gates sleep this long: a number unique to this campaign,
# so that pgrep finds a sleep that outlived its evo.
HOLD_S=$((700 + SEED % 200)).$$
export AGENT_MODES=${CRASH_MODES:-improve,regress} EVO_FAKE_SLEEP=0.05 EVO_FAKE_LOG=$T/gates.log
# CRASH_PARENT=topk:K: every round runs with PARENT=topk:K (tools/orch/parents.h).
PARENT_ARGS=()
[ -n "${CRASH_PARENT:-}" ] && PARENT_ARGS=(--parent "$CRASH_PARENT")

run_next() { # OUT ENV...: one round in the foreground; status in RC
    local out=$1
    shift
    (cd "$R" && exec env "$@" "$EVO" next --target demo -k "$K" --agent "cmd:$AGENT" "${PARENT_ARGS[@]}") > "$out" 2>&1
    RC=$?
}
start_next() { # ENV...: one round in the background (EVO_PID)
    (cd "$R" && exec env "$@" "$EVO" next --target demo -k "$K" --agent "cmd:$AGENT" "${PARENT_ARGS[@]}") > "$T/killed.out" 2>&1 &
    EVO_PID=$!
}
now_ms() { local t=${EPOCHREALTIME/./}; echo "${t:0:-3}"; }
wait_for() { # SECONDS CMD...: until CMD succeeds (0) or the time is up (1)
    local until=$(($(now_ms) + $1 * 1000))
    shift
    while [ "$(now_ms)" -lt "$until" ]; do
        "$@" && return 0
        # evo ended by itself: what it left is final.
        [ -z "$EVO_PID" ] || kill -0 "$EVO_PID" 2>/dev/null || { "$@"; return; }
        sleep 0.05
    done
    return 1
}
held_agent() { find "$R/runs/demo" -name "agent-$1.log" -newer "$T/stamp" -exec grep -qs "crash hold: $1" {} \; -print 2>/dev/null | grep -q .; }
held_gate() { grep -qs "^$1 " "$T/gates.log"; }
held_point() { grep -qs "^$1 " "$T/pause"; }

logof() { git -C "$R" show "core-demo:cores/demo/experiments/log.jsonl" 2>/dev/null; }
# Our processes: a held sleep, or anything whose cwd or command line is in
# the scratch directory (evo, bwrap, agents, gates).
our_procs() {
    local p
    pgrep -f "sleep $HOLD_S" 2>/dev/null
    for p in $(pgrep -f "$T" 2>/dev/null) $(pgrep -f "$EVO" 2>/dev/null); do
        [ "$p" = "$$" ] && continue
        case "$(readlink "/proc/$p/cwd" 2>/dev/null) $({ tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null)" in
            *"$T"*) echo "$p" ;;
        esac
    done
}
no_procs() { [ -z "$(our_procs)" ]; }
slot_leftovers() { # what a kill left of slots: branches, worktrees, directories
    {
        git -C "$R" branch --list 'slot/*'
        git -C "$R" worktree list --porcelain | grep '^worktree .*/\.slots/'
        ls -A "$R/.worktrees/.slots" 2>/dev/null
    } | tr -d ' *+' | tr '\n' ' '
}

PROBS=()
prob() { PROBS+=("$*"); }

# The state any moment must be in, killed or not.
check_repo() {
    local what=$1 fs tip tree champ cid n
    fs=$(git -C "$R" fsck --no-progress --no-dangling 2>&1) || prob "$what: git fsck failed: $(head -c 300 <<<"$fs")"
    grep -qiE 'error|missing|broken|corrupt' <<<"$fs" && prob "$what: git fsck reports: $(head -c 300 <<<"$fs")"
    [ "$(git -C "$R" rev-parse main)" = "$MAIN0" ] || prob "$what: main moved"
    [ -z "$(git -C "$R" status --porcelain)" ] || prob "$what: the main checkout is not clean"
    tip=$(git -C "$R" rev-parse -q --verify core-demo)
    logof > "$T/log.jsonl"
    if [ -z "$tip" ] || [ ! -s "$T/log.jsonl" ]; then
        # Only a first run killed before its round 0 was recorded leaves this.
        if [ -s "$T/log.before" ] || { [ -n "$tip" ] && [ "$tip" != "$MAIN0" ]; }; then
            prob "$what: core-demo ($tip) has no log but is not main's commit"
        fi
        return
    fi
    "$VALIDATE" "$R/schemas/log_entry.schema.json" "$T/log.jsonl" > "$T/validate.out" 2>&1 ||
        prob "$what: log.jsonl does not validate: $(head -c 300 "$T/validate.out")"
    cmp -s "$T/log.before" <(head -c "$(wc -c < "$T/log.before")" "$T/log.jsonl") ||
        prob "$what: log.jsonl lost or changed bytes it had before the run"
    # Whole rounds, unique ids: round 0 slot 0, then rounds 1..max with slots 1..K.
    local got want
    got=$(jq -r '"\(.round) \(.slot)"' "$T/log.jsonl" | sort -n -k1,1 -k2,2 | tr '\n' ' ')
    want=$(awk -v k="$K" -v m="$(jq -r .round "$T/log.jsonl" | sort -n | tail -n1)" \
        'BEGIN { printf "0 0 "; for (r = 1; r <= m; r++) for (s = 1; s <= k; s++) printf "%d %d ", r, s }')
    [ "$got" = "$want" ] || prob "$what: rounds/slots in the log are not whole and unique: got '$got', want '$want'"
    n=$(wc -l < "$T/log.jsonl")
    [ "$(jq -r .id "$T/log.jsonl" | sort -u | wc -l)" -eq "$n" ] || prob "$what: an id appears twice in the log"
    [ "$(git -C "$R" show core-demo:cores/demo/LESSONS.md | grep -c '^- ')" -eq "$n" ] ||
        prob "$what: LESSONS.md does not have one line per log line ($n)"
    local nohyp
    nohyp=$(comm -23 <(jq -r 'select(.round > 0) | .id + ".yaml"' "$T/log.jsonl" | sort) \
        <(git -C "$R" ls-tree --name-only core-demo cores/demo/experiments/hypotheses/ | xargs -rn1 basename | sort))
    [ -z "$nohyp" ] || prob "$what: hypothesis files missing on core-demo: $(tr '\n' ' ' <<<"$nohyp")"
    champ=$(jq -c 'select(.outcome == "improvement")' "$T/log.jsonl" | tail -n1)
    cid=$(jq -r .id <<<"$champ")
    tree=$(git -C "$R" rev-parse core-demo:cores/demo/rtl)
    [ "$(jq -r .rtl_tree <<<"$champ")" = "$tree" ] ||
        prob "$what: the tip's rtl tree is not the one the champion $cid was measured on"
    git -C "$R" show core-demo:cores/demo/core.yaml | grep -q "id: $cid" ||
        prob "$what: core.yaml current: does not name the champion $cid"
    rm -rf "$T/export" "$T/lint"
    mkdir -p "$T/export" "$T/lint"
    git -C "$R" archive core-demo | tar -x -C "$T/export"
    "$EVO" gate lint --core demo --tree "$T/export" --rundir "$T/lint" > "$T/lint.out" 2>&1 ||
        prob "$what: the tip's design does not pass lint: $(tail -n 2 "$T/lint.out" | tr '\n' ' ')"
}

# After a finished run: nothing of any slot or run is left.
check_clean() {
    local what=$1 locks
    orch_no_slots_left "$R" 2 || prob "$what: slot branches or worktrees left: $(slot_leftovers)"
    [ -z "$(ls -A "$R/runs/demo/.evo/trees" 2>/dev/null)" ] ||
        prob "$what: exported trees left in runs/demo/.evo/trees: $(ls "$R/runs/demo/.evo/trees" | tr '\n' ' ')"
    [ -z "$(ls -A "$R/runs/demo/.evo/homes" 2>/dev/null)" ] || prob "$what: agent homes left in runs/demo/.evo/homes"
    locks=$(find "$R/.git" "$R/.worktrees" -name '*.lock' ! -name 'evo-*.lock' 2>/dev/null | tr '\n' ' ')
    [ -z "$locks" ] || prob "$what: git lock files left: $locks"
    flock -n "$R/.git/evo-demo.lock" true || prob "$what: the evo lock of demo is still held"
    [ "$(git -C "$R/.worktrees/demo" rev-parse HEAD)" = "$(git -C "$R" rev-parse core-demo)" ] &&
        [ -z "$(git -C "$R/.worktrees/demo" status --porcelain)" ] || prob "$what: the core worktree is not at the tip"
    no_procs || prob "$what: processes left: $(our_procs | xargs -r ps -o pid=,args= -p | head -c 300)"
    check_passed_refs "$what"
}

# PARENT=topk:K, after a finished run: at most K-1 refs of passed designs,
# each naming a regression of the log and holding the design it measured.
check_passed_refs() {
    local what=$1 id n=0 tree
    [ -n "${CRASH_PARENT:-}" ] || return 0
    logof > "$T/log.jsonl"
    for id in $(git -C "$R" for-each-ref --format='%(refname:lstrip=4)' refs/evo/demo/passed); do
        n=$((n + 1))
        tree=$(jq -r "select(.id == \"$id\" and .outcome == \"regression\") | .rtl_tree" "$T/log.jsonl")
        [ -n "$tree" ] || { prob "$what: refs/evo/demo/passed/$id names no regression of the log"; continue; }
        [ "$(git -C "$R" rev-parse "refs/evo/demo/passed/$id:cores/demo/rtl")" = "$tree" ] ||
            prob "$what: refs/evo/demo/passed/$id does not hold the design $id measured"
    done
    [ "$n" -lt "${CRASH_PARENT#topk:}" ] || prob "$what: $n refs of passed designs with $CRASH_PARENT"
}

echo "crash campaign: $KILLS kills, seed $SEED (SEED=$SEED reproduces the random delays)"

# --- set-up: round 0 and round 1 (unless round0 is the first kill), timed to
# size the random delays -------------------------------------------------------
orch_repo "$R" > /dev/null
MAIN0=$(git -C "$R" rev-parse main)
: > "$T/log.before"
ROUND_MS=4000
RC=0
PROBS=()
if [ "${PHASES[0]}" != round0 ]; then
    t0=$(now_ms)
    run_next "$T/setup.out"
    ROUND_MS=$((($(now_ms) - t0) / 2))
    if [ "$RC" -ne 0 ]; then
        t_fail "crash: set-up rounds" "evo next exited $RC: $(tail -n 3 "$T/setup.out" | tr '\n' ' ')"
        exit 1
    fi
    check_repo set-up
    check_clean set-up
fi
if [ "${#PROBS[@]}" -gt 0 ]; then
    t_fail "crash: set-up rounds are consistent" "${PROBS[*]}"
    exit 1
fi

consistent=0
for ((i = 1; i <= KILLS; i++)); do
    if [ "$i" -le "${#PHASES[@]}" ]; then phase=${PHASES[$((i - 1))]}; else phase=random; fi
    PROBS=()
    logof > "$T/log.before"
    rm -f "$T/pause" "$T/gates.log"
    touch "$T/stamp"
    sleep 0.01
    case $phase in
        hypothesis|implement|reflock)
            hold=${phase/reflock/implement}
            start_next CRASH_HOLD="$hold" CRASH_HOLD_S="$HOLD_S"
            wait_for 60 held_agent "$hold" || prob "the agent's $hold phase was never reached" ;;
        round0)
            [ "$i" -eq 1 ] || { t_fail "crash: kill $i" "round0 can only be the first phase"; exit 1; }
            start_next EVO_FAKE_SLEEP_COSIM="$HOLD_S"
            wait_for 60 held_gate cosim || prob "round 0's cosim was never reached" ;;
        lint|synth|formal|cosim|pnr|coremark)
            start_next "EVO_FAKE_SLEEP_${phase^^}=$HOLD_S"
            wait_for 60 held_gate "$phase" || prob "gate $phase was never reached" ;;
        random)
            delay=$((RANDOM * 32768 + RANDOM))
            delay=$((delay % (ROUND_MS + 200)))
            start_next
            sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
            phase="random@${delay}ms" ;;
        *)
            start_next EVO_FAKE_PAUSE="$phase" EVO_FAKE_PAUSE_FILE="$T/pause"
            wait_for 60 held_point "$phase" || prob "point $phase was never reached" ;;
    esac
    last=$(grep '^\[' "$T/killed.out" | tail -n 1 | cut -c1-90)
    kill -9 "$EVO_PID" 2>/dev/null
    wait "$EVO_PID" 2>/dev/null
    EVO_PID=
    if [ "$phase" = reflock ]; then
        slot=$(git -C "$R" branch --list 'slot/*' | tr -d ' *+' | head -n1)
        for f in "refs/heads/$slot.lock" refs/heads/core-demo.lock worktrees/core-demo/index.lock; do
            [ -d "$(dirname "$R/.git/$f")" ] && : > "$R/.git/$f"
        done
    fi
    wait_for 3 no_procs || prob "after the kill: processes outlived evo: $(our_procs | xargs -r ps -o pid=,args= -p | head -c 300)"
    check_repo "after the kill"
    left=$(slot_leftovers)
    nleft=$(git -C "$R" branch --list 'slot/*' | wc -l)
    n0=$(wc -l < "$T/log.before")
    n1=$(logof | wc -l)
    moved=$((n1 > n0))
    # A round adds K lines; a first run also its round 0's one.
    case " $((n1 - n0)) " in
        " 0 " | " $K ") ;;
        " 1 " | " $((K + 1)) ") [ "$n0" -eq 0 ] || prob "after the kill: the log grew by $((n1 - n0)) lines" ;;
        *) prob "after the kill: the log grew by $((n1 - n0)) lines, not 0 or $K" ;;
    esac
    t0=$(now_ms)
    run_next "$T/next.out"
    ROUND_MS=$((($(now_ms) - t0) / (1 + (n1 == 0)))) # a first run also measures round 0
    if [ "$RC" -ne 0 ]; then
        prob "the next run failed ($RC): $(grep -v '^\[' "$T/next.out" | tail -n 3 | tr '\n' ' ')"
    elif [ -n "$left" ] && ! grep -q '^recovered: ' "$T/next.out"; then
        prob "the next run did not say it recovered what the kill left: $left"
    fi
    check_repo "after the next run"
    check_clean "after the next run"
    n2=$(logof | wc -l)
    want=$((K + (n1 == 0)))
    [ "$n2" -eq $((n1 + want)) ] || prob "the next run added $((n2 - n1)) lines, not $want"
    info="killed in $phase ($(if [ "$moved" = 1 ]; then echo "round recorded"; else echo "round discarded"; fi)${left:+, $nleft slot branches left}; last: ${last:-none})"
    if [ "${#PROBS[@]}" -eq 0 ]; then
        consistent=$((consistent + 1))
        t_pass "crash: kill $i $info: consistent"
    else
        t_fail "crash: kill $i $info" "$(printf '%s; ' "${PROBS[@]}")"
    fi
done
echo "$KILLS kills, $consistent consistent"
[ "$consistent" -eq "$KILLS" ]
