#!/usr/bin/env bash
# test/mutate/test_mutate.sh — a fixed sample of baseline mutants through the
# real gates (quick mode) with build/bin/mutate, each outcome checked:
#   alu.sv:37:bitindex  sh_ext[31:0] -> [32:1]: Verilator's lint fails (a bit
#                       unused), so it is stillborn, never counted;
#   alu.sv:22:arith     the ALU adder made a subtractor: cosim kills it;
#   mullo.sv:33:shift   in the MUL_IMPL 4-6 tree, not elaborated with the
#                       baseline's MUL_IMPL 0: proven equivalent, excluded.
# The score over the one scored mutant is then 100%. Heavy (gates, Yosys):
# run it under the shared lock. Results in $BUILD/test-mutate/.
set -u
source test/lib.sh
BUILD=${BUILD:-build}
out=$BUILD/test-mutate
rm -rf "$out"
for t in verilator yosys; do
    if ! command -v "$t" >/dev/null; then t_skip mutate/sample "$t not installed"; exit 0; fi
done
log=$(mktemp)
"$BUILD"/bin/mutate --core baseline --quick --jobs 2 --out "$out" \
    --pick alu.sv:37:bitindex --pick alu.sv:22:arith --pick mullo.sv:33:shift >"$log" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ ! -f "$out/mutate.json" ]; then
    t_fail mutate/run "mutate exited $rc: $(tail -n 5 "$log" | tr '\n' ' ')"
    rm -f "$log"
    exit 0
fi
t_pass mutate/run
outcome() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=[x for x in d["mutants"] if x["id"]==sys.argv[2]][0]; print(m["outcome"], m.get("killed_by") or "-")' "$out/mutate.json" "$1"; }
check() {   # check NAME ID WANT
    local got
    got=$(outcome "$2")
    if [ "$got" = "$3" ]; then t_pass "mutate/$1"; else t_fail "mutate/$1" "$2: got '$got', want '$3'"; fi
}
check stillborn m001 "stillborn -"
check cosim-kill m002 "killed cosim"
check equivalent m003 "equivalent -"
if grep -q '^score: 100% (1 of 1 ' "$log" && grep -q '^  m003 mullo.sv:33 shift: proven equivalent' "$log"; then
    t_pass mutate/report
else
    t_fail mutate/report "no 'score: 100% (1 of 1' line or equivalence reason: $(grep -E '^score|^  m003' "$log" | tr '\n' ' ')"
fi
rm -f "$log"
