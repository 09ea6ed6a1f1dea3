/* parents — which design each slot of a round starts from (PARENT=,
 * DESIGN.md §4).
 *
 * Contract:
 *  - PARENT=champion (tour_opts.parent_k 0): every slot starts from the tip
 *    of core-<T>; nothing here reads or writes a ref.
 *  - PARENT=topk:K: parents_plan(), at the start of each round, rebuilds the
 *    best K designs from the run's log (records_topk) and the refs
 *    refs/evo/<T>/passed/<id> that keep their commits (repo.h), and deletes
 *    every other ref of that namespace (designs that fell out of the top K,
 *    and refs of ids never logged: a run killed before its round was
 *    published). A top-K design whose ref is missing is not offered; the
 *    progress line says so and the round goes on.
 *  - The pick is a function of the round and slot numbers only, so a run
 *    is reproducible: slot 1 starts from the champion; slot s >= 2 from
 *    offered design number ((round - 1) x (slots - 1) + s - 2) mod m, the m
 *    offered designs being the champion first, then best first. Over the
 *    rounds every offered design gets slots.
 *  - A slot from a design other than the champion starts from a commit made
 *    for it on the tip (parents_base): the tip's tree with cores/<T>/rtl and
 *    cores/<T>/test exactly the design's (repo_commit_overlay), so its
 *    worktree holds the current log, lessons and core.yaml around the
 *    parent's design, and the sandbox diff is against that design. Nothing
 *    is published; no ref points at that commit.
 *  - parents_keep(), after the round's entries joined the run's log and
 *    before core-<T> moves: a ref for each slot that passed every gate, was
 *    not merged and is in the top K now. parents_prune(), after the branch
 *    moved, deletes the refs that fell out. A kill in between leaves extra
 *    refs or misses one; neither touches core-<T> or the log, and the next
 *    round's parents_plan() settles them.
 *  - A ref that cannot be read, written or deleted is a warning on the
 *    progress output, never an error: the design is then not offered.
 */
#ifndef ORCH_PARENTS_H
#define ORCH_PARENTS_H

#include "orch/slot.h"
#include "orch/tourenv.h"

typedef struct {
    const json_t *entry; /* the design's log entry (NULL: none yet, the tip) */
    bool champion;       /* the tip of core-<T> */
    git_oid commit;      /* where its cores/<T>/rtl and test are */
} parents_design;

typedef struct {
    parents_design *v; /* v[0] is the champion (the tip) */
    size_t n;
} parents_pool;

/* The designs offered this round (pool->n >= 1 unless out of memory); refs
 * of other designs are deleted. With PARENT=champion, the tip alone. */
void parents_plan(tour_env *env, const git_oid *tip, int round_idx, parents_pool *pool);
void parents_pool_free(parents_pool *pool);

/* The design slot `slot` (1-based) of round `round` with `nslots` slots
 * starts from. */
const parents_design *parents_pick(const parents_pool *pool, int round, int slot, int nslots);

/* The commit a slot from design d starts from: the tip itself for the
 * champion, else a commit on the tip carrying d's rtl/ and test/. 0, or -1
 * with err (git failed: nothing was published). */
int parents_base(tour_env *env, const git_oid *tip, const parents_design *d, git_oid *base, char *err, size_t n);

/* Refs for the round's passed, unmerged slots in the top K (winner: the
 * merged slot's index, -1 for none). */
void parents_keep(tour_env *env, const tour_slot *slots, int k, int winner);
/* Deletes the refs of designs that are not in the top K of the run's log. */
void parents_prune(tour_env *env, int round_idx);

#endif
