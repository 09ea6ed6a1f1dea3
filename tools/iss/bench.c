/* iss-bench — measures the ISS fast path (iss_run, no records) in MIPS.
 *
 *   iss-bench [--runs N] [--min-seconds S] [--step] [prog.elf]
 *
 * --step measures iss_step with a record per instruction (the cosim path)
 * instead of iss_run.
 * One run executes the program from a fresh load (RAM, registers, decode
 * cache) to EBREAK, repeated until the run has spent at least S seconds
 * (default 0.5) of CPU time inside iss_run, so short programs still give a
 * stable figure; only iss_run is timed (thread CPU time, so other load on the
 * machine does not count), and decoding each fresh load is part of it.
 * Prints one line per run and closes with "iss-bench: median of N runs: X
 * MIPS". Without an ELF it
 * runs a synthetic hot loop assembled in memory (loads, stores, ALU, shifts,
 * a multiply, a data-dependent branch) and says so in every summary line.
 * Exit 0 when every run ended at EBREAK (with exit code 0 for an ELF), 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <inttypes.h>

#include "iss/iss.h"
#include "lib/rvenc.h"

#define BENCH_MAX_RUNS 101
#define SYNTH_OUTER 140000u /* ~400 M instructions */

typedef struct {
    size_t uart_bytes;
    char uart_head[512]; /* the first run's output, for the log */
    size_t head_len;
} bench_uart;

static void bench_uart_fn(void *ctx, uint8_t b)
{
    bench_uart *u = ctx;
    if (u->head_len + 1 < sizeof u->uart_head)
        u->uart_head[u->head_len++] = (char)b;
    u->uart_bytes++;
}

/* The synthetic loop; register numbers are the ABI ones (s0=8, t0=5, ...). */
static size_t bench_synth(uint32_t *p)
{
    enum { T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, T3 = 28, T4 = 29, T5 = 30 };
    size_t n = 0;
    p[n++] = rv_u(0x10, S0, RV_OP_LUI);                              /* s0 = 0x10000 */
    p[n++] = rv_u((SYNTH_OUTER + 0x800u) >> 12, S1, RV_OP_LUI);      /* s1 = outer count */
    p[n++] = rv_i((int32_t)(SYNTH_OUTER & 0xFFFu) - ((SYNTH_OUTER & 0x800u) ? 0x1000 : 0),
                     S1, 0, S1, RV_OP_IMM);
    size_t outer = n;
    p[n++] = rv_i(0, S0, 0, T0, RV_OP_IMM);                       /* t0 = s0 */
    p[n++] = rv_i(1020, S0, 0, T1, RV_OP_IMM);                    /* t1 = s0 + 1020 */
    size_t inner = n;
    p[n++] = rv_i(0, T0, 2, T2, RV_OP_LOAD);                         /* lw t2, 0(t0) */
    p[n++] = rv_r(0, T2, A0, 0, A0, RV_OP_OP);                       /* add a0, a0, t2 */
    p[n++] = rv_i(5, A0, 1, T3, RV_OP_IMM);                       /* slli t3, a0, 5 */
    p[n++] = rv_r(0, T3, A0, 4, A0, RV_OP_OP);                       /* xor a0, a0, t3 */
    p[n++] = rv_i(7, A0, 5, T3, RV_OP_IMM);                       /* srli t3, a0, 7 */
    p[n++] = rv_r(0, T3, A0, 0, A0, RV_OP_OP);                       /* add a0, a0, t3 */
    p[n++] = rv_s(0, A0, T0, 2, RV_OP_STORE);                        /* sw a0, 0(t0) */
    p[n++] = rv_i(1, A0, 7, T4, RV_OP_IMM);                       /* andi t4, a0, 1 */
    p[n++] = rv_b(8, 0, T4, 0);                        /* beq t4, zero, +8 */
    p[n++] = rv_r(1, T4, A0, 0, T5, RV_OP_OP);                       /* mul t5, a0, t4 */
    p[n++] = rv_r(0, T5, A1, 0, A1, RV_OP_OP);                       /* add a1, a1, t5 */
    p[n++] = rv_i(4, T0, 0, T0, RV_OP_IMM);                       /* addi t0, t0, 4 */
    p[n] = rv_b((int32_t)(inner - n) * 4, T1, T0, 4);  /* blt t0, t1, inner */
    n++;
    p[n++] = rv_i(-1, S1, 0, S1, RV_OP_IMM);                      /* addi s1, s1, -1 */
    p[n] = rv_b((int32_t)(outer - n) * 4, 0, S1, 1);   /* bne s1, zero, outer */
    n++;
    p[n++] = rv_i(0xFF, A0, 7, A0, RV_OP_IMM);                    /* andi a0, a0, 255 */
    p[n++] = 0x00100073u;                                            /* ebreak */
    return n;
}

