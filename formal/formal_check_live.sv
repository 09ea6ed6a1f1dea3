// formal_check_live.sv — bounded liveness: under the fairness assumption of
// formal_top (neither bus is stalled for more than FORMAL_FAIR_K consecutive
// cycles), some instruction retires at least every FORMAL_LIVE_BOUND cycles,
// until an EBREAK (halt) has retired.
`include "formal_defs.svh"

module formal_check_live (
    input logic clock,
    input logic en,
    input logic v0,
    input logic halt0,
    input logic v1,
    input logic halt1,
    output logic bad,
    output logic cov
);
    localparam logic [7:0] LIMIT = `FORMAL_LIVE_BOUND - 1;
    logic [7:0] idle;
    logic       halted, retired;

    always_ff @(posedge clock) begin
        if (!en) begin
            idle    <= 8'd0;
            halted  <= 1'b0;
            retired <= 1'b0;
        end else begin
            idle    <= (v0 || v1) ? 8'd0 : (idle == 8'hFF ? idle : idle + 8'd1);
            halted  <= halted || (v0 && halt0) || (v1 && halt1);
            retired <= retired || v0;
        end
    end

    logic e_live;
    assign e_live = en && !halted && !(v0 || v1) && idle >= LIMIT;
    assign bad = e_live;
    assign cov = en && v0 && retired;   // a second retirement

    always_comb begin
        f_live: assert (!e_live);
    end
endmodule
