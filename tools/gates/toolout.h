/* toolout — the readers of what the gates' tools write: nextpnr's report and
 * log, Yosys's `stat -json`, the cosim harness's JSON lines.
 *
 * Contract: each takes the bytes a tool wrote (untrusted: the tools run on an
 * agent's design, and a file may be truncated, empty or anything) and never
 * crashes, loops or reads outside them on any input; what it cannot read is an
 * error with a message, never a figure. Pure: no I/O, no global state.
 */
#ifndef GATES_TOOLOUT_H
#define GATES_TOOLOUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* nextpnr --report JSON. 0 when text[0..len) is an object whose "fmax" holds
 * at least one clock with a positive "achieved" (*fmax_mhz = the slowest such
 * clock) and whose "utilization" is an object of {used, available} counts
 * (*util = {resource: {used, available, pct}}, a new reference; counts that
 * are not non-negative integers are an error). -1 with err otherwise. */
int toolout_pnr_report(const char *text, size_t len, double *fmax_mhz, json_t **util, char *err, size_t n);

/* Why nextpnr failed, from its log text[0..len) (a NUL byte ends the text). */
typedef struct {
    const char *cause;    /* "does_not_fit", "routing_failed" or "nextpnr_error" */
    char resource[64];    /* does_not_fit: the cell type that ran out ("" when unnamed) */
    long used, available; /* does_not_fit: its line of the last "Device utilisation:"
                             table; available 0 when not found */
    char error[400];      /* the first "ERROR:" line ("" when none) */
} toolout_pnr_failure;
void toolout_pnr_log(const char *text, size_t len, toolout_pnr_failure *f);

/* Yosys `stat -json` for module \fpga_top. 0 with r's "cells" {lut, ff, carry,
 * bram, dsp} (SB_LUT4, SB_DFF*, SB_CARRY, SB_RAM40_4K*, SB_MAC16),
 * "cells_by_type" (Yosys's own counts) and "yosys_version" (when "creator" is
 * a string) set; -1 with err when there is no such module, or a count is not
 * an integer in 0..TOOLOUT_CELLS_MAX. */
enum { TOOLOUT_CELLS_MAX = 100000000 };
int toolout_synth_stat(const char *text, size_t len, json_t *r, char *err, size_t n);

/* The cosim harness's output for one batch (cosim/verdict.h): one JSON object
 * per line, in run order. Returns an array (NULL only when out of memory) of
 * at most max results, ending after the first whose "verdict" is not "pass"
 * (the harness stops there); a line that is not a JSON object, or whose
 * "verdict" is not a string, is a JSON null in its place. Empty lines and a
 * NUL byte end nothing: lines are split at '\n' only, a NUL makes its line
 * invalid. */
json_t *toolout_cosim_lines(const char *text, size_t len, size_t max);

/* The "fitness" object (workload, program, stall "std", cycles, iterations,
 * instructions, total_cycles, validated, validation, coremark_per_mhz when
 * cycles > 0, output = the UART tail, cpi_profile when the harness measured
 * one) from the fitness program's result object under the std pattern.
 * Missing or mistyped figures are 0 / "". NULL only when out of memory. */
json_t *toolout_cosim_fitness(const json_t *result, const char *workload, const char *program);

/* The harness's benchmark profile (tools/cosim/cpiprof.h) as
 * {cycles, retired, classes: {class: [retired, cycles]}, stalls: {cause: cycles}}
 * with exactly cpiprof's class and cause names and non-negative integers;
 * NULL when p is not such an object (nothing else is copied). */
json_t *toolout_cpi_profile(const json_t *p);

/* The diagnostic text for a failed run: its verdict and message, its last
 * retirements (core; at most the final TOOLOUT_COSIM_LAST of "last") and the
 * program path; every field may be missing or mistyped ("?").
 * malloc'd; NULL only when out of memory. */
enum { TOOLOUT_COSIM_LAST = 32 };
char *toolout_cosim_failure(const json_t *result, const char *verdict, const char *program, const char *pattern,
                            const char *path);

#endif
