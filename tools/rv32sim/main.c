/* rv32sim — runs a RISC-V RV32IM ELF on the reference ISS (tools/iss).
 *
 *   rv32sim [--max-insns N] [--trace] [--stats] prog.elf
 *
 * The program's UART output goes to stdout as it is written. Exit status:
 *   0-255  the program's a0 & 0xFF at EBREAK (its own exit code)
 *   124    --max-insns budget exhausted before EBREAK
 *   125    fault: out-of-bounds load/store or fetch (message on stderr)
 *   126    bad usage, or the ELF cannot be loaded (message names the file)
 * 124-126 collide with programs that exit with those values themselves; the
 * message on stderr tells them apart (every non-EBREAK end prints one).
 * Those numbers follow timeout(1) and the shell (124 timeout, 126 cannot run).
 *
 * --trace prints one line per retirement on stderr: order, pc, instruction
 * word, disassembly, then "rd=value", the memory access and TRAP/HALT as they
 * apply. --stats prints instructions, host seconds and MIPS on stderr, and
 * the bench marker instruction counts when the program stored to them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iss/iss.h"

enum {
    EXIT_BUDGET = 124,
    EXIT_FAULT = 125,
    EXIT_BAD_INPUT = 126,
};

typedef struct {
    uint64_t max_insns; /* 0 = no limit */
    bool trace, stats;
    const char *elf;
} sim_opts;

static void sim_usage(FILE *f)
{
    fprintf(f,
            "usage: rv32sim [--max-insns N] [--trace] [--stats] prog.elf\n"
            "Runs a RISC-V RV32IM ELF32 executable (entry 0, 1 MiB RAM at 0, UART at\n"
            "0x10000000) and prints its UART output on stdout.\n"
            "  --max-insns N  stop after N instructions (0, the default: no limit)\n"
            "  --trace        one line per retired instruction on stderr\n"
            "  --stats        instructions, host seconds, MIPS and bench markers on stderr\n"
            "exit status: the program's a0 & 0xFF at EBREAK; 124 budget exhausted;\n"
            "125 fault (out-of-bounds access or fetch); 126 bad usage or unloadable ELF.\n"
            "124-126 can also be a program's own exit code: stderr tells them apart.\n");
}

/* Parses a whole decimal number; false on anything else. */
static bool sim_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int sim_parse_args(int argc, char **argv, sim_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--trace")) {
            o->trace = true;
        } else if (!strcmp(a, "--stats")) {
            o->stats = true;
        } else if (!strcmp(a, "--max-insns") || !strncmp(a, "--max-insns=", 12)) {
            const char *v = a[11] == '=' ? a + 12 : (i + 1 < argc ? argv[++i] : NULL);
            if (!sim_parse_u64(v, &o->max_insns)) {
                fprintf(stderr, "rv32sim: --max-insns needs a decimal count, got '%s'\n",
                        v ? v : "");
                return -1;
            }
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            sim_usage(stdout);
            exit(0);
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "rv32sim: unknown option '%s'\n", a);
            return -1;
        } else if (o->elf) {
            fprintf(stderr, "rv32sim: more than one program given ('%s', '%s')\n", o->elf, a);
            return -1;
        } else {
            o->elf = a;
        }
    }
    if (!o->elf) {
        fprintf(stderr, "rv32sim: no program given\n");
        return -1;
    }
    return 0;
}

static void sim_uart(void *ctx, uint8_t byte)
{
    (void)ctx;
    putchar(byte);
    if (byte == '\n')
        fflush(stdout);
}

