/* guard.c — see guard.h. */
#include "orch/guard.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsx.h"

typedef struct {
    char *path;   /* absolute */
    bool exists;
    char *data;
    size_t len;
} guard_file;

struct guard {
    char *status;        /* one line per non-ignored change in the main checkout */
    char *branches[2];   /* main, core-<T> */
    git_oid tips[2];
    bool has_tip[2];
    guard_file *files;
    size_t nfiles;
    char *hooks_dir;
};

static int guard_add_file(guard *g, const char *path)
{
    guard_file *nf = realloc(g->files, (g->nfiles + 1) * sizeof *nf);
    if (!nf)
        return -1;
    g->files = nf;
    guard_file *f = &g->files[g->nfiles++];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    f->exists = fsx_read(path, &f->data, &f->len) == 0;
    return f->path ? 0 : -1;
}

/* "<flags> <path> <size> <mtime>" per change, in status order (sorted). */
static char *guard_status(repo *r)
{
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    git_status_list *sl = NULL;
    if (git_status_list_new(&sl, repo_git(r), &so) != 0)
        return NULL;
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (out)
        out[0] = '\0';
    size_t cnt = git_status_list_entrycount(sl);
    for (size_t i = 0; i < cnt && out; i++) {
        const git_status_entry *e = git_status_byindex(sl, i);
        const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
        const char *p = d ? (d->new_file.path ? d->new_file.path : d->old_file.path) : "?";
        char *full = fsx_fmt("%s/%s", repo_workdir(r), p);
        struct stat st;
        memset(&st, 0, sizeof st);
        if (full)
            lstat(full, &st);
        free(full);
        char line[1200];
        int l = snprintf(line, sizeof line, "%x %s %lld %lld.%09ld\n", (unsigned)e->status, p,
                         (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        if (l < 0)
            continue;
        if (len + (size_t)l + 1 > cap) {
            cap = (len + (size_t)l + 1) * 2;
            char *no = realloc(out, cap);
            if (!no) {
                free(out);
                out = NULL;
                break;
            }
            out = no;
        }
        memcpy(out + len, line, (size_t)l + 1);
        len += (size_t)l;
    }
    git_status_list_free(sl);
    return out;
}

guard *guard_take(repo *r, const char *target, const char *slot_id, char *err, size_t n)
{
    guard *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    g->status = guard_status(r);
    if (!g->status) {
        snprintf(err, n, "reading the status of the main checkout %s: %s", repo_workdir(r),
                 git_error_last() ? git_error_last()->message : "out of memory");
        guard_free(g);
        return NULL;
    }
    g->branches[0] = strdup("main");
    g->branches[1] = fsx_fmt("core-%s", target);
    for (int i = 0; i < 2; i++)
        g->has_tip[i] = g->branches[i] && repo_tip(r, g->branches[i], &g->tips[i], err, n) == 0;

    const char *cd = repo_commondir(r);
    static const char *const files[] = {"config", "config.worktree", "info/attributes", "info/exclude"};
    int rc = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == 0; i++) {
        char *p = fsx_fmt("%s/%s", cd, files[i]);
        rc = p ? guard_add_file(g, p) : -1;
        free(p);
    }
    if (slot_id && rc == 0) {
        char *p = fsx_fmt("%s/worktrees/slot-%s/config.worktree", cd, slot_id);
        rc = p ? guard_add_file(g, p) : -1;
        free(p);
    }
    g->hooks_dir = fsx_fmt("%s/hooks", cd);
    DIR *d = g->hooks_dir ? opendir(g->hooks_dir) : NULL;
    struct dirent *de;
    while (d && rc == 0 && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *p = fsx_fmt("%s/%s", g->hooks_dir, de->d_name);
        rc = p ? guard_add_file(g, p) : -1;
        free(p);
    }
    if (d)
        closedir(d);
    if (rc != 0) {
        snprintf(err, n, "out of memory");
        guard_free(g);
        return NULL;
    }
    return g;
}

static const guard_file *guard_find(const guard *g, const char *path)
{
    for (size_t i = 0; i < g->nfiles; i++)
        if (strcmp(g->files[i].path, path) == 0)
            return &g->files[i];
    return NULL;
}

/* Puts a git file back; reports the change. */
static void guard_restore_file(const guard_file *f, sandbox_report *rep)
{
    char *now = NULL;
    size_t len = 0;
    bool exists = fsx_read(f->path, &now, &len) == 0;
    bool same = exists == f->exists && (!exists || (len == f->len && memcmp(now, f->data, len) == 0));
    free(now);
    if (same)
        return;
    int rc = f->exists ? fsx_write_atomic(f->path, f->data, f->len) : unlink(f->path);
    sandbox_report_add(rep, f->path, 0, "git file %s by the agent (%s)", f->exists ? (exists ? "changed" : "deleted") : "created",
                       rc == 0 ? "restored" : "COULD NOT BE RESTORED: fix it by hand");
}

/* Lines of `after` that are not in `before`, or the reverse: the paths that
 * changed state in the main checkout while the agent ran. */
static void guard_status_diff(const char *before, const char *after, sandbox_report *rep, bool *tampered)
{
    const char *sets[2][2] = {{after, before}, {before, after}};
    for (int k = 0; k < 2; k++) {
        const char *a = sets[k][0], *b = sets[k][1];
        for (const char *line = a; *line;) {
            const char *end = strchr(line, '\n');
            size_t l = end ? (size_t)(end - line + 1) : strlen(line);
            bool found = false;
            for (const char *q = b; *q && !found;) {
                const char *qe = strchr(q, '\n');
                size_t ql = qe ? (size_t)(qe - q + 1) : strlen(q);
                found = ql == l && memcmp(q, line, l) == 0;
                q += ql;
            }
            if (!found) {
                /* "<flags> <path> ..." -> path */
                const char *p = strchr(line, ' ');
                const char *pe = p ? strchr(p + 1, ' ') : NULL;
                char path[1024];
                snprintf(path, sizeof path, "%.*s", p && pe ? (int)(pe - p - 1) : 1, p && pe ? p + 1 : "?");
                sandbox_report_add(rep, path, 0, "the main checkout (the trusted harness) changed while the "
                                   "agent ran");
                *tampered = true;
            }
            line += l;
        }
    }
}

int guard_check(repo *r, const guard *g, sandbox_report *rep, bool *harness_tampered,
                char *err, size_t n)
{
    *harness_tampered = false;
    char *status = guard_status(r);
    if (!status) {
        snprintf(err, n, "reading the status of the main checkout %s", repo_workdir(r));
        return -1;
    }
    guard_status_diff(g->status, status, rep, harness_tampered);
    free(status);

    for (int i = 0; i < 2; i++) {
        if (!g->branches[i])
            continue;
        git_oid now;
        char e2[256];
        int rc = repo_tip(r, g->branches[i], &now, e2, sizeof e2);
        bool moved = (rc == 0) != g->has_tip[i] || (rc == 0 && !git_oid_equal(&now, &g->tips[i]));
        if (!moved)
            continue;
        const char *fix = "COULD NOT BE RESTORED: fix it by hand";
        if (rc == 0 && g->has_tip[i] && repo_set_tip(r, g->branches[i], &now, &g->tips[i], e2, sizeof e2) == 0)
            fix = "restored";
        sandbox_report_add(rep, g->branches[i], 0, "branch moved by the agent (%s)", fix);
        if (rc == 0 && !g->has_tip[i])
            sandbox_report_add(rep, g->branches[i], 0, "branch created by the agent");
    }

    for (size_t i = 0; i < g->nfiles; i++)
        guard_restore_file(&g->files[i], rep);
    DIR *d = g->hooks_dir ? opendir(g->hooks_dir) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *p = fsx_fmt("%s/%s", g->hooks_dir, de->d_name);
        if (p && !guard_find(g, p)) {
            int rc = unlink(p);
            sandbox_report_add(rep, p, 0, "git hook planted by the agent (%s)",
                               rc == 0 ? "removed" : "COULD NOT BE REMOVED: delete it by hand");
        }
        free(p);
    }
    if (d)
        closedir(d);
    return 0;
}

void guard_free(guard *g)
{
    if (!g)
        return;
    free(g->status);
    free(g->branches[0]);
    free(g->branches[1]);
    for (size_t i = 0; i < g->nfiles; i++) {
        free(g->files[i].path);
        free(g->files[i].data);
    }
    free(g->files);
    free(g->hooks_dir);
    free(g);
}
