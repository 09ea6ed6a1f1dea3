/* hdlpre.c — see hdlpre.h. */
#include "orch/hdlpre.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dirlist.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strbuf.h"

/* One copied file of rtl/ or test/. */
typedef struct {
    char *name;
    bool package; /* declares a package: Yosys synth reads it first */
} hdlpre_file;

typedef struct {
    hdlpre_file *v;
    size_t n, cap;
} hdlpre_files;

typedef struct {
    git_repository *g;
    git_tree *tree;
    const char *target, *scratch;
    const confine_policy *confine;
    char *rtl, *test, *cwd, *prelude, *out, *errf; /* under scratch */
    hdlpre_files rtl_files, test_files;
    sandbox_report *rep;
    char *err;
    size_t n;
} hdlpre_run;

/* Where the lines of one preprocessor output came from, by its `line markers. */
typedef struct {
    size_t out_line; /* first output line of the segment */
    int line;        /* its line in the file */
    char *path;      /* repository path; NULL for the harness's prelude */
} hdlpre_seg;

typedef struct {
    hdlpre_seg *v;
    size_t n, cap;
} hdlpre_map;

/* ---- copying the slot's files ----------------------------------------------- */

static int hdlpre_files_add(hdlpre_files *f, const char *name, bool package)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        hdlpre_file *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return -1;
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n].name = fsx_fmt("%s", name);
    f->v[f->n].package = package;
    return f->v[f->n++].name ? 0 : -1;
}

static void hdlpre_files_free(hdlpre_files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].name);
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* A line starting with "package " (the synth gate's rule for reading a file
 * first, synth_declares_package). */
