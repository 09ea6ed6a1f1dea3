/* test_cosim_units — the C parts of the cosim gate that need no simulator:
 * stall patterns (against values computed independently with Python), the
 * UART validation of CoreMark and the workload, the RTL file order, the
 * retirement failure message, and the coremark gate's arithmetic and refusals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cosim/cosim_model.h"
#include "cosim/cpiprof.h"
#include "cosim/failmsg.h"
#include "cosim/stall.h"
#include "cosim/uartcheck.h"
#include "gates/gate.h"
#include "gates/toolout.h"
#include "lib/fsx.h"

static void expect_str(int line, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        char m[600];
        snprintf(m, sizeof m, "got '%s', want '%s'", got, want);
        check_fail(__FILE__, line, m);
    }
}

static const char coremark_ok[] =
    "2K performance run parameters for coremark.\n"
    "CoreMark Size    : 666\n"
    "Total ticks      : 1234567\n"
    "Iterations       : 10\n"
    "seedcrc          : 0xe9f5\n"
    "[0]crclist       : 0xe714\n"
    "[0]crcmatrix     : 0x1fd7\n"
    "[0]crcstate      : 0x8e3a\n"
    "[0]crcfinal      : 0xfcaf\n"
    "Correct operation validated. See README.md for run and reporting rules.\n";

static double stall_fraction(const char *name, int n, double *mean_burst)
{
    stall_t st;
    if (stall_parse(name, &st) != 0)
        return -1;
    long stalls = 0, dstalls = 0, bursts = 0;
    bool prev = true;
    for (int i = 0; i < n; i++) {
        bool ir, dr;
        stall_step(&st, &ir, &dr);
        stalls += !ir + !dr;
        dstalls += !dr;
        if (!dr && prev)
            bursts++;
        prev = dr;
    }
    if (mean_burst) /* mean length of the dmem stall bursts */
        *mean_burst = bursts ? (double)dstalls / (double)bursts : 0;
    return (double)stalls / (2.0 * n);
}

static json_t *prior_for(const char *output, long cycles, long iters, double fmax)
{
    json_t *fit = json_pack("{s:s, s:I, s:I, s:I, s:b, s:s}", "workload", "workload", "cycles",
                            (json_int_t)cycles, "iterations", (json_int_t)iters, "instructions",
                            (json_int_t)123, "validated", 1, "output", output);
    json_t *cosim = json_pack("{s:s, s:b, s:o}", "status", "pass", "pass", 1, "fitness", fit);
    json_t *pnr = json_pack("{s:s, s:b, s:f}", "status", "pass", "pass", 1, "fmax_mhz_median", fmax);
    return json_pack("{s:o, s:o}", "cosim", cosim, "pnr", pnr);
}

/* One retirement for cpiprof. */
static void prof_ret(cpiprof *p, uint64_t cycle, uint32_t insn, uint32_t pc, uint32_t next, int rs1, int rs2, int rd)
{
    cpiprof_ret r = {cycle, insn, pc, next, (uint8_t)rs1, (uint8_t)rs2, (uint8_t)rd, false};
    cpiprof_retire(p, &r);
}

