#!/usr/bin/env bash
# Attack 12: RTL that would escape when a tool reads it (ATTACK_RTL picks
# which). Every variant also claims a far better fake Fmax, so a variant
# that got through every gate would be an improvement.
source "$(dirname "$0")/lib.sh"
sed -i 's/fmax=[0-9.]*/fmax=999/' "$RTL"
inject() { # LINE: inserted before the last endmodule of core.sv
    awk -v add="$1" '{ l[NR] = $0 } /^endmodule/ { e = NR } END { for (i = 1; i <= NR; i++) { if (i == e) print add; print l[i] } }' \
        "$RTL" > "$RTL.new" && cat "$RTL.new" > "$RTL" && rm -f "$RTL.new"
}
case ${ATTACK_RTL:?} in
    system) inject "    initial \$system(\"touch $ATTACK_MARK-system\");" ;;
    fwrite) inject "    integer fd; initial begin fd = \$fopen(\"$ATTACK_HOST/fwrite\", \"w\"); \$fwrite(fd, \"x\"); \$fclose(fd); end" ;;
    readmem) inject "    logic [31:0] mem [0:3]; initial \$readmemh(\"/etc/passwd\", mem);" ;;
    incpasswd) sed -i '1a `include "/etc/passwd"' "$RTL" ;;
    incmake) sed -i '1a `include "../../../Makefile"' "$RTL" ;;
    dpi) inject "    import \"DPI-C\" function int system(input string cmd); initial void'(system(\"touch $ATTACK_MARK-dpi\"));" ;;
    memory)
        # Exponential hierarchy: 2^40 instances to elaborate. Verilator's
        # memory grows until a limit stops it.
        cat > "cores/$EVO_TARGET/rtl/blow.sv" <<'SV'
module blow #(parameter int D = 0) (input logic a, output logic y);
    if (D == 0) begin : leaf
        assign y = a;
    end else begin : node
        logic l, r;
        blow #(.D(D - 1)) u0 (.a(a), .y(l));
        blow #(.D(D - 1)) u1 (.a(l), .y(r));
        assign y = r ^ l;
    end
endmodule
SV
        inject "    logic blow_y; blow #(.D(40)) u_blow (.a(reset), .y(blow_y));" ;;
    *) echo "rtl.sh: unknown ATTACK_RTL ${ATTACK_RTL}" >&2; exit 2 ;;
esac
printf 'attack rtl %s: written\n' "$ATTACK_RTL"
exit 0
