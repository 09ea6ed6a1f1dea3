/* repo — every git operation of the orchestrator, through libgit2 only
 * (never the git CLI, so no hook, filter process or signing prompt can run).
 * The module is called "repo" because the git_ prefix belongs to libgit2.
 *
 * Contract:
 *  - The main checkout (the harness) is only read: its HEAD, index, work tree
 *    and the branch `main` are never modified.
 *  - Each core has branch core-<t> (created from main the first time) checked
 *    out in worktree <wtroot>/<t> (admin name core-<t>). Each slot has branch
 *    slot/<id> and worktree <wtroot>/.slots/<id> (admin name slot-<id>),
 *    created from a given commit, locked with an owner note while in use.
 *  - Commits on core-<t> are built in memory from the branch tip plus edits
 *    and published with a compare-and-swap of the ref (git_reference_create_
 *    matching): a crash or a full disk before that leaves the branch at its
 *    previous commit; the core worktree is then forced to the new tip. So
 *    core-<t> is always at a commit the loop meant to make.
 *  - Author/committer: $EVO_AUTHOR_NAME/$EVO_AUTHOR_EMAIL, else user.name/
 *    user.email from the repository config, else "evo <evo@localhost>".
 *    libgit2 never signs, so no commit waits for a passphrase.
 *  - A repo handle belongs to one thread (libgit2 objects are not shared);
 *    each thread opens its own. Ref updates retry briefly on GIT_ELOCKED, so
 *    two loops on different targets can share the object store and refdb.
 *  - Errors: -1 with err = "<what was being done>: <libgit2 message>".
 */
#ifndef ORCH_REPO_H
#define ORCH_REPO_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/strv.h"

typedef struct repo repo;

/* One file replacement for repo_commit_edits: data == NULL deletes path. */
typedef struct {
    const char *path; /* repository-relative */
    const char *data;
    size_t len;
    unsigned mode; /* 0 = 0100644 */
} repo_edit;

/* A set of strings owned by the caller: a lib/strv.h list in which each
 * string appears once (repo_strs_push copies str unless it is there). */
typedef strv repo_strs;
static inline int repo_strs_push(repo_strs *s, const char *str) { return strv_add_unique(s, str); }
static inline void repo_strs_free(repo_strs *s) { strv_free(s); }

/* Opens the repository whose work tree contains `start` (the main checkout). */
int repo_open(repo **out, const char *start, char *err, size_t n);
void repo_free(repo *r);
git_repository *repo_git(repo *r);
const char *repo_workdir(const repo *r);   /* no trailing slash */
const char *repo_commondir(const repo *r); /* no trailing slash */

/* The identity for the orchestrator's commits (caller frees with git_signature_free). */
int repo_signature(repo *r, git_signature **out, char *err, size_t n);

/* Tip of refs/heads/<branch>: 0, 1 when the branch does not exist, -1 on error. */
int repo_tip(repo *r, const char *branch, git_oid *out, char *err, size_t n);
/* Moves refs/heads/<branch> from `expect` to `to` atomically; -1 if it moved. */
int repo_set_tip(repo *r, const char *branch, const git_oid *expect, const git_oid *to,
                 char *err, size_t n);

/* Makes sure core-<t> exists (from main) and is checked out at <wtroot>/<t>
 * (an existing registration elsewhere is reused). A worktree whose directory
 * vanished is re-created; files that differ from the tip are forced back and
 * listed in *note (malloc'd, NULL when nothing was discarded). */
int repo_core_ensure(repo *r, const char *target, const char *wtroot, char **wt_path,
                     char **note, char *err, size_t n);
/* Forces the worktree at wt_path to its branch tip (files and index). */
int repo_worktree_sync(const char *wt_path, char *err, size_t n);
/* Removes the core worktree registration and directory (the branch stays). */
int repo_core_remove(repo *r, const char *target, char *err, size_t n);

/* Deletes refs/heads/<branch> if it still points at `expect` (a branch this
 * run created and never committed on): 0 deleted or absent, 1 it moved (kept),
 * -1 on error. */
int repo_branch_drop(repo *r, const char *branch, const git_oid *expect, char *err, size_t n);

/* Creates slot/<id> at `from` and its worktree; `owner` is the lock note. */
int repo_slot_add(repo *r, const char *id, const git_oid *from, const char *wtroot,
                  const char *owner, char **wt_path, char *err, size_t n);
/* Deletes the slot's directory, its worktree registration and its branch;
 * any of the three may already be gone, a registration may be half made
 * and the branch's lock file may be stale (a write cut short by a full or
 * read-only disk or a kill): callers hold the target's lock (lock.h), so
 * nothing else is writing them. */
int repo_slot_remove(repo *r, const char *id, char *err, size_t n);
/* Ids of every slot worktree (slot-<id>) or branch (slot/<id>) present. */
int repo_slot_list(repo *r, repo_strs *ids, char *err, size_t n);
/* Opens the slot's repository after checking that its .git file still points
 * at its registration (an agent could rewrite it). */
int repo_slot_open(repo *r, const char *id, const char *wt_path, git_repository **out,
                   char *err, size_t n);
/* Stages everything in the slot's work tree (changes, deletions, untracked
 * files; ignored files stay out) and commits it on slot/<id> as one commit
 * whose only parent is `base` (the champion it started from), whatever the
 * agent committed meanwhile. *changed = false (and *commit = base) when the
 * tree equals base's. Sizes are checked before anything is read: a new or
 * changed file over file_max bytes, or all of them together over total_max,
 * is an error naming the file and the worktree, and nothing is committed. */
