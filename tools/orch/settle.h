/* settle — a round's decision and its commits (DESIGN.md §4, tournament.h
 * step 4), and the commit of one log entry.
 *
 * Contract of settle_round(), called once every slot thread has ended:
 *  - Records on every gated slot the id of the cores/<T>/rtl tree the gates
 *    measured (rtl_tree), then decides the round (records_decide over the
 *    slots against the log's champion). A winner whose fitness-deciding
 *    gates (cosim, coremark) came from the gate cache runs them again
 *    uncached; when it no longer passes, the round is decided again without
 *    it. A winner whose gain is inside the P&R noise measured on this core
 *    is placed again with more seeds first (remeasure.h), and the round
 *    decided again on the pooled figures.
 *  - The winner is merged into core-<T> as one commit "<id>: <title>
 *    (+x.x%)" carrying its record: log line, lesson, hypothesis file, and
 *    core.yaml current:. A merge that conflicts makes it a regression
 *    logged like the others. A winner that started from another design
 *    than the champion (PARENT=topk, parents.h) is one commit on the tip
 *    whose cores/<T>/rtl and test are exactly its own (repo_commit_overlay):
 *    never a three-way merge of the two designs.
 *  - With PARENT=topk, refs of the passed, unmerged designs of the top K
 *    are written before the branch moves and the others pruned after it
 *    (parents_keep, parents_prune). Then one "log: <id> <outcome>" commit per other
 *    slot, in slot order; cancelled and exhausted slots get none. The
 *    round's last commit also carries the progress chart. These commits are
 *    built on the tip without moving the branch, which then moves to the
 *    last of them with one compare-and-swap: a round is on core-<T> whole
 *    or not at all, whatever kills the process between two commits.
 *  - Each slot's lesson (agents/scribe.h) compares it with the champion
 *    the round ran against. Each committed entry joins the run's log and
 *    summary (tourenv.h) and is announced on the progress output; the time
 *    spent counts in the slot's wall time.
 *  - Returns 0, or -1 with err on a failure of git or of the disk: the
 *    branch then stays where it was and the run's log and summary are as
 *    before the round. *tip follows the branch.
 * Entry keys are set through records.h only.
 */
#ifndef ORCH_SETTLE_H
#define ORCH_SETTLE_H

#include <stdbool.h>

#include "orch/slot.h"
#include "orch/tourenv.h"

int settle_round(tour_env *env, tour_slot *slots, int k, git_oid *tip, char *err, size_t n);

/* One "log: <id> <outcome>" commit on core-<T> at *tip carrying the entry's
 * record: its log line (validated against the log schema), its lesson
 * line, the hypothesis text when given, core.yaml current: when `current`
 * is given, and the progress chart when `chart`. *tip moves to the new
 * commit. 0, or -1 with err (nothing committed). */
int settle_commit_entry(tour_env *env, json_t *entry, const char *hyp_text, size_t hyp_len,
                        const json_t *current, bool chart, git_oid *tip, char *err, size_t n);

/* Adds a committed entry to the run's log (the champion may change) and
 * to the closing summary. */
void settle_log_add(tour_env *env, json_t *entry);

/* The entry's lesson, from the scribe, against the champion `champ` (NULL:
 * none yet). */
void settle_lesson(json_t *entry, const json_t *champ);

/* The entry's rtl_tree: the id of cores/<T>/rtl in `commit` (left as it
 * is when that tree is missing). */
void settle_rtl_tree(tour_env *env, json_t *entry, const git_oid *commit);

#endif
