/* vm.h - the project's second fitness workload: a bytecode interpreter
 * (DESIGN.md §4).
 *
 * Contract: vm_init() assembles a fixed bytecode program for a small stack
 * machine and fills a packet buffer from a seed; vm_run() interprets that
 * program `iterations` times (each round with its own round number, so no
 * round can be computed once) and folds each round's result into a CRC-32.
 * The program is control-heavy by design, unlike the CoreMark-class
 * workload: switch dispatch on every opcode, calls and returns (recursive
 * Fibonacci), header parsing with data-dependent branches, the Internet
 * checksum over generated IPv4-like packets, and an insertion sort in VM
 * memory. Plain portable C (fixed-width types, wrapping arithmetic done on
 * uint32_t, no pointer values in any result), so the host build computes
 * what a correct RV32IM core computes: that is where VM_EXPECT_* come from
 * (vm_host.c).
 */
#ifndef BENCH_VM_H
#define BENCH_VM_H

#include <stdint.h>

#ifndef VM_ITERATIONS /* overridden only by the negative control, vm-broken.elf */
#define VM_ITERATIONS 4u
#endif
#define VM_SEED 0x1B873593u

#define VM_CODE_MAX 1024   /* bytes of bytecode */
#define VM_STACK 64        /* operand stack words */
#define VM_FRAMES 32       /* call depth */
#define VM_LOCALS 256      /* locals over all frames */
#define VM_MEM 32          /* data memory words (VM addresses wrap) */
#define VM_PKT_N 24        /* packets */
#define VM_PKT_LEN 40      /* bytes per packet */

typedef struct {
    uint8_t code[VM_CODE_MAX];
    uint32_t code_len;
    uint32_t entry;              /* the main function's address */
    uint8_t pkt[VM_PKT_N * VM_PKT_LEN];
    uint32_t mem[VM_MEM];
} vm_ctx;

typedef struct {
    uint32_t crc;   /* CRC-32 over every round's result */
    uint32_t last;  /* the last round's result */
    uint32_t ops;   /* bytecode instructions executed */
    int fault;      /* nonzero: the interpreter stopped on a bad state */
} vm_sums;

/* The results of VM_ITERATIONS rounds from VM_SEED, frozen: obtained from the
 * host build (`make build/bench/vm-host`, then run it) and confirmed on
 * RV32IM by rv32sim. Never edit them to make a run pass; change them only
 * with the VM code, its program, VM_SEED or VM_ITERATIONS, by rerunning the
 * host build. */
#define VM_EXPECT_CRC 0x0CAFAFD6u
#define VM_EXPECT_LAST 0x55E7320Du
#define VM_EXPECT_OPS 91088u

void vm_init(vm_ctx *ctx, uint32_t seed);
void vm_run(vm_ctx *ctx, uint32_t iterations, vm_sums *out);

#endif /* BENCH_VM_H */
