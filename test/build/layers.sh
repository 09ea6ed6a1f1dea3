#!/usr/bin/env bash
# layers.sh [ROOT] — every #include "<module>/..." of every .c and .h under
# ROOT/tools (default: the current directory) respects the layer order of
# tools/layers.txt ($LAYERS, default ROOT/tools/layers.txt): a header of the same layer or of a layer below, never
# one above; every module included is declared there. Programs (files that
# define main()) may include any layer. The last case plants an upward
# include in a copy, to show the check can fail.
set -u
source "$(dirname "$0")/../lib.sh"
ROOT=${1:-.}
ORDER=$(realpath "${LAYERS:-$ROOT/tools/layers.txt}")

# layers_violations ROOT ORDER: one line per include that breaks the order.
layers_violations() {
    local root=$1 order=$2
    [ -r "$order" ] || { echo "$order: missing (the layer order is defined there)"; return; }
    local progs
    progs=$(cd "$root" && grep -rlE --include='*.c' '^int[[:space:]]+main[[:space:]]*\(' tools | tr '\n' ' ')
    (cd "$root" && grep -rn --include='*.c' --include='*.h' -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"/]+/' tools) |
    awk -v order="$order" -v progs="$progs" '
        BEGIN {
            np = split(progs, pv, " ")
            for (i = 1; i <= np; i++) prog[pv[i]] = 1
            rank = 0
            while ((getline line < order) > 0) {
                sub(/#.*/, "", line)
                if (line !~ /:/) continue
                rank++
                split(line, parts, ":")
                name[rank] = parts[1]
                n = split(parts[2], mods, " ")
                for (i = 1; i <= n; i++) layer[mods[i]] = rank
            }
        }
        {
            # tools/<module>/<file>:<line>:#include "<inc>/..."
            split($0, f, ":")
            file = f[1]; lineno = f[2]
            split(file, p, "/"); from = p[2]
            inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
            split(inc, q, "/"); to = q[1]
            if (file in prog) next
            if (!(from in layer)) { print file ":" lineno ": module " from " is not in tools/layers.txt"; next }
            if (!(to in layer)) { print file ":" lineno ": includes \"" inc "\" of module " to ", which is not in tools/layers.txt"; next }
            if (layer[to] < layer[from])
                print file ":" lineno ": " from " (layer " name[layer[from]] ") includes \"" inc "\" of " to \
                      " (layer " name[layer[to]] ", above it)"
        }'
}

out=$(layers_violations "$ROOT" "$ORDER")
if [ -z "$out" ]; then
    t_pass "layers: no #include under tools/ goes from a lower layer to a higher one"
else
    t_fail "layers: no #include under tools/ goes from a lower layer to a higher one" \
        "$(printf '%s\n' "$out" | grep -c .) includes break $ORDER: $(printf '%s' "$out" | tr '\n' ';')"
fi

# Control: the same check on a copy with one include from the bottom layer up.
T=$(mktemp -d /tmp/evo-layers.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/tools/lib" "$T/tools/orch"
printf '#include "orch/x.h"\n' > "$T/tools/lib/up.c"
printf '#include "lib/fsx.h"\n' > "$T/tools/orch/down.c"
ctl=$(layers_violations "$T" "$ORDER")
t_expect "layers: (control) an include from tools/lib up to tools/orch is caught, one downwards is not" \
    test "$(printf '%s\n' "$ctl" | grep -c .)" = 1 -a -n "$(printf '%s' "$ctl" | grep 'tools/lib/up.c:1')"
exit 0
