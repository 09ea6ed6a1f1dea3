#!/usr/bin/env bash
# critpath.sh — a cmd: agent that acts only on the critical path the prompt
# names: the hypothesis is about the first signal after "through" in the
# champion's "Critical path" line and the first "RTL:" place; the
# implementation edits that file (a comment at the named line's signal, and
# the fake marker's fmax up 10% when the marker is in that file). Prints
# what it read, for the test.
set -eu
prompt=$(cat)
line=$(grep -m1 '^Critical path of the champion' <<<"$prompt" || true)
sig=$(sed -n 's/.* through \([A-Za-z0-9_.]*\).*/\1/p' <<<"$line")
place=$(sed -n 's/.*; RTL: \(rtl\/[A-Za-z0-9_./-]*\):\([0-9]*\).*/\1/p' <<<"$line")
printf 'critpath agent read: signal=%s place=%s\n' "${sig:-none}" "${place:-none}"
[ -n "$sig" ] && [ -n "$place" ] || { echo "no critical path in the prompt"; exit 5; }
if [ "$EVO_PHASE" = hypothesis ]; then
    cat > "$EVO_HYPOTHESIS" <<YAML
id: $EVO_ID
title: "Retime $sig off the critical path"
category: micro_opt
motivation: "The champion's critical path runs through $sig ($place); moving a register onto it shortens the path that sets Fmax."
hypothesis: Registering $sig shortens the critical path and raises Fmax by about 10% at one extra cycle of latency that the workload rarely sees.
expected_impact:
  fitness_delta_pct: 10
  confidence: medium
changes:
  - file: $place
    description: register $sig
YAML
    exit 0
fi
f="cores/$EVO_TARGET/$place"
[ -f "$f" ] || { echo "the named file $f does not exist"; exit 6; }
printf '// retimed: %s\n' "$sig" >> "$f"
cur=$(grep -o 'fmax=[0-9.]*' "$f" | head -n1 | cut -d= -f2 || true)
[ -n "$cur" ] && sed -i "s/fmax=$cur/fmax=$(awk -v c="$cur" 'BEGIN { printf "%.4f", c * 1.1 }')/" "$f"
exit 0
