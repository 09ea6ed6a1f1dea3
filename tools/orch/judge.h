/* judge — one design through the gate pipeline, into its log entry
 * (pipeline.h runs the gates; records.h stores what they found).
 *
 * Contract of judge_run():
 *  - Runs the run's gate table (tour_opts.gates) on `tree`, an exported
 *    committed tree of the core at `commit`, writing the tools' files under
 *    `rundir`, in the tools' sandbox when the run is confined (policy.h).
 *    The gate cache is used when the run asks for it, keyed by the harness
 *    and what the gates read of the candidate (cores/<T>/rtl, test,
 *    core.yaml at `commit`); gates whose bit is set in `fresh` run even when
 *    the cache holds them. Each gate's start and result are printed as the
 *    progress line of (round_idx, slot).
 *  - The figures, per-gate seconds and gate_cache of the results go into
 *    `entry`; a failure sets its outcome ("broken", or "placement_failed"
 *    when placement failed), failed_gate and diagnostic; a gate-cache entry
 *    that fails its check makes it broken: sandbox.
 *  - The verdict says whether every gate passed, whether the run was
 *    interrupted, whether the failure was a gate that could not run (which
 *    says nothing about the design), and which results came from the cache.
 *  - Returns 0, or -1 when the pipeline itself failed (err).
 * Safe to call from several slot threads at once (tourenv.h).
 */
#ifndef ORCH_JUDGE_H
#define ORCH_JUDGE_H

#include <stdbool.h>

#include "orch/tourenv.h"

typedef struct {
    bool passed, cancelled;
    bool gate_error;     /* the verdict is a gate that could not run: says nothing about the design */
    bool planted;        /* a gate-cache entry of the candidate failed its check: broken: sandbox */
    unsigned from_cache; /* bit i: gate i of the table came from the cache */
} judge_verdict;

int judge_run(tour_env *env, repo *r, const char *tree, const git_oid *commit, const char *rundir,
              unsigned fresh, json_t *entry, int round_idx, int slot, judge_verdict *v, char *err, size_t n);

/* Bit i set for gate i of the run's table when the registry marks it as
 * deciding the fitness (gate_def.fitness): the `fresh` argument of
 * judge_run for a winner whose figures came from the gate cache. */
unsigned judge_fitness_gates(const tour_env *env);

/* The run's gate context for the candidate `tree`, its tools' files under
 * `rundir`; when the run is confined, `tools` is filled with their sandbox
 * (policy.h) and the context points at it. prior, jobs and timeout_s are
 * left for the caller. */
gate_ctx judge_gate_ctx(const tour_env *env, const char *tree, const char *rundir, confine_policy *tools);

#endif
