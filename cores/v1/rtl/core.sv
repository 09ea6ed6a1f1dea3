// core — baseline RV32IM: a 5-stage in-order pipeline (IF ID EX MEM WB)
// implementing the core contract of DESIGN.md §2 (module/port names, RVFI with
// channel 1 tied off, trap policy, aligned memory convention).
//
// Pipeline summary
//   IF  fetch.sv: PC, imem request, optional predictor/prefetch queue.
//   ID  decode.sv + regfile.sv read (+ bypass of the write WB does this cycle);
//       EBREAK interlock; static prediction (BRANCH_PREDICT=1).
//   EX  operands forwarded from MEM and WB; alu.sv, bru.sv, muldiv.sv, address
//       generation and alignment checks (lsu.sv); every control-flow outcome is
//       checked against the prediction carried down the pipe; a mismatch
//       redirects fetch and squashes ID/IF (LATE_REDIRECT=1 registers that
//       redirect first and squashes EX too). Traps are decided here.
//   MEM drives dmem from registers; waits while a real access sees Ready=0.
//   WB  writes the register file; RVFI comes from the MEM/WB register.
// Stall rules: WB never stalls; MEM stalls on a real access without dmem
// Ready; EX stalls on a MEM stall, on a load-use dependency (the load is in
// MEM and LOAD_FORWARD=0, or its access is stalled) or an unfinished
// multi-cycle M operation; ID stalls on an EX stall or an EBREAK ahead of it;
// IF stalls when ID does (or, with a prefetch queue, when the queue is full).
// A stage that holds keeps its instruction; EX re-captures its forwarded
// operands every cycle it holds, so producers may retire meanwhile.
// EBREAK: after an EBREAK leaves EX nothing younger passes ID, so no access
// after it reaches the buses; the core keeps fetching but retires nothing more.
// PCs are kept as word addresses internally: every redirect target is 4-aligned
// (a misaligned taken target traps and continues at pc+4).
module core (
    input  logic        clock,
    input  logic        reset,
    output logic [31:0] io_imemAddr,
    input  logic [31:0] io_imemData,
    input  logic        io_imemReady,
    output logic [31:0] io_dmemAddr,
    input  logic [31:0] io_dmemRData,
    output logic [31:0] io_dmemWData,
    output logic [3:0]  io_dmemWEn,
    output logic        io_dmemREn,
    input  logic        io_dmemReady,
    output logic        io_rvfi_valid_0,
    output logic [63:0] io_rvfi_order_0,
    output logic [31:0] io_rvfi_insn_0,
    output logic        io_rvfi_trap_0,
    output logic        io_rvfi_halt_0,
    output logic        io_rvfi_intr_0,
    output logic [1:0]  io_rvfi_mode_0,
    output logic [1:0]  io_rvfi_ixl_0,
    output logic [4:0]  io_rvfi_rs1_addr_0,
    output logic [4:0]  io_rvfi_rs2_addr_0,
    output logic [31:0] io_rvfi_rs1_rdata_0,
    output logic [31:0] io_rvfi_rs2_rdata_0,
    output logic [4:0]  io_rvfi_rd_addr_0,
    output logic [31:0] io_rvfi_rd_wdata_0,
    output logic [31:0] io_rvfi_pc_rdata_0,
    output logic [31:0] io_rvfi_pc_wdata_0,
    output logic [31:0] io_rvfi_mem_addr_0,
    output logic [3:0]  io_rvfi_mem_rmask_0,
    output logic [3:0]  io_rvfi_mem_wmask_0,
    output logic [31:0] io_rvfi_mem_rdata_0,
    output logic [31:0] io_rvfi_mem_wdata_0,
    output logic        io_rvfi_valid_1,
    output logic [63:0] io_rvfi_order_1,
    output logic [31:0] io_rvfi_insn_1,
    output logic        io_rvfi_trap_1,
    output logic        io_rvfi_halt_1,
    output logic        io_rvfi_intr_1,
    output logic [1:0]  io_rvfi_mode_1,
    output logic [1:0]  io_rvfi_ixl_1,
    output logic [4:0]  io_rvfi_rs1_addr_1,
    output logic [4:0]  io_rvfi_rs2_addr_1,
    output logic [31:0] io_rvfi_rs1_rdata_1,
    output logic [31:0] io_rvfi_rs2_rdata_1,
    output logic [4:0]  io_rvfi_rd_addr_1,
    output logic [31:0] io_rvfi_rd_wdata_1,
    output logic [31:0] io_rvfi_pc_rdata_1,
    output logic [31:0] io_rvfi_pc_wdata_1,
    output logic [31:0] io_rvfi_mem_addr_1,
    output logic [3:0]  io_rvfi_mem_rmask_1,
    output logic [3:0]  io_rvfi_mem_wmask_1,
    output logic [31:0] io_rvfi_mem_rdata_1,
    output logic [31:0] io_rvfi_mem_wdata_1
);
    // ---- Knobs (declared in core.yaml; one `parameter NAME = value;` line each).
    // Branch prediction: 0 none (fall through, redirect from EX), 1 static BTFN in ID, 2 BTB with 2-bit counters in IF.
    parameter BRANCH_PREDICT = 0;
    // Entries of the BTB (power of two), used when BRANCH_PREDICT = 2.
    parameter BTB_ENTRIES = 8;
    // Multiplier: 0 iterative shift-add (1 row per cycle), 1 single-cycle, 2 and 3 iterative with
    // 16 and 4 rows per cycle; 4 and 5 MUL through a pipelined low-half adder tree (3 and 2 cycles);
    // 6 as 5 with the partial products captured from ID (1 cycle when no producer is in EX or MEM).
    parameter MUL_IMPL = 5;
    // Divider: 0 radix-2, 1 radix-2 with early-out, 2 radix-4 with early-out.
    parameter DIV_IMPL = 0;
    // Register file: 0 flip-flops, 1 iCE40 block RAM (synchronous read, address presented from IF).
    parameter REGFILE_BRAM = 0;
    // Prefetch queue depth between IF and ID: 0 none, 2 or 4 entries.
    parameter FETCH_BUFFER = 0;
    // 1: forward load data from MEM straight into EX (no load-use bubble, longer path).
    parameter LOAD_FORWARD = 0;
    // 1: register the EX mispredict redirect (one more penalty cycle, shorter path).
    parameter LATE_REDIRECT = 0;

    localparam STATIC_BP = BRANCH_PREDICT == 1;
    localparam LFWD = LOAD_FORWARD != 0;
    localparam LATE = LATE_REDIRECT != 0;

    // ------------------------------------------------------------------ IF
    logic        f_valid;
    logic [29:0] f_pc;
    logic [31:0] f_insn;
    logic [33:0] f_pred;          // {taken, hit, counter[1:0], target}: see fetch.sv
    logic        redirect;
    logic [29:0] redirect_pc;
    logic        bp_upd_valid, bp_upd_taken, bp_upd_uncond;
    logic [29:0] bp_upd_pc, bp_upd_target;

    // ---------------------------------------------------------- ID register
    logic        d_valid;
    logic [29:0] d_pc;
    logic [31:0] d_insn;
    logic [33:0] d_pred;
    logic        d_load;          // the ID register takes the fetch packet
    logic        d_fire;          // ID passes its instruction to EX

    // ---------------------------------------------------------- EX register
    logic        e_valid;
    logic [29:0] e_pc;
    logic [31:0] e_insn;
    logic [31:0] e_imm;
    logic [3:0]  e_alu_op;
    logic        e_a_pc, e_a_zero, e_b_imm;
    logic        e_is_branch, e_is_jal, e_is_jalr, e_is_load, e_is_store, e_is_md;
    logic        e_illegal, e_ebreak, e_uses_rs1, e_uses_rs2;
    logic [4:0]  e_rd;            // 0 when the instruction writes no register
    logic [31:0] e_rs1v, e_rs2v;
    logic        e_pred_taken;    // the fetch or ID stage predicted taken
    logic        e_pred_tgt_ok;   // ... to this instruction's pc+imm (decided in ID)
    logic        e_pred_hit;      // BTB lookup results, returned to train it
    logic [1:0]  e_pred_ctr;
    logic        e_mul_pre;       // MUL_IMPL 6: the operands were valid in ID (see EX)
    logic        e_load, e_fire, e_stall, kill_ex;

    // --------------------------------------------------------- MEM register
    logic        m_valid;
    logic [29:0] m_pc, m_next;
    logic [31:0] m_insn, m_result, m_addr, m_wdata;
    logic [4:0]  m_rd;            // 0 when nothing is written (incl. traps)
    logic        m_is_load, m_is_store;   // real accesses only (not trapping)
    logic [3:0]  m_mask;
    logic        m_trap, m_halt;
    logic [4:0]  m_rs1_addr, m_rs2_addr;
    logic [31:0] m_rs1v, m_rs2v;
    logic        m_stall;

    // ---------------------------------------------------------- WB register
    logic        w_valid;
    logic [29:0] w_pc, w_next;
    logic [31:0] w_insn, w_wdata;
    logic [4:0]  w_rd;
    logic        w_trap, w_halt;
    logic [4:0]  w_rs1_addr, w_rs2_addr;
    logic [31:0] w_rs1v, w_rs2v;
    logic [31:0] w_mem_addr, w_mem_rdata, w_mem_wdata;
    logic [3:0]  w_rmask, w_wmask;
    logic [63:0] order;

    logic halted;   // an EBREAK has left EX: nothing younger may pass ID

    // ================================================================== IF
    logic id_redirect;
    logic [29:0] d_static_target;
    logic flush;            // EX-side redirect applied this cycle
    logic [29:0] flush_pc;

    assign redirect = flush || id_redirect;
    assign redirect_pc = flush ? flush_pc : d_static_target;

    fetch #(
        .BRANCH_PREDICT(BRANCH_PREDICT), .BTB_ENTRIES(BTB_ENTRIES), .FETCH_BUFFER(FETCH_BUFFER)
    ) u_fetch (
        .clock(clock), .reset(reset),
        .imem_addr(io_imemAddr), .imem_data(io_imemData), .imem_ready(io_imemReady),
        .redirect(redirect), .redirect_pc(redirect_pc),
        .out_valid(f_valid), .out_pc(f_pc), .out_insn(f_insn),
        .out_pred(f_pred), .out_ready(d_load),
        .upd_valid(bp_upd_valid), .upd_pc(bp_upd_pc), .upd_taken(bp_upd_taken),
        .upd_uncond(bp_upd_uncond), .upd_target(bp_upd_target),
        .upd_pred({e_pred_taken, e_pred_hit, e_pred_ctr, 30'b0}));

    always_ff @(posedge clock) begin
        if (reset || flush) d_valid <= 1'b0;
        else if (d_load) d_valid <= f_valid && !id_redirect;
    end
    // Data fields follow d_load alone so that the register file's early read
    // address (regfile.sv, BRAM) always matches d_insn.
    always_ff @(posedge clock) begin
        if (d_load) begin
            d_pc <= f_pc;
            d_insn <= f_insn;
            d_pred <= f_pred;
        end
    end

    // ================================================================== ID
    logic        dd_illegal, dd_ebreak, dd_uses_rs1, dd_uses_rs2, dd_writes_rd;
    logic [31:0] dd_imm;
    logic [3:0]  dd_alu_op;
    logic        dd_a_pc, dd_a_zero, dd_b_imm;
    logic        dd_is_branch, dd_is_jal, dd_is_jalr, dd_is_load, dd_is_store, dd_is_md;

    decode u_decode (
        .insn(d_insn), .illegal(dd_illegal), .ebreak(dd_ebreak),
        .uses_rs1(dd_uses_rs1), .uses_rs2(dd_uses_rs2), .writes_rd(dd_writes_rd),
        .imm(dd_imm), .alu_op(dd_alu_op), .a_pc(dd_a_pc), .a_zero(dd_a_zero), .b_imm(dd_b_imm),
        .is_branch(dd_is_branch), .is_jal(dd_is_jal), .is_jalr(dd_is_jalr),
        .is_load(dd_is_load), .is_store(dd_is_store), .is_md(dd_is_md));

    logic [4:0]  d_rs1, d_rs2, d_rd;
    logic [31:0] rf_rd1, rf_rd2, d_rs1v, d_rs2v;
    assign d_rs1 = d_insn[19:15];
    assign d_rs2 = d_insn[24:20];
    assign d_rd = dd_writes_rd ? d_insn[11:7] : 5'd0;

    regfile #(.BRAM(REGFILE_BRAM)) u_regfile (
        .clock(clock), .reset(reset),
        .ra1(d_rs1), .ra2(d_rs2),
        .ra1_next(d_load ? f_insn[19:15] : d_rs1),
        .ra2_next(d_load ? f_insn[24:20] : d_rs2),
        .rd1(rf_rd1), .rd2(rf_rd2),
        .we(w_valid && w_rd != 5'd0), .wa(w_rd), .wd(w_wdata));

    // The register file shows writes up to the last edge; add the one WB makes now.
    assign d_rs1v = (w_valid && w_rd != 5'd0 && w_rd == d_rs1) ? w_wdata : rf_rd1;
    assign d_rs2v = (w_valid && w_rd != 5'd0 && w_rd == d_rs2) ? w_wdata : rf_rd2;

    // Interlock: nothing passes an EBREAK (load-use is handled in EX).
    logic d_hazard;
    assign d_hazard = (e_valid && e_ebreak) || halted;
    assign d_fire = d_valid && e_load && !d_hazard;
    assign d_load = !d_valid || d_fire;

    // Static backward-taken/forward-not-taken prediction (BRANCH_PREDICT = 1):
    // JAL and backward conditional branches redirect fetch from ID (one bubble).
    // A misaligned target is not predicted (it would trap in EX anyway).
    logic d_static_taken;
    logic [29:0] d_rel_target;
    assign d_rel_target = d_pc + dd_imm[31:2];
    assign d_static_target = d_rel_target;
    assign d_static_taken = STATIC_BP && (dd_is_jal || (dd_is_branch && dd_imm[31])) && !dd_imm[1];
    assign id_redirect = d_static_taken && d_fire && !flush;
    // Whether a predicted target is this instruction's own pc+imm is decided
    // here, so that EX compares no targets: a static prediction is pc+imm by
    // construction; a BTB target is checked against it. JALR targets are never
    // trusted (see e_mispredict).
    logic d_pred_tgt_ok;
    assign d_pred_tgt_ok = STATIC_BP || d_pred[29:0] == d_rel_target;
    // The register file (with the WB bypass) already holds both operands
    // unless an instruction in EX or MEM is about to write one of them.
    logic d_mul_pre;
    assign d_mul_pre = !((e_valid && e_rd != 5'd0 && (e_rd == d_rs1 || e_rd == d_rs2)) ||
                         (m_valid && m_rd != 5'd0 && (m_rd == d_rs1 || m_rd == d_rs2)));

    // ================================================================== EX
    // Forwarding: MEM (ALU result; load data only with LOAD_FORWARD), then WB.
    logic [31:0] m_load_val, m_fwd, fwd_a, fwd_b;
    logic [4:0]  e_rs1, e_rs2;
    assign e_rs1 = e_insn[19:15];
    assign e_rs2 = e_insn[24:20];
    assign m_fwd = (LFWD && m_is_load) ? m_load_val : m_result;
    assign fwd_a = (m_valid && m_rd != 5'd0 && m_rd == e_rs1) ? m_fwd :
                   (w_valid && w_rd != 5'd0 && w_rd == e_rs1) ? w_wdata : e_rs1v;
    assign fwd_b = (m_valid && m_rd != 5'd0 && m_rd == e_rs2) ? m_fwd :
                   (w_valid && w_rd != 5'd0 && w_rd == e_rs2) ? w_wdata : e_rs2v;

    logic [31:0] alu_a, alu_b, alu_y, alu_sum;
    assign alu_a = e_a_pc ? {e_pc, 2'b00} : (e_a_zero ? 32'b0 : fwd_a);
    assign alu_b = e_b_imm ? e_imm : fwd_b;
    alu u_alu (.op(e_alu_op), .a(alu_a), .b(alu_b), .y(alu_y), .sum(alu_sum));

    logic br_cond;
    bru u_bru (.funct3(e_insn[14:12]), .a(fwd_a), .b(fwd_b), .taken(br_cond));

    // Control flow. Branch/JAL targets are pc+imm; JALR's is rs1+imm with bit 0
    // cleared. Bit 1 set means misaligned: a taken one traps instead.
    logic [29:0] e_pc4, e_target, e_next;
    logic e_target_mis, e_taken_raw, e_taken, e_mispredict;
    assign e_pc4 = e_pc + 30'd1;
    assign e_target = e_is_jalr ? alu_sum[31:2] : e_pc + e_imm[31:2];
    assign e_target_mis = e_is_jalr ? alu_sum[1] : e_imm[1];
    assign e_taken_raw = e_is_jal || e_is_jalr || (e_is_branch && br_cond);
    assign e_taken = e_taken_raw && !e_target_mis;
    assign e_next = e_taken ? e_target : e_pc4;
    // Fetch went to pc+4 unless predicted taken, and then to a target that ID
    // checked against pc+imm. A JALR's target depends on rs1, so a taken JALR
    // always redirects (as without prediction); comparing it here would put
    // the forwarding->adder->compare chain in front of the redirect.
    assign e_mispredict = e_is_jalr ? (e_taken || e_pred_taken)
                                    : (e_pred_taken != e_taken) || (e_taken && !e_pred_tgt_ok);

    // Loads and stores.
    logic [3:0]  x_mask;
    logic [31:0] x_wdata;
    logic        x_misaligned, e_mem_trap, e_trap;
    lsu u_lsu (
        .x_size(e_insn[13:12]), .x_off(alu_sum[1:0]), .x_store_val(fwd_b),
        .x_mask(x_mask), .x_wdata(x_wdata), .x_misaligned(x_misaligned),
        .m_funct3(m_insn[14:12]), .m_off(m_addr[1:0]), .m_rdata(io_dmemRData),
        .m_load_val(m_load_val));
    assign e_mem_trap = (e_is_load || e_is_store) && x_misaligned;
    assign e_trap = e_illegal || (e_taken_raw && e_target_mis) || e_mem_trap;

    // Load-use: EX needs the result of the load in MEM. Without LOAD_FORWARD
    // that value only exists from WB, so EX waits one cycle (also when the
    // load's access is itself stalled); with it, EX waits only while the access
    // is stalled (covered by m_stall).
    logic e_ld_dep, e_opnd_wait;
    assign e_ld_dep = m_valid && m_is_load && m_rd != 5'd0 &&
                      ((e_uses_rs1 && m_rd == e_rs1) || (e_uses_rs2 && m_rd == e_rs2));
    assign e_opnd_wait = e_ld_dep && (!LFWD || m_stall);

    // M extension. With MUL_IMPL 6 the multiplier captures its partial
    // products from ID's operands as an instruction enters EX; e_mul_pre says
    // they were valid (no producer of rs1 or rs2 was in EX or MEM then).
    logic md_ready;
    logic [31:0] md_y;
    muldiv #(.MUL_IMPL(MUL_IMPL), .DIV_IMPL(DIV_IMPL)) u_muldiv (
        .clock(clock), .reset(reset),
        .req(e_valid && e_is_md && !kill_ex),
        .can_start(!e_opnd_wait),
        .ack(e_fire), .kill(kill_ex),
        .funct3(e_insn[14:12]), .a(fwd_a), .b(fwd_b),
        .pre(e_mul_pre), .id_a(d_rs1v), .id_b(d_rs2v),
        .ready(md_ready), .y(md_y));

    logic [31:0] e_result;
    assign e_result = (e_is_jal || e_is_jalr) ? {e_pc4, 2'b00} : (e_is_md ? md_y : alu_y);

    // Handshake.
    assign e_stall = e_valid && (m_stall || e_opnd_wait || (e_is_md && !md_ready));
    assign e_fire = e_valid && !e_stall && !kill_ex;
    assign e_load = !e_valid || e_fire || kill_ex;

    // Redirect on a wrong prediction, applied when the instruction leaves EX
    // (or, with LATE_REDIRECT, one cycle later from a register, which then also
    // squashes the instruction that entered EX meanwhile).
    generate
        if (LATE) begin : g_late
            logic        r_flush;
            logic [29:0] r_flush_pc;
            always_ff @(posedge clock) begin
                if (reset) r_flush <= 1'b0;
                else r_flush <= e_fire && e_mispredict;
                r_flush_pc <= e_next;
            end
            assign flush = r_flush;
            assign flush_pc = r_flush_pc;
            assign kill_ex = r_flush;
        end else begin : g_early
            assign flush = e_fire && e_mispredict;
            assign flush_pc = e_next;
            assign kill_ex = 1'b0;
        end
    endgenerate

    // Predictor training (JALR is not predicted: see e_mispredict).
    assign bp_upd_valid = e_fire && (e_is_branch || e_is_jal);
    assign bp_upd_pc = e_pc;
    assign bp_upd_taken = e_taken;
    assign bp_upd_uncond = e_is_jal;
    assign bp_upd_target = e_target;

    // ID -> EX register.
    always_ff @(posedge clock) begin
        if (reset || flush) e_valid <= 1'b0;
        else if (e_load) e_valid <= d_fire;
    end
    always_ff @(posedge clock) begin
        if (e_load) begin
            e_pc <= d_pc;
            e_insn <= d_insn;
            e_imm <= dd_imm;
            e_alu_op <= dd_alu_op;
            e_a_pc <= dd_a_pc;
            e_a_zero <= dd_a_zero;
            e_b_imm <= dd_b_imm;
            e_is_branch <= dd_is_branch;
            e_is_jal <= dd_is_jal;
            e_is_jalr <= dd_is_jalr;
            e_is_load <= dd_is_load;
            e_is_store <= dd_is_store;
            e_is_md <= dd_is_md;
            e_illegal <= dd_illegal;
            e_ebreak <= dd_ebreak;
            e_uses_rs1 <= dd_uses_rs1;
            e_uses_rs2 <= dd_uses_rs2;
            e_rd <= d_rd;
            e_rs1v <= d_rs1v;
            e_rs2v <= d_rs2v;
            // The static prediction (BRANCH_PREDICT = 1) joins the fetch one (none then).
            e_pred_taken <= d_pred[33] || d_static_taken;
            e_pred_tgt_ok <= d_pred_tgt_ok;
            e_pred_hit <= d_pred[32];
            e_pred_ctr <= d_pred[31:30];
            e_mul_pre <= d_mul_pre;
        end else begin
            // Holding: keep the operands current while their producers retire.
            e_rs1v <= fwd_a;
            e_rs2v <= fwd_b;
        end
    end

    always_ff @(posedge clock) begin
        if (reset) halted <= 1'b0;
        else if (e_fire && e_ebreak) halted <= 1'b1;
    end

    // EX -> MEM register.
    always_ff @(posedge clock) begin
        if (reset) m_valid <= 1'b0;
        else if (!m_stall) m_valid <= e_fire;
    end
    always_ff @(posedge clock) begin
        if (!m_stall) begin
            m_pc <= e_pc;
            m_insn <= e_insn;
            m_next <= e_next;
            m_result <= e_result;
            m_rd <= e_trap ? 5'd0 : e_rd;
            m_is_load <= e_is_load && !e_trap;
            m_is_store <= e_is_store && !e_trap;
            m_addr <= alu_sum;
            m_wdata <= x_wdata;
            m_mask <= x_mask;
            m_trap <= e_trap;
            m_halt <= e_ebreak;
            m_rs1_addr <= (e_uses_rs1 && !e_trap) ? e_rs1 : 5'd0;
            m_rs2_addr <= (e_uses_rs2 && !e_trap) ? e_rs2 : 5'd0;
            m_rs1v <= (e_uses_rs1 && !e_trap) ? fwd_a : 32'b0;
            m_rs2v <= (e_uses_rs2 && !e_trap) ? fwd_b : 32'b0;
        end
    end

    // ================================================================= MEM
    assign m_stall = m_valid && (m_is_load || m_is_store) && !io_dmemReady;
    assign io_dmemAddr = m_addr;
    assign io_dmemREn = m_valid && m_is_load;
    assign io_dmemWEn = (m_valid && m_is_store) ? m_mask : 4'b0000;
    assign io_dmemWData = m_wdata;

    logic [31:0] lane_bits;
    assign lane_bits = {{8{m_mask[3]}}, {8{m_mask[2]}}, {8{m_mask[1]}}, {8{m_mask[0]}}};

    // MEM -> WB register.
    always_ff @(posedge clock) begin
        if (reset) w_valid <= 1'b0;
        else w_valid <= m_valid && !m_stall;
    end
    always_ff @(posedge clock) begin
        w_pc <= m_pc;
        w_next <= m_next;
        w_insn <= m_insn;
        w_rd <= m_rd;
        w_wdata <= (m_rd == 5'd0) ? 32'b0 : (m_is_load ? m_load_val : m_result);
        w_trap <= m_trap;
        w_halt <= m_halt;
        w_rs1_addr <= m_rs1_addr;
        w_rs2_addr <= m_rs2_addr;
        w_rs1v <= m_rs1v;
        w_rs2v <= m_rs2v;
        w_mem_addr <= (m_is_load || m_is_store) ? {m_addr[31:2], 2'b00} : 32'b0;
        w_rmask <= m_is_load ? m_mask : 4'b0000;
        w_wmask <= m_is_store ? m_mask : 4'b0000;
        w_mem_rdata <= m_is_load ? io_dmemRData : 32'b0;
        w_mem_wdata <= m_is_store ? (m_wdata & lane_bits) : 32'b0;
    end

    // ================================================================== WB
    always_ff @(posedge clock) begin
        if (reset) order <= 64'd0;
        else if (w_valid) order <= order + 64'd1;
    end

    assign io_rvfi_valid_0 = w_valid;
    assign io_rvfi_order_0 = order;
    assign io_rvfi_insn_0 = w_insn;
    assign io_rvfi_trap_0 = w_trap;
    assign io_rvfi_halt_0 = w_halt;
    assign io_rvfi_intr_0 = 1'b0;
    assign io_rvfi_mode_0 = 2'd3;
    assign io_rvfi_ixl_0 = 2'd1;
    assign io_rvfi_rs1_addr_0 = w_rs1_addr;
    assign io_rvfi_rs2_addr_0 = w_rs2_addr;
    assign io_rvfi_rs1_rdata_0 = w_rs1v;
    assign io_rvfi_rs2_rdata_0 = w_rs2v;
    assign io_rvfi_rd_addr_0 = w_rd;
    assign io_rvfi_rd_wdata_0 = w_wdata;
    assign io_rvfi_pc_rdata_0 = {w_pc, 2'b00};
    assign io_rvfi_pc_wdata_0 = {w_next, 2'b00};
    assign io_rvfi_mem_addr_0 = w_mem_addr;
    assign io_rvfi_mem_rmask_0 = w_rmask;
    assign io_rvfi_mem_wmask_0 = w_wmask;
    assign io_rvfi_mem_rdata_0 = w_mem_rdata;
    assign io_rvfi_mem_wdata_0 = w_mem_wdata;

    // Single-issue: channel 1 never retires.
    assign io_rvfi_valid_1 = 1'b0;
    assign io_rvfi_order_1 = 64'd0;
    assign io_rvfi_insn_1 = 32'd0;
    assign io_rvfi_trap_1 = 1'b0;
    assign io_rvfi_halt_1 = 1'b0;
    assign io_rvfi_intr_1 = 1'b0;
    assign io_rvfi_mode_1 = 2'd0;
    assign io_rvfi_ixl_1 = 2'd0;
    assign io_rvfi_rs1_addr_1 = 5'd0;
    assign io_rvfi_rs2_addr_1 = 5'd0;
    assign io_rvfi_rs1_rdata_1 = 32'd0;
    assign io_rvfi_rs2_rdata_1 = 32'd0;
    assign io_rvfi_rd_addr_1 = 5'd0;
    assign io_rvfi_rd_wdata_1 = 32'd0;
    assign io_rvfi_pc_rdata_1 = 32'd0;
    assign io_rvfi_pc_wdata_1 = 32'd0;
    assign io_rvfi_mem_addr_1 = 32'd0;
    assign io_rvfi_mem_rmask_1 = 4'd0;
    assign io_rvfi_mem_wmask_1 = 4'd0;
    assign io_rvfi_mem_rdata_1 = 32'd0;
    assign io_rvfi_mem_wdata_1 = 32'd0;
endmodule
