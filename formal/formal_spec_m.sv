// formal_spec_m.sv — the M extension's results for the ISA spec (RISC-V unprivileged
// spec, "M" chapter): MUL/MULH/MULHSU/MULHU (f3 0..3) and DIV/DIVU/REM/REMU
// (f3 4..7), with division by zero (quotient all ones, remainder = dividend)
// and the signed overflow (-2^31 / -1 = -2^31, remainder 0).
//
// EXACT = 1: real 33x33 multiplication and 32-bit division (deep mode).
// EXACT = 0: fast mode. No multiplier or divider is built: the result is
// computed, and `known` is 1, only where it does not depend on the arithmetic:
// a zero factor (product 0), a zero divisor (quotient all ones, remainder =
// dividend) and a zero dividend (quotient and remainder 0). Measured on the
// baseline's iterative units, even x*1 or a power-of-two operand makes the
// solver prove 32 chained additions equal to a shift, which takes minutes;
// these classes still catch a wrong or stale operand (the solver picks the
// other operand non-zero), a wrong result path, and with divide-by-zero the
// whole dividend travelling to rd through the divider. Everything else about M
// instructions (rd_addr, pc, traps, operand fields, forwarding through the
// register check) is checked for all operand values.
module formal_spec_m #(
    parameter bit EXACT = 1'b1
) (
    input  logic [2:0]  f3,
    input  logic [31:0] a,       // rs1
    input  logic [31:0] b,       // rs2
    output logic [31:0] result,
    output logic [31:0] result_alt,  // the same value in another form (MUL: adder
                                     // tree; DIV/REM: early-out); EXACT only
    output logic        known
);
    // ---------------- division ----------------
    logic        d_signed, is_rem, neg_a, neg_b;
    assign d_signed = !f3[0];             // DIV (100), REM (110)
    assign is_rem   = f3[1];
    assign neg_a    = d_signed & a[31];
    assign neg_b    = d_signed & b[31];

    logic [63:0] prod;          // 64-bit product (low half for MUL)
    logic [31:0] prod_lo_tree;  // its low half, by the adder-tree form
    logic        prod_known;
    logic [31:0] uq, ur;        // unsigned quotient/remainder of |a| / |b|
    logic [31:0] uq_e, ur_e;    // the same, by the early-out form
    logic        div_known;

    generate
        if (EXACT) begin : g_exact
            // Written as the textbook algorithms: two's-complement shift-and-add
            // (33-bit operands, least significant multiplier bit first, the
            // sign row of a signed multiplier subtracted) and restoring
            // division on magnitudes (most significant dividend bit first).
            // Any correct form is a spec; this one shares its intermediate
            // values (partial products, partial remainders) with the usual
            // iterative and array hardware, which is what lets the deep mode's
            // SAT sweeping prove a core's unit equal to it instead of facing a
            // bare multiplier equivalence (see fbmc.c).
            logic        a_signed, b_signed;
            logic [32:0] a33;
            assign a_signed = f3[1:0] == 2'b01 || f3[1:0] == 2'b10;     // MULH, MULHSU
            assign b_signed = f3[1:0] == 2'b01;                         // MULH
            assign a33 = {a_signed & a[31], a};
            logic [32:0] acc;                 // partial product, sign-extended
            logic [31:0] low;                 // multiplier bits still to use / product bits done
            logic [33:0] row, psum;
            always_comb begin
                acc = 33'd0;
                low = b;
                row = 34'd0;
                psum = 34'd0;
                for (int i = 0; i < 32; i++) begin
                    row = low[0] ? {a33[32], a33} : 34'd0;
                    if (i == 31 && b_signed)
                        psum = {acc[32], acc} - row;    // the sign bit weighs -2^31
                    else
                        psum = {acc[32], acc} + row;
                    acc = psum[33:1];
                    low = {psum[0], low[31:1]};
                end
            end
            assign prod = {acc[31:0], low};
            assign prod_known = 1'b1;

            // The low half again, as an adder tree: row j = b[j] ? a << j : 0,
            // rows summed pairwise in five levels (the form of a tree
            // multiplier, whose partial sums the shift-and-add chain never has).
            logic [32*32-1:0] lv;
            always_comb begin
                for (int j = 0; j < 32; j++)
                    lv[32*j +: 32] = (a & {32{b[j]}}) << j;
                for (int n = 16; n >= 1; n = n / 2)
                    for (int i = 0; i < n; i++)
                        lv[32*i +: 32] = lv[64*i +: 32] + lv[64*i+32 +: 32];
            end
            assign prod_lo_tree = lv[31:0];

            logic [31:0] abs_a, abs_b, rem, quo;
            logic [32:0] part;
            assign abs_a = neg_a ? 32'd0 - a : a;
            assign abs_b = neg_b ? 32'd0 - b : b;
            always_comb begin                 // abs_b == 0 is handled below
                rem = 32'd0;
                quo = abs_a;
                part = 33'd0;
                for (int i = 0; i < 32; i++) begin
                    part = {rem, quo[31]};
                    if (part >= {1'b0, abs_b}) begin
                        rem = 32'(part - {1'b0, abs_b});
                        quo = {quo[30:0], 1'b1};
                    end else begin
                        rem = part[31:0];
                        quo = {quo[30:0], 1'b0};
                    end
                end
            end
            assign uq = quo;
            assign ur = rem;
            assign div_known = 1'b1;

            // The early-out form of the same restoring division: a zero
            // divisor or one above the dividend finishes at once (state
            // frozen), otherwise the dividend's leading zero bytes are skipped
            // and only the remaining 32 - 8k steps run, the state holding
            // afterwards. Skipping is exact: a zero dividend bit shifted into
            // a zero partial remainder yields a zero quotient bit and leaves
            // the remainder 0 (the divisor is non-zero here). Its partial
            // remainders after j steps are those of an iterative divider with
            // that early-out after j (or j/2, radix 4) cycles, which a
            // textbook chain starting from the unshifted dividend never has.
            logic [1:0]  lzb;
            logic [31:0] rem_e, quo_e;
            logic [32:0] part_e;
            logic        early, step;
            always_comb begin
                if (abs_a[31:24] != 8'd0) lzb = 2'd0;
                else if (abs_a[23:16] != 8'd0) lzb = 2'd1;
                else if (abs_a[15:8] != 8'd0) lzb = 2'd2;
                else lzb = 2'd3;
                early = abs_b == 32'd0 || abs_b > abs_a;
                rem_e = early ? abs_a : 32'd0;
                if (abs_b == 32'd0) quo_e = 32'hFFFF_FFFF;
                else if (early) quo_e = 32'd0;
                else quo_e = abs_a << {lzb, 3'b000};
                part_e = 33'd0;
                step = 1'b0;
                for (int i = 0; i < 32; i++) begin
                    step = !early && 6'(i) < 6'd32 - {1'b0, lzb, 3'b000};
                    part_e = {rem_e, quo_e[31]};
                    if (step && part_e >= {1'b0, abs_b}) begin
                        rem_e = 32'(part_e - {1'b0, abs_b});
                        quo_e = {quo_e[30:0], 1'b1};
                    end else if (step) begin
                        rem_e = part_e[31:0];
                        quo_e = {quo_e[30:0], 1'b0};
                    end
                end
            end
            assign uq_e = quo_e;
            assign ur_e = rem_e;
        end else begin : g_fast
            // Only operand classes whose answer does not depend on the
            // arithmetic being right: a zero factor, a zero dividend.
            assign prod       = 64'd0;
            assign prod_lo_tree = 32'd0;
            assign prod_known = a == 32'd0 || b == 32'd0;
            assign uq         = 32'd0;
            assign ur         = 32'd0;
            assign div_known  = a == 32'd0;
            assign uq_e       = 32'd0;
            assign ur_e       = 32'd0;
        end
    endgenerate

    logic [31:0] q, r, q_e, r_e;
    assign q = (neg_a ^ neg_b) ? 32'd0 - uq : uq;
    assign r = neg_a ? 32'd0 - ur : ur;
    assign q_e = (neg_a ^ neg_b) ? 32'd0 - uq_e : uq_e;
    assign r_e = neg_a ? 32'd0 - ur_e : ur_e;

    always_comb begin
        if (!f3[2]) begin
            result = (f3[1:0] == 2'b00) ? prod[31:0] : prod[63:32];
            result_alt = (EXACT && f3[1:0] == 2'b00) ? prod_lo_tree : result;
            known  = prod_known;
        end else if (b == 32'd0) begin
            result = is_rem ? a : 32'hFFFF_FFFF;
            result_alt = result;
            known  = 1'b1;
        end else begin
            result = is_rem ? r : q;
            result_alt = EXACT ? (is_rem ? r_e : q_e) : result;
            known  = div_known;
        end
    end
endmodule
