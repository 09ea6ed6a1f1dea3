// formal_top.sv — the environment the checks see: the core under test, with
//  - an instruction bus that returns an arbitrary word every cycle,
//  - a data bus that returns arbitrary data every cycle,
//  - both ready inputs arbitrary every cycle (stall paths are proved, not
//    assumed away),
// all of them top-level inputs, which the model checker drives freely. Reset
// is high in the first cycle only; the checks start in the cycle after.
//
// Free constants (register index, bus addresses and words, the store index k)
// are sampled from free inputs in the reset cycle and held.
//
// Every check is a pair of top-level outputs: bad_<check> (the property is
// violated now) and cov_<check> (its cover is hit now); formal/checks.tsv maps
// check names to them. The model checker proves one output at a time, so each
// check is its own proof with its own depth on one shared netlist.
// Assumptions are folded into the outputs of the checks that need them, as
// "held in every cycle so far" flags (a trace violating one is no trace):
//  ok_imem  a ready fetch of word address imem_a returns imem_w (imem check);
//  ok_dmem  a ready read (REn) of word address dmem_a returns dmem_w (dmem_rd);
//  ok_fair  neither bus is stalled for more than FORMAL_FAIR_K cycles in a row
//           (liveness only).
// The f_* assertions inside the check modules are not proved; they name the
// broken field when the runner replays a counterexample.
`include "formal_defs.svh"

module formal_top #(
    parameter bit EXACT_M = 1'b0,
    parameter bit DEEP_ENV = 1'b0,  // deep mode: fixed program, no stalls (see below)
    parameter int DEEP_PROG = 0     // deep mode's M instruction: 0 MUL, 1 DIV class, 2 MULH or MULHU, 3 MULHSU
) (
    input logic        clock,
    input logic [31:0] imem_data,
    input logic        imem_ready,
    input logic [31:0] dmem_rdata,
    input logic        dmem_ready,
    input logic [4:0]  free_reg,
    input logic [29:0] free_imem_a,
    input logic [31:0] free_imem_w,
    input logic [29:0] free_dmem_a,
    input logic [31:0] free_dmem_w,
    input logic [1:0]  free_k,
    input logic [1:0]  free_f3,
    input logic [31:0] free_m_a,
    input logic [31:0] free_m_b,
    output logic [`FGRP_N-1:0] bad_ch0,
    output logic [`FGRP_N-1:0] cov_ch0,
    output logic [`FGRP_N-1:0] bad_ch1,
    output logic [`FGRP_N-1:0] cov_ch1,
    output logic       bad_ch1_idle,
    output logic [7:0] bad_reg,      // one per group of four registers
    output logic [7:0] cov_reg,
    output logic       bad_pc_fwd,
    output logic       cov_pc_fwd,
    output logic       bad_pc_bwd,
    output logic       cov_pc_bwd,
    output logic       bad_order,
    output logic       cov_order,
    output logic       bad_causal,
    output logic       cov_causal,
    output logic       bad_live,
    output logic       cov_live,
    output logic       bad_imem,
    output logic       cov_imem,
    output logic       bad_dmem_rd,
    output logic       cov_dmem_rd,
    output logic       bad_dmem_wr,
    output logic       cov_dmem_wr
);
    // ---- reset: one cycle ----
    logic started = 1'b0;
    logic reset, en;
    always_ff @(posedge clock) started <= 1'b1;
    assign reset = !started;
    assign en    = started;

    // ---- free constants ----
    logic [4:0]  reg_idx;
    logic [29:0] imem_a, dmem_a;
    logic [31:0] imem_w, dmem_w;
    logic [1:0]  k;
    formal_anyconst #(.W(5))  c_reg (.clock(clock), .first(reset), .d(free_reg),    .q(reg_idx));
    formal_anyconst #(.W(30)) c_ia  (.clock(clock), .first(reset), .d(free_imem_a), .q(imem_a));
    formal_anyconst #(.W(32)) c_iw  (.clock(clock), .first(reset), .d(free_imem_w), .q(imem_w));
    formal_anyconst #(.W(30)) c_da  (.clock(clock), .first(reset), .d(free_dmem_a), .q(dmem_a));
    formal_anyconst #(.W(32)) c_dw  (.clock(clock), .first(reset), .d(free_dmem_w), .q(dmem_w));
    formal_anyconst #(.W(2))  c_k   (.clock(clock), .first(reset), .d(free_k),      .q(k));

    // ---- the buses ----
    // Fast mode: everything free. Deep mode (DEEP_ENV) proves M arithmetic for
    // all operand values; routing, forwarding and stalls are the fast mode's
    // job. Its environment is a fixed program on stall-free buses
    //     LW x1, 0(x0); LW x2, 4(x0); <M op> x3, x1, x2; (no further fetch)
    // with free load data; the M op is a MUL (DEEP_PROG 0), a DIV-class (1),
    // a MULH or MULHU (2) or a MULHSU (3) instruction, funct3 free within the
    // class. For a
    // unit whose timing depends only on the operation the timing is then the
    // same in every trace, so after unrolling both the core's unit and the
    // spec are functions of the two loaded words and funct3 only, and the
    // model checker's SAT sweeping can match their internal nodes (see
    // fbmc.c). An early-out unit's timing depends on the operands; the spec's
    // second division form follows such a unit (formal_spec_m.sv).
    // The two loaded words are free constants (m_a at address 0, m_b at 4),
    // so the checks can compute the expected M result from them once rather
    // than from each cycle's retirement (isa_spec.sv, m_fixed): with an
    // early-out unit the retirement cycle depends on the operands, and a spec
    // per unrolled cycle multiplied the proof's size by the depth.
    logic [1:0]  m_f3;
    logic [31:0] m_a, m_b;
    formal_anyconst #(.W(2))  c_f3  (.clock(clock), .first(reset), .d(free_f3),     .q(m_f3));
    formal_anyconst #(.W(32)) c_ma  (.clock(clock), .first(reset), .d(free_m_a),    .q(m_a));
    formal_anyconst #(.W(32)) c_mb  (.clock(clock), .first(reset), .d(free_m_b),    .q(m_b));
    // The M op's funct3: MUL alone (0), DIV/DIVU/REM/REMU (1), MULH or MULHU
    // (2), MULHSU alone (3). A unit may take a different number of cycles for
    // MUL than for MULH* (a fast low-half path), and each netlist must have
    // one timing; with a constant 1 in funct3[1:0] the unrolled netlist sees
    // at once that the MUL-only path is never taken and drops it (a free
    // funct3 over MULH/MULHSU/MULHU left it in every cycle: 425k AND nodes).
    logic [2:0]  m_op;
    assign m_op = DEEP_PROG == 1 ? {1'b1, m_f3} :
                  DEEP_PROG == 2 ? {1'b0, m_f3[0], 1'b1} :
                  DEEP_PROG == 3 ? 3'b010 : 3'b000;
    logic [31:0] bus_imem_data, rom;
    logic        bus_imem_ready, bus_dmem_ready;
    always_comb begin
        case (imem_addr[31:2])
            30'd0:   rom = 32'h0000_2083;                              // LW x1, 0(x0)
            30'd1:   rom = 32'h0040_2103;                              // LW x2, 4(x0)
            30'd2:   rom = {17'b0000_0010_0010_0000_1, m_op, 12'h1b3};       // M op x3, x1, x2
            default: rom = 32'h0000_0013;                              // NOP
        endcase
    end
    assign bus_imem_data  = DEEP_ENV ? rom : imem_data;
    // After the M op nothing more is fetched (the bus never becomes ready for
    // a later word): the pipeline then holds only bubbles behind it, so when
    // an early-out unit finishes at an operand-dependent cycle, no stream of
    // NOPs whose position depends on the operands follows it through every
    // unrolled cycle.
    assign bus_imem_ready = DEEP_ENV ? imem_addr[31:2] <= 30'd2 : imem_ready;
    assign bus_dmem_ready = DEEP_ENV ? 1'b1 : dmem_ready;
    logic [31:0] bus_dmem_rdata;
    assign bus_dmem_rdata = !DEEP_ENV ? dmem_rdata : dmem_addr[2] ? m_b : m_a;

    // ---- the core ----
    /* verilator lint_off UNUSEDSIGNAL */
    (* keep *) logic [31:0] imem_addr, dmem_addr;   // bits 1:0 do not select the word
    /* verilator lint_on UNUSEDSIGNAL */
    (* keep *) logic [31:0] dmem_wdata;
    (* keep *) logic [3:0]  dmem_wen;
    (* keep *) logic        dmem_ren;

`define RVFI_WIRES(C) \
    (* keep *) logic        valid``C, trap``C, halt``C, intr``C; \
    (* keep *) logic [63:0] order``C; \
    (* keep *) logic [31:0] insn``C, rs1_rdata``C, rs2_rdata``C, rd_wdata``C, pc_rdata``C, pc_wdata``C; \
    (* keep *) logic [31:0] mem_addr``C, mem_rdata``C, mem_wdata``C; \
    (* keep *) logic [1:0]  mode``C, ixl``C; \
    (* keep *) logic [4:0]  rs1_addr``C, rs2_addr``C, rd_addr``C; \
    (* keep *) logic [3:0]  mem_rmask``C, mem_wmask``C;
    `RVFI_WIRES(0)
    `RVFI_WIRES(1)
`undef RVFI_WIRES

`define RVFI_PORTS(C) \
        .io_rvfi_valid_``C(valid``C), .io_rvfi_order_``C(order``C), .io_rvfi_insn_``C(insn``C), \
        .io_rvfi_trap_``C(trap``C), .io_rvfi_halt_``C(halt``C), .io_rvfi_intr_``C(intr``C), \
        .io_rvfi_mode_``C(mode``C), .io_rvfi_ixl_``C(ixl``C), \
        .io_rvfi_rs1_addr_``C(rs1_addr``C), .io_rvfi_rs2_addr_``C(rs2_addr``C), \
        .io_rvfi_rs1_rdata_``C(rs1_rdata``C), .io_rvfi_rs2_rdata_``C(rs2_rdata``C), \
        .io_rvfi_rd_addr_``C(rd_addr``C), .io_rvfi_rd_wdata_``C(rd_wdata``C), \
        .io_rvfi_pc_rdata_``C(pc_rdata``C), .io_rvfi_pc_wdata_``C(pc_wdata``C), \
        .io_rvfi_mem_addr_``C(mem_addr``C), .io_rvfi_mem_rmask_``C(mem_rmask``C), \
        .io_rvfi_mem_wmask_``C(mem_wmask``C), .io_rvfi_mem_rdata_``C(mem_rdata``C), \
        .io_rvfi_mem_wdata_``C(mem_wdata``C)

    core dut (
        .clock(clock), .reset(reset),
        .io_imemAddr(imem_addr), .io_imemData(bus_imem_data), .io_imemReady(bus_imem_ready),
        .io_dmemAddr(dmem_addr), .io_dmemRData(bus_dmem_rdata), .io_dmemWData(dmem_wdata),
        .io_dmemWEn(dmem_wen), .io_dmemREn(dmem_ren), .io_dmemReady(bus_dmem_ready),
        `RVFI_PORTS(0),
        `RVFI_PORTS(1)
    );
`undef RVFI_PORTS

    // ---- environment assumptions, as sticky flags ----
    localparam logic [7:0] FAIR_K = `FORMAL_FAIR_K;
    logic [7:0] imem_wait = 8'd0, dmem_wait = 8'd0;   // consecutive not-ready cycles
    logic ok_imem_q = 1'b1, ok_dmem_q = 1'b1, ok_fair_q = 1'b1;
    logic ok_imem, ok_dmem, ok_fair;
    assign ok_imem = ok_imem_q && !(bus_imem_ready && imem_addr[31:2] == imem_a && bus_imem_data != imem_w);
    assign ok_dmem = ok_dmem_q && !(bus_dmem_ready && dmem_ren && dmem_addr[31:2] == dmem_a &&
                                    bus_dmem_rdata != dmem_w);
    assign ok_fair = ok_fair_q && (bus_imem_ready || imem_wait < FAIR_K) &&
                                  (bus_dmem_ready || dmem_wait < FAIR_K);
    always_ff @(posedge clock) begin
        imem_wait <= (reset || bus_imem_ready) ? 8'd0 : (imem_wait == 8'hFF ? imem_wait : imem_wait + 8'd1);
        dmem_wait <= (reset || bus_dmem_ready) ? 8'd0 : (dmem_wait == 8'hFF ? dmem_wait : dmem_wait + 8'd1);
        ok_imem_q <= ok_imem;
        ok_dmem_q <= ok_dmem;
        ok_fair_q <= ok_fair;
    end

    // ---- checks ----
`define CHANNEL_PORTS(C) \
        .valid(valid``C), .insn(insn``C), .trap(trap``C), .halt(halt``C), .intr(intr``C), \
        .mode(mode``C), .ixl(ixl``C), .rs1_addr(rs1_addr``C), .rs2_addr(rs2_addr``C), \
        .rs1_rdata(rs1_rdata``C), .rs2_rdata(rs2_rdata``C), .rd_addr(rd_addr``C), \
        .rd_wdata(rd_wdata``C), .pc_rdata(pc_rdata``C), .pc_wdata(pc_wdata``C), \
        .mem_addr(mem_addr``C), .mem_rmask(mem_rmask``C), .mem_wmask(mem_wmask``C), \
        .mem_rdata(mem_rdata``C), .mem_wdata(mem_wdata``C)
`define M_PORTS .m_fixed(DEEP_ENV), .m_f3(m_op), .m_a(m_a), .m_b(m_b)
    formal_channel #(.EXACT_M(EXACT_M)) ch0 (.en(en), .bad(bad_ch0), .cov(cov_ch0), `M_PORTS, `CHANNEL_PORTS(0));
    formal_channel #(.EXACT_M(EXACT_M)) ch1 (.en(en), .bad(bad_ch1), .cov(cov_ch1), `M_PORTS, `CHANNEL_PORTS(1));
`undef M_PORTS
`undef CHANNEL_PORTS

    // Channel 1 never retires: then every channel-1 check is not applicable.
    assign bad_ch1_idle = en && valid1;
    always_comb f_ch1_idle: assert (!bad_ch1_idle);

    for (genvar g = 0; g < 8; g++) begin : reg_grp
        formal_check_reg #(.GROUP(g)) chk (
            .clock(clock), .en(en), .idx_free(reg_idx[1:0]),
            .v0(valid0), .rs1_addr0(rs1_addr0), .rs2_addr0(rs2_addr0), .rs1_rdata0(rs1_rdata0),
            .rs2_rdata0(rs2_rdata0), .rd_addr0(rd_addr0), .rd_wdata0(rd_wdata0),
            .v1(valid1), .rs1_addr1(rs1_addr1), .rs2_addr1(rs2_addr1), .rs1_rdata1(rs1_rdata1),
            .rs2_rdata1(rs2_rdata1), .rd_addr1(rd_addr1), .rd_wdata1(rd_wdata1),
            .bad(bad_reg[g]), .cov(cov_reg[g]));
    end

    formal_check_pc pc (
        .clock(clock), .en(en),
        .v0(valid0), .pc_rdata0(pc_rdata0), .pc_wdata0(pc_wdata0),
        .v1(valid1), .pc_rdata1(pc_rdata1), .pc_wdata1(pc_wdata1),
        .bad_fwd(bad_pc_fwd), .cov_fwd(cov_pc_fwd), .bad_bwd(bad_pc_bwd), .cov_bwd(cov_pc_bwd));

    formal_check_order order (
        .clock(clock), .en(en), .v0(valid0), .order0(order0), .v1(valid1), .order1(order1),
        .bad(bad_order), .cov(cov_order));

    formal_check_causal causal (
        .clock(clock), .en(en), .idx(reg_idx),
        .v0(valid0), .order0(order0), .rs1_addr0(rs1_addr0), .rs2_addr0(rs2_addr0), .rd_addr0(rd_addr0),
        .v1(valid1), .order1(order1), .rs1_addr1(rs1_addr1), .rs2_addr1(rs2_addr1), .rd_addr1(rd_addr1),
        .bad(bad_causal), .cov(cov_causal));

    logic live_bad, live_cov;
    formal_check_live live (
        .clock(clock), .en(en), .v0(valid0), .halt0(halt0), .v1(valid1), .halt1(halt1),
        .bad(live_bad), .cov(live_cov));
    assign bad_live = live_bad && ok_fair;
    assign cov_live = live_cov && ok_fair;

    logic imem_bad, imem_cov;
    formal_check_imem imem (
        .en(en), .a(imem_a), .w(imem_w),
        .v0(valid0), .pc_word0(pc_rdata0[31:2]), .insn0(insn0),
        .v1(valid1), .pc_word1(pc_rdata1[31:2]), .insn1(insn1),
        .bad(imem_bad), .cov(imem_cov));
    assign bad_imem = imem_bad && ok_imem;
    assign cov_imem = imem_cov && ok_imem;

    logic dmem_bad_rd, dmem_cov_rd;
    formal_check_dmem dmem (
        .clock(clock), .en(en), .a(dmem_a), .w(dmem_w), .k(k),
        .bus_word(dmem_addr[31:2]), .bus_wdata(dmem_wdata), .bus_wen(dmem_wen), .bus_ready(bus_dmem_ready),
        .v0(valid0), .mem_word0(mem_addr0[31:2]), .mem_rmask0(mem_rmask0), .mem_wmask0(mem_wmask0),
        .mem_rdata0(mem_rdata0), .mem_wdata0(mem_wdata0),
        .v1(valid1), .mem_word1(mem_addr1[31:2]), .mem_rmask1(mem_rmask1), .mem_wmask1(mem_wmask1),
        .mem_rdata1(mem_rdata1), .mem_wdata1(mem_wdata1),
        .bad_rd(dmem_bad_rd), .cov_rd(dmem_cov_rd), .bad_wr(bad_dmem_wr), .cov_wr(cov_dmem_wr));
    assign bad_dmem_rd = dmem_bad_rd && ok_dmem;
    assign cov_dmem_rd = dmem_cov_rd && ok_dmem;
endmodule
