/* sandbox — what an agent may change, checked before any gate runs.
 *
 * Contract (DESIGN.md §7): compared with the slot's parent commit,
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
 *    test/ in the slot, DPI import/export in any spelling (import/export
 *    followed by a string literal or by a macro), `include of anything but
 *    the plain name of a file in the slot's cores/<T>/rtl/ (test files: or
 *    test/), `line directives (they would misattribute what follows), and
 *    macro token pasting (``), which could assemble any of these; $assert*
 *    control; and
 *    in rtl/ only (the design, not its testbenches) the verification
 *    constructs assume, restrict, bind, force, release and $root, which
 *    would act on the checks around the design. (Known gap: a plain upward
 *    hierarchical reference such as formal_top.x is not detected.)
 *  - sizes: a file under rtl/ or test/ larger than SANDBOX_FILE_MAX, or
 *    rtl/ and test/ together larger than SANDBOX_CORE_MAX (checked from the
 *    object headers, before any blob is read).
 * Comments are ignored by the content scan; strings are ignored except as the
 * arguments checked above. A violation never aborts the scan: the report
 * lists every one ("<path>[:line]: <reason>", separated by "; ").
 * Macros can assemble what the raw text does not show (`A`B, a DPI string in
 * a macro): hdlpre.h runs the preprocessor and applies the same rules to its
 * output through sandbox_scan_expanded.
 * No global state; every function is safe to call from several threads.
 */
#ifndef ORCH_SANDBOX_H
#define ORCH_SANDBOX_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

/* The size limits, in one place: an agent's file is source code, not a data
 * dump, and every byte of it is read into memory by the scan and the tools. */
enum {
    SANDBOX_FILE_MAX = 1 << 20,     /* one file under cores/<T>/rtl/ or test/ */
    SANDBOX_CORE_MAX = 8 << 20,     /* rtl/ and test/ together */
    SANDBOX_EXPANDED_MAX = 32 << 20 /* one preprocessor output (hdlpre.h) */
};

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

/* Where a line of a preprocessor's output came from: the repository path
 * (cores/<T>/rtl/x.sv) and line. Returns false when it is not known (then the
 * scan names the expanded text's own label and line and applies the design
 * rules). */
typedef struct {
    const char *path;
    int line;
} sandbox_origin;
typedef bool (*sandbox_origin_fn)(int line, sandbox_origin *o, void *ctx);

/* The content rules of sandbox_scan_text on a preprocessor's output (label
 * names it when origin does not know a line). Each violation names the
 * original file and line, says "(after macro expansion)", and is reported once
 * even when several preprocessed views repeat it. */
void sandbox_scan_expanded(const char *target, const char *label, const char *text, size_t len,
                           sandbox_origin_fn origin, void *octx, sandbox_exists_fn exists, void *ctx,
                           sandbox_report *rep);

/* Diffs parent_tree -> slot_tree (renames detected) and applies
 * sandbox_check_change to every delta, the size limits to cores/<T>/rtl|test,
 * and sandbox_scan_text to every changed file there. -1 only when git itself
 * fails (err). */
int sandbox_check_trees(git_repository *g, const git_oid *parent_tree, const git_oid *slot_tree,
                        const char *target, sandbox_report *rep, char *err, size_t n);

/* Walks the slot's work tree (after everything was committed) for ignored,
 * uncommitted and special files, symlinks and hard links. */
int sandbox_check_worktree(git_repository *slot, const char *wt_path, const git_oid *slot_tree,
                           sandbox_report *rep, char *err, size_t n);

#endif