int repo_slot_commit(repo *r, const char *id, const char *wt_path, const git_oid *base,
                     unsigned long long file_max, unsigned long long total_max,
                     const char *message, git_oid *commit, bool *changed, char *err, size_t n);

/* Puts the slot back at `base` (branch, index and files; untracked and
 * ignored files removed) and lists, in *changed (malloc'd, NULL when none),
 * the paths that differed: what the hypothesis phase wrote besides the
 * hypothesis file. */
int repo_slot_reset(repo *r, const char *id, const char *wt_path, const git_oid *base,
                    char **changed, char *err, size_t n);
/* Paths of the slot's work tree that differ from its index: modified or
 * deleted tracked files anywhere, and untracked (non-ignored) files under
 * `untracked_under` (a directory prefix). 0 with *list NULL when clean. */
int repo_slot_dirty(repo *r, const char *id, const char *wt_path, const char *untracked_under,
                    char **list, char *err, size_t n);

/* Commits edits on top of branch tip `expect` (in memory; nothing touches a
 * work tree) and moves the branch there if it is still at `expect`. With
 * branch NULL the commit is only written: no ref moves (a caller that makes
 * several commits publishes the last with one repo_set_tip). */
int repo_commit_edits(repo *r, const char *branch, const git_oid *expect,
                      const repo_edit *edits, size_t nedits, const char *message,
                      git_oid *out, char *err, size_t n);

/* Adds cores/<dst>/ as a copy of the listed entries of cores/<src>/ at commit
 * `from` (tree entries copied by id: modes and contents exact), plus edits,
 * committed on branch (tip `expect`). */
int repo_commit_copy(repo *r, const char *branch, const git_oid *expect,
                     const char *src_dir, const char *dst_dir, const char *const *entries,
                     const repo_edit *edits, size_t nedits, const char *message,
                     git_oid *out, char *err, size_t n);

/* Brings slot commit `slot` into `onto` (NULL: the tip of branch), together
 * with `edits` (the slot's record: nedits may be 0), as ONE commit: when
 * `onto` is the slot's parent, the slot's tree plus the edits is committed
 * on it with `message` (a fast forward, re-stamped with the final message);
 * otherwise a merge commit of `onto` and slot (git_merge_commits) whose tree
 * also carries the edits. One commit and, when branch is not NULL, one
 * compare-and-swap of the ref from `onto`: the branch is never at a merged
 * design without its record, whatever kills the process. With branch NULL
 * nothing is published (as repo_commit_edits). Returns 1 when the merge
 * conflicts (nothing changed), 0 when merged, -1 on error. */
int repo_merge(repo *r, const char *branch, const git_oid *onto, const git_oid *slot, const repo_edit *edits,
               size_t nedits, const char *message, git_oid *out, char *err, size_t n);

/* Designs kept for PARENT=topk:K: refs/evo/<t>/passed/<id> points at the
 * slot commit of entry <id>, a design that passed every gate and was not
 * merged. Only the loop holding the target's lock (lock.h) writes them;
 * they are never merged into core-<t> and nothing else reads them.
 * repo_passed_set creates or moves the ref (0, -1 on error);
 * repo_passed_get: 0, 1 when there is none, -1 on error;
 * repo_passed_drop: 0 deleted or absent, -1 on error;
 * repo_passed_list: the ids that have a ref (each a valid ref name part). */
int repo_passed_set(repo *r, const char *target, const char *id, const git_oid *commit, char *err, size_t n);
int repo_passed_get(repo *r, const char *target, const char *id, git_oid *out, char *err, size_t n);
int repo_passed_drop(repo *r, const char *target, const char *id, char *err, size_t n);
int repo_passed_list(repo *r, const char *target, repo_strs *ids, char *err, size_t n);

/* One commit on `onto` (its only parent) whose tree is onto's with each
 * directory dirs[i] (NULL-terminated, repository-relative) replaced by that
 * directory exactly as it is in commit `from` (absent there: absent in the
 * result), plus `edits`. No three-way merge: the result holds from's
 * design and onto's everything else. With branch not NULL the branch moves
 * from `onto` to it (compare-and-swap), as repo_commit_edits. */
int repo_commit_overlay(repo *r, const char *branch, const git_oid *onto, const git_oid *from,
                        const char *const *dirs, const repo_edit *edits, size_t nedits, const char *message,
                        git_oid *out, char *err, size_t n);

/* Content of `path` in commit `at`: 0, 1 when absent, -1 on error. */
int repo_read(repo *r, const git_oid *at, const char *path, char **data, size_t *len,
              char *err, size_t n);
/* Id of the tree or blob at `path` in commit `at` (zero oid when absent). */
int repo_path_id(repo *r, const git_oid *at, const char *path, git_oid *out);
/* Tree id of a commit. */
int repo_commit_tree(repo *r, const git_oid *commit, git_oid *tree, char *err, size_t n);
/* Commit message summary (first line), malloc'd; NULL on error. */
char *repo_commit_summary(repo *r, const git_oid *commit);

/* The harness state for the gate cache: HEAD commit hex, plus "+dirty" when
 * tracked files differ from HEAD. buf >= GIT_OID_HEXSZ + 8. */
int repo_harness_id(repo *r, char *buf, size_t buflen, char *err, size_t n);
/* True when path (relative to the main work tree) is ignored there. */
bool repo_is_ignored(repo *r, const char *path);

/* Human-readable short id. */
void repo_short(const git_oid *id, char buf[12]);

#endif
