/* fbmc — one bounded-model-checking proof of one formal_top output with ABC,
 * and the replay of its counterexample.
 *
 * Contract:
 *  - formal_bmc_run() runs `yosys-abc` (bmc3, or &bmcs when bmcs is set; its
 *    own process group, time limit,
 *    output appended to log_path) on output out_index of aig: "safe" when no
 *    frame < depth makes the output 1, "cex" with the first such frame (the
 *    witness goes to aiw_path in AIGER witness form that yosys `sim` reads),
 *    "timeout" with the last frame that was completed, or "error" with why.
 *    Frame n is cycle n of formal_top (cycle 0 is the reset cycle).
 *  - formal_bmc_sweep() proves the same property for all frames < depth at
 *    once: it unrolls them from the initial state, ORs the outputs and hands
 *    the combinational miter to ABC's iprove (SAT sweeping: nodes that
 *    simulation says are equal are proved equal and merged, bottom up). It
 *    answers safe, "cex" without a frame or witness (rerun formal_bmc_run for
 *    them), timeout or error.
 *  - formal_pdr_run() tries to prove the output 0 in every frame, without a
 *    bound, with ABC pdr (property-directed reachability): "safe" when pdr
 *    proved it (frame -1: no bound), "cex" with the frame and the witness in
 *    aiw_path, "timeout" when it did not converge within timeout_s (ABC's own
 *    -T is checked only between frames, so the limit is also kept from
 *    outside), "error" with why.
 *  - formal_bmc_replay() simulates that witness on shared.il with yosys `sim`,
 *    writes a VCD and returns the names of the f_* assertions under `prefix`
 *    that fail in the last cycle (comma-separated), i.e. the broken fields.
 *  - Each tool runs through ex (formal_exec): here, or as a job of its own
 *    through a launcher (lib/proc.h). A run the launcher could not start
 *    is "error" with infra set and the launcher's words in msg: it says
 *    nothing about the design. A run cancelled through ex->group (its
 *    result no longer matters) is "timeout" with msg "interrupted".
 *  - Safe to call from several threads at once (nothing shared).
 */
#ifndef FORMAL_FBMC_H
#define FORMAL_FBMC_H

#include <stddef.h>

#include "lib/proc.h"

typedef enum { FORMAL_BMC_SAFE, FORMAL_BMC_CEX, FORMAL_BMC_TIMEOUT, FORMAL_BMC_ERROR } formal_bmc_status;

typedef struct {
    formal_bmc_status status;
    int frame;       /* cex: the failing frame; timeout: the last completed frame (-1 none) */
    double seconds;
    int infra;       /* error: the launcher could not run the tool (msg holds its words) */
    char msg[768];   /* error: why */
} formal_bmc_result;

/* Where one tool run goes (lib/proc.h proc_launch). */
typedef struct {
    const proc_launcher *launcher; /* NULL: here, with proc_run */
    const char *label;             /* the run's name, unique within the formal run ("order.cover") */
    proc_group *group;             /* books the tool's CPU time; stopping it cancels the run; may be NULL */
} formal_exec;

/* ex may be NULL: here, in no group. */
void formal_bmc_run(const char *aig, int out_index, int depth, double timeout_s, int bmcs,
                    const char *aiw_path, const char *log_path, const formal_exec *ex, formal_bmc_result *r);

void formal_bmc_sweep(const char *aig, int out_index, int depth, double timeout_s,
                      const char *log_path, const formal_exec *ex, formal_bmc_result *r);

void formal_pdr_run(const char *aig, int out_index, double timeout_s, const char *aiw_path, const char *log_path,
                    const formal_exec *ex, formal_bmc_result *r);

int formal_bmc_replay(const char *workdir, const char *aiw_path, const char *vcd_path,
                      const char *prefix, const char *log_path, double timeout_s, const formal_exec *ex,
                      char *fields, size_t fields_len, char *err, size_t errlen);

#endif
