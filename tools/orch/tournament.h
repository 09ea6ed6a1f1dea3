/* tournament — the loop: N rounds of K slots on one core (DESIGN.md §1).
 * The run (set-up, lock, resume, rounds, stop) is tournament.c's; a
 * slot's life is slot.h's, a round's decision and its commits settle.h's,
 * one design through the gates judge.h's, and every log entry field is
 * written by records.h.
 *
 * Contract of tour_run():
 *  1. Refuses a target that is not a valid core name (records.h: names map
 *     one-to-one onto slot ids). Takes the target's lock, removes slot
 *     worktrees, branches, exported trees (runs/<T>/.evo/trees) and the
 *     git lock files of its branches and worktrees (<ref>.lock, index.lock)
 *     left by an interrupted run of this target, naming each,
 *     makes sure core-<T> and its worktree exist (forking cores/<BASE> when
 *     asked) and reads the log; a line it cannot read whole (invalid JSON,
 *     NUL byte, invalid UTF-8, schema mismatch) stops it with file:line,
 *     before anything is committed.
 *  2. A core with an empty log is measured first through every gate and
 *     logged as round 0 (the first champion when it passes).
 *  3. Each round: K slot threads, each in its own worktree (branch
 *     slot/<id>, from the tip of core-<T>, or with PARENT=topk:K for slots
 *     2.. from one of the best K designs: parents.h): hypothesis phase (validated
 *     YAML, everything else the agent wrote reverted and reported),
 *     implementation phase, commit of everything the agent left, sandbox
 *     (tree diff, work tree and guard checks), then the gate pipeline, whose
 *     gates share the machine's cores through one scheduler.
 *     Where the hypothesis is written: in the slot worktree
 *     (<slot>/cores/<T>/experiments/hypotheses/<id>.yaml), not in the main
 *     checkout as the reference contract sketches. Concurrent slots and loops then
 *     never write into the shared checkout, so the guard can treat any
 *     change there as tampering; the loop takes the file out of the slot
 *     before the sandbox check and commits it on core-<T> with the slot's
 *     log line (and a copy stays in runs/<T>/<id>/hypothesis.yaml).
 *  4. Each round first checks that the tip's cores/<T>/rtl tree is the one
 *     the log's champion was measured on (its rtl_tree, or its commit's for
 *     older entries), and refuses to run otherwise: slots are judged against
 *     the recorded champion (whatever design they started from). At most one winner
 *     per round (accept_pick); it is merged into core-<T> as one commit
 *     "<id>: <title> (+x.x%)" that also carries its record (log line,
 *     hypothesis file, lesson, core.yaml current:); then one
 *     "log: <id> <outcome>" commit per other slot, in slot order (the chart
 *     with the round's last commit), published together: the branch moves
 *     once per round. Every slot worktree and branch is removed. Agent-written text is checked for control characters before
 *     it is stored and escaped before it is printed (safetext.h).
 *  5. Ctrl-C: running tools are killed, the round is discarded, core-<T>
 *     stays at its last commit, exit status 2. A failure of the environment
 *     (full disk, unwritable run directory, git error) stops the loop at a
 *     round boundary with a message naming the file and the cause; the
 *     branch is never left half-updated (see repo.h).
 * Returns 0 when every requested round ran, 1 on an error (err), 2 when
 * interrupted.
 */
#ifndef ORCH_TOURNAMENT_H
#define ORCH_TOURNAMENT_H

#include <stdbool.h>
#include <stdio.h>

#include "gates/registry.h"
#include "orch/repo.h"
#include "records/records.h"

typedef struct {
    const char *target;
    const char *base;      /* fork from cores/<base> when cores/<target> does not exist */
    int rounds;            /* 0: only fork and/or measure round 0 */
    int slots;
    const char *agent;     /* provider spec */
    double lut, coremark;  /* targets from the command line; 0 = take core.yaml's */
    double margin;         /* 0 = ACCEPT_DEFAULT_MARGIN; < 0 = none */
    double remeasure;      /* re-measure a winner whose gain is under this many times the
                              core's seed spread (orch/remeasure.h); 0 = the default; < 0 = never */
    const char *wtroot;    /* NULL: <repo>/.worktrees */
    const char *build;     /* NULL: <repo>/build */
    const gate_def *gates;
    size_t ngates;
    int cores;             /* 0: online CPUs */
    double agent_timeout;  /* per phase, seconds */
    bool quick, overlap, cache;
    bool check_tools;      /* refuse to start when a gate's tool is not installed */
    bool unconfined;       /* CONFINE=off: agents and tools run without the sandbox (recorded) */
    bool agent_net;        /* AGENT_NET=1: cmd: agents keep the network */
    const char *executor;  /* "local" or NULL: gates run here; "slurm": as Slurm jobs (orch/executor.h) */
    const char *partition; /* slurm: the partition; NULL: the cluster's default */
    const char *slurm_args;/* slurm: extra srun arguments */
    double slurm_down_s;   /* slurm: seconds a job may wait for unavailable nodes; 0: the default */
    int parent_k;          /* PARENT=topk:K: K (>= 2); 0: every slot starts from the champion */
    FILE *out;
} tour_opts;

int tour_run(const char *repo_path, const tour_opts *o, char *err, size_t n);

/* Removes the target's slot worktrees/branches and its core worktree
 * (the branch core-<T> stays). */
int tour_clean(const char *repo_path, const char *target, FILE *out, char *err, size_t n);

/* Reads cores/<T>/experiments/log.jsonl from the tip of core-<T> (or main
 * when the branch does not exist yet); warnings go to `warn`. 1 when there
 * is neither a branch nor a log. */
int tour_load_log(repo *r, const char *target, const json_t *schema, records_log *log,
                  FILE *warn, char *err, size_t n);

/* Prints the cores on main and their branches (`make loop` without TARGET). */
int tour_list(const char *repo_path, FILE *out, char *err, size_t n);

#endif
