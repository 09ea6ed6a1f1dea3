// formal_channel.sv — the per-instruction checks of one RVFI channel: runs
// the ISA spec on the retirement and instantiates one formal_fields per
// instruction group. Instance names are the check names (ch<N>.<group>).
`include "formal_defs.svh"

module formal_channel #(
    parameter bit EXACT_M = 1'b0
) (
    input logic        en,          // after reset
    input logic        m_fixed,     // M results from m_f3/m_a/m_b (isa_spec.sv)
    input logic [2:0]  m_f3,
    input logic [31:0] m_a,
    input logic [31:0] m_b,
    output logic [`FGRP_N-1:0] bad, // per group: a field differs from the spec
    output logic [`FGRP_N-1:0] cov, // per group: the group's cover is hit
    input logic        valid,
    input logic [31:0] insn,
    input logic        trap,
    input logic        halt,
    input logic        intr,
    input logic [1:0]  mode,
    input logic [1:0]  ixl,
    input logic [4:0]  rs1_addr,
    input logic [4:0]  rs2_addr,
    input logic [31:0] rs1_rdata,
    input logic [31:0] rs2_rdata,
    input logic [4:0]  rd_addr,
    input logic [31:0] rd_wdata,
    input logic [31:0] pc_rdata,
    input logic [31:0] pc_wdata,
    input logic [31:0] mem_addr,
    input logic [3:0]  mem_rmask,
    input logic [3:0]  mem_wmask,
    input logic [31:0] mem_rdata,
    input logic [31:0] mem_wdata
);
    logic [`FGRP_N-1:0] s_group;
    logic        s_uses_rs1, s_uses_rs2, s_rd_known, s_trap, s_trap_may, s_halt;
    logic [4:0]  s_rd_addr;
    logic [31:0] s_rd_wdata, s_rd_wdata_alt, s_pc_wdata, s_mem_addr, s_mem_wdata;
    logic [3:0]  s_mem_rmask, s_mem_wmask;

    isa_spec #(.EXACT_M(EXACT_M)) spec (
        .insn(insn), .pc_rdata(pc_rdata), .rs1_rdata(rs1_rdata), .rs2_rdata(rs2_rdata),
        .mem_rdata(mem_rdata), .m_fixed(m_fixed), .m_f3(m_f3), .m_a(m_a), .m_b(m_b),
        .group(s_group), .uses_rs1(s_uses_rs1), .uses_rs2(s_uses_rs2),
        .rd_addr(s_rd_addr), .rd_wdata(s_rd_wdata), .rd_wdata_alt(s_rd_wdata_alt), .rd_known(s_rd_known),
        .pc_wdata(s_pc_wdata), .mem_addr(s_mem_addr), .mem_rmask(s_mem_rmask),
        .mem_wmask(s_mem_wmask), .mem_wdata(s_mem_wdata), .trap(s_trap), .trap_may(s_trap_may),
        .halt(s_halt)
    );

    // A read register reported as x0 when its field is not x0: the operand was
    // withheld (allowed for a trapping instruction), so data-dependent trap
    // conditions cannot be evaluated from this retirement.
    logic opnd_known;
    assign opnd_known = !(s_uses_rs1 && insn[19:15] != 5'd0 && rs1_addr == 5'd0) &&
                        !(s_uses_rs2 && insn[24:20] != 5'd0 && rs2_addr == 5'd0);

    logic [`FGRP_N-1:0] sel, reach;
    logic writes, taken;
    assign sel    = (en && valid) ? s_group : '0;
    assign writes = !s_trap && s_rd_addr != 5'd0 && s_rd_known;
    assign taken  = !s_trap && s_pc_wdata != pc_rdata + 32'd4;
    always_comb begin
        reach = '0;
        reach[`FGRP_ALU_REG]   = writes;
        reach[`FGRP_ALU_IMM]   = writes;
        reach[`FGRP_SHIFT]     = writes;
        reach[`FGRP_LUI_AUIPC] = writes;
        reach[`FGRP_BRANCH]    = taken;
        reach[`FGRP_JUMP]      = writes && taken;
        reach[`FGRP_LOAD]      = writes;
        reach[`FGRP_STORE]     = !s_trap;
        reach[`FGRP_MUL]       = writes;
        reach[`FGRP_DIV]       = writes;
        reach[`FGRP_SYSTEM]    = 1'b1;
        reach[`FGRP_ILLEGAL]   = 1'b1;
    end

`define FORMAL_FIELDS(NAME, G) \
    formal_fields NAME ( \
        .sel(sel[G]), .reach(reach[G]), .bad(bad[G]), .cov(cov[G]), .opnd_known(opnd_known), .result_only(m_fixed), \
        .rs1_field(insn[19:15]), .rs2_field(insn[24:20]), .trap(trap), .halt(halt), .intr(intr), .mode(mode), .ixl(ixl), \
        .rs1_addr(rs1_addr), .rs2_addr(rs2_addr), .rs1_rdata(rs1_rdata), .rs2_rdata(rs2_rdata), \
        .rd_addr(rd_addr), .rd_wdata(rd_wdata), .pc_rdata(pc_rdata), .pc_wdata(pc_wdata), .mem_addr(mem_addr), \
        .mem_rmask(mem_rmask), .mem_wmask(mem_wmask), .mem_wdata(mem_wdata), \
        .s_uses_rs1(s_uses_rs1), .s_uses_rs2(s_uses_rs2), .s_rd_addr(s_rd_addr), \
        .s_rd_wdata(s_rd_wdata), .s_rd_wdata_alt(s_rd_wdata_alt), .s_rd_known(s_rd_known), .s_pc_wdata(s_pc_wdata), \
        .s_mem_addr(s_mem_addr), .s_mem_rmask(s_mem_rmask), .s_mem_wmask(s_mem_wmask), \
        .s_mem_wdata(s_mem_wdata), .s_trap(s_trap), .s_trap_may(s_trap_may), \
        .s_halt(s_halt));

    `FORMAL_FIELDS(alu_reg,   `FGRP_ALU_REG)
    `FORMAL_FIELDS(alu_imm,   `FGRP_ALU_IMM)
    `FORMAL_FIELDS(shift,     `FGRP_SHIFT)
    `FORMAL_FIELDS(lui_auipc, `FGRP_LUI_AUIPC)
    `FORMAL_FIELDS(branch,    `FGRP_BRANCH)
    `FORMAL_FIELDS(jump,      `FGRP_JUMP)
    `FORMAL_FIELDS(load,      `FGRP_LOAD)
    `FORMAL_FIELDS(store,     `FGRP_STORE)
    `FORMAL_FIELDS(mul,       `FGRP_MUL)
    `FORMAL_FIELDS(div,       `FGRP_DIV)
    `FORMAL_FIELDS(system,    `FGRP_SYSTEM)
    `FORMAL_FIELDS(illegal,   `FGRP_ILLEGAL)
`undef FORMAL_FIELDS
endmodule
