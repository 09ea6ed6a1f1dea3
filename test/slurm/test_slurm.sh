#!/usr/bin/env bash
# test_slurm.sh — the slurm executor (tools/orch/executor.h) on a real private
# one-node Slurm cluster (slurm-up.sh), with the fake gates (evo-fake) and the
# real lint gate (evo-fake-lint): the same hypotheses judged locally and as
# Slurm jobs give the same log entries (verdicts, failed gates, figures); the
# real lint runs confined inside its job; an interrupted evo leaves no job in
# squeue; a partition that refuses is retried, then reported as
# infrastructure; a gate job waiting on a drained node is bounded and
# reported as infrastructure; a kill -9 of evo leaves no queued job (the
# reaper). Skips when slurm-wlm/munge are not installed.
# The P&R gate runs in evo with each seed a job of its own: its seeds run as
# jobs, show their state, and a seed that cannot run makes it infrastructure.
# So does the formal gate with each proof a job of its own (the stand-in's
# two proofs are labelled and logged as the real runner's). The real cosim
# gate (gate_on_slurm) builds its model and runs its program batches as
# jobs, with the local run's verdicts and figures. Twelve concurrent tool
# jobs (slurm-jobs) cost one squeue per poll, not one per job.
# Run from the repository root: flock /work/heavy.lock bash test/slurm/test_slurm.sh
set -u
source test/lib.sh
source test/orch/lib-orch.sh
source test/slurm/lib-slurm.sh
BUILD=${BUILD:-build}
EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
EVOLINT=$(realpath "$BUILD/bin/evo-fake-lint" 2>/dev/null)
AGENT=$(realpath test/orch/agents/agent.sh)
if [ -z "$EVO" ] || [ ! -x "$EVO" ]; then
    t_skip slurm "$BUILD/bin/evo-fake is not built (make $BUILD/bin/evo-fake)"
    exit 0
fi
command -v jq >/dev/null || { t_skip slurm "jq is not installed (make setup)"; exit 0; }
T=$(mktemp -d /tmp/evo-slurm.XXXXXX)
SD=$T/cluster
cleanup() {
    [ -n "${EVO_PID:-}" ] && kill "$EVO_PID" 2>/dev/null
    bash test/slurm/slurm-down.sh "$SD"
    rm -rf "$T"
}
trap cleanup EXIT
# Sixteen CPUs advertised: the fake gates cost nothing, and jobs that queue
# for the two real ones would only make the suite slow.
slurm_start slurm "$SD" 16 || exit 0
t_pass "slurm: private cluster starts (slurm-up.sh)"

# run PROG DIR ARGS...: evo in DIR; output in $T/out, status in $RC.
run() {
    local prog=$1 dir=$2
    shift 2
    (cd "$dir" && "$prog" "$@") > "$T/out" 2>&1
    RC=$?
}
expect() { # NAME COMMAND...: pass when the command succeeds
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "check '$*' failed; evo said: $(tail -n 4 "$T/out" | tr '\n' ' ')"; fi
}
verdicts() { slurm_verdicts "$1" demo; }
our_jobs() { squeue -h -o '%j' | grep -c '^evo-' ; }
# bg_evo N STATE MODES EVO-ARGS...: evo next in the background on $T/slurm
# (EVO_PID), then waits until N of its jobs are in STATE (RUNNING, PENDING).
bg_evo() {
    local n=$1 state=$2 modes=$3
    shift 3
    (cd "$T/slurm" && AGENT_MODES=$modes exec "$EVO" next --target demo --agent "cmd:$AGENT" --executor slurm \
        "$@") > "$T/out" 2>&1 &
    EVO_PID=$!
    for _ in $(seq 1 150); do
        [ "$(squeue -h -o '%j %T' | grep -c "^evo-demo-$EVO_PID-.* $state")" -ge "$n" ] && break
        sleep 0.2
    done
}