static bool hdlpre_declares_package(const char *t, size_t len)
{
    for (size_t i = 0; i < len;) {
        while (i < len && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (len - i >= 8 && memcmp(t + i, "package ", 8) == 0)
            return true;
        const char *nl = memchr(t + i, '\n', len - i);
        i = nl ? (size_t)(nl - t) + 1 : len;
    }
    return false;
}

static int hdlpre_copy_blob(hdlpre_run *r, const git_tree_entry *f, const char *to, hdlpre_files *out)
{
    git_odb *odb = NULL;
    size_t sz = 0;
    git_object_t type;
    if (git_repository_odb(&odb, r->g) != 0 || git_odb_read_header(&sz, &type, odb, git_tree_entry_id(f)) != 0) {
        git_odb_free(odb);
        snprintf(r->err, r->n, "sandbox: reading %s of the slot: %s", git_tree_entry_name(f), git_error_last()->message);
        return -1;
    }
    git_odb_free(odb);
    if (sz > SANDBOX_FILE_MAX)
        return 0; /* a violation of sandbox_check_trees already: never read */
    git_blob *b = NULL;
    if (git_blob_lookup(&b, r->g, git_tree_entry_id(f)) != 0) {
        snprintf(r->err, r->n, "sandbox: reading %s of the slot: %s", git_tree_entry_name(f), git_error_last()->message);
        return -1;
    }
    const char *data = git_blob_rawcontent(b);
    size_t len = (size_t)git_blob_rawsize(b);
    char *dst = fsx_fmt("%s/%s", to, git_tree_entry_name(f));
    int rc = dst ? fsx_write_atomic(dst, data, len) : -1;
    if (rc != 0)
        snprintf(r->err, r->n, "sandbox: cannot write %s: %s (the preprocessor's scratch directory)",
                 dst ? dst : to, strerror(errno));
    else if (hdlpre_files_add(out, git_tree_entry_name(f), hdlpre_declares_package(data, len)) != 0)
        rc = -1, snprintf(r->err, r->n, "sandbox: out of memory");
    free(dst);
    git_blob_free(b);
    return rc;
}

/* Copies the top-level files of cores/<T>/<area>/ (all the tools read, as
 * includes are plain names) into dir `to`. */
static int hdlpre_copy_area(hdlpre_run *r, const char *area, const char *to, hdlpre_files *out)
{
    char *path = fsx_fmt("cores/%s/%s", r->target, area);
    git_tree_entry *e = NULL;
    git_tree *sub = NULL;
    int rc = 0;
    if (path && git_tree_entry_bypath(&e, r->tree, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
        if (git_tree_lookup(&sub, r->g, git_tree_entry_id(e)) != 0) {
            snprintf(r->err, r->n, "sandbox: reading %s of the slot: %s", path, git_error_last()->message);
            rc = -1;
        }
        for (size_t i = 0; rc == 0 && i < git_tree_entrycount(sub); i++) {
            const git_tree_entry *f = git_tree_entry_byindex(sub, i);
            git_filemode_t m = git_tree_entry_filemode(f);
            if (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE)
                rc = hdlpre_copy_blob(r, f, to, out);
        }
    }
    git_tree_free(sub);
    git_tree_entry_free(e);
    free(path);
    return rc;
}

/* ---- running the preprocessor --------------------------------------------------- */

/* Runs `verilator <args>` with stdout to r->out and stderr to r->errf (kept
 * apart: a message written into the middle of the output could split a
 * token the scan looks for), in the empty r->cwd, with a time limit and a
 * limit on the size of every file it writes. -1 (err) when it cannot start. */
static int hdlpre_exec(hdlpre_run *r, const char *const *args, proc_result *res)
{
    char fsize[64], errenv[4200];
    snprintf(fsize, sizeof fsize, "--fsize=%d", SANDBOX_EXPANDED_MAX);
    snprintf(errenv, sizeof errenv, "EVO_PP_ERR=%s", r->errf);
    const char *head[] = {"prlimit", fsize, "--", "sh", "-c", "exec \"$@\" 2>\"$EVO_PP_ERR\"", "sh", "verilator"};
    size_t nh = sizeof head / sizeof head[0], na = 0;
    while (args[na])
        na++;
    const char **argv = calloc(nh + na + 1, sizeof *argv);
    if (!argv) {
        snprintf(r->err, r->n, "sandbox: out of memory");
        return -1;
    }
    memcpy(argv, head, sizeof head);
    memcpy(argv + nh, args, na * sizeof *argv);
    const char *env[] = {errenv, NULL};
    unlink(r->out);
    unlink(r->errf);
    proc_spec spec = {.argv = argv, .cwd = r->cwd, .log_path = r->out, .env = env, .timeout_s = HDLPRE_TIMEOUT_S,
                      .confine = r->confine};
    proc_run(&spec, res);
    free(argv);
    if (res->spawn_failed) {
        char why[256];
        snprintf(r->err, r->n, "sandbox: cannot run the preprocessor (%s): install util-linux and verilator "
                 "(bash tools/setup.sh)", proc_describe(res, "prlimit", why, sizeof why));
        return -1;
    }
    return 0;
}

/* text with the scratch copies' directories replaced by the repository's (malloc'd). */
static char *hdlpre_unscratch(const hdlpre_run *r, const char *text)
{
    const char *from[] = {r->rtl, r->test, r->prelude};
    char *to[] = {fsx_fmt("cores/%s/rtl", r->target), fsx_fmt("cores/%s/test", r->target), fsx_fmt("(prelude)")};
    strbuf b = {0};
    for (const char *p = text; *p;) {
        size_t k = 0;
        while (k < 3 && strncmp(p, from[k], strlen(from[k])) != 0)
            k++;
        if (k < 3) {
            strbuf_add(&b, to[k] ? to[k] : "?");
            p += strlen(from[k]);
        } else {
            strbuf_addn(&b, p++, 1);
        }
    }
    for (size_t k = 0; k < 3; k++)
        free(to[k]);
    char *out = strbuf_take(&b);
    return out ? out : fsx_fmt("%s", text);
}

/* The first line of the preprocessor's stderr that starts with prefix (or
 * the first line at all when prefix is NULL), with the scratch paths mapped
 * back; NULL when there is none. */
static char *hdlpre_err_line(const hdlpre_run *r, const char *prefix)
{
    char *text = NULL, *out = NULL;
    size_t len = 0;
    if (fsx_read(r->errf, &text, &len) != 0)
        return NULL;
    const char *e = prefix ? strstr(text, prefix) : text + strspn(text, "\n");
    if (e && *e) {
        char *line = fsx_fmt("%.*s", (int)strcspn(e, "\n"), e);
        out = line ? hdlpre_unscratch(r, line) : NULL;
        free(line);
    }
    free(text);
    return out;
}

/* A failed run as a violation: Verilator's first %Error line, at the file
 * and line it names. */
static void hdlpre_report_failure(hdlpre_run *r, const char *view, const char *label, const proc_result *res)
{
    char *msg = hdlpre_err_line(r, "%Error");
    char path[512];
    int ln = 0;
    const char *loc = msg ? strstr(msg, ": ") : NULL;
    if (loc && sscanf(loc + 2, "%511[^:]:%d:", path, &ln) == 2 && strncmp(path, "cores/", 6) == 0) {
        sandbox_report_add(r->rep, path, ln, "the preprocessor refuses it (verilator -E, %s view): %s", view, msg);
    } else if (msg) {
        sandbox_report_add(r->rep, label, 0, "the preprocessor refuses it (verilator -E, %s view): %s", view, msg);
    } else {
        char why[256];
        char *first = hdlpre_err_line(r, NULL);
        sandbox_report_add(r->rep, label, 0, "the preprocessor failed for the %s view (verilator -E %s)%s%s", view,
                           proc_describe(res, "", why, sizeof why), first ? ": " : "", first ? first : "");
        free(first);
    }
    free(msg);
}

/* ---- the line map and the scan ---------------------------------------------------- */

/* cores/<T>/rtl/x for a copy in scratch/rtl (as the marker names it), or NULL. */
static char *hdlpre_repo_path(const char *target, const char *marker_path)
{
    const char *base = strrchr(marker_path, '/');
    if (!base)
        return NULL;
    const char *dir = marker_path;
    for (const char *p = marker_path; p < base; p++)
        if (*p == '/')
            dir = p + 1;
    size_t dl = (size_t)(base - dir);
    if (dl == 3 && strncmp(dir, "rtl", 3) == 0)
        return fsx_fmt("cores/%s/rtl/%s", target, base + 1);
    if (dl == 4 && strncmp(dir, "test", 4) == 0)
        return fsx_fmt("cores/%s/test/%s", target, base + 1);
    return NULL;
}

static int hdlpre_map_add(hdlpre_map *m, size_t out_line, int line, char *path)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        hdlpre_seg *v = realloc(m->v, cap * sizeof *v);
        if (!v) {
            free(path);
            return -1;
        }
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = (hdlpre_seg){out_line, line, path};
    return 0;
}

static void hdlpre_map_free(hdlpre_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].path);
    free(m->v);
}

