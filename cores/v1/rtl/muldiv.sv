// muldiv — the EX stage's M-extension unit: routes an M instruction to the
// multiplier or the divider (funct3[2]) and presents one ready/result pair.
// Handshake: see mul.sv. `can_start` holds back the start of a multi-cycle
// operation while its operands may still be invalid (a forwarded load whose
// dmem access is stalled). `pre`, `id_a` and `id_b` feed the early operand
// capture of MUL_IMPL 6 (mul.sv) and are unused otherwise.
module muldiv #(
    parameter MUL_IMPL = 0,
    parameter DIV_IMPL = 0
) (
    input  logic        clock,
    input  logic        reset,
    input  logic        req,
    input  logic        can_start,
    input  logic        ack,
    input  logic        kill,
    input  logic [2:0]  funct3,
    input  logic [31:0] a,
    input  logic [31:0] b,
    input  logic        pre,
    input  logic [31:0] id_a,
    input  logic [31:0] id_b,
    output logic        ready,
    output logic [31:0] y
);
    logic is_div;
    logic m_ready, d_ready;
    logic [31:0] m_y, d_y;
    assign is_div = funct3[2];

    mul #(.IMPL(MUL_IMPL)) u_mul (
        .clock(clock), .reset(reset), .req(req && can_start && !is_div), .ack(ack),
        .kill(kill), .op(funct3[1:0]), .a(a), .b(b), .sel(req && !is_div), .pre(pre),
        .id_a(id_a), .id_b(id_b), .ready(m_ready), .y(m_y));
    div #(.IMPL(DIV_IMPL)) u_div (
        .clock(clock), .reset(reset), .req(req && can_start && is_div), .ack(ack),
        .kill(kill), .op(funct3[1:0]), .a(a), .b(b), .ready(d_ready), .y(d_y));

    assign ready = is_div ? d_ready : m_ready;
    assign y = is_div ? d_y : m_y;
endmodule
