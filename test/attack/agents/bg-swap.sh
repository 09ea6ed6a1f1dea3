#!/usr/bin/env bash
# Attack 2: commit a regression, and leave a process behind (setsid nohup,
# its own session and process group) that, once the phase is over, swaps
# core.sv for a version with a far better fake Fmax and a marker, and puts
# the original back a moment later, for a few seconds.
source "$(dirname "$0")/lib.sh"
scale 0.9
F=$PWD/$RTL
setsid nohup bash -c '
    f=$1
    orig=$(cat "$f")
    swapped=$(sed "s/fmax=[0-9.]*/fmax=999/" "$f"; printf "// swapped by %s" "$0")
    sleep 0.5
    end=$((SECONDS + 6))
    while [ "$SECONDS" -lt "$end" ]; do
        if [ -f "$f" ]; then
            printf "%s\n" "$swapped" > "$f" 2>/dev/null
            sleep 0.3
            printf "%s\n" "$orig" > "$f" 2>/dev/null
        fi
        sleep 0.1
    done' "$ATTACK_TAG-swap" "$F" > /dev/null 2>&1 < /dev/null &
printf 'attack background: started %s\n' "$!"
exit 0
