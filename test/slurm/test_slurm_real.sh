#!/usr/bin/env bash
# test_slurm_real.sh — a K=2 round of the REAL pipeline (lint, synth, formal,
# cosim, P&R, fitness: quick mode) run twice on the same two hypotheses:
# once locally and once with EXECUTOR=slurm on a private one-node cluster
# (slurm-up.sh). The two log entries must agree on everything that judges a
# design: outcome, failed gate, first diagnostic line, acceptance, fitness,
# Fmax, cycles, LUTs and flip-flops. Afterwards squeue lists no job of ours.
#   slot 1: DIV_IMPL = 2 (a design that passes every gate)
#   slot 2: the load-sign bug of test/cosim/bugs (a design the verifier rejects)
# About 20 minutes on 2 cores (the round itself: 303-325 s locally, 361-367 s on Slurm): `make test-slurm-real`, not part of make test
# (test_slurm.sh covers the executor on fake gates, real lint and real cosim).
set -u
source test/lib.sh
source test/slurm/lib-slurm.sh
ROOT=$(pwd)
BUILD=${BUILD:-build}
EVO=$(realpath "$BUILD/bin/evo" 2>/dev/null)
for t in verilator yosys yosys-abc nextpnr-ice40 jq; do
    command -v "$t" >/dev/null || { t_skip "slurm real round" "$t is not installed (make setup)"; exit 0; }
done
[ -x "$EVO" ] && [ -e "$BUILD/bench/workload.elf" ] ||
    { t_skip "slurm real round" "$BUILD/bin/evo or the bench ELFs are missing (make test-prereqs)"; exit 0; }
T=$(mktemp -d /tmp/evo-slurm-real.XXXXXX)
cleanup() {
    bash test/slurm/slurm-down.sh "$T/cluster"
    rm -rf "$T"
}
trap cleanup EXIT
slurm_start "slurm real round" "$T/cluster" || exit 0

# The agent: slot 1 moves a knob, slot 2 plants the load-sign bug.
find=$(sed -n 's/^find: //p' test/cosim/bugs/load-sign.bug)
repl=$(sed -n 's/^replace: //p' test/cosim/bugs/load-sign.bug)
bugfile=$(sed -n 's/^file: //p' test/cosim/bugs/load-sign.bug)
printf '%s\n' "$find" > "$T/find"
printf '%s\n' "$repl" > "$T/repl"
cat > "$T/agent.sh" <<AGENT
#!/usr/bin/env bash
set -eu
cat > /dev/null
if [ "\$EVO_PHASE" = hypothesis ]; then
    if [ "\$EVO_SLOT" = 1 ]; then what="Set DIV_IMPL to 2"; file=rtl/core.sv; else what="Change the load path"; file=$bugfile; fi
    cat > "\$EVO_HYPOTHESIS" <<YAML
id: \$EVO_ID
title: "\$what"
category: micro_opt
motivation: "test_slurm_real: the same move judged locally and on Slurm."
hypothesis: "The gates judge this move the same wherever they run."
expected_impact:
  fitness_delta_pct: 1
  confidence: low
changes:
  - file: \$file
    description: "\$what"
YAML
    exit 0
fi
d=cores/\$EVO_TARGET
if [ "\$EVO_SLOT" = 1 ]; then
    sed -i 's/parameter DIV_IMPL = [^;]*;/parameter DIV_IMPL = 2;/' "\$d/rtl/core.sv"
else
    python3 -c 'import sys; p, f, r = sys.argv[1:4]; s = open(p).read(); f = open(f).read().rstrip("\n"); r = open(r).read().rstrip("\n"); assert s.count(f) == 1; open(p, "w").write(s.replace(f, r))' \
        "\$d/$bugfile" "$T/find" "$T/repl"
fi
AGENT
chmod +x "$T/agent.sh"

# A repository per executor, each with this checkout's harness products and
# nothing cached about a design.
clone() { # DIR
    git clone -q "$ROOT" "$1" && git -C "$1" config user.name test && git -C "$1" config user.email test@localhost &&
        mkdir -p "$1/build/models" && cp -a "$BUILD/bench" "$BUILD/bin" "$BUILD/lib" "$1/build/" &&
        for d in "$BUILD"/models/runtime-* "$BUILD"/models/tbrt-*; do [ -e "$d" ] && cp -a "$d" "$1/build/models/"; done
    return 0
}
verdicts() { slurm_verdicts "$1" rs | tail -n 2; } # REPO: the round's two designs (the fork's entry is first)
round() { # NAME EXTRA-ARGS...: fork the baseline as core rs, then one K=2 round; seconds of the round in $T/NAME.s
    local name=$1 t0
    shift
    clone "$T/$name" || return 1
    (cd "$T/$name" && "$EVO" fork --target rs --base baseline --quick "$@") > "$T/$name.fork" 2>&1 || return 1
    t0=$SECONDS
    (cd "$T/$name" && "$EVO" next --target rs -k 2 --agent "cmd:$T/agent.sh" --quick "$@") > "$T/$name.out" 2>&1
    echo $((SECONDS - t0)) > "$T/$name.s"
}
if ! round local; then
    t_fail "slurm real round: the local round runs" "$(tail -n 5 "$T/local.fork" "$T/local.out" 2>/dev/null | tr '\n' ' ')"
    exit 0
fi
round slurm --executor slurm
L=$(verdicts "$T/local") S=$(verdicts "$T/slurm")
if [ -n "$L" ] && [ "$L" = "$S" ]; then
    t_pass "slurm real round: K=2 log entries equal the local round's (local $(cat "$T/local.s") s, slurm $(cat "$T/slurm.s") s): $(tr '\n' ' ' <<<"$S")"
else
    t_fail "slurm real round: K=2 log entries equal the local round's" "local: $L; slurm: $S; evo said: $(tail -n 5 "$T/slurm.out" | tr '\n' ' ')"
fi
outcomes=$(jq -r '.outcome' <<<"$L" | paste -sd' ')
if [[ $outcomes == *broken* || $outcomes == *fail* ]] && [ "$(jq -r 'select(.slot == 1) | .failed_gate' <<<"$L")" = null ]; then
    t_pass "slurm real round: slot 1 passed every gate, slot 2 was rejected ($outcomes)"
else
    t_fail "slurm real round: slot 1 passes, slot 2 is rejected" "outcomes: $outcomes"
fi
jobs_run=$(grep -rh '^--- attempt' "$T/slurm/runs" 2>/dev/null | wc -l)
if [ "$jobs_run" -ge 10 ]; then
    t_pass "slurm real round: the gates ran as Slurm jobs ($jobs_run attempts logged)"
else
    t_fail "slurm real round: the gates ran as Slurm jobs" "only $jobs_run job attempts in the run directories"
fi
if [ "$(squeue -h -o '%j' | grep -c '^evo-')" -eq 0 ]; then
    t_pass "slurm real round: no job is left in squeue"
else
    t_fail "slurm real round: no job is left in squeue" "$(squeue -h -o '%j %T')"
fi