# --- the same hypotheses, locally and as Slurm jobs -----------------------
MODES=improve,regress,syntax,formalbug,bigarea
orch_repo "$T/local"
orch_repo "$T/slurm"
AGENT_MODES=$MODES run "$EVO" "$T/local" next --target demo -k 5 --agent "cmd:$AGENT"
LRC=$RC
T0=$SECONDS
AGENT_MODES=$MODES run "$EVO" "$T/slurm" next --target demo -k 5 --agent "cmd:$AGENT" --executor slurm
SRC=$RC
expect "slurm: both runs finish (local $LRC, slurm $SRC, $((SECONDS - T0)) s)" test "$LRC $SRC" = "0 0"
verdicts "$T/local" > "$T/local.v"
verdicts "$T/slurm" > "$T/slurm.v"
expect "slurm: the log has round 0 and five slots" test "$(wc -l < "$T/slurm.v")" -eq 6
expect "slurm: every entry (verdict, failed gate, figures) equals the local run's" cmp -s "$T/local.v" "$T/slurm.v" ||
    diff "$T/local.v" "$T/slurm.v"
expect "slurm: the verdicts cover pass, fail at lint, formal and pnr" \
    test "$(jq -r '.failed_gate // "none"' "$T/slurm.v" | sort -u | tr '\n' ' ')" = "formal lint none pnr "
RD=$(ls -d "$T/slurm/runs/demo/"demo-r001-s1-*)
expect "slurm: the gates ran as Slurm jobs named evo-demo-<pid>-r1s1-<gate>" \
    grep -q "^--- attempt 1: job evo-demo-[0-9]*-r1s1-lint$" "$RD/lint.job.log"
expect "slurm: each P&R seed ran as a job of its own (evo-demo-<pid>-r1s1-pnr-seed<n>), pnr itself in evo" \
    test "$(grep -l "^--- attempt 1: job evo-demo-[0-9]*-r1s1-pnr-seed[123]$" "$RD"/seed[123] 2>/dev/null | wc -l)" -eq 3 \
    -a ! -e "$RD/pnr.job.log"
expect "slurm: each formal proof ran as a job of its own (evo-demo-<pid>-r1s1-formal-<check>[.cover]), formal in evo" \
    test "$(grep -l "^--- attempt 1: job evo-demo-[0-9]*-r1s1-formal-order\(.cover\)\?$" \
        "$RD/formal/order.log" "$RD/formal/order.cover.log" 2>/dev/null | wc -l)" -eq 2 -a ! -e "$RD/formal.job.log"
expect "slurm: coremark (it starts no program) ran in evo itself, not as a job" \
    test -e "$RD/coremark.json" -a ! -e "$RD/coremark.job.log"
expect "slurm: no job is left in squeue after the runs" test "$(our_jobs)" -eq 0

# --- the gate cache: a cached result is never submitted -----------------------
AGENT_MODES=regress run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm
AGENT_MODES=regress run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm
RDN=$(ls -d "$T/slurm/runs/demo/"demo-r003-s1-* 2>/dev/null)
expect "cache: an identical candidate is judged from the cache, with no Slurm job" \
    test "$RC" -eq 0 -a -n "$RDN" -a -z "$(ls "$RDN"/*.job.log 2>/dev/null)"
expect "cache: the progress shows cached gates" grep -q "(cached)" "$T/out"

# --- a known verdict cancels the jobs of the gates still running -----------
T0=$SECONDS
AGENT_MODES=formalbug EVO_FAKE_SLEEP_BATCH=120 EVO_FAKE_SLEEP_FORMAL=2 run "$EVO" "$T/slurm" next --target demo \
    -k 1 --agent "cmd:$AGENT" --executor slurm --no-cache
RDF=$(ls -d "$T/slurm/runs/demo/"demo-r004-s1-* 2>/dev/null)
expect "verdict known: the slot is broken at formal without waiting for cosim ($((SECONDS - T0)) s)" \
    test "$RC" -eq 0 -a "$((SECONDS - T0))" -lt 60 -a -n "$RDF"