static void test_cpiprof(void)
{
    CHECK_CASE("cpiprof: classes by opcode, M apart from the ALU") {
        CHECK(cpiprof_class(0x00b50533) == CPI_ALU);    /* add a0, a0, a1 */
        CHECK(cpiprof_class(0x02b50533) == CPI_MULDIV); /* mul a0, a0, a1 */
        CHECK(cpiprof_class(0x00052503) == CPI_LOAD);   /* lw a0, 0(a0) */
        CHECK(cpiprof_class(0x00b52023) == CPI_STORE);  /* sw a1, 0(a0) */
        CHECK(cpiprof_class(0x00b50463) == CPI_BRANCH); /* beq */
        CHECK(cpiprof_class(0x0000006f) == CPI_JUMP);   /* jal x0, 0 */
        CHECK(cpiprof_class(0x00100073) == CPI_SYSTEM); /* ebreak */
    }
    CHECK_CASE("cpiprof: a gap's excess goes to the first cause that applies, nothing is counted twice") {
        cpiprof p;
        cpiprof_start(&p, 100);
        for (int i = 0; i < 3; i++)
            cpiprof_cycle(&p, true, false);                          /* three imem waits */
        prof_ret(&p, 104, 0x00b50463, 0x10, 0x40, 10, 11, 0);         /* taken beq: gap 4, 3 imem */
        prof_ret(&p, 107, 0x00052503, 0x40, 0x44, 10, 0, 10);         /* lw a0 after the redirect: 2 */
        cpiprof_cycle(&p, false, true);                               /* a dmem wait */
        prof_ret(&p, 110, 0x00b50533, 0x44, 0x48, 10, 11, 10);        /* add reads a0: 1 dmem, 1 load-use */
        prof_ret(&p, 110, 0x00000013, 0x48, 0x4c, 0, 0, 0);           /* nop, same cycle: gap 0 */
        prof_ret(&p, 120, 0x02b50533, 0x4c, 0x50, 10, 11, 10);        /* mul: 9 muldiv */
        cpiprof_stop(&p);
        prof_ret(&p, 130, 0x00b50533, 0x50, 0x54, 10, 11, 10);        /* after the stop: not counted */
        CHECK(p.retired == 5 && p.n[CPI_ALU] == 2 && p.n[CPI_MULDIV] == 1);
        CHECK(p.stall[CPI_IMEM] == 3 && p.stall[CPI_REDIRECT] == 2 && p.stall[CPI_DMEM] == 1);
        CHECK(p.stall[CPI_LOAD_USE] == 1 && p.stall[CPI_MULDIV_BUSY] == 9 && p.stall[CPI_OTHER] == 0);
        uint64_t sum = 0, cyc = 0;
        for (int c = 0; c < CPI_NCAUSE; c++)
            sum += p.stall[c];
        for (int c = 0; c < CPI_NCLASS; c++)
            cyc += p.cycles[c];
        CHECK(cyc == 20 && sum + p.retired == 20 + 1); /* the same-cycle retirement took no cycle */
    }
    CHECK_CASE("cpi profile: the gate copies only known classes and causes as counts") {
        json_t *ok = json_loads("{\"cycles\":10,\"retired\":5,\"classes\":{\"alu\":[5,10],\"load\":[0,0],"
                                "\"store\":[0,0],\"branch\":[0,0],\"jump\":[0,0],\"muldiv\":[0,0],\"system\":[0,0]},"
                                "\"stalls\":{\"muldiv\":0,\"dmem\":0,\"imem\":5,\"redirect\":0,\"load_use\":0,"
                                "\"other\":0},\"note\":\"\\u001b[2J\"}", 0, NULL);
        json_t *p = toolout_cpi_profile(ok);
        CHECK(p && json_object_size(p) == 4 && json_integer_value(json_object_get(json_object_get(p, "stalls"), "imem")) == 5);
        json_decref(p);
        json_object_set_new(json_object_get(ok, "stalls"), "imem", json_integer(-1));
        CHECK(toolout_cpi_profile(ok) == NULL);
        json_object_set_new(json_object_get(ok, "stalls"), "imem", json_string("5"));
        CHECK(toolout_cpi_profile(ok) == NULL);
        CHECK(toolout_cpi_profile(NULL) == NULL);
        json_decref(ok);
    }
}

