/* vm_host.c - the interpreter workload built for the host, as a reference.
 *
 * Runs vm.c natively and prints the same lines as vm.elf: this is where the
 * frozen VM_EXPECT_* values of vm.h come from, and test/bench/programs.sh
 * runs it to show that another compiler on another machine agrees with
 * them. Exit 0 when they match.
 */
#include <stdio.h>

#include "vm.h"

static vm_ctx ctx;

static int report(const char *name, uint32_t got, uint32_t expected)
{
    printf("%s: 0x%08x%s", name, (unsigned)got, got == expected ? "\n" : "  MISMATCH");
    if (got != expected)
        printf(", expected 0x%08x\n", (unsigned)expected);
    return got != expected;
}

int main(void)
{
    vm_sums s;
    vm_init(&ctx, VM_SEED);
    vm_run(&ctx, VM_ITERATIONS, &s);
    printf("iterations: %u\n", (unsigned)VM_ITERATIONS);
    if (s.fault)
        printf("vm: the interpreter faulted (%d)\n", s.fault);
    int bad = s.fault != 0;
    bad += report("crc ", s.crc, VM_EXPECT_CRC);
    bad += report("last", s.last, VM_EXPECT_LAST);
    bad += report("ops ", s.ops, VM_EXPECT_OPS);
    puts(bad ? "vm-host: checksum mismatch" : "vm-host: checksums OK");
    return bad ? 1 : 0;
}
