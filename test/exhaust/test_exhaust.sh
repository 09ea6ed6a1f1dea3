#!/usr/bin/env bash
# test/exhaust/test_exhaust.sh — the loop when a resource runs out, on a
# scratch repository (test/orch/lib-orch.sh) with evo on the fake gates and
# the cmd: agent agent.sh. Each case must end with a clear error naming what
# ran out and where, and leave the repository consistent: git fsck clean,
# main unmoved, core-demo where it was or at a commit whose log lines all
# parse, no slot/* branch, slot worktree or stray worktree left; and the next
# run must work once the resource is back. Cases:
#   sparse     the agent leaves 4 GiB of sparse files (truncate)
#   fill       the agent writes until the worktrees' disk (a 48 MiB tmpfs) is full
#   wtfull     the worktrees' disk is full when the slot is checked out
#   runsfull   the run directory's disk is full before the agent starts
#              (test/orch/test_orch_loop.sh fills it during lint)
#   stalelock  a slot branch's lock file left by a write cut short
#   readonly   the repository is read-only, at the start and between rounds
#   notool     a gate's tool disappears between two rounds
# The tmpfs and read-only cases need mount (root) or unshare -rm; they are
# skipped, saying why, without either.
# Run from the repository root: bash test/exhaust/test_exhaust.sh
set -u
source test/lib.sh
ORCH_SRC=$(pwd)
source test/orch/lib-orch.sh
BUILD=${BUILD:-build}
EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
AGENT=cmd:$(realpath test/exhaust/agent.sh)
if [ -z "$EVO" ] || [ ! -x "$EVO" ]; then
    t_skip exhaust "$BUILD/bin/evo-fake is not built (make $BUILD/bin/evo-fake)"
    exit 0
fi
# Not root: the whole suite runs as root of its own user and mount namespace.
if [ "$(id -u)" -ne 0 ] && [ -z "${EXHAUST_NS:-}" ] && unshare -rm true 2>/dev/null; then
    EXHAUST_NS=1 exec unshare -rm bash "$0" "$@"
fi
T=$(mktemp -d /tmp/evo-exhaust.XXXXXX)
MOUNTS=()
cleanup() {
    local m
    for m in "${MOUNTS[@]}"; do umount -l "$m" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
tmpfs() { # DIR SIZE: a tmpfs of SIZE at DIR (made), registered for clean-up
    mkdir -p "$1" && mount -t tmpfs -o "size=$2" tmpfs "$1" && MOUNTS+=("$1")
}
CAN_MOUNT=0
mkdir -p "$T/probe" && tmpfs "$T/probe" 1m && umount "$T/probe" && CAN_MOUNT=1

R=$T/repo
OUT=$T/out
evo() { # ARGS...: evo-fake in $R; output in $OUT, status in $RC
    (cd "$R" && exec "$EVO" "$@") > "$OUT" 2>&1
    RC=$?
}
lastline() { git -C "$R" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1; }
said() { tail -n 6 "$OUT" | tr '\n' ' ' | head -c 700; }
note() { # CASE [PATTERN]: shows what evo said (its last line, or the last line matching PATTERN)
    printf '# %s: %s\n' "$1" "$(grep -e "${2:-.}" "$OUT" | tail -n 1 | head -c 600)"
}
expect() { # NAME CMD...
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "check '$*' failed; evo said: $(said)"; fi
}
# consistent WANT_TIP: the repository checks every case ends with ("-": any
# tip whose log lines all parse).
consistent() {
    local want=$1 why=""
    git -C "$R" fsck --no-progress --no-dangling > "$T/fsck" 2>&1 || why="git fsck: $(head -c 300 "$T/fsck"); "
    [ "$(git -C "$R" rev-parse main)" = "$MAIN0" ] || why+="main moved; "
    if [ "$want" != - ]; then
        [ "$(git -C "$R" rev-parse core-demo)" = "$want" ] || why+="core-demo moved; "
    fi
    git -C "$R" show core-demo:cores/demo/experiments/log.jsonl |
        python3 -c 'import json, sys; [json.loads(l) for l in sys.stdin]' 2>/dev/null || why+="a log line does not parse; "
    [ -z "$(git -C "$R" branch --list 'slot/*')" ] || why+="slot branches: $(git -C "$R" branch --list 'slot/*' | tr -d '\n'); "
    [ -z "$(ls -A "$WT/.slots" 2>/dev/null)" ] || why+="slot worktrees: $(ls "$WT/.slots" | tr '\n' ' '); "
    [ "$(git -C "$R" worktree list | wc -l)" -le 2 ] || why+="worktrees: $(git -C "$R" worktree list | tr '\n' ' '); "
    [ -z "$(ls "$R/.git/worktrees" 2>/dev/null | grep -v '^core-')" ] ||
        why+="worktree registrations: $(ls "$R/.git/worktrees" | tr '\n' ' '); "
    [ -z "$why" ] && return 0
    echo "$why" > "$T/why"
    return 1
}
check_consistent() { # NAME WANT_TIP
    if consistent "$2"; then t_pass "$1: the repository is consistent"
    else t_fail "$1: the repository is consistent" "$(cat "$T/why")"; fi
}
# stop_at ROUND CMD...: runs evo loop (args in EVO_ARGS) in the background,
# stops it when it announces ROUND, runs CMD, lets it go on and waits.
stop_at() {
    local round=$1 line
    shift
    (cd "$R" && exec "$EVO" "${EVO_ARGS[@]}") > "$OUT" 2>&1 &
    local pid=$!
    tail -n +1 -F --pid="$pid" "$OUT" 2>/dev/null | while IFS= read -r line; do
        if [[ $line == *"] round $round: "* ]]; then
            kill -STOP "$pid" && "$@"
            kill -CONT "$pid"
            break
        fi
    done
    wait "$pid"
    RC=$?
}

orch_repo "$R"
MAIN0=$(git -C "$R" rev-parse main)
WT=$R/.worktrees
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "setup: a first round runs" test "$RC" -eq 0

# --- sparse: gigabytes that take no disk -----------------------------------------
TIP=$(git -C "$R" rev-parse core-demo)
G0=$(du -sk "$R/.git" | cut -f1)
t0=$SECONDS
EXHAUST_MODE=sparse evo next --target demo --agent "$AGENT"
expect "sparse: 4 GiB of sparse files make the slot broken: sandbox, naming the file and the limit" \
    test "$RC" -eq 0 -a -n "$(lastline | grep '"failed_gate":"sandbox"' |
        grep -o "cores/demo/rtl/big1.sv is 267386880 bytes in the slot worktree $WT/.slots/[^ ]*, more than the 1048576")"
