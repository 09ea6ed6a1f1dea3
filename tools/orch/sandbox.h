/* sandbox — what an agent may change, checked before any gate runs.
 *
 * Contract (DESIGN.md §1, issue 6): compared with the slot's parent commit,
 * only regular, non-executable files under cores/<T>/rtl/ and cores/<T>/test/
 * may be added, modified or deleted. Everything else is a violation:
 *  - any change outside those two directories (additions, deletions, both
 *    ends of a rename, type changes), with a specific reason for case
 *    variants ("Cores/", "cores/T/RTL/");
 *  - mode changes and new executable files, symlinks (anywhere; the reason
 *    says when one points outside the tree), submodules (gitlinks), any path
 *    component named .git* (.gitattributes, .gitmodules, .gitignore, .git),
 *    ".", ".." or containing a backslash or a control character;
 *  - in the work tree itself: ignored files (outside the harness's own
 *    build/ and runs/ at the top), files left uncommitted, symlinks that were
 *    not committed, hard links, nested git repositories, special files;
 *  - in changed files under rtl/ and test/: HDL that could escape the
 *    harness when simulated or synthesised — $system, Verilator's $c
 *    insertions and `systemc_* blocks, $fopen and file reads, $fwrite/
 *    $fdisplay/$fstrobe/$fmonitor to anything but stdout/stderr, $dump*,
 *    $writemem*, $readmem* of a file that is not inside the core's rtl/ or
 *    test/ in the slot, DPI import/export, `include of an absolute path, a
 *    path with "..", a <system> header or a computed name, and macro token
 *    pasting (``), which could assemble any of these; $assert* control; and
 *    in rtl/ only (the design, not its testbenches) the verification
 *    constructs assume, restrict, bind, force, release and $root, which
 *    would act on the checks around the design. (Known gap: a plain upward
 *    hierarchical reference such as formal_top.x is not detected.)
 * Comments are ignored by the content scan; strings are ignored except as the
 * arguments checked above. A violation never aborts the scan: the report
 * lists every one ("<path>[:line]: <reason>", separated by "; ").
 * No global state; every function is safe to call from several threads.
 */
#ifndef ORCH_SANDBOX_H
#define ORCH_SANDBOX_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *text;   /* "path: reason; path: reason" (NULL when empty) */
    size_t count; /* violations */
    size_t len, cap;
} sandbox_report;

void sandbox_report_add(sandbox_report *r, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sandbox_report_free(sandbox_report *r);

typedef enum {
    SANDBOX_ADDED,
    SANDBOX_DELETED,
    SANDBOX_MODIFIED,
    SANDBOX_RENAMED,
    SANDBOX_TYPECHANGE
} sandbox_change;

/* Checks one change of the tree diff. Paths are repository-relative; for an
 * addition old_path may be NULL, for a deletion new_path. link_target is the
 * symlink's content when new_mode is a symlink (may be NULL). */
void sandbox_check_change(const char *target, sandbox_change kind, const char *old_path,
                          unsigned old_mode, const char *new_path, unsigned new_mode,
                          const char *link_target, sandbox_report *rep);

/* Does a repository-relative file exist in the candidate tree? */
typedef bool (*sandbox_exists_fn)(const char *path, void *ctx);

/* Scans the text of one changed file (path repository-relative). exists may be
 * NULL: then $readmem paths are checked lexically only. */
void sandbox_scan_text(const char *target, const char *path, const char *text, size_t len,
                       sandbox_exists_fn exists, void *ctx, sandbox_report *rep);

/* Diffs parent_tree -> slot_tree (renames detected) and applies
 * sandbox_check_change to every delta and sandbox_scan_text to every changed
 * file under cores/<T>/rtl|test. -1 only when git itself fails (err). */
int sandbox_check_trees(git_repository *g, const git_oid *parent_tree, const git_oid *slot_tree,
                        const char *target, sandbox_report *rep, char *err, size_t n);

/* Walks the slot's work tree (after everything was committed) for ignored,
 * uncommitted and special files, symlinks and hard links. */
int sandbox_check_worktree(git_repository *slot, const char *wt_path, const git_oid *slot_tree,
                           sandbox_report *rep, char *err, size_t n);

#endif
