/* cpiprof — where a run's cycles go, from what RVFI and the buses show (no
 * core internals): per instruction class, the retirements and the cycles
 * since the retirement before each; and the cycles beyond one per
 * retirement, split by cause (DESIGN.md §3, cosim).
 *
 * Contract:
 *  - The harness calls cpiprof_start() at the benchmark's start marker,
 *    cpiprof_cycle() once per clock cycle while it counts, cpiprof_retire()
 *    for each retirement in channel order, and cpiprof_stop() at the stop
 *    marker; outside that window nothing is counted.
 *  - A retirement's gap is the cycles since the previous one (0 for a second
 *    retirement in the same cycle); the gap beyond one cycle is charged to
 *    the first cause that applies, in this order: muldiv (an M instruction
 *    waits for its unit), dmem (cycles the data bus was not ready while the
 *    core asked it), imem (cycles the instruction bus was not ready),
 *    redirect (the previous retirement was a taken branch or a jump: the
 *    fetch restarts), load_use (it reads the register the previous
 *    retirement loaded), other. Bus waits are capped at the gap's excess.
 *  - Pure: no I/O, no allocation.
 */
#ifndef COSIM_CPIPROF_H
#define COSIM_CPIPROF_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { CPI_ALU, CPI_LOAD, CPI_STORE, CPI_BRANCH, CPI_JUMP, CPI_MULDIV, CPI_SYSTEM, CPI_NCLASS } cpi_class;
typedef enum { CPI_MULDIV_BUSY, CPI_DMEM, CPI_IMEM, CPI_REDIRECT, CPI_LOAD_USE, CPI_OTHER, CPI_NCAUSE } cpi_cause;

typedef struct {
    uint64_t n[CPI_NCLASS], cycles[CPI_NCLASS], stall[CPI_NCAUSE];
    uint64_t retired, total_cycles;
    bool on;
    /* since the last retirement */
    uint64_t last_cycle, gap_imem, gap_dmem;
    bool last_redirect, last_load;
    uint8_t last_rd;
} cpiprof;

/* One retirement as RVFI reports it. */
typedef struct {
    uint64_t cycle;
    uint32_t insn, pc_rdata, pc_wdata;
    uint8_t rs1_addr, rs2_addr, rd_addr;
    bool trap;
} cpiprof_ret;

void cpiprof_start(cpiprof *p, uint64_t cycle);
void cpiprof_stop(cpiprof *p);
void cpiprof_cycle(cpiprof *p, bool imem_wait, bool dmem_wait);
void cpiprof_retire(cpiprof *p, const cpiprof_ret *r);

cpi_class cpiprof_class(uint32_t insn);
const char *cpiprof_class_name(cpi_class c);
const char *cpiprof_cause_name(cpi_cause c);

#endif
