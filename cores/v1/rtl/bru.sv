// bru — branch condition unit: evaluates a conditional branch's comparison.
// funct3: 000 BEQ, 001 BNE, 100 BLT, 101 BGE, 110 BLTU, 111 BGEU; 010/011 give 0
// (the decoder never marks them as branches).
module bru (
    input  logic [2:0]  funct3,
    input  logic [31:0] a,
    input  logic [31:0] b,
    output logic        taken
);
    always_comb begin
        case (funct3)
            3'b000: taken = a == b;
            3'b001: taken = a != b;
            3'b100: taken = $signed(a) < $signed(b);
            3'b101: taken = $signed(a) >= $signed(b);
            3'b110: taken = a < b;
            3'b111: taken = a >= b;
            default: taken = 1'b0;
        endcase
    end
endmodule
