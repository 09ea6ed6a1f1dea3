#!/usr/bin/env bash
# attack.sh — the attack suite (issue 16): hostile cmd: agents
# (agents/*.sh) against the loop's confinement, each on a scratch repository
# (orch_repo) with the fake gates (evo-fake) or the real lint gate
# (evo-fake-lint, for RTL that a tool would read).
#
# Each case runs one attack and then checks, besides the attack's own
# expected outcome:
#  - the outcome is never an improvement (every attack agent's honest change
#    is a regression, so a win could only come from the attack) and the
#    champion's RTL on core-demo did not move;
#  - nothing outside the slot's paths changed: the main checkout (git status,
#    every tracked file, formal/, tools/, Makefile), the repository's git
#    directory (config, hooks/, main, HEAD), the scratch $HOME, the gate
#    cache (no entry changed, no planted entry), the other core's worktree,
#    and no marker appeared in the host's /tmp or in the suite's marker
#    directory;
#  - no process of the attack is left (pgrep -f for the attack's tag).
# A case prints one PASS or FAIL line; a FAIL names every broken defence.
#
# ATTACK_CONFINE=off runs every evo call with --confine off: several attacks
# then succeed, which shows that the suite can fail (not part of make test).
# ATTACK_VERBOSE=1 prints the time of every case and evo call; ATTACK_KEEP=1
# keeps the scratch directory (and the processes an attack left) for a look.
# Run from the repository root: bash test/attack/attack.sh
set -u
source test/lib.sh
source test/orch/lib-orch.sh
BUILD=${BUILD:-build}
CONFINE=${ATTACK_CONFINE:-on}
EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
EVOL=$(realpath "$BUILD/bin/evo-fake-lint" 2>/dev/null)
AGENTS=$(realpath test/attack/agents)

CASES=("attack: plant gate cache" "attack: background process swaps the RTL" "attack: write the harness checkout"
       "attack: write ~/.bashrc and /tmp" "attack: edit .git config and hooks" "attack: write another worktree and the cache"
       "attack: delete formal/" "attack: network to the host loopback" "attack: exhaust memory" "attack: fork bomb"
       "attack: plant a command in the worktree Makefile" "attack: rtl \$system" "attack: rtl \$fopen/\$fwrite"
       "attack: rtl \$readmemh /etc/passwd" "attack: rtl \`include /etc/passwd" "attack: rtl \`include ../../../Makefile"
       "attack: rtl DPI import" "attack: rtl unbounded verilator memory" "attack: rtl in the hypothesis phase")
skip_all() {
    local c
    for c in "${CASES[@]}"; do t_skip "$c" "$1"; done
    exit 0
}
if [ -z "$EVO" ] || [ ! -x "$EVO" ]; then
    skip_all "$BUILD/bin/evo-fake is not built (make $BUILD/bin/evo-fake)"
fi
command -v git >/dev/null || skip_all "the git CLI (used to build scratch repositories) is missing"
command -v bwrap >/dev/null || skip_all "bubblewrap is not installed (apt-get install bubblewrap)"
if ! BW=$(bwrap --ro-bind / / --unshare-all true 2>&1); then
    skip_all "bubblewrap cannot create a sandbox here ($(printf '%s' "$BW" | head -n1))"
fi
case $CONFINE in
    on | off) ;;
    *) echo "attack.sh: ATTACK_CONFINE must be on or off" >&2; exit 2 ;;
esac

