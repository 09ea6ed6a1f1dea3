#!/usr/bin/env bash
# test_orch_loop.sh — the evolution loop end to end on scratch repositories
# under /tmp, with the cmd: test agent (agents/agent.sh) and the fake gates
# (evo-fake). Covers: an improvement merged, a regression logged and not
# merged, one winner among K slots, sandbox violations caught before any
# gate runs (also DPI built from macros and relative includes, issue 17),
# broken RTL stopping at lint, formal and placement failures,
# invalid hypotheses, agent crash and timeout, the main branch never
# touched, an agent writing into the main checkout, recovery after kill -9,
# Ctrl-C, two targets at once, one loop per target, forks, a corrupted log
# line, a full disk, the gate cache (and planted entries in it), an agent
# leaving a FIFO, a /dev/zero link or 10 MiB as its hypothesis, report,
# chart and PR summary.
# Run from the repository root: bash test/orch/test_orch_loop.sh
set -u
source test/lib.sh
source test/orch/lib-orch.sh
orch_suite_init orch-loop
trap 'umount "$T/repo/runs/demo" 2>/dev/null; rm -rf "$T"' EXIT
R=$T/repo
GLOG=$T/gates.log

# evo DIR ARGS...: runs evo-fake in DIR; output in $T/out, status in $RC.
evo() {
    local dir=$1
    shift
    (cd "$dir" && "$EVO" "$@") > "$T/out" 2>&1
    RC=$?
}
next_with() { # MODES [extra evo args]: one round with one slot per mode
    local modes=$1
    shift
    local k
    k=$(awk -F, '{ print NF }' <<<"$modes")
    : > "$GLOG"
    AGENT_MODES=$modes EVO_FAKE_LOG=$GLOG evo "$R" next --target demo -k "$k" --agent "cmd:$AGENT" "$@"
}
logfile() { git -C "$R" show "core-${1:-demo}:cores/${1:-demo}/experiments/log.jsonl"; }
lastline() { logfile "${1:-demo}" | tail -n 1; }
nlines() { logfile "${1:-demo}" | wc -l; }
expect() { # NAME CONDITION-COMMAND... : pass when the command succeeds
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "check '$*' failed; evo said: $(tail -n 4 "$T/out" | tr '\n' ' ')"; fi
}
no_slots_left() { orch_no_slots_left "$R" 3; }

orch_repo "$R"
MAIN0=$(git -C "$R" rev-parse main)

# --- an improvement is merged ----------------------------------------------
next_with improve
L=$(lastline)
expect "loop: first run measures round 0 and runs a round" test "$RC" -eq 0 -a "$(nlines)" -eq 2
expect "loop: round 0 is the first champion" grep -q '"outcome":"improvement".*"round":0\|"round":0.*"outcome":"improvement"' <(logfile | head -n1)
expect "loop: improving change logged as improvement" test "$(field "$L" outcome)" = improvement
ID1=$(field "$L" id)
expect "loop: implementation commit '<id>: <title> (+x.x%)' on core-demo" \
    grep -q "^$ID1: Test change 'improve' in slot 1 (+20.0%)$" <(git -C "$R" log --format=%s core-demo)
expect "loop: round 0 and the round are one commit each" test "$(git -C "$R" rev-list --count main..core-demo)" -eq 2
# Issue 17 item 5: the merge commit is the winner's record too, so no crash can
# leave a merged design without its log line.
expect "merge: the winner's merge commit carries its record" \
    test "$(git -C "$R" show --name-only --format= core-demo | sort | tr '\n' ' ')" = \
         "cores/demo/LESSONS.md cores/demo/core.yaml cores/demo/experiments/hypotheses/$ID1.yaml cores/demo/experiments/log.jsonl cores/demo/experiments/progress.png cores/demo/rtl/core.sv "
expect "merge: the champion's line records the design it measured" \
    test "$(field "$L" rtl_tree)" = "$(git -C "$R" rev-parse core-demo:cores/demo/rtl)"
expect "merge: git fsck is clean" git -C "$R" fsck --no-progress --no-dangling
expect "loop: the winner's RTL is on core-demo" grep -q 'fmax=60.0000' <(git -C "$R" show core-demo:cores/demo/rtl/core.sv)
expect "loop: core.yaml current: names the champion" grep -q "id: $ID1" <(git -C "$R" show core-demo:cores/demo/core.yaml)
expect "loop: core.yaml keeps the rest of the file" grep -q '^# the loop.s scratch core' <(git -C "$R" show core-demo:cores/demo/core.yaml)
expect "loop: the hypothesis file is committed" git -C "$R" cat-file -e "core-demo:cores/demo/experiments/hypotheses/$ID1.yaml"
expect "loop: LESSONS.md gets a line per slot" test "$(git -C "$R" show core-demo:cores/demo/LESSONS.md | grep -c "^- ")" -eq 2
expect "loop: progress chart committed as PNG" grep -q PNG <(git -C "$R" show core-demo:cores/demo/experiments/progress.png | head -c 8)
expect "loop: no slot worktree or branch left" no_slots_left
expect "loop: the core worktree is at the branch tip" \
    test "$(git -C "$R/.worktrees/demo" rev-parse HEAD)" = "$(git -C "$R" rev-parse core-demo)" -a -z "$(git -C "$R/.worktrees/demo" status --porcelain)"

# --- a regression is logged, not merged -------------------------------------
RTL_BEFORE=$(git -C "$R" rev-parse core-demo:cores/demo/rtl)
TIP_BEFORE=$(git -C "$R" rev-parse core-demo)
logfile > "$T/log.before"
next_with regress
L=$(lastline)
logfile > "$T/log.after"
expect "records: a round appends its line and keeps every byte before it" \
    bash -c "test \$(wc -l < '$T/log.after') -eq \$((\$(wc -l < '$T/log.before') + 1)) && cmp -s '$T/log.before' <(head -c \$(wc -c < '$T/log.before') '$T/log.after')"
expect "regression: logged as regression" test "$RC" -eq 0 -a "$(field "$L" outcome)" = regression
expect "regression: the design on core-demo is unchanged" test "$(git -C "$R" rev-parse core-demo:cores/demo/rtl)" = "$RTL_BEFORE"
expect "regression: exactly one (log) commit added" test "$(git -C "$R" rev-list --count "$TIP_BEFORE..core-demo")" -eq 1
expect "regression: delta against the champion recorded" test "$(field "$L" delta_pct)" = "-10.0"

