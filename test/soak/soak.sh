#!/usr/bin/env bash
# test/soak/soak.sh — `make soak`: one long `evo loop` (N rounds of K slots,
# the builtin agent by default, the fake gates) on a scratch repository
# (lib-soak.sh), sampled after every round, then judged: nothing may grow
# with the rounds beyond the bounds below. Prints one PASS/FAIL line per
# property (test/unit/check.h protocol), the table of samples and a verdict
# line "soak: ... flat" or "soak: ... GROWS: <metrics>"; exit 1 when not flat.
#
# Sampling: when evo prints "round R+1:" it has finished round R (records
# committed, slots removed). The sampler stops it (SIGSTOP), reads the
# figures and lets it go on; what round R+1 may already have made is left
# out of the counts by its ids. The last row is taken after evo exits.
#
# Figures per sample and their bounds ("first"/"last" = the first and last
# third of the live samples; the log and the records grow by design, so the
# stores that keep them are judged on their growth per round):
#   fds, threads   evo's open descriptors, its threads: last max <= first max + 2
#   rss_kib        evo's resident memory: last median <= first median x 1.25 + 4 MiB
#   procs          processes carrying this run's tag, or children of evo, other
#                  than evo itself: 0 in every sample
#   worktrees      `git worktree list` entries (main + the core's): last max <= first
#   branches       refs/heads: last max <= first
#   wt_kib         .worktrees without the records (cores/demo/experiments,
#                  LESSONS.md): last max <= first max + 64 KiB
#   git_meta_kib   .git without objects/: last max <= first max + 64 KiB + 2 KiB a round
#                  (reflogs add a line per commit)
#   objs/round     loose objects added per round: last mean <= first mean x 1.5 + 8
#   git_kib/round, runs_kib/round, recs_kib/round: bytes added per round:
#                  last mean <= first mean x 1.5 + (growth of the log that round) x 4 + 64 KiB
#
# Environment: N (rounds, default 30), K (slots, default 2), AGENT (default
# builtin), EVO (default $BUILD/bin/evo-fake), SOAK_ENV (extra VAR=value
# words for evo, e.g. ASAN_OPTIONS=...), SOAK_KEEP=1 keeps the scratch
# directory. Run from the repository root.
set -u
source test/lib.sh
ORCH_SRC=$(pwd)
source test/orch/lib-orch.sh
source test/soak/lib-soak.sh
N=${N:-30}
K=${K:-2}
AGENT=${AGENT:-builtin}
BUILD=${BUILD:-build}
EVO=$(realpath "${EVO:-$BUILD/bin/evo-fake}" 2>/dev/null)
if [ -z "$EVO" ] || [ ! -x "$EVO" ]; then
    t_skip soak "${EVO:-$BUILD/bin/evo-fake} is not built (make $BUILD/bin/evo-fake)"
    exit 0
fi
if [ "$N" -lt 3 ]; then
    echo "soak.sh: N=$N: a trend needs at least 3 rounds" >&2
    exit 2
fi
T=$(mktemp -d /tmp/evo-soak.XXXXXX)
[ "${SOAK_KEEP:-0}" = 1 ] || trap 'rm -rf "$T"' EXIT
R=$T/repo
soak_repo "$R"
TAG=evo-soak-$$-$RANDOM
S=$T/samples

