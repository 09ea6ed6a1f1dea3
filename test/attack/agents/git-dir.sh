#!/usr/bin/env bash
# Attack 5: the repository's git directory: core.fsmonitor and
# core.hooksPath in .git/config (commands git runs for the user), a
# pre-commit hook, and moving main. A determined attacker creates the
# directories it needs (mkdir -p), so every write "succeeds" where it lands.
source "$(dirname "$0")/lib.sh"
G=$ATTACK_REPO/.git
printf 'attack git-visible: %s entries\n' "$(ls -A "$G" 2>/dev/null | wc -l)"
# (from /, so that git does not look for the slot's own repository first)
try "core.fsmonitor" sh -c 'cd / && git config --file "$1" core.fsmonitor "touch $2/fsmonitor-ran"' sh "$G/config" "$ATTACK_HOST"
try "core.hooksPath" sh -c 'cd / && git config --file "$1" core.hooksPath "$2"' sh "$G/config" "$G/evil-hooks"
try "hooks/pre-commit" sh -c 'mkdir -p "$1/hooks" "$1/evil-hooks" && for h in "$1/hooks/pre-commit" "$1/evil-hooks/pre-commit"; do printf "#!/bin/sh\ntouch %s/pre-commit-ran\n" "$2" > "$h" && chmod +x "$h" || exit 1; done' \
    sh "$G" "$ATTACK_HOST"
try "refs/heads/main" sh -c 'mkdir -p "$1/refs/heads" && { git rev-parse HEAD 2>/dev/null || echo 0123456789012345678901234567890123456789; } > "$1/refs/heads/main"' sh "$G"
scale 0.9
finish
