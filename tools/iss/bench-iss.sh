#!/usr/bin/env bash
# bench-iss.sh ISS_BENCH [ELF] — the ISS speed benchmark behind `make bench-iss`.
# Runs ISS_BENCH (build/bin/iss-bench) on ELF, 5 runs, and prints its per-run
# lines and the median; the last line ends in "MIPS". When ELF is missing it
# says so and measures the synthetic loop instead (labelled as such).
# Pin to one core with taskset when available: the figure is single-threaded.
set -u
bench=${1:?usage: bench-iss.sh ISS_BENCH [ELF]}
elf=${2:-}
args=(--runs "${RUNS:-5}")
if [ -n "$elf" ] && [ -f "$elf" ]; then
    args+=("$elf")
else
    echo "bench-iss: ${elf:-no ELF given}${elf:+ not found}: measuring the SYNTHETIC loop instead"
fi
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
"${pin[@]}" "$bench" "${args[@]}" || { echo "bench-iss: $bench failed" >&2; exit 1; }
