#!/usr/bin/env bash
# validate.sh — the `validate` command on the project's schemas: exit codes and
# messages for valid, invalid, corrupted and unusable inputs. Run from the repo root.
source test/lib.sh
BUILD=${BUILD:-build}
bin=$BUILD/bin/validate
if [ ! -x "$bin" ]; then
    t_skip "validate cli" "$bin not built (make $bin)"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/validate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/h.yaml" <<'YAML'
id: mini-r001-s2-beef
title: Register the ALU result
category: structural
motivation: The ALU output feeds the bus address directly and sets the critical path today.
hypothesis: A pipeline register after the ALU shortens the critical path by a third at one cycle per load.
expected_impact: {fitness_delta_pct: 4.5, confidence: low}
changes:
  - {file: rtl/alu.sv, description: register the result}
YAML
sed 's|rtl/alu.sv|../formal/x.sv|' "$tmp/h.yaml" > "$tmp/bad.yaml"
printf 'id: x\n\tbad: tab\n' > "$tmp/tab.yaml"

out=$("$bin" schemas/hypothesis.schema.json "$tmp/h.yaml"); rc=$?
if [ $rc -eq 0 ] && [[ $out == "1 valid, 0 invalid" ]]; then t_pass "validate cli: valid hypothesis exits 0"
else t_fail "validate cli: valid hypothesis exits 0" "rc=$rc out=$out"; fi

out=$("$bin" schemas/hypothesis.schema.json "$tmp/bad.yaml"); rc=$?
if [ $rc -eq 1 ] && [[ $out == *"bad.yaml: /changes/0/file:"* ]]; then t_pass "validate cli: escaping path is reported with its pointer"
else t_fail "validate cli: escaping path is reported with its pointer" "rc=$rc out=$out"; fi

out=$("$bin" schemas/hypothesis.schema.json "$tmp/tab.yaml"); rc=$?
if [ $rc -eq 1 ] && [[ $out == *"tab.yaml:2:1:"*"tab"* ]]; then t_pass "validate cli: malformed YAML names file, line and column"
else t_fail "validate cli: malformed YAML names file, line and column" "rc=$rc out=$out"; fi

good='{"gate":"lint","status":"pass","pass":true,"seconds":1.5,"diagnostic":""}'
printf '%s\n{"gate":"lint","status":"pa\n%s\n{"gate":"lint","status":"fail","pass":true,"seconds":1,"diagnostic":"x"}\n' \
    "$good" "$good" > "$tmp/r.jsonl"
out=$("$bin" schemas/eval_result.schema.json "$tmp/r.jsonl"); rc=$?
if [ $rc -eq 1 ] && [[ $out == *"r.jsonl:2: not valid JSON"* ]] && [[ $out == *"r.jsonl:4: /pass:"* ]] &&
   [[ $out == *"2 valid, 2 invalid"* ]]; then t_pass "validate cli: JSON Lines, corrupted and invalid lines by number"
else t_fail "validate cli: JSON Lines, corrupted and invalid lines by number" "rc=$rc out=$out"; fi

echo '{"type":"bogus"}' > "$tmp/s.json"
out=$("$bin" "$tmp/s.json" "$tmp/h.yaml" 2>&1); rc=$?
if [ $rc -eq 2 ] && [[ $out == *"type"* ]]; then t_pass "validate cli: unusable schema exits 2"
else t_fail "validate cli: unusable schema exits 2" "rc=$rc out=$out"; fi

"$bin" >/dev/null 2>&1; rc=$?
if [ $rc -eq 2 ]; then t_pass "validate cli: usage error exits 2"; else t_fail "validate cli: usage error exits 2" "rc=$rc"; fi
