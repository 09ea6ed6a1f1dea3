// formal_check_pc.sv — PC continuity.
//  forward:  each retirement starts where the previous one (in retirement
//            order, channel 0 before channel 1) said the next PC is:
//            pc_rdata(n+1) == pc_wdata(n);
//  backward: the chain is anchored: the first retirement after reset is at the
//            reset PC (0), and every retired pc_rdata/pc_wdata is 4-byte aligned
//            (misaligned targets trap instead).
module formal_check_pc (
    input logic        clock,
    input logic        en,
    input logic        v0,
    input logic [31:0] pc_rdata0,
    input logic [31:0] pc_wdata0,
    input logic        v1,
    input logic [31:0] pc_rdata1,
    input logic [31:0] pc_wdata1,
    output logic       bad_fwd,
    output logic       cov_fwd,
    output logic       bad_bwd,
    output logic       cov_bwd
);
    logic        have_last, last_jumped;
    logic [31:0] last_pc;

    always_ff @(posedge clock) begin
        if (!en) begin
            have_last   <= 1'b0;
            last_jumped <= 1'b0;
            last_pc     <= 32'd0;
        end else if (v0) begin
            have_last   <= 1'b1;
            last_pc     <= v1 ? pc_wdata1 : pc_wdata0;
            last_jumped <= v1 ? pc_wdata1 != pc_rdata1 + 32'd4 : pc_wdata0 != pc_rdata0 + 32'd4;
        end
    end

    logic e_fwd_ch0, e_fwd_ch1, e_bwd_reset, e_bwd_align;
    assign e_fwd_ch0   = en && v0 && have_last && pc_rdata0 != last_pc;
    assign e_fwd_ch1   = en && v0 && v1 && pc_rdata1 != pc_wdata0;
    assign e_bwd_reset = en && v0 && !have_last && pc_rdata0 != 32'd0;
    assign e_bwd_align = en && ((v0 && (pc_rdata0[1:0] != 2'b00 || pc_wdata0[1:0] != 2'b00)) ||
                                (v1 && (pc_rdata1[1:0] != 2'b00 || pc_wdata1[1:0] != 2'b00)));
    assign bad_fwd = e_fwd_ch0 || e_fwd_ch1;
    assign cov_fwd = en && v0 && have_last && last_jumped;   // continuity after a taken jump
    assign bad_bwd = e_bwd_reset || e_bwd_align;
    assign cov_bwd = en && v0 && have_last;

    always_comb begin
        f_fwd_ch0:   assert (!e_fwd_ch0);
        f_fwd_ch1:   assert (!e_fwd_ch1);
        f_bwd_reset: assert (!e_bwd_reset);
        f_bwd_align: assert (!e_bwd_align);
    end
endmodule
