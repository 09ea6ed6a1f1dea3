#!/usr/bin/env bash
# test_orch_coverage.sh — coverage of what a candidate changed, through the
# loop (fake gates: their cosim reports a line holding UNREACHED as never
# exercised, agents/agent.sh mode unreached adds one): the log entry names the
# changed line no program exercised with its text, `make report` and the next
# prompt show it, STRICT_COVERAGE (--strict-coverage) makes it broken: cosim
# naming file:line, and a candidate whose changes all ran reports none.
# Run from the repository root: bash test/orch/test_orch_coverage.sh
set -u
source test/lib.sh
source test/orch/lib-orch.sh
orch_suite_init orch-coverage
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
R=$T/repo

evo() {
    local dir=$1
    shift
    (cd "$dir" && "$EVO" "$@") > "$T/out" 2>&1
    RC=$?
}
next_with() { # MODE [extra evo args]: one round of one slot
    local mode=$1
    shift
    AGENT_MODES=$mode evo "$R" next --target demo -k 1 --agent "cmd:$AGENT" "$@"
}
lastline() { git -C "$R" show "core-demo:cores/demo/experiments/log.jsonl" | tail -n 1; }
expect() {
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "check '$*' failed; evo said: $(tail -n 4 "$T/out" | tr '\n' ' ')"; fi
}
cov() { # JQ-ish: the coverage object of the last line, via python
    python3 -c 'import json,sys; c=json.loads(sys.argv[1]).get("coverage"); print(json.dumps(c, sort_keys=True))' "$(lastline)"
}

orch_repo "$R"

# round 0 and a candidate whose changed lines all ran
next_with improve
L=$(lastline)
expect "coverage: the first measurement records the core's figure, nothing changed" \
    grep -q '"coverage":{"changed_lines":0,"kind":"line","lines":[0-9]*,"lines_hit":[0-9]*,"unexercised":\[\]}' \
    <(git -C "$R" show core-demo:cores/demo/experiments/log.jsonl | head -n 1 | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read()), sort_keys=True, separators=(",",":")))')
expect "coverage: a candidate whose changes all ran reports none" \
    test "$(field "$L" outcome)" = improvement -a "$(cov | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["changed_lines"], len(c["unexercised"]))')" = "1 0"

# a candidate adding a line no program reaches: recorded, not (yet) broken
next_with unreached
L=$(lastline)
LINE=$(git -C "$R" show "core-demo:cores/demo/rtl/core.sv" | grep -n UNREACHED | cut -d: -f1)
expect "coverage: the unexercised changed line is recorded with file, line and text" \
    test "$(cov | python3 -c 'import json,sys; u=json.load(sys.stdin)["unexercised"]; print(len(u), u[0]["file"], u[0]["line"], u[0]["text"])')" \
    = "1 rtl/core.sv $LINE assign trap_hit = 1'b0; // UNREACHED by any program ($(field "$L" id))"
expect "coverage: without STRICT_COVERAGE the slot is judged as usual" test "$(field "$L" outcome)" = improvement
evo "$R" report --target demo
expect "coverage: make report shows the entry's unexercised line" \
    grep -qF "rtl/core.sv:$LINE  assign trap_hit = 1'b0; // UNREACHED by any program ($(field "$L" id))" "$T/out"
expect "coverage: make report shows the champion's coverage figure" grep -q "cosim exercised [0-9]* of [0-9]* coverable RTL lines" "$T/out"

# the next prompt tells the agent
AGENT_MODES=regress evo "$R" next --target demo -k 1 --agent "cmd:$AGENT"
P=$(ls -t "$R"/runs/demo/*/prompt-hypothesis*.md 2>/dev/null | head -n 1)
expect "coverage: the hypothesis prompt lists the earlier slot's unexercised line" \
    grep -q "rtl/core.sv:$LINE  assign trap_hit" "$P"
PI=$(ls -t "$R"/runs/demo/*/prompt-implement*.md 2>/dev/null | head -n 1)
expect "coverage: the implementation prompt says that changed lines must be reached" \
    grep -q "STRICT_COVERAGE=1 it makes the slot broken: cosim" "$PI"

# STRICT_COVERAGE: broken at cosim, naming file:line
AGENT_MODES=unreached evo "$R" next --target demo -k 1 --agent "cmd:$AGENT" --strict-coverage
L=$(lastline)
LINE2=$(( $(git -C "$R" show "core-demo:cores/demo/rtl/core.sv" | grep -n '^endmodule' | cut -d: -f1) ))
expect "strict coverage: an unexercised changed line makes the slot broken: cosim" \
    test "$RC" -eq 0 -a "$(field "$L" outcome)" = broken -a "$(field "$L" failed_gate)" = cosim
expect "strict coverage: the diagnostic names file:line and the text" \
    grep -qF "1 changed line no cosim program exercised: rtl/core.sv:$LINE2 \`assign trap_hit = 1'b0; // UNREACHED" <<<"$L"
expect "strict coverage: the progress line says so" grep -q "broken: cosim: .*(STRICT_COVERAGE)" "$T/out"
AGENT_MODES=improve evo "$R" next --target demo -k 1 --agent "cmd:$AGENT" --strict-coverage
expect "strict coverage: a candidate whose changes all ran passes" test "$(field "$(lastline)" outcome)" = improvement
