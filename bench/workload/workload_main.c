/* workload_main.c - the fitness workload on the bench platform.
 *
 * Sets up the data outside the timed region, runs WL_ITERATIONS rounds
 * between BENCH_START and BENCH_STOP, prints "iterations: N" and the
 * checksums, and compares them with the frozen values of workload.h:
 * "workload: checksums OK" and exit 0, or a mismatch line per checksum and
 * exit 1.  The iteration count is read back from a volatile so the compiler
 * cannot specialise the timed loop for it.
 */
#include "platform.h"
#include "workload.h"

static wl_ctx ctx;
static volatile uint32_t iterations = WL_ITERATIONS;

static int report(const char *name, uint16_t got, uint16_t expected)
{
    plat_puts(name);
    plat_puts(" checksum: 0x");
    plat_put_hex(got, 4);
    if (got == expected) {
        plat_putc('\n');
        return 0;
    }
    plat_puts("  MISMATCH, expected 0x");
    plat_put_hex(expected, 4);
    plat_putc('\n');
    return 1;
}

int main(void)
{
    wl_sums s;
    uint32_t n = iterations;

    plat_puts("workload: list / matrix / state machine / CRC-16\n");
    wl_init(&ctx, WL_SEED);
    bench_start();
    wl_run(&ctx, n, &s);
    bench_stop();

    plat_puts("iterations: ");
    plat_put_udec(n);
    plat_putc('\n');
    int bad = report("list  ", s.list, WL_EXPECT_LIST);
    bad += report("matrix", s.matrix, WL_EXPECT_MATRIX);
    bad += report("state ", s.state, WL_EXPECT_STATE);
    bad += report("final ", s.final, WL_EXPECT_FINAL);
    if (bad) {
        plat_puts("workload: checksum mismatch: the core or the compiler computes wrongly\n");
        return 1;
    }
    plat_puts("workload: checksums OK\n");
    return 0;
}
