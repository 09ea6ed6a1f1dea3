// isa_spec.sv — what one RV32IM retirement must report, from the RISC-V
// unprivileged specification (RV32I base, Zifencei, M) and the project's trap
// policy (DESIGN.md §2).
//
// Inputs are the retirement's own insn, pc_rdata, rs1_rdata, rs2_rdata and
// mem_rdata; outputs are the expected values of the other RVFI fields:
//  - uses_rs1/uses_rs2: the instruction reads that operand (then rs*_addr is
//    its field, else rs*_addr and rs*_rdata must be 0);
//  - rd_addr is 0 when nothing is written (also for rd = x0), rd_wdata is 0 then;
//  - memory fields use the aligned convention: mem_addr is the word address,
//    masks are lane-shifted, mem_wdata holds the stored bytes in their lanes
//    (compare it under mem_wmask only), loads take their bytes from mem_rdata;
//  - EBREAK (exactly 0x00100073) is the only legal SYSTEM instruction: halt=1.
//    ECALL, CSR*, MRET, every unknown encoding, misaligned loads/stores and
//    misaligned taken branch/jump targets trap: trap=1, rd_addr=0, masks 0,
//    pc_wdata=pc+4. FENCE/FENCE.I are no-ops (their reserved fields ignored).
//  - group: one-hot instruction group (formal_defs.svh).
//  - trap_may: whether the instruction can trap for some operand values.
//    The project's RVFI convention lets a
//    trapping instruction report rs1/rs2 as 0/0 even when it read them (a
//    misaligned JALR, load, store or taken branch); the checker then only
//    knows from these that the trap was possible.
//
// EXACT_M = 1 computes every M result (the deep mode). EXACT_M = 0 is the fast
// mode: the M result is computed only for operand classes whose answer needs
// no multiplier or divider (a zero, +-1 or +-2^k operand, the unsigned all-ones
// operand, division by zero, the signed overflow, |dividend| < |divisor|);
// rd_known says whether rd_wdata holds the expected value. Every other field
// (rd_addr, pc, traps, operand addresses) is exact in both modes.
`include "formal_defs.svh"

module isa_spec #(
    parameter bit EXACT_M = 1'b1
) (
    input  logic [31:0]         insn,
    input  logic [31:0]         pc_rdata,
    input  logic [31:0]         rs1_rdata,
    input  logic [31:0]         rs2_rdata,
    input  logic [31:0]         mem_rdata,
    // m_fixed = 1: the M result is computed from m_f3, m_a and m_b, which the
    // environment holds constant (formal_top's deep environment knows the one
    // M instruction and its operands), not from this retirement's fields; the
    // exact spec is then one circuit shared by every unrolled cycle instead of
    // one per cycle. 0: from funct3, rs1_rdata and rs2_rdata.
    input  logic                m_fixed,
    input  logic [2:0]          m_f3,
    input  logic [31:0]         m_a,
    input  logic [31:0]         m_b,
    output logic [`FGRP_N-1:0]  group,
    output logic                uses_rs1,
    output logic                uses_rs2,
    output logic [4:0]          rd_addr,
    output logic [31:0]         rd_wdata,
    output logic [31:0]         rd_wdata_alt, // rd_wdata computed another way (formal_spec_m)
    output logic                rd_known,
    output logic [31:0]         pc_wdata,
    output logic [31:0]         mem_addr,
    output logic [3:0]          mem_rmask,
    output logic [3:0]          mem_wmask,
    output logic [31:0]         mem_wdata,
    output logic                trap,
    output logic                trap_may,
    output logic                halt
);
    // ---- fields and immediates (RISC-V unprivileged spec, chapter 2) ----
    logic [6:0]  opcode;
    logic [2:0]  f3;
    logic [6:0]  f7;
    logic [4:0]  rd_field;
    logic [31:0] imm_i, imm_s, imm_b, imm_u, imm_j;
    assign opcode   = insn[6:0];
    assign f3       = insn[14:12];
    assign f7       = insn[31:25];
    assign rd_field = insn[11:7];
    assign imm_i = {{20{insn[31]}}, insn[31:20]};
    assign imm_s = {{20{insn[31]}}, insn[31:25], insn[11:7]};
    assign imm_b = {{19{insn[31]}}, insn[31], insn[7], insn[30:25], insn[11:8], 1'b0};
    assign imm_u = {insn[31:12], 12'b0};
    assign imm_j = {{11{insn[31]}}, insn[31], insn[19:12], insn[20], insn[30:21], 1'b0};

    localparam logic [6:0] OP_LUI    = 7'b0110111;
    localparam logic [6:0] OP_AUIPC  = 7'b0010111;
    localparam logic [6:0] OP_JAL    = 7'b1101111;
    localparam logic [6:0] OP_JALR   = 7'b1100111;
    localparam logic [6:0] OP_BRANCH = 7'b1100011;
    localparam logic [6:0] OP_LOAD   = 7'b0000011;
    localparam logic [6:0] OP_STORE  = 7'b0100011;
    localparam logic [6:0] OP_IMM    = 7'b0010011;
    localparam logic [6:0] OP_REG    = 7'b0110011;
    localparam logic [6:0] OP_MISC   = 7'b0001111;
    localparam logic [6:0] OP_SYSTEM = 7'b1110011;

    logic [31:0] pc_next;
    assign pc_next = pc_rdata + 32'd4;

    // ---- decode: group, operands read, whether rd is written ----
    logic writes_rd;
    always_comb begin
        group     = '0;
        uses_rs1  = 1'b0;
        uses_rs2  = 1'b0;
        writes_rd = 1'b0;
        halt      = 1'b0;
        case (opcode)
            OP_LUI, OP_AUIPC: begin
                group[`FGRP_LUI_AUIPC] = 1'b1;
                writes_rd = 1'b1;
            end
            OP_JAL: begin
                group[`FGRP_JUMP] = 1'b1;
                writes_rd = 1'b1;
            end
            OP_JALR: begin
                if (f3 == 3'b000) begin
                    group[`FGRP_JUMP] = 1'b1;
                    uses_rs1  = 1'b1;
                    writes_rd = 1'b1;
                end else
                    group[`FGRP_ILLEGAL] = 1'b1;
            end
            OP_BRANCH: begin
                if (f3 != 3'b010 && f3 != 3'b011) begin
                    group[`FGRP_BRANCH] = 1'b1;
                    uses_rs1 = 1'b1;
                    uses_rs2 = 1'b1;
                end else
                    group[`FGRP_ILLEGAL] = 1'b1;
            end
            OP_LOAD: begin
                if (f3 == 3'b000 || f3 == 3'b001 || f3 == 3'b010 || f3 == 3'b100 || f3 == 3'b101) begin
                    group[`FGRP_LOAD] = 1'b1;
                    uses_rs1  = 1'b1;
                    writes_rd = 1'b1;
                end else
                    group[`FGRP_ILLEGAL] = 1'b1;
            end
            OP_STORE: begin
                if (f3 == 3'b000 || f3 == 3'b001 || f3 == 3'b010) begin
                    group[`FGRP_STORE] = 1'b1;
                    uses_rs1 = 1'b1;
                    uses_rs2 = 1'b1;
                end else
                    group[`FGRP_ILLEGAL] = 1'b1;
            end
            OP_IMM: begin
                if (f3 == 3'b001) begin                      // SLLI
                    if (f7 == 7'b0000000) begin
                        group[`FGRP_SHIFT] = 1'b1;
                        uses_rs1  = 1'b1;
                        writes_rd = 1'b1;
                    end else
                        group[`FGRP_ILLEGAL] = 1'b1;
                end else if (f3 == 3'b101) begin             // SRLI / SRAI
                    if (f7 == 7'b0000000 || f7 == 7'b0100000) begin
                        group[`FGRP_SHIFT] = 1'b1;
                        uses_rs1  = 1'b1;
                        writes_rd = 1'b1;
                    end else
                        group[`FGRP_ILLEGAL] = 1'b1;
                end else begin
                    group[`FGRP_ALU_IMM] = 1'b1;
                    uses_rs1  = 1'b1;
                    writes_rd = 1'b1;
                end
            end
            OP_REG: begin
                if (f7 == 7'b0000000) begin
                    if (f3 == 3'b001 || f3 == 3'b101) group[`FGRP_SHIFT] = 1'b1;
                    else                              group[`FGRP_ALU_REG] = 1'b1;
                end else if (f7 == 7'b0100000 && f3 == 3'b000)
                    group[`FGRP_ALU_REG] = 1'b1;             // SUB
                else if (f7 == 7'b0100000 && f3 == 3'b101)
                    group[`FGRP_SHIFT] = 1'b1;               // SRA
                else if (f7 == 7'b0000001) begin
                    if (f3[2]) group[`FGRP_DIV] = 1'b1;
                    else       group[`FGRP_MUL] = 1'b1;
                end else
                    group[`FGRP_ILLEGAL] = 1'b1;
                if (!group[`FGRP_ILLEGAL]) begin
                    uses_rs1  = 1'b1;
                    uses_rs2  = 1'b1;
                    writes_rd = 1'b1;
                end
            end
            OP_MISC: begin
                if (f3 == 3'b000 || f3 == 3'b001) group[`FGRP_SYSTEM] = 1'b1;
                else                              group[`FGRP_ILLEGAL] = 1'b1;
            end
            OP_SYSTEM: begin
                group[`FGRP_SYSTEM] = 1'b1;
                halt = (insn == 32'h00100073);
            end
            default: group[`FGRP_ILLEGAL] = 1'b1;
        endcase
        // A 16-bit (compressed) encoding is illegal: there is no C extension.
        if (insn[1:0] != 2'b11) begin
            group     = '0;
            group[`FGRP_ILLEGAL] = 1'b1;
            uses_rs1  = 1'b0;
            uses_rs2  = 1'b0;
            writes_rd = 1'b0;
            halt      = 1'b0;
        end
    end

    // ---- base integer results ----
    logic [31:0] op2;          // second ALU operand: rs2 (OP) or imm_i (OP-IMM)
    logic [4:0]  shamt;
    logic [31:0] alu, sra;
    assign op2   = (opcode == OP_REG) ? rs2_rdata : imm_i;
    assign shamt = op2[4:0];
    assign sra   = $signed(rs1_rdata) >>> shamt;   // its own assign keeps it signed
    always_comb begin
        case (f3)
            3'b000:  alu = (opcode == OP_REG && f7[5]) ? rs1_rdata - op2 : rs1_rdata + op2;
            3'b001:  alu = rs1_rdata << shamt;
            3'b010:  alu = {31'b0, $signed(rs1_rdata) < $signed(op2)};
            3'b011:  alu = {31'b0, rs1_rdata < op2};
            3'b100:  alu = rs1_rdata ^ op2;
            3'b101:  alu = f7[5] ? sra : rs1_rdata >> shamt;
            3'b110:  alu = rs1_rdata | op2;
            default: alu = rs1_rdata & op2;
        endcase
    end

    logic taken;
    always_comb begin
        case (f3)
            3'b000:  taken = rs1_rdata == rs2_rdata;
            3'b001:  taken = rs1_rdata != rs2_rdata;
            3'b100:  taken = $signed(rs1_rdata) < $signed(rs2_rdata);
            3'b101:  taken = $signed(rs1_rdata) >= $signed(rs2_rdata);
            3'b110:  taken = rs1_rdata < rs2_rdata;
            default: taken = rs1_rdata >= rs2_rdata;
        endcase
    end

    logic [31:0] target;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0] jalr_sum;            // bit 0 is cleared by JALR
    /* verilator lint_on UNUSEDSIGNAL */
    assign jalr_sum = rs1_rdata + imm_i;
    always_comb begin
        case (opcode)
            OP_JAL:  target = pc_rdata + imm_j;
            OP_JALR: target = {jalr_sum[31:1], 1'b0};
            default: target = pc_rdata + imm_b;
        endcase
    end

    // ---- loads and stores ----
    logic [31:0] addr;
    logic [1:0]  off;
    logic        misaligned;
    logic [3:0]  lane_mask;
    logic [31:0] shifted_load, load_val;
    assign addr = rs1_rdata + ((opcode == OP_STORE) ? imm_s : imm_i);
    assign off  = addr[1:0];
    always_comb begin
        case (f3[1:0])
            2'b00:   begin misaligned = 1'b0;          lane_mask = 4'b0001 << off; end
            2'b01:   begin misaligned = off[0];        lane_mask = 4'b0011 << off; end
            default: begin misaligned = off != 2'b00;  lane_mask = 4'b1111;        end
        endcase
    end
    assign shifted_load = mem_rdata >> {off, 3'b000};
    always_comb begin
        case (f3)
            3'b000:  load_val = {{24{shifted_load[7]}}, shifted_load[7:0]};
            3'b001:  load_val = {{16{shifted_load[15]}}, shifted_load[15:0]};
            3'b100:  load_val = {24'b0, shifted_load[7:0]};
            3'b101:  load_val = {16'b0, shifted_load[15:0]};
            default: load_val = shifted_load;
        endcase
    end

    // ---- M extension ----
    logic [31:0] m_result, m_result_alt;
    logic        m_known;
    formal_spec_m #(.EXACT(EXACT_M)) u_m (
        .f3(m_fixed ? m_f3 : f3), .a(m_fixed ? m_a : rs1_rdata), .b(m_fixed ? m_b : rs2_rdata),
        .result(m_result), .result_alt(m_result_alt),
        .known(m_known)
    );

    // ---- traps and final fields ----
    logic trap_cond, is_load, is_store;
    assign is_load  = group[`FGRP_LOAD];
    assign is_store = group[`FGRP_STORE];
    always_comb begin
        trap_cond = 1'b0;
        if (group[`FGRP_ILLEGAL])
            trap_cond = 1'b1;
        else if (group[`FGRP_SYSTEM] && opcode == OP_SYSTEM && !halt)
            trap_cond = 1'b1;                                 // ECALL, CSR*, MRET, ...
        else if (is_load || is_store)
            trap_cond = misaligned;
        else if (group[`FGRP_JUMP] || (group[`FGRP_BRANCH] && taken))
            trap_cond = target[1:0] != 2'b00;
    end
    assign trap = trap_cond;

    // Traps that depend only on insn and pc; the others depend on rs1 (JALR,
    // halfword/word accesses) or on the branch outcome.
    logic [1:0] branch_lsb;          // the low bits of pc + imm_b
    assign branch_lsb = pc_rdata[1:0] + imm_b[1:0];
    always_comb begin
        trap_may = 1'b0;
        if (group[`FGRP_ILLEGAL] || (group[`FGRP_SYSTEM] && opcode == OP_SYSTEM && !halt))
            trap_may  = 1'b1;
        else if (group[`FGRP_JUMP] && opcode == OP_JAL)
            trap_may  = target[1:0] != 2'b00;
        else if (group[`FGRP_JUMP]) begin
            trap_may  = 1'b1;                                 // JALR: rs1 + imm
        end else if (group[`FGRP_BRANCH])
            trap_may  = branch_lsb != 2'b00;          // only when taken
        else if (is_load || is_store)
            trap_may  = f3[1:0] != 2'b00;                     // halfword, word
    end

    logic [31:0] result;
    logic        result_known;
    always_comb begin
        result_known = 1'b1;
        case (1'b1)
            group[`FGRP_LUI_AUIPC]: result = (opcode == OP_LUI) ? imm_u : pc_rdata + imm_u;
            group[`FGRP_JUMP]:      result = pc_next;
            group[`FGRP_LOAD]:      result = load_val;
            group[`FGRP_MUL],
            group[`FGRP_DIV]:       begin result = m_result; result_known = m_known; end
            default:                result = alu;
        endcase
    end

    logic do_write;
    assign do_write = writes_rd && !trap_cond && rd_field != 5'd0;
    assign rd_addr  = do_write ? rd_field : 5'd0;
    assign rd_wdata = do_write ? result : 32'd0;
    assign rd_wdata_alt = do_write && (group[`FGRP_MUL] || group[`FGRP_DIV]) ? m_result_alt : rd_wdata;
    assign rd_known = do_write ? result_known : 1'b1;

    always_comb begin
        if (trap_cond)
            pc_wdata = pc_next;
        else if (group[`FGRP_JUMP] || (group[`FGRP_BRANCH] && taken))
            pc_wdata = target;
        else
            pc_wdata = pc_next;
    end

    assign mem_addr  = {addr[31:2], 2'b00};
    assign mem_rmask = (is_load && !trap_cond) ? lane_mask : 4'b0000;
    assign mem_wmask = (is_store && !trap_cond) ? lane_mask : 4'b0000;
    assign mem_wdata = rs2_rdata << {off, 3'b000};
endmodule
