# test/soak/lib-soak.sh — the scratch repository the soak and the exhaustion
# tests drive (sourced, after test/orch/lib-orch.sh).
# soak_repo DIR: orch_repo's demo core with three knobs of ten values each in
# core.yaml and rtl/core.sv, and knob_pct=2 in its fake marker, so each unit
# a knob rises is +2% Fmax on the fake gates: the builtin agent's moves
# merge, regress and never run out within a hundred rounds.
soak_repo() {
    local d=$1 k
    orch_repo "$d" > /dev/null
    {
        echo 'knobs:'
        for k in FAST WIDE DEEP; do
            printf '  - name: %s\n    file: rtl/core.sv\n    parameter: %s\n' "$k" "$k"
            printf '    values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n    default: 0\n'
            printf '    tradeoff: a later value is a shorter path for more LUTs\n'
        done
    } >> "$d/cores/demo/core.yaml"
    sed -i -e 's|^// fake: \(.*\)$|// fake: \1 knob_pct=2|' \
        -e 's/^);$/);\n    parameter FAST = 0;\n    parameter WIDE = 0;\n    parameter DEEP = 0;/' "$d/cores/demo/rtl/core.sv"
    orch_git -C "$d" commit -qam "knobs for the soak"
}
