/* lint.c — the lint gate (DESIGN.md §3).
 *
 * 1. `verilator --lint-only -Wall --top-module core` over <tree>/cores/<core>/rtl/ (every .sv file)
 *    (packages first, see cosim_rtl_list): any warning or error fails the gate.
 * 2. The core's own unit tests: every <tree>/cores/<core>/test/tb_NAME.sv is a
 *    self-checking SystemVerilog testbench whose top module has the file's name;
 *    it is built by Verilator (--cc --exe --main --timing, i.e. --binary) together
 *    with the core's RTL and run; Verilator's runtime objects are compiled once per
 *    Verilator version into the model cache and reused.
 *    It must print at least one "PASS <name>" line, no "FAIL" line, and exit 0.
 *    A core without testbenches passes step 2 with tests = 0 (reported).
 * Figures: warnings, errors, tests_passed, tests_failed, testbenches.
 * Verilator gets -I<tree>/cores/<core>/rtl (and test/ for testbenches) and runs
 * in the empty <rundir>/lint-cwd: after the -I directories it looks for an
 * `include in its working directory, which must not be a checkout of anything.
 * Verilator has no switch to refuse DPI: the sandbox's scan (orch/sandbox.h,
 * orch/hdlpre.h) keeps DPI imports out before this gate runs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cosim/cosim_model.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { LINT_MAX_ARGS = 512 };

typedef struct {
    const gate_ctx *ctx;
    double t0, deadline;
    char *log;
    char *cwd; /* <rundir>/lint-cwd, empty: Verilator's working directory */
    char **rtl;
    int nrtl;
    char *vversion;
    char *io_path; /* the first file the gate could not write (NULL: none) */
    int io_errno;
} lint_run;

static double lint_left(const lint_run *l)
{
    double left = l->deadline - proc_now();
    return left > 5 ? left : 5;
}

/* Remembers the first write that failed: a verdict reached without its
 * files is no verdict (gate_result_io_error). */
static void lint_note_io(lint_run *l, const char *path, int rc)
{
    if (rc != 0 && !l->io_path) {
        l->io_errno = errno;
        l->io_path = strdup(path);
    }
}

/* Runs argv with its output in out_log (replaced), then appends it to the gate log. */
static int lint_tool(lint_run *l, const char *const *argv, const char *cwd, const char *out_log,
                     double timeout_s, proc_result *res)
{
    unlink(out_log);
    char *hdr = fsx_fmt("== lint: %s ... (output in %s)\n", argv[0], out_log);
    lint_note_io(l, l->log, hdr ? fsx_append(l->log, hdr, strlen(hdr)) : -1);
    free(hdr);
    /* Every tool writes only the run directory: even the runtime objects are
     * built there, and this gate's own code publishes them in the cache. */
    proc_spec spec = {.argv = argv, .cwd = cwd, .log_path = out_log, .timeout_s = timeout_s,
                      .confine = l->ctx->confine, .group = l->ctx->group};
    int rc = proc_run(&spec, res);
    char *text = NULL;
    size_t len = 0;
    if (fsx_read(out_log, &text, &len) == 0)
        lint_note_io(l, l->log, fsx_append(l->log, text, len));
    free(text);
    return rc;
}

static int lint_count_prefix(const char *text, const char *prefix)
{
    int n = 0;
    size_t pl = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, pl) == 0)
            n++;
    return n;
}

/* The first ~1.5 KiB of a log: for lint, the first complaint matters most. */
static char *lint_head(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (fsx_read(path, &text, &len) != 0)
        return fsx_fmt("(no output)");
    if (len > 1500)
        strcpy(text + 1500 - 4, "...");
    return text;
}

