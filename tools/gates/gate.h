/* gate — the contract every gate of the pipeline follows (DESIGN.md §3).
 *
 * A gate is a function from a checked-out tree to a JSON verdict object:
 *   { "gate": "<name>", "status": "pass"|"fail"|"error"|"timeout",
 *     "pass": true|false, "seconds": <wall time>, "diagnostic": "<tail, <=2 KiB>",
 *     "log": "<path of the full log>", ...gate-specific figures }
 * "fail"    the design is wrong (lint error, divergence, proof failure, no fit);
 * "error"   the gate could not run (missing tool or file, crash of a tool on
 *           good input): it is never a pass, and the diagnostic says what to do;
 * "timeout" a tool hit its limit and its whole process group was killed.
 * Gates never print to stdout/stderr; their tools' output goes to the log under
 * ctx->rundir. Harness files (bench/, formal/, fpga/, test/) are always taken
 * from ctx->harness, never from the candidate tree, so an agent cannot weaken
 * the verifier even if it slipped past the sandbox.
 */
#ifndef GATES_GATE_H
#define GATES_GATE_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/confine.h"
#include "lib/proc.h"

typedef struct {
    const char *tree;       /* root of the candidate checkout (a worktree) */
    const char *core;       /* core name: the design lives in <tree>/cores/<core> */
    const char *harness;    /* root of the trusted harness checkout */
    const char *build;      /* harness build dir: ELFs, libiss, rv32sim (<harness>/build) */
    const char *rundir;     /* this slot's directory for logs and artefacts (exists) */
    const json_t *core_cfg; /* cores/<core>/core.yaml as JSON; NULL = defaults */
    const json_t *prior;    /* {"<gate>": result, ...} of earlier gates; may be NULL */
    int jobs;               /* CPU cores this gate may use (>= 1) */
    double timeout_s;       /* overall limit; 0 = the gate's default */
    bool quick;             /* fewer programs/seeds: for the test suite only */
    /* The sandbox every tool that reads the candidate runs in (lib/confine.h):
     * harness and tree read-only, rundir writable. NULL: unconfined. */
    const confine_policy *confine;
    /* Every tool the gate starts is in this group (lib/proc.h): its CPU
     * time adds up there (the log's gate_cpu_seconds), and stopping the
     * group ends the gate's tools. NULL: gate_run makes one. */
    proc_group *group;
    /* pnr: the first of its seeds (0 = 1). A round's winner is placed again
     * with the seeds after the usual ones (orch/remeasure.h). */
    int seed_first;
    /* NULL: the gate's tools run here. Set (by a cluster executor, for a
     * gate whose registry entry has tool_job_cpus) the gate runs here and
     * each tool run it makes through gate_run_tool() (or hands to a lower
     * layer's runner, as formal does) is a job of its own (lib/proc.h). */
    const proc_launcher *launcher;
} gate_ctx;

typedef json_t *(*gate_fn)(const gate_ctx *ctx);

/* Runs fn on ctx (in ctx->group, or a group of its own) and stamps the
 * result with "cpu_seconds": the CPU time (user + system) of every tool the
 * gate started, which a batch scheduler can request and the log records.
 * Returns what fn returned (NULL included). */
json_t *gate_run(gate_fn fn, const gate_ctx *ctx);

/* Runs one tool of the gate: proc_run(spec) here, or through ctx->launcher
 * (spec->group is set to ctx->group; a remote tool's CPU time is added to
 * it). 0 when the tool ran (its outcome is in res), -1 when it could not be
 * run for reasons of the infrastructure (why says so). */
int gate_run_tool(const gate_ctx *ctx, const char *label, const proc_spec *spec, proc_result *res, char *why,
                  size_t n);

/* A tool run's outcome as a file, for a tool that ran elsewhere (`gate
 * exec`, gate_cli.h) and the launcher that reads it back: a JSON object of
 * res's fields. write: 0, or -1 with errno. read: 0, or -1 when the file is
 * missing or not such an object (the tool never finished: no outcome). */
int gate_tool_status_write(const char *path, const proc_result *res);
int gate_tool_status_read(const char *path, proc_result *res);

/* The pipeline, in verdict order. */
json_t *gate_lint(const gate_ctx *ctx);
json_t *gate_synth(const gate_ctx *ctx);
json_t *gate_formal(const gate_ctx *ctx);
json_t *gate_cosim(const gate_ctx *ctx);   /* also measures the fitness workload */
json_t *gate_pnr(const gate_ctx *ctx);
json_t *gate_coremark(const gate_ctx *ctx);/* scores from prior cosim + pnr results */

/* Helpers for gate implementations. */
/* A fresh result with "gate" set and "status" "error" until finished. */
json_t *gate_result_new(const char *gate);
/* Sets status/pass/seconds/diagnostic/log; diag may be NULL. Returns r. */
json_t *gate_result_finish(json_t *r, const char *status, const char *diag,
                           const char *log_path, double started);
/* "error" result in one call, for gates that cannot start. */
json_t *gate_result_error(const char *gate, const char *diag, double started);
/* A gate that could not write one of its files (log, build products): its
 * pass or fail may only reflect that (a full disk fails a build), so r
 * becomes "error" with "io_error": true (never cached) and a diagnostic
 * naming path and err. A timeout or error result is kept as it is. */
json_t *gate_result_io_error(json_t *r, const char *path, int err, double started);
/* The "diagnostic" tail of a log (last ~2 KiB). Caller frees. */
char *gate_log_tail(const char *log_path);
/* <ctx->rundir>/<name>; caller frees. */
char *gate_path(const gate_ctx *ctx, const char *name);
/* <ctx->tree>/cores/<ctx->core>/<sub> ("rtl", "test"): the candidate's
 * design files, the only part of the tree a gate reads; caller frees. */
char *gate_core_path(const gate_ctx *ctx, const char *sub);
/* A string from core_cfg by dotted path ("fpga.device"), or dflt. */
const char *gate_cfg_str(const gate_ctx *ctx, const char *dotted, const char *dflt);
double gate_cfg_num(const gate_ctx *ctx, const char *dotted, double dflt);

/* The fitness of a design (iterations per second) at fmax_mhz, from its
 * workload's iterations per million cycles: the coremark gate's formula,
 * also used when a winner's Fmax is measured again (orch/remeasure.h). */
static inline double gate_fitness(double fmax_mhz, double per_mhz) { return fmax_mhz * per_mhz; }

/* The Fmax that n routed seeds (sorted ascending, n >= 1) stand for: their
 * median (the mean of the middle two when n is even). */
static inline double gate_fmax_of_seeds(const double *sorted, int n)
{
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* The fitness workload set this process's gates measure, by its name
 * (gates/fitset.h): WORKLOADS when set, else the primary workload -
 * "coremark" (the EEMBC CoreMark, when COREMARK_DIR names a checkout) or
 * "workload" (the project's own) - and the interpreter "vm", e.g.
 * "workload+vm". Figures measured on two set names never compare. */
const char *gate_workload(void);

#endif
