// tb_decode — self-checking test of decode.sv against a hand-written table:
// legality of every trap-policy corner (SYSTEM, shifts with bad funct7, OP with
// bad funct7/funct3, reserved load/store/branch funct3, JALR funct3, FENCE
// variants, compressed/zero/all-ones words), the operand/writeback flags, the
// unit selects and every immediate format. Encodings were assembled by hand
// from the RISC-V unprivileged spec.
module tb_decode;
    logic [31:0] insn, imm;
    logic illegal, ebreak, uses_rs1, uses_rs2, writes_rd, a_pc, a_zero, b_imm;
    logic is_branch, is_jal, is_jalr, is_load, is_store, is_md;
    logic [3:0] alu_op;
    decode dut (.insn(insn), .illegal(illegal), .ebreak(ebreak), .uses_rs1(uses_rs1),
                .uses_rs2(uses_rs2), .writes_rd(writes_rd), .imm(imm), .alu_op(alu_op),
                .a_pc(a_pc), .a_zero(a_zero), .b_imm(b_imm), .is_branch(is_branch),
                .is_jal(is_jal), .is_jalr(is_jalr), .is_load(is_load), .is_store(is_store),
                .is_md(is_md));

    int n_legal = 0, n_illegal = 0, n_fields = 0, errors = 0;

    // Flags packed as {uses_rs1, uses_rs2, writes_rd, branch, jal, jalr, load, store, md, ebreak}.
    function automatic logic [9:0] flags();
        return {uses_rs1, uses_rs2, writes_rd, is_branch, is_jal, is_jalr, is_load, is_store, is_md, ebreak};
    endfunction

    task automatic bad(input logic [31:0] w, input string what);
        insn = w;
        #1;
        n_illegal++;
        if (!illegal || flags() != 10'b0 || imm != 32'b0) begin
            $display("FAIL decode.illegal.%s: %h decoded as legal (flags %b)", what, w, flags());
            errors++;
        end
    endtask

    task automatic good(input logic [31:0] w, input string what, input logic [9:0] f,
                        input logic [31:0] want_imm, input logic [3:0] want_op);
        insn = w;
        #1;
        n_legal++;
        if (illegal || flags() !== f || imm !== want_imm || alu_op !== want_op) begin
            $display("FAIL decode.legal.%s: %h illegal=%b flags %b (want %b) imm %h (want %h) op %b (want %b)",
                     what, w, illegal, flags(), f, imm, want_imm, alu_op, want_op);
            errors++;
        end
    endtask

    initial begin
        //                                          r1 r2 wr br jal jalr ld st md eb
        good(32'h00100073, "ebreak",          10'b0_0_0_0_0_0_0_0_0_1, 32'h0, 4'h0);
        good(32'h12345537, "lui",             10'b0_0_1_0_0_0_0_0_0_0, 32'h12345000, 4'h0);
        good(32'hfffff517, "auipc",           10'b0_0_1_0_0_0_0_0_0_0, 32'hfffff000, 4'h0);
        good(32'h0000006f, "jal0",            10'b0_0_1_0_1_0_0_0_0_0, 32'h0, 4'h0);
        good(32'h800000ef, "jal_min",         10'b0_0_1_0_1_0_0_0_0_0, 32'hfff00000, 4'h0);
        good(32'h7ffff0ef, "jal_max",         10'b0_0_1_0_1_0_0_0_0_0, 32'h000ffffe, 4'h0);
        good(32'hffc50567, "jalr",            10'b1_0_1_0_0_1_0_0_0_0, 32'hfffffffc, 4'h0);
        good(32'hfe000ee3, "beq_back",        10'b1_1_0_1_0_0_0_0_0_0, 32'hfffffffc, 4'h0);
        good(32'h7e001fe3, "bne_fwd_max",     10'b1_1_0_1_0_0_0_0_0_0, 32'h00000ffe, 4'h0);
        good(32'h00b54463, "blt",             10'b1_1_0_1_0_0_0_0_0_0, 32'h00000008, 4'h0);
        good(32'h00b57463, "bgeu",            10'b1_1_0_1_0_0_0_0_0_0, 32'h00000008, 4'h0);
        good(32'h80052503, "lw",              10'b1_0_1_0_0_0_1_0_0_0, 32'hfffff800, 4'h0);
        good(32'h00055503, "lhu",             10'b1_0_1_0_0_0_1_0_0_0, 32'h0, 4'h0);
        good(32'h00054503, "lbu",             10'b1_0_1_0_0_0_1_0_0_0, 32'h0, 4'h0);
        good(32'hfea52fa3, "sw",              10'b1_1_0_0_0_0_0_1_0_0, 32'hffffffff, 4'h0);
        good(32'h00a51023, "sh",              10'b1_1_0_0_0_0_0_1_0_0, 32'h0, 4'h0);
        good(32'h7ea50fa3, "sb",              10'b1_1_0_0_0_0_0_1_0_0, 32'h000007ff, 4'h0);
        good(32'hfff50513, "addi",            10'b1_0_1_0_0_0_0_0_0_0, 32'hffffffff, 4'b0000);
        good(32'hc0050513, "addi_bit30",      10'b1_0_1_0_0_0_0_0_0_0, 32'hfffffc00, 4'b0000);
        good(32'h00a52513, "slti",            10'b1_0_1_0_0_0_0_0_0_0, 32'h0000000a, 4'b0010);
        good(32'hfff53513, "sltiu",           10'b1_0_1_0_0_0_0_0_0_0, 32'hffffffff, 4'b0011);
        good(32'h01f51513, "slli",            10'b1_0_1_0_0_0_0_0_0_0, 32'h0000001f, 4'b0001);
        good(32'h01f55513, "srli",            10'b1_0_1_0_0_0_0_0_0_0, 32'h0000001f, 4'b0101);
        good(32'h41f55513, "srai",            10'b1_0_1_0_0_0_0_0_0_0, 32'h0000041f, 4'b1101);
        good(32'h00b50533, "add",             10'b1_1_1_0_0_0_0_0_0_0, 32'h0, 4'b0000);
        good(32'h40b50533, "sub",             10'b1_1_1_0_0_0_0_0_0_0, 32'h0, 4'b1000);
        good(32'h40b55533, "sra",             10'b1_1_1_0_0_0_0_0_0_0, 32'h0, 4'b1101);
        good(32'h00b57533, "and",             10'b1_1_1_0_0_0_0_0_0_0, 32'h0, 4'b0111);
        good(32'h02b50533, "mul",             10'b1_1_1_0_0_0_0_0_1_0, 32'h0, 4'b0000);
        good(32'h02b57533, "remu",            10'b1_1_1_0_0_0_0_0_1_0, 32'h0, 4'b0111);
        good(32'h0ff0000f, "fence",           10'b0_0_0_0_0_0_0_0_0_0, 32'h0, 4'h0);
        good(32'h0000100f, "fence_i",         10'b0_0_0_0_0_0_0_0_0_0, 32'h0, 4'h0);
        bad(32'h00000073, "ecall");
        bad(32'h30200073, "mret");
        bad(32'h10500073, "wfi");
        bad(32'h00101073, "ebreak_funct3");
        bad(32'h00100173, "ebreak_rd");
        bad(32'h30001573, "csrrw");
        bad(32'hc0002573, "rdcycle");
        bad(32'h02051513, "slli_imm5");
        bad(32'h40051513, "slli_imm10");
        bad(32'h20055513, "srli_bad_funct7");
        bad(32'h60055513, "srai_bad_funct7");
        bad(32'h40b51533, "sll_funct7_20");
        bad(32'h40b52533, "slt_funct7_20");
        bad(32'h40b56533, "or_funct7_20");
        bad(32'h80b50533, "add_funct7_40");
        bad(32'h04b50533, "op_funct7_02");
        bad(32'h00051567, "jalr_funct3_1");
        bad(32'h00b52063, "branch_funct3_2");
        bad(32'h00b53063, "branch_funct3_3");
        bad(32'h00053503, "load_funct3_3");
        bad(32'h00056503, "load_funct3_6");
        bad(32'h00057503, "load_funct3_7");
        bad(32'h00a53023, "store_funct3_3");
        bad(32'h00a54023, "store_funct3_4");
        bad(32'h0000200f, "fence_funct3_2");
        bad(32'h00000000, "zero");
        bad(32'hffffffff, "ones");
        bad(32'h00000001, "compressed");
        bad(32'h00b50532, "op_low_bits_10");
        bad(32'h0000000b, "custom0");
        bad(32'h00000053, "op_fp");
        bad(32'h0000202f, "amo");
        if (errors == 0) begin
            $display("PASS decode.legal: %0d encodings with flags, immediates and ALU ops", n_legal);
            $display("PASS decode.illegal: %0d trap-policy encodings decode as illegal", n_illegal);
        end
        $finish;
    end
endmodule
