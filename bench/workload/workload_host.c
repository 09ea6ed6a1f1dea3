/* workload_host.c - the workload built for the host, as a reference.
 *
 * Runs the same code as workload.elf (workload.c) natively and prints the
 * same lines.  This is where the frozen WL_EXPECT_* values of workload.h come
 * from, and test/bench/programs.sh runs it to show that a different compiler
 * on a different machine agrees with them.  Exit 0 when they match.
 */
#include <stdio.h>

#include "workload.h"

static wl_ctx ctx;

static int report(const char *name, uint16_t got, uint16_t expected)
{
    printf("%s checksum: 0x%04x%s", name, got, got == expected ? "\n" : "  MISMATCH");
    if (got != expected)
        printf(", expected 0x%04x\n", expected);
    return got != expected;
}

int main(void)
{
    wl_sums s;
    wl_init(&ctx, WL_SEED);
    wl_run(&ctx, WL_ITERATIONS, &s);
    printf("iterations: %u\n", (unsigned)WL_ITERATIONS);
    int bad = report("list  ", s.list, WL_EXPECT_LIST);
    bad += report("matrix", s.matrix, WL_EXPECT_MATRIX);
    bad += report("state ", s.state, WL_EXPECT_STATE);
    bad += report("final ", s.final, WL_EXPECT_FINAL);
    puts(bad ? "workload-host: checksum mismatch" : "workload-host: checksums OK");
    return bad ? 1 : 0;
}