static json_t *lint_verilator(lint_run *l, json_t *r, bool *ok)
{
    const char *argv[LINT_MAX_ARGS];
    size_t k = 0;
    char *rtl_dir = gate_core_path(l->ctx, "rtl");
    char *inc = fsx_fmt("-I%s", rtl_dir);
    argv[k++] = "verilator";
    argv[k++] = "--lint-only";
    argv[k++] = "-Wall";
    argv[k++] = "--top-module";
    argv[k++] = "core";
    argv[k++] = inc;
    for (int i = 0; i < l->nrtl && k + 1 < LINT_MAX_ARGS; i++)
        argv[k++] = l->rtl[i];
    argv[k] = NULL;
    char *out = gate_path(l->ctx, "lint-verilator.log");
    proc_result res;
    int rc = lint_tool(l, argv, l->cwd, out, lint_left(l), &res);
    char *text = NULL;
    size_t len = 0;
    fsx_read(out, &text, &len);
    int warnings = lint_count_prefix(text, "%Warning"), errors = lint_count_prefix(text, "%Error");
    json_object_set_new(r, "warnings", json_integer(warnings));
    json_object_set_new(r, "errors", json_integer(errors));
    *ok = rc == 0 && warnings == 0 && errors == 0;
    json_t *res_j = NULL;
    if (res.spawn_failed || res.timed_out || res.cancelled) {
        char why[256];
        proc_describe(&res, "verilator", why, sizeof why);
        res_j = gate_result_finish(r, res.timed_out ? "timeout" : "error", why, l->log, l->t0);
    } else if (!*ok) {
        char *head = lint_head(out);
        char *diag = fsx_fmt("verilator --lint-only -Wall: %d warning(s), %d error(s)\n%s", warnings, errors, head);
        res_j = gate_result_finish(r, "fail", diag, l->log, l->t0);
        free(head);
        free(diag);
    }
    free(text);
    free(out);
    free(inc);
    free(rtl_dir);
    return res_j;
}

/* tb_*.sv under the core's test/ directory, sorted; count or -1. */
static int lint_testbenches(const lint_run *l, char ***out)
{
    char *dir = gate_core_path(l->ctx, "test");
    char **all = NULL;
    int n = cosim_rtl_list(dir, &all);
    free(dir);
    *out = all;
    if (n <= 0)
        return n < 0 ? 0 : n; /* no test directory: no tests */
    int k = 0;
    for (int i = 0; i < n; i++) {
        const char *base = strrchr(all[i], '/') + 1;
        if (strncmp(base, "tb_", 3) == 0)
            all[k++] = all[i];
        else
            free(all[i]);
    }
    all[k] = NULL;
    return k;
}

/* Verilator options of the testbench builds; part of the runtime cache key. */
static const char *const tb_flags[] = {"--cc", "--exe", "--main", "--timing", "-Wno-fatal", "-Wno-lint",
                                       "-Wno-style", NULL};

/* The runtime objects a generated testbench needs (VM_GLOBAL_* in V<top>_classes.mk),
 * as a NULL-terminated malloc'd list; NULL when the file cannot be read. */
static char **lint_tb_globals(const char *mdir, const char *top)
{
    char *path = fsx_fmt("%s/V%s_classes.mk", mdir, top);
    char *text = NULL;
    size_t len = 0;
    int rc = fsx_read(path, &text, &len);
    free(path);
    if (rc != 0)
        return NULL;
    char **names = calloc(16, sizeof *names);
    int n = 0;
    bool in = false;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); names && line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "VM_GLOBAL_", 10) == 0) {
            in = true;
        } else if (in && line[0] == '\t' && n < 15) {
            char name[64];
            if (sscanf(line, " %63[A-Za-z0-9_]", name) == 1)
                names[n++] = fsx_fmt("%s", name);
        } else {
            in = false;
        }
    }
    free(text);
    return names;
}

