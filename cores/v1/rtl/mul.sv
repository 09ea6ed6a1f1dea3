// mul — RV32M multiplier (MUL, MULH, MULHSU, MULHU), selected by IMPL.
//
// Arithmetic (every IMPL): a shift-add array on two's-complement operands, one
// row per multiplier bit. a is sign- or zero-extended to 33 bits; row j adds
// a*b[j] to a 33-bit signed accumulator and shifts one product bit out; for a
// signed b the last row (b[31], weight -2^31) subtracts instead. After 32 rows
// {acc, shifted-out bits} is the exact 65-bit product, so no magnitude or sign
// fix-up adders are needed.
//
// Handshake: EX raises `req` while it holds a multiply whose operands are
// valid; `ready` says y is valid this cycle; `ack` (EX moves on) or `kill` (the
// instruction was squashed) return the unit to idle. The first pass uses the
// live operands in the request cycle and the last pass's result is presented
// combinationally, so a P-pass unit occupies EX for exactly P cycles.
//
// IMPL 0: 1 row per cycle, 32 cycles in EX; smallest.
// IMPL 1: all 32 rows in one cycle, purely combinational; no stall, but the
//         largest (iCE40 HX has no DSPs) with the longest path.
// IMPL 2: 16 rows per cycle, 2 cycles in EX: about half the array and depth.
// IMPL 3: 4 rows per cycle, 8 cycles in EX.
// IMPL 4: MUL (the low half) through the pipelined adder tree of mullo.sv:
//         partial products registered in the first cycle, the tree cut by a
//         register after its third level, 3 cycles in EX; MULH, MULHSU and
//         MULHU take the 1-row path (32 cycles).
// IMPL 5: as 4 with the tree uncut: MUL takes 2 cycles in EX, with all five
//         adder levels in one cycle.
// IMPL 6: as 5, but the partial products are captured from the ID stage's
//         operands (id_a, id_b) as the instruction enters EX. When the core
//         saw no producer of either operand in EX or MEM at that moment, it
//         raises `pre` and the MUL completes in its first EX cycle (no stall);
//         otherwise the products are captured from the forwarded EX operands
//         as in 5 (2 cycles). While idle the unit always captures from ID; a
//         result that waits for `ack` is held in a register, so the partial
//         products are free again after the result cycle.
module mul #(
    parameter IMPL = 0
) (
    input  logic        clock,
    input  logic        reset,
    input  logic        req,
    input  logic        ack,
    input  logic        kill,
    input  logic [1:0]  op,      // funct3[1:0]: 00 MUL, 01 MULH, 10 MULHSU, 11 MULHU
    input  logic [31:0] a,
    input  logic [31:0] b,
    input  logic        sel,     // EX holds a multiply (req without the operand-valid condition)
    input  logic        pre,     // IMPL 6: the MUL in EX had valid operands in ID
    input  logic [31:0] id_a,    // IMPL 6: the operands of the instruction in ID
    input  logic [31:0] id_b,
    output logic        ready,
    output logic [31:0] y
);
    localparam ROWS = (IMPL == 1) ? 32 : (IMPL == 2) ? 16 : (IMPL == 3) ? 4 : 1;
    localparam PASSES = 32 / ROWS;
    // MUL through the low-half tree (mullo.sv), and its cycles in EX.
    localparam LO_FAST = IMPL == 4 || IMPL == 5 || IMPL == 6;
    localparam LO_PASSES = (IMPL == 4) ? 3 : 2;
    localparam PRE = IMPL == 6;

    logic a_signed, b_signed;
    logic [32:0] a33;
    assign a_signed = op == 2'b01 || op == 2'b10;
    assign b_signed = op == 2'b01;
    assign a33 = {a_signed & a[31], a};

    // One pass: ROWS rows of the array. sub_last makes the last row subtract.
    logic [32:0] p_hi_in, p_a, p_hi_out;
    logic [31:0] p_lo_in, p_lo_out;
    logic        p_sub_last;
    always_comb begin
        logic [32:0] h;
        logic [31:0] l;
        logic [33:0] pp;
        logic [34:0] s;
        h = p_hi_in;
        l = p_lo_in;
        for (int r = 0; r < ROWS; r++) begin
            pp = l[0] ? {p_a[32], p_a} : 34'b0;
            if (r == ROWS - 1) begin
                // h + (pp ^ sub) + sub in one adder: the extra low bit is the carry-in.
                s = {h[32], h, 1'b1} + {pp ^ {34{p_sub_last}}, p_sub_last};
                h = s[34:2];
                l = {s[1], l[31:1]};
            end else begin
                s = {1'b0, {h[32], h} + pp};
                h = s[33:1];
                l = {s[0], l[31:1]};
            end
        end
        p_hi_out = h;
        p_lo_out = l;
    end

    generate
        if (PASSES == 1) begin : g_comb
            assign p_hi_in = 33'b0;
            assign p_lo_in = b;
            assign p_a = a33;
            assign p_sub_last = b_signed;
            assign y = (op == 2'b00) ? p_lo_out : p_hi_out[31:0];
            assign ready = 1'b1;
            // Purely combinational: no state, so the handshake is not needed;
            // the product's top bit lies beyond the 64 bits RV32M uses.
            logic unused_bits;
            assign unused_bits = ^{clock, reset, req, ack, kill, sel, pre, id_a, id_b, p_hi_out[32]};
        end else begin : g_iter
            localparam [1:0] IDLE = 2'd0, RUN = 2'd1, DONE = 2'd2, LO = 2'd3;
            localparam CW = $clog2(PASSES);
            logic [1:0]    st;
            logic [32:0]   hi, a_q;
            logic [31:0]   lo;
            logic [CW-1:0] cnt;         // passes left after the one running
            logic          b_signed_q, hi_sel;
            logic          last;
            logic          lo_sel;      // the result comes from the low-half tree
            logic          lo_cnt;      // tree cycles left after the current one
            logic          lo_last;
            logic [31:0]   lo_y, lo_res;
            logic          pre_hit;     // IMPL 6: the MUL in EX completes now

            assign last = st == RUN && cnt == '0;
            assign lo_last = st == LO && !lo_cnt;
            if (PRE) begin : g_pre
                // Capture from the EX operands only in the first cycle of a
                // MUL that missed the ID capture; from ID in every other cycle.
                // That first cycle never lets a new instruction into EX (the
                // MUL is not ready), so whatever enters EX finds the products
                // of its own ID operands. The result register covers an EX
                // stall after the result cycle, when the products move on.
                logic        ex_sel;
                logic [31:0] y_hold;
                assign ex_sel = st == IDLE && sel && op == 2'b00 && !pre;
                mullo #(.CUT(0)) u_lo (
                    .clock(clock), .load(1'b1), .a(ex_sel ? a : id_a), .b(ex_sel ? b : id_b), .y(lo_y));
                always_ff @(posedge clock) begin
                    if (st != DONE) y_hold <= lo_y;
                end
                assign lo_res = (st == DONE) ? y_hold : lo_y;
                assign pre_hit = st == IDLE && pre && op == 2'b00;
            end else if (LO_FAST) begin : g_lo
                // The partial products follow the operands while idle and
                // hold from the request cycle on.
                mullo #(.CUT(LO_PASSES == 3 ? 3 : 0)) u_lo (
                    .clock(clock), .load(st == IDLE), .a(a), .b(b), .y(lo_y));
                assign lo_res = lo_y;
                assign pre_hit = 1'b0;
                logic unused_pre;
                assign unused_pre = ^{sel, pre, id_a, id_b};
            end else begin : g_no_lo
                assign lo_y = 32'b0;
                assign lo_res = lo_y;
                assign pre_hit = 1'b0;
                logic unused_pre;
                assign unused_pre = ^{sel, pre, id_a, id_b};
            end
            assign p_hi_in = (st == IDLE) ? 33'b0 : hi;
            assign p_lo_in = (st == IDLE) ? b : lo;
            assign p_a = (st == IDLE) ? a33 : a_q;
            assign p_sub_last = last && b_signed_q;

            always_ff @(posedge clock) begin
                if (reset || kill) begin
                    st <= IDLE;
                end else begin
                    case (st)
                        IDLE: if (req) begin
                            hi <= p_hi_out;
                            lo <= p_lo_out;
                            a_q <= a33;
                            b_signed_q <= b_signed;
                            hi_sel <= op != 2'b00;
                            cnt <= CW'(PASSES - 2);
                            lo_sel <= LO_FAST && op == 2'b00;
                            lo_cnt <= LO_PASSES == 3;
                            if (pre_hit) st <= ack ? IDLE : DONE;
                            else st <= (LO_FAST && op == 2'b00) ? LO : RUN;
                        end
                        RUN: begin
                            hi <= p_hi_out;
                            lo <= p_lo_out;
                            cnt <= cnt - 1'b1;
                            if (last) st <= ack ? IDLE : DONE;
                        end
                        LO: begin
                            lo_cnt <= 1'b0;
                            if (lo_last) st <= ack ? IDLE : DONE;
                        end
                        default: if (ack) st <= IDLE;
                    endcase
                end
            end
            assign ready = last || lo_last || st == DONE || pre_hit;
            assign y = (lo_sel || pre_hit) ? lo_res :
                       hi_sel ? (last ? p_hi_out[31:0] : hi[31:0]) : (last ? p_lo_out : lo);
            // The accumulator's sign bit never reaches the 64-bit product.
            logic unused_bits;
            assign unused_bits = hi[32] ^ p_hi_out[32];
        end
    endgenerate
endmodule
