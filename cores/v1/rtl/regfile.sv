// regfile — the 32x32 integer register file, two read ports, one write port.
//
// Contract (both implementations): rd1/rd2 give the value of register ra1/ra2
// including every write committed at or before the last clock edge; a write
// presented this cycle (we/wa/wd) becomes visible next cycle, so the core adds
// its own WB->ID bypass for it. x0 reads 0 and is never written. Reset clears
// every register to 0 (the ISS starts with zeroed registers).
//
// BRAM = 0: flip-flops with combinational read of ra1/ra2 (~1000 LCs on iCE40).
// BRAM = 1: two synchronous-read memories (one per read port, both written),
//   which Yosys maps to iCE40 SB_RAM40_4K blocks. Because the read is
//   registered, the core presents the address one cycle early on ra*_next (the
//   source fields of the instruction entering ID). Two corrections keep the
//   contract: a one-entry "last write" register covers the write committed on
//   the same edge as the read (the block RAM returns the old word), and a
//   valid bit per register makes registers read 0 after reset without clearing
//   the RAM.
module regfile #(
    parameter BRAM = 0
) (
    input  logic        clock,
    input  logic        reset,
    input  logic [4:0]  ra1,
    input  logic [4:0]  ra2,
    input  logic [4:0]  ra1_next,
    input  logic [4:0]  ra2_next,
    output logic [31:0] rd1,
    output logic [31:0] rd2,
    input  logic        we,
    input  logic [4:0]  wa,
    input  logic [31:0] wd
);
    logic we_eff;
    assign we_eff = we && wa != 5'd0;

    generate
        if (BRAM != 0) begin : g_bram
            logic [31:0] mem1 [0:31];
            logic [31:0] mem2 [0:31];
            logic [31:0] q1, q2;
            logic [4:0]  a1_q, a2_q;
            logic [31:0] written;       // register i has been written since reset
            logic        v1_q, v2_q;
            logic        lw_we;
            logic [4:0]  lw_a;
            logic [31:0] lw_d;
            // ra1/ra2 are implied by ra*_next one cycle earlier (registered here).
            logic unused_cur;
            assign unused_cur = ^{ra1, ra2};

            always_ff @(posedge clock) begin
                if (we_eff) mem1[wa] <= wd;
                q1 <= mem1[ra1_next];
            end
            always_ff @(posedge clock) begin
                if (we_eff) mem2[wa] <= wd;
                q2 <= mem2[ra2_next];
            end
            always_ff @(posedge clock) begin
                a1_q <= ra1_next;
                a2_q <= ra2_next;
                v1_q <= !reset && written[ra1_next];
                v2_q <= !reset && written[ra2_next];
                lw_we <= !reset && we_eff;
                lw_a <= wa;
                lw_d <= wd;
                if (reset) written <= 32'b0;
                else if (we_eff) written[wa] <= 1'b1;
            end
            assign rd1 = (lw_we && lw_a == a1_q) ? lw_d : (v1_q ? q1 : 32'b0);
            assign rd2 = (lw_we && lw_a == a2_q) ? lw_d : (v2_q ? q2 : 32'b0);
        end else begin : g_ff
            logic [31:0] regs [32];
            // ra*_next is only needed to pre-address a synchronous memory.
            logic unused_next;
            assign unused_next = ^{ra1_next, ra2_next};
            assign regs[0] = 32'b0;
            for (genvar i = 1; i < 32; i++) begin : g_reg
                always_ff @(posedge clock) begin
                    if (reset) regs[i] <= 32'b0;
                    else if (we_eff && wa == 5'(i)) regs[i] <= wd;
                end
            end
            assign rd1 = regs[ra1];
            assign rd2 = regs[ra2];
        end
    endgenerate
endmodule
