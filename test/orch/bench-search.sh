#!/usr/bin/env bash
# bench-search.sh — how fast the builtin agent finds the best design of a
# core's declared knob space (make bench-search). Run from the repository root.
#
# The gates are the orchestrator's fake ones (test/orch/fakegates.h) scoring
# each design on a seeded MODEL of the space (test/orch/landscape.h, drawn by
# build/bin/search-landscape from the knobs of CORE_YAML, default
# cores/baseline/core.yaml): per-value effects on each workload's cycles, Fmax
# and LCs, pairwise interactions, the hx8k's LC limit and per-seed P&R noise.
# It is not measured place-and-route: real gates cost about 5 CPU minutes a
# design, so no exhaustive ground truth of the real space can be had. The
# best design is computed exhaustively over every design of the model.
#
# For each seed of SEEDS (default "1 2 3 4 5"), on a scratch repository holding
# the core's core.yaml and one rtl/core.sv with its knobs' parameter lines,
# the real loop (evo-fake, AGENT=builtin, EVO_SEED=seed, SLOTS slots a round,
# default 3, workload set workload+vm) runs round after round until the
# champion is the best design, the budget (BUDGET slots, default 2K) is spent
# or the agent says the space is exhausted. K is the number of knob values
# declared; S counts every slot of every round up to the one whose winner
# is the best design (round 0's measurement of the defaults excluded).
# Prints per seed a table (round, slots, champion's measured and model
# fitness, best fitness), the wins the re-measure rule rejected as noise,
# the wins accepted by less than the core's measured P&R noise (should be 0),
# its `slots to best`; then the median over the seeds (a seed that did not
# reach the best ranks after every one that did; for an even count, the lower
# of the two middle ones), and last:
#   slots to best: S of K knob values      (or: not reached in S of K ...)
set -u
BUILD=${BUILD:-build}
EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
LAND=$(realpath "$BUILD/bin/search-landscape" 2>/dev/null)
CORE_YAML=${CORE_YAML:-cores/baseline/core.yaml}
SEEDS=${SEEDS:-1 2 3 4 5}
SLOTS=${SLOTS:-3}
for b in "$EVO" "$LAND"; do
    [ -n "$b" ] && [ -x "$b" ] || { echo "bench-search: build $BUILD/bin/evo-fake and $BUILD/bin/search-landscape first (make bench-search)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "bench-search: needs python3 (to read the log)" >&2; exit 2; }
ORCH_SRC=$(pwd)
source test/orch/lib-orch.sh
T=$(mktemp -d /tmp/evo-bench-search.XXXXXX)
if [ -n "${KEEP:-}" ]; then echo "bench-search: keeping $T"; else trap 'rm -rf "$T"' EXIT; fi

# search_repo DIR LANDSCAPE: a scratch repository whose core "baseline"
# declares CORE_YAML's knobs, in one rtl/core.sv at their defaults.
search_repo() {
    local d=$1 land=$2 c=$1/cores/baseline
    orch_repo "$d" >/dev/null
    mkdir -p "$c/rtl" "$c/test"
    sed '/^current:/,$d' "$CORE_YAML" | sed 's/^name: .*/name: baseline/' > "$c/core.yaml"
    printf 'current: {}\n' >> "$c/core.yaml"
    {
        printf '// The knobs of %s, scored by the fake gates on a model (EVO_FAKE_LANDSCAPE).\n' "$CORE_YAML"
        printf 'module core (\n    input logic clock,\n    output logic [31:0] count\n);\n'
        awk '$1 == "knob" { printf "    parameter %s = %s;\n", $2, $3 }' "$land"
        printf '    always_ff @(posedge clock) count <= count + 32'"'"'d1;\nendmodule\n'
    } > "$c/rtl/core.sv"
    printf 'module tb;\n  initial $display("ok");\nendmodule\n' > "$c/test/tb.sv"
    printf 'Search the knobs.\n' > "$c/CORE_PHILOSOPHY.md"
    orch_git -C "$d" add -A
    orch_git -C "$d" commit -qm "core baseline: the knobs of $CORE_YAML"
}

# The champion's parameter lines on the core branch, as NAME=V words.
champion_design() {
    git -C "$1" show core-baseline:cores/baseline/rtl/core.sv |
        sed -n 's/^ *parameter \([A-Z_0-9]*\) = \([0-9]*\);.*/\1=\2/p' | tr '\n' ' '
}

# log_stats REPO: "slots improvements measured_fitness rejected_as_noise small_wins noise_pct round0_fitness remeasured"
log_stats() {
    git -C "$1" show core-baseline:cores/baseline/experiments/log.jsonl 2>/dev/null | python3 -c '
import json, sys
slots = wins = rejected = small = remeasured = 0
champ = r0 = None
spreads = []
def spread(e):
    s = sorted(x for x in ((e.get("fmax_mhz") or {}).get("seeds") or []) if isinstance(x, (int, float)))
    if len(s) < 2:
        return None
    n = len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return 100.0 * (s[-1] - s[0]) / med
def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
for line in sys.stdin:
    if not line.strip():
        continue
    e = json.loads(line)
    sp = spread(e)
    if sp is not None:
        spreads.append(sp)
    noise = median(spreads) if spreads else 0.0
    if e["round"] >= 1:
        slots += 1
        if e.get("remeasure"):
            remeasured += 1
            rejected += e["outcome"] != "improvement"
        if e["outcome"] == "improvement":
            wins += 1
            d = e.get("delta_pct")
            if isinstance(d, (int, float)) and d < noise:
                small += 1
    if e["outcome"] == "improvement":
        champ = e.get("fitness")
        if e["round"] == 0:
            r0 = champ
print(slots, wins, "%.2f" % (champ or 0), rejected, small, "%.2f" % (median(spreads) if spreads else 0),
      "%.2f" % (r0 or 0), remeasured)
'
}

model_fitness() { "$LAND" eval "$1" $2 | awk '$1 == "fitness" { print $2 }'; }
is_best() { "$LAND" eval "$1" $2 | awk '$1 == "is_best" { print $2 }'; }

echo "bench-search: the builtin agent on a MODEL of the knob space of $CORE_YAML (test/orch/landscape.h:"
echo "bench-search: fake gates, seeded effects and P&R noise), not on measured place-and-route"
results=()
K=
budget=
fails=0
for seed in $SEEDS; do
    land=$T/land-$seed.txt
    "$LAND" gen "$CORE_YAML" "$seed" > "$land" || { echo "bench-search: seed $seed: no landscape" >&2; exit 1; }
    "$LAND" best "$land" > "$T/best-$seed"
    get() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$T/best-$seed"; }
    K=$(get values)
    budget=${BUDGET:-$((2 * K))}; [ -n "$budget" ] || budget=$((2 * K))
    best_fit=$(get fitness)
    echo "seed $seed: K = $K knob values; $(get designs) distinct designs ($(get placed) place), best over all of them:"
    echo "seed $seed:   $(get best): fitness $best_fit it/s (model), the second best $(get second)"
    echo "seed $seed: $(sed -n 2,3p "$land" | sed 's/^# //' | tr '\n' ' ')"
    R=$T/repo-$seed
    search_repo "$R" "$land"
    export EVO_FAKE_LANDSCAPE=$land EVO_SEED=$seed WORKLOADS=workload+vm
    unset COREMARK_DIR
    printf '  %5s %6s %18s %16s %12s\n' round slots "champion measured" "champion model" "best model"
    round=0 reached= out=$T/out-$seed
    : > "$out"
    while :; do
        round=$((round + 1))
        if [ "$round" -eq 1 ]; then cmd=(loop -n 1); else cmd=(next); fi
        if ! (cd "$R" && timeout 600 "$EVO" "${cmd[@]}" --target baseline -k "$SLOTS" --agent builtin --repo "$R") >>"$out" 2>&1; then
            if ! grep -q "design space exhausted" "$out"; then
                echo "bench-search: seed $seed round $round: evo failed:" >&2
                tail -n 15 "$out" >&2
                exit 1
            fi
        fi
        read -r slots wins measured rejected small noise r0 remeasured <<<"$(log_stats "$R")"
        design=$(champion_design "$R")
        [ "$round" -eq 1 ] && printf '  %5d %6d %18s %16.2f %12.2f   (the defaults, measured first)\n' 0 0 "$r0" \
            "$(model_fitness "$land" "")" "$best_fit"
        printf '  %5d %6d %18s %16.2f %12.2f\n' "$round" "$slots" "$measured" "$(model_fitness "$land" "$design")" "$best_fit"
        if [ "$(is_best "$land" "$design")" = 1 ]; then reached=$slots; break; fi
        if grep -q "design space exhausted" "$out"; then echo "seed $seed: the agent says the space reachable from its champion is exhausted"; break; fi
        [ "$slots" -ge "$budget" ] && break
    done
    echo "seed $seed: champion $design"
    echo "seed $seed: winners re-measured (gain under twice the noise): $remeasured; wins rejected as noise" \
         "(re-measured, then regressions): $rejected; wins accepted: $wins," \
         "of them smaller than the measured noise ($noise% median seed spread): $small"
    fails=$((fails + small))
    if [ -n "$reached" ]; then
        echo "seed $seed: slots to best: $reached of $K knob values"
        results+=("$reached")
    else
        echo "seed $seed: slots to best: not reached in $slots of $K knob values"
        results+=("x$slots")
    fi
done
# Median over the seeds, a seed that did not reach the best counting as worse than any that did.
line=$(printf '%s\n' "${results[@]}" | awk '{ r = ($1 ~ /^x/) ? 1e9 + substr($1, 2) : $1; print r, $1 }' | sort -n |
       awk '{ v[NR] = $2 } END { print v[int((NR + 1) / 2)] }')
echo "bench-search: seeds $SEEDS, $SLOTS slots a round, budget $budget slots (2K): slots to best per seed: ${results[*]//x/not reached in }"
echo "bench-search: wins accepted smaller than the measured noise, all seeds: $fails"
reached_n=$(printf '%s\n' "${results[@]}" | grep -vc '^x')
within=$(printf '%s\n' "${results[@]}" | awk -v b="$((2 * K))" '$1 !~ /^x/ && $1 <= b' | wc -l)
echo "bench-search: target (best within 2K = $((2 * K)) slots, on every seed): $([ "$within" -eq "${#results[@]}" ] && echo met || echo "NOT met ($within of ${#results[@]} seeds, $reached_n reached at all)")"
echo "bench-search: the median over the $(printf '%s\n' "${results[@]}" | wc -l) seeds:"
if [[ $line == x* ]]; then
    echo "slots to best: not reached in ${line#x} of $K knob values"
else
    echo "slots to best: $line of $K knob values"
fi
