/* vm_main.c - the interpreter workload on the bench platform.
 *
 * Assembles the program and builds the packets outside the timed region,
 * runs VM_ITERATIONS rounds between BENCH_START and BENCH_STOP, prints
 * "iterations: N" and the results, and compares them with the frozen values
 * of vm.h: "vm: checksums OK" and exit 0, or a mismatch line per value and
 * "vm: checksum mismatch" with exit 1. The iteration count is read from a
 * volatile so the compiler cannot specialise the timed loop for it.
 */
#include "platform.h"
#include "vm.h"

static vm_ctx ctx;
static volatile uint32_t iterations = VM_ITERATIONS;

static int report(const char *name, uint32_t got, uint32_t expected)
{
    plat_puts(name);
    plat_puts(": 0x");
    plat_put_hex(got, 8);
    if (got == expected) {
        plat_putc('\n');
        return 0;
    }
    plat_puts("  MISMATCH, expected 0x");
    plat_put_hex(expected, 8);
    plat_putc('\n');
    return 1;
}

int main(void)
{
    vm_sums s;
    uint32_t n = iterations;

    plat_puts("vm: bytecode interpreter (calls, packet parsing, Internet checksum, sort)\n");
    vm_init(&ctx, VM_SEED);
    bench_start();
    vm_run(&ctx, n, &s);
    bench_stop();

    plat_puts("iterations: ");
    plat_put_udec(n);
    plat_putc('\n');
    int bad = s.fault != 0;
    if (bad) {
        plat_puts("vm: the interpreter faulted (");
        plat_put_udec((uint32_t)s.fault);
        plat_puts(")\n");
    }
    bad += report("crc ", s.crc, VM_EXPECT_CRC);
    bad += report("last", s.last, VM_EXPECT_LAST);
    bad += report("ops ", s.ops, VM_EXPECT_OPS);
    if (bad) {
        plat_puts("vm: checksum mismatch: the core or the compiler computes wrongly\n");
        return 1;
    }
    plat_puts("vm: checksums OK\n");
    return 0;
}
