/* iss — the reference RV32IM instruction-set simulator (DESIGN.md §2).
 *
 * Contract:
 *  - One iss_t is one independent hart with its own 1 MiB RAM. Nothing is global,
 *    so several instances can live in one process (the cosim harness relies on it).
 *  - iss_step() retires exactly one instruction and fills an RVFI-shaped record;
 *    iss_run() is the fast path with no records. Neither allocates nor prints.
 *  - Trap policy: illegal encodings, ECALL, CSR*, MRET, misaligned loads/stores and
 *    misaligned taken branch/jump targets retire with trap=1, write nothing and
 *    continue at pc+4. EBREAK retires with halt=1 and ends the program.
 *  - Memory map: RAM 0x00000000-0x000FFFFF; stores to ISS_ADDR_UART emit their low
 *    byte; stores to the bench markers are recorded; loads from those three
 *    addresses read 0. Any other access (or a fetch outside RAM) is ISS_FAULT and
 *    does not retire.
 *  - Details this implementation fixes (DESIGN.md is silent on them): the three
 *    device addresses match on the exact byte address (a store to 0x10000001 is
 *    out of bounds; any size may be used at 0x10000000); EBREAK retires with
 *    pc_wdata = pc+4 and leaves s->pc there; FENCE/FENCE.I are no-ops whatever
 *    their other fields (fm, pred/succ, rs1, rd, imm) hold; a taken
 *    branch or jump to an aligned address outside RAM retires, and the fetch
 *    that follows faults.
 */
#ifndef ISS_H
#define ISS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ISS_RAM_BASE 0x00000000u
#define ISS_RAM_SIZE 0x00100000u /* 1 MiB */
#define ISS_RESET_PC 0x00000000u
#define ISS_ADDR_UART 0x10000000u
#define ISS_ADDR_BENCH_START 0x10000100u
#define ISS_ADDR_BENCH_STOP 0x10000104u
#define ISS_EBREAK 0x00100073u

typedef enum {
    ISS_RUNNING = 0, /* retired normally; keep stepping */
    ISS_HALTED,      /* retired EBREAK; the program's exit code is x[10] (a0) */
    ISS_FAULT,       /* out-of-bounds access or fetch; see iss_t.fault; nothing retired */
    ISS_BUDGET       /* iss_run() reached its instruction budget before EBREAK */
} iss_status;

/* Which register operands an instruction really reads: the cosim compares
 * rs1/rs2 fields only when the matching bit is set. */
#define ISS_USES_RS1 0x1u
#define ISS_USES_RS2 0x2u

/* One retirement, RVFI-shaped. Conventions (same as the core contract):
 *  - rs*_addr/rs*_rdata are 0 when the operand is not read (see uses);
 *  - rd_addr is 0 when nothing is written, and then rd_wdata is 0 too
 *    (a write to x0 reports rd_addr=0, rd_wdata=0);
 *  - memory fields are aligned: mem_addr is the word address (addr & ~3),
 *    masks and data are lane-shifted; mem_rdata is the whole word read,
 *    mem_wdata carries the stored bytes in their lanes, other lanes 0 (compare
 *    under the masks); loads from the device addresses report mem_rdata 0;
 *  - a trapping instruction reports trap=1, pc_wdata=pc+4, rd_addr=0, masks 0,
 *    uses=0. */
typedef struct {
    uint64_t order;
    uint32_t insn;
    uint32_t pc_rdata, pc_wdata;
    uint32_t rs1_rdata, rs2_rdata, rd_wdata;
    uint32_t mem_addr, mem_rdata, mem_wdata;
    uint8_t rs1_addr, rs2_addr, rd_addr;
    uint8_t mem_rmask, mem_wmask;
    uint8_t uses; /* ISS_USES_* */
    bool trap, halt;
} iss_rvfi;

/* Called for every byte stored to the UART; may be NULL. It runs inside
 * iss_run/iss_step, before they have written registers and counters back, so
 * it must not call into or read the state of the same iss_t. */
typedef void (*iss_uart_fn)(void *ctx, uint8_t byte);

typedef struct {
    uint32_t pc;      /* PC of the instruction that faulted */
    uint32_t addr;    /* the offending address */
    const char *what; /* "fetch", "load" or "store" */
} iss_fault_info;

typedef struct iss {
    uint32_t x[32];   /* x[0] is always 0 */
    uint32_t pc;
    uint64_t instret; /* instructions retired so far (== next order) */
    uint8_t *mem;     /* ISS_RAM_SIZE bytes, owned */

    iss_uart_fn uart_fn;
    void *uart_ctx;

    /* Bench markers, as instruction counts: the order of the first store to
     * BENCH_START and of the last store to BENCH_STOP. */
    bool bench_started, bench_stopped;
    uint64_t bench_start_insn, bench_stop_insn;

    iss_fault_info fault; /* valid after ISS_FAULT */

    void *priv; /* implementation state (decode cache); owned */
} iss_t;

/* Allocates RAM and internal state; registers, PC and RAM start at 0.
 * Returns 0, or -1 when out of memory. */
int iss_init(iss_t *s);
void iss_free(iss_t *s);
/* Back to the reset state with RAM kept (registers, pc, counters, markers). */
void iss_reset(iss_t *s);
/* Forgets every predecoded instruction. iss_run caches decoded RAM words and
 * sees the program's own stores, but not writes made to s->mem from outside:
 * call this (or iss_reset) after such writes and before iss_run. iss_step
 * always decodes afresh and needs no call. */
void iss_invalidate(iss_t *s);

/* Errors from iss_load_elf (also the rv32sim exit code for bad input is separate). */
typedef enum {
    ISS_ELF_OK = 0,
    ISS_ELF_IO,        /* cannot open or read the file */
    ISS_ELF_NOT_ELF,   /* not an ELF file, or truncated */
    ISS_ELF_WRONG_KIND,/* not ELF32 / little-endian / RISC-V / executable */
    ISS_ELF_BAD_SEGMENT,/* a loadable segment outside RAM or truncated */
    ISS_ELF_BAD_ENTRY  /* entry point is not ISS_RESET_PC */
} iss_elf_error;

/* Loads the PT_LOAD segments of a RISC-V ELF32 executable into RAM (zeroing
 * bss), sets pc to the entry. On error writes a message naming the file and
 * the problem into err. */
iss_elf_error iss_load_elf(iss_t *s, const char *path, char *err, size_t errlen);

/* Retires one instruction. out may be NULL. */
iss_status iss_step(iss_t *s, iss_rvfi *out);

/* Runs until EBREAK, a fault, or max_insns retirements (0 = no limit). */
iss_status iss_run(iss_t *s, uint64_t max_insns);

/* Writes a disassembly of insn (e.g. "addi a0, a0, 1") into buf; returns buf. */
char *iss_disasm(uint32_t insn, uint32_t pc, char *buf, size_t n);
/* ABI name of register x<r> ("zero", "ra", "sp", ..., "t6"); "?" when r > 31. */
const char *iss_reg_name(unsigned r);

/* Masks a 4-bit byte-lane mask into a 32-bit bit mask (0x5 -> 0x00FF00FF). */
static inline uint32_t iss_lane_bits(uint8_t mask)
{
    uint32_t m = 0;
    for (int i = 0; i < 4; i++)
        if (mask & (1u << i))
            m |= 0xFFu << (8 * i);
    return m;
}

#ifdef __cplusplus
}
#endif

#endif /* ISS_H */