# --- the gate cache: the same candidate again ------------------------------
next_with regress
expect "cache: an identical candidate reuses the gate results" test "$RC" -eq 0 -a ! -s "$GLOG"
expect "cache: the progress shows cached gates" grep -q "(cached)" "$T/out"
if command -v verilator >/dev/null; then
    expect "cache: an identical candidate skips the HDL scan too (it passed on this very tree)" \
        grep -q "HDL scan: this tree passed it before (cached)" "$T/out"
    # A scan entry that fails its MAC is deleted and the scan runs again.
    for f in "$R"/build/gate-cache/k-*/hdlpre-*.json; do printf ' ' >> "$f"; done
    next_with regress
    expect "cache: a tampered HDL-scan entry is not trusted: the scan runs again, the verdict is the same" \
        test "$RC" -eq 0 -a "$(field "$(lastline)" outcome)" = regression -a -z "$(grep -o 'HDL scan: this tree' "$T/out")"
fi

# --- the gate cache cannot be forged (issue 16) -------------------------------
# The agent breaks cosim, computes its candidate's cache key as the
# orchestrator does and plants passing entries copied from the champion's
# with the fitness tripled (plus one with a guessed MAC): agents/plant.sh.
PL=$T/planted.list
RTL_BEFORE=$(git -C "$R" rev-parse core-demo:cores/demo/rtl)
# With CONFINE=off the agent writes the real cache: the MACs catch it.
: > "$PL"
AGENT_PLANTED=$PL next_with plant --confine off
L=$(lastline)
expect "cache attack: the agent did plant entries" test -s "$PL"
expect "cache attack: planted entries make the slot broken: sandbox, never an improvement" \
    test "$RC" -eq 0 -a "$(field "$L" outcome)" = broken -a "$(field "$L" failed_gate)" = sandbox
expect "cache attack: the diagnostic names the planted entry" grep -q "planted gate-cache entry $R/build/gate-cache/k-[0-9a-f]*/[a-z]*-[0-9a-f]*.json" <<<"$L"
expect "cache attack: every planted file is gone" bash -c "! xargs -r ls -d < '$PL' 2>/dev/null | grep -q ."
expect "cache attack: the broken design is not merged" test "$(git -C "$R" rev-parse core-demo:cores/demo/rtl)" = "$RTL_BEFORE"
if command -v openssl >/dev/null && command -v perl >/dev/null; then
    # An agent that can also read the cache key signs its forgeries: the MACs
    # verify, and only the winner's fresh cosim/coremark run unmasks them.
    : > "$PL"
    AGENT_PLANTED=$PL next_with plantkey --confine off
    L=$(lastline)
    expect "cache attack with the key: the forgeries were signed and planted" test -s "$PL"
    expect "cache attack with the key: the fresh re-run before the merge makes it broken: sandbox" \
        test "$RC" -eq 0 -a "$(field "$L" outcome)" = broken -a "$(field "$L" failed_gate)" = sandbox
    expect "cache attack with the key: the diagnostic says the fresh run disagrees" \
        grep -q "planted gate-cache entry [^ ]*/cosim-[0-9a-f]*.json (gate cosim): a fresh run disagrees" <<<"$L"
    expect "cache attack with the key: every entry of the candidate is gone" bash -c "! xargs -r ls -d < '$PL' 2>/dev/null | grep -q ."
    expect "cache attack with the key: the broken design is not merged" test "$(git -C "$R" rev-parse core-demo:cores/demo/rtl)" = "$RTL_BEFORE"
else
    t_skip "cache attack with the key" "openssl or perl is missing (the attacker needs them to compute HMACs)"
fi
# Confined (the default) the agent cannot even see the cache: what it
# "plants" lands in an empty tmpfs of its sandbox, and the slot is judged on
# its broken cosim.
next_with plant
L=$(lastline)
expect "cache attack (confined): no effect: the slot is judged broken: cosim" \
    test "$RC" -eq 0 -a "$(field "$L" outcome)" = broken -a "$(field "$L" failed_gate)" = cosim
expect "cache attack (confined): nothing it planted exists outside its sandbox" \
    bash -c "! cat '$(field "$L" rundir)'/agent-implement.log | sed -n 's/^planted: //p' | xargs -r ls -d 2>/dev/null | grep -q ."
next_with regress
expect "cache: the log entry records which gates came from the cache" grep -q '"gate_cache":{"coremark":"cached"' <<<"$(lastline)"

# --- K slots, one winner -----------------------------------------------------
next_with regress,improve,same
N=$(nlines)
# The winner's line comes first (its merge commit carries it), then the others in slot order.
S2=$(logfile | sed -n "$((N - 2))p"); S1=$(logfile | sed -n "$((N - 1))p"); S3=$(logfile | sed -n "${N}p")
expect "tournament: every slot gets a log line" test "$RC" -eq 0 -a "$(field "$S2" slot)" = 2 -a "$(field "$S1" slot)" = 1 -a "$(field "$S3" slot)" = 3
expect "tournament: the best slot wins" test "$(field "$S2" outcome)" = improvement
expect "tournament: the others are regressions" test "$(field "$S1" outcome)" = regression -a "$(field "$S3" outcome)" = regression
expect "tournament: a gain inside the noise margin is rejected" grep -q 'margin' <<<"$(field "$S3" accept_reason)"
expect "tournament: one implementation commit per round" \
    test "$(git -C "$R" log --format=%s -3 core-demo | grep -vc '^log: ')" -eq 1 -a \
         "$(git -C "$R" log --format=%s -3 core-demo | grep -c '^log: ')" -eq 2
expect "tournament: losers' worktrees and branches removed" no_slots_left

# --- a win inside the P&R seed noise is placed again (issue 15) --------------
# The fake's three seeds spread by 2%, so a 3.5% gain is above the 3% margin
# but under twice the measured spread: seeds 4-6 decide.
next_with lucky
L=$(lastline)
expect "remeasure: a gain inside the seed noise is placed again with seeds 4-6" \
    grep -q "re-measuring: its gain is under 4.0% (the core's median P&R seed spread is 2.0%)" "$T/out"
expect "remeasure: three lucky seeds are not a win once six are counted" \
    test "$RC" -eq 0 -a "$(field "$L" outcome)" = regression -a "$(field "$L" accepted)" = false
expect "remeasure: the log keeps the six seeds and the fitness before and after" \
    grep -q '"fmax_mhz":{"median":[0-9.]*,"seeds":\[[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*\]}.*"remeasure":{"added_fmax_mhz":\[' <<<"$L"
expect "remeasure: the recorded fitness is the six-seed one, under the three-seed one" \
    awk -v b="$(field "$L" fitness_before)" -v a="$(field "$L" fitness_after)" -v f="$(field "$L" fitness)" \
        'BEGIN { exit !(a == f && a < b) }'
evo "$R" report --target demo
expect "remeasure: make report names the noise and the re-measured winner" \
    grep -q "re-measured $(field "$L" id): fitness [0-9.]* on 3 seeds -> [0-9.]* on 6 (gain under 4.0%): regression" "$T/out"
expect "workloads: a slot is measured on the default set, each workload's figures in the log" \
    grep -q '"workload":"workload+vm","workloads":{"vm":{"cycles":[0-9]*,"fitness":[0-9.]*,"iterations":10,"per_mhz":[0-9.]*},"workload":{' <<<"$L"
