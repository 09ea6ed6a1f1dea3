/* test_formal_cex — reading a replayed counterexample back (tools/formal/fcex):
 * values at the first failing time step of a hand-written VCD, and the failure
 * message a register check and a field check produce (cycle, order, PC,
 * disassembled instruction, field with the register, expected, got). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "formal/fcex.h"
#include "lib/fsx.h"

/* Two failing steps (#20 and #30): the first one counts. The register check's
 * internal value sits in nested scopes, the branch check's spec value in a
 * flattened name, as yosys writes either. */
static const char vcd_text[] =
    "$date today $end\n$timescale 1ns $end\n"
    "$scope module formal_top $end\n"
    "$var wire 1 ! clock $end\n"
    "$var wire 8 \" bad_reg $end\n"
    "$var wire 12 :a bad_ch0 $end\n"
    "$var wire 1 # valid0 $end\n"
    "$var wire 32 $ pc_rdata0 [31:0] $end\n"
    "$var wire 32 % insn0 $end\n"
    "$var wire 64 & order0 $end\n"
    "$var wire 5 ( rs2_addr0 $end\n"
    "$var wire 32 ' rs2_rdata0 $end\n"
    "$var wire 32 *b pc_wdata0 $end\n"
    "$var wire 32 *c ch0.branch.s_pc_wdata $end\n"
    "$var wire 5 +a rs1_addr0 $end\n"
    "$var wire 5 +b rd_addr0 $end\n"
    "$var wire 32 +c rs1_rdata0 $end\n"
    "$var wire 32 +d rd_wdata0 $end\n"
    "$var wire 32 +e rs1_rdata1 $end\n"
    "$scope module reg_grp[1] $end\n$scope module chk $end\n"
    "$var wire 32 ) val $end\n"
    "$var reg 1 +f known $end\n"
    "$var wire 5 +g idx $end\n"
    "$upscope $end\n$upscope $end\n"
    "$upscope $end\n$enddefinitions $end\n"
    "#0\n$dumpvars\nb0 \"\nb0 :a\n0#\nb0 $\nb0 %\nb0 &\nb0 (\nb0 '\nb0 )\n0!\n"
    "b1 +a\nb0 +b\nb1111 +c\nb0 +d\nb0 +e\nb0 +f\nb101 +g\n$end\n"
    "#10\n1!\n1#\nb100 $\nb10011 %\n"
    "#20\nb10 \"\nb10000 :a\nb1000000 $\nb110001011000010100110011 %\nb11 &\nb101 (\nb111 '\nb1001 )\n"
    "b1001000 *b\nb1000100 *c\n1+f\n"
    "#30\nb1000000 $\n";

static void expect_str(int line, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        char m[800];
        snprintf(m, sizeof m, "got '%s', want '%s'", got, want);
        check_fail(__FILE__, line, m);
    }
}

int main(void)
{
    char dir[] = "/tmp/test_formal_cex.XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL setup: mkdtemp\n");
        return 0;
    }
    char *vcd = fsx_fmt("%s/cex.vcd", dir);
    CHECK(fsx_write_atomic(vcd, vcd_text, strlen(vcd_text)) == 0);

    CHECK_CASE("VCD: values at the first step where the trigger bit is 1")
    {
        formal_probe p[] = {{.name = "pc_rdata0"}, {.name = "reg_grp[1].chk.val"}, {.name = "nope"}};
        CHECK_EQ_INT(formal_vcd_probe(vcd, "bad_reg[1]", p, 3), 0);
        CHECK(p[0].found && p[1].found && !p[2].found);
        CHECK_EQ_U32(p[0].value, 0x40);
        CHECK_EQ_U32(p[1].value, 9);
        CHECK_EQ_INT(formal_vcd_probe(vcd, "bad_reg[0]", p, 3), -1); /* never fails */
        CHECK_EQ_INT(formal_vcd_probe(vcd, "missing", p, 3), -1);
        CHECK_EQ_INT(formal_vcd_probe("/nonexistent.vcd", "bad_reg[1]", p, 3), -1);
    }

    CHECK_CASE("message: a register check names the register, expected and got")
    {
        formal_check chk = {.name = "reg_1", .chan = -1, .bad = "bad_reg[1]", .replay = "reg_grp[1].chk."};
        char out[400];
        CHECK_EQ_INT(formal_cex_describe(vcd, &chk, "reg_grp[1].chk.f_ch0_rs2", 2, out, sizeof out), 0);
        expect_str(__LINE__, out, "cycle 2, order 3, PC 0x00000040, add a0, a1, a2 (0x00c58533): "
                                "reg_grp[1].chk.f_ch0_rs2 (x5 t0) expected 0x00000009, got 0x00000007");
    }

    CHECK_CASE("message: a register not yet known: rs2 must agree with rs1 of the same retirement")
    {
        char *text = fsx_fmt("%s", vcd_text), *at = strstr(text, "1+f\n");
        if (at)
            at[0] = '0';
        char *vcd2 = fsx_fmt("%s/cex2.vcd", dir);
        CHECK(at && fsx_write_atomic(vcd2, text, strlen(text)) == 0);
        formal_check chk = {.name = "reg_1", .chan = -1, .bad = "bad_reg[1]", .replay = "reg_grp[1].chk."};
        char out[400];
        CHECK_EQ_INT(formal_cex_describe(vcd2, &chk, "reg_grp[1].chk.f_ch0_rs2", 2, out, sizeof out), 0);
        CHECK_STR_CONTAINS(out, "(x5 t0) expected 0x0000000f, got 0x00000007");
        unlink(vcd2);
        free(vcd2);
        free(text);
    }

    CHECK_CASE("message: a field check compares the RVFI field with the spec's")
    {
        formal_check chk = {.name = "ch0_branch", .chan = 0, .bad = "bad_ch0[4]", .replay = "ch0.branch."};
        char out[400];
        CHECK_EQ_INT(formal_cex_describe(vcd, &chk, "ch0.branch.f_pc_wdata,ch0.branch.f_rd_wdata", 2, out,
                                         sizeof out), 0);
        expect_str(__LINE__, out, "cycle 2, order 3, PC 0x00000040, add a0, a1, a2 (0x00c58533): "
                                "ch0.branch.f_pc_wdata,ch0.branch.f_rd_wdata expected 0x00000044, got 0x00000048");
        formal_check ch1 = {.name = "ch1_branch", .chan = 1, .bad = "bad_ch0[4]", .replay = "ch1.branch."};
        CHECK_EQ_INT(formal_cex_describe(vcd, &ch1, "ch1.branch.f_pc_wdata", 2, out, sizeof out), -1);
    }

    unlink(vcd);
    rmdir(dir);
    free(vcd);
    return check_done();
}
