#!/usr/bin/env bash
# Attack 4: read and write the caller's ~/.bashrc (a shell start-up file:
# code the user runs next), and leave a marker in the host's /tmp.
source "$(dirname "$0")/lib.sh"
printf 'attack home-read: %s\n' "$(cat "$HOME/.bashrc" 2>&1 | tr '\n' ' ')"
try "~/.bashrc" sh -c 'printf "touch %s/bashrc-ran # %s\n" "$2" "$3" >> "$1"' sh "$HOME/.bashrc" "$ATTACK_HOST" "$ATTACK_TAG"
try "~/.profile" sh -c 'printf "touch %s/profile-ran\n" "$2" > "$1"' sh "$HOME/.profile" "$ATTACK_HOST"
try "/tmp marker" sh -c 'printf "%s\n" "$2" > "$1"' sh "$ATTACK_MARK-tmp" "$ATTACK_TAG"
scale 0.9
finish