/* Records every `line marker of the output and blanks it (the scan would
 * otherwise see a directive the agent is not allowed to write). A marker
 * that does not read as `line <0..999999999> "<path>" starts lines of
 * unknown origin (the stricter rules): the bound keeps every mapped line
 * number, marker plus offset in a text under SANDBOX_EXPANDED_MAX, an int. */
static int hdlpre_map_build(const char *target, char *text, size_t len, hdlpre_map *m)
{
    size_t out_line = 1;
    for (size_t i = 0; i < len; out_line++) {
        char *eol = memchr(text + i, '\n', len - i);
        size_t end = eol ? (size_t)(eol - text) : len;
        if (end - i > 6 && strncmp(text + i, "`line ", 6) == 0) {
            int line = 0;
            char path[1024];
            char save = text[end];
            text[end] = '\0';
            int got = sscanf(text + i, "`line %9d \"%1023[^\"]\"", &line, path);
            text[end] = save;
            bool ok = got == 2 && line >= 0;
            if (hdlpre_map_add(m, out_line + 1, ok ? line : 0, ok ? hdlpre_repo_path(target, path) : NULL) != 0)
                return -1;
            memset(text + i, ' ', end - i);
        }
        i = end + 1;
    }
    return 0;
}

static bool hdlpre_origin(int line, sandbox_origin *o, void *ctx)
{
    const hdlpre_map *m = ctx;
    size_t lo = 0, hi = m->n;
    while (lo < hi) { /* the last segment starting at or before line */
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].out_line <= (size_t)line)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || !m->v[lo - 1].path)
        return false;
    const hdlpre_seg *s = &m->v[lo - 1];
    o->path = s->path;
    o->line = s->line + (int)((size_t)line - s->out_line);
    return true;
}

