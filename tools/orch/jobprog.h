/* jobprog — the progress lines of one gate's tool jobs (orch/executor.h).
 *
 * A formal gate under Slurm runs some seventy proofs as jobs; a line per
 * state change of each would bury the rest of the loop's output.
 *
 * Contract:
 *  - While a gate has started at most JOBPROG_PER_JOB jobs, each state
 *    change is forwarded as is ("<gate>/<label>": "running on node3"), so
 *    P&R's three seeds keep a line each. From the next job on, changes are
 *    summed up in one line for the gate, "<n> jobs: <q> queued (<reason>),
 *    <r> running on <nodes>, <d> done" (the nodes of the running jobs),
 *    sent at most every JOBPROG_SUMMARY_S seconds, and at once when the
 *    queue fills (none queued before) or drains (none queued now).
 *  - jobprog_begin/jobprog_end bracket one job (label unique in the gate's
 *    run); jobprog_notifier is the executor_notify its watcher reports to.
 *    Every function is thread-safe: watchers report from their own threads.
 *  - up NULL or without fn: nothing is printed, the counts are still kept.
 */
#ifndef ORCH_JOBPROG_H
#define ORCH_JOBPROG_H

#include "orch/executor.h"

#define JOBPROG_PER_JOB 3
#define JOBPROG_SUMMARY_S 5.0

typedef struct jobprog jobprog;

jobprog *jobprog_new(const char *gate, const executor_notify *up);
void jobprog_free(jobprog *p);
const executor_notify *jobprog_notifier(jobprog *p);
void jobprog_begin(jobprog *p, const char *label);
void jobprog_end(jobprog *p, const char *label);
/* The summary line as it would be sent now (tests); caller frees. */
char *jobprog_summary(jobprog *p);

#endif