/* CPU time of this thread: the machine is shared, and the figure wanted is
 * the single-threaded speed, not how much of a core the scheduler gave us. */
static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double bench_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Consumes the records so the compiler cannot drop them. */
static volatile uint32_t bench_sink;

/* The recording path: one iss_step and one record per instruction. */
static iss_status bench_step_all(iss_t *s)
{
    iss_rvfi r;
    iss_status st;
    uint32_t sink = 0;

    while ((st = iss_step(s, &r)) == ISS_RUNNING)
        sink ^= r.rd_wdata ^ r.pc_wdata;
    bench_sink = sink;
    return st;
}

/* Puts the program in RAM and the ISS in its reset state. */
static int bench_load(iss_t *s, const char *elf)
{
    char err[512];

    memset(s->mem, 0, ISS_RAM_SIZE);
    if (!elf) {
        uint32_t prog[64];
        size_t n = bench_synth(prog);
        memcpy(s->mem, prog, n * sizeof prog[0]);
        iss_reset(s);
        return 0;
    }
    iss_reset(s);
    if (iss_load_elf(s, elf, err, sizeof err) != ISS_ELF_OK) {
        fprintf(stderr, "iss-bench: %s\n", err);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *elf = NULL, *label;
    int runs = 5;
    double min_secs = 0.5;
    bool step = false;
    double mips[BENCH_MAX_RUNS];
    bench_uart u = {0};
    iss_t s;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--step")) {
            step = true;
        } else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) {
            min_secs = atof(argv[++i]);
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: iss-bench [--runs N] [--min-seconds S] [--step] [prog.elf]\n");
            return 2;
        } else {
            elf = argv[i];
        }
    }
    if (runs < 1 || runs > BENCH_MAX_RUNS) {
        fprintf(stderr, "iss-bench: --runs must be 1..%d\n", BENCH_MAX_RUNS);
        return 2;
    }
    label = elf ? elf : "SYNTHETIC hot loop assembled in memory (no workload ELF given)";
    if (iss_init(&s) != 0) {
        fprintf(stderr, "iss-bench: out of memory\n");
        return 1;
    }
    s.uart_fn = bench_uart_fn;
    s.uart_ctx = &u;
    printf("iss-bench: workload: %s; path: %s\n", label,
           step ? "iss_step with records (--step)" : "iss_run (no records)");
    for (int r = 0; r < runs; r++) {
        double secs = 0, wall = 0;
        uint64_t insns = 0;
        unsigned reps = 0;

        do {
            double t0, w0;
            iss_status st;

            if (bench_load(&s, elf) != 0) {
                iss_free(&s);
                return 1;
            }
            w0 = bench_wall();
            t0 = bench_now();
            st = step ? bench_step_all(&s) : iss_run(&s, 0);
            secs += bench_now() - t0;
            wall += bench_wall() - w0;
            if (st != ISS_HALTED) {
                fprintf(stderr, "iss-bench: run %d did not end at EBREAK (status %d, pc 0x%08" PRIx32
                                ")\n", r + 1, (int)st, s.pc);
                iss_free(&s);
                return 1;
            }
            if (elf && (s.x[10] & 0xFFu) != 0) {
                fprintf(stderr, "iss-bench: %s exited with %u: the program reports a failure, "
                                "so its speed is not measured\n", elf, (unsigned)(s.x[10] & 0xFFu));
                iss_free(&s);
                return 1;
            }
            insns += s.instret;
            reps++;
            if (r == 0 && reps == 1 && u.head_len) {
                u.uart_head[u.head_len] = '\0';
                printf("iss-bench: program output (first %zu of %zu bytes):\n%s%s", u.head_len,
                       u.uart_bytes, u.uart_head, u.uart_head[u.head_len - 1] == '\n' ? "" : "\n");
            }
        } while (secs < min_secs);
        mips[r] = (double)insns / secs / 1e6;
        printf("iss-bench: run %d: %u x %" PRIu64 " instructions in %.3f s CPU (%.3f s wall) = "
               "%.1f MIPS (exit %u)\n",
               r + 1, reps, s.instret, secs, wall, mips[r], (unsigned)(s.x[10] & 0xFFu));
        fflush(stdout);
    }
    qsort(mips, (size_t)runs, sizeof mips[0], bench_cmp);
    printf("iss-bench: %s\n", elf ? elf : "SYNTHETIC loop, not the workload");
    printf("iss-bench: median of %d runs: %.1f MIPS\n", runs, mips[runs / 2]);
    iss_free(&s);
    return 0;
}
