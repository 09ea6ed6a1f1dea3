#!/usr/bin/env bash
# cosim-knobs.sh CORE [NAME=VALUE ...] — the cosim gate on every value of every
# knob a core declares in core.yaml (one knob moved from the defaults at a time),
# or, with NAME=VALUE arguments, on that one combination. Prints one line per
# configuration: verdict and CoreMark/MHz (iterations per MHz of the fitness
# program under the std stall pattern). QUICK=1 runs the quick gate.
# Exit 1 when any configuration fails.
set -uo pipefail
core=${1:?usage: cosim-knobs.sh CORE [NAME=VALUE ...]}
shift
CTL=build/bin/cosimctl
yaml=cores/$core/core.yaml
[ -f "$yaml" ] || { echo "cosim-knobs: $yaml not found" >&2; exit 2; }
tmp=$(mktemp -d /tmp/cosim-knobs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# "NAME FILE DEP v1 v2 ..." per knob, from the knobs: list of core.yaml. DEP is
# "K=V" when the trade-off says "Only used with K=V" (that knob is set too, so
# the value is really exercised), else "-".
knobs() {
    awk 'function out() { if (name != "") print name, file, (dep == "" ? "-" : dep), vals }
         /^knobs:/ { in_k = 1; next }
         in_k && /^[^ ]/ { in_k = 0 }
         in_k && /- name:/ { out(); name = $NF; file = ""; vals = ""; dep = "" }
         in_k && /^ *file:/ { file = $NF }
         in_k && /^ *values:/ { v = $0; sub(/.*\[/, "", v); sub(/\].*/, "", v); gsub(/,/, " ", v); vals = v }
         in_k && /Only used with [A-Z_]+=[0-9]+/ { d = $0; sub(/.*Only used with /, "", d); sub(/[^A-Z_=0-9].*/, "", d); dep = d }
         END { out() }' "$yaml"
}

# run LABEL NAME=VALUE... : copy the core, set the knobs, run the gate.
fails=0
run() {
    local label=$1 kv name val file tree=$tmp/t
    shift
    rm -rf "$tree"
    mkdir -p "$tree/cores/$core"
    cp -r "cores/$core/rtl" "$tree/cores/$core/"
    for kv in "$@"; do
        name=${kv%%=*} val=${kv#*=}
        file=$(knobs | awk -v n="$name" '$1 == n { print $2 }')
        file=${file:-rtl/core.sv}
        sed -i -E "s/(parameter +$name *= *)[^;,)]+/\1$val/" "$tree/cores/$core/$file"
        if ! grep -Eq "parameter +$name *= *$val\b" "$tree/cores/$core/$file"; then
            echo "$label: cannot set $name=$val in $file"
            fails=$((fails + 1))
            return
        fi
    done
    "$CTL" cosim --core "$core" --tree "$tree" --rundir "$tree/run" ${QUICK:+--quick} >"$tree/r.json" 2>/dev/null
    local st cm
    st=$("$CTL" get "$tree/r.json" status)
    cm=$("$CTL" get "$tree/r.json" fitness.coremark_per_mhz)
    [ -n "$cm" ] && cm=$(printf '%.3f' "$cm")
    printf '%-36s %-6s CoreMark/MHz %s  %s\n' "$label" "$st" "${cm:-n/a}" \
        "$([ "$st" = pass ] || "$CTL" get "$tree/r.json" diagnostic | head -n 1)"
    [ "$st" = pass ] || fails=$((fails + 1))
}

if [ $# -gt 0 ]; then
    run "$*" "$@"
else
    run defaults
    while read -r name file dep vals; do
        for v in $vals; do
            if [ "$dep" = - ]; then run "$name=$v" "$name=$v"; else run "$name=$v ($dep)" "$dep" "$name=$v"; fi
        done
    done < <(knobs)
fi
[ "$fails" -eq 0 ]
