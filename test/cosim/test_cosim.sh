#!/usr/bin/env bash
# test_cosim.sh — the lint and cosim gates end to end (run from the repo root).
#  1. the baseline passes the cosim gate in quick mode, with a validated fitness run
#     of each workload of the default set (workload+vm);
#  2. the harness's own verdicts: out-of-bounds store/load, cycle budget, exit
#     code (a workload whose self-check fails: named so), output validation, unreadable ELF; --no-check gives the same cycle
#     count; runs are deterministic; stalls cost cycles;
#  3. the verifier fails when it should: every test/cosim/bugs/*.bug is applied to a
#     copy of cores/baseline and cosim must reject it with the stated verdict,
#     naming the stated instruction (mnemonic) and field, in a message that names
#     cycle, PC, instruction, field, expected and got. A patch that no longer
#     applies is a FAIL (update the .bug file), never a skip;
#  4. lint: the baseline is clean; an RTL warning fails the gate;
#  5. with TARGET=<core> (make test TARGET=...), that core passes lint and quick cosim.
# Models are cached in build/models, so a second run only simulates.
source test/lib.sh
set -u
CTL=build/bin/cosimctl
BUGS=test/cosim/bugs
tmp=$(mktemp -d /tmp/test_cosim.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

get() { "$CTL" get "$1" "$2" 2>/dev/null; }

prereqs_ok() {
    local f
    for f in "$CTL" build/bin/rvgen build/lib/libiss.a build/lib/libcosim.a \
             build/bench/selftest.elf build/bench/isa.elf build/bench/workload.elf build/bench/vm.elf \
             cores/baseline/rtl/core.sv; do
        if [ ! -e "$f" ]; then
            t_fail "cosim prerequisites" "missing $f ('make test-prereqs' builds it)"
            return 1
        fi
    done
    if ! command -v verilator >/dev/null; then
        t_fail "cosim prerequisites" "verilator not installed (bash tools/setup.sh)"
        return 1
    fi
}
prereqs_ok || exit 0

# ---- 1. baseline, quick gate ----
base=$tmp/base.json
if "$CTL" cosim --core baseline --quick --rundir "$tmp/base" >"$base" 2>"$tmp/base.err"; then
    cycles=$(get "$base" fitness.cycles)
    if [ "$(get "$base" fitness.validated)" = true ] && [ "${cycles:-0}" -gt 0 ]; then
        t_pass "baseline passes cosim (quick: $(get "$base" runs.total) runs, fitness $cycles cycles)"
    else
        t_fail "baseline passes cosim (quick)" "no validated fitness: $(get "$base" fitness)"
    fi
    vmc=$(get "$base" fitness.workloads.vm.cycles)
    if [ "$(get "$base" fitness.workload)" = workload+vm ] && [ "$(get "$base" fitness.workloads.vm.validated)" = true ] &&
       [ "${vmc:-0}" -gt 0 ]; then
        t_pass "cosim measures the default workload set workload+vm (vm: $vmc cycles, validated)"
    else
        t_fail "cosim measures the default workload set" "fitness.workload '$(get "$base" fitness.workload)', vm: $(get "$base" fitness.workloads.vm)"
    fi
else
    t_fail "baseline passes cosim (quick)" "$(get "$base" diagnostic | head -n 4 | tr '\n' ' ') $(tail -n 2 "$tmp/base.err")"
fi

# ---- 1a. baseline, the full gate as the loop runs it (every random and dictionary program) ----
full=$tmp/full.json
if COSIM_COVERAGE=off "$CTL" cosim --core baseline --rundir "$tmp/full" >"$full" 2>"$tmp/full.err"; then
    nd=$(get "$full" random.dictionary_count) nr=$(get "$full" verdicts.random.programs)
    if [ "${nd:-0}" -ge 1 ] && [ "${nr:-0}" -ge $((200 + nd)) ]; then
        t_pass "baseline passes the full cosim gate ($(get "$full" runs.total) runs, $nr generated programs, $nd of them dictionary programs)"
    else
        t_fail "baseline passes the full cosim gate" "dictionary_count '$nd', generated programs '$nr' (want >= 200 + dictionary)"
    fi
else
    t_fail "baseline passes the full cosim gate" "$(get "$full" diagnostic | head -n 3 | tr '\n' ' ') $(tail -n 2 "$tmp/full.err")"
fi
rm -rf "$tmp/full"

# ---- 1b. coverage: a line no program reaches is named, the lines that ran are not ----
# A one-line trojan in the ALU (a result bit flipped for one operand pair)
# that random operands never hit; COSIM_COVERAGE=line (quick mode is off by default).
cov=$tmp/cov
mkdir -p "$cov/cores/baseline"
cp -r cores/baseline/rtl "$cov/cores/baseline/"
alu=$cov/cores/baseline/rtl/alu.sv
sed -i 's|^            default: y = a \& b;$|            default: begin\n                y = a \& b;\n                if (a == 32'"'"'h5eed1e55 \&\& b == 32'"'"'h0badf00d) y = y ^ 32'"'"'h1;\n            end|' "$alu"
tline=$(grep -n "5eed1e55" "$alu" | cut -d: -f1)
sline=$(grep -n "3'b000: y = sum;" "$alu" | cut -d: -f1)
covj=$cov/result.json
COSIM_COVERAGE=line "$CTL" cosim --core baseline --tree "$cov" --quick --rundir "$cov/run" >"$covj" 2>"$cov/err"
unex=$(python3 -c 'import json,sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["coverage"]["unexercised"].get("alu.sv", []))))' "$covj" 2>/dev/null)
if [ -n "$tline" ] && [ "$(get "$covj" status)" = pass ] && [[ " $unex " == *" $tline "* ]]; then
    t_pass "coverage: a planted ALU line no program reaches passes cosim and is named unexercised (alu.sv:$tline)"
else
    t_fail "coverage: a planted unreachable ALU line is named" "status $(get "$covj" status), trojan line '$tline', alu.sv unexercised: [$unex]; $(get "$covj" coverage | head -c 300)"
fi
if [ -n "$sline" ] && [[ " $unex " != *" $sline "* ]] && [ "$(get "$covj" coverage.kind)" = line ] &&
   [ "$(get "$covj" coverage.lines_hit)" -gt 0 ]; then
    t_pass "coverage: the lines programs ran are not listed ($(get "$covj" coverage.lines_hit) of $(get "$covj" coverage.lines) lines ran)"
else
    t_fail "coverage: the lines programs ran are not listed" "alu.sv:$sline in [$unex]? kind $(get "$covj" coverage.kind)"
fi
if [ -z "$(get "$base" coverage)" ]; then
    t_pass "coverage: the quick gate collects none unless COSIM_COVERAGE asks"
else
    t_fail "coverage: the quick gate collects none unless COSIM_COVERAGE asks" "$(get "$base" coverage | head -c 200)"
fi

# ---- 2. harness verdicts ----
bin=$("$CTL" model --core baseline --rundir "$tmp/model" 2>"$tmp/model.err")
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    t_fail "harness binary for the baseline" "$(tail -n 3 "$tmp/model.err" | tr '\n' ' ')"
else
    for k in oob-store oob-load spin exit3; do
        build/bin/rvgen --kind "$k" --out "$tmp/$k.elf"
    done
    # expect_run NAME EXIT VERDICT HARNESS-ARGS...
    expect_run() {
        local name=$1 want_rc=$2 want_v=$3
        shift 3
        local out=$tmp/run.jsonl rc v
        rm -f "$out"
        "$bin" --out "$out" "$@" 2>"$tmp/run.err"
        rc=$?
        v=$(sed -n 's/.*"verdict": "\([a-z_]*\)".*/\1/p' "$out" | head -n 1)
        if [ "$rc" -eq "$want_rc" ] && [ "$v" = "$want_v" ]; then
            t_pass "$name"
        else
            t_fail "$name" "exit $rc verdict '$v', want exit $want_rc verdict '$want_v': $(head -c 300 "$out")"
        fi
    }
    expect_run "harness: store outside the map is out of bounds" 3 oob --stall std "$tmp/oob-store.elf"
    expect_run "harness: load outside the map is out of bounds" 3 oob "$tmp/oob-load.elf"
    expect_run "harness: endless program exceeds the cycle budget" 4 budget --max-cycles 20000 "$tmp/spin.elf"
    expect_run "harness: a0 != 0 at EBREAK is an exit_code verdict" 5 exit_code "$tmp/exit3.elf"
    expect_run "harness: output that does not validate" 6 validation --validate coremark build/bench/selftest.elf
    expect_run "harness: unreadable ELF is an error" 8 error "$tmp/missing.elf"
    expect_run "harness: the vm workload failing its own self-check exits 1, an exit_code verdict" 5 exit_code \
        --stall std build/bench/vm-broken.elf
    if grep -q "exited with code 1 (a0 at EBREAK): its self-check failed: vm did not print 'vm: checksums OK'" "$tmp/run.jsonl"; then
        t_pass "harness: the message says the vm workload's self-check failed"
    else
        t_fail "harness: the message says the vm workload's self-check failed" "$(head -c 400 "$tmp/run.jsonl")"
    fi

    cyc() { sed -n 's/.*"cycles": \([0-9]*\), "retired".*/\1/p' "$1" | head -n 1; }
    "$bin" --out "$tmp/c1.jsonl" --stall std build/bench/selftest.elf >/dev/null 2>&1
    "$bin" --out "$tmp/c2.jsonl" --stall std build/bench/selftest.elf >/dev/null 2>&1
    "$bin" --out "$tmp/c3.jsonl" --no-check --stall std build/bench/selftest.elf >/dev/null 2>&1
    "$bin" --out "$tmp/c4.jsonl" --stall none build/bench/selftest.elf >/dev/null 2>&1
    c1=$(cyc "$tmp/c1.jsonl") c2=$(cyc "$tmp/c2.jsonl") c3=$(cyc "$tmp/c3.jsonl") c4=$(cyc "$tmp/c4.jsonl")
    if [ -n "$c1" ] && [ "$c1" = "$c2" ] && [ "$c1" = "$c3" ] && [ "${c4:-0}" -gt 0 ] && [ "$c1" -gt "$c4" ]; then
        t_pass "harness: deterministic, --no-check same cycles ($c1), std stalls cost cycles (none: $c4)"
    else
        t_fail "harness: determinism and stall cost" "std $c1/$c2, no-check $c3, none $c4"
    fi
fi

# ---- 3. bug patches ----
field_of() { sed -n "s/^$1: //p" "$2" | head -n 1; }
apply_bug() { # apply_bug BUGFILE TREE -> 0, or prints why it does not apply
    # Lines apply in order: "file:" names the file the following find/replace
    # pairs edit, so one bug may move a knob and then break the logic it enables.
    local bug=$1 tree=$2 line val file="" find="" target n content pairs=0
    while IFS= read -r line; do
        case $line in
            "file: "*) file=${line#file: } ;;
            "find: "*) find=${line#find: } ;;
            "replace: "*)
                val=${line#replace: }
                target=$tree/cores/baseline/$file
                if [ -z "$file" ] || [ -z "$find" ] || [ ! -f "$target" ]; then
                    echo "malformed bug file (a replace: needs a file: and a find: before it) or missing cores/baseline/$file"
                    return 1
                fi
                n=$(grep -cF -- "$find" "$target")
                if [ "$n" -ne 1 ]; then
                    echo "patch no longer applies: the line '$find' occurs $n times in cores/baseline/$file (update $bug)"
                    return 1
                fi
                content=$(<"$target")
                printf '%s\n' "${content/"$find"/"$val"}" >"$target"
                find="" pairs=$((pairs + 1)) ;;
        esac
    done <"$bug"
    [ "$pairs" -gt 0 ] || { echo "malformed bug file: no find:/replace: pair"; return 1; }
}

for bug in "$BUGS"/*.bug; do
    name=$(basename "$bug" .bug)
    tree=$tmp/bug-$name
    mkdir -p "$tree/cores/baseline"
    cp -r cores/baseline/rtl "$tree/cores/baseline/"
    if ! why=$(apply_bug "$bug" "$tree"); then
        t_fail "bug $name is rejected" "$why"
        continue
    fi
    json=$tree/result.json
    "$CTL" cosim --core baseline --tree "$tree" --quick --rundir "$tree/run" >"$json" 2>"$tree/err"
    rc=$?
    status=$(get "$json" status) verdict=$(get "$json" first_failure.verdict)
    disasm=$(get "$json" first_failure.detail.disasm) field=$(get "$json" first_failure.detail.field)
    message=$(get "$json" first_failure.message)
    mnem=${disasm%% *}
    want_v=$(field_of verdict "$bug") want_m=$(field_of mnemonic "$bug")
    want_f=$(field_of field "$bug") want_msg=$(field_of message "$bug")
    problems=""
    [ "$rc" -eq 1 ] && [ "$status" = fail ] || problems+="gate exit $rc status '$status' (want 1/fail); "
    [ "$verdict" = "$want_v" ] || problems+="verdict '$verdict' (want '$want_v'); "
    if [ -n "$want_m" ] && [[ " $want_m " != *" $mnem "* ]]; then
        problems+="instruction '$disasm' (want one of: $want_m); "
    fi
    [ -z "$want_f" ] || [ "$field" = "$want_f" ] || problems+="field '$field' (want '$want_f'); "
    [ -z "$want_msg" ] || [[ $message == *"$want_msg"* ]] || problems+="message '$message' (want '$want_msg'); "
    # a divergence message names cycle, PC, instruction, field, expected and got
    if [ "$verdict" = divergence ] && [ -n "$field" ] &&
        ! [[ $message =~ ^cycle\ [0-9]+,\ order\ [0-9]+,\ PC\ 0x[0-9a-f]{8},\ .+\ \(0x[0-9a-f]{8}\):\ .+\ expected\ 0x[0-9a-f]{8},\ got\ 0x[0-9a-f]{8} ]]; then
        problems+="message '$message' does not name cycle, PC, instruction, field, expected and got; "
    fi
    if [ -z "$problems" ]; then
        t_pass "bug $name is rejected: $verdict${disasm:+ at '$disasm'}${field:+ ($field)}"
    else
        t_fail "bug $name is rejected" "$problems $(get "$json" diagnostic | head -n 1)"
    fi
done

# ---- 4. lint ----
lint=$tmp/lint.json
if "$CTL" lint --core baseline --rundir "$tmp/lint" >"$lint" 2>/dev/null; then
    t_pass "baseline passes lint ($(get "$lint" testbenches) testbenches, $(get "$lint" tests_passed) tests)"
else
    t_fail "baseline passes lint" "$(get "$lint" diagnostic | head -n 3 | tr '\n' ' ')"
fi
tree=$tmp/lint-bad
mkdir -p "$tree/cores/baseline"
cp -r cores/baseline/rtl "$tree/cores/baseline/"
# a width mismatch on an unused signal: -Wall must report it
sed -i 's/^endmodule/    logic [3:0] lint_probe;\n    assign lint_probe = {y[3:0], 4'"'"'b0};\nendmodule/' \
    "$tree/cores/baseline/rtl/alu.sv"
"$CTL" lint --core baseline --tree "$tree" --rundir "$tree/run" >"$tree/r.json" 2>/dev/null
rc=$?
if [ "$rc" -eq 1 ] && [ "$(get "$tree/r.json" warnings)" -ge 1 ] 2>/dev/null; then
    t_pass "lint rejects an RTL warning"
else
    t_fail "lint rejects an RTL warning" "exit $rc, $(get "$tree/r.json" diagnostic | head -n 2 | tr '\n' ' ')"
fi
# ---- 5. the TARGET core, if any ----
target=${TARGET:-}
if [ -n "$target" ] && [ "$target" != baseline ]; then
    if [ ! -d "cores/$target/rtl" ]; then
        t_fail "core $target" "cores/$target/rtl does not exist"
    else
        for g in lint cosim; do
            out=$tmp/target-$g.json
            if "$CTL" "$g" --core "$target" --quick --rundir "$tmp/target-$g" >"$out" 2>/dev/null; then
                t_pass "core $target passes $g$([ "$g" = cosim ] && echo ' (quick)')"
            else
                t_fail "core $target passes $g" "$(get "$out" diagnostic | head -n 3 | tr '\n' ' ')"
            fi
        done
    fi
fi
exit 0