note sparse 'broken: sandbox'
expect "sparse: refused unread, quickly (under 30 s)" test $((SECONDS - t0)) -lt 30
expect "sparse: nothing of it went into .git (it grew less than 1 MiB)" test $(( $(du -sk "$R/.git" | cut -f1) - G0 )) -lt 1024
check_consistent sparse -

# --- notool: a tool disappears between two rounds ---------------------------------
mkdir -p "$T/tools"
for t in verilator make yosys yosys-abc c++ nextpnr-ice40; do printf '#!/bin/sh\nexit 0\n' > "$T/tools/$t"; done
chmod +x "$T/tools"/*
TIP=$(git -C "$R" rev-parse core-demo)
N0=$(git -C "$R" show core-demo:cores/demo/experiments/log.jsonl | wc -l)
R1=$(( $(lastline | grep -o '"round":[0-9]*' | cut -d: -f2) + 1 ))
export EVO_FAKE_TOOLS=$T/tools
EVO_ARGS=(loop --target demo -n 3 -k 2 --agent "$AGENT")
EXHAUST_MODE=improve stop_at $((R1 + 1)) rm "$T/tools/yosys"
expect "notool: the loop stops after the round that lost yosys, status 1" test "$RC" -eq 1
expect "notool: the message names the tool, the gate and what to do" \
    grep -q "every slot of round $((R1 + 1)) that reached the gates hit a gate that could not run (synth: error: not found: yosys (run 'bash tools/setup.sh'" "$OUT"
note notool
expect "notool: the first round merged, the second is logged as errors at synth, nothing more" \
    test "$(git -C "$R" show core-demo:cores/demo/experiments/log.jsonl | wc -l)" -eq $((N0 + 4)) -a \
         -n "$(lastline | grep -o '"failed_gate":"synth"')"
check_consistent notool -
printf '#!/bin/sh\nexit 0\n' > "$T/tools/yosys"
chmod +x "$T/tools/yosys"
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "notool: with the tool back the next round merges" test "$RC" -eq 0 -a -n "$(lastline | grep -o '"outcome":"improvement"')"
unset EVO_FAKE_TOOLS

if [ "$CAN_MOUNT" -ne 1 ]; then
    for c in fill wtfull runsfull readonly; do t_skip "$c" "neither mount nor unshare -rm is allowed here"; done
    exit 0
fi

# --- the worktrees on a small tmpfs -----------------------------------------------
# The core worktree moves there (--worktrees), then the cases fill it.
evo clean --target demo
WT=$T/wt
tmpfs "$WT" 48m
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT" --worktrees "$WT"
expect "tmpfs: the loop runs with its worktrees on a 48 MiB tmpfs" test "$RC" -eq 0 -a -d "$WT/demo/cores"

# fill: the agent writes until the disk is full (its file limit is 256 MiB).
TIP=$(git -C "$R" rev-parse core-demo)
EXHAUST_MODE=fill evo next --target demo --agent "$AGENT" --worktrees "$WT"
expect "fill: an agent that fills the disk is broken: sandbox, naming its file and the worktree" \
    test "$RC" -eq 0 -a -n "$(lastline | grep '"failed_gate":"sandbox"' |
        grep -o "cores/demo/rtl/big.sv is [0-9]* bytes in the slot worktree $WT/.slots/")"
note fill 'broken: sandbox'
expect "fill: its round is recorded; the disk is free again" \
    test "$(git -C "$R" rev-parse core-demo~1)" = "$TIP" -a "$(df --output=used -k "$WT" | tail -n1)" -lt 4096
check_consistent fill -

# wtfull: no space left when the slot is checked out.
TIP=$(git -C "$R" rev-parse core-demo)
head -c 60M /dev/zero > "$WT/filler" 2>/dev/null
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT" --worktrees "$WT"
expect "wtfull: a full worktrees disk stops the run (status 1)" test "$RC" -eq 1
expect "wtfull: the error names the worktree path and 'No space left on device'" \
    grep -q "$WT/[^ ]*.*No space left on device" "$OUT"
note wtfull
check_consistent wtfull "$TIP"
rm -f "$WT/filler"
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT" --worktrees "$WT"
expect "wtfull: with space again the next run works" test "$RC" -eq 0
umount "$WT"
evo clean --target demo
WT=$R/.worktrees

# --- runsfull: no space for the run directory ------------------------------------
TIP=$(git -C "$R" rev-parse core-demo)
RUNS=$R/runs/demo
tmpfs "$RUNS" 1m
head -c 2M /dev/zero > "$RUNS/filler" 2>/dev/null
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "runsfull: a full run directory stops the run (status 1)" test "$RC" -eq 1
expect "runsfull: the error names the run directory's path and 'No space left on device'" \
    grep -q "$RUNS/[^ ]*.*No space left on device" "$OUT"
note runsfull
check_consistent runsfull "$TIP"
rm -f "$RUNS/filler"
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "runsfull: with space again the next run works" test "$RC" -eq 0
umount "$RUNS"

# --- stalelock: what a write cut short leaves ----------------------------------------
# A slot branch whose ref write was cut short (a disk gone read-only, a kill)
# keeps its lock file; the next run must still remove the slot.
TIP=$(git -C "$R" rev-parse core-demo)
git -C "$R" branch slot/demo-r099-s1-dead core-demo
: > "$R/.git/refs/heads/slot/demo-r099-s1-dead.lock"
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "stalelock: the next run removes the slot despite its branch's stale lock file, and runs" \
    test "$RC" -eq 0 -a -n "$(grep -o 'recovered: removed slot demo-r099-s1-dead' "$OUT")"
check_consistent stalelock -

# --- readonly: a repository that cannot be written --------------------------------
TIP=$(git -C "$R" rev-parse core-demo)
ro() { mount --bind "$R/.git" "$R/.git" && mount -o remount,bind,ro "$R/.git" && MOUNTS+=("$R/.git"); }
ro
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "readonly: a read-only .git stops the run before anything runs (status 1)" test "$RC" -eq 1
expect "readonly: the error names the path under .git and 'Read-only file system'" \
    grep -q "$R/.git/[^ ]*.*Read-only file system" "$OUT"
note readonly
umount "$R/.git"
check_consistent "readonly (at the start)" "$TIP"
EVO_ARGS=(loop --target demo -n 3 -k 2 --agent "$AGENT")
R1=$(( $(lastline | grep -o '"round":[0-9]*' | cut -d: -f2) + 1 ))
EXHAUST_MODE=improve stop_at $((R1 + 1)) ro
expect "readonly (between rounds): the run stops with status 1" test "$RC" -eq 1
expect "readonly (between rounds): the error names the path under .git and 'Read-only file system'" \
    grep -q "$R/.git/[^ ]*.*Read-only file system" "$OUT"
note "readonly (between rounds)"
umount "$R/.git"
TIP=$(git -C "$R" rev-parse core-demo)
EXHAUST_MODE=improve evo next --target demo --agent "$AGENT"
expect "readonly (between rounds): writable again, the next run cleans up and merges" test "$RC" -eq 0
check_consistent "readonly (between rounds)" -
exit 0