static double sim_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sim_trace_line(const iss_rvfi *r)
{
    char dis[64], line[256];
    size_t n;

    n = (size_t)snprintf(line, sizeof line, "%8" PRIu64 " %08" PRIx32 " %08" PRIx32 "  %-26s",
                         r->order, r->pc_rdata, r->insn,
                         iss_disasm(r->insn, r->pc_rdata, dis, sizeof dis));
    if (r->rd_addr && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n, " %s=%08" PRIx32,
                              iss_reg_name(r->rd_addr), r->rd_wdata);
    if (r->mem_rmask && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              " load[%08" PRIx32 "] mask=%x data=%08" PRIx32, r->mem_addr,
                              r->mem_rmask, r->mem_rdata);
    if (r->mem_wmask && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              " store[%08" PRIx32 "] mask=%x data=%08" PRIx32, r->mem_addr,
                              r->mem_wmask, r->mem_wdata);
    if (r->trap && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n, " TRAP");
    if (r->halt && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n, " HALT");
    if (n >= sizeof line)
        n = sizeof line - 1;
    while (n > 0 && line[n - 1] == ' ')
        n--;
    line[n] = '\0';
    fprintf(stderr, "%s\n", line);
}

/* Steps one instruction at a time, tracing each retirement. */
static iss_status sim_run_traced(iss_t *s, uint64_t max)
{
    for (uint64_t n = 0; max == 0 || n < max; n++) {
        iss_rvfi r;
        iss_status st = iss_step(s, &r);
        if (st == ISS_FAULT)
            return st;
        sim_trace_line(&r);
        if (st == ISS_HALTED)
            return st;
    }
    return ISS_BUDGET;
}

static void sim_print_stats(const iss_t *s, double secs)
{
    fprintf(stderr, "rv32sim: %" PRIu64 " instructions in %.3f s: %.1f MIPS\n", s->instret, secs,
            secs > 0 ? (double)s->instret / secs / 1e6 : 0.0);
    if (s->bench_started)
        fprintf(stderr, "rv32sim: BENCH_START at instruction %" PRIu64 "\n", s->bench_start_insn);
    if (s->bench_stopped)
        fprintf(stderr, "rv32sim: BENCH_STOP at instruction %" PRIu64 "\n", s->bench_stop_insn);
    if (s->bench_started && s->bench_stopped && s->bench_stop_insn >= s->bench_start_insn)
        fprintf(stderr, "rv32sim: timed region: %" PRIu64 " instructions\n",
                s->bench_stop_insn - s->bench_start_insn);
}

/* Reports how the run ended and picks the exit status. */
static int sim_finish(const iss_t *s, const sim_opts *o, iss_status st)
{
    switch (st) {
    case ISS_HALTED:
        return (int)(s->x[10] & 0xFFu);
    case ISS_FAULT:
        fprintf(stderr,
                "rv32sim: %s: fault: out-of-bounds %s of address 0x%08" PRIx32
                " at pc 0x%08" PRIx32 " after %" PRIu64 " instructions\n",
                o->elf, s->fault.what ? s->fault.what : "access", s->fault.addr, s->fault.pc,
                s->instret);
        return EXIT_FAULT;
    default:
        fprintf(stderr,
                "rv32sim: %s: instruction budget of %" PRIu64
                " exhausted at pc 0x%08" PRIx32 " (no EBREAK)\n",
                o->elf, o->max_insns, s->pc);
        return EXIT_BUDGET;
    }
}

int main(int argc, char **argv)
{
    sim_opts o = {0};
    iss_t s;
    char err[512];
    iss_status st;
    double t0;
    int rc;

    if (sim_parse_args(argc, argv, &o) != 0) {
        sim_usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (iss_init(&s) != 0) {
        fprintf(stderr, "rv32sim: out of memory allocating the ISS\n");
        return EXIT_BAD_INPUT;
    }
    if (iss_load_elf(&s, o.elf, err, sizeof err) != ISS_ELF_OK) {
        fprintf(stderr, "rv32sim: %s\n", err);
        iss_free(&s);
        return EXIT_BAD_INPUT;
    }
    s.uart_fn = sim_uart;
    t0 = sim_now();
    st = o.trace ? sim_run_traced(&s, o.max_insns) : iss_run(&s, o.max_insns);
    fflush(stdout);
    if (o.stats)
        sim_print_stats(&s, sim_now() - t0);
    rc = sim_finish(&s, &o, st);
    iss_free(&s);
    return rc;
}