kib() { du -sk "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

# sample ROUND PID NEXT: one row of figures after ROUND; PID is evo while it
# lives ("-" after it exited); what belongs to round NEXT is not counted.
sample() {
    local round=$1 pid=$2 next=$3 fds=- thr=- rss=- procs=0 p
    local skip
    skip=$(printf 'demo-r%03d-' "$next")
    if [ "$pid" != - ]; then
        fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
        thr=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    fi
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [ "$p" = "$pid" ] && continue
        if grep -qsaF "SOAK_TAG=$TAG" "/proc/$p/environ" ||
            { [ "$pid" != - ] && [ "$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)" = "$pid" ]; }; then
            procs=$((procs + 1))
        fi
    done
    local wt br objs meta git runs recs wtk log
    wt=$(git -C "$R" worktree list --porcelain | grep '^worktree ' | grep -vc "$skip")
    br=$(git -C "$R" for-each-ref --format='%(refname)' refs/heads | grep -vc "$skip")
    objs=$(find "$R/.git/objects" -type f -path '*/objects/??/*' | wc -l)
    git=$(kib "$R/.git")
    meta=$(du -sk --exclude=objects "$R/.git" | awk '{ print $1 }')
    runs=$(kib "$R/runs")
    recs=$(kib "$R/.worktrees/demo/cores/demo/experiments" "$R/.worktrees/demo/cores/demo/LESSONS.md")
    wtk=$(($(kib "$R/.worktrees") - recs))
    log=$(( ($(stat -c %s "$R/.worktrees/demo/cores/demo/experiments/log.jsonl" 2>/dev/null || echo 0) + 1023) / 1024 ))
    printf '%s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$round" "$fds" "$thr" "$rss" "$procs" "$wt" "$br" \
        "$wtk" "$meta" "$objs" "$git" "$runs" "$recs" "$log" >> "$S"
}

echo "soak: $N rounds x $K slots, agent $AGENT, $EVO, in $T"
echo "round fds threads rss_kib procs worktrees branches wt_kib git_meta_kib objs git_kib runs_kib recs_kib log_kib" > "$S"
t0=$SECONDS
# shellcheck disable=SC2086
(cd "$R" && exec env SOAK_TAG="$TAG" ${SOAK_ENV:-} "$EVO" loop --target demo -n "$N" -k "$K" --agent "$AGENT") \
    > "$T/out" 2>&1 &
E=$!
tail -n +1 -F --pid="$E" "$T/out" 2>/dev/null | while IFS= read -r line; do
    if [[ $line =~ ^\[demo\ r[0-9]+/[0-9]+\]\ round\ ([0-9]+): ]] && [ "${BASH_REMATCH[1]}" -gt 1 ]; then
        r=${BASH_REMATCH[1]}
        kill -STOP "$E" 2>/dev/null && { sample $((r - 1)) "$E" "$r"; kill -CONT "$E"; }
    fi
done
wait "$E"
RC=$?
sleep 0.2 # children killed with evo may take a moment to go
sample "$N" - 0
echo "soak: evo exited with status $RC after $((SECONDS - t0)) s"
[ "$RC" -eq 0 ] || tail -n 5 "$T/out" | sed 's/^/  evo: /'

if [ "$RC" -eq 0 ]; then t_pass "soak: evo loop -n $N -k $K ran to the end"
else t_fail "soak: evo loop -n $N -k $K ran to the end" "status $RC: $(tail -n 2 "$T/out" | tr '\n' ' ')"; fi
rows=$(($(wc -l < "$S") - 1))
if [ "$rows" -ge "$N" ]; then t_pass "soak: a sample after every round"
else t_fail "soak: a sample after every round" "$rows samples for $N rounds (the sampler missed round lines)"; fi

# The judgement: one PASS/FAIL line per property, then the table, then the verdict.
awk -v rounds="$N" '
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{ n++; for (i = 1; i <= NF; i++) v[n, i] = $i; if ($2 != "-") live = n }
function c(name) { return col[name] }
# statistics over rows a..b of column name (live rows only for evo figures)
function mx(name, a, b,   i, m) { m = -1; for (i = a; i <= b; i++) if (v[i, c(name)] + 0 > m) m = v[i, c(name)] + 0; return m }
function med(name, a, b,   i, k, t, x, j) { k = 0; for (i = a; i <= b; i++) x[++k] = v[i, c(name)] + 0
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
    return k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2 }
# mean growth per round from row a-1 to row b
function rate(name, a, b) { return (v[b, c(name)] - v[a - 1, c(name)]) / (b - a + 1) }
function say(ok, name, detail) { printf "%s soak: %s%s\n", ok ? "PASS" : "FAIL", name, ok ? "" : ": " detail
    if (!ok) grows = grows (grows ? ", " : "") name }
END {
    t = int(live / 3); if (t < 1) t = 1
    fa = 1; fb = t; la = live - t + 1; lb = live
    # evo itself (live rows)
    f = mx("fds", fa, fb); l = mx("fds", la, lb)
    say(l <= f + 2, "open file descriptors flat", sprintf("max %d in the last third, %d in the first", l, f))
    f = mx("threads", fa, fb); l = mx("threads", la, lb)
    say(l <= f + 2, "threads flat", sprintf("max %d in the last third, %d in the first", l, f))
    f = med("rss_kib", fa, fb); l = med("rss_kib", la, lb)
    say(l <= f * 1.25 + 4096, "resident memory flat", sprintf("median %d KiB in the last third, %d KiB in the first", l, f))
    # the repository (every row, the last one after evo exited)
    t = int(n / 3); if (t < 1) t = 1
    fa = 1; fb = t; la = n - t + 1; lb = n
    say(mx("procs", 1, n) == 0, "no process left behind", sprintf("up to %d processes of this run besides evo", mx("procs", 1, n)))
    say(mx("worktrees", la, lb) <= v[1, c("worktrees")], "git worktree list flat",
        sprintf("%d worktrees at the end, %d after round 1", mx("worktrees", la, lb), v[1, c("worktrees")]))
    say(mx("branches", la, lb) <= v[1, c("branches")], "branches flat",
        sprintf("%d branches at the end, %d after round 1", mx("branches", la, lb), v[1, c("branches")]))
    f = mx("wt_kib", fa, fb); l = mx("wt_kib", la, lb)
    say(l <= f + 64, "worktrees directory flat (records aside)", sprintf("%d KiB in the last third, %d KiB in the first", l, f))
    f = mx("git_meta_kib", fa, fb); l = mx("git_meta_kib", la, lb)
    say(l <= f + 64 + 2 * (v[n, 1] - v[1, 1]), ".git without objects flat", sprintf("%d KiB in the last third, %d KiB in the first", l, f))
    # growth per round: over the first and the last third of the n - 1 steps
    t = int((n - 1) / 3); if (t < 1) t = 1
    fa = 2; fb = 1 + t; la = n - t + 1; lb = n
    f = rate("objs", fa, fb); l = rate("objs", la, lb)
    say(l <= f * 1.5 + 8, "git objects per round flat", sprintf("%.1f a round in the last third, %.1f in the first", l, f))
    lg = rate("log_kib", la, lb)
    split("git_kib runs_kib recs_kib", store, " ")
    for (s = 1; s <= 3; s++) {
        f = rate(store[s], fa, fb); l = rate(store[s], la, lb)
        say(l <= f * 1.5 + lg * 4 + 64, store[s] " per round flat",
            sprintf("%.1f KiB a round in the last third, %.1f in the first (the log grew %.1f KiB a round)", l, f, lg))
    }
    # the table, then start vs end per figure
    printf "\n"
    for (name in col) hdr[col[name]] = name
    for (i = 1; i <= 14; i++) printf "%13s", hdr[i]; printf "\n"
    for (r = 1; r <= n; r++) { for (i = 1; i <= 14; i++) printf "%13s", v[r, i]; printf "\n" }
    printf "\n%-14s %12s %12s\n", "figure", "after r" v[1, 1], "after r" v[n, 1]
    for (i = 2; i <= 14; i++) printf "%-14s %12s %12s\n", hdr[i], v[1, i], (v[n, i] == "-" ? v[live, i] " (r" v[live, 1] ")" : v[n, i])
    printf "\nsoak: %d rounds x K slots: %s\n", rounds, grows ? "GROWS: " grows : "flat"
    exit grows ? 1 : 0
}' "$S" | sed "s/x K slots/x $K slots/"
ok=${PIPESTATUS[0]}
[ "$RC" -eq 0 ] && [ "$ok" -eq 0 ] && [ "$rows" -ge "$N" ]
