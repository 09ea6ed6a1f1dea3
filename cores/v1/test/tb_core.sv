// tb_core — the whole pipeline on a self-checking program (smoke.S), in
// several knob configurations at once that together cover every value of
// every knob, each with its own 16 KiB memory and bus-stall pattern.
// Per configuration it checks: the program's own result word (every CHECK in
// smoke.S passed), 280 retirements (count from the reference ISS) with `order`
// counting 0,1,2,... on channel 0 only, exactly the 8 traps the program
// contains, halt on EBREAK and no retirement or bus access after it, the
// canary word the trapping store must not touch, dmem strobes only inside
// the data area, and an identical retirement stream (hash of every RVFI
// field) in every configuration.
// Clocked style only: see tb_bp.sv about Verilator 5.006 timed processes.
module tb_core;
    logic clock = 1'b0;
    initial forever #5 clock = ~clock;

    `include "smoke_prog.svh"

    localparam int EXPECT_RETIRED = 280;
    localparam int EXPECT_TRAPS = 8;
    localparam int MAX_CYCLES = 20000;
    localparam int RESULT_W = 32'h3000 / 4;
    localparam int CANARY_W = 32'h3004 / 4;

    // Configurations, fields k = 0..8: BRANCH_PREDICT, BTB_ENTRIES, MUL_IMPL,
    // DIV_IMPL, REGFILE_BRAM, FETCH_BUFFER, LOAD_FORWARD, LATE_REDIRECT, stall
    // pattern (0 none, 1 ~25% per bus, 2 bursty).
    localparam int NC = 8;
    function automatic int cfg(input int c, input int k);
        logic [8:0][7:0] row;   // row[8] is the first field
        case (c)
            0: row = {8'd0, 8'd8,  8'd0, 8'd0, 8'd0, 8'd0, 8'd0, 8'd0, 8'd0};
            1: row = {8'd0, 8'd8,  8'd0, 8'd0, 8'd0, 8'd0, 8'd0, 8'd0, 8'd1};
            2: row = {8'd1, 8'd8,  8'd6, 8'd1, 8'd1, 8'd0, 8'd1, 8'd0, 8'd1};
            3: row = {8'd2, 8'd4,  8'd2, 8'd2, 8'd0, 8'd2, 8'd0, 8'd1, 8'd1};
            4: row = {8'd2, 8'd32, 8'd3, 8'd0, 8'd1, 8'd4, 8'd1, 8'd1, 8'd2};
            5: row = {8'd1, 8'd8,  8'd5, 8'd2, 8'd1, 8'd2, 8'd0, 8'd1, 8'd2};
            6: row = {8'd2, 8'd16, 8'd1, 8'd1, 8'd0, 8'd4, 8'd1, 8'd0, 8'd1};
            default: row = {8'd2, 8'd8, 8'd4, 8'd0, 8'd1, 8'd0, 8'd0, 8'd0, 8'd2};
        endcase
        return int'(row[8 - k]);
    endfunction

    int cycle = 0;
    logic finish_now = 1'b0;
    logic [NC-1:0] halted_v;

    for (genvar c = 0; c < NC; c++) begin : g
        logic [31:0] mem [4096];
        logic [31:0] imem_addr, imem_data, dmem_addr, dmem_rdata, dmem_wdata;
        logic [3:0]  dmem_wen;
        logic        dmem_ren, imem_ready, dmem_ready;
        logic        valid0, valid1, trap0, halt0;
        logic [63:0] order0;
        logic [31:0] insn0, pc_r0, pc_w0, rd_w0, rs1_d0, rs2_d0, ma0, mr0, mw0;
        logic [4:0]  rd0, rs1_0, rs2_0;
        logic [3:0]  rmask0, wmask0;
        logic [15:0] lfsr;
        logic [4:0]  burst;
        logic [63:0] hash;
        int retired, traps, errors, halt_cycle;
        logic halted;
        string first;

        initial begin
            for (int i = 0; i < 4096; i++) mem[i] = (i < PROG_WORDS) ? prog_word(i) : 32'h0;
            lfsr = 16'hace1 ^ 16'(c * 977);
            burst = 5'd0;
            hash = 64'h0;
            retired = 0;
            traps = 0;
            errors = 0;
            halt_cycle = 0;
            halted = 1'b0;
        end

        core #(
            .BRANCH_PREDICT(cfg(c, 0)), .BTB_ENTRIES(cfg(c, 1)), .MUL_IMPL(cfg(c, 2)), .DIV_IMPL(cfg(c, 3)),
            .REGFILE_BRAM(cfg(c, 4)), .FETCH_BUFFER(cfg(c, 5)), .LOAD_FORWARD(cfg(c, 6)),
            .LATE_REDIRECT(cfg(c, 7))
        ) dut (
            .clock(clock), .reset(cycle < 3),
            .io_imemAddr(imem_addr), .io_imemData(imem_data), .io_imemReady(imem_ready),
            .io_dmemAddr(dmem_addr), .io_dmemRData(dmem_rdata), .io_dmemWData(dmem_wdata),
            .io_dmemWEn(dmem_wen), .io_dmemREn(dmem_ren), .io_dmemReady(dmem_ready),
            .io_rvfi_valid_0(valid0), .io_rvfi_order_0(order0), .io_rvfi_insn_0(insn0),
            .io_rvfi_trap_0(trap0), .io_rvfi_halt_0(halt0), .io_rvfi_intr_0(), .io_rvfi_mode_0(),
            .io_rvfi_ixl_0(), .io_rvfi_rs1_addr_0(rs1_0), .io_rvfi_rs2_addr_0(rs2_0),
            .io_rvfi_rs1_rdata_0(rs1_d0), .io_rvfi_rs2_rdata_0(rs2_d0), .io_rvfi_rd_addr_0(rd0),
            .io_rvfi_rd_wdata_0(rd_w0), .io_rvfi_pc_rdata_0(pc_r0), .io_rvfi_pc_wdata_0(pc_w0),
            .io_rvfi_mem_addr_0(ma0), .io_rvfi_mem_rmask_0(rmask0), .io_rvfi_mem_wmask_0(wmask0),
            .io_rvfi_mem_rdata_0(mr0), .io_rvfi_mem_wdata_0(mw0),
            .io_rvfi_valid_1(valid1), .io_rvfi_order_1(), .io_rvfi_insn_1(), .io_rvfi_trap_1(),
            .io_rvfi_halt_1(), .io_rvfi_intr_1(), .io_rvfi_mode_1(), .io_rvfi_ixl_1(),
            .io_rvfi_rs1_addr_1(), .io_rvfi_rs2_addr_1(), .io_rvfi_rs1_rdata_1(), .io_rvfi_rs2_rdata_1(),
            .io_rvfi_rd_addr_1(), .io_rvfi_rd_wdata_1(), .io_rvfi_pc_rdata_1(), .io_rvfi_pc_wdata_1(),
            .io_rvfi_mem_addr_1(), .io_rvfi_mem_rmask_1(), .io_rvfi_mem_wmask_1(), .io_rvfi_mem_rdata_1(),
            .io_rvfi_mem_wdata_1());

        // Same-cycle memory; ready comes from registers, so it is stable in the cycle.
        assign imem_data = mem[imem_addr[13:2]];
        assign dmem_rdata = mem[dmem_addr[13:2]];
        assign imem_ready = cfg(c, 8) == 0 || (cfg(c, 8) == 1 ? lfsr[1:0] != 2'b00 : burst == 0 && lfsr[0]);
        assign dmem_ready = cfg(c, 8) == 0 || (cfg(c, 8) == 1 ? lfsr[3:2] != 2'b00 : burst == 0 && lfsr[4]);
        assign halted_v[c] = halted;

        task automatic fail(input string msg);
            if (errors == 0) first = msg;
            errors++;
        endtask

        always @(posedge clock) begin
            lfsr <= {lfsr[14:0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]};
            if (burst != 0) burst <= burst - 5'd1;
            else if (lfsr[9:5] == 5'd0) burst <= lfsr[14:10];
            if (cycle >= 3) begin
                if (dmem_ren || dmem_wen != 4'b0) begin
                    if (halted) fail($sformatf("bus access after halt at %h", dmem_addr));
                    if (dmem_addr[31:13] != 19'b1) fail($sformatf("data access outside 0x2000-0x3fff: %h", dmem_addr));
                end
                if (dmem_wen != 4'b0 && dmem_ready) begin
                    logic [31:0] w;
                    w = mem[dmem_addr[13:2]];
                    for (int b = 0; b < 4; b++)
                        if (dmem_wen[b]) w[8*b +: 8] = dmem_wdata[8*b +: 8];
                    mem[dmem_addr[13:2]] <= w;
                end
                if (valid1) fail("channel 1 retired");
                if (valid0) begin
                    if (halted) fail("retirement after halt");
                    if (order0 != 64'(retired)) fail($sformatf("order %0d, want %0d", order0, retired));
                    retired <= retired + 1;
                    if (trap0) traps <= traps + 1;
                    hash <= {hash[58:0], hash[63:59]} ^ {pc_r0, insn0} ^ {pc_w0, rd_w0} ^
                            {27'b0, rd0, rs1_0, rs2_0, trap0, halt0, rmask0, wmask0, 16'b0} ^
                            {rs1_d0, rs2_d0} ^ {ma0, mr0} ^ {32'b0, mw0};
                    if (halt0) begin
                        halted <= 1'b1;
                        halt_cycle <= cycle;
                    end
                end
            end
            if (finish_now) begin
                if (!halted) fail($sformatf("no EBREAK within %0d cycles (%0d retired)", MAX_CYCLES, retired));
                if (retired != EXPECT_RETIRED) fail($sformatf("%0d retired, want %0d", retired, EXPECT_RETIRED));
                if (traps != EXPECT_TRAPS) fail($sformatf("%0d traps, want %0d", traps, EXPECT_TRAPS));
                if (mem[RESULT_W] != 32'h600d0000)
                    fail($sformatf("result word %h: %0d CHECKs failed in smoke.S", mem[RESULT_W], mem[RESULT_W][15:0]));
                if (mem[CANARY_W] != 32'h5a5a5a5a) fail($sformatf("canary %h overwritten", mem[CANARY_W]));
                if (hash != g[0].hash) fail("retirement stream differs from configuration 0");
                if (errors == 0)
                    $display("PASS core.cfg%0d (bp%0d btb%0d mul%0d div%0d rf%0d fb%0d lf%0d late%0d stall%0d): %0d retired in %0d cycles",
                             c, cfg(c, 0), cfg(c, 1), cfg(c, 2), cfg(c, 3), cfg(c, 4), cfg(c, 5), cfg(c, 6),
                             cfg(c, 7), cfg(c, 8), retired, halt_cycle - 3);
                else
                    $display("FAIL core.cfg%0d: %0d errors; first: %s", c, errors, first);
            end
        end
    end

    always @(posedge clock) begin
        cycle <= cycle + 1;
        // Let every configuration run 50 cycles past its halt (to catch late
        // retirements or accesses), then report.
        if ((&halted_v && cycle > 0 && finish_now == 1'b0 && cycle >= 50 + max_halt()) || cycle == MAX_CYCLES)
            finish_now <= 1'b1;
        if (finish_now) $finish;
    end

    function automatic int max_halt();
        int m;
        m = 0;
        if (g[0].halt_cycle > m) m = g[0].halt_cycle;
        if (g[1].halt_cycle > m) m = g[1].halt_cycle;
        if (g[2].halt_cycle > m) m = g[2].halt_cycle;
        if (g[3].halt_cycle > m) m = g[3].halt_cycle;
        if (g[4].halt_cycle > m) m = g[4].halt_cycle;
        if (g[5].halt_cycle > m) m = g[5].halt_cycle;
        if (g[6].halt_cycle > m) m = g[6].halt_cycle;
        if (g[7].halt_cycle > m) m = g[7].halt_cycle;
        return m;
    endfunction
endmodule
