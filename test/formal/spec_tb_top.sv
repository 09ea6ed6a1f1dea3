// spec_tb_top.sv — test wrapper: the ISA spec in its deep (exact M) and fast
// configurations side by side on the same retirement, for test/formal/spec_tb.cpp.
`include "formal_defs.svh"

module spec_tb_top (
    input  logic [31:0]        insn,
    input  logic [31:0]        pc_rdata,
    input  logic [31:0]        rs1_rdata,
    input  logic [31:0]        rs2_rdata,
    input  logic [31:0]        mem_rdata,
    output logic [`FGRP_N-1:0] group,
    output logic               uses_rs1,
    output logic               uses_rs2,
    output logic [4:0]         rd_addr,
    output logic [31:0]        rd_wdata,
    output logic [31:0]        rd_wdata_alt,
    output logic [31:0]        pc_wdata,
    output logic [31:0]        mem_addr,
    output logic [3:0]         mem_rmask,
    output logic [3:0]         mem_wmask,
    output logic [31:0]        mem_wdata,
    output logic               trap,
    output logic               trap_may,
    output logic               halt,
    output logic [31:0]        fast_rd_wdata,
    output logic               fast_rd_known
);
    logic exact_known;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [`FGRP_N-1:0] f_group;
    logic f_uses_rs1, f_uses_rs2, f_trap, f_trap_may, f_halt;
    logic [4:0] f_rd_addr;
    logic [31:0] f_pc_wdata, f_mem_addr, f_mem_wdata, f_rd_wdata_alt;
    logic [3:0] f_rmask, f_wmask;
    /* verilator lint_on UNUSEDSIGNAL */

    isa_spec #(.EXACT_M(1'b1)) exact (
        .insn(insn), .pc_rdata(pc_rdata), .rs1_rdata(rs1_rdata), .rs2_rdata(rs2_rdata),
        .mem_rdata(mem_rdata), .m_fixed(1'b0), .m_f3(3'd0), .m_a(32'd0), .m_b(32'd0), .group(group), .uses_rs1(uses_rs1), .uses_rs2(uses_rs2),
        .rd_addr(rd_addr), .rd_wdata(rd_wdata), .rd_wdata_alt(rd_wdata_alt), .rd_known(exact_known), .pc_wdata(pc_wdata),
        .mem_addr(mem_addr), .mem_rmask(mem_rmask), .mem_wmask(mem_wmask), .mem_wdata(mem_wdata),
        .trap(trap), .trap_may(trap_may), .halt(halt));
    isa_spec #(.EXACT_M(1'b0)) fast (
        .insn(insn), .pc_rdata(pc_rdata), .rs1_rdata(rs1_rdata), .rs2_rdata(rs2_rdata),
        .mem_rdata(mem_rdata), .m_fixed(1'b0), .m_f3(3'd0), .m_a(32'd0), .m_b(32'd0), .group(f_group), .uses_rs1(f_uses_rs1), .uses_rs2(f_uses_rs2),
        .rd_addr(f_rd_addr), .rd_wdata(fast_rd_wdata), .rd_wdata_alt(f_rd_wdata_alt), .rd_known(fast_rd_known), .pc_wdata(f_pc_wdata),
        .mem_addr(f_mem_addr), .mem_rmask(f_rmask), .mem_wmask(f_wmask), .mem_wdata(f_mem_wdata),
        .trap(f_trap), .trap_may(f_trap_may), .halt(f_halt));

    // The exact spec always knows its result.
    always_comb if (!exact_known) $error("exact spec reports an unknown result");
endmodule
