// formal_check_causal.sv — causality: no instruction that reads register idx
// retires before an older instruction (smaller order) that writes idx. Kept
// with the largest order of any retired reader of idx; a writer retiring with
// a smaller order than that is a read that happened before its writer.
module formal_check_causal (
    input logic        clock,
    input logic        en,
    input logic [4:0]  idx,
    input logic        v0,
    input logic [63:0] order0,
    input logic [4:0]  rs1_addr0,
    input logic [4:0]  rs2_addr0,
    input logic [4:0]  rd_addr0,
    input logic        v1,
    input logic [63:0] order1,
    input logic [4:0]  rs1_addr1,
    input logic [4:0]  rs2_addr1,
    input logic [4:0]  rd_addr1,
    output logic       bad,
    output logic       cov
);
    logic        have_rd, wrote;
    logic [63:0] max_rd;
    logic        on, rd0, rd1, wr0, wr1;
    assign on  = en && idx != 5'd0;
    assign rd0 = on && v0 && (rs1_addr0 == idx || rs2_addr0 == idx);
    assign rd1 = on && v1 && (rs1_addr1 == idx || rs2_addr1 == idx);
    assign wr0 = on && v0 && rd_addr0 == idx;
    assign wr1 = on && v1 && rd_addr1 == idx;

    // After channel 0.
    logic        have_a;
    logic [63:0] max_a;
    assign have_a = have_rd || rd0;
    assign max_a  = (rd0 && (!have_rd || order0 > max_rd)) ? order0 : max_rd;

    always_ff @(posedge clock) begin
        if (!en) begin
            have_rd <= 1'b0;
            max_rd  <= 64'd0;
            wrote   <= 1'b0;
        end else begin
            have_rd <= have_a || rd1;
            max_rd  <= (rd1 && (!have_a || order1 > max_a)) ? order1 : max_a;
            wrote   <= wrote || wr0 || wr1;
        end
    end

    logic e_ch0, e_ch1;
    assign e_ch0 = wr0 && have_rd && max_rd > order0;
    assign e_ch1 = wr1 && have_a && max_a > order1;
    assign bad = e_ch0 || e_ch1;
    assign cov = rd0 && wrote;

    always_comb begin
        f_ch0: assert (!e_ch0);
        f_ch1: assert (!e_ch1);
    end
endmodule