expect "verdict known: cosim's batch jobs were cancelled and its result says so" \
    test "$(jq -r '.status + " " + (.stopped | tostring)' "$RDF/cosim.json" 2>/dev/null)" = "error true"
expect "verdict known: no job is left in squeue" test "$(our_jobs)" -eq 0

# --- the real lint gate, confined, inside its job -------------------------
if [ -n "$EVOLINT" ] && [ -x "$EVOLINT" ] && command -v verilator >/dev/null; then
    orch_repo "$T/lintl"
    orch_repo "$T/lints"
    AGENT_MODES=improve,syntax run "$EVOLINT" "$T/lintl" next --target demo -k 2 --agent "cmd:$AGENT"
    AGENT_MODES=improve,syntax run "$EVOLINT" "$T/lints" next --target demo -k 2 --agent "cmd:$AGENT" \
        --executor slurm
    expect "real lint: verdicts and figures equal the local run's" cmp -s <(verdicts "$T/lintl") <(verdicts "$T/lints")
    RD=$(ls -d "$T/lints/runs/demo/"demo-r001-s1-*)
    if grep -q '"tools":"bwrap"' <(git -C "$T/lints" show core-demo:cores/demo/experiments/log.jsonl); then
        expect "real lint: verilator ran under the loop's sandbox inside the job" \
            grep -q "(tools confined)" "$RD/lint.job.log"
    else
        t_skip "real lint: confined inside the job" "bubblewrap cannot confine here"
    fi
else
    t_skip "real lint through Slurm" "evo-fake-lint or verilator is missing"
fi