int hdlpre_scan_output(const char *target, const char *label, char *text, size_t len, sandbox_exists_fn exists,
                       void *ctx, sandbox_report *rep)
{
    hdlpre_map m = {0};
    int rc = hdlpre_map_build(target, text, len, &m);
    if (rc == 0)
        sandbox_scan_expanded(target, label, text, len, hdlpre_origin, &m, exists, ctx, rep);
    hdlpre_map_free(&m);
    return rc;
}

static bool hdlpre_tree_has(const char *path, void *ctx)
{
    git_tree_entry *e = NULL;
    bool ok = git_tree_entry_bypath(&e, ctx, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
    git_tree_entry_free(e);
    return ok;
}

/* One view: runs the preprocessor on files (full paths) with opts and scans
 * what it printed. */
static int hdlpre_view(hdlpre_run *r, const char *view, const char *const *opts, char **files)
{
    char *inc = fsx_fmt("-I%s", r->rtl);
    char *label = fsx_fmt("cores/%s/rtl [%s view]", r->target, view);
    size_t no = 0, nf = 0;
    while (opts[no])
        no++;
    while (files[nf])
        nf++;
    const char **args = calloc(no + nf + 3, sizeof *args);
    int rc = -1;
    if (!inc || !label || !args) {
        snprintf(r->err, r->n, "sandbox: out of memory");
        goto out;
    }
    size_t k = 0;
    args[k++] = "-E";
    args[k++] = inc;
    for (size_t i = 0; i < no; i++)
        args[k++] = opts[i];
    for (size_t i = 0; i < nf; i++)
        args[k++] = files[i];
    proc_result res;
    if (hdlpre_exec(r, args, &res) != 0)
        goto out;
    struct stat st;
    rc = 0;
    if ((stat(r->out, &st) == 0 && st.st_size >= SANDBOX_EXPANDED_MAX) || res.term_signal == SIGXFSZ) {
        sandbox_report_add(r->rep, label, 0, "the preprocessed text reaches %d bytes (SANDBOX_EXPANDED_MAX): a "
                           "macro that expands without bound?", SANDBOX_EXPANDED_MAX);
    } else if (res.timed_out) {
        sandbox_report_add(r->rep, label, 0, "the preprocessor (verilator -E) did not finish within %d s",
                           HDLPRE_TIMEOUT_S);
    } else if (res.exit_code != 0 || res.term_signal || res.cancelled) {
        hdlpre_report_failure(r, view, label, &res);
    } else {
        char *text = NULL;
        size_t len = 0;
        if (fsx_read(r->out, &text, &len) != 0 ||
            hdlpre_scan_output(r->target, label, text, len, hdlpre_tree_has, r->tree, r->rep) != 0) {
            snprintf(r->err, r->n, "sandbox: reading the preprocessor's output %s: %s", r->out, strerror(errno));
            rc = -1;
        }
        free(text);
    }
out:
    free(args);
    free(inc);
    free(label);
    return rc;
}

/* ---- the views ------------------------------------------------------------------------- */

/* Verilator's order (cosim_rtl_list): *_pkg.sv first, then by name. */
static int hdlpre_cmp_verilator(const void *a, const void *b)
{
    const hdlpre_file *x = a, *y = b;
    bool px = dirlist_has_suffix(x->name, "_pkg.sv"), py = dirlist_has_suffix(y->name, "_pkg.sv");
    return px != py ? (px ? -1 : 1) : strcmp(x->name, y->name);
}

/* The synth gate's order: files declaring a package first, then by name. */
static int hdlpre_cmp_synth(const void *a, const void *b)
{
    const hdlpre_file *x = a, *y = b;
    return x->package != y->package ? (x->package ? -1 : 1) : strcmp(x->name, y->name);
}

static int hdlpre_cmp_name(const void *a, const void *b)
{
    return strcmp(((const hdlpre_file *)a)->name, ((const hdlpre_file *)b)->name);
}

static void hdlpre_paths_free(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

/* Full paths of the RTL files with one of two suffixes in cmp's order, an
 * optional first file and room for one more at the end (NULL-terminated). */
static char **hdlpre_paths(hdlpre_run *r, const char *sfx1, const char *sfx2, int (*cmp)(const void *, const void *),
                           const char *first, size_t *count)
{
    hdlpre_files *f = &r->rtl_files;
    qsort(f->v, f->n, sizeof *f->v, cmp);
    char **v = calloc(f->n + 3, sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    bool oom = first && !(v[k++] = fsx_fmt("%s", first));
    for (size_t i = 0; !oom && i < f->n; i++) {
        const char *name = f->v[i].name;
        if (name[0] != '.' && (dirlist_has_suffix(name, sfx1) || (sfx2 && dirlist_has_suffix(name, sfx2))))
            oom = !(v[k++] = fsx_fmt("%s/%s", r->rtl, name));
    }
    if (oom) {
        hdlpre_paths_free(v);
        return NULL;
    }
    *count = first ? k - 1 : k;
    return v;
}

/* "`undef M" for every macro Verilator predefines, asked from `verilator -E
 * --dump-defines` so that a newer Verilator's additions are covered too.
 * Returns the text or NULL (err). */
static char *hdlpre_undefs(hdlpre_run *r)
{
    char *empty = fsx_fmt("%s/empty.sv", r->prelude);
    const char *args[] = {"-E", "--dump-defines", empty, NULL};
    proc_result res;
    char *text = NULL, *out = NULL;
    size_t len = 0;
    strbuf b = {0};
    if (!empty || fsx_write_atomic(empty, "", 0) != 0) {
        snprintf(r->err, r->n, "sandbox: cannot write %s: %s", empty ? empty : "empty.sv", strerror(errno));
    } else if (hdlpre_exec(r, args, &res) == 0) {
        if (res.exit_code != 0 || res.term_signal || res.timed_out || fsx_read(r->out, &text, &len) != 0) {
            char *first = hdlpre_err_line(r, NULL);
            snprintf(r->err, r->n, "sandbox: `verilator -E --dump-defines` failed%s%s", first ? ": " : "",
                     first ? first : "");
            free(first);
        } else {
            for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char macro[128];
                if (sscanf(l, "`define %127[A-Za-z0-9_]", macro) == 1)
                    strbuf_addf(&b, "`undef %s\n", macro);
            }
            out = strbuf_take(&b);
        }
    }
    strbuf_free(&b);
    free(text);
    free(empty);
    return out;
}

/* A first file that makes Verilator's preprocessor see what Yosys's sees:
 * Verilator's macros undefined, Yosys's defined. Returns its path or NULL. */
static char *hdlpre_prelude(hdlpre_run *r, const char *name, const char *undefs, const char *defines)
{
    char *path = fsx_fmt("%s/%s", r->prelude, name);
    char *body = fsx_fmt("%s%s", undefs, defines);
    if (!body || !path || fsx_write_atomic(path, body, strlen(body)) != 0) {
        snprintf(r->err, r->n, "sandbox: cannot write the preprocessor prelude %s: %s", path ? path : name,
                 strerror(errno));
        free(path);
        path = NULL;
    }
    free(body);
    return path;
}

/* Verilator lint and cosim, then each testbench as lint builds it. */
static int hdlpre_verilator_views(hdlpre_run *r)
{
    size_t n = 0;
    char **files = hdlpre_paths(r, ".sv", NULL, hdlpre_cmp_verilator, NULL, &n);
    if (!files) {
        snprintf(r->err, r->n, "sandbox: out of memory");
        return -1;
    }
    const char *none[] = {NULL};
    int rc = n ? hdlpre_view(r, "Verilator lint/cosim", none, files) : 0;
    char *inc = fsx_fmt("-I%s", r->test);
    const char *tb_opts[] = {"--timing", inc, NULL};
    for (size_t i = 0; rc == 0 && inc && i < r->test_files.n; i++) {
        const char *name = r->test_files.v[i].name;
        if (strncmp(name, "tb_", 3) != 0 || !dirlist_has_suffix(name, ".sv"))
            continue;
        files[n] = fsx_fmt("%s/%s", r->test, name);
        char *view = fsx_fmt("Verilator testbench %s", name);
        rc = files[n] && view ? hdlpre_view(r, view, tb_opts, files) : -1;
        free(view);
        free(files[n]);
        files[n] = NULL;
    }
    free(inc);
    hdlpre_paths_free(files);
    return rc;
}

/* Yosys synth (read_verilog -nosynthesis: YOSYS only) and formal (YOSYS and
 * SYNTHESIS), each in its gate's file order. */
static int hdlpre_yosys_views(hdlpre_run *r)
{
    static const struct {
        const char *view, *prelude, *defines;
        int (*cmp)(const void *, const void *);
    } views[] = {
        {"Yosys synth", "yosys-synth.vh", "`define YOSYS 1\n", hdlpre_cmp_synth},
        {"Yosys formal", "yosys-formal.vh", "`define YOSYS 1\n`define SYNTHESIS 1\n", hdlpre_cmp_name},
    };
    const char *none[] = {NULL};
    char *undefs = hdlpre_undefs(r);
    int rc = undefs ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < sizeof views / sizeof views[0]; i++) {
        char *prelude = hdlpre_prelude(r, views[i].prelude, undefs, views[i].defines);
        size_t n = 0;
        char **files = prelude ? hdlpre_paths(r, ".sv", ".v", views[i].cmp, prelude, &n) : NULL;
        rc = !files ? -1 : n ? hdlpre_view(r, views[i].view, none, files) : 0;
        hdlpre_paths_free(files);
        free(prelude);
    }
    free(undefs);
    return rc;
}

static int hdlpre_prepare(hdlpre_run *r)
{
    r->rtl = fsx_fmt("%s/rtl", r->scratch);
    r->test = fsx_fmt("%s/test", r->scratch);
    r->cwd = fsx_fmt("%s/cwd", r->scratch);
    r->prelude = fsx_fmt("%s/prelude", r->scratch);
    r->out = fsx_fmt("%s/pp.out", r->scratch);
    r->errf = fsx_fmt("%s/pp.err", r->scratch);
    if (!r->rtl || !r->test || !r->cwd || !r->prelude || !r->out || !r->errf) {
        snprintf(r->err, r->n, "sandbox: out of memory");
        return -1;
    }
    if ((fsx_remove_tree(r->scratch) != 0 && errno != ENOENT) || fsx_mkdirs(r->rtl, 0755) != 0 ||
        fsx_mkdirs(r->test, 0755) != 0 || fsx_mkdirs(r->cwd, 0755) != 0 || fsx_mkdirs(r->prelude, 0755) != 0) {
        snprintf(r->err, r->n, "sandbox: cannot create the preprocessor's scratch directory %s: %s", r->scratch,
                 strerror(errno));
        return -1;
    }
    if (!proc_have_tool("verilator") || !proc_have_tool("prlimit")) {
        snprintf(r->err, r->n, "sandbox: the HDL scan after macro expansion needs %s in PATH: run 'bash "
                 "tools/setup.sh'", proc_have_tool("verilator") ? "prlimit (util-linux)" : "verilator");
        return -1;
    }
    return 0;
}

int hdlpre_check(git_repository *g, const git_oid *slot_tree, const char *target, const char *scratch,
                 const confine_policy *confine, sandbox_report *rep, char *err, size_t n)
{
    hdlpre_run r = {.g = g, .target = target, .scratch = scratch, .confine = confine, .rep = rep, .err = err,
                    .n = n};
    int rc = -1;
    if (git_tree_lookup(&r.tree, g, slot_tree) != 0) {
        snprintf(err, n, "sandbox: reading the slot tree: %s", git_error_last()->message);
        return -1;
    }
    if (hdlpre_prepare(&r) == 0 && hdlpre_copy_area(&r, "rtl", r.rtl, &r.rtl_files) == 0 &&
        hdlpre_copy_area(&r, "test", r.test, &r.test_files) == 0 && hdlpre_verilator_views(&r) == 0 &&
        hdlpre_yosys_views(&r) == 0)
        rc = 0;
    if (r.rtl)
        fsx_remove_tree(scratch);
    hdlpre_files_free(&r.rtl_files);
    hdlpre_files_free(&r.test_files);
    free(r.rtl);
    free(r.test);
    free(r.cwd);
    free(r.prelude);
    free(r.out);
    free(r.errf);
    git_tree_free(r.tree);
    return rc;
}
