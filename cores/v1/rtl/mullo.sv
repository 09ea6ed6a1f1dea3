// mullo — the low 32 bits of a 32x32 product (RV32M MUL; the low half is the
// same for signed and unsigned operands) as a pipelined adder tree sized for
// iCE40 carry chains.
//
// Stage 0 registers the 528 partial-product bits a[k] & b[j] (k + j < 32),
// each in the flip-flop of the logic cell that computes it, so the path from
// the operands is one LUT. The 32 rows are then summed pairwise in five levels
// of ripple-carry adders (16, 8, 4, 2, 1 nodes). A node only adds the bits at
// and above its second child's offset (below it the second child is zero), so
// the tree needs about 500 adder cells and no carry chain is longer than 31.
// CUT = L (1..4) puts a register after level L; CUT = 0 leaves levels 1..5
// combinational. The result y is valid the cycle after `load` when CUT = 0,
// two cycles after it otherwise, and stays valid while `load` is low: the
// cut register recomputes the same value from the held partial products.
module mullo #(
    parameter CUT = 3
) (
    input  logic        clock,
    input  logic        load,    // capture the partial products of a and b
    input  logic [31:0] a,
    input  logic [31:0] b,
    output logic [31:0] y
);
    for (genvar l = 0; l <= 5; l++) begin : g_l
        localparam int N = 32 >> l;
        // Node i is bits [32i+31:32i] (Yosys 0.23 has no multi-dimensional packed arrays).
        logic [32*N-1:0] v;   // this level's nodes
        logic [32*N-1:0] s;   // the same, registered when the cut follows this level
        if (l == 0) begin : g_pp
            // Row j is b[j] ? a << j : 0; its low j bits are constant zero.
            always_ff @(posedge clock) begin
                if (load) begin
                    for (int j = 0; j < 32; j++) v[32*j +: 32] <= (a & {32{b[j]}}) << j;
                end
            end
        end else begin : g_add
            for (genvar i = 0; i < N; i++) begin : g_n
                // Node i covers children 2i (offset i * 2^l) and 2i+1 (offset H).
                localparam int H = (i << l) + (1 << (l - 1));
                localparam int C0 = 64 * i, C1 = 64 * i + 32, P = 32 * i;
                assign v[P+31:P+H] = g_l[l-1].s[C0+31:C0+H] + g_l[l-1].s[C1+31:C1+H];
                assign v[P+H-1:P] = g_l[l-1].s[C0+H-1:C0];
                // The second child is zero below its offset.
                logic unused_low;
                assign unused_low = ^g_l[l-1].s[C1+H-1:C1];
            end
        end
        if (l == CUT && l != 0) begin : g_cut
            always_ff @(posedge clock) s <= v;
        end else begin : g_pass
            assign s = v;
        end
    end
    assign y = g_l[5].s;
endmodule