# --- the real cosim gate: its model's build and its program batches as jobs --
# gate_on_slurm runs the gate as the loop does under EXECUTOR=slurm; a model
# cache of its own makes it build the model as jobs too. Quick mode has no
# fresh random seeds, so both runs simulate the same programs.
GOS=$(realpath "$BUILD/bin/gate_on_slurm" 2>/dev/null)
EVOREAL=$(realpath "$BUILD/bin/evo" 2>/dev/null)
CTL=$BUILD/bin/cosimctl
# What judges the design: the verdict, the first failure, the figures (a
# failed run's pass count depends on how the runs were split into batches).
judged() {
    jq -cS '{status, fitness: (.fitness // {} | {workload, cycles, iterations}),
            first: (.first_failure // null | if . then {verdict, message, stall,
                    program: (.program | split("/") | last)} else null end)}
           + (if .status == "pass" then {runs} else {} end)' "$1"
}
cosim_pair() { # NAME TREE [GOS-ARGS...]: quick cosim on TREE here ($T/NAME-l.json) and via Slurm ($T/NAME-s.json)
    local name=$1 tree=$2
    shift 2
    "$CTL" cosim --core baseline --tree "$tree" --quick --rundir "$T/$name-l" > "$T/$name-l.json" 2>/dev/null
    COSIM_MODEL_CACHE=$T/$name-mc "$GOS" --gate cosim --exe "$EVOREAL" --core baseline --tree "$tree" --quick \
        --rundir "$T/$name-s" --build "$BUILD" "$@" > "$T/$name-s.json" 2> "$T/$name-s.err"
}
if [ -x "$GOS" ] && [ -x "$EVOREAL" ] && [ -x "$CTL" ] && command -v verilator >/dev/null &&
    [ -e "$BUILD/bench/workload.elf" ]; then
    T0=$SECONDS
    cosim_pair base "$PWD"
    expect "real cosim: the baseline passes through Slurm with the local run's figures ($((SECONDS - T0)) s for both)" \
        test "$(judged "$T/base-s.json")" = "$(judged "$T/base-l.json")" -a "$(jq -r .status "$T/base-s.json")" = pass
    expect "real cosim: the model was verilated, compiled and linked as jobs" \
        test "$(grep -Ec '^--- attempt 1: job evo-gos-[0-9]+-t-cosim-model-(verilate|harness0|harness1|link)$' "$T/base-s/cosim.log")" -eq 4
    expect "real cosim: the programs ran as 8 batch jobs, each logged whole" \
        test "$(grep -Ec '^--- attempt 1: job evo-gos-[0-9]+-t-cosim-batch[0-7]$' "$T/base-s/cosim.log")" -eq 8 -a \
        -z "$(ls "$T/base-s" | grep 'job.log$')"
    expect "real cosim: no job is left in squeue" test "$(our_jobs)" -eq 0
    # The multiplier trojan of test/cosim/bugs: caught through Slurm as here.
    bug=$T/trojan
    mkdir -p "$bug/cores/baseline" && cp -r cores/baseline/rtl "$bug/cores/baseline/"
    find=$(sed -n 's/^find: //p' test/cosim/bugs/mul-trojan.bug)
    repl=$(sed -n 's/^replace: //p' test/cosim/bugs/mul-trojan.bug)
    content=$(<"$bug/cores/baseline/rtl/mul.sv")
    printf '%s\n' "${content/"$find"/"$repl"}" > "$bug/cores/baseline/rtl/mul.sv"
    cosim_pair trojan "$bug"
    expect "real cosim: a trojan fails through Slurm at the local run's first failure" \
        test "$(judged "$T/trojan-s.json")" = "$(judged "$T/trojan-l.json")" -a \
        "$(jq -r .first_failure.verdict "$T/trojan-s.json")" = divergence
    # A batch whose job cannot run: retried, then infrastructure, never a verdict.
    COSIM_MODEL_CACHE=$T/base-mc "$GOS" --gate cosim --exe "$EVOREAL" --core baseline --tree "$PWD" --quick \
        --rundir "$T/infra-s" --build "$BUILD" --partition nosuch > "$T/infra-s.json" 2> "$T/infra-s.err"
    expect "real cosim: batches Slurm refuses make the gate infrastructure, quoting Slurm" \
        test "$(jq -r '.status + " " + (.infrastructure | tostring)' "$T/infra-s.json")" = "error true" -a \
        -n "$(jq -r .diagnostic "$T/infra-s.json" | grep -i '^infrastructure: batch [0-7]: .*invalid partition')"
    expect "real cosim: no job is left in squeue after the refusal" test "$(our_jobs)" -eq 0
else
    t_skip "real cosim through Slurm" "gate_on_slurm, evo, cosimctl, verilator or the bench ELFs are missing (make test-prereqs)"
fi

# --- an interrupted evo leaves no job behind ----------------------------------
EVO_FAKE_SLEEP=60 bg_evo 2 RUNNING improve,same -k 2
expect "interrupt: gates were running as jobs" test "$(our_jobs)" -ge 2
kill -INT "$EVO_PID"
wait "$EVO_PID"
IRC=$?
EVO_PID=
expect "interrupt: evo stops with 130 (got $IRC)" test "$IRC" -eq 130
expect "interrupt: no job is left in squeue" test "$(our_jobs)" -eq 0

# --- an infrastructure fault: retried once, then broken as infrastructure ------
AGENT_MODES=improve run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm \
    --partition nosuch