expect "workloads: make report has a per-workload section" \
    grep -q 'per-workload fitness (against the champion each entry was judged against)' "$T/out"
expect "workloads: make report shows each workload's figures and their deltas against the champion" \
    grep -qE "$(field "$L" id) +regression +[-+][0-9.]+% +workload [0-9.]+ it/s \([-+][0-9.]+%\), vm [0-9.]+ it/s \([-+][0-9.]+%\) \[workload\+vm\]" "$T/out"
next_with narrow
L=$(lastline)
expect "remeasure: a gain that holds over six seeds is merged" \
    test "$RC" -eq 0 -a "$(field "$L" outcome)" = improvement -a -n "$(field "$L" fitness_after)"
next_with improve
L=$(lastline)
expect "remeasure: a gain far above the noise is taken on three seeds" \
    test "$(field "$L" outcome)" = improvement -a -z "$(field "$L" fitness_after)" -a \
         -z "$(grep "re-measuring" "$T/out")"

# --- the sandbox stops a slot before any gate ------------------------------
# Twice: confined (the default: writes outside rtl/ and test/ are refused as
# they happen) and with CONFINE=off, where the tree check after the agent
# is the only line of defence.
for confine in on off; do
    for mode in formal symlink system gitattr casetrick execbit coreyaml ignored; do
        next_with "$mode" --confine "$confine"
        L=$(lastline)
        if [ "$RC" -eq 0 ] && [ "$(field "$L" outcome)" = broken ] && [ "$(field "$L" failed_gate)" = sandbox ] && [ ! -s "$GLOG" ]; then
            t_pass "sandbox ($confine): '$mode' agent is broken: sandbox before any gate"
        else
            t_fail "sandbox ($confine): '$mode' agent is broken: sandbox before any gate" \
                "rc $RC, outcome $(field "$L" outcome), gate $(field "$L" failed_gate), gates run: $(tr '\n' ' ' < "$GLOG")"
        fi
    done
done
expect "sandbox: CONFINE=off is recorded in the log entry" grep -q '"confinement":{"agent":"off"' <<<"$(lastline)"
next_with formal
expect "sandbox: confined, the refused write is named" grep -q 'sandbox refused (read-only file system)' <<<"$(field "$(lastline)" diagnostic)"
expect "sandbox: confined, the entry says bwrap" grep -q '"confinement":{"agent":"bwrap"' <<<"$(lastline)"
next_with formal --confine off
expect "sandbox: the diagnostic names the path" grep -q 'formal/checks.sv' <<<"$(field "$(lastline)" diagnostic)"
next_with symlink --confine off
expect "sandbox: a symlink is named with its target" grep -q "passwd.sv: symlink -> '/etc/passwd' (points outside" <<<"$(lastline)"
next_with system
expect "sandbox: \$system in RTL is named with its line" grep -q 'core.sv:[0-9]*: \$system' <<<"$(lastline)"

# --- issue 17: macros and relative includes smuggle nothing past the sandbox -
MARK=$T/marker
mkdir -p "$R/build"
printf 'initial $system("touch %s");\n' "$MARK" > "$R/build/x.svh"
for mode in macrodpi relinclude; do
    AGENT_MARKER=$MARK next_with "$mode"
    L=$(lastline)
    if [ "$RC" -eq 0 ] && [ "$(field "$L" outcome)" = broken ] && [ "$(field "$L" failed_gate)" = sandbox ] &&
        [ ! -s "$GLOG" ] && [ ! -e "$MARK" ]; then
        t_pass "sandbox: '$mode' agent is broken: sandbox, no gate run, nothing executed"
    else
        t_fail "sandbox: '$mode' agent is broken: sandbox, no gate run, nothing executed" \
            "rc $RC, outcome $(field "$L" outcome), gate $(field "$L" failed_gate), marker $(ls "$MARK" 2>&1), gates run: $(tr '\n' ' ' < "$GLOG")"
    fi
    case $mode in
        macrodpi) expect "sandbox: the macro-built DPI import is named after macro expansion" \
            grep -q 'core.sv:[0-9]*: DPI import .*after macro expansion' <<<"$L" ;;
        relinclude) expect "sandbox: the relative include is named" grep -q 'core.sv:[0-9]*: `include .*build/x.svh' <<<"$L" ;;
    esac
done
rm -rf "$R/build/x.svh"

# --- where bubblewrap cannot run: untrusted agents are refused -----------------
mkdir -p "$T/nobwrap"
printf '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n' > "$T/nobwrap/bwrap"
chmod +x "$T/nobwrap/bwrap"
N=$(nlines)
PATH=$T/nobwrap:$PATH next_with improve
expect "fallback: without a working sandbox a cmd: agent is refused, saying why and what to do" \
    test "$RC" -eq 1 -a "$(nlines)" -eq "$N" -a -n "$(grep -o 'refusing to run an untrusted agent without confinement: .*CONFINE=off' "$T/out")"
PATH=$T/nobwrap:$PATH next_with improve --confine off
expect "fallback: CONFINE=off runs it, and the record says so" \
    test "$RC" -eq 0 -a -n "$(grep -o '"confinement":{"agent":"off"' <<<"$(lastline)")"
PATH=$T/nobwrap:$PATH evo "$R" next --target demo --agent builtin
expect "fallback: the builtin agent still runs, warning that the tools are unconfined" \
    grep -q "warning: the gates' tools run without confinement" "$T/out"

# --- gates decide the rest -------------------------------------------------
next_with syntax
L=$(lastline)
expect "gates: broken RTL is broken: lint" test "$(field "$L" outcome)" = broken -a "$(field "$L" failed_gate)" = lint
# Synth and P&R need nothing of lint and may have started (P&R is stopped
# when lint fails); formal, cosim and coremark need lint and never start.
expect "gates: after a lint failure nothing that needs lint runs (synth starts with lint)" \
    test -z "$(cut -d' ' -f1 "$GLOG" | sort -u | grep -vx -e lint -e synth -e pnr)" -a -n "$(grep '^lint' "$GLOG")"
expect "gates: the diagnostic is the gate's tail" grep -q 'syntax error' <<<"$(field "$L" diagnostic)"
next_with formalbug
expect "gates: a formal failure is broken: formal" test "$(field "$(lastline)" failed_gate)" = formal
next_with bigarea
L=$(lastline)
expect "gates: a design that does not fit is placement_failed" test "$(field "$L" outcome)" = placement_failed -a "$(field "$L" failed_gate)" = pnr

next_with gateerror,gateerror
L=$(lastline)
expect "gates: a gate that cannot run is logged with its error" \
    test "$(field "$L" failed_gate)" = synth -a -n "$(grep -o 'error: not found: yosys' <<<"$L")"
expect "gates: when every slot hits such an error the loop stops and says why" \
    test "$RC" -eq 1 -a -n "$(grep -o 'that is the environment, not the designs' "$T/out")"

