/* covcheck.c — see covcheck.h. */
#include "orch/covcheck.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dirlist.h"
#include "lib/fsx.h"
#include "records/covgap.h"
#include "records/records.h"

/* One RTL file: its changed lines into *changed, its unexercised ones into out. */
static int covcheck_file(repo *r, const git_oid *parent, const char *path, const char *target,
                         const json_t *coverage, long *changed, json_t *out, char *err, size_t n)
{
    const char *base = strrchr(path, '/') + 1;
    char *text = NULL, *old = NULL;
    size_t len = 0, old_len = 0;
    if (fsx_read(path, &text, &len) != 0) {
        snprintf(err, n, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char *gpath = fsx_fmt("cores/%s/rtl/%s", target, base);
    int rc = gpath ? repo_read(r, parent, gpath, &old, &old_len, err, n) : -1;
    free(gpath);
    long *lines = NULL;
    long nl = rc < 0 ? -1 : covgap_changed_lines(rc == 1 ? NULL : old, rc == 1 ? 0 : old_len, text, len, &lines);
    if (nl < 0 && rc >= 0)
        snprintf(err, n, "out of memory comparing %s with the parent's", path);
    if (nl > 0) {
        *changed += nl;
        covgap_unexercised(coverage, base, lines, nl, text, len, out);
    }
    free(lines);
    free(old);
    free(text);
    return nl < 0 ? -1 : 0;
}

int covcheck_entry(repo *r, const git_oid *parent, const char *tree, const char *target, const char *rundir,
                   json_t *entry, char *err, size_t n)
{
    char *res_path = fsx_fmt("%s/cosim.json", rundir);
    json_t *res = res_path ? json_load_file(res_path, 0, NULL) : NULL;
    free(res_path);
    const json_t *coverage = json_object_get(res, "coverage");
    if (!json_is_object(coverage)) {
        json_decref(res);
        return 0;
    }
    json_t *out = json_array();
    long changed = 0;
    int rc = 0;
    if (parent) {
        static const char *const sv[] = {".sv", NULL};
        char *rtl = fsx_fmt("%s/cores/%s/rtl", tree, target);
        char **files = NULL, *bad = NULL;
        if (!rtl || dirlist_files(rtl, sv, &files, &bad) < 0) {
            /* the tree check refused unsafe names before any gate ran */
            snprintf(err, n, "cannot list %s: %s", rtl ? rtl : "the RTL", bad ? bad : strerror(errno));
            rc = -1;
        }
        for (char **f = files; rc == 0 && f && *f; f++) {
            char *path = fsx_fmt("%s/%s", rtl, *f);
            rc = path ? covcheck_file(r, parent, path, target, coverage, &changed, out, err, n) : -1;
            free(path);
        }
        dirlist_free(files);
        free(bad);
        free(rtl);
    }
    size_t gaps = json_array_size(out);
    if (rc == 0)
        records_entry_set_coverage(entry, coverage, changed, out);
    else
        json_decref(out);
    json_decref(res);
    return rc == 0 ? (int)gaps : -1;
}