L=$(git -C "$T/slurm" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
expect "infrastructure: the slot is broken at lint" \
    test "$(jq -r '.outcome + " " + .failed_gate' <<<"$L")" = "broken lint"
expect "infrastructure: the diagnostic begins 'infrastructure:' and quotes Slurm's reason" \
    test "$(jq -r .diagnostic <<<"$L" | head -c 15)" = "infrastructure:" -a \
    -n "$(jq -r .diagnostic <<<"$L" | grep -i 'invalid partition')"
RD=$(jq -r .rundir <<<"$L")
expect "infrastructure: the job was tried twice" test "$(grep -c '^--- attempt' "$RD/lint.job.log")" -eq 2
expect "infrastructure: evo says the environment is at fault" grep -q "could not run" "$T/out"
expect "infrastructure: no job is left in squeue" test "$(our_jobs)" -eq 0

# --- progress: the job's state as Slurm sees it ------------------------------
AGENT_MODES=improve EVO_FAKE_SLEEP=3 run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" \
    --executor slurm --no-cache
expect "progress: a gate's line says where its job runs" grep -q "lint      running on localhost" "$T/out"

AGENT_MODES=improve EVO_FAKE_SLEEP_SEED=4 run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" \
    --executor slurm --no-cache
expect "progress: each P&R seed's job is shown where it runs" \
    test "$(grep -Ec "pnr/seed[123] running on localhost" "$T/out")" -eq 3

# --- one squeue poller for the whole run, whatever the number of jobs ---------
# A wrapper first in PATH counts the squeue calls of twelve concurrent tool
# jobs (slurm-jobs): the poller's fast cadence is one a second, plus the
# reaper's one at the end; a poll per job (the old watchers) made ~100.
SLURMJOBS=$(realpath "$BUILD/bin/slurm-jobs" 2>/dev/null)
if [ -n "$SLURMJOBS" ] && [ -x "$SLURMJOBS" ]; then
    mkdir -p "$T/wrap" "$T/jobs"
    printf '#!/bin/sh\necho "$*" >> "%s"\nexec "%s" "$@"\n' "$T/squeue.calls" "$(command -v squeue)" > "$T/wrap/squeue"
    chmod +x "$T/wrap/squeue"
    : > "$T/squeue.calls"
    run env "$T" PATH="$T/wrap:$PATH" "$SLURMJOBS" "$EVO" "$T/jobs" 12 8
    CALLS=$(wc -l < "$T/squeue.calls")
    WALL=$(sed -n 's/^jobs: .*; wall \([0-9.]*\) s$/\1/p' "$T/out" | awk '{print int($1 + 0.999)}')
    expect "poller: twelve concurrent tool jobs ran ($(tail -n 1 "$T/out"))" test "$RC" -eq 0 -a -n "$WALL"
    expect "poller: squeue ran $CALLS times for 12 jobs in ${WALL:-?} s: at most once a second (+3), not once per job" \
        test "$CALLS" -le "$(( ${WALL:-0} + 3 ))"
    expect "poller: the jobs' progress says where they run" grep -q "^notify: poll .*running on localhost" "$T/out"
    run env "$T" PATH="$T/wrap:$PATH" "$SLURMJOBS" "$EVO" "$T/jobs" 12 60 3
    WALL=$(sed -n 's/^jobs: .*; wall \([0-9]*\).*/\1/p' "$T/out")
    expect "poller: a stopped group's twelve running jobs are scancelled at once ($(tail -n 1 "$T/out"))" \
        test "$RC" -eq 0 -a "${WALL:-99}" -lt 20
    expect "poller: no job is left in squeue" test "$(our_jobs)" -eq 0
else
    t_skip "poller: squeue calls of concurrent jobs" "$BUILD/bin/slurm-jobs is not built (make test-prereqs)"
fi

# --- nodes that cannot run the job: bounded, then infrastructure --------------
# A drained node stays unavailable until resumed (a DOWN one may return by
# itself when its slurmd registers again).
drain() { scontrol update nodename=localhost state=drain reason=evo-test; }
resume() { scontrol update nodename=localhost state=resume; }
drain
T0=$SECONDS
AGENT_MODES=improve run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm \
    --no-cache --slurm-down 3
L=$(git -C "$T/slurm" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
expect "drained node: the wait is bounded ($((SECONDS - T0)) s), the slot is broken as infrastructure" \
    test "$(jq -r '.outcome + " " + .failed_gate' <<<"$L")" = "broken lint" -a "$((SECONDS - T0))" -lt 60
# Slurm words the reason either way, depending on when its scheduler last
# looked at the job: "Nodes required for job are DOWN, DRAINED ..." or
# "ReqNodeNotAvail, UnavailableNodes:localhost" (seen with two jobs pending).
UNAVAIL='DRAIN|ReqNodeNotAvail'
expect "drained node: the diagnostic names Slurm's pending reason" \
    test -n "$(jq -r .diagnostic <<<"$L" | grep -E "^infrastructure: the job waited .*($UNAVAIL)")"
expect "drained node: the progress showed the job queued with its reason" grep -Eq "lint      queued: .*($UNAVAIL)" "$T/out"
expect "drained node: no job is left in squeue" test "$(our_jobs)" -eq 0

# A P&R seed's job on that node: every earlier gate comes from the cache, the
# seeds' jobs wait, are bounded, retried, and the gate is infrastructure.
resume
AGENT_MODES=regress run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm
drain
find "$T/slurm" -path '*gate-cache*' -name 'pnr-*.json' -delete
T0=$SECONDS
AGENT_MODES=regress run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm \
    --slurm-down 3
L=$(git -C "$T/slurm" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
RD=$(jq -r .rundir <<<"$L")
expect "drained node, P&R seeds: the slot is broken at pnr as infrastructure ($((SECONDS - T0)) s)" \
    test "$(jq -r '.outcome + " " + .failed_gate' <<<"$L")" = "broken pnr" -a \
    -n "$(jq -r .diagnostic <<<"$L" | grep -E "^infrastructure: seed [123]: its Slurm job .*($UNAVAIL)")"
expect "drained node, P&R seeds: a seed's job was tried twice" \
    grep -q "^--- attempt 2: job evo-demo-[0-9]*-r[0-9]*s1-pnr-seed1$" "$RD/seed1"
expect "drained node, P&R seeds: no job is left in squeue" test "$(our_jobs)" -eq 0

# A formal proof's job likewise: retried, then the gate is infrastructure
# (and decides the verdict: formal comes before pnr).
find "$T/slurm" -path '*gate-cache*' \( -name 'formal-*.json' -o -name 'pnr-*.json' \) -delete
T0=$SECONDS
AGENT_MODES=regress run "$EVO" "$T/slurm" next --target demo -k 1 --agent "cmd:$AGENT" --executor slurm \
    --slurm-down 3
L=$(git -C "$T/slurm" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
RD=$(jq -r .rundir <<<"$L")
expect "drained node, formal proofs: the slot is broken at formal as infrastructure ($((SECONDS - T0)) s)" \
    test "$(jq -r '.outcome + " " + .failed_gate' <<<"$L")" = "broken formal" -a \
    -n "$(jq -r .diagnostic <<<"$L" | grep -E "^infrastructure: its Slurm job evo-demo-[0-9]*-r[0-9]*s1-formal-order.cover: .*($UNAVAIL)")"
expect "drained node, formal proofs: the proof's job was tried twice" \
    grep -q "^--- attempt 2: job evo-demo-[0-9]*-r[0-9]*s1-formal-order.cover$" "$RD/formal/order.cover.log"
expect "drained node, formal proofs: no job is left in squeue" test "$(our_jobs)" -eq 0

# --- kill -9 of evo: the reaper scancels the run's jobs ----------------------
bg_evo 1 PENDING improve -k 1 --no-cache
expect "kill -9: a job was queued (node drained)" test "$(our_jobs)" -ge 1
kill -9 "$EVO_PID"
wait "$EVO_PID" 2>/dev/null
EVO_PID=
for _ in $(seq 1 50); do [ "$(our_jobs)" -eq 0 ] && break; sleep 0.2; done
expect "kill -9: the queued job was scancelled by the reaper" test "$(our_jobs)" -eq 0
expect "kill -9: the reaper is gone too" test -z "$(pgrep -f 'evo-slurm-reaper evo-demo-')"
resume
git -C "$T/slurm" worktree prune
