// formal_check_reg.sv — register-file consistency in retirement order: a
// register read returns the value of the last write to that register (or, for
// a register not yet written since reset, the same value as every earlier read
// of it), and x0 reads as 0. One arbitrary-but-fixed register is shadowed:
// idx = {GROUP, idx_free}, idx_free a free constant, so one instance covers
// the four registers of its group and eight instances cover them all.
// Why groups: with a fully free index the solver must carry all 31 registers
// at once; measured on the baseline at depth 14, one 4-register group takes
// about 5 s, the free 5-bit index over 150 s (the cost grows much faster than
// the number of candidate registers).
// Channel 0 retires before channel 1 within a cycle.
module formal_check_reg #(
    parameter int GROUP = 0                // registers 4*GROUP .. 4*GROUP+3
) (
    input logic        clock,
    input logic        en,
    input logic [1:0]  idx_free,
    input logic        v0,
    input logic [4:0]  rs1_addr0,
    input logic [4:0]  rs2_addr0,
    input logic [31:0] rs1_rdata0,
    input logic [31:0] rs2_rdata0,
    input logic [4:0]  rd_addr0,
    input logic [31:0] rd_wdata0,
    input logic        v1,
    input logic [4:0]  rs1_addr1,
    input logic [4:0]  rs2_addr1,
    input logic [31:0] rs1_rdata1,
    input logic [31:0] rs2_rdata1,
    input logic [4:0]  rd_addr1,
    input logic [31:0] rd_wdata1,
    output logic       bad,
    output logic       cov
);
    logic [4:0]  idx;
    assign idx = {GROUP[2:0], idx_free};

    logic        known, written;   // value known (read or written) / written since reset
    logic [31:0] val;
    logic        on;
    assign on = en && idx != 5'd0;

    logic r1_0, r2_0, w_0, r1_1, r2_1, w_1;
    assign r1_0 = on && v0 && rs1_addr0 == idx;
    assign r2_0 = on && v0 && rs2_addr0 == idx;
    assign w_0  = on && v0 && rd_addr0 == idx;
    assign r1_1 = on && v1 && rs1_addr1 == idx;
    assign r2_1 = on && v1 && rs2_addr1 == idx;
    assign w_1  = on && v1 && rd_addr1 == idx;

    // The value channel 0's operands must see, then the state after channel 0.
    logic        known_a, written_a;
    logic [31:0] val_a, val_in0, val_in1;
    logic        known_in0, known_in1;
    assign known_in0 = known || r1_0;                       // rs2 also agrees with rs1
    assign val_in0   = known ? val : rs1_rdata0;
    assign known_a   = known || r1_0 || r2_0 || w_0;
    assign written_a = written || w_0;
    assign val_a     = w_0 ? rd_wdata0 : known ? val : r1_0 ? rs1_rdata0 : rs2_rdata0;
    assign known_in1 = known_a || r1_1;
    assign val_in1   = known_a ? val_a : rs1_rdata1;

    always_ff @(posedge clock) begin
        if (!en) begin
            known   <= 1'b0;
            written <= 1'b0;
            val     <= 32'd0;
        end else begin
            known   <= known_a || r1_1 || r2_1 || w_1;
            written <= written_a || w_1;
            val     <= w_1 ? rd_wdata1 : known_a ? val_a : r1_1 ? rs1_rdata1 : rs2_rdata1;
        end
    end

    logic e_ch0_rs1, e_ch0_rs2, e_ch1_rs1, e_ch1_rs2, e_x0;
    assign e_ch0_rs1 = r1_0 && known && rs1_rdata0 != val;
    assign e_ch0_rs2 = r2_0 && known_in0 && rs2_rdata0 != val_in0;
    assign e_ch1_rs1 = r1_1 && known_a && rs1_rdata1 != val_a;
    assign e_ch1_rs2 = r2_1 && known_in1 && rs2_rdata1 != val_in1;
    assign e_x0 = en && ((v0 && rs1_addr0 == 5'd0 && rs1_rdata0 != 32'd0) ||
                         (v0 && rs2_addr0 == 5'd0 && rs2_rdata0 != 32'd0) ||
                         (v1 && rs1_addr1 == 5'd0 && rs1_rdata1 != 32'd0) ||
                         (v1 && rs2_addr1 == 5'd0 && rs2_rdata1 != 32'd0));
    assign bad = e_ch0_rs1 || e_ch0_rs2 || e_ch1_rs1 || e_ch1_rs2 || e_x0;
    // Cover: a read of the register after an earlier instruction wrote it.
    assign cov = (r1_0 || r2_0) && written;

    always_comb begin
        f_ch0_rs1: assert (!e_ch0_rs1);
        f_ch0_rs2: assert (!e_ch0_rs2);
        f_ch1_rs1: assert (!e_ch1_rs1);
        f_ch1_rs2: assert (!e_ch1_rs2);
        f_x0:      assert (!e_x0);
    end
endmodule