# --- agents and hypotheses -------------------------------------------------
next_with badhyp
L=$(lastline)
expect "hypothesis: schema-invalid YAML is broken: hypothesis" test "$(field "$L" failed_gate)" = hypothesis
expect "hypothesis: the reason names the schema" grep -q 'hypothesis.schema.json' <<<"$L"
next_with nohyp
expect "hypothesis: no file written is broken: hypothesis" test "$(field "$(lastline)" failed_gate)" = hypothesis
for mode in hypfifo hypzero hypbig; do
    t0=$(date +%s)
    next_with "$mode"
    L=$(lastline)
    case $mode in
        hypfifo) why='is a FIFO, not a regular file' ;;
        hypzero) why='is a symbolic link (not followed)' ;;
        hypbig) why='is 10485760 bytes, more than the 65536 allowed' ;;
    esac
    if [ "$RC" -eq 0 ] && [ "$(field "$L" failed_gate)" = hypothesis ] && grep -q "$why" <<<"$L" &&
       [ $(( $(date +%s) - t0 )) -lt 20 ]; then
        t_pass "hypothesis: '$mode' is broken: hypothesis, quickly, with a clear reason"
    else
        t_fail "hypothesis: '$mode' is broken: hypothesis, quickly, with a clear reason" \
            "rc $RC after $(( $(date +%s) - t0 )) s, gate $(field "$L" failed_gate), diagnostic $(field "$L" diagnostic | head -c 300)"
    fi
done
next_with improve
expect "hypothesis: the loop goes on after those" test "$RC" -eq 0 -a "$(field "$(lastline)" outcome)" = improvement
next_with hypcrash
expect "agent: a failing hypothesis agent is broken: agent" test "$(field "$(lastline)" failed_gate)" = agent
next_with hypextra
expect "hypothesis: confined, the hypothesis phase cannot write RTL" test "$(field "$(lastline)" failed_gate)" = sandbox
next_with hypextra --confine off
L=$(lastline)
expect "hypothesis: other files written in that phase are reverted and reported" \
    test "$(field "$L" outcome)" = improvement -a -n "$(grep -o 'reverted cores/demo/rtl/extra.sv' <<<"$L")"
expect "hypothesis: the reverted file is not merged" bash -c "! git -C '$R' cat-file -e core-demo:cores/demo/rtl/extra.sv 2>/dev/null"
next_with crash
expect "agent: a crashing agent is broken: agent" grep -q '"failed_gate":"agent".*signal 11\|signal 11.*"failed_gate":"agent"' <<<"$(lastline)"
N=$(nlines)
: > "$GLOG"
AGENT_MODES=crash,crash EVO_FAKE_LOG=$GLOG evo "$R" loop --target demo -n 3 -k 2 --agent "cmd:$AGENT"
expect "agent: when the agent fails in every slot of two rounds the loop stops (status 1), naming it" \
    test "$RC" -eq 1 -a "$(nlines)" -eq $((N + 4)) -a -n "$(grep -o 'the agent failed in every slot of 2 rounds in a row' "$T/out")"
AGENT_SLEEP=20 next_with slow --agent-timeout 1
expect "agent: a timeout is broken: agent" grep -q 'timed out' <<<"$(field "$(lastline)" diagnostic)"
expect "agent: the timeout is in the agent record" test "$(field "$(lastline)" timed_out)" = true
N=$(nlines)
next_with exhausted,improve
expect "agent: a slot with nothing left to propose gets no log line" \
    test "$RC" -eq 0 -a "$(nlines)" -eq $((N + 1)) -a "$(field "$(lastline)" slot)" = 2
next_with exhausted
expect "agent: when no slot has anything left the loop ends with the agent's reason" \
    test "$RC" -eq 0 -a "$(nlines)" -eq $((N + 1)) -a -n "$(grep -o 'nothing left to propose (design space exhausted' "$T/out")"
next_with noop
expect "agent: no change at all is broken: agent" test "$(field "$(lastline)" failed_gate)" = agent
next_with improve
REC=$(cat "$(field "$(lastline)" rundir)"/agent-*.log | grep '^record: ')
expect "agent: both phases run in the slot worktree with the prompt on stdin" \
    test "$(awk '$5 > 1000 && $6 ~ /\.worktrees\/\.slots\// { n++ } END { print n }' <<<"$REC")" = 2

# --- the harness is never touched -------------------------------------------
expect "main: the main branch never moves" test "$(git -C "$R" rev-parse main)" = "$MAIN0"
expect "main: the main checkout stays clean" test -z "$(git -C "$R" status --porcelain)"
next_with harness
expect "confine: an agent writing into the main checkout is broken: sandbox" \
    test "$RC" -eq 0 -a "$(field "$(lastline)" failed_gate)" = sandbox
expect "confine: and the main checkout is untouched" test -z "$(git -C "$R" status --porcelain)"
next_with harness --confine off
L=$(lastline)
expect "guard: an agent writing into the main checkout is broken: sandbox" test "$(field "$L" failed_gate)" = sandbox
expect "guard: and the loop stops with a clear message" grep -q 'changed the main checkout' "$T/out"
expect "guard: exit status 1" test "$RC" -eq 1
orch_git -C "$R" checkout -q -- formal/checks.sv

