// decode — combinational RV32IM instruction decoder for the ID stage.
//
// Contract: the default is illegal. Every legal encoding is matched on its full
// opcode and funct3/funct7 (e.g. SLLI with imm[11:5] != 0 is illegal). EBREAK
// (0x00100073) is the only legal SYSTEM instruction; ECALL, CSR*, MRET and any
// other SYSTEM encoding are illegal. FENCE (funct3 000) and FENCE.I (funct3 001)
// are legal no-ops. When `illegal` is set every other output is 0, so an illegal
// instruction reads no register, writes nothing and is not a branch.
module decode (
    input  logic [31:0] insn,
    output logic        illegal,
    output logic        ebreak,
    output logic        uses_rs1,
    output logic        uses_rs2,
    output logic        writes_rd,
    output logic [31:0] imm,
    output logic [3:0]  alu_op,     // {sub/sra, funct3}; see alu.sv
    output logic        a_pc,       // ALU operand A is the PC (AUIPC)
    output logic        a_zero,     // ALU operand A is 0 (LUI)
    output logic        b_imm,      // ALU operand B is the immediate
    output logic        is_branch,
    output logic        is_jal,
    output logic        is_jalr,
    output logic        is_load,
    output logic        is_store,
    output logic        is_md       // M extension (funct3 selects the operation)
);
    logic [6:0] opcode;
    logic [2:0] funct3;
    logic [6:0] funct7;
    logic [31:0] imm_i, imm_s, imm_b, imm_u, imm_j;

    assign opcode = insn[6:0];
    assign funct3 = insn[14:12];
    assign funct7 = insn[31:25];
    assign imm_i = {{20{insn[31]}}, insn[31:20]};
    assign imm_s = {{20{insn[31]}}, insn[31:25], insn[11:7]};
    assign imm_b = {{19{insn[31]}}, insn[31], insn[7], insn[30:25], insn[11:8], 1'b0};
    assign imm_u = {insn[31:12], 12'b0};
    assign imm_j = {{11{insn[31]}}, insn[31], insn[19:12], insn[20], insn[30:21], 1'b0};

    always_comb begin
        illegal = 1'b1;
        ebreak = 1'b0;
        uses_rs1 = 1'b0;
        uses_rs2 = 1'b0;
        writes_rd = 1'b0;
        imm = 32'b0;
        alu_op = 4'b0000;
        a_pc = 1'b0;
        a_zero = 1'b0;
        b_imm = 1'b0;
        is_branch = 1'b0;
        is_jal = 1'b0;
        is_jalr = 1'b0;
        is_load = 1'b0;
        is_store = 1'b0;
        is_md = 1'b0;
        case (opcode)
            7'b0110111: begin // LUI
                illegal = 1'b0;
                writes_rd = 1'b1;
                a_zero = 1'b1;
                b_imm = 1'b1;
                imm = imm_u;
            end
            7'b0010111: begin // AUIPC
                illegal = 1'b0;
                writes_rd = 1'b1;
                a_pc = 1'b1;
                b_imm = 1'b1;
                imm = imm_u;
            end
            7'b1101111: begin // JAL
                illegal = 1'b0;
                writes_rd = 1'b1;
                is_jal = 1'b1;
                imm = imm_j;
            end
            7'b1100111: begin // JALR
                if (funct3 == 3'b000) begin
                    illegal = 1'b0;
                    writes_rd = 1'b1;
                    is_jalr = 1'b1;
                    uses_rs1 = 1'b1;
                    b_imm = 1'b1;
                    imm = imm_i;
                end
            end
            7'b1100011: begin // BEQ BNE BLT BGE BLTU BGEU
                if (funct3 != 3'b010 && funct3 != 3'b011) begin
                    illegal = 1'b0;
                    is_branch = 1'b1;
                    uses_rs1 = 1'b1;
                    uses_rs2 = 1'b1;
                    imm = imm_b;
                end
            end
            7'b0000011: begin // LB LH LW LBU LHU
                if (funct3 != 3'b011 && funct3 != 3'b110 && funct3 != 3'b111) begin
                    illegal = 1'b0;
                    is_load = 1'b1;
                    uses_rs1 = 1'b1;
                    writes_rd = 1'b1;
                    b_imm = 1'b1;
                    imm = imm_i;
                end
            end
            7'b0100011: begin // SB SH SW
                if (funct3 == 3'b000 || funct3 == 3'b001 || funct3 == 3'b010) begin
                    illegal = 1'b0;
                    is_store = 1'b1;
                    uses_rs1 = 1'b1;
                    uses_rs2 = 1'b1;
                    b_imm = 1'b1;
                    imm = imm_s;
                end
            end
            7'b0010011: begin // OP-IMM
                if ((funct3 == 3'b001 && funct7 == 7'b0000000) ||
                    (funct3 == 3'b101 && (funct7 == 7'b0000000 || funct7 == 7'b0100000)) ||
                    (funct3 != 3'b001 && funct3 != 3'b101)) begin
                    illegal = 1'b0;
                    uses_rs1 = 1'b1;
                    writes_rd = 1'b1;
                    b_imm = 1'b1;
                    imm = imm_i;
                    // Only SRAI uses bit 30 as an operation bit; for ADDI etc. it is immediate.
                    alu_op = {funct3 == 3'b101 && insn[30], funct3};
                end
            end
            7'b0110011: begin // OP and M
                if (funct7 == 7'b0000000 ||
                    (funct7 == 7'b0100000 && (funct3 == 3'b000 || funct3 == 3'b101)) ||
                    funct7 == 7'b0000001) begin
                    illegal = 1'b0;
                    uses_rs1 = 1'b1;
                    uses_rs2 = 1'b1;
                    writes_rd = 1'b1;
                    is_md = funct7 == 7'b0000001;
                    alu_op = {insn[30], funct3};
                end
            end
            7'b0001111: begin // FENCE, FENCE.I: no-ops (in-order core, no caches)
                if (funct3 == 3'b000 || funct3 == 3'b001)
                    illegal = 1'b0;
            end
            7'b1110011: begin // SYSTEM: only EBREAK
                if (insn == 32'h00100073) begin
                    illegal = 1'b0;
                    ebreak = 1'b1;
                end
            end
            default: ;
        endcase
    end
endmodule
