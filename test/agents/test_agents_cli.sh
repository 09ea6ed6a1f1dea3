#!/usr/bin/env bash
# test_agents_cli.sh — evo-agent-builtin on a scratch copy of a real core
# (default cores/baseline; AGENTS_TEST_CORE=<dir> to use another): the
# hypothesis phase for two slots, the implementation phase, the edit touching
# exactly the knob's parameter line, the edited RTL still linting, and the
# command working as a cmd: agent from the EVO_* environment alone.
set -u
. test/lib.sh
BUILD=${BUILD:-build}
bin=$BUILD/bin/evo-agent-builtin
core=${AGENTS_TEST_CORE:-cores/${TEST_CORE:-baseline}}

if [ ! -x "$bin" ]; then
    t_fail agents_cli_binary "$bin is not built (make $bin)"
    exit 0
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
t_expect agents_cli_usage_errors_exit_2 bash -c "'$bin' --phase nonsense --core-dir x >/dev/null 2>&1; [ \$? -eq 2 ]"

if [ ! -f "$core/core.yaml" ]; then
    t_skip agents_cli_on_real_core "$core/core.yaml does not exist yet (the core's knobs are declared there)"
    exit 0
fi

tmp=$(mktemp -d /tmp/agents-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
name=$(basename "$core")
mkdir -p "$tmp/cores" "$tmp/schemas"
cp -r "$core" "$tmp/cores/$name"
rm -f "$tmp/cores/$name/experiments/log.jsonl"   # a fresh core: no history
cp schemas/hypothesis.schema.json "$tmp/schemas/"
cdir=$tmp/cores/$name
id1=$name-r001-s1-aaaa id2=$name-r001-s2-bbbb

if "$bin" --core-dir "$cdir" --id "$id1" --out "$tmp/h1.yaml" --slot 1 --seed 5 >"$tmp/t1" 2>&1 &&
   "$bin" --core-dir "$cdir" --id "$id2" --out "$tmp/h2.yaml" --slot 2 --seed 5 >"$tmp/t2" 2>&1; then
    t_pass agents_cli_hypothesis_two_slots
else
    t_fail agents_cli_hypothesis_two_slots "$(tail -n 3 "$tmp/t1" "$tmp/t2" | tr '\n' ' ')"
    exit 0
fi

# The two slots move different knobs (diversified order), and the files are
# schema-valid when the validator is built.
k1=$(sed -n '/^knobs:/,$p' "$tmp/h1.yaml" | sed -n '2p')
k2=$(sed -n '/^knobs:/,$p' "$tmp/h2.yaml" | sed -n '2p')
if [ -n "$k1" ] && [ -n "$k2" ] && [ "${k1%%:*}" != "${k2%%:*}" ]; then
    t_pass agents_cli_slots_pick_different_knobs
else
    t_fail agents_cli_slots_pick_different_knobs "slot 1: '$k1', slot 2: '$k2'"
fi
if [ -x "$BUILD/bin/validate" ]; then
    t_expect agents_cli_hypotheses_validate "$BUILD/bin/validate" schemas/hypothesis.schema.json "$tmp/h1.yaml" "$tmp/h2.yaml"
else
    t_skip agents_cli_hypotheses_validate "$BUILD/bin/validate is not built (the C suite validates too)"
fi

# Same seed and log: the same proposal.
"$bin" --core-dir "$cdir" --id "$id1" --out "$tmp/h1b.yaml" --slot 1 --seed 5 >/dev/null 2>&1
if cmp -s "$tmp/h1.yaml" "$tmp/h1b.yaml"; then t_pass agents_cli_deterministic
else t_fail agents_cli_deterministic "two runs with seed 5 differ: $(diff "$tmp/h1.yaml" "$tmp/h1b.yaml" | head -n 4 | tr '\n' ' ')"; fi

# Implementation as a cmd: agent: only the EVO_* environment, prompt on stdin,
# the hypothesis file present (as during a hand run).
cp -r "$cdir" "$tmp/before"
printf '# Implement\n' > "$tmp/prompt"
if (cd "$tmp" && EVO_PHASE=implement EVO_CORE_DIR="$cdir" EVO_ID="$id1" EVO_HYPOTHESIS="$tmp/h1.yaml" \
        EVO_PROMPT="$tmp/prompt" EVO_SLOT=1 "$bin" < "$tmp/prompt" >"$tmp/t3" 2>&1); then
    t_pass agents_cli_implement_from_env
else
    t_fail agents_cli_implement_from_env "$(tail -n 3 "$tmp/t3" | tr '\n' ' ')"
fi
# Only parameter lines changed, one per knob of the hypothesis, all under rtl/.
nk=$(sed -n '/^knobs:/,$p' "$tmp/h1.yaml" | grep -c '^  ')
changed=$(diff -r "$tmp/before" "$cdir" | grep -c '^>')
bad=$(diff -r "$tmp/before" "$cdir" | grep '^>' | grep -vc '^> *parameter [A-Za-z_][A-Za-z0-9_]* *= *[^ ;,]*[;,]')
others=$(diff -rq "$tmp/before" "$cdir" | grep -vc "/rtl/")
if [ "$changed" -eq "$nk" ] && [ "$bad" -eq 0 ] && [ "$others" -eq 0 ]; then
    t_pass agents_cli_edits_only_parameter_lines
else
    t_fail agents_cli_edits_only_parameter_lines "$changed changed lines for $nk knobs, $bad not parameter lines, $others files outside rtl/: $(diff -r "$tmp/before" "$cdir" | head -n 6 | tr '\n' ' ')"
fi

if command -v verilator >/dev/null 2>&1; then
    if (cd "$cdir" && timeout 120 nice verilator --lint-only -Wall -Irtl --top-module core rtl/*.sv) >"$tmp/lint" 2>&1; then
        t_pass agents_cli_edited_rtl_lints
    else
        t_fail agents_cli_edited_rtl_lints "$(grep -m 3 -i error "$tmp/lint" | tr '\n' ' ')"
    fi
else
    t_skip agents_cli_edited_rtl_lints "verilator not installed"
fi

# Implementing it again: nothing left to change is a failure, said clearly.
if "$bin" --phase implement --core-dir "$cdir" --id "$id1" --hypothesis "$tmp/h1.yaml" >"$tmp/t4" 2>&1; then
    t_fail agents_cli_implement_twice_refused "a hypothesis already applied was applied again"
elif grep -q "already has its value" "$tmp/t4"; then
    t_pass agents_cli_implement_twice_refused
else
    t_fail agents_cli_implement_twice_refused "$(tail -n 2 "$tmp/t4" | tr '\n' ' ')"
fi
exit 0
