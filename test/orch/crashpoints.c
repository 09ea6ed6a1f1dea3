/* crashpoints — named pauses at the loop's commit and clean-up moments, for
 * the crash-injection campaign (test/crash/crash.sh). Test-only: linked
 * into evo-fake alone, with the linker's --wrap (test/orch/module.mk), so
 * the real evo binary has no such hook.
 *
 * EVO_FAKE_PAUSE=<point> and EVO_FAKE_PAUSE_FILE=<file>: when evo reaches
 * <point>, it appends "<point> <pid>" to <file> and sleeps until it is
 * killed, so a SIGKILL lands exactly there. The points, each a call of
 * tools/orch/repo.h from outside repo.c:
 *   merge / merged          before / after repo_merge (the winner's commit)
 *   record / recorded       before / after repo_commit_edits (a log commit)
 *   publish / published     before / after repo_set_tip (a branch moves)
 *   cleanup / cleaned       before / after repo_slot_remove (a slot goes)
 *   sync / synced           before / after repo_worktree_sync (the core worktree)
 *   overlay / overlaid      before / after repo_commit_overlay (PARENT=topk: a slot's
 *                           start from another design, or such a winner's commit)
 *   keep / kept             before / after repo_passed_set (a passed design's ref)
 *   prune / pruned          before / after repo_passed_drop (a ref out of the top K)
 * Unset, every wrapper only calls the real function. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "orch/repo.h"

int __real_repo_merge(repo *r, const char *branch, const git_oid *onto, const git_oid *slot,
                      const repo_edit *edits, size_t nedits, const char *message, git_oid *out, char *err, size_t n);
int __wrap_repo_merge(repo *r, const char *branch, const git_oid *onto, const git_oid *slot,
                      const repo_edit *edits, size_t nedits, const char *message, git_oid *out, char *err, size_t n);
int __real_repo_commit_edits(repo *r, const char *branch, const git_oid *expect, const repo_edit *edits,
                             size_t nedits, const char *message, git_oid *out, char *err, size_t n);
int __wrap_repo_commit_edits(repo *r, const char *branch, const git_oid *expect, const repo_edit *edits,
                             size_t nedits, const char *message, git_oid *out, char *err, size_t n);
int __real_repo_set_tip(repo *r, const char *branch, const git_oid *expect, const git_oid *to, char *err, size_t n);
int __wrap_repo_set_tip(repo *r, const char *branch, const git_oid *expect, const git_oid *to, char *err, size_t n);
int __real_repo_slot_remove(repo *r, const char *id, char *err, size_t n);
int __wrap_repo_slot_remove(repo *r, const char *id, char *err, size_t n);
int __real_repo_worktree_sync(const char *wt_path, char *err, size_t n);
int __wrap_repo_worktree_sync(const char *wt_path, char *err, size_t n);
int __real_repo_commit_overlay(repo *r, const char *branch, const git_oid *onto, const git_oid *from,
                               const char *const *dirs, const repo_edit *edits, size_t nedits, const char *message,
                               git_oid *out, char *err, size_t n);
int __wrap_repo_commit_overlay(repo *r, const char *branch, const git_oid *onto, const git_oid *from,
                               const char *const *dirs, const repo_edit *edits, size_t nedits, const char *message,
                               git_oid *out, char *err, size_t n);
int __real_repo_passed_set(repo *r, const char *target, const char *id, const git_oid *commit, char *err, size_t n);
int __wrap_repo_passed_set(repo *r, const char *target, const char *id, const git_oid *commit, char *err, size_t n);
int __real_repo_passed_drop(repo *r, const char *target, const char *id, char *err, size_t n);
int __wrap_repo_passed_drop(repo *r, const char *target, const char *id, char *err, size_t n);

/* Pauses for good when `point` is the one asked for. */
static void crashpoint(const char *point)
{
    const char *want = getenv("EVO_FAKE_PAUSE");
    const char *file = getenv("EVO_FAKE_PAUSE_FILE");
    if (!want || !file || strcmp(want, point) != 0)
        return;
    char *line = fsx_fmt("%s %ld\n", point, (long)getpid());
    if (!line || fsx_append(file, line, strlen(line)) != 0)
        fprintf(stderr, "crashpoint %s: cannot write %s\n", point, file);
    free(line);
    for (;;)
        pause();
}

int __wrap_repo_merge(repo *r, const char *branch, const git_oid *onto, const git_oid *slot,
                      const repo_edit *edits, size_t nedits, const char *message, git_oid *out, char *err, size_t n)
{
    crashpoint("merge");
    int rc = __real_repo_merge(r, branch, onto, slot, edits, nedits, message, out, err, n);
    crashpoint("merged");
    return rc;
}

int __wrap_repo_commit_edits(repo *r, const char *branch, const git_oid *expect, const repo_edit *edits,
                             size_t nedits, const char *message, git_oid *out, char *err, size_t n)
{
    crashpoint("record");
    int rc = __real_repo_commit_edits(r, branch, expect, edits, nedits, message, out, err, n);
    crashpoint("recorded");
    return rc;
}

int __wrap_repo_set_tip(repo *r, const char *branch, const git_oid *expect, const git_oid *to, char *err, size_t n)
{
    crashpoint("publish");
    int rc = __real_repo_set_tip(r, branch, expect, to, err, n);
    crashpoint("published");
    return rc;
}

int __wrap_repo_slot_remove(repo *r, const char *id, char *err, size_t n)
{
    crashpoint("cleanup");
    int rc = __real_repo_slot_remove(r, id, err, n);
    crashpoint("cleaned");
    return rc;
}

int __wrap_repo_worktree_sync(const char *wt_path, char *err, size_t n)
{
    crashpoint("sync");
    int rc = __real_repo_worktree_sync(wt_path, err, n);
    crashpoint("synced");
    return rc;
}

int __wrap_repo_commit_overlay(repo *r, const char *branch, const git_oid *onto, const git_oid *from,
                               const char *const *dirs, const repo_edit *edits, size_t nedits, const char *message,
                               git_oid *out, char *err, size_t n)
{
    crashpoint("overlay");
    int rc = __real_repo_commit_overlay(r, branch, onto, from, dirs, edits, nedits, message, out, err, n);
    crashpoint("overlaid");
    return rc;
}

int __wrap_repo_passed_set(repo *r, const char *target, const char *id, const git_oid *commit, char *err, size_t n)
{
    crashpoint("keep");
    int rc = __real_repo_passed_set(r, target, id, commit, err, n);
    crashpoint("kept");
    return rc;
}

int __wrap_repo_passed_drop(repo *r, const char *target, const char *id, char *err, size_t n)
{
    crashpoint("prune");
    int rc = __real_repo_passed_drop(r, target, id, err, n);
    crashpoint("pruned");
    return rc;
}
