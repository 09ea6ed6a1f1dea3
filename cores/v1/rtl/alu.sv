// alu — combinational RV32I integer ALU, built for a small LUT count:
// one adder serves ADD/SUB/SLT/SLTU and one right shifter serves SRL/SRA and,
// on bit-reversed operands, SLL. `sum` is the adder alone: loads, stores and
// JALR (op ADD) take their address from it, off the result multiplexer's path.
//
// op = {bit, funct3}: 0000 ADD, 1000 SUB, x001 SLL, x010 SLT, x011 SLTU,
// x100 XOR, 0101 SRL, 1101 SRA, x110 OR, x111 AND. The decoder sets bit 3 only
// for SUB and SRA/SRAI, so LUI/AUIPC/loads/stores/JALR use op 0000 (ADD).
module alu (
    input  logic [3:0]  op,
    input  logic [31:0] a,
    input  logic [31:0] b,
    output logic [31:0] y,
    output logic [31:0] sum     // a + b (a - b for SUB/SLT/SLTU): address generation
);
    // a + (b ^ sub) + sub as one carry chain: the extra low bit turns the
    // carry-in into an ordinary addend bit.
    logic sub;
    logic [33:0] t;
    logic carry, lt_u, lt_s;
    assign sub = op[3] || op[2:1] == 2'b01;
    assign t = {1'b0, a, 1'b1} + {1'b0, b ^ {32{sub}}, sub};
    assign sum = t[32:1];
    assign carry = t[33];
    assign lt_u = !carry;                                // a - b borrows
    assign lt_s = (a[31] != b[31]) ? a[31] : sum[31];

    logic [31:0] a_rev, sh_in, sh_out, sh_rev;
    logic [32:0] sh_ext;
    logic fill;
    always_comb begin
        for (int i = 0; i < 32; i++) a_rev[i] = a[31 - i];
    end
    assign sh_in = (op[2:0] == 3'b001) ? a_rev : a;
    assign fill = op[3] && a[31];
    assign sh_ext = $signed({fill, sh_in}) >>> b[4:0];
    assign sh_out = sh_ext[31:0];
    always_comb begin
        for (int i = 0; i < 32; i++) sh_rev[i] = sh_out[31 - i];
    end
    // The shifter's extension bit only feeds the shift itself; t[0] is the
    // carry-in position of the adder.
    logic unused_bits;
    assign unused_bits = sh_ext[32] ^ t[0];

    always_comb begin
        case (op[2:0])
            3'b000: y = sum;
            3'b001: y = sh_rev;
            3'b010: y = {31'b0, lt_s};
            3'b011: y = {31'b0, lt_u};
            3'b100: y = a ^ b;
            3'b101: y = sh_out;
            3'b110: y = a | b;
            default: y = a & b;
        endcase
    end
endmodule
