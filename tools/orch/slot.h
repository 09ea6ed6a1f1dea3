/* slot — one slot's life in a round (DESIGN.md §1, tournament.h step 3).
 *
 * Contract:
 *  - slot_start() creates the slot's id and log entry (parent = the commit
 *    it starts from: the round's tip, or with PARENT=topk a commit carrying
 *    another design (parents.h), whose entry id goes to parent_id; the
 *    run's confinement and tool versions) and starts its thread,
 *    which: opens its own repository handle; creates runs/<T>/<id> and the
 *    slot worktree (branch slot/<id> from the parent); runs the hypothesis
 *    phase (the YAML read as untrusted, validated, stored in the entry and
 *    taken out of the worktree, everything else the agent wrote reverted and
 *    reported); runs the implementation phase; commits what the agent left;
 *    checks the sandbox (tree diff, work tree, macro-expanded HDL); exports
 *    the committed tree to a directory only the orchestrator writes; runs
 *    the gates on it (judge.h); and checks that nothing changed the slot's
 *    files while they ran. Each agent phase runs in its own sandbox
 *    (policy.h) with the guard around it (guard.h).
 *  - The first thing that fails decides the slot: broken with the gate
 *    ("hypothesis", "agent", "sandbox" or a gate of the table) in its entry,
 *    cancelled on Ctrl-C, exhausted when the agent has nothing left to
 *    propose (no log line), or fatal (fatal_msg) when the environment
 *    failed. A change to the main checkout sets stop_note: the loop stops
 *    after the round. `finished` is set when the thread ends, whatever the
 *    outcome; `passed` only when every gate passed on an unchanged tree.
 *  - The thread writes only its own tour_slot, its entry, its worktree, its
 *    run directory and the run's scratch directory under its id; it reads
 *    the run's state (tourenv.h). Entry keys are set through records.h.
 *  - slot_join() waits for the thread; slot_drop() removes the worktree and
 *    branch (a failure is a warning: the next run retries); slot_free()
 *    removes the exported tree and frees the slot.
 */
#ifndef ORCH_SLOT_H
#define ORCH_SLOT_H

#include <pthread.h>
#include <stdbool.h>

#include "orch/tourenv.h"

typedef struct {
    tour_env *env;
    int round, slot, round_idx;
    char *id;
    git_oid parent;
    json_t *parent_entry; /* the design it starts from when not the champion (PARENT=topk), else NULL */
    char *wt, *rundir;
    char *tree;        /* the committed tree the gates judge (exported, orchestrator-only) */
    char *writable[3]; /* the current agent phase's writable paths (NULL-terminated) */
    char *home;        /* the current phase's private HOME (a model CLI's), removed after it */
    json_t *entry, *hyp;
    char *hyp_text;
    size_t hyp_len;
    git_oid commit;
    bool passed, fatal, cancelled, tampered, gated, gate_error;
    unsigned from_cache; /* gates of the table whose result came from the gate cache */
    bool exhausted;      /* the agent had nothing left to propose: no log line */
    char *exhausted_why;
    char fatal_msg[TOUR_ERR];
    char stop_note[TOUR_ERR]; /* why the loop must stop after this round */
    double t0, agent_s, pipeline_s, wall;
    pthread_t th;
} tour_slot;

/* s must be zeroed (calloc). Slot number slot_no (1-based) of round `round` (the
 * log's numbering; round_idx is this run's, for progress lines), from the
 * commit `parent` (hex: its 40-hex form), which holds the design of the log
 * entry `from` (NULL: the champion's). 0 when the thread runs; -1 when it
 * could not start (s is then fatal). */
int slot_start(tour_slot *s, tour_env *env, int round, int slot_no, int round_idx, const git_oid *parent,
               const char *hex, const json_t *from);
void slot_join(tour_slot *s);
void slot_drop(tour_slot *s);
void slot_free(tour_slot *s);

#endif
