/* pipeline — runs a gate table (DESIGN.md §3) on one candidate tree.
 *
 * Contract:
 *  - The table (gates/registry.h's gate_pipeline, or a test's fake table)
 *    is in verdict order. A gate with no function is an "error" verdict,
 *    never a pass. Each gate gets the candidate's gate_ctx with its own
 *    timeout (the table's), the cores the scheduler granted, and the results
 *    of the gates before it that finished ("prior").
 *  - Dependencies are the table's `needs` (registry.h). With overlap on, a
 *    gate starts as soon as its dependencies passed and no earlier gate (in
 *    verdict order) failed, and the scheduler has its cores (`cpus`); so on
 *    the real table synth and cosim run while formal does.
 *  - The verdict is the first failure in table order, exactly as if the
 *    gates ran one after another: a later gate's failure never hides an
 *    earlier gate's. Gates still running when the verdict is known can
 *    change nothing: their tools are stopped (lib/proc.h proc_group; Slurm
 *    jobs are cancelled) and their results, kept in "results", are "error"
 *    with "stopped": true, never cached.
 *  - Each result gets "cpu_seconds" (gates/gate.h gate_run) and "start_s",
 *    "end_s": when it ran, in seconds from the pipeline's start.
 *  - Cache (orch/gcache.h): with cache_dir and key set, a gate's "pass"/
 *    "fail" result is stored, MAC'd, under key + the gate name, the quick
 *    flag and the versions of its key tools (pipeline_key_tools), and reused (marked
 *    "cached": true) on an identical input. "error" and "timeout" results
 *    say nothing about the design and are never cached; neither is a
 *    verdict reached while <rundir> could not be written (checked after each
 *    gate with a two-page probe): that result becomes "error" with
 *    "io_error": true and a diagnostic naming the path. A result is cached
 *    only after its <rundir>/<gate>.json was written.
 *  - A cache entry that fails its check (gcache_get PLANTED) makes its gate
 *    an "error" result with "planted": true; every entry of the candidate
 *    is deleted (a stolen key could have signed the others), and the verdict's
 *    `planted` names the entry: the caller must treat the candidate as
 *    tampered with, not judge the design.
 *  - fresh (bit i = gate i): the gate runs even when a verified entry
 *    exists; if the entry gives another verdict or other figures
 *    (gcache_same_verdict) it is planted as above, else the result is
 *    marked "cached": true, "reverified": true.
 *  - Every result is written to <rundir>/<gate>.json. A progress callback
 *    reports each start and finish (from worker threads, serialised).
 *  - exec (orch/executor.h): NULL runs each gate in this process under the
 *    scheduler's cores; a slurm executor runs each gate that is not taken
 *    from the cache as a job named after job_tag (Slurm grants the cores).
 *    Once the verdict is known, the jobs of gates still running are
 *    cancelled (their results: "error", "stopped": true, never cached), and
 *    when the run ends every job of job_tag still queued or running is.
 *    Verdict, order and cache are the same either way.
 */
#ifndef ORCH_PIPELINE_H
#define ORCH_PIPELINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "gates/registry.h"
#include "orch/executor.h"
#include "orch/sched.h"
#include "orch/toolver.h"

typedef void (*pipeline_progress_fn)(void *ctx, const char *gate, const json_t *result);

typedef struct {
    const gate_def *gates;
    size_t ngates;
    sched *sched;          /* required */
    toolver *tools;        /* required when caching */
    const char *cache_dir; /* NULL: no cache */
    const char *cache_key; /* the candidate's input digest; NULL: no cache */
    bool overlap;
    unsigned fresh;        /* gates re-run despite a cache entry, which must agree */
    const executor *exec;  /* NULL: run the gates in this process */
    const char *job_tag;   /* with exec: names this candidate's jobs (unique in the run) */
    pipeline_progress_fn progress; /* result NULL: the gate started here */
    /* with exec: a gate's Slurm job was "submitted" or changed state
     * ("queued: <reason>", "running on <node>"); called with progress_ctx;
     * may be NULL */
    void (*job_state)(void *ctx, const char *gate, const char *state);
    void *progress_ctx;
} pipeline_opts;

typedef struct {
    json_t *results;       /* {"lint": {...}, ...}: every gate that ran */
    char *failed_gate;     /* NULL when every gate passed */
    char *failed_status;   /* "fail", "error", "timeout" */
    char *diagnostic;      /* the failing gate's tail */
    const char *outcome;   /* the log outcome of the failure: the deciding gate's
                              fail_outcome for a "fail", else "broken"; NULL when
                              every gate passed (static, not freed) */
    bool cancelled;        /* interrupted: the verdict means nothing */
    char *planted;         /* a cache entry failed its check: which and why */
    unsigned from_cache;   /* bit i: gate i's result came from the cache */
    double seconds;        /* wall time of the whole pipeline */
} pipeline_verdict;

/* Runs the table on base (base->prior and base->jobs are set per gate).
 * Returns 0 (the verdict is filled in, whatever it is), -1 on an internal
 * error (out of memory, thread creation, a result file or the cache key that
 * cannot be written or trusted), with err. */
int pipeline_run(const pipeline_opts *o, const gate_ctx *base, pipeline_verdict *v,
                 char *err, size_t n);
void pipeline_verdict_free(pipeline_verdict *v);

/* The gates gate `i` of the table waits for (bit j = gate j): its `needs`. */
unsigned pipeline_deps(const gate_def *gates, size_t ngates, size_t i);

/* The tools whose versions gate i's verdict depends on, which key its cache
 * entries: its tools and built_by, then those of the gates it needs (their
 * results are its input), recursively; each once, in that order. Appends
 * to out[n..max) and returns the new count. */
enum { PIPELINE_MAX_TOOLS = 32 };
size_t pipeline_key_tools(const gate_def *gates, size_t ngates, size_t i, const char **out, size_t n,
                          size_t max);

#endif
