/* forkcore.c — see forkcore.h. */
#include "orch/forkcore.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/strbuf.h"
#include "yamljson/yamljson.h"

char *forkcore_rename(const char *yaml, const char *name)
{
    strbuf b = {0};
    bool done = false;
    for (const char *line = yaml; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line + 1) : strlen(line);
        if (!done && strncmp(line, "name:", 5) == 0) {
            strbuf_addf(&b, "name: %s\n", name);
            done = true;
        } else {
            strbuf_addn(&b, line, len);
        }
        line += len;
    }
    if (!done) {
        char *body = strbuf_take(&b);
        if (!body)
            return NULL;
        strbuf_addf(&b, "name: %s\n%s", name, body);
        free(body);
    }
    return strbuf_take(&b);
}

int forkcore_copy(repo *r, const char *target, const char *base, const git_oid *tip,
                  const char *scratch_dir, git_oid *out, char *err, size_t n)
{
    char *src_yaml_path = fsx_fmt("cores/%s/core.yaml", base);
    char *yaml = NULL;
    size_t len = 0;
    int rc = repo_read(r, tip, src_yaml_path, &yaml, &len, err, n);
    free(src_yaml_path);
    if (rc == 1)
        snprintf(err, n, "BASE=%s: there is no cores/%s/core.yaml on main to fork from", base, base);
    if (rc != 0)
        return -1;

    /* current: is emptied by the same code that maintains it. */
    char *tmp = fsx_fmt("%s/fork-%s.%ld.yaml", scratch_dir, target, (long)getpid());
    char yerr[512];
    char *emptied = NULL;
    rc = -1;
    if (fsx_mkdirs(scratch_dir, 0755) != 0 || fsx_write_atomic(tmp, yaml, len) != 0) {
        snprintf(err, n, "cannot write %s: %s", tmp, strerror(errno));
    } else {
        json_t *null = json_null();
        if (yamljson_set_current(tmp, null, yerr, sizeof yerr) != 0)
            snprintf(err, n, "cores/%s/core.yaml: cannot empty current: %s", base, yerr);
        else if (fsx_read(tmp, &emptied, NULL) != 0)
            snprintf(err, n, "cannot read back %s: %s", tmp, strerror(errno));
        else
            rc = 0;
        json_decref(null);
    }
    unlink(tmp);
    free(tmp);
    free(yaml);
    if (rc != 0)
        return -1;
    char *renamed = forkcore_rename(emptied, target);
    free(emptied);
    if (!renamed) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    char *src = fsx_fmt("cores/%s", base), *dst = fsx_fmt("cores/%s", target);
    char *yaml_path = fsx_fmt("cores/%s/core.yaml", target);
    char *msg = fsx_fmt("fork %s from %s\n\nCopied cores/%s/{rtl,test,CORE_PHILOSOPHY.md} and core.yaml "
                        "(name set, current: emptied); the log and lessons start empty.\n",
                        target, base, base);
    static const char *const entries[] = {"rtl", "test", "CORE_PHILOSOPHY.md", NULL};
    repo_edit edit = {yaml_path, renamed, strlen(renamed), 0};
    char *branch = fsx_fmt("core-%s", target);
    rc = repo_commit_copy(r, branch, tip, src, dst, entries, &edit, 1, msg, out, err, n);
    free(branch);
    free(src);
    free(dst);
    free(yaml_path);
    free(msg);
    free(renamed);
    return rc;
}
