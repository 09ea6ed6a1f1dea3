#!/usr/bin/env bash
# Attack 8: a TCP connection to the host's loopback (a listener of the
# suite on ATTACK_PORT). The result is a line in the transcript; the change
# is a regression either way.
source "$(dirname "$0")/lib.sh"
if ( exec 3<>"/dev/tcp/127.0.0.1/${ATTACK_PORT:-1}" && printf 'hello %s\n' "$ATTACK_TAG" >&3 ) 2>/dev/null; then
    printf 'attack connect: done\n'
else
    printf 'attack connect: refused\n'
fi
scale 0.9
exit 0
