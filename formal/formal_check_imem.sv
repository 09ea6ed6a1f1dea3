// formal_check_imem.sv — instruction fetch: the word a retirement reports as
// insn is the word the instruction bus returned, in a ready cycle, for its
// pc. formal_top assumes that the bus returns the free constant word `w` for
// the free constant word address `a` whenever it is ready; a retirement at a
// pc in that word must then report insn == w. A core that latches the bus in
// a stalled cycle, or fetches from the wrong address, fails.
module formal_check_imem (
    input logic        en,
    input logic [29:0] a,
    input logic [31:0] w,
    input logic        v0,
    input logic [29:0] pc_word0,    // pc_rdata[31:2]
    input logic [31:0] insn0,
    input logic        v1,
    input logic [29:0] pc_word1,
    input logic [31:0] insn1,
    output logic       bad,
    output logic       cov
);
    logic hit0, hit1;
    assign hit0 = en && v0 && pc_word0 == a;
    assign hit1 = en && v1 && pc_word1 == a;
    logic e_ch0, e_ch1;
    assign e_ch0 = hit0 && insn0 != w;
    assign e_ch1 = hit1 && insn1 != w;
    assign bad = e_ch0 || e_ch1;
    assign cov = hit0;

    always_comb begin
        f_ch0: assert (!e_ch0);
        f_ch1: assert (!e_ch1);
    end
endmodule