static void lint_free_list(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

static int lint_copy(const char *from, const char *to)
{
    char *data = NULL;
    size_t len = 0;
    int rc = fsx_read(from, &data, &len) == 0 ? fsx_write_atomic(to, data, len) : -1;
    free(data);
    return rc;
}

/* Verilator's runtime objects are the slow part of a testbench build and never
 * change for one Verilator version: compile them once into the model cache
 * (<cache>/tbrt-<key>/) and copy them into each testbench's build directory,
 * newer than its makefile, so make links them instead of compiling them. */
static int lint_tb_runtime(lint_run *l, const char *mdir, const char *top, const char *blog)
{
    char **names = lint_tb_globals(mdir, top);
    if (!names)
        return -1;
    char *keysrc = fsx_fmt("%s", l->vversion);
    for (const char *const *f = tb_flags; *f; f++) {
        char *k = fsx_fmt("%s %s", keysrc, *f);
        free(keysrc);
        keysrc = k;
    }
    for (char **p = names; *p; p++) {
        char *k = fsx_fmt("%s %s", keysrc, *p);
        free(keysrc);
        keysrc = k;
    }
    char key[21];
    int rc = cosim_key(keysrc, strlen(keysrc), key);
    free(keysrc);
    char *cache = cosim_cache_dir(l->ctx->build);
    char *rt = fsx_fmt("%s/tbrt-%s", cache, key);
    char *stamp = fsx_fmt("%s/complete", rt);
    if (rc == 0 && access(stamp, F_OK) != 0) {
        /* build them here once, then publish the directory atomically */
        char *mk = fsx_fmt("V%s.mk", top);
        const char *argv[24] = {"make", "-f", mk};
        size_t k = 3;
        for (char **p = names; *p && k < 20; p++)
            argv[k++] = fsx_fmt("%s.o", *p);
        argv[k] = NULL;
        proc_result res;
        rc = lint_tool(l, argv, mdir, blog, lint_left(l), &res);
        for (size_t i = 3; i < k; i++)
            free((char *)argv[i]);
        free(mk);
        char *tmp = fsx_fmt("%s.tmp-%ld-%ld", rt, (long)getpid(), (long)gettid());
        if (rc == 0)
            rc = fsx_mkdirs(tmp, 0755);
        for (char **p = names; rc == 0 && *p; p++) {
            char *from = fsx_fmt("%s/%s.o", mdir, *p), *to = fsx_fmt("%s/%s.o", tmp, *p);
            rc = lint_copy(from, to);
            free(from);
            free(to);
        }
        char *tstamp = fsx_fmt("%s/complete", tmp);
        if (rc == 0)
            rc = fsx_write_atomic(tstamp, "", 0);
        if (rc == 0 && rename(tmp, rt) != 0 && access(stamp, F_OK) != 0)
            rc = -1;
        fsx_remove_tree(tmp);
        free(tstamp);
        free(tmp);
    } else if (rc == 0) {
        for (char **p = names; rc == 0 && *p; p++) {
            char *from = fsx_fmt("%s/%s.o", rt, *p), *to = fsx_fmt("%s/%s.o", mdir, *p);
            rc = lint_copy(from, to); /* a fresh file: newer than the makefile */
            free(from);
            free(to);
        }
    }
    free(stamp);
    free(rt);
    free(cache);
    lint_free_list(names);
    return rc;
}

/* Builds and runs one testbench; adds its PASS/FAIL counts. Returns 0, or -1 with *why set. */
static int lint_one_tb(lint_run *l, const char *tb, int *passed, int *failed, char **why)
{
    const char *base = strrchr(tb, '/') + 1;
    char top[128];
    snprintf(top, sizeof top, "%.*s", (int)(strlen(base) - 3), base);
    char *mdir = fsx_fmt("%s/lint-tb/%s", l->ctx->rundir, top);
    char *rtl_dir = gate_core_path(l->ctx, "rtl");
    char *test_dir = gate_core_path(l->ctx, "test");
    char *inc1 = fsx_fmt("-I%s", rtl_dir), *inc2 = fsx_fmt("-I%s", test_dir);
    char *blog = fsx_fmt("%s/lint-tb-%s-build.log", l->ctx->rundir, top);
    char *rlog = fsx_fmt("%s/lint-tb-%s.log", l->ctx->rundir, top);
    char *exe = fsx_fmt("%s/%s", mdir, top), *mk = fsx_fmt("V%s.mk", top);
    char jobs[16];
    snprintf(jobs, sizeof jobs, "-j%d", l->ctx->jobs > 0 ? l->ctx->jobs : 1);
    const char *argv[LINT_MAX_ARGS];
    size_t k = 0;
    argv[k++] = "verilator";
    for (const char *const *f = tb_flags; *f; f++)
        argv[k++] = *f;
    const char *more[] = {"--top-module", top, "-Mdir", mdir, "-o", top, inc1, inc2};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        argv[k++] = more[i];
    for (int i = 0; i < l->nrtl && k + 2 < LINT_MAX_ARGS; i++)
        argv[k++] = l->rtl[i];
    argv[k++] = tb;
    argv[k] = NULL;
    fsx_remove_tree(mdir);
    fsx_mkdirs(mdir, 0755);
    proc_result res;
    char desc[256];
    int rc = -1;
    const char *make[] = {"make", "-f", mk, jobs, "OPT_FAST=-O0", "OPT_SLOW=-O0", NULL};
    if (lint_tool(l, argv, l->cwd, blog, lint_left(l), &res) != 0 || lint_tb_runtime(l, mdir, top, blog) != 0 ||
        lint_tool(l, make, mdir, blog, lint_left(l), &res) != 0) {
        char *head = lint_head(blog);
        *why = fsx_fmt("%s: building the testbench failed (%s)\n%s", base,
                       proc_describe(&res, "verilator", desc, sizeof desc), head);
        free(head);
        goto out;
    }
    const char *run[] = {exe, NULL};
    double limit = lint_left(l) < 120 ? lint_left(l) : 120;
    int run_rc = lint_tool(l, run, mdir, rlog, limit, &res);
    char *text = NULL;
    size_t len = 0;
    fsx_read(rlog, &text, &len);
    int p = lint_count_prefix(text, "PASS"), f = lint_count_prefix(text, "FAIL");
    *passed += p;
    *failed += f;
    free(text);
    if (run_rc != 0 || f > 0 || p == 0) {
        char *tail = fsx_tail(rlog, 1500); /* the diagnostic stays under 2 KiB */
        *why = fsx_fmt("%s: %s%s\n%s", base,
                       run_rc != 0 ? proc_describe(&res, top, desc, sizeof desc) : f > 0 ? "FAIL lines" : "",
                       p == 0 ? " (no PASS line: a testbench must report what it checked)" : "", tail);
        free(tail);
        goto out;
    }
    rc = 0;
out:
    free(mdir);
    free(rtl_dir);
    free(test_dir);
    free(inc1);
    free(inc2);
    free(blog);
    free(rlog);
    free(exe);
    free(mk);
    return rc;
}

/* `verilator --version`, for cache keys. */
static char *lint_vversion(const lint_run *l)
{
    char *out = gate_path(l->ctx, "lint-version.txt");
    const char *argv[] = {"verilator", "--version", NULL};
    proc_spec spec = {.argv = argv, .log_path = out, .timeout_s = 30, .group = l->ctx->group};
    proc_result res;
    unlink(out);
    char *text = NULL;
    size_t len = 0;
    if (proc_run(&spec, &res) != 0 || fsx_read(out, &text, &len) != 0) {
        free(text);
        text = NULL;
    }
    unlink(out);
    free(out);
    return text;
}

json_t *gate_lint(const gate_ctx *ctx)
{
    lint_run l = {.ctx = ctx, .t0 = proc_now()};
    l.deadline = l.t0 + (ctx->timeout_s > 0 ? ctx->timeout_s : 300);
    l.log = gate_path(ctx, "lint.log");
    json_t *r = gate_result_new("lint");
    char *rtl_dir = gate_core_path(ctx, "rtl");
    l.nrtl = cosim_rtl_list(rtl_dir, &l.rtl);
    l.cwd = gate_path(ctx, "lint-cwd");
    json_t *done = NULL;
    if ((fsx_remove_tree(l.cwd) != 0 && errno != ENOENT) || fsx_mkdirs(l.cwd, 0755) != 0) {
        char *m = fsx_fmt("cannot create the empty working directory %s: %s", l.cwd, strerror(errno));
        done = gate_result_finish(r, "error", m, NULL, l.t0);
        free(m);
    } else if (l.nrtl <= 0) {
        char *m = fsx_fmt("no RTL: %s has no *.sv files", rtl_dir);
        done = gate_result_finish(r, l.nrtl < 0 ? "error" : "fail", m, NULL, l.t0);
        free(m);
    } else if (!proc_have_tool("verilator")) {
        done = gate_result_finish(r, "error", "not found: verilator (run 'bash tools/setup.sh')", NULL, l.t0);
    }
    bool ok = false;
    if (!done)
        done = lint_verilator(&l, r, &ok);
    if (!done) {
        char **tbs = NULL;
        int ntb = lint_testbenches(&l, &tbs);
        int passed = 0, failed = 0;
        char *why = NULL;
        l.vversion = lint_vversion(&l);
        if (!l.vversion && ntb > 0)
            why = fsx_fmt("cannot run 'verilator --version'");
        for (int i = 0; i < ntb && !why; i++)
            lint_one_tb(&l, tbs[i], &passed, &failed, &why);
        cosim_rtl_free(tbs);
        json_object_set_new(r, "testbenches", json_integer(ntb));
        json_object_set_new(r, "tests_passed", json_integer(passed));
        json_object_set_new(r, "tests_failed", json_integer(failed));
        if (why) {
            done = gate_result_finish(r, proc_now() > l.deadline ? "timeout" : "fail", why, l.log, l.t0);
            free(why);
        } else {
            char *m = fsx_fmt("lint clean; %d testbench(es), %d test(s) passed%s", ntb, passed,
                              ntb == 0 ? " (the core has no test/tb_*.sv)" : "");
            done = gate_result_finish(r, "pass", m, l.log, l.t0);
            free(m);
        }
    }
    if (l.io_path)
        done = gate_result_io_error(done, l.io_path, l.io_errno, l.t0);
    cosim_rtl_free(l.rtl);
    free(rtl_dir);
    free(l.cwd);
    free(l.log);
    free(l.vversion);
    free(l.io_path);
    return done;
}