# --- crash recovery ----------------------------------------------------------
# The agent is confined: the tests learn that it runs from its transcript,
# and that it is gone from the process table (each test sleeps a distinct
# number of seconds to tell its agent apart).
wait_slow() { # SECONDS: until a slot's transcript says the slow agent sleeps that long
    for _ in $(seq 200); do
        grep -qs "slow agent: sleeping $1 s" "$R"/runs/*/*/agent-implement.log && return 0
        sleep 0.05
    done
    return 1
}
gone() { # PATTERN: no process matches it (within a second)
    for _ in $(seq 20); do pgrep -f "$1" >/dev/null || return 0; sleep 0.05; done
    return 1
}
gone_x() { # NAME: no process has that name (within a second)
    for _ in $(seq 20); do pgrep -x "$1" >/dev/null || return 0; sleep 0.05; done
    return 1
}
TIP=$(git -C "$R" rev-parse core-demo)
(cd "$R" && AGENT_MODES=slow AGENT_SLEEP=61 exec "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/crash.out" 2>&1 &
EVO_PID=$!
wait_slow 61
{ kill -9 "$EVO_PID"; wait "$EVO_PID"; } 2>/dev/null
expect "crash: kill -9 mid-slot leaves a slot behind" test -n "$(git -C "$R" branch --list 'slot/*')"
expect "crash: no agent process outlives a kill -9 of evo" gone 'sleep 61'
expect "crash: core-demo is untouched by the killed run" test "$(git -C "$R" rev-parse core-demo)" = "$TIP"
next_with improve
expect "crash: the next run removes the stale slot" grep -q 'recovered: removed slot' "$T/out"
expect "crash: and completes its round" test "$RC" -eq 0 -a "$(field "$(lastline)" outcome)" = improvement
expect "crash: nothing stale is left" no_slots_left

# --- a design without its record (issue 17 item 5) -----------------------------
# What a kill -9 between the merge commit and the log commit of an older evo
# left behind: core-demo at a better design (x1.5) that no log line names. The
# next round would have judged its slots against the stale champion in the
# log; now it refuses, and judges against the real parent once repaired.
WT=$R/.worktrees/demo
CHAMP_FIT=$(field "$(logfile | grep '"outcome":"improvement"' | tail -n 1)" fitness)
cur=$(grep -o 'fmax=[0-9.]*' "$WT/cores/demo/rtl/core.sv" | head -n1 | cut -d= -f2)
sed -i "s/fmax=$cur/fmax=$(awk -v c="$cur" 'BEGIN { printf "%.4f", c * 1.5 }')/" "$WT/cores/demo/rtl/core.sv"
orch_git -C "$WT" commit -qam "demo-r099-s1-dead: a merge whose log line was never written (+50.0%)"
TIP=$(git -C "$R" rev-parse core-demo)
next_with regress
expect "champion: a tip whose design has no record is refused with a clear error" \
    test "$RC" -eq 1 -a -n "$(grep -o 'holds a design without its record' "$T/out")"
expect "champion: nothing is run or committed then" test "$(git -C "$R" rev-parse core-demo)" = "$TIP" -a ! -s "$GLOG"
orch_git -C "$WT" reset -q --hard HEAD~1
next_with regress
L=$(lastline)
expect "champion: once repaired, a slot is judged against the real parent" \
    test "$RC" -eq 0 -a "$(field "$L" outcome)" = regression -a "$(awk -v d="$(field "$L" delta_pct)" 'BEGIN { print (d > -10.01 && d < -9.99) }')" = 1 -a \
         "$(field "$L" parent)" = "$(git -C "$R" rev-parse core-demo~1)"
expect "champion: the champion's fitness is unchanged" \
    test "$(field "$(logfile | grep '"outcome":"improvement"' | tail -n 1)" fitness)" = "$CHAMP_FIT"
expect "champion: git fsck is clean" git -C "$R" fsck --no-progress --no-dangling

# --- terminal escapes in agent-written text (issue 17 item 11) ------------------
for mode in ansititle ansiprose nultitle ansiknob; do
    N=$(nlines)
    next_with "$mode"
    L=$(lastline)
    case $mode in
        ansititle|nultitle) f=title ;;
        ansiprose) f=motivation ;;
        ansiknob) f=knobs.MUL_IMPL ;;
    esac
    expect "escapes: '$mode' is broken: hypothesis naming the field ($f)" \
        test "$RC" -eq 0 -a "$(nlines)" -eq $((N + 1)) -a "$(field "$L" failed_gate)" = hypothesis -a \
             -n "$(grep -o "$f: control character U+00" <<<"$L")"
    expect "escapes: '$mode': no control byte in evo's output" \
        bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]' '$T/out'"
done
expect "escapes: no commit message on any branch holds a control character" \
    bash -c "! git -C '$R' log --all --format=%B | LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]'"

