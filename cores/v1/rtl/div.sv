// div — RV32M divider (DIV, DIVU, REM, REMU), selected by IMPL; never a
// combinational divider. Same req/ack/kill/ready handshake as mul.sv.
//
// All implementations divide magnitudes with a restoring shift-subtract loop
// and fix the signs at the end. RISC-V corner cases come out as the spec wants:
// x/0 = all ones and x%0 = x (no sign fix-up of the quotient when the divisor is
// 0); -2^31/-1 = -2^31 with remainder 0 (the magnitude 2^31 fits 32 bits).
//
// IMPL 0: radix 2, one quotient bit per cycle, 32 iterations (~34 cycles in EX).
// IMPL 1: radix 2 with early-out: finishes at once for a zero divisor or a
//         divisor larger than the dividend, and skips the dividend's leading
//         zero bytes (small operands take 8-16 iterations).
// IMPL 2: radix 4 (two restoring steps per cycle, 16 iterations) with the same
//         early-out; a second subtractor in series lengthens the path.
module div #(
    parameter IMPL = 0
) (
    input  logic        clock,
    input  logic        reset,
    input  logic        req,
    input  logic        ack,
    input  logic        kill,
    input  logic [1:0]  op,      // funct3[1:0]: 00 DIV, 01 DIVU, 10 REM, 11 REMU
    input  logic [31:0] a,
    input  logic [31:0] b,
    output logic        ready,
    output logic [31:0] y
);
    localparam [1:0] IDLE = 2'd0, RUN = 2'd1, DONE = 2'd2;
    localparam EARLY = IMPL != 0;
    localparam RADIX4 = IMPL == 2;

    logic [1:0]  st;
    logic [31:0] quo, rem, dvs;
    logic [4:0]  cnt;
    logic q_neg, r_neg, want_rem;

    logic a_neg, b_neg;
    logic [31:0] ua, ub;
    assign a_neg = !op[0] && a[31];
    assign b_neg = !op[0] && b[31];
    assign ua = a_neg ? -a : a;
    assign ub = b_neg ? -b : b;

    // Leading zero bytes of the dividend magnitude (at most 3) for the early-out.
    logic [1:0] lzb;
    always_comb begin
        if (ua[31:24] != 8'b0) lzb = 2'd0;
        else if (ua[23:16] != 8'b0) lzb = 2'd1;
        else if (ua[15:8] != 8'b0) lzb = 2'd2;
        else lzb = 2'd3;
    end
    logic [31:0] ua_skip;
    logic [4:0]  iters_m1;   // iterations - 1
    always_comb begin
        case (lzb)
            2'd0: ua_skip = ua;
            2'd1: ua_skip = {ua[23:0], 8'b0};
            2'd2: ua_skip = {ua[15:0], 16'b0};
            default: ua_skip = {ua[7:0], 24'b0};
        endcase
        if (RADIX4) iters_m1 = 5'd15 - {1'b0, lzb, 2'b00};
        else iters_m1 = 5'd31 - {lzb, 3'b000};
    end

    // One restoring step: shift the next dividend bit into the partial
    // remainder and subtract the divisor when it fits (one subtractor; its
    // borrow is the comparison). The remainder stays below the divisor (or,
    // for a zero divisor, below 2^k after k steps), so 32 bits always hold it.
    logic [32:0] sh1, sh2;
    logic [33:0] df1, df2;
    logic [31:0] rem1, quo1, rem2, quo2;
    assign sh1 = {rem, quo[31]};
    assign df1 = {1'b0, sh1} - {2'b0, dvs};
    assign rem1 = df1[33] ? sh1[31:0] : df1[31:0];
    assign quo1 = {quo[30:0], !df1[33]};
    assign sh2 = {rem1, quo1[31]};
    assign df2 = {1'b0, sh2} - {2'b0, dvs};
    assign rem2 = df2[33] ? sh2[31:0] : df2[31:0];
    assign quo2 = {quo1[30:0], !df2[33]};
    // df*[32] is 0 whenever the step subtracts (see above).
    logic unused_df;
    assign unused_df = df1[32] ^ df2[32];

    always_ff @(posedge clock) begin
        if (reset || kill) begin
            st <= IDLE;
        end else begin
            case (st)
                IDLE: if (req) begin
                    q_neg <= (a_neg ^ b_neg) && b != 32'b0;
                    r_neg <= a_neg;
                    want_rem <= op[1];
                    dvs <= ub;
                    rem <= 32'b0;
                    if (EARLY && ub == 32'b0) begin
                        quo <= 32'hffffffff;
                        rem <= ua;
                        st <= DONE;
                    end else if (EARLY && ub > ua) begin
                        quo <= 32'b0;
                        rem <= ua;
                        st <= DONE;
                    end else if (EARLY) begin
                        quo <= ua_skip;
                        cnt <= iters_m1;
                        st <= RUN;
                    end else begin
                        quo <= ua;
                        cnt <= 5'd31;
                        st <= RUN;
                    end
                end
                RUN: begin
                    rem <= RADIX4 ? rem2 : rem1;
                    quo <= RADIX4 ? quo2 : quo1;
                    cnt <= cnt - 5'd1;
                    if (cnt == 5'd0) st <= DONE;
                end
                default: if (ack) st <= IDLE;
            endcase
        end
    end

    assign ready = st == DONE;
    // One negator serves both results.
    logic [31:0] mag;
    assign mag = want_rem ? rem : quo;
    assign y = (want_rem ? r_neg : q_neg) ? -mag : mag;
endmodule
