/* registry — the pipeline's gates in verdict order (DESIGN.md §3): the one
 * place that knows a gate. The orchestrator (its dependencies, tool check,
 * cache keys, outcomes, CPU scheduling), the `gate` CLI and the tests read
 * this table; nothing else keeps a list of gates or of their tools.
 *
 * Contract of a gate_def (a test's stand-in table follows it too):
 *  - order: its index in the table, which is the verdict order (the first
 *    failure in table order decides, orch/pipeline.h).
 *  - needs: the gates (by name) that must pass before it starts, NULL-
 *    terminated; a NULL list means every gate before it. Names that are not
 *    earlier in the table are ignored.
 *  - tools: exactly the programs it starts by name (looked up in PATH),
 *    NULL-terminated; test/gates/test_gate_tools.c runs every gate on the
 *    baseline core and fails when this list and what it started differ.
 *    built_by: tools that built harness files it runs without starting
 *    them (the bench ELFs). Both are checked before the loop starts, and
 *    their versions are part of the gate's cache key (orch/pipeline.h).
 *    A gate that starts no program (an empty list) has no heavy work: it
 *    runs in the orchestrator's process under every executor.
 *  - cpus: the CPU cores it can keep busy (the scheduler grants at most
 *    that many; the gate gets the grant as ctx->jobs); mem_mib: its peak
 *    resident memory at that parallelism on the reference designs, with
 *    headroom, for a batch scheduler to request.
 *  - timeout_s: default wall-clock limit for the whole gate.
 *  - tool_job_cpus: > 0 for a gate whose tool runs are independent parts
 *    (pnr: one nextpnr per seed; formal: one yosys-abc per proof; cosim:
 *    one harness per batch of programs, and the model's build steps). Under a cluster executor such a gate runs
 *    in the orchestrator and each tool run is a job of that many CPUs
 *    (gate_ctx.launcher), so the parts spread over nodes; its verdict code,
 *    cache and figures are those of a local run. 0: the whole gate is one job.
 *  - fail_outcome: the loop's log outcome when this gate's "fail" decides
 *    the verdict; NULL means "broken" (as does any "error" or "timeout").
 */
#ifndef GATES_REGISTRY_H
#define GATES_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "gates/gate.h"

typedef struct {
    const char *name;             /* "lint", "synth", ... as in results and logs */
    gate_fn run;
    const char *const *needs;     /* gates that must pass first; NULL: all before it */
    const char *const *tools;     /* programs it starts from PATH */
    const char *const *built_by;  /* tools that built the harness files it runs */
    int cpus;                     /* CPU cores it can keep busy (the scheduler's unit) */
    int mem_mib;                  /* peak memory at cpus-way parallelism, MiB */
    double timeout_s;             /* default wall-clock limit for the whole gate */
    int tool_job_cpus;            /* > 0: under a cluster, one job per tool run */
    const char *fail_outcome;     /* log outcome of a deciding "fail"; NULL: "broken" */
    bool fitness;                 /* its figures decide a round: a winner that got them
                                     from the gate cache runs it again, uncached, first */
    const char *const *key_env;   /* environment variables its result depends on: each one
                                     set joins its cache key; NULL: none */
} gate_def;

extern const gate_def gate_pipeline[];
extern const size_t gate_pipeline_len;

/* The gate called name, or NULL. */
const gate_def *gate_find(const char *name);

#endif