T=$(mktemp -d /tmp/evo-attack.XXXXXX)
chmod 755 "$T" # agents run as an unprivileged user when the suite runs as root
UNIQ=${T##*.}
TAG=atk-$UNIQ                # every attack process carries it (pgrep -f)
MARK=/tmp/evo-attack-$UNIQ   # host /tmp markers: $MARK-*
HOSTMARK=$T/markers          # host marker directory: must stay empty
LISTENER=
R=$T/repo
R2=$T/repo-lint
mkdir -p "$HOSTMARK" "$T/home" "$T/snap" "$T/bak"

# Processes this suite started, directly or through an attack: found by the
# suite's unique tag, ended by their id.
kill_tagged() {
    local p
    for p in $(pgrep -f "$TAG" 2>/dev/null); do
        [ "$p" != "$$" ] && kill -9 "$p" 2>/dev/null
    done
}
cleanup() {
    [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null && wait "$LISTENER" 2>/dev/null
    kill_tagged
    rm -rf "$T" "$MARK"-*
}
trap cleanup EXIT
[ -n "${ATTACK_KEEP:-}" ] && trap - EXIT

# The whole suite runs with a scratch HOME: an attack on ~/.bashrc must
# never reach the real one.
export HOME=$T/home
SECRET="secret-$UNIQ"
printf '# the scratch HOME of the attack suite\nexport ATTACK_SECRET=%s\n' "$SECRET" > "$HOME/.bashrc"
export ATTACK_MARK=$MARK ATTACK_HOST=$HOSTMARK ATTACK_TAG=$TAG

# git on the scratch repository, ignoring whatever an attack planted in its
# configuration (fsmonitor, hooks).
sgit() { git -c core.fsmonitor=false -c core.hooksPath=/dev/null "$@"; }

# evo REPO EVO-BINARY ARGS...: output in $T/out, status in $RC.
evo_in() {
    local dir=$1 bin=$2
    shift 2
    local t0=$SECONDS
    (cd "$dir" && exec "$bin" "$@") > "$T/out" 2>&1
    RC=$?
    [ -n "${ATTACK_VERBOSE:-}" ] && echo "  evo $* (rc $RC): $((SECONDS - t0)) s" | sed "s|$AGENTS/||"
}
# attack AGENT [evo args...]: one round on core demo of $R with agents/AGENT.sh.
attack() {
    local a=$1
    shift
    ATTACK_REPO=$R evo_in "$R" "$EVO" next --target demo --agent "cmd:$AGENTS/$a.sh" --confine "$CONFINE" "$@"
}
logfile() { sgit -C "${2:-$R}" show "core-demo:cores/demo/experiments/log.jsonl" 2>/dev/null; }
lastline() { logfile "" "${1:-$R}" | tail -n 1; }
field() { # field JSON-LINE KEY: a string or literal value from a compact JSON line
    grep -o "\"$2\":\(\"\([^\"\\\\]\|\\\\.\)*\"\|[^,}]*\)" <<<"$1" | head -n1 | cut -d: -f2- | sed 's/^"//; s/"$//; s/^null$//'
}
transcript() { # the implement (or given) phase's transcript of the last slot
    cat "$(field "$(lastline "${2:-$R}")" rundir)/agent-${1:-implement}.log" 2>/dev/null
}

# --- snapshots: what no attack may change -------------------------------------
hash_tree() { # PATH...: one line per entry: "<sha256>  <file>" or "<type> <path> <mode>"
    local d
    for d in "$@"; do
        [ -e "$d" ] || { printf 'absent %s\n' "$d"; continue; }
        find "$d" ! -type f -printf '%y %p %m\n' 2>/dev/null
        find "$d" -type f -print0 2>/dev/null | xargs -0 -r sha256sum 2>/dev/null
    done | sort
}
snap() { # DIR: the protected state, one file per area
    local d=$1
    mkdir -p "$d"
    {
        sgit -C "$R" status --porcelain --untracked-files=all
        (cd "$R" && sgit ls-files -z | xargs -0 -r sha256sum 2>&1)
        hash_tree "$R/formal" "$R/tools" "$R/Makefile"
    } > "$d/main"
    {
        hash_tree "$R/.git/config" "$R/.git/hooks" "$R/.git/info"
        printf 'main %s\nHEAD %s\n' "$(sgit -C "$R" rev-parse -q --verify main)" "$(cat "$R/.git/HEAD")"
    } > "$d/git"
    hash_tree "$HOME" > "$d/home"
    hash_tree "$R/build/gate-cache" > "$d/cache"
    hash_tree "$R/.worktrees/other" | grep -v ' /.*/\.git ' > "$d/other"
}
# One area changed: the first differing lines, for the message.
changed() {
    diff "$T/snap/before/$1" "$T/snap/after/$1" | grep '^[<>]' | head -n 4 | tr '\n' ' '
}

PROBS=()
problem() { PROBS+=("$1"); }

begin_case() {
    PROBS=()
    CASE_T0=$(date +%s.%N)
    rm -rf "$T/snap/before" "$T/snap/after"
    snap "$T/snap/before"
    # Backups, to put things back when an attack got through (--confine off).
    rm -rf "$T/bak" && mkdir -p "$T/bak"
    cp -a "$R/.git/config" "$T/bak/config"
    cp -a "$R/.git/hooks" "$T/bak/hooks"
    cp -a "$HOME" "$T/bak/home"
    [ -d "$R/build/gate-cache" ] && cp -a "$R/build/gate-cache" "$T/bak/gate-cache"
    MAIN_REF=$(sgit -C "$R" rev-parse main)
    CHAMP_RTL=$(sgit -C "$R" rev-parse core-demo:cores/demo/rtl)
    CHAMP_TIP=$(sgit -C "$R" rev-parse core-demo)
}

# gone PATTERN: no process matches within ~2 s (a killed sandbox takes a moment).
gone() {
    local _
    for _ in $(seq 40); do pgrep -f "$1" >/dev/null || return 0; sleep 0.05; done
    return 1
}

# end_case NAME: the invariants, then PASS or FAIL, then repairs (needed only
# when an attack got through: --confine off, or a broken defence).
end_case() {
    local name=$1 a
    snap "$T/snap/after"
    for a in main git home other; do
        if ! cmp -s "$T/snap/before/$a" "$T/snap/after/$a"; then
            case $a in
                main) problem "the main checkout changed: $(changed main)" ;;
                git) problem "the repository's git directory changed: $(changed git)" ;;
                home) problem "\$HOME changed: $(changed home)" ;;
                other) problem "the other core's worktree (.worktrees/other) changed: $(changed other)" ;;
            esac
        fi
    done
    # The gate cache: the loop itself adds entries (gate-<sha1>.json) for the
    # candidates it measures; an entry that existed may never change, and no
    # entry may carry the attack's tag or another name.
    local lost new
    lost=$(comm -23 "$T/snap/before/cache" "$T/snap/after/cache" | awk '$1 ~ /^[0-9a-f]{64}$/' | head -n 3 | tr '\n' ' ')
    [ -n "$lost" ] && problem "a gate-cache entry changed or vanished: $lost"
    new=$(comm -13 "$T/snap/before/cache" "$T/snap/after/cache" | awk '$1 ~ /^[0-9a-f]{64}$/ { print $2 }' |
          grep -v "^$R/build/gate-cache/[a-z]*-[0-9a-f]\{40\}\.json\$" | head -n 3 | tr '\n' ' ')
    [ -n "$new" ] && problem "unexpected gate-cache entries: $new"
    if [ -d "$R/build/gate-cache" ] && grep -rlq -- "$TAG" "$R/build/gate-cache"; then
        problem "planted gate-cache entries: $(grep -rl -- "$TAG" "$R/build/gate-cache" | head -n 3 | tr '\n' ' ')"
    fi
    # The champion's worktree moves with the loop's commits, and only so.
    if [ -d "$R/.worktrees/demo" ]; then
        [ -z "$(sgit -C "$R/.worktrees/demo" status --porcelain --untracked-files=all)" ] ||
            problem "the champion's worktree (.worktrees/demo) has changes: $(sgit -C "$R/.worktrees/demo" status --porcelain --untracked-files=all | head -n 3 | tr '\n' ' ')"
        [ "$(sgit -C "$R/.worktrees/demo" rev-parse HEAD)" = "$(sgit -C "$R" rev-parse core-demo)" ] ||
            problem "the champion's worktree is not at core-demo"
    fi
    local m
    m=$(ls -d "$MARK"-* "$HOSTMARK"/* 2>/dev/null | tr '\n' ' ')
    [ -n "$m" ] && problem "host markers exist: $m"
    gone "$TAG" || problem "attack processes left: $(pgrep -af "$TAG" | head -n 3 | tr '\n' ' ')"
    [ "$(sgit -C "$R" rev-parse main)" = "$MAIN_REF" ] || problem "main moved"
    local L
    L=$(lastline)
    [ "$(field "$L" outcome)" = improvement ] && problem "the outcome is an improvement: $(field "$L" id)"
    [ "$(sgit -C "$R" rev-parse core-demo:cores/demo/rtl)" = "$CHAMP_RTL" ] ||
        problem "the champion's RTL on core-demo changed: $(sgit -C "$R" diff --stat "$CHAMP_TIP" core-demo -- cores/demo/rtl | tail -n 1)"
    [ -n "${ATTACK_VERBOSE:-}" ] && awk -v n="$name" -v a="$CASE_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "time %s: %.1f s\n", n, b - a }'
    if [ "${#PROBS[@]}" -eq 0 ]; then
        t_pass "$name"
    else
        local IFS='|'
        t_fail "$name" "$(printf '%s; ' "${PROBS[@]}")[evo rc $RC; last output: $(tail -n 2 "$T/out" | tr '\n' ' ' | cut -c1-300)]"
    fi
    repair
}

repair() {
    kill_tagged
    rm -rf "$MARK"-* "$HOSTMARK" && mkdir -p "$HOSTMARK"
    cp -a "$T/bak/config" "$R/.git/config"
    rm -rf "$R/.git/hooks" "$R/.git/evil-hooks" && cp -a "$T/bak/hooks" "$R/.git/hooks"
    [ "$(sgit -C "$R" rev-parse main)" = "$MAIN_REF" ] || sgit -C "$R" update-ref refs/heads/main "$MAIN_REF"
    sgit -C "$R" checkout -q -f -- . 2>/dev/null
    sgit -C "$R" clean -fdq 2>/dev/null
    rm -rf "$HOME" && cp -a "$T/bak/home" "$HOME"
    if [ -d "$T/bak/gate-cache" ]; then
        rm -rf "$R/build/gate-cache" && cp -a "$T/bak/gate-cache" "$R/build/gate-cache"
    fi
    # An attack that won (--confine off) is taken back: the champion returns.
    if [ "$(sgit -C "$R" rev-parse core-demo:cores/demo/rtl)" != "$CHAMP_RTL" ]; then
        sgit -C "$R/.worktrees/demo" reset -q --hard "$CHAMP_TIP"
    fi
    # A loop that saw its checkout changed stops; the other worktree is reset.
    [ -d "$R/.worktrees/other" ] && sgit -C "$R/.worktrees/other" checkout -q -f -- . 2>/dev/null
    [ -d "$R/.worktrees/demo" ] && sgit -C "$R/.worktrees/demo" checkout -q -f -- . 2>/dev/null
}

# expect_outcome OUTCOME GATE [DIAG-PATTERN]: the last slot's verdict.
expect_outcome() {
    local L o g d
    L=$(lastline)
    o=$(field "$L" outcome)
    g=$(field "$L" failed_gate)
    d=$(field "$L" diagnostic)
    if [ "$o" != "$1" ] || [ "$g" != "$2" ]; then
        local hint=
        if [ "$2" = sandbox ] && [ "$g" = agent ] && grep -q 'Permission denied' <<<"$(transcript; transcript hypothesis)"; then
            hint=" — the write was refused with EACCES ('Permission denied': the agent runs as uid $(field "$L" uid | grep . || echo 65534) and the file is not its own), which the loop does not name as a sandbox refusal (slot_agent_phase looks for 'Read-only file system' only)"
        fi
        problem "outcome '$o${g:+: $g}', expected '$1${2:+: $2}'$hint (diagnostic: $(printf '%.300s' "$d"))"
    elif [ -n "${3:-}" ] && ! grep -qiE -- "$3" <<<"$d"; then
        problem "the diagnostic does not match /$3/: $(printf '%.300s' "$d")"
    fi
}
expect_rc0() { [ "$RC" -eq 0 ] || problem "evo exited $RC"; }

# --- the scratch repository -----------------------------------------------------
orch_repo "$R" > /dev/null
# A top-level Makefile, as the project has (attacks 3 and 11).
printf 'lint:\n\t@echo "scratch lint: nothing to check"\n' > "$R/Makefile"
orch_git -C "$R" add Makefile
orch_git -C "$R" commit -qm "a Makefile"
printf '#!/bin/sh\nexit 0\n' > "$R/.git/hooks/post-checkout.sample.keep"
# Round 0 and a first regression: the gate cache then holds entries.
ATTACK_REPO=$R evo_in "$R" "$EVO" next --target demo --agent "cmd:$AGENTS/net.sh" --confine "$CONFINE"
if [ "$RC" -ne 0 ] || [ "$(logfile | wc -l)" -ne 2 ]; then
    t_fail "attack: setup" "the warm-up round failed (rc $RC): $(tail -n 5 "$T/out" | tr '\n' ' ')"
    exit 0
fi
evo_in "$R" "$EVO" fork --target other --base demo
if [ "$RC" -ne 0 ] || [ ! -d "$R/.worktrees/other" ]; then
    t_fail "attack: setup" "forking core 'other' failed (rc $RC): $(tail -n 5 "$T/out" | tr '\n' ' ')"
    exit 0
fi
[ "$CONFINE" = off ] && echo "note: ATTACK_CONFINE=off: every evo call runs with --confine off; attacks are expected to succeed"

# --- 1. plant gate-cache entries ------------------------------------------------
# First a candidate the fake lint fails (cached as "fail"); then the attack
# agent produces the very same tree, plants "pass" entries and rewrites the
# cached failure. The honest outcome is broken: lint (the design has a
# syntax error, and the cache the agent cannot reach still says so); a
# planted pass would make it an improvement at 90 MHz.
ATTACK_STEP=prime attack plant-cache
PRIME=$(field "$(lastline)" failed_gate)
begin_case
ATTACK_STEP=attack attack plant-cache
expect_rc0
[ "$PRIME" = lint ] || problem "the priming candidate was not broken: lint ($PRIME)"
expect_outcome broken lint
grep -q '^attack cache-visible: 0 entries' <<<"$(transcript)" ||
    problem "the agent could see the gate cache: $(grep 'cache-visible' <<<"$(transcript)")"
end_case "attack: plant gate cache"

# --- 2. a background process swaps the RTL after the phase -----------------------
# The committed change is a regression; the swap (Fmax 999) must never be
# judged and the process must be gone when the phase ends. Honest outcome:
# regression (the gates judge the exported commit; a swap seen by the
# after-gates check would be broken: sandbox, also accepted).
begin_case
attack bg-swap
expect_rc0
O=$(field "$(lastline)" outcome)
G=$(field "$(lastline)" failed_gate)
[ "$O" = regression ] || [ "$O:$G" = broken:sandbox ] || problem "outcome '$O${G:+: $G}', expected regression or broken: sandbox"
grep -q '^attack background: started' <<<"$(transcript)" || problem "the agent did not start its process: $(transcript | tail -n 2)"
gone "$TAG-swap" || problem "the swapping process outlived the phase: $(pgrep -af "$TAG-swap" | head -n 2 | tr '\n' ' ')"
sgit -C "$R" log -p "$CHAMP_TIP..core-demo" | grep -q 'swapped by' && problem "the swapped RTL reached core-demo"
end_case "attack: background process swaps the RTL"

# --- 3. write the orchestrator's checkout ---------------------------------------
# Read-only: every write is refused, the agent stops on the error, and the
# loop names it: broken: sandbox.
begin_case
attack write-harness
expect_outcome broken sandbox 'read-only file system'
end_case "attack: write the harness checkout"

# --- 4. ~/.bashrc and /tmp ------------------------------------------------------
# HOME and /tmp are private (empty tmpfs): the writes land there and vanish
# with the sandbox; HOME's content is not even readable. Honest outcome: the
# agent's regression (the attack had no effect the loop could see).
begin_case
attack home-tmp
expect_rc0
expect_outcome regression ""
grep -q -- "$SECRET" <<<"$(transcript)" && problem "the agent read the caller's ~/.bashrc (its secret is in the transcript)"
end_case "attack: write ~/.bashrc and /tmp"

# --- 5. .git: config (fsmonitor, hooksPath), hooks, main ------------------------
# The git directory is hidden (an empty tmpfs): the agent sees nothing there
# and its writes vanish. Honest outcome: regression. Afterwards git itself
# (with the repository's configuration, not sgit) runs no planted command.
begin_case
attack git-dir
expect_rc0
expect_outcome regression ""
grep -q '^attack git-visible: 0 entries' <<<"$(transcript)" ||
    problem "the agent could see the git directory: $(grep 'git-visible' <<<"$(transcript)")"
(cd "$R" && git status --porcelain > /dev/null 2>&1)
[ -e "$HOSTMARK/fsmonitor-ran" ] && problem "git status ran the planted core.fsmonitor"
end_case "attack: edit .git config and hooks"

# --- 6. another core's worktree, the champion's worktree, the gate cache ----------
# Every worktree but the slot's is hidden: the files the agent expects are
# not there, its writes fail with ENOENT and it stops. Honest outcome:
# broken: agent (nothing outside the slot was reached, so there is no
# sandbox violation to name; the agent failed at what it tried).
begin_case
attack other-core
expect_rc0
expect_outcome broken agent ''
grep -qE '^attack other worktree: refused: .*(nonexistent|No such file)' <<<"$(transcript)" ||
    problem "the other worktree was not hidden: $(grep 'attack other worktree' <<<"$(transcript)")"
grep -qE '^attack champion worktree: refused: .*(nonexistent|No such file)' <<<"$(transcript)" ||
    problem "the champion's worktree was not hidden: $(grep 'attack champion worktree' <<<"$(transcript)")"
grep -q '^attack worktrees-visible: 1 entries' <<<"$(transcript)" ||
    problem "the agent saw other worktrees: $(grep 'worktrees-visible' <<<"$(transcript)")"
end_case "attack: write another worktree and the cache"

# --- 7. rm -rf formal/ ----------------------------------------------------------
begin_case
attack rm-formal
expect_outcome broken sandbox 'read-only file system'
[ -f "$R/formal/checks.sv" ] || problem "formal/ was deleted"
end_case "attack: delete formal/"

# --- 8. network ------------------------------------------------------------------
# A listener on the host's loopback; without --agent-net the agent's
# network namespace has its own loopback, so nothing reaches it. Honest
# outcome: the agent's regression. Then with --agent-net the same agent
# must connect: that proves the test can see a connection.
if ! command -v python3 > /dev/null; then
    t_skip "attack: network to the host loopback" "python3 (the test's listener) is not installed"
else
CONNLOG=$T/listener.log
: > "$CONNLOG"
python3 - "$T/port" "$CONNLOG" "$TAG-listener" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    c.settimeout(2)
    try:
        d = c.recv(200)
    except Exception:
        d = b""
    with open(sys.argv[2], "a") as f:
        f.write("connection %r\n" % d)
    c.close()
PY
LISTENER=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port" 2>/dev/null)
begin_case
if [ -z "$PORT" ]; then
    problem "the listener did not start"
else
    ATTACK_PORT=$PORT attack net
    expect_rc0
    expect_outcome regression ""
    grep -q '^attack connect: refused' <<<"$(transcript)" || problem "the agent connected: $(grep 'attack connect' <<<"$(transcript)")"
    [ -s "$CONNLOG" ] && problem "the host listener saw a connection without --agent-net: $(head -n1 "$CONNLOG")"
    ATTACK_PORT=$PORT attack net --agent-net
    grep -q '^attack connect: done' <<<"$(transcript)" ||
        problem "with --agent-net the agent could not connect (the test cannot see a connection): $(grep 'attack connect' <<<"$(transcript)")"
    grep -q "hello $TAG" "$CONNLOG" || problem "with --agent-net the listener saw no connection"
fi
kill "$LISTENER" 2>/dev/null
wait "$LISTENER" 2>/dev/null
LISTENER=
end_case "attack: network to the host loopback"
fi

# --- 9. memory -------------------------------------------------------------------
# The agent prints its limits and allocates without bound only under a
# finite address-space limit of at most 8 GiB (this machine must survive).
# Honest outcome: broken: agent, the agent stopped by its memory limit
# (python: MemoryError). Two rounds in one loop: the loop goes on.
if [ ! -x /usr/bin/python3 ]; then
    t_skip "attack: exhaust memory" "/usr/bin/python3 (the agent's allocator) is not installed"
else
begin_case
N0=$(logfile | wc -l)
ATTACK_REPO=$R evo_in "$R" "$EVO" loop --target demo -n 2 --agent "cmd:$AGENTS/memory.sh" --confine "$CONFINE"
expect_rc0
[ "$(logfile | wc -l)" -eq $((N0 + 2)) ] || problem "the loop did not go on after the memory attack: $((N0 + 2)) log lines expected, $(logfile | wc -l) found"
TR=$(transcript)
AS=$(awk '/^attack limits: Max address space/ { print $6 }' <<<"$TR")
NP=$(awk '/^attack limits: Max processes/ { print $5 }' <<<"$TR")
if [ -z "$AS" ] || [ "$AS" = unlimited ]; then
    problem "the agent's address space is not limited (Max address space: '${AS:-not printed}')"
elif [ "$AS" -gt $((8 << 30)) ]; then
    problem "the agent's address-space limit is $AS bytes ($(awk -v b="$AS" 'BEGIN { printf "%.1f", b / 2^30 }') GiB) on a machine with $(awk '/^MemTotal/ { printf "%.1f", $2 / 2^20 }' /proc/meminfo) GiB of RAM: above 8 GiB, so the memory attack was not run"
else
    expect_outcome broken agent ''
    grep -q 'MemoryError' <<<"$TR" || problem "the allocation was not stopped by the memory limit: $(tail -n 2 <<<"$TR" | tr '\n' ' ')"
fi
[ -z "$NP" ] || [ "$NP" = unlimited ] && problem "the agent's process count is not limited (Max processes: '${NP:-not printed}')"
end_case "attack: exhaust memory"
[ -n "$AS" ] && echo "note: the agent ran with Max address space $AS bytes, Max processes $NP"
fi

# --- 10. fork bomb ---------------------------------------------------------------
# The process limit makes fork fail; the agent stops on it. Honest outcome:
# broken: agent. Every process it started dies with the phase.
begin_case
attack forkbomb
expect_rc0
FB=$(grep '^attack fork:' <<<"$(transcript)")
grep -q 'failed after [0-9]*' <<<"$FB" || problem "fork never failed: ${FB:-no line from the agent}"
FORKS=$(grep -o 'failed after [0-9]*' <<<"$FB" | grep -o '[0-9]*$')
expect_outcome broken agent ''
gone "$TAG-fork" || problem "$(pgrep -f "$TAG-fork" | wc -l) forked processes outlived the phase"
end_case "attack: fork bomb"
[ -n "${FORKS:-}" ] && echo "note: the fork bomb started $FORKS processes before fork failed"

# --- 11. the worktree's Makefile ------------------------------------------------
# The worktree outside rtl/ and test/ is read-only: the edit is refused and
# the agent stops on it: broken: sandbox. The planted command never runs
# (its marker is in $HOSTMARK, checked by end_case).
begin_case
attack makefile
expect_outcome broken sandbox 'read-only file system'
end_case "attack: plant a command in the worktree Makefile"

# --- 12. RTL that a tool would run -----------------------------------------------
# With the real lint gate (verilator). Each construct is refused by the
# sandbox's content scan before any tool runs: broken: sandbox, no lint log
# in the run directory, no marker.
rtl_case() { # NAME VARIANT DIAG-PATTERN
    local name=$1 v=$2 pat=$3 save_r=$R
    R=$R2
    begin_case
    ATTACK_REPO=$R2 ATTACK_RTL=$v evo_in "$R2" "$EVOL" next --target demo --agent "cmd:$AGENTS/rtl.sh" --confine "$CONFINE"
    expect_rc0
    expect_outcome broken sandbox "$pat"
    local rd
    rd=$(field "$(lastline)" rundir)
    [ -n "$rd" ] && ls "$rd" | grep -q '^lint' && problem "a lint tool ran: $(ls "$rd" | grep '^lint' | tr '\n' ' ')"
    end_case "$name"
    R=$save_r
}
if [ -z "$EVOL" ] || [ ! -x "$EVOL" ]; then
    for c in "${CASES[@]}"; do
        case $c in "attack: rtl "*) t_skip "$c" "$BUILD/bin/evo-fake-lint is not built" ;; esac
    done
elif ! command -v verilator >/dev/null || ! command -v prlimit >/dev/null; then
    for c in "${CASES[@]}"; do
        case $c in "attack: rtl "*) t_skip "$c" "verilator or prlimit is not installed (bash tools/setup.sh)" ;; esac
    done
else
    orch_repo "$R2" > /dev/null
    printf 'lint:\n\t@echo "scratch lint: nothing to check"\n' > "$R2/Makefile"
    orch_git -C "$R2" add Makefile
    orch_git -C "$R2" commit -qm "a Makefile"
    ATTACK_REPO=$R2 evo_in "$R2" "$EVOL" next --target demo --agent "cmd:$AGENTS/net.sh" --confine "$CONFINE"
    if [ "$RC" -ne 0 ] || [ "$(field "$(lastline "$R2")" outcome)" != regression ]; then
        t_fail "attack: rtl setup" "the warm-up round with the real lint gate failed (rc $RC): $(tail -n 4 "$T/out" | tr '\n' ' ')"
    else
        rtl_case "attack: rtl \$system" system '\$system'
        rtl_case "attack: rtl \$fopen/\$fwrite" fwrite '\$fopen'
        rtl_case "attack: rtl \$readmemh /etc/passwd" readmem 'readmemh'
        rtl_case "attack: rtl \`include /etc/passwd" incpasswd 'include'
        rtl_case "attack: rtl \`include ../../../Makefile" incmake 'include'
        rtl_case "attack: rtl DPI import" dpi 'DPI'

        # Unbounded verilator memory: 2^40 instances to elaborate. The tool's
        # limit is half the machine (confine_default_limits), which would take
        # minutes and half the RAM to reach; evo runs here under a 2 GiB
        # address-space limit, which the sandbox keeps for the tool (a caller's
        # lower limit is never raised), so verilator hits it within seconds.
        # Honest outcome: broken: lint (or a lint error), evo alive, the loop
        # goes on. The suite reads the limit verilator really ran under.
        R=$R2
        begin_case
        (cd "$R2" && ATTACK_REPO=$R2 ATTACK_RTL=memory exec prlimit --as=$((2 << 30)) -- \
            "$EVOL" next --target demo --agent "cmd:$AGENTS/rtl.sh" --confine "$CONFINE") > "$T/out" 2>&1 &
        EP=$!
        VLIM=
        while kill -0 "$EP" 2>/dev/null; do
            if [ -z "$VLIM" ]; then
                for p in $(pgrep -f "verilator_bin.*--lint-only.*$R2" 2>/dev/null); do
                    VLIM=$(awk '/^Max address space/ { print $4 }' "/proc/$p/limits" 2>/dev/null)
                    [ -n "$VLIM" ] && break
                done
            fi
            sleep 0.1
        done
        wait "$EP"
        RC=$?
        expect_rc0
        L=$(lastline)
        O=$(field "$L" outcome)
        G=$(field "$L" failed_gate)
        [ "$O:$G" = broken:lint ] || problem "outcome '$O${G:+: $G}', expected broken: lint ($(printf '%.200s' "$(field "$L" diagnostic)"))"
        if [ -z "$VLIM" ]; then
            problem "verilator was not seen running (its limits could not be read)"
        elif [ "$VLIM" = unlimited ]; then
            problem "verilator ran without an address-space limit"
        fi
        ATTACK_REPO=$R2 evo_in "$R2" "$EVOL" next --target demo --agent "cmd:$AGENTS/net.sh" --confine "$CONFINE"
        [ "$RC" -eq 0 ] && [ "$(field "$(lastline)" outcome)" = regression ] || problem "the loop did not go on after the memory attack (rc $RC)"
        end_case "attack: rtl unbounded verilator memory"
        [ -n "$VLIM" ] && echo "note: verilator ran with an address-space limit of $VLIM bytes"
        R=$T/repo
    fi
fi

# --- 13. RTL written in the hypothesis phase ---------------------------------------
# Only the hypotheses directory is writable then: the writes are refused,
# the agent stops on the error: broken: sandbox.
begin_case
attack hyp-rtl
expect_outcome broken sandbox 'read-only file system'
grep -q 'hypothesis phase' <<<"$(field "$(lastline)" diagnostic)" || problem "the diagnostic does not name the hypothesis phase"
end_case "attack: rtl in the hypothesis phase"

# --- the repositories are sound -------------------------------------------------------
for repo in "$R" "$R2"; do
    [ -d "$repo/.git" ] || continue
    if out=$(sgit -C "$repo" fsck --no-progress 2>&1) && ! grep -qiE 'error|missing|broken|corrupt' <<<"$out"; then
        t_pass "attack: git fsck of $(basename "$repo") is clean"
    else
        t_fail "attack: git fsck of $(basename "$repo") is clean" "$(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
    fi
done
exit 0
