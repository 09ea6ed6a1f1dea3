// formal_fields.sv — compares one retirement's RVFI fields with the ISA
// spec's expectation. One instance per instruction group and channel (e.g.
// ch0.load).
//
// `sel` is high in a cycle where this channel retires an instruction of this
// group (after reset). Outputs:
//  bad  some field differs: the property the model checker tries to reach;
//  cov  such a retirement happens with the interesting outcome `reach` (no
//       trap, or a register write, as the group defines it): the check's
//       cover, which must be reachable or the check is vacuous.
// Traps: with its operands reported, the retirement must trap exactly when the
// spec says so. A trapping retirement may withhold them (rs1/rs2 reported as
// 0/0, the project's convention, `opnd_known` = 0); the trap must then at least
// be possible for this instruction (s_trap_may). Either way a trapping
// retirement reports the trap policy: rd_addr 0, rd_wdata 0, no memory access,
// pc_wdata = pc + 4, halt 0.
// Each field also has its own assertion, labelled f_<field>. They are not part
// of the proof (the runner removes them from the model checker's netlist) but
// name the broken field when a counterexample is replayed.
module formal_fields (
    input  logic        sel,
    input  logic        reach,
    output logic        bad,
    output logic        cov,
    input  logic        opnd_known,  // no read operand withheld
    input  logic        result_only, // check only trap, rd_addr and rd_wdata (see below)
    // RVFI fields of the retirement
    input  logic [4:0]  rs1_field,   // insn[19:15]
    input  logic [4:0]  rs2_field,   // insn[24:20]
    input  logic        trap,
    input  logic        halt,
    input  logic        intr,
    input  logic [1:0]  mode,
    input  logic [1:0]  ixl,
    input  logic [4:0]  rs1_addr,
    input  logic [4:0]  rs2_addr,
    input  logic [31:0] rs1_rdata,
    input  logic [31:0] rs2_rdata,
    input  logic [4:0]  rd_addr,
    input  logic [31:0] rd_wdata,
    input  logic [31:0] pc_rdata,
    input  logic [31:0] pc_wdata,
    input  logic [31:0] mem_addr,
    input  logic [3:0]  mem_rmask,
    input  logic [3:0]  mem_wmask,
    input  logic [31:0] mem_wdata,
    // the spec's expectation
    input  logic        s_uses_rs1,
    input  logic        s_uses_rs2,
    input  logic [4:0]  s_rd_addr,
    input  logic [31:0] s_rd_wdata,
    input  logic [31:0] s_rd_wdata_alt,  // equal to s_rd_wdata; see below
    input  logic        s_rd_known,
    input  logic [31:0] s_pc_wdata,
    input  logic [31:0] s_mem_addr,
    input  logic [3:0]  s_mem_rmask,
    input  logic [3:0]  s_mem_wmask,
    input  logic [31:0] s_mem_wdata,
    input  logic        s_trap,
    input  logic        s_trap_may,
    input  logic        s_halt
);
    // Operands: a register the instruction reads is reported with its field,
    // one it does not read as 0/0; a trapping instruction may report either.
    logic ok_rs1, ok_rs2;
    assign ok_rs1 = trap ? (rs1_addr == 5'd0 ? rs1_rdata == 32'd0 : (s_uses_rs1 && rs1_addr == rs1_field))
                         : (s_uses_rs1 ? rs1_addr == rs1_field : (rs1_addr == 5'd0 && rs1_rdata == 32'd0));
    assign ok_rs2 = trap ? (rs2_addr == 5'd0 ? rs2_rdata == 32'd0 : (s_uses_rs2 && rs2_addr == rs2_field))
                         : (s_uses_rs2 ? rs2_addr == rs2_field : (rs2_addr == 5'd0 && rs2_rdata == 32'd0));

    // Expected values: the trap policy when the core trapped, else the spec.
    logic [4:0]  x_rd_addr;
    logic [31:0] x_rd_wdata, x_rd_wdata_alt, x_pc_wdata;
    logic [3:0]  x_rmask, x_wmask;
    logic        x_known, x_halt;
    assign x_rd_addr  = trap ? 5'd0 : s_rd_addr;
    assign x_rd_wdata = trap ? 32'd0 : s_rd_wdata;
    // The spec computes an exact M result in two forms that are equal for
    // every operand (test/formal/spec_tb.cpp checks them against the ISS);
    // requiring a mismatch with both changes nothing in what is proved, but
    // lets the solver's sweeping match the core's unit with whichever form
    // shares its intermediate values (formal_spec_m.sv).
    assign x_rd_wdata_alt = trap ? 32'd0 : s_rd_wdata_alt;
    assign x_known    = trap || s_rd_known;
    assign x_pc_wdata = trap ? pc_rdata + 32'd4 : s_pc_wdata;
    assign x_rmask    = trap ? 4'd0 : s_mem_rmask;
    assign x_wmask    = trap ? 4'd0 : s_mem_wmask;
    assign x_halt     = !trap && s_halt;

    logic [31:0] wlanes;
    assign wlanes = {{8{x_wmask[3]}}, {8{x_wmask[2]}}, {8{x_wmask[1]}}, {8{x_wmask[0]}}};

    logic [11:0] err;
    always_comb begin
        err[0]  = opnd_known ? trap != s_trap : !(trap && s_trap_may);
        err[1]  = halt != x_halt;
        err[2]  = !(intr == 1'b0 && mode == 2'd3 && ixl == 2'd1);
        err[3]  = !ok_rs1;
        err[4]  = !ok_rs2;
        err[5]  = rd_addr != x_rd_addr;
        err[6]  = x_known && rd_wdata != x_rd_wdata && rd_wdata != x_rd_wdata_alt;
        err[7]  = pc_wdata != x_pc_wdata;
        err[8]  = mem_rmask != x_rmask;
        err[9]  = mem_wmask != x_wmask;
        err[10] = (x_rmask != 4'd0 || x_wmask != 4'd0) && mem_addr != s_mem_addr;
        err[11] = ((mem_wdata ^ s_mem_wdata) & wlanes) != 32'd0;
    end
    // The deep environment's exact M checks look at the result only: every
    // other field of an M instruction is checked for all operands by the fast
    // checks, and leaving those fields out keeps the PC and bus logic of every
    // unrolled cycle out of the exact proof.
    assign bad = sel && (result_only ? err[0] || err[5] || err[6] : err != 12'd0);
    assign cov = sel && reach;

    always_comb begin
        if (sel) begin
            f_trap:      assert (!err[0]);
            f_halt:      assert (!err[1]);
            f_mode:      assert (!err[2]);
            f_rs1:       assert (!err[3]);
            f_rs2:       assert (!err[4]);
            f_rd_addr:   assert (!err[5]);
            f_rd_wdata:  assert (!err[6]);
            f_pc_wdata:  assert (!err[7]);
            f_mem_rmask: assert (!err[8]);
            f_mem_wmask: assert (!err[9]);
            f_mem_addr:  assert (!err[10]);
            f_mem_wdata: assert (!err[11]);
        end
    end
endmodule
