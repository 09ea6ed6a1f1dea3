/* fpga_table — the human summary of the synth and pnr gates (`make fpga`).
 *
 * fpga_table_print writes a small table: synthesis cell counts, each seed's
 * Fmax and time, the median Fmax and seed spread, LCs used/available, FFs,
 * BRAMs and DSPs; every number is copied from the gate results (which hold
 * nextpnr's and Yosys's own figures), none recomputed except the fitness:
 * when a cosim result with the fitness workload's bracketed "cycles" and
 * "iterations" is given (top level, or under "fitness" or "workload"), it
 * adds fitness = Fmax x iterations / cycles x 1e6 (iterations per second)
 * and CoreMark/MHz = iterations / cycles x 1e6 (DESIGN.md §3).
 * Any argument may be NULL; missing parts are left out. Never fails.
 */
#ifndef FPGA_FPGA_TABLE_H
#define FPGA_FPGA_TABLE_H

#include <jansson.h>
#include <stdio.h>

void fpga_table_print(const json_t *synth, const json_t *pnr, const json_t *cosim, FILE *out);

/* cycles and iterations of the fitness workload from a cosim result; 0 when absent. */
int fpga_table_workload(const json_t *cosim, double *cycles, double *iterations);

#endif
