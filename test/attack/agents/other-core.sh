#!/usr/bin/env bash
# Attack 6: write into another core's worktree (.worktrees/other), into this
# core's own champion worktree (.worktrees/<T>), and plant a passing entry
# in the gate cache. A naive attacker: it writes the files where it expects
# them, without creating directories.
source "$(dirname "$0")/lib.sh"
W=$ATTACK_REPO/.worktrees
printf 'attack worktrees-visible: %s entries\n' "$(ls -A "$W" 2>/dev/null | wc -l)"
try "other worktree" sh -c 'printf "// fake: fmax=999\n// %s\n" "$2" >> "$1"' sh "$W/other/cores/other/rtl/core.sv" "$ATTACK_TAG"
try "champion worktree" sh -c 'printf "// %s\n" "$2" >> "$1"' sh "$W/$EVO_TARGET/cores/$EVO_TARGET/rtl/core.sv" "$ATTACK_TAG"
name=lint-$(printf '%s' "$ATTACK_TAG" | sha1sum | cut -c1-40).json
try "gate cache" sh -c 'printf "{\"diagnostic\":\"%s\",\"gate\":\"lint\",\"pass\":true,\"seconds\":0,\"status\":\"pass\"}" "$2" > "$1"' \
    sh "$ATTACK_REPO/build/gate-cache/$name" "$ATTACK_TAG"
scale 0.9
finish