int main(void)
{
    test_cpiprof();
    unsetenv("COREMARK_DIR");

    CHECK_CASE("failure message: cycle, order, PC, disassembled instruction, field, expected, got")
    {
        failmsg f = {.cycle = 2712, .has_order = true, .order = 633, .pc = 0x00080000u, .insn = 0x00e44933u,
                     .field = "pc_rdata", .has_expected = true, .has_got = true,
                     .expected = 0x00080000u, .got = 0x00040000u};
        char b[256];
        expect_str(__LINE__, failmsg_format(&f, b, sizeof b),
                     "cycle 2712, order 633, PC 0x00080000, xor s2, s0, a4 (0x00e44933): "
                     "pc_rdata expected 0x00080000, got 0x00040000");
        f = (failmsg){.cycle = 9, .pc = 0x40u, .insn = 0x00c58533u, .field = "rd_wdata (x10 a0)", .has_got = true,
                      .got = 7};
        expect_str(__LINE__, failmsg_format(&f, b, sizeof b), "cycle 9, PC 0x00000040, add a0, a1, a2 (0x00c58533): "
                                                      "rd_wdata (x10 a0) got 0x00000007");
        char small[12];
        failmsg_format(&f, small, sizeof small);
        expect_str(__LINE__, small, "cycle 9, PC");
    }

    CHECK_CASE("stall std: first cycles match xorshift32(0xDEADBEEF)")
    {
        /* (imem, dmem) per cycle, computed with an independent Python model */
        static const int want[8][2] = {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {0, 1}, {1, 0}, {1, 1}, {1, 0}};
        stall_t st;
        CHECK(stall_parse("std", &st) == 0);
        CHECK_EQ_U32(stall_xorshift32(0xDEADBEEFu), 0x477d20b7u);
        for (int i = 0; i < 8; i++) {
            bool ir, dr;
            stall_step(&st, &ir, &dr);
            CHECK_EQ_INT(ir, want[i][0]);
            CHECK_EQ_INT(dr, want[i][1]);
        }
        stall_reset(&st);
        CHECK_EQ_U32(st.x, 0xDEADBEEFu);
    }

    CHECK_CASE("stall fractions: std 21.875%, none 0, bursty ~27.6% in long bursts")
    {
        double f = stall_fraction("std", 1000000, NULL);
        CHECK(fabs(f - 0.21875) < 0.003);
        CHECK(stall_fraction("none", 1000, NULL) == 0.0);
        double burst = 0;
        f = stall_fraction("bursty", 1000000, &burst);
        CHECK(f > 0.25 && f < 0.30);
        CHECK(burst > 8 && burst < 20);
        f = stall_fraction("seed=12345", 1000000, NULL);
        CHECK(fabs(f - 0.21875) < 0.003);
    }

    CHECK_CASE("stall names: canonical, bad ones refused")
    {
        stall_t st;
        CHECK(stall_parse("seed=0x10", &st) == 0);
        CHECK_STR_CONTAINS(st.name, "seed=0x10");
        CHECK(stall_parse("bursty=7", &st) == 0 && st.kind == STALL_BURSTY && st.seed == 7);
        CHECK(stall_parse("seed=0", &st) != 0);
        CHECK(stall_parse("seed=x", &st) != 0);
        CHECK(stall_parse("fast", &st) != 0);
    }

    CHECK_CASE("uartcheck coremark: valid output, 10 iterations")
    {
        uart_check_result r = uart_check(UART_CHECK_COREMARK, coremark_ok, strlen(coremark_ok), 10);
        CHECK(r.ok);
        CHECK_EQ_INT(r.iterations, 10);
        r = uart_check(UART_CHECK_COREMARK, coremark_ok, strlen(coremark_ok), 20);
        CHECK(!r.ok);
        CHECK_STR_CONTAINS(r.reason, "expected 20");
    }

    CHECK_CASE("uartcheck coremark: wrong CRC, missing validation line")
    {
        char *bad = fsx_fmt("%s", coremark_ok);
        memcpy(strstr(bad, "0xfcaf"), "0xfcae", 6);
        uart_check_result r = uart_check(UART_CHECK_COREMARK, bad, strlen(bad), 10);
        CHECK(!r.ok);
        CHECK_STR_CONTAINS(r.reason, "crcfinal");
        strcpy(bad, coremark_ok);
        *strstr(bad, "Correct operation") = 'X';
        r = uart_check(UART_CHECK_COREMARK, bad, strlen(bad), 10);
        CHECK(!r.ok);
        CHECK_STR_CONTAINS(r.reason, "Correct operation validated");
        free(bad);
    }

    CHECK_CASE("uartcheck workload and program kinds")
    {
        const char *ok = "workload v1\niterations: 60\nworkload: checksums OK\n";
        uart_check_result r = uart_check(UART_CHECK_WORKLOAD, ok, strlen(ok), 0);
        CHECK(r.ok);
        CHECK_EQ_INT(r.iterations, 60);
        const char *bad = "iterations: 60\nworkload: checksum MISMATCH\n";
        r = uart_check(UART_CHECK_WORKLOAD, bad, strlen(bad), 0);
        CHECK(!r.ok);
        CHECK_EQ_INT(uart_check_for_program("build/bench/coremark.elf"), UART_CHECK_COREMARK);
        CHECK_EQ_INT(uart_check_for_program("workload.elf"), UART_CHECK_WORKLOAD);
        CHECK_EQ_INT(uart_check_for_program("/x/isa.elf"), UART_CHECK_NONE);
    }

    CHECK_CASE("uartcheck vm: the interpreter's self-check, and a failed one named as such")
    {
        const char *ok = "vm: bytecode interpreter\niterations: 4\ncrc : 0x0cafafd6\nvm: checksums OK\n";
        uart_check_result r = uart_check(UART_CHECK_VM, ok, strlen(ok), 0);
        CHECK(r.ok);
        CHECK_EQ_INT(r.iterations, 4);
        CHECK_STR_CONTAINS(r.reason, "vm validated: 4 iterations");
        const char *bad = "iterations: 3\ncrc : 0x1  MISMATCH, expected 0x0cafafd6\n"
                          "vm: checksum mismatch: the core or the compiler computes wrongly\n";
        r = uart_check(UART_CHECK_VM, bad, strlen(bad), 0);
        CHECK(!r.ok);
        CHECK_STR_CONTAINS(r.reason, "vm did not print 'vm: checksums OK': it printed a checksum mismatch");
        /* the other program's success line is not this one's */
        const char *other = "iterations: 4\nworkload: checksums OK\n";
        CHECK(!uart_check(UART_CHECK_VM, other, strlen(other), 0).ok);
        CHECK_EQ_INT(uart_check_for_program("build/bench/vm.elf"), UART_CHECK_VM);
        CHECK_EQ_INT(uart_check_for_program("vm-broken.elf"), UART_CHECK_VM);
        CHECK_EQ_INT(uart_check_parse("vm"), UART_CHECK_VM);
        CHECK(strcmp(uart_check_name(UART_CHECK_VM), "vm") == 0);
    }

    CHECK_CASE("RTL order: packages first, then by name, only *.sv")
    {
        char dir[] = "/tmp/test_cosim_units.XXXXXX";
        CHECK(mkdtemp(dir) != NULL);
        const char *names[] = {"b.sv", "z_pkg.sv", "a.sv", "notes.txt"};
        for (int i = 0; i < 4; i++) {
            char *p = fsx_fmt("%s/%s", dir, names[i]);
            fsx_write_atomic(p, "x", 1);
            free(p);
        }
        char **files = NULL;
        CHECK_EQ_INT(cosim_rtl_list(dir, &files), 3);
        if (files && files[0] && files[1] && files[2]) {
            CHECK_STR_CONTAINS(files[0], "/z_pkg.sv");
            CHECK_STR_CONTAINS(files[1], "/a.sv");
            CHECK_STR_CONTAINS(files[2], "/b.sv");
        }
        cosim_rtl_free(files);
        fsx_remove_tree(dir);
        CHECK_EQ_INT(cosim_rtl_list("/nonexistent/rtl", &files), -1);
    }

    gate_ctx ctx = {.tree = "/tmp", .core = "x", .harness = "/tmp", .build = "/tmp", .rundir = "/tmp", .jobs = 1};
    const char *wl_out = "iterations: 5\nworkload: checksums OK\n";
    /* the one-workload set, as measured before sets (test_fitset covers sets) */
    setenv("WORKLOADS", "workload", 1);

    CHECK_CASE("coremark gate: fitness = fmax * iterations / cycles * 1e6")
    {
        json_t *prior = prior_for(wl_out, 1000000, 5, 50.0);
        ctx.prior = prior;
        json_t *r = gate_coremark(&ctx);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "status")), "pass");
        CHECK(fabs(json_real_value(json_object_get(r, "fitness")) - 250.0) < 1e-9);
        CHECK(fabs(json_real_value(json_object_get(r, "coremark_per_mhz")) - 5.0) < 1e-9);
        CHECK_EQ_INT(json_integer_value(json_object_get(r, "cycles")), 1000000);
        json_decref(r);
        json_decref(prior);
    }

    CHECK_CASE("coremark gate: refuses missing pnr, failed cosim, bad output")
    {
        json_t *prior = prior_for(wl_out, 1000000, 5, 50.0);
        json_object_del(prior, "pnr");
        ctx.prior = prior;
        json_t *r = gate_coremark(&ctx);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "status")), "error");
        CHECK(!json_is_true(json_object_get(r, "pass")));
        json_decref(r);
        json_decref(prior);

        prior = prior_for(wl_out, 1000000, 5, 50.0);
        json_object_set_new(json_object_get(prior, "cosim"), "pass", json_false());
        ctx.prior = prior;
        r = gate_coremark(&ctx);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "status")), "error");
        json_decref(r);
        json_decref(prior);

        prior = prior_for("iterations: 5\nworkload: checksum MISMATCH\n", 1000000, 5, 50.0);
        ctx.prior = prior;
        r = gate_coremark(&ctx);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "status")), "fail");
        json_decref(r);
        json_decref(prior);

        prior = prior_for(wl_out, 1000000, 6, 50.0); /* record says 6, output says 5 */
        ctx.prior = prior;
        r = gate_coremark(&ctx);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "status")), "fail");
        json_decref(r);
        json_decref(prior);

        ctx.prior = NULL;
        r = gate_coremark(&ctx);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "status")), "error");
        json_decref(r);
    }
    return check_done();
}
