#!/usr/bin/env bash
# A cmd: agent for the exhaustion tests, run in its slot worktree. EXHAUST_MODE:
#   improve  raises the fake marker's fmax by 20% (an ordinary good change)
#   sparse   also leaves 4 GiB of sparse files in rtl/ (truncate; 16 files of
#            255 MiB, as an agent's files are limited to 256 MiB each)
#   fill     also writes zeros into rtl/big.sv until the disk is full (the
#            worktree directory is a small tmpfs in the test), then exits 0
set -u
cat > /dev/null
if [ "$EVO_PHASE" = hypothesis ]; then
    cat > "$EVO_HYPOTHESIS" <<YAML
id: $EVO_ID
title: "Exhaustion test '${EXHAUST_MODE:-improve}'"
category: micro_opt
motivation: "Written by the agent of the exhaustion tests."
hypothesis: The fake marker's Fmax rises by 20 percent, as the fake gates read it.
expected_impact:
  fitness_delta_pct: 20
  confidence: low
changes:
  - file: rtl/core.sv
    description: edit the fake marker
YAML
    exit 0
fi
rtl=cores/$EVO_TARGET/rtl
cur=$(grep -o 'fmax=[0-9.]*' "$rtl/core.sv" | head -n1 | cut -d= -f2)
sed -i "s/fmax=$cur/fmax=$(awk -v c="$cur" 'BEGIN { printf "%.4f", c * 1.2 }')/" "$rtl/core.sv"
case ${EXHAUST_MODE:-improve} in
    improve) ;;
    sparse) for i in $(seq 16); do truncate -s 255M "$rtl/big$i.sv" || exit 1; done ;;
    fill) dd if=/dev/zero of="$rtl/big.sv" bs=1M status=none 2>&1 || true ;;
esac
exit 0
