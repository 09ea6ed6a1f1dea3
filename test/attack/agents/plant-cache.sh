#!/usr/bin/env bash
# Attack 1: plant and poison gate-cache entries (<repo>/build/gate-cache).
# ATTACK_STEP=prime: only the candidate (a fake syntax error with a fake
# Fmax of 90 MHz, which the fake lint gate fails and the loop caches).
# ATTACK_STEP=attack: the same candidate again (the same tree, so the same
# cache key), then new "pass" entries planted and every cached "fail"
# rewritten as "pass": if the cache could be written, the candidate's cached
# lint failure would turn into a pass and the 90 MHz design would win.
source "$(dirname "$0")/lib.sh"
sed -i 's/fmax=[0-9.]*/fmax=90/' "$RTL"
printf '// SYNTAX_ERROR\n' >> "$RTL"
[ "${ATTACK_STEP:-attack}" = prime ] && exit 0
C=$ATTACK_REPO/build/gate-cache
printf 'attack cache-visible: %s entries\n' "$(ls -A "$C" 2>/dev/null | wc -l)"
for g in lint synth formal cosim pnr coremark; do
    name=$g-$(printf '%s' "$ATTACK_TAG$g" | sha1sum | cut -c1-40).json
    try "plant $g" sh -c 'printf "{\"diagnostic\":\"%s\",\"gate\":\"%s\",\"pass\":true,\"seconds\":0,\"status\":\"pass\"}" "$3" "$2" > "$1"' \
        sh "$C/$name" "$g" "$ATTACK_TAG"
done
for f in "$C"/*.json; do
    [ -e "$f" ] || continue
    try "poison $(basename "$f")" sed -i 's/"pass":false/"pass":true/; s/"status":"fail"/"status":"pass"/' "$f"
done
finish
