/* executor — where a gate's heavy work runs: in the orchestrator's own
 * process (local, no executor object) or as a Slurm job (slurm).
 *
 * Contract of the slurm executor:
 *  - executor_run_gate() runs one gate as one `srun` job executing
 *    `<exe> gate <name> ...` (gates/gate_cli.h, the same code as the `gate`
 *    command) on the same exported tree, harness, build and run directory,
 *    which must be on a filesystem the nodes share. The job sees the results
 *    of the earlier gates (--prior) and runs its tools under the same
 *    sandbox policy as locally (--confine, from ctx->confine). Its result is
 *    the gate's own JSON object, read back from the run directory, so
 *    verdicts and figures are those of a local run.
 *  - The job asks for the gate's registry cpus (clamped to the largest node
 *    of the partition), mem_mib (clamped likewise) and a --time of the
 *    gate's timeout plus a margin; its name is <prefix>-<tag>-<gate>, unique
 *    to the run, the slot and the gate.
 *  - An infrastructure fault (srun refused, the node failed, Slurm killed
 *    the job: anything that left no valid result) is retried once; then the
 *    result is an "error" with "infrastructure": true and a diagnostic
 *    beginning "infrastructure:" with Slurm's own words. It is never a
 *    verdict on the design (and so never cached).
 *  - A job that waits for nodes that are down, drained or otherwise
 *    unavailable (Slurm's pending reason says so) for down_s seconds is
 *    scancelled and counts as an infrastructure fault; waiting for busy
 *    resources is not bounded (that is the queue doing its work).
 *  - Cancellation: after proc_cancel_all() the srun is killed (lib/proc.h)
 *    and its job scancelled by name; executor_sweep() scancels every job
 *    still queued or running under <prefix>-<tag>- (a candidate whose
 *    verdict is known), so no job outlives its slot; at the end of a run
 *    (Ctrl-C included) executor_drain() waits until squeue lists none.
 *    A reaper process started by executor_slurm_new() sweeps the run's
 *    jobs when this process ends in any way, kill -9 included (a killed
 *    srun's running job ends with it, but a queued one would stay).
 *  - While a job exists its state is reported through the notify callback
 *    ("queued: <Slurm's reason>", "running on <node>") as it changes.
 *  - Job states come from one squeue call per poll for the whole run,
 *    whatever the number of jobs: a poller thread of the executor lists the
 *    user's jobs every second for 10 s after a job was submitted, then
 *    every 5 s, and not at all while no job runs; each job's watcher reads
 *    its line of that listing. A stopped group's jobs are scancelled within
 *    a quarter of a second (no squeue needed).
 *  - Thread-safe: the executor's settings are read-only after
 *    executor_slurm_new(); its poller, the only part that changes, has a
 *    lock of its own. executor_free() stops the poller (no job may be
 *    running then).
 */
#ifndef ORCH_EXECUTOR_H
#define ORCH_EXECUTOR_H

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>

#include "gates/registry.h"

typedef struct executor executor;

typedef struct {
    const char *partition; /* NULL or "": the cluster's default partition */
    const char *extra;     /* extra srun arguments, split at white space; may be NULL */
    const char *exe;       /* the program whose "gate" command runs a gate (evo itself) */
    const char *prefix;    /* job name prefix, e.g. "evo-<target>-<pid>" */
    double down_s;         /* a job may wait this long for unavailable nodes; <= 0: 300 s */
} executor_slurm_opts;

/* Called from the thread that runs the gate, with "queued: ..." or
 * "running on ..." when a job's state changes. */
typedef struct {
    void (*fn)(void *ctx, const char *gate, const char *state);
    void *ctx;
} executor_notify;

/* Checks that srun, squeue and scancel are installed, reads the
 * partition's largest node (CPUs, memory; unknown ones are not clamped) and
 * starts the reaper and the (idle) poller. NULL with err when Slurm cannot
 * be used. */
executor *executor_slurm_new(const executor_slurm_opts *o, char *err, size_t n);
void executor_free(executor *x);

/* The CPUs a job of def gets: def->cpus clamped to the node. */
int executor_cpus(const executor *x, const gate_def *def);

/* Runs def on ctx (ctx->jobs, ctx->timeout_s set) in a job named
 * <prefix>-<tag>-<def->name>. Always returns a result object (see the
 * contract), NULL only when out of memory. Once *stop is set (by the
 * caller, which then sweeps the tag's jobs) a job that ends without a
 * result is not retried: the result is an "error" with "stopped": true. */
json_t *executor_run_gate(const executor *x, const gate_def *def, const gate_ctx *ctx, const char *tag,
                          const atomic_bool *stop, const executor_notify *notify);

/* scancels every job of this run whose name begins <prefix>-<tag>- (tag
 * NULL: every job of the run) that squeue lists, in any state. Returns how
 * many it listed. */
int executor_sweep(const executor *x, const char *tag);

/* Sweeps until squeue has listed none of those jobs twice in a row (a
 * cancelled job stays listed while it completes), for at most limit_s
 * seconds. Returns how many were still listed then (0: all gone). */
int executor_drain(const executor *x, const char *tag, double limit_s);

/* How long the end of a run waits for its cancelled jobs to leave squeue. */
#define EXECUTOR_DRAIN_S 20.0

/* A gate whose registry entry has tool_job_cpus runs in the orchestrator
 * with ctx->launcher = &t->launcher: each tool run it makes is a job named
 * <prefix>-<tag>-<gate>-<label> of tool_job_cpus CPUs,
 * running `<exe> gate exec` (gates/gate_cli.h), which runs the tool in the
 * same sandbox with the same extra environment and hands back its outcome,
 * so the gate judges it as if it had run here. The job's output goes to
 * <rundir>/<gate>-<label>.job.log, appended to spec->log_path when the job
 * is over (kept, and named there, after an infrastructure failure). A
 * job that leaves no outcome is retried once, then the run is an
 * infrastructure failure (proc_launcher); once the run's spec->group is
 * stopped its job, queued or running, is scancelled and the run comes back
 * cancelled (a formal proof after another check failed). Whole-gate and
 * tool jobs share the same attempt and retry rule. Their states are
 * notified as "<gate>/<label>" while the gate has had a few jobs, then
 * summed up per gate (orch/jobprog.h). t must outlive the gate's run;
 * executor_tools_free releases it. */
struct jobprog;
typedef struct {
    proc_launcher launcher;
    const executor *x;
    const gate_def *def;
    const char *tag, *rundir, *harness;
    const atomic_bool *stop;
    struct jobprog *progress;
} executor_tools;

void executor_tools_init(executor_tools *t, const executor *x, const gate_def *def, const gate_ctx *ctx,
                         const char *tag, const atomic_bool *stop, const executor_notify *notify);
void executor_tools_free(executor_tools *t);

#endif
