#!/usr/bin/env bash
# test_bench_search.sh — make bench-search cannot rot: its model and a tiny
# run of it (one seed, two rounds of two slots on the fake gates, seconds).
#  - search-landscape draws a model of cores/baseline/core.yaml's knobs that
#    round-trips, scores the defaults, and finds a best design that is not
#    the defaults and that eval agrees is the best;
#  - the fake gates score the defaults as the model does (the loop's round 0
#    within the P&R noise);
#  - the bench prints its table, the noise counts (no win accepted below the
#    measured noise) and ends with the exact `slots to best: ...` line.
set -u
. test/lib.sh
BUILD=${BUILD:-build}
LAND=$BUILD/bin/search-landscape
if [ ! -x "$LAND" ] || [ ! -x "$BUILD/bin/evo-fake" ]; then
    t_skip bench_search "$LAND or $BUILD/bin/evo-fake is not built (make $LAND $BUILD/bin/evo-fake)"
    exit 0
fi
if ! command -v git >/dev/null || ! command -v python3 >/dev/null; then
    t_skip bench_search "the bench needs git and python3"
    exit 0
fi
tmp=$(mktemp -d /tmp/test-bench-search.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$LAND" gen cores/baseline/core.yaml 5 > "$tmp/land" 2>"$tmp/err"
"$LAND" best "$tmp/land" > "$tmp/best" 2>>"$tmp/err"
val() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$tmp/best"; }
best=$(val best)
knobs=$(grep -c '^  - name:' cores/baseline/core.yaml)
if [ "$(grep -c '^knob ' "$tmp/land")" = "$knobs" ] && [ "$(val values)" = 27 ] && [ -n "$best" ] &&
   grep -q 'knob BTB_ENTRIES 8 4 16 32 64 when BRANCH_PREDICT 2' "$tmp/land"; then
    t_pass bench_search_model_of_the_baseline_knobs
else
    t_fail bench_search_model_of_the_baseline_knobs "$(cat "$tmp/err") $(head -c 600 "$tmp/land")"
fi
is_best=$("$LAND" eval "$tmp/land" $best | awk '$1 == "is_best" { print $2 }')
def_best=$("$LAND" eval "$tmp/land" | awk '$1 == "is_best" { print $2 }')
if [ "$is_best" = 1 ] && [ "$def_best" = 0 ]; then t_pass bench_search_best_is_found_and_is_not_the_defaults
else t_fail bench_search_best_is_found_and_is_not_the_defaults "best '$best': is_best $is_best, defaults $def_best"; fi
# the same draw twice: a seeded model
if "$LAND" gen cores/baseline/core.yaml 5 | cmp -s - "$tmp/land"; then t_pass bench_search_model_is_reproducible
else t_fail bench_search_model_is_reproducible "two draws of seed 5 differ"; fi

out=$tmp/out
BUILD=$BUILD SEEDS=5 SLOTS=2 BUDGET=4 timeout 300 bash test/orch/bench-search.sh >"$out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then t_pass bench_search_tiny_run
else t_fail bench_search_tiny_run "exit $rc: $(tail -n 8 "$out" | tr '\n' ' ')"; fi
# round 0 (the defaults): measured (median of 3 noisy seeds) vs the model, within 5%
r0=$(awk '$1 == 0 && $2 == 0 { print $3, $4 }' "$out")
if [ -n "$r0" ] && awk -v m="${r0% *}" -v t="${r0#* }" 'BEGIN { d = m / t - 1; exit !(d < 0.05 && d > -0.05) }'; then
    t_pass bench_search_fake_gates_score_the_model
else
    t_fail bench_search_fake_gates_score_the_model "round 0 measured/model: '$r0'"
fi
rows=$(awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && $1 >= 1' "$out" | wc -l)
if [ "$rows" -ge 1 ] && [ "$rows" -le 2 ] && grep -q 'wins accepted smaller than the measured noise, all seeds: 0$' "$out"; then
    t_pass bench_search_table_and_noise_counts
else
    t_fail bench_search_table_and_noise_counts "$rows rounds: $(head -n 20 "$out" | tr '\n' ' ')"
fi
last=$(tail -n 1 "$out")
if [[ $last =~ ^slots\ to\ best:\ (not\ reached\ in\ )?[0-9]+\ of\ 27\ knob\ values$ ]]; then
    t_pass bench_search_last_line
else
    t_fail bench_search_last_line "last line: '$last'"
fi
exit 0
