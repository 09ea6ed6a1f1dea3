// formal_check_order.sv — retirement order numbers: the first retirement
// after reset has order 0, each next one has exactly the previous + 1 (so no
// order is skipped or repeated), channel 1 never retires without channel 0
// and carries channel 0's order + 1.
module formal_check_order (
    input logic        clock,
    input logic        en,
    input logic        v0,
    input logic [63:0] order0,
    input logic        v1,
    input logic [63:0] order1,
    output logic       bad,
    output logic       cov
);
    logic        have;
    logic [63:0] next;

    always_ff @(posedge clock) begin
        if (!en) begin
            have <= 1'b0;
            next <= 64'd0;
        end else if (v0) begin
            have <= 1'b1;
            next <= (v1 ? order1 : order0) + 64'd1;
        end
    end

    logic e_start, e_ch0, e_ch1, e_ch1_alone;
    assign e_start     = en && v0 && !have && order0 != 64'd0;
    assign e_ch0       = en && v0 && have && order0 != next;
    assign e_ch1       = en && v1 && order1 != order0 + 64'd1;
    assign e_ch1_alone = en && v1 && !v0;
    assign bad = e_start || e_ch0 || e_ch1 || e_ch1_alone;
    assign cov = en && v0 && have;

    always_comb begin
        f_start:     assert (!e_start);
        f_ch0:       assert (!e_ch0);
        f_ch1:       assert (!e_ch1);
        f_ch1_alone: assert (!e_ch1_alone);
    end
endmodule