# --- Ctrl-C ------------------------------------------------------------------
TIP=$(git -C "$R" rev-parse core-demo)
(cd "$R" && AGENT_MODES=slow AGENT_SLEEP=62 exec "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/int.out" 2>&1 &
EVO_PID=$!
wait_slow 62
kill -INT "$EVO_PID"
wait "$EVO_PID"
IRC=$?
expect "interrupt: exit status 130 and a message" test "$IRC" -eq 130 -a -n "$(grep -o 'round 1/1 discarded' "$T/int.out")"
expect "interrupt: core-demo stays where it was" test "$(git -C "$R" rev-parse core-demo)" = "$TIP"
expect "interrupt: the slot is cleaned up" no_slots_left
expect "interrupt: the agent's processes were killed" gone 'sleep 62'

# --- one loop per target -------------------------------------------------------
(cd "$R" && AGENT_MODES=slow AGENT_SLEEP=63 exec "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/first.out" 2>&1 &
EVO_PID=$!
wait_slow 63
evo "$R" next --target demo --agent "cmd:$AGENT"
expect "lock: a second loop on the same target is refused" test "$RC" -eq 1 -a -n "$(grep -o 'another evo run holds target' "$T/out")"
kill -INT "$EVO_PID"
wait "$EVO_PID"

# --- fork and two targets at once --------------------------------------------
evo "$R" fork --target demo2 --base demo
expect "fork: succeeds" test "$RC" -eq 0
expect "fork: commit 'fork demo2 from demo'" grep -q '^fork demo2 from demo$' <(git -C "$R" log --format=%s core-demo2)
FORK=$(git -C "$R" log --format=%H -1 --grep='^fork demo2 from demo$' core-demo2)
expect "fork: core.yaml renamed, current: emptied" \
    bash -c "git -C '$R' show $FORK:cores/demo2/core.yaml | grep -q '^name: demo2' && ! git -C '$R' show $FORK:cores/demo2/core.yaml | grep -q '^  id:'"
expect "fork: round 0 then fills current:" grep -q '^  fitness:' <(git -C "$R" show core-demo2:cores/demo2/core.yaml)
expect "fork: the design and its tests are copied" \
    test "$(git -C "$R" rev-parse core-demo2:cores/demo2/rtl)" = "$(git -C "$R" rev-parse main:cores/demo/rtl)" -a \
         "$(git -C "$R" rev-parse core-demo2:cores/demo2/test)" = "$(git -C "$R" rev-parse main:cores/demo/test)"
expect "fork: the philosophy is copied, the log is not" \
    bash -c "git -C '$R' cat-file -e core-demo2:cores/demo2/CORE_PHILOSOPHY.md && test \$(git -C '$R' show core-demo2:cores/demo2/experiments/log.jsonl | wc -l) -eq 1"
expect "fork: measured as round 0, the first champion" test "$(field "$(lastline demo2)" round)" = 0 -a "$(field "$(lastline demo2)" outcome)" = improvement
N1=$(nlines demo)
N2=$(nlines demo2)
(cd "$R" && AGENT_MODES=improve,regress exec "$EVO" loop --target demo -n 2 -k 2 --agent "cmd:$AGENT") > "$T/a.out" 2>&1 &
PA=$!
(cd "$R" && AGENT_MODES=regress,improve exec "$EVO" loop --target demo2 -n 2 -k 2 --agent "cmd:$AGENT") > "$T/b.out" 2>&1 &
PB=$!
wait "$PA"; RA=$?
wait "$PB"; RB=$?
expect "concurrent: two targets loop at once" test "$RA" -eq 0 -a "$RB" -eq 0
expect "concurrent: each log got its own 4 lines" test "$(nlines demo)" -eq $((N1 + 4)) -a "$(nlines demo2)" -eq $((N2 + 4))
expect "concurrent: no entry crossed over" \
    bash -c "! git -C '$R' show core-demo2:cores/demo2/experiments/log.jsonl | grep -q '\"id\":\"demo-r'"
expect "concurrent: each branch touched only its own core" \
    test -z "$(git -C "$R" diff --name-only main core-demo2 -- cores/demo)" -a -z "$(git -C "$R" diff --name-only main core-demo -- cores/demo2)"
expect "concurrent: both cleaned up" no_slots_left
expect "concurrent: main never moved" test "$(git -C "$R" rev-parse main)" = "$MAIN0"

# --- core names map one-to-one onto slot ids (issue 17 item 10) -----------------
# Ids once wrote '_' as '-', so a loop on a_b took the live slots of a loop on
# a-b for its own leftovers and removed them. A name with '_' is now refused.
evo "$R" fork --target a-b --base demo
expect "names: a-b is a valid core name" test "$RC" -eq 0
(cd "$R" && AGENT_MODES=slow AGENT_SLEEP=64 exec "$EVO" next --target a-b --agent "cmd:$AGENT") > "$T/ab.out" 2>&1 &
EVO_PID=$!
wait_slow 64
LIVE=$(git -C "$R" branch --list 'slot/a-b-*' | tr -d ' *+')
evo "$R" next --target a_b --base demo --agent "cmd:$AGENT"
expect "names: a target with '_' is refused, saying why" \
    test "$RC" -eq 2 -a -n "$(grep -o "'a_b' is not a valid core name: '_' is not allowed" "$T/out")"
evo "$R" next --target a234567890123456789012345678901234567890x --base demo --agent "cmd:$AGENT"
expect "names: a target longer than 40 characters is refused" test "$RC" -eq 2 -a -n "$(grep -o 'longer than 40' "$T/out")"
AGENT_MODES=regress evo "$R" next --target a --base demo --agent "cmd:$AGENT"
expect "names: recovery of target a leaves the live slot of a-b alone" \
    test "$RC" -eq 0 -a -n "$LIVE" -a -z "$(grep -o 'recovered' "$T/out")" -a \
         "$(git -C "$R" branch --list 'slot/a-b-*' | tr -d ' *+')" = "$LIVE" -a -d "$R/.worktrees/.slots/${LIVE#slot/}"
expect "names: no branch core-a_b was made" test -z "$(git -C "$R" branch --list 'core-a_b')"
kill -INT "$EVO_PID"
wait "$EVO_PID"
for t in a a-b; do evo "$R" clean --target "$t"; done

# --- records robustness -------------------------------------------------------
WT=$R/.worktrees/demo
echo '{"id": "corrupt' >> "$WT/cores/demo/experiments/log.jsonl"
orch_git -C "$WT" commit -qam "a corrupted line"
evo "$R" report --target demo
expect "records: the report names a corrupted log line with file:line" grep -q 'log.jsonl (on core-demo):[0-9]*: not valid JSON' "$T/out"
expect "records: and shows the rest" test "$RC" -eq 0
TIP=$(git -C "$R" rev-parse core-demo)
next_with improve
expect "records: the loop refuses a log with a corrupted line, naming file and line" \
    test "$RC" -eq 1 -a -n "$(grep -o 'log.jsonl (on core-demo):[0-9]*: not valid JSON.*cannot read whole' "$T/out")"
expect "records: and changes nothing" test "$(git -C "$R" rev-parse core-demo)" = "$TIP"
# Issue 17 item 8: one NUL byte (or invalid UTF-8) in a line once made the
# next commit cut the log there; now the loop stops before any commit.
orch_git -C "$WT" reset -q --hard HEAD~1
for bad in nul utf8; do
    case $bad in
        nul) printf '{"id":"demo-r009-s1-\0abc"}\n' ;;
        utf8) printf '{"id":"demo-r009-s1-\xff"}\n' ;;
    esac >> "$WT/cores/demo/experiments/log.jsonl"
    orch_git -C "$WT" commit -qam "a $bad byte in the log"
    N=$(nlines)
    TIP=$(git -C "$R" rev-parse core-demo)
    next_with improve
    expect "records: a $bad byte in log.jsonl stops the loop naming file and line" \
        test "$RC" -eq 1 -a -n "$(grep -o "log.jsonl (on core-demo):$N: not valid JSON.*cannot read whole" "$T/out")"
    expect "records: a $bad byte: core-demo unchanged, no line lost" \
        test "$(git -C "$R" rev-parse core-demo)" = "$TIP" -a "$(nlines)" -eq "$N"
    orch_git -C "$WT" reset -q --hard HEAD~1
