// core (test data) — the smallest design that honours the port list of the
// core contract (DESIGN.md §2), so the synth and pnr gates can be tested in
// seconds. It is not a RISC-V core: it walks the bus so that every bus port
// is used and nothing is constant-folded.
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
    output logic        io_rvfi_valid_0, io_rvfi_valid_1,
    output logic [63:0] io_rvfi_order_0, io_rvfi_order_1,
    output logic [31:0] io_rvfi_insn_0, io_rvfi_insn_1,
    output logic        io_rvfi_trap_0, io_rvfi_trap_1,
    output logic        io_rvfi_halt_0, io_rvfi_halt_1,
    output logic        io_rvfi_intr_0, io_rvfi_intr_1,
    output logic [1:0]  io_rvfi_mode_0, io_rvfi_mode_1,
    output logic [1:0]  io_rvfi_ixl_0, io_rvfi_ixl_1,
    output logic [4:0]  io_rvfi_rs1_addr_0, io_rvfi_rs1_addr_1,
    output logic [4:0]  io_rvfi_rs2_addr_0, io_rvfi_rs2_addr_1,
    output logic [31:0] io_rvfi_rs1_rdata_0, io_rvfi_rs1_rdata_1,
    output logic [31:0] io_rvfi_rs2_rdata_0, io_rvfi_rs2_rdata_1,
    output logic [4:0]  io_rvfi_rd_addr_0, io_rvfi_rd_addr_1,
    output logic [31:0] io_rvfi_rd_wdata_0, io_rvfi_rd_wdata_1,
    output logic [31:0] io_rvfi_pc_rdata_0, io_rvfi_pc_rdata_1,
    output logic [31:0] io_rvfi_pc_wdata_0, io_rvfi_pc_wdata_1,
    output logic [31:0] io_rvfi_mem_addr_0, io_rvfi_mem_addr_1,
    output logic [3:0]  io_rvfi_mem_rmask_0, io_rvfi_mem_rmask_1,
    output logic [3:0]  io_rvfi_mem_wmask_0, io_rvfi_mem_wmask_1,
    output logic [31:0] io_rvfi_mem_rdata_0, io_rvfi_mem_rdata_1,
    output logic [31:0] io_rvfi_mem_wdata_0, io_rvfi_mem_wdata_1
);
    logic [31:0] pc, acc;
    logic [63:0] order;
    always_ff @(posedge clock) begin
        if (reset) begin
            pc <= 32'h0;
            acc <= 32'h0;
            order <= 64'h0;
        end else if (io_imemReady && io_dmemReady) begin
            pc <= io_imemData[0] ? pc + {{20{io_imemData[31]}}, io_imemData[31:20]} : pc + 32'd4;
            acc <= acc + (io_dmemRData ^ io_imemData);
            order <= order + 64'd1;
        end
    end
    assign io_imemAddr = pc;
    assign io_dmemAddr = acc;
    assign io_dmemWData = acc ^ pc;
    assign io_dmemWEn = io_imemData[5:2];
    assign io_dmemREn = io_imemData[6];

    // Verification-only outputs: the bench leaves them unconnected.
    assign io_rvfi_valid_0 = io_imemReady && io_dmemReady;
    assign io_rvfi_order_0 = order;
    assign io_rvfi_insn_0 = io_imemData;
    assign io_rvfi_pc_rdata_0 = pc;
    assign io_rvfi_mem_addr_0 = acc;
    assign {io_rvfi_trap_0, io_rvfi_halt_0, io_rvfi_intr_0} = 3'b000;
    assign io_rvfi_mode_0 = 2'd3;
    assign io_rvfi_ixl_0 = 2'd1;
    assign {io_rvfi_rs1_addr_0, io_rvfi_rs2_addr_0, io_rvfi_rd_addr_0} = 15'h0;
    assign {io_rvfi_rs1_rdata_0, io_rvfi_rs2_rdata_0, io_rvfi_rd_wdata_0} = 96'h0;
    assign io_rvfi_pc_wdata_0 = 32'h0;
    assign {io_rvfi_mem_rmask_0, io_rvfi_mem_wmask_0} = 8'h0;
    assign {io_rvfi_mem_rdata_0, io_rvfi_mem_wdata_0} = 64'h0;
    assign {io_rvfi_valid_1, io_rvfi_trap_1, io_rvfi_halt_1, io_rvfi_intr_1} = 4'h0;
    assign io_rvfi_order_1 = 64'h0;
    assign io_rvfi_insn_1 = 32'h0;
    assign {io_rvfi_mode_1, io_rvfi_ixl_1} = 4'h0;
    assign {io_rvfi_rs1_addr_1, io_rvfi_rs2_addr_1, io_rvfi_rd_addr_1} = 15'h0;
    assign {io_rvfi_rs1_rdata_1, io_rvfi_rs2_rdata_1, io_rvfi_rd_wdata_1} = 96'h0;
    assign {io_rvfi_pc_rdata_1, io_rvfi_pc_wdata_1, io_rvfi_mem_addr_1} = 96'h0;
    assign {io_rvfi_mem_rmask_1, io_rvfi_mem_wmask_1} = 8'h0;
    assign {io_rvfi_mem_rdata_1, io_rvfi_mem_wdata_1} = 64'h0;
endmodule
