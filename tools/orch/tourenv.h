/* tourenv — the state one run of the loop shares with its slots and its
 * rounds (tournament.h runs it, slot.h and settle.h use it).
 *
 * Contract:
 *  - tour_run() (tournament.c) fills a tour_env once per run, before the
 *    first round, and frees it at the end; the other modules never create,
 *    free or resize its members.
 *  - While a round's slot threads run, they only read it, apart from the
 *    parts that are safe to share between threads: the scheduler (sched.h),
 *    the progress printer (progress.h), the tool versions (toolver.h) and
 *    the agent provider (agent.h). The log, the summary and the overhead
 *    list change only between rounds, in the thread that runs the loop
 *    (settle.h, tournament.c).
 */
#ifndef ORCH_TOURENV_H
#define ORCH_TOURENV_H

#include <git2.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "accept/accept.h"
#include "agents/agent.h"
#include "orch/executor.h"
#include "orch/lock.h"
#include "orch/policy.h"
#include "orch/progress.h"
#include "records/records.h"
#include "orch/repo.h"
#include "orch/sched.h"
#include "orch/toolver.h"
#include "orch/tournament.h"

/* The size of the loop's error buffers. */
enum { TOUR_ERR = 2048 };

typedef struct {
    const tour_opts *o;
    repo *r; /* the loop thread's handle; a slot thread opens its own */
    char *workdir, *wtroot, *build, *runs, *runs_root, *scratch, *core_wt, *cache_dir;
    policy_paths paths; /* what agents and tools may not touch */
    policy_mode confine;
    json_t *log_schema, *hyp_schema;
    char *hyp_schema_path;
    sched *sched;
    executor *exec; /* NULL: gates run in this process (EXECUTOR=local) */
    toolver *tools;
    progress *prog;
    agent_provider *agent;
    json_t *tools_json;
    char harness_id[96];
    accept_targets targets;
    records_log log;
    json_t *core_cfg;
    lock_handle lock;
    json_t *summary;  /* this run's entries, for the closing table */
    double *overhead; /* per slot, seconds */
    size_t noverhead;
    int agent_failed_rounds; /* rounds in a row whose every slot the agent failed (tournament.c) */
    bool stop_done;   /* stop_msg is a normal end (nothing left to try), not an error */
    char stop_msg[TOUR_ERR];
} tour_env;

/* The 40-hex form of id (malloc'd; NULL when out of memory). */
static inline char *tourenv_oid_hex(const git_oid *id)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    return strdup(hex);
}

#endif
