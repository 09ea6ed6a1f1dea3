#!/usr/bin/env bash
# Attack 3: write into the orchestrator's checkout, outside the worktree,
# by its absolute path and by the path relative to EVO_CORE_DIR: the files
# every gate relies on, modified in place (the typical tampering).
source "$(dirname "$0")/lib.sh"
R=$ATTACK_REPO
UP=$EVO_CORE_DIR/../../../../..
try "formal/checks.sv" sh -c 'printf "// %s\n" "$2" >> "$1"' sh "$R/formal/checks.sv" "$ATTACK_TAG"
try "tools/x.c" sh -c 'printf "// %s\n" "$2" >> "$1"' sh "$R/tools/x.c" "$ATTACK_TAG"
try "Makefile" sh -c 'printf "\n# %s\n" "$2" >> "$1"' sh "$R/Makefile" "$ATTACK_TAG"
try "relative formal/checks.sv" sh -c 'printf "// %s\n" "$2" >> "$1"' sh "$UP/formal/checks.sv" "$ATTACK_TAG"
scale 0.9
finish
