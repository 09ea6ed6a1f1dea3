/* repo.c — see repo.h. */
#include "orch/repo.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "lib/blobid.h"
#include "lib/fsx.h"

struct repo {
    git_repository *git;
    char *workdir;
    char *commondir;
};

/* Formats "<what>: <libgit2's last error>" into err; always returns -1. */
static int repo_fail(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int repo_fail(char *err, size_t n, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const git_error *e = git_error_last();
    snprintf(err, n, "%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
    return -1;
}

static char *repo_strip_slash(const char *p)
{
    char *s = strdup(p);
    if (!s)
        return NULL;
    size_t len = strlen(s);
    while (len > 1 && s[len - 1] == '/')
        s[--len] = '\0';
    return s;
}

void repo_short(const git_oid *id, char buf[12])
{
    git_oid_tostr(buf, 12, id);
    buf[10] = '\0';
}

int repo_open(repo **out, const char *start, char *err, size_t n)
{
    *out = NULL;
    git_repository *g = NULL;
    if (git_repository_open_ext(&g, start, 0, NULL) != 0)
        return repo_fail(err, n, "opening the git repository at %s (evo runs from the project's main checkout)", start);
    if (git_repository_is_bare(g) || git_repository_is_worktree(g)) {
        snprintf(err, n, "%s is a %s; run evo from the project's main checkout",
                 git_repository_path(g), git_repository_is_bare(g) ? "bare repository" : "linked worktree");
        git_repository_free(g);
        return -1;
    }
    repo *r = calloc(1, sizeof *r);
    if (!r || !(r->workdir = repo_strip_slash(git_repository_workdir(g))) ||
        !(r->commondir = repo_strip_slash(git_repository_commondir(g)))) {
        if (r)
            free(r->workdir);
        free(r);
        git_repository_free(g);
        snprintf(err, n, "out of memory");
        return -1;
    }
    r->git = g;
    *out = r;
    return 0;
}

void repo_free(repo *r)
{
    if (!r)
        return;
    git_repository_free(r->git);
    free(r->workdir);
    free(r->commondir);
    free(r);
}

git_repository *repo_git(repo *r) { return r->git; }
const char *repo_workdir(const repo *r) { return r->workdir; }
const char *repo_commondir(const repo *r) { return r->commondir; }

static int repo_sig(git_repository *g, git_signature **out, char *err, size_t n)
{
    const char *name = getenv("EVO_AUTHOR_NAME"), *email = getenv("EVO_AUTHOR_EMAIL");
    if (name && *name && email && *email) {
        if (git_signature_now(out, name, email) != 0)
            return repo_fail(err, n, "EVO_AUTHOR_NAME/EVO_AUTHOR_EMAIL ('%s' <%s>)", name, email);
        return 0;
    }
    if (git_signature_default(out, g) == 0)
        return 0;
    if (git_signature_now(out, "evo", "evo@localhost") != 0)
        return repo_fail(err, n, "creating the commit identity");
    return 0;
}

int repo_signature(repo *r, git_signature **out, char *err, size_t n)
{
    return repo_sig(r->git, out, err, n);
}

static char *repo_ref_name(const char *branch) { return fsx_fmt("refs/heads/%s", branch); }

int repo_tip(repo *r, const char *branch, git_oid *out, char *err, size_t n)
{
    char *name = repo_ref_name(branch);
    int rc = git_reference_name_to_id(out, r->git, name);
    if (rc == GIT_ENOTFOUND) {
        free(name);
        return 1;
    }
    if (rc != 0) {
        repo_fail(err, n, "reading branch %s", branch);
        free(name);
        return -1;
    }
    free(name);
    return 0;
}

/* Runs a ref update, retrying while another process holds a ref lock
 * (packed-refs is shared by every loop). */
static int repo_ref_retry(int (*fn)(void *), void *ctx)
{
    int rc = 0;
    for (int attempt = 0; attempt < 100; attempt++) {
        rc = fn(ctx);
        if (rc != GIT_ELOCKED)
            return rc;
        usleep(20000);
    }
    return rc;
}

typedef struct {
    git_repository *g;
    const char *name;
    const git_oid *to, *expect;
    int force;
    const char *msg;
} repo_refop;

static int repo_refop_set(void *p)
{
    repo_refop *o = p;
    git_reference *ref = NULL;
    int rc = o->expect
        ? git_reference_create_matching(&ref, o->g, o->name, o->to, o->force, o->expect, o->msg)
        : git_reference_create(&ref, o->g, o->name, o->to, o->force, o->msg);
    git_reference_free(ref);
    return rc;
}

static int repo_refop_delete(void *p)
{
    repo_refop *o = p;
    git_reference *ref = NULL;
    int rc = git_reference_lookup(&ref, o->g, o->name);
    if (rc == 0)
        rc = git_reference_delete(ref);
    git_reference_free(ref);
    return rc == GIT_ENOTFOUND ? 0 : rc;
}

int repo_set_tip(repo *r, const char *branch, const git_oid *expect, const git_oid *to,
                 char *err, size_t n)
{
    char *name = repo_ref_name(branch);
    repo_refop op = {r->git, name, to, expect, 1, "evo"};
    int rc = repo_ref_retry(repo_refop_set, &op);
    if (rc == GIT_EMODIFIED) {
        snprintf(err, n, "branch %s moved while evo was updating it (another process committed "
                 "on it?); nothing was changed", branch);
        free(name);
        return -1;
    }
    if (rc != 0) {
        repo_fail(err, n, "updating branch %s", branch);
        free(name);
        return -1;
    }
    free(name);
    return 0;
}

static int repo_prune(git_worktree *wt, char *err, size_t n)
{
    git_worktree_prune_options po;
    git_worktree_prune_options_init(&po, GIT_WORKTREE_PRUNE_OPTIONS_VERSION);
    po.flags = GIT_WORKTREE_PRUNE_VALID | GIT_WORKTREE_PRUNE_LOCKED;
    if (git_worktree_prune(wt, &po) != 0)
        return repo_fail(err, n, "pruning worktree %s", git_worktree_name(wt));
    return 0;
}

/* Opens a worktree's repository and checks HEAD is refs/heads/<branch>. */
static int repo_open_wt_checked(const char *wt_path, const char *branch, git_repository **out,
                                char *err, size_t n)
{
    *out = NULL;
    git_repository *w = NULL;
    if (git_repository_open_ext(&w, wt_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return repo_fail(err, n, "opening worktree %s", wt_path);
    git_reference *head = NULL;
    int rc = git_reference_lookup(&head, w, "HEAD");
    const char *target = rc == 0 ? git_reference_symbolic_target(head) : NULL;
    char *want = repo_ref_name(branch);
    if (!target || strcmp(target, want) != 0) {
        snprintf(err, n, "worktree %s is not on branch %s (HEAD: %s); run 'evo clean' for this target",
                 wt_path, branch, target ? target : "detached");
        git_reference_free(head);
        git_repository_free(w);
        free(want);
        return -1;
    }
    free(want);
    git_reference_free(head);
    *out = w;
    return 0;
}

static int repo_checkout_force(git_repository *w, bool remove_untracked, char *err, size_t n)
{
    git_checkout_options co;
    git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
    co.checkout_strategy = GIT_CHECKOUT_FORCE | (remove_untracked ? GIT_CHECKOUT_REMOVE_UNTRACKED : 0);
    if (git_checkout_head(w, &co) != 0)
        return repo_fail(err, n, "checking out %s", git_repository_workdir(w));
    return 0;
}

int repo_worktree_sync(const char *wt_path, char *err, size_t n)
{
    git_repository *w = NULL;
    if (git_repository_open_ext(&w, wt_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return repo_fail(err, n, "opening worktree %s", wt_path);
    int rc = repo_checkout_force(w, false, err, n);
    git_repository_free(w);
    return rc;
}

/* A directory that is in the way of a new worktree: removed when it is empty
 * or an abandoned worktree of ours (it has a .git file), refused otherwise. */
static int repo_clear_path(const char *path, char *err, size_t n)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    char *gitfile = fsx_fmt("%s/.git", path);
    struct stat gs;
    bool ours = gitfile && lstat(gitfile, &gs) == 0 && S_ISREG(gs.st_mode);
    free(gitfile);
    if (!ours && !(S_ISDIR(st.st_mode) && rmdir(path) == 0)) {
        snprintf(err, n, "%s is in the way of a worktree and is not one of evo's; move it away", path);
        return -1;
    }
    if (ours && fsx_remove_tree(path) != 0) {
        snprintf(err, n, "removing the abandoned worktree %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int repo_wt_add(repo *r, const char *name, const char *branch, const char *path,
                       git_worktree **out, char *err, size_t n)
{
    char *refname = repo_ref_name(branch);
    git_reference *ref = NULL;
    int rc = git_reference_lookup(&ref, r->git, refname);
    free(refname);
    if (rc != 0)
        return repo_fail(err, n, "looking up branch %s", branch);
    git_worktree_add_options o;
    git_worktree_add_options_init(&o, GIT_WORKTREE_ADD_OPTIONS_VERSION);
    o.ref = ref;
    o.checkout_options.checkout_strategy = GIT_CHECKOUT_FORCE;
    /* libgit2 refuses a branch "already checked out" after opening every
     * registered worktree, and a worktree another slot thread is creating at
     * that moment can make it say so for a branch made an instant ago. It
     * checks before it writes anything, so trying again is safe; a branch
     * really checked out elsewhere still fails, a second later. */
    for (int attempt = 0;; attempt++) {
        rc = git_worktree_add(out, r->git, name, path, &o);
        const git_error *e = git_error_last();
        if (rc == 0 || attempt >= 20 || !e || !e->message || !strstr(e->message, "already checked out"))
            break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    git_reference_free(ref);
    if (rc != 0)
        return repo_fail(err, n, "adding worktree %s at %s for branch %s", name, path, branch);
    return 0;
}

/* Lists what differs from HEAD in a worktree (for the recovery note). */
static char *repo_dirty_list(git_repository *w)
{
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    git_status_list *sl = NULL;
    if (git_status_list_new(&sl, w, &so) != 0)
        return fsx_fmt("(status unavailable)");
    size_t cnt = git_status_list_entrycount(sl);
    char *list = NULL;
    for (size_t i = 0; i < cnt && i < 20; i++) {
        const git_status_entry *e = git_status_byindex(sl, i);
        const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
        const char *p = d ? (d->new_file.path ? d->new_file.path : d->old_file.path) : "?";
        char *nl = fsx_fmt("%s%s%s", list ? list : "", list ? ", " : "", p);
        free(list);
        list = nl;
    }
    if (cnt > 20) {
        char *nl = fsx_fmt("%s and %zu more", list, cnt - 20);
        free(list);
        list = nl;
    }
    git_status_list_free(sl);
    return list;
}

int repo_core_ensure(repo *r, const char *target, const char *wtroot, char **wt_path,
                     char **note, char *err, size_t n)
{
    *wt_path = NULL;
    *note = NULL;
    char *branch = fsx_fmt("core-%s", target);
    char *name = fsx_fmt("core-%s", target);
    git_oid tip;
    int rc = repo_tip(r, branch, &tip, err, n);
    if (rc == 1) {
        git_oid main_tip;
        int mrc = repo_tip(r, "main", &main_tip, err, n);
        if (mrc != 0) {
            if (mrc == 1)
                snprintf(err, n, "the repository has no branch 'main' to start core-%s from", target);
            rc = -1;
            goto out;
        }
        char *refname = repo_ref_name(branch);
        repo_refop op = {r->git, refname, &main_tip, NULL, 0, "evo: branch from main"};
        int crc = repo_ref_retry(repo_refop_set, &op);
        free(refname);
        if (crc != 0 && crc != GIT_EEXISTS) {
            rc = repo_fail(err, n, "creating branch %s from main", branch);
            goto out;
        }
        rc = 0;
    }
    if (rc != 0)
        goto out;

    git_worktree *wt = NULL;
    if (git_worktree_lookup(&wt, r->git, name) == 0) {
        if (git_worktree_validate(wt) != 0) {
            rc = repo_prune(wt, err, n);
            git_worktree_free(wt);
            wt = NULL;
            if (rc != 0)
                goto out;
        }
    }
    if (!wt) {
        char *path = fsx_fmt("%s/%s", wtroot, target);
        if (fsx_mkdirs(wtroot, 0755) != 0) {
            snprintf(err, n, "creating worktree directory %s: %s", wtroot, strerror(errno));
            free(path);
            rc = -1;
            goto out;
        }
        rc = repo_clear_path(path, err, n);
        if (rc == 0)
            rc = repo_wt_add(r, name, branch, path, &wt, err, n);
        free(path);
        if (rc != 0)
            goto out;
    }
    *wt_path = repo_strip_slash(git_worktree_path(wt));
    git_worktree_free(wt);

    git_repository *w = NULL;
    rc = repo_open_wt_checked(*wt_path, branch, &w, err, n);
    if (rc != 0)
        goto out;
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    git_status_list *sl = NULL;
    if (git_status_list_new(&sl, w, &so) != 0) {
        rc = repo_fail(err, n, "reading the status of %s", *wt_path);
    } else if (git_status_list_entrycount(sl) > 0) {
        char *list = repo_dirty_list(w);
        *note = fsx_fmt("the core worktree %s differed from core-%s (an interrupted run?); "
                        "restored to the branch tip, discarding: %s", *wt_path, target, list ? list : "?");
        free(list);
        rc = repo_checkout_force(w, true, err, n);
    }
    git_status_list_free(sl);
    git_repository_free(w);
out:
    if (rc != 0) {
        free(*wt_path);
        *wt_path = NULL;
    }
    free(branch);
    free(name);
    return rc;
}

int repo_core_remove(repo *r, const char *target, char *err, size_t n)
{
    char *name = fsx_fmt("core-%s", target);
    git_worktree *wt = NULL;
    int rc = 0;
    if (git_worktree_lookup(&wt, r->git, name) == 0) {
        char *path = repo_strip_slash(git_worktree_path(wt));
        const char *base = path ? strrchr(path, '/') : NULL;
        if (base && strcmp(base + 1, target) == 0 && fsx_remove_tree(path) != 0) {
            snprintf(err, n, "removing %s: %s", path, strerror(errno));
            rc = -1;
        }
        free(path);
        if (rc == 0)
            rc = repo_prune(wt, err, n);
        git_worktree_free(wt);
    }
    free(name);
    return rc;
}

int repo_branch_drop(repo *r, const char *branch, const git_oid *expect, char *err, size_t n)
{
    git_oid tip;
    int rc = repo_tip(r, branch, &tip, err, n);
    if (rc != 0)
        return rc == 1 ? 0 : -1;
    if (!git_oid_equal(&tip, expect))
        return 1;
    char *refname = repo_ref_name(branch);
    repo_refop op = {r->git, refname, NULL, NULL, 0, NULL};
    rc = repo_ref_retry(repo_refop_delete, &op) == 0 ? 0 : repo_fail(err, n, "deleting branch %s", branch);
    free(refname);
    return rc;
}

/* A registration libgit2 could not finish (an empty .git/worktrees/<name>:
 * a full or read-only disk stopped it) is not found by git_worktree_lookup,
 * so no prune ever removes it: it is removed by name. */
static int repo_drop_admin(repo *r, const char *name, char *err, size_t n)
{
    char *admin = fsx_fmt("%s/worktrees/%s", r->commondir, name);
    struct stat st;
    int rc = 0;
    if (admin && lstat(admin, &st) == 0 && fsx_remove_tree(admin) != 0) {
        snprintf(err, n, "removing the worktree registration %s: %s; remove it by hand", admin, strerror(errno));
        rc = -1;
    }
    free(admin);
    return rc;
}

int repo_slot_add(repo *r, const char *id, const git_oid *from, const char *wtroot,
                  const char *owner, char **wt_path, char *err, size_t n)
{
    *wt_path = NULL;
    char *branch = fsx_fmt("slot/%s", id);
    char *refname = repo_ref_name(branch);
    char *name = fsx_fmt("slot-%s", id);
    char *slots = fsx_fmt("%s/.slots", wtroot);
    char *path = fsx_fmt("%s/%s", slots, id);
    git_worktree *wt = NULL;
    int rc = -1;
    bool made = false;

    /* Leftovers of an earlier run with the same id go first. */
    if (git_worktree_lookup(&wt, r->git, name) == 0) {
        int prc = repo_prune(wt, err, n);
        git_worktree_free(wt);
        wt = NULL;
        if (prc != 0)
            goto out;
    } else if (repo_drop_admin(r, name, err, n) != 0) {
        goto out;
    }
    repo_refop op = {r->git, refname, from, NULL, 1, "evo: slot"};
    if (repo_ref_retry(repo_refop_set, &op) != 0) {
        repo_fail(err, n, "creating branch %s", branch);
        goto out;
    }
    if (fsx_mkdirs(slots, 0755) != 0) {
        snprintf(err, n, "creating %s: %s", slots, strerror(errno));
        goto out;
    }
    if (repo_clear_path(path, err, n) != 0)
        goto out;
    made = true;
    if (repo_wt_add(r, name, branch, path, &wt, err, n) != 0)
        goto out;
    if (git_worktree_lock(wt, owner) != 0) {
        repo_fail(err, n, "locking worktree %s", name);
        goto out;
    }
    *wt_path = repo_strip_slash(git_worktree_path(wt));
    rc = 0;
out:
    /* A checkout that failed half way (a full disk) takes back the directory
     * and the registration it made: nothing of the slot stays on disk. */
    if (rc != 0 && made) {
        char ignored[256];
        git_worktree_free(wt);
        wt = NULL;
        fsx_remove_tree(path);
        if (git_worktree_lookup(&wt, r->git, name) == 0)
            repo_prune(wt, ignored, sizeof ignored);
        repo_drop_admin(r, name, ignored, sizeof ignored);
    }
    git_worktree_free(wt);
    free(branch);
    free(refname);
    free(name);
    free(slots);
    free(path);
    return rc;
}

/* True when path ends in "/.slots/<id>": the only directories this module
 * deletes for a slot, whatever the registration claims. */
static bool repo_is_slot_dir(const char *path, const char *id)
{
    size_t lp = strlen(path), li = strlen(id);
    const char *suffix = "/.slots/";
    size_t ls = strlen(suffix);
    return lp > li + ls && strcmp(path + lp - li, id) == 0 &&
           strncmp(path + lp - li - ls, suffix, ls) == 0;
}

int repo_slot_remove(repo *r, const char *id, char *err, size_t n)
{
    char *name = fsx_fmt("slot-%s", id);
    char *refname = fsx_fmt("refs/heads/slot/%s", id);
    git_worktree *wt = NULL;
    int rc = 0;
    if (git_worktree_lookup(&wt, r->git, name) == 0) {
        char *path = repo_strip_slash(git_worktree_path(wt));
        if (path && repo_is_slot_dir(path, id) && fsx_remove_tree(path) != 0) {
            snprintf(err, n, "removing slot worktree %s: %s", path, strerror(errno));
            rc = -1;
        }
        free(path);
        if (rc == 0)
            rc = repo_prune(wt, err, n);
        git_worktree_free(wt);
    } else {
        rc = repo_drop_admin(r, name, err, n);
    }
    if (rc == 0) {
        /* A write of the branch that was cut short (a disk gone read-only or
         * full, a kill) leaves its lock file, and libgit2 then refuses to
         * touch the branch. Slots are removed under the target's lock, so no
         * one else is writing it: the stale lock goes first. */
        char *lock = fsx_fmt("%s/%s.lock", r->commondir, refname);
        if (lock && unlink(lock) != 0 && errno != ENOENT) {
            snprintf(err, n, "removing the stale lock file %s of branch slot/%s: %s; remove it by hand",
                     lock, id, strerror(errno));
            rc = -1;
        }
        free(lock);
        repo_refop op = {r->git, refname, NULL, NULL, 0, NULL};
        if (rc == 0 && repo_ref_retry(repo_refop_delete, &op) != 0)
            rc = repo_fail(err, n, "deleting branch slot/%s", id);
    }
    free(name);
    free(refname);
    return rc;
}

int repo_slot_list(repo *r, repo_strs *ids, char *err, size_t n)
{
    git_strarray names = {0};
    if (git_worktree_list(&names, r->git) != 0)
        return repo_fail(err, n, "listing worktrees");
    int rc = 0;
    for (size_t i = 0; i < names.count && rc == 0; i++)
        if (strncmp(names.strings[i], "slot-", 5) == 0)
            rc = repo_strs_push(ids, names.strings[i] + 5);
    git_strarray_dispose(&names);

    git_branch_iterator *it = NULL;
    if (rc == 0 && git_branch_iterator_new(&it, r->git, GIT_BRANCH_LOCAL) != 0)
        return repo_fail(err, n, "listing branches");
    git_reference *ref = NULL;
    git_branch_t type;
    while (rc == 0 && git_branch_next(&ref, &type, it) == 0) {
        const char *bn = NULL;
        if (git_branch_name(&bn, ref) == 0 && strncmp(bn, "slot/", 5) == 0)
            rc = repo_strs_push(ids, bn + 5);
        git_reference_free(ref);
    }
    git_branch_iterator_free(it);
    if (rc != 0)
        snprintf(err, n, "out of memory");
    return rc;
}

int repo_slot_open(repo *r, const char *id, const char *wt_path, git_repository **out,
                   char *err, size_t n)
{
    *out = NULL;
    char *gitfile = fsx_fmt("%s/.git", wt_path);
    char *want_admin = fsx_fmt("%s/worktrees/slot-%s", r->commondir, id);
    char *have = NULL;
    struct stat st;
    int rc = -1;
    bool ok = lstat(gitfile, &st) == 0 && S_ISREG(st.st_mode) && fsx_read(gitfile, &have, NULL) == 0 &&
              strncmp(have, "gitdir: ", 8) == 0;
    if (ok) {
        /* "gitdir: <admin dir>[/]\n": libgit2 writes the trailing slash. */
        char *p = have + 8;
        size_t l = strcspn(p, "\n");
        while (l > 1 && p[l - 1] == '/')
            l--;
        ok = l == strlen(want_admin) && strncmp(p, want_admin, l) == 0 && p[strcspn(p, "\n")] == '\n' &&
             p[strcspn(p, "\n") + 1] == '\0';
    }
    if (!ok) {
        snprintf(err, n, "%s was replaced or rewritten (it must point at %s)", gitfile, want_admin);
        goto out;
    }
    git_repository *w = NULL;
    if (git_repository_open_ext(&w, wt_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
        repo_fail(err, n, "opening slot worktree %s", wt_path);
        goto out;
    }
    char *gp = repo_strip_slash(git_repository_path(w));
    char *cd = repo_strip_slash(git_repository_commondir(w));
    if (!gp || !cd || strcmp(gp, want_admin) != 0 || strcmp(cd, r->commondir) != 0) {
        snprintf(err, n, "slot worktree %s resolves to %s, not to %s", wt_path, gp ? gp : "?", want_admin);
        git_repository_free(w);
    } else {
        *out = w;
        rc = 0;
    }
    free(gp);
    free(cd);
out:
    free(gitfile);
    free(want_admin);
    free(have);
    return rc;
}

static int repo_commit_create(git_repository *g, git_oid *out, const git_oid *tree_id,
                              const git_oid *parents, size_t np, const char *message,
                              char *err, size_t n)
{
    git_signature *sig = NULL;
    git_tree *tree = NULL;
    const git_commit *pc[2] = {NULL, NULL};
    git_commit *owned[2] = {NULL, NULL};
    int rc = -1;
    if (repo_sig(g, &sig, err, n) != 0)
        goto out;
    if (git_tree_lookup(&tree, g, tree_id) != 0) {
        repo_fail(err, n, "looking up a tree to commit");
        goto out;
    }
    for (size_t i = 0; i < np && i < 2; i++) {
        if (git_commit_lookup(&owned[i], g, &parents[i]) != 0) {
            repo_fail(err, n, "looking up a parent commit");
            goto out;
        }
        pc[i] = owned[i];
    }
    if (git_commit_create(out, g, NULL, sig, sig, NULL, message, tree, np, pc) != 0) {
        repo_fail(err, n, "writing a commit (is the disk full?)");
        goto out;
    }
    rc = 0;
out:
    git_commit_free(owned[0]);
    git_commit_free(owned[1]);
    git_tree_free(tree);
    git_signature_free(sig);
    return rc;
}

int repo_commit_tree(repo *r, const git_oid *commit, git_oid *tree, char *err, size_t n)
{
    git_commit *c = NULL;
    if (git_commit_lookup(&c, r->git, commit) != 0)
        return repo_fail(err, n, "looking up a commit");
    git_oid_cpy(tree, git_commit_tree_id(c));
    git_commit_free(c);
    return 0;
}

/* What git_index_add_all is about to stage, checked first: a file larger than
 * the limits would be read, hashed and written into the object database
 * whole (gigabytes for an agent that wrote gigabytes) before any check saw it. */
typedef struct {
    const char *wt;
    unsigned long long file_max, total_max, total;
    char *why;
} repo_stage_guard;

static int repo_stage_check(const char *path, const char *spec, void *payload)
{
    (void)spec;
    repo_stage_guard *g = payload;
    char *full = fsx_fmt("%s/%s", g->wt, path);
    struct stat st;
    bool regular = full && lstat(full, &st) == 0 && S_ISREG(st.st_mode);
    unsigned long long sz = regular ? (unsigned long long)st.st_size : 0;
    free(full);
    g->total += sz;
    if (sz > g->file_max)
        g->why = fsx_fmt("%s is %llu bytes in the slot worktree %s, more than the %llu a file of the agent may "
                         "have; nothing was staged (no source file is that large: the slot is refused unread)",
                         path, sz, g->wt, g->file_max);
    else if (g->total > g->total_max)
        g->why = fsx_fmt("the agent's new and changed files in the slot worktree %s pass %llu bytes at %s; "
                         "nothing was staged (the slot is refused unread)", g->wt, g->total_max, path);
    return g->why ? -1 : 0;
}

int repo_slot_commit(repo *r, const char *id, const char *wt_path, const git_oid *base,
                     unsigned long long file_max, unsigned long long total_max,
                     const char *message, git_oid *commit, bool *changed, char *err, size_t n)
{
    git_repository *w = NULL;
    git_index *idx = NULL;
    int rc = -1;
    *changed = false;
    if (repo_slot_open(r, id, wt_path, &w, err, n) != 0)
        return -1;
    git_oid tree, base_tree;
    char *branch = fsx_fmt("refs/heads/slot/%s", id);
    if (git_repository_index(&idx, w) != 0 || git_index_read(idx, 1) != 0) {
        repo_fail(err, n, "reading the index of %s", wt_path);
        goto out;
    }
    repo_stage_guard guard = {wt_path, file_max, total_max, 0, NULL};
    int added = git_index_add_all(idx, NULL, GIT_INDEX_ADD_DEFAULT, repo_stage_check, &guard);
    if (guard.why) {
        snprintf(err, n, "%s", guard.why);
        free(guard.why);
        goto out;
    }
    if (added != 0 || git_index_update_all(idx, NULL, NULL, NULL) != 0 || git_index_write(idx) != 0 ||
        git_index_write_tree(&tree, idx) != 0) {
        repo_fail(err, n, "staging the agent's changes in %s", wt_path);
        goto out;
    }
    if (repo_commit_tree(r, base, &base_tree, err, n) != 0)
        goto out;
    if (git_oid_equal(&tree, &base_tree)) {
        git_oid_cpy(commit, base);
        rc = 0;
        goto out;
    }
    if (repo_commit_create(w, commit, &tree, base, 1, message, err, n) != 0)
        goto out;
    /* Squashed onto the base whatever the agent committed meanwhile. */
    repo_refop op = {w, branch, commit, NULL, 1, "evo: slot commit"};
    if (repo_ref_retry(repo_refop_set, &op) != 0) {
        repo_fail(err, n, "moving slot/%s", id);
        goto out;
    }
    *changed = true;
    rc = 0;
out:
    free(branch);
    git_index_free(idx);
    git_repository_free(w);
    return rc;
}

int repo_slot_reset(repo *r, const char *id, const char *wt_path, const git_oid *base,
                    char **changed, char *err, size_t n)
{
    *changed = NULL;
    git_repository *w = NULL;
    if (repo_slot_open(r, id, wt_path, &w, err, n) != 0)
        return -1;
    int rc = -1;
    char *branch = fsx_fmt("refs/heads/slot/%s", id);
    git_oid head;
    bool moved = git_reference_name_to_id(&head, w, "HEAD") != 0 || !git_oid_equal(&head, base);
    if (moved) {
        repo_refop op = {w, branch, base, NULL, 1, "evo: slot reset"};
        if (repo_ref_retry(repo_refop_set, &op) != 0) {
            repo_fail(err, n, "resetting slot/%s", id);
            goto out;
        }
    }
    char *list = repo_dirty_list(w);
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    git_status_list *sl = NULL;
    size_t cnt = 0;
    if (git_status_list_new(&sl, w, &so) == 0)
        cnt = git_status_list_entrycount(sl);
    git_status_list_free(sl);
    if (cnt > 0 || moved) {
        *changed = moved ? fsx_fmt("%s%scommits on the slot branch", list && cnt ? list : "",
                                   list && cnt ? ", " : "")
                         : list;
        if (moved)
            free(list);
        list = NULL;
    }
    free(list);
    git_checkout_options co;
    git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
    co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED | GIT_CHECKOUT_REMOVE_IGNORED;
    if (git_checkout_head(w, &co) != 0) {
        repo_fail(err, n, "restoring slot worktree %s", wt_path);
        goto out;
    }
    rc = 0;
out:
    free(branch);
    git_repository_free(w);
    return rc;
}

int repo_slot_dirty(repo *r, const char *id, const char *wt_path, const char *untracked_under,
                    char **list, char *err, size_t n)
{
    *list = NULL;
    git_repository *w = NULL;
    if (repo_slot_open(r, id, wt_path, &w, err, n) != 0)
        return -1;
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    git_status_list *sl = NULL;
    if (git_status_list_new(&sl, w, &so) != 0) {
        repo_fail(err, n, "reading the status of %s", wt_path);
        git_repository_free(w);
        return -1;
    }
    size_t cnt = git_status_list_entrycount(sl), ul = strlen(untracked_under);
    char *acc = NULL;
    for (size_t i = 0; i < cnt; i++) {
        const git_status_entry *e = git_status_byindex(sl, i);
        const git_diff_delta *d = e->index_to_workdir;
        if (!d)
            continue;
        const char *p = d->new_file.path ? d->new_file.path : d->old_file.path;
        if ((e->status & GIT_STATUS_WT_NEW) && strncmp(p, untracked_under, ul) != 0)
            continue;
        char *next = fsx_fmt("%s%s%s", acc ? acc : "", acc ? ", " : "", p);
        free(acc);
        acc = next;
    }
    git_status_list_free(sl);
    git_repository_free(w);
    *list = acc;
    return 0;
}

/* Builds a commit from the tip's tree plus a caller-defined change of an
 * in-memory index, then publishes it with a compare-and-swap of the ref. */
typedef int (*repo_prepare_fn)(git_repository *g, git_index *idx, void *ctx, char *err, size_t n);

static int repo_commit_index(repo *r, const char *branch, const git_oid *expect,
                             repo_prepare_fn prepare, void *ctx, const char *message,
                             git_oid *out, char *err, size_t n)
{
    git_commit *tip = NULL;
    git_tree *tree = NULL;
    git_index *idx = NULL;
    int rc = -1;
    git_oid new_tree;
    const char *what = branch ? branch : "a commit";
    if (git_commit_lookup(&tip, r->git, expect) != 0 || git_commit_tree(&tree, tip) != 0) {
        repo_fail(err, n, "reading the tip of %s", what);
        goto out;
    }
    if (git_index_new(&idx) != 0 || git_index_read_tree(idx, tree) != 0) {
        repo_fail(err, n, "loading the tree of %s", what);
        goto out;
    }
    if (prepare(r->git, idx, ctx, err, n) != 0)
        goto out;
    if (git_index_write_tree_to(&new_tree, idx, r->git) != 0) {
        repo_fail(err, n, "writing a tree for %s (is the disk full?)", what);
        goto out;
    }
    if (repo_commit_create(r->git, out, &new_tree, expect, 1, message, err, n) != 0 ||
        (branch && repo_set_tip(r, branch, expect, out, err, n) != 0))
        goto out;
    rc = 0;
out:
    git_index_free(idx);
    git_tree_free(tree);
    git_commit_free(tip);
    return rc;
}

static int repo_apply_edits(git_repository *g, git_index *idx, const repo_edit *e, size_t ne,
                            char *err, size_t n)
{
    for (size_t i = 0; i < ne; i++) {
        if (!e[i].data) {
            if (git_index_remove(idx, e[i].path, 0) != 0 && git_index_remove_directory(idx, e[i].path, 0) != 0)
                return repo_fail(err, n, "removing %s", e[i].path);
            continue;
        }
        git_index_entry ie;
        memset(&ie, 0, sizeof ie);
        if (git_blob_create_from_buffer(&ie.id, g, e[i].data, e[i].len) != 0)
            return repo_fail(err, n, "writing %s into the object store (is the disk full?)", e[i].path);
        ie.mode = e[i].mode ? e[i].mode : GIT_FILEMODE_BLOB;
        ie.path = e[i].path;
        if (git_index_add(idx, &ie) != 0)
            return repo_fail(err, n, "staging %s", e[i].path);
    }
    return 0;
}

typedef struct {
    const repo_edit *edits;
    size_t n;
} repo_edits_ctx;

static int repo_prepare_edits(git_repository *g, git_index *idx, void *p, char *err, size_t n)
{
    repo_edits_ctx *c = p;
    return repo_apply_edits(g, idx, c->edits, c->n, err, n);
}

int repo_commit_edits(repo *r, const char *branch, const git_oid *expect,
                      const repo_edit *edits, size_t nedits, const char *message,
                      git_oid *out, char *err, size_t n)
{
    repo_edits_ctx c = {edits, nedits};
    return repo_commit_index(r, branch, expect, repo_prepare_edits, &c, message, out, err, n);
}

typedef struct {
    git_index *idx;
    const char *dst;
    int failed;
} repo_walk_ctx;

static int repo_copy_cb(const char *root, const git_tree_entry *e, void *p)
{
    repo_walk_ctx *w = p;
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
        return 0;
    git_index_entry ie;
    memset(&ie, 0, sizeof ie);
    char *path = fsx_fmt("%s/%s%s", w->dst, root, git_tree_entry_name(e));
    git_oid_cpy(&ie.id, git_tree_entry_id(e));
    ie.mode = git_tree_entry_filemode(e);
    ie.path = path;
    if (!path || git_index_add(w->idx, &ie) != 0)
        w->failed = 1;
    free(path);
    return w->failed ? -1 : 0;
}

/* Adds every blob of the tree entry te (a directory) to idx under dst.
 * 0, or -1 when te is not a directory or a blob could not be added. */
static int repo_index_add_tree(git_repository *g, git_index *idx, const git_tree_entry *te, const char *dst)
{
    git_tree *sub = NULL;
    repo_walk_ctx w = {idx, dst, 0};
    int rc = git_tree_entry_type(te) != GIT_OBJECT_TREE || git_tree_lookup(&sub, g, git_tree_entry_id(te)) != 0 ||
                     git_tree_walk(sub, GIT_TREEWALK_PRE, repo_copy_cb, &w) != 0 || w.failed
                 ? -1
                 : 0;
    git_tree_free(sub);
    return rc;
}

typedef struct {
    const char *src, *dst;
    const char *const *entries;
    const repo_edit *edits;
    size_t nedits;
    const git_oid *tip;
} repo_copy_ctx;

static int repo_prepare_copy(git_repository *g, git_index *idx, void *p, char *err, size_t n)
{
    repo_copy_ctx *c = p;
    git_commit *tip = NULL;
    git_tree *root = NULL;
    int rc = 0;
    if (git_commit_lookup(&tip, g, c->tip) != 0 || git_commit_tree(&root, tip) != 0) {
        git_commit_free(tip);
        return repo_fail(err, n, "reading the source tree");
    }
    for (const char *const *en = c->entries; *en && rc == 0; en++) {
        char *src = fsx_fmt("%s/%s", c->src, *en);
        char *dst = fsx_fmt("%s/%s", c->dst, *en);
        git_tree_entry *te = NULL;
        if (git_tree_entry_bypath(&te, root, src) != 0) {
            free(src);
            free(dst);
            continue; /* optional entries (CORE_PHILOSOPHY.md) may be absent */
        }
        if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
            if (repo_index_add_tree(g, idx, te, dst) != 0)
                rc = repo_fail(err, n, "copying %s", src);
        } else {
            git_index_entry ie;
            memset(&ie, 0, sizeof ie);
            git_oid_cpy(&ie.id, git_tree_entry_id(te));
            ie.mode = git_tree_entry_filemode(te);
            ie.path = dst;
            if (git_index_add(idx, &ie) != 0)
                rc = repo_fail(err, n, "copying %s", src);
        }
        git_tree_entry_free(te);
        free(src);
        free(dst);
    }
    git_tree_free(root);
    git_commit_free(tip);
    return rc != 0 ? rc : repo_apply_edits(g, idx, c->edits, c->nedits, err, n);
}

int repo_commit_copy(repo *r, const char *branch, const git_oid *expect,
                     const char *src_dir, const char *dst_dir, const char *const *entries,
                     const repo_edit *edits, size_t nedits, const char *message,
                     git_oid *out, char *err, size_t n)
{
    repo_copy_ctx c = {src_dir, dst_dir, entries, edits, nedits, expect};
    return repo_commit_index(r, branch, expect, repo_prepare_copy, &c, message, out, err, n);
}

typedef struct {
    const git_oid *from;
    const char *const *dirs;
    const repo_edit *edits;
    size_t nedits;
} repo_overlay_ctx;

static int repo_prepare_overlay(git_repository *g, git_index *idx, void *p, char *err, size_t n)
{
    repo_overlay_ctx *c = p;
    git_commit *from = NULL;
    git_tree *root = NULL;
    int rc = 0;
    if (git_commit_lookup(&from, g, c->from) != 0 || git_commit_tree(&root, from) != 0) {
        git_commit_free(from);
        return repo_fail(err, n, "reading the design to carry over");
    }
    for (const char *const *d = c->dirs; *d && rc == 0; d++) {
        if (git_index_remove_directory(idx, *d, 0) != 0) /* absent in onto: nothing removed */
            rc = repo_fail(err, n, "removing %s", *d);
        git_tree_entry *te = NULL;
        if (rc != 0 || git_tree_entry_bypath(&te, root, *d) != 0)
            continue;
        if (repo_index_add_tree(g, idx, te, *d) != 0)
            rc = repo_fail(err, n, "copying %s", *d);
        git_tree_entry_free(te);
    }
    git_tree_free(root);
    git_commit_free(from);
    return rc != 0 ? rc : repo_apply_edits(g, idx, c->edits, c->nedits, err, n);
}

int repo_commit_overlay(repo *r, const char *branch, const git_oid *onto, const git_oid *from,
                        const char *const *dirs, const repo_edit *edits, size_t nedits, const char *message,
                        git_oid *out, char *err, size_t n)
{
    repo_overlay_ctx c = {from, dirs, edits, nedits};
    return repo_commit_index(r, branch, onto, repo_prepare_overlay, &c, message, out, err, n);
}

static char *repo_passed_ref(const char *target, const char *id)
{
    return fsx_fmt("refs/evo/%s/passed/%s", target, id);
}

int repo_passed_set(repo *r, const char *target, const char *id, const git_oid *commit, char *err, size_t n)
{
    char *name = repo_passed_ref(target, id);
    if (!name)
        return repo_fail(err, n, "out of memory");
    repo_refop op = {r->git, name, commit, NULL, 1, "evo: passed every gate"};
    int rc = repo_ref_retry(repo_refop_set, &op);
    if (rc != 0)
        repo_fail(err, n, "writing ref %s", name);
    free(name);
    return rc == 0 ? 0 : -1;
}

int repo_passed_get(repo *r, const char *target, const char *id, git_oid *out, char *err, size_t n)
{
    char *name = repo_passed_ref(target, id);
    if (!name)
        return repo_fail(err, n, "out of memory");
    int rc = git_reference_name_to_id(out, r->git, name);
    if (rc != 0 && rc != GIT_ENOTFOUND)
        repo_fail(err, n, "reading ref %s", name);
    free(name);
    return rc == 0 ? 0 : rc == GIT_ENOTFOUND ? 1 : -1;
}

int repo_passed_drop(repo *r, const char *target, const char *id, char *err, size_t n)
{
    char *name = repo_passed_ref(target, id);
    if (!name)
        return repo_fail(err, n, "out of memory");
    repo_refop op = {r->git, name, NULL, NULL, 0, NULL};
    int rc = repo_ref_retry(repo_refop_delete, &op);
    if (rc != 0)
        repo_fail(err, n, "deleting ref %s", name);
    free(name);
    return rc == 0 ? 0 : -1;
}

int repo_passed_list(repo *r, const char *target, repo_strs *ids, char *err, size_t n)
{
    char *glob = fsx_fmt("refs/evo/%s/passed/*", target);
    git_reference_iterator *it = NULL;
    if (!glob || git_reference_iterator_glob_new(&it, r->git, glob) != 0) {
        free(glob);
        return repo_fail(err, n, "listing refs/evo/%s/passed", target);
    }
    size_t pl = strlen(glob) - 1;
    const char *name;
    int rc;
    while ((rc = git_reference_next_name(&name, it)) == 0)
        if (strlen(name) > pl && !strchr(name + pl, '/'))
            repo_strs_push(ids, name + pl);
    git_reference_iterator_free(it);
    free(glob);
    return rc == GIT_ITEROVER ? 0 : repo_fail(err, n, "listing refs/evo/%s/passed", target);
}

/* The index of what the branch becomes: the slot's tree when the tip is its
 * parent (*parents 1), else the three-way merge of tip and slot (*parents 2;
 * 1 returned on a conflict). */
static int repo_merge_index(repo *r, const char *branch, git_commit *t, git_commit *s, git_index **idx,
                            size_t *parents, char *err, size_t n)
{
    if (git_commit_parentcount(s) == 1 && git_oid_equal(git_commit_parent_id(s, 0), git_commit_id(t))) {
        git_tree *tree = NULL;
        int rc = git_commit_tree(&tree, s) == 0 && git_index_new(idx) == 0 && git_index_read_tree(*idx, tree) == 0
                     ? 0 : repo_fail(err, n, "loading the slot's tree to merge into %s", branch);
        git_tree_free(tree);
        *parents = 1;
        return rc;
    }
    git_merge_options mo;
    git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
    if (git_merge_commits(idx, r->git, t, s, &mo) != 0)
        return repo_fail(err, n, "merging into %s", branch);
    if (git_index_has_conflicts(*idx)) {
        snprintf(err, n, "the winner conflicts with changes made on %s meanwhile", branch);
        return 1;
    }
    *parents = 2;
    return 0;
}

int repo_merge(repo *r, const char *branch, const git_oid *onto, const git_oid *slot, const repo_edit *edits,
               size_t nedits, const char *message, git_oid *out, char *err, size_t n)
{
    git_commit *s = NULL, *t = NULL;
    git_index *idx = NULL;
    git_oid tip;
    int rc = -1;
    if (onto) {
        git_oid_cpy(&tip, onto);
    } else {
        int trc = branch ? repo_tip(r, branch, &tip, err, n) : -1;
        if (trc != 0) {
            if (trc == 1 || !branch)
                snprintf(err, n, "branch %s does not exist", branch ? branch : "(none)");
            return -1;
        }
    }
    bool publish = branch != NULL;
    if (!branch)
        branch = "the branch";
    if (git_commit_lookup(&s, r->git, slot) != 0 || git_commit_lookup(&t, r->git, &tip) != 0) {
        repo_fail(err, n, "looking up the commits to merge into %s", branch);
        goto out;
    }
    size_t np = 0;
    rc = repo_merge_index(r, branch, t, s, &idx, &np, err, n);
    if (rc != 0)
        goto out;
    rc = -1;
    if (repo_apply_edits(r->git, idx, edits, nedits, err, n) != 0)
        goto out;
    git_oid tree;
    git_oid parents[2];
    git_oid_cpy(&parents[0], &tip);
    git_oid_cpy(&parents[1], slot);
    if (git_index_write_tree_to(&tree, idx, r->git) != 0) {
        repo_fail(err, n, "writing the merged tree (is the disk full?)");
        goto out;
    }
    if (repo_commit_create(r->git, out, &tree, parents, np, message, err, n) != 0 ||
        (publish && repo_set_tip(r, branch, &tip, out, err, n) != 0))
        goto out;
    rc = 0;
out:
    git_index_free(idx);
    git_commit_free(s);
    git_commit_free(t);
    return rc;
}

int repo_read(repo *r, const git_oid *at, const char *path, char **data, size_t *len,
              char *err, size_t n)
{
    *data = NULL;
    if (len)
        *len = 0;
    git_commit *c = NULL;
    git_tree *tree = NULL;
    git_tree_entry *te = NULL;
    git_blob *blob = NULL;
    int rc = -1;
    if (git_commit_lookup(&c, r->git, at) != 0 || git_commit_tree(&tree, c) != 0) {
        repo_fail(err, n, "reading a commit");
        goto out;
    }
    int e = git_tree_entry_bypath(&te, tree, path);
    if (e == GIT_ENOTFOUND || (e == 0 && git_tree_entry_type(te) != GIT_OBJECT_BLOB)) {
        rc = 1;
        goto out;
    }
    if (e != 0 || git_blob_lookup(&blob, r->git, git_tree_entry_id(te)) != 0) {
        repo_fail(err, n, "reading %s", path);
        goto out;
    }
    size_t sz = (size_t)git_blob_rawsize(blob);
    char *buf = malloc(sz + 1);
    if (!buf) {
        snprintf(err, n, "out of memory reading %s", path);
        goto out;
    }
    memcpy(buf, git_blob_rawcontent(blob), sz);
    buf[sz] = '\0';
    *data = buf;
    if (len)
        *len = sz;
    rc = 0;
out:
    git_blob_free(blob);
    git_tree_entry_free(te);
    git_tree_free(tree);
    git_commit_free(c);
    return rc;
}

int repo_path_id(repo *r, const git_oid *at, const char *path, git_oid *out)
{
    memset(out, 0, sizeof *out);
    git_commit *c = NULL;
    git_tree *tree = NULL;
    git_tree_entry *te = NULL;
    int rc = -1;
    if (git_commit_lookup(&c, r->git, at) == 0 && git_commit_tree(&tree, c) == 0) {
        int e = git_tree_entry_bypath(&te, tree, path);
        if (e == 0)
            git_oid_cpy(out, git_tree_entry_id(te));
        rc = (e == 0 || e == GIT_ENOTFOUND) ? 0 : -1;
    }
    git_tree_entry_free(te);
    git_tree_free(tree);
    git_commit_free(c);
    return rc;
}

char *repo_commit_summary(repo *r, const git_oid *commit)
{
    git_commit *c = NULL;
    if (git_commit_lookup(&c, r->git, commit) != 0)
        return NULL;
    const char *s = git_commit_summary(c);
    char *out = s ? strdup(s) : NULL;
    git_commit_free(c);
    return out;
}

int repo_harness_id(repo *r, char *buf, size_t buflen, char *err, size_t n)
{
    git_oid head;
    if (git_reference_name_to_id(&head, r->git, "HEAD") != 0)
        return repo_fail(err, n, "reading HEAD of the harness checkout");
    git_oid_tostr(buf, buflen, &head);
    /* Uncommitted harness edits change what the gates do: fold their
     * content ids into the key rather than trusting HEAD alone. */
    static const char *const harness_paths[] = {"tools", "bench", "formal", "fpga", "test",
                                                "schemas", "Makefile"};
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    so.pathspec.strings = (char **)harness_paths;
    so.pathspec.count = sizeof harness_paths / sizeof harness_paths[0];
    git_status_list *sl = NULL;
    if (git_status_list_new(&sl, r->git, &so) != 0)
        return repo_fail(err, n, "reading the status of the harness checkout");
    size_t cnt = git_status_list_entrycount(sl);
    if (cnt > 0) {
        char *acc = strdup(buf);
        for (size_t i = 0; i < cnt && acc; i++) {
            const git_status_entry *e = git_status_byindex(sl, i);
            const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
            if (!d)
                continue;
            const char *p = d->new_file.path ? d->new_file.path : d->old_file.path;
            char *full = fsx_fmt("%s/%s", r->workdir, p);
            char hex[BLOBID_HEX + 1] = "deleted";
            if (full)
                blobid_file(full, hex);
            char *next = fsx_fmt("%s\n%s %s", acc, p, hex);
            free(full);
            free(acc);
            acc = next;
        }
        char hex[BLOBID_HEX + 1];
        if (!acc || blobid_hash(acc, strlen(acc), hex) != 0) {
            free(acc);
            git_status_list_free(sl);
            snprintf(err, n, "hashing the harness state");
            return -1;
        }
        free(acc);
        size_t l = strlen(buf);
        snprintf(buf + l, buflen - l, "+%.12s", hex);
    }
    git_status_list_free(sl);
    return 0;
}

bool repo_is_ignored(repo *r, const char *path)
{
    int ign = 0;
    return git_ignore_path_is_ignored(&ign, r->git, path) == 0 && ign;
}
