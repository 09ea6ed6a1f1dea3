/* export.c — see export.h. */
#include "orch/export.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsx.h"

typedef struct {
    git_repository *g;
    const char *dest;
    size_t left;
    char *err;
    size_t n;
} export_walk;

static int export_entry(const char *root, const git_tree_entry *e, void *p)
{
    export_walk *w = p;
    const char *name = git_tree_entry_name(e);
    git_filemode_t mode = git_tree_entry_filemode(e);
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s%s", w->dest, root, name) >= (int)sizeof path) {
        snprintf(w->err, w->n, "export: path too long under %s", w->dest);
        return -1;
    }
    if (mode == GIT_FILEMODE_TREE) {
        if (mkdir(path, 0755) != 0) {
            snprintf(w->err, w->n, "export: cannot create %s: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
        snprintf(w->err, w->n, "export: %s%s is not a regular file (mode %o); it cannot be judged", root, name,
                 (unsigned)mode);
        return -1;
    }
    git_blob *b = NULL;
    if (git_blob_lookup(&b, w->g, git_tree_entry_id(e)) != 0) {
        snprintf(w->err, w->n, "export: cannot read %s%s: %s", root, name, git_error_last()->message);
        return -1;
    }
    size_t len = (size_t)git_blob_rawsize(b);
    int rc = 0;
    if (len > w->left) {
        snprintf(w->err, w->n, "export: the tree is larger than the %zu-byte limit at %s%s", w->left, root, name);
        rc = -1;
    } else if (fsx_write_atomic(path, git_blob_rawcontent(b), len) != 0) {
        snprintf(w->err, w->n, "export: cannot write %s: %s", path, strerror(errno));
        rc = -1;
    } else {
        w->left -= len;
    }
    git_blob_free(b);
    return rc;
}

int export_tree(git_repository *g, const git_oid *commit, const char *prefix, const char *dest,
                size_t max_bytes, char *err, size_t n)
{
    git_commit *c = NULL;
    git_tree *root = NULL, *sub = NULL;
    git_tree_entry *te = NULL;
    int rc = -1;
    char *top = fsx_fmt("%s/%s", dest, prefix);
    if (!top) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    if (mkdir(dest, 0755) != 0) {
        snprintf(err, n, "export: cannot create %s: %s (it must not exist yet)", dest, strerror(errno));
    } else if (git_commit_lookup(&c, g, commit) != 0 || git_commit_tree(&root, c) != 0 ||
               git_tree_entry_bypath(&te, root, prefix) != 0 ||
               git_tree_lookup(&sub, g, git_tree_entry_id(te)) != 0) {
        snprintf(err, n, "export: cannot find %s in the commit: %s", prefix,
                 git_error_last() ? git_error_last()->message : "?");
    } else if (fsx_mkdirs(top, 0755) != 0) {
        snprintf(err, n, "export: cannot create %s: %s", top, strerror(errno));
    } else {
        export_walk w = {g, top, max_bytes, err, n};
        rc = git_tree_walk(sub, GIT_TREEWALK_PRE, export_entry, &w) == 0 ? 0 : -1;
        if (rc != 0 && !strstr(err, "export:"))
            snprintf(err, n, "export: walking %s failed", prefix);
    }
    git_tree_entry_free(te);
    git_tree_free(sub);
    git_tree_free(root);
    git_commit_free(c);
    free(top);
    return rc;
}