done
next_with improve
expect "records: the loop goes on once the line is repaired" test "$RC" -eq 0 -a "$(field "$(lastline)" outcome)" = improvement
TIP=$(git -C "$R" rev-parse core-demo)
(ulimit -f 4; cd "$R" && AGENT_MODES=improve exec "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
RC=$?
expect "disk: a write failure stops the loop with a message naming the file" \
    test "$RC" -eq 1 -a -n "$(grep -o 'File too large' "$T/out")"
expect "disk: core-demo is left at its last commit" test "$(git -C "$R" rev-parse core-demo)" = "$TIP"
expect "disk: no slot is left behind" no_slots_left
# A disk that fills up while lint runs: the fake lint's model build "fails"
# as Verilator's does. That is no verdict on the design: it must not be
# cached, and once space is freed the same candidate is judged again.
RUNS=$R/runs/demo
if mount -t tmpfs -o size=4m tmpfs "$RUNS" 2>/dev/null; then
    full() { AGENT_MODES=improve EVO_FAKE_FILL=$RUNS/filler evo "$R" next --target demo --agent "cmd:$AGENT"; }
    how="runs/demo on a 4 MiB tmpfs filled during lint"
elif unshare -rm true 2>/dev/null; then
    # Not root: the tmpfs lives in a private mount namespace for that one run.
    full() {
        (cd "$R" && AGENT_MODES=improve EVO_FAKE_FILL=$RUNS/filler exec unshare -rm \
            sh -c 'mount -t tmpfs -o size=4m tmpfs "$0" && exec "$@"' "$RUNS" "$EVO" next --target demo \
            --agent "cmd:$AGENT") > "$T/out" 2>&1
        RC=$?
    }
    how="runs/demo on a 4 MiB tmpfs (user namespace) filled during lint"
else
    full() { :; }
    how=""
fi
if [ -n "$how" ]; then
    full
    names_path() { grep -q "$RUNS/.*No space left on device" "$T/out"; }
    expect "disk ($how): lint's failure to write is an error naming the path, not a verdict" names_path
    expect "disk ($how): nothing was merged" test "$(git -C "$R" rev-parse core-demo:cores/demo/rtl)" = "$(git -C "$R" rev-parse "$TIP:cores/demo/rtl")"
    rm -f "$RUNS/filler"
    next_with improve
    expect "disk ($how): with space again the same candidate is judged anew, not '(cached)', and passes" \
        test "$RC" -eq 0 -a "$(field "$(lastline)" outcome)" = improvement -a -n "$(grep -o '^lint ' "$GLOG")" -a -z "$(grep -o 'lint .*(cached)' "$T/out")"
    umount "$RUNS" 2>/dev/null
else
    t_skip "disk: a full disk is not a cached verdict" "neither 'mount -t tmpfs' nor 'unshare -rm' is allowed here"
fi

# --- report, chart, PR ---------------------------------------------------------
evo "$R" report --target demo
expect "report: champion path, outcomes, failures by gate, time per gate" \
    bash -c "grep -q 'champion path' '$T/out' && grep -q 'placement_failed' '$T/out' && grep -q 'failures by gate' '$T/out' && grep -q 'time per gate' '$T/out'"
expect "report: champion path lists the merged ids" grep -q "$ID1" "$T/out"
PNG=$(sed -n 's/^chart: //p' "$T/out")
expect "report: writes a PNG chart next to the log" bash -c "[ -f '$PNG' ] && head -c 8 '$PNG' | grep -q PNG && [[ '$PNG' == */cores/demo/experiments/progress.png ]]"
evo "$R" pr --target demo
expect "pr: a markdown summary of core-demo against main" \
    bash -c "grep -q '^# core-demo: ' '$T/out' && grep -q 'Files changed since main' '$T/out' && grep -q 'cores/demo/rtl/core.sv' '$T/out'"
expect "pr: written to runs/demo/PR.md" test -s "$R/runs/demo/PR.md"
evo "$R" list
expect "list: names the cores and their champions" grep -q 'demo2.*champion' "$T/out"
evo "$R" clean --target demo2
expect "clean: removes the core worktree, keeps the branch" \
    test "$RC" -eq 0 -a ! -d "$R/.worktrees/demo2" -a -n "$(git -C "$R" branch --list core-demo2)"
evo "$R" next --target nosuch --agent "cmd:$AGENT"
expect "usage: an unknown core says how to fork one" grep -q 'BASE=' "$T/out"
expect "usage: a refused start leaves no branch, worktree or run directory behind" \
    test "$RC" -ne 0 -a -z "$(git -C "$R" branch --list core-nosuch)" -a ! -e "$R/.worktrees/nosuch" -a ! -e "$R/runs/nosuch"
TIP=$(git -C "$R" rev-parse core-demo)
(cd "$R" && COREMARK_DIR=/nonexistent/coremark "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
RC=$?
expect "workload: a run that would measure another workload than the champion's is refused, saying how" \
    test "$RC" -ne 0 -a -n "$(grep -o "was measured on the workload set workload+vm, but this run's gates would measure coremark+vm" "$T/out")" -a \
         -n "$(grep -o "Run with WORKLOADS=workload+vm and COREMARK_DIR unset" "$T/out")" -a \
         "$(git -C "$R" rev-parse core-demo)" = "$TIP"
(cd "$R" && WORKLOADS=workload "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
RC=$?
expect "workload: a run on a subset of the champion's workload set is refused too (sets compare by name)" \
    test "$RC" -ne 0 -a -n "$(grep -o "was measured on the workload set workload+vm, but this run's gates would measure workload:" "$T/out")" -a \
         "$(git -C "$R" rev-parse core-demo)" = "$TIP"
(cd "$R" && WORKLOADS=workload+dhrystone "$EVO" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
RC=$?
expect "workload: a WORKLOADS the gates cannot measure is refused before anything runs, naming the members" \
    test "$RC" -ne 0 -a -n "$(grep -o "'dhrystone' is not a workload (use coremark, workload or vm" "$T/out")" -a \
         "$(git -C "$R" rev-parse core-demo)" = "$TIP"
evo "$R" next --target nosuch --base nobase --agent "cmd:$AGENT"
expect "usage: a BASE that does not exist is refused before anything is made" \
    test "$RC" -ne 0 -a -n "$(grep -o 'BASE=nobase: there is no cores/nobase/core.yaml on main' "$T/out")" -a \
         -z "$(git -C "$R" branch --list core-nosuch)" -a ! -e "$R/runs/nosuch"
evo "$R" report --target nosuch
expect "report: a core that does not exist is not an error; it says how to start one" \
    test "$RC" -eq 0 -a -n "$(grep -o 'make loop TARGET=nosuch BASE=baseline' "$T/out")" -a -z "$(git -C "$R" branch --list core-nosuch)"
evo "$R" next --target demo --agent nosuch
expect "usage: an unknown agent provider is a clear error" grep -q 'unknown provider; use builtin, claude, codex or cmd:' "$T/out"
EOUT=$(cd "$R" && AUTHOR_CHECK=1 EVO_AUTHOR_NAME="Evo Bot" EVO_AUTHOR_EMAIL=bot@example.org AGENT_MODES=regress \
       "$EVO" next --target demo --agent "cmd:$AGENT" 2>&1)
expect "identity: EVO_AUTHOR_NAME/EMAIL sign the loop's commits" \
    test "$(git -C "$R" log -1 --format='%an <%ae> / %cn' core-demo)" = "Evo Bot <bot@example.org> / Evo Bot"

# --- the first measurement cannot run: nothing is recorded -------------------
R3=$T/repo3
orch_repo "$R3"
echo "// SYNTH_CANNOT_RUN" >> "$R3/cores/demo/rtl/core.sv"
orch_git -C "$R3" commit -qam "a design the fake synth cannot handle"
evo "$R3" next --target demo --agent "cmd:$AGENT"
expect "round 0: a gate that cannot run records nothing and says so" \
    test "$RC" -eq 1 -a -n "$(grep -o 'nothing was recorded' "$T/out")"
expect "round 0: the failed first run takes back the branch, worktree and run directory it made" \
    test -z "$(git -C "$R3" branch --list core-demo)" -a ! -e "$R3/.worktrees/demo" -a ! -e "$R3/runs/demo" -a \
         "$(git -C "$R3" worktree list | wc -l)" -eq 1
evo "$R3" report --target demo
expect "report: a core with no records yet says so and how to start (status 0)" \
    test "$RC" -eq 0 -a -n "$(grep -o 'has no records yet' "$T/out")" -a -n "$(grep -o 'make loop TARGET=demo' "$T/out")"
evo "$R3" workload --target demo
expect "workload: a core with no records names none (status 0; make loop then runs on what COREMARK_DIR says)" \
    test "$RC" -eq 0 -a ! -s "$T/out"
# A core shipped on main (its log committed there) reports before any loop.
mkdir -p "$R3/cores/demo/experiments"
git -C "$R" show core-demo:cores/demo/experiments/log.jsonl > "$R3/cores/demo/experiments/log.jsonl"
orch_git -C "$R3" add cores/demo/experiments/log.jsonl
orch_git -C "$R3" commit -qm "ship demo's records on main"
evo "$R3" report --target demo
expect "report: a core shipped on main reports from main's records, making no branch" \
    test "$RC" -eq 0 -a -n "$(grep -o "$ID1" "$T/out")" -a -z "$(git -C "$R3" branch --list core-demo)"
# make loop reads this to pick the champion's workload without being told.
evo "$R3" workload --target demo
expect "workload: names the workload main's records measured the champion on, making no branch" \
    test "$RC" -eq 0 -a "$(cat "$T/out")" = "$(git -C "$R" show core-demo:cores/demo/experiments/log.jsonl |
                                            sed -n 's/.*"workload":"\([a-z+]*\)".*/\1/p' | head -n 1)" -a \
         -s "$T/out" -a -z "$(git -C "$R3" branch --list core-demo)"
EVOR=$(realpath "$BUILD/bin/evo" 2>/dev/null)
if [ -n "$EVOR" ] && [ -x "$EVOR" ]; then
    mkdir -p "$T/emptypath"
    (cd "$R3" && PATH=$T/emptypath exec "$EVOR" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
    expect "tools: evo names the missing tools before it starts" \
        bash -c "grep -q 'missing tools: verilator (gate lint)' '$T/out' && grep -q 'make setup' '$T/out'"
else
    t_skip "tools: evo names the missing tools before it starts" "$BUILD/bin/evo is not built"
fi

# --- critical path and cells by instance reach the prompt and the report; an agent acts on them
CPR=$T/critpath
orch_repo "$CPR"
sed -i 's|// fake: fmax=50 cycles=200000 lut=3000 ff=900|// fake: fmax=50 cycles=200000 lut=3000 ff=900 crit=alu_carry|' "$CPR/cores/demo/rtl/core.sv"
orch_git -C "$CPR" commit -qam "the fake critical path runs through alu_carry"
evo "$CPR" next --target demo -k 1 --agent "cmd:$(realpath test/orch/agents/critpath.sh)"
L=$(git -C "$CPR" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
expect "critical path: the pnr result's path is in the log entry" \
    test "$(jq -r '.critical_path.signals[0] + " " + .critical_path.rtl[0]' <<<"$L")" = "alu_carry rtl/core.sv:7"
expect "critical path: the hypothesis prompt names it" \
    grep -q "^Critical path of the champion .* through alu_carry; RTL: rtl/core.sv:7" "$(field "$L" rundir)/prompt-hypothesis.md"
expect "critical path: a cmd: agent that reads only it retimed the named signal in the named file, and won" \
    test "$(jq -r '.hypothesis.title + "|" + .hypothesis.changes[0].file + "|" + .outcome' <<<"$L")" = \
    "Retime alu_carry off the critical path|rtl/core.sv|improvement"
expect "cells by instance: the prompt says where the champion's logic is" \
    grep -q "^Where the champion's logic is .*u_alu_carry 1 cells (1 LUT4" "$(field "$L" rundir)/prompt-hypothesis.md"
expect "cpi profile: the prompt says where the champion's cycles go (the cosim gate's profile)" \
    grep -q "^Where the champion's cycles go .*: CPI 2.00 over 100000 instructions; .*other 50.0%.* alu 100.0% x 2.00" \
        "$(field "$L" rundir)/prompt-hypothesis.md"
expect "cpi profile: the log entry keeps it" test "$(jq -r .cpi_profile.stalls.other <<<"$L")" = 100000
evo "$CPR" report --target demo
expect "critical path: make report shows the champion's" \
    grep -A1 -q "^champion's critical path" "$T/out"
expect "cpi profile: make report shows the champion's" grep -A1 -q "^where the champion's cycles go" "$T/out"
expect "cells by instance: make report shows the champion's" grep -q "^  u_alu_carry  *1  *1  *0  *0" "$T/out"
expect "formal: the log entry lists the checks proved for every cycle" \
    test "$(jq -c .formal_unbounded <<<"$L")" = '["order"]'
expect "formal: make report says which of the champion's checks hold for every cycle" \
    grep -q "^champion's formal checks proved for every cycle (pdr): order$" "$T/out"

# --- end to end through a real tool: the lint gate runs verilator ------------
EVOL=$(realpath "$BUILD/bin/evo-fake-lint" 2>/dev/null)
if [ -z "$EVOL" ] || [ ! -x "$EVOL" ]; then
    t_skip "e2e: real lint gate" "$BUILD/bin/evo-fake-lint is not built (tools/gates/lint.c missing?)"
elif ! command -v verilator >/dev/null; then
    t_skip "e2e: real lint gate" "verilator is not installed (bash tools/setup.sh)"
else
    R2=$T/repo2
    orch_repo "$R2"
    (cd "$R2" && AGENT_MODES=improve exec "$EVOL" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
    RC=$?
    L=$(git -C "$R2" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
    expect "e2e: real lint passes a clean design, which is merged" test "$RC" -eq 0 -a "$(field "$L" outcome)" = improvement
    expect "e2e: verilator really ran (its figures are in lint.json)" grep -q '"warnings": 0' "$(field "$L" rundir)/lint.json"
    (cd "$R2" && AGENT_MODES=syntax exec "$EVOL" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
    L=$(git -C "$R2" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
    expect "e2e: broken RTL is broken: lint with verilator's error" \
        test "$(field "$L" failed_gate)" = lint -a -n "$(grep -o '%Error' <<<"$L" | head -n1)"
    # kill -9 of evo while a gate's tool runs: the tool must not outlive it
    # (each child gets SIGKILL with its parent; a confined one takes its
    # whole PID namespace with it).
    (cd "$R2" && AGENT_MODES=spin exec "$EVOL" next --target demo --agent "cmd:$AGENT") > "$T/spin.out" 2>&1 &
    EVO_PID=$!
    for _ in $(seq 600); do pgrep -x tb_spin >/dev/null && break; sleep 0.1; done
    expect "orphans: the spinning testbench ran" bash -c "pgrep -x tb_spin >/dev/null"
    { kill -9 "$EVO_PID"; wait "$EVO_PID"; } 2>/dev/null
    expect "orphans: no tool outlives a kill -9 of evo" gone_x tb_spin
    (cd "$R2" && AGENT_MODES=improve exec "$EVOL" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
    expect "orphans: the next run recovers" test "$?" -eq 0 -a -n "$(grep -o 'recovered: removed slot' "$T/out")"
    (cd "$R2" && AGENT_MODES=macrodpi AGENT_MARKER=$T/marker2 exec "$EVOL" next --target demo --agent "cmd:$AGENT") > "$T/out" 2>&1
    L=$(git -C "$R2" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
    expect "e2e: macro-built DPI is broken: sandbox; the real lint never ran, nothing executed" \
        test "$(field "$L" failed_gate)" = sandbox -a ! -e "$(field "$L" rundir)/lint.json" -a ! -e "$T/marker2"
fi
exit 0
