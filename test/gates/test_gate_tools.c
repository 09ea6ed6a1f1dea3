/* test_gate_tools — every gate of the registry (gates/registry.h) starts
 * exactly the tools it declares, so the loop's tool check and the gate
 * cache keys cover what really runs.
 *
 * Each gate runs, in table order and with the earlier results as "prior",
 * on a copy of the baseline core cut to one testbench, in quick mode, with a
 * harness whose formal table holds one quick check, and a build directory
 * whose model and place-and-route caches are empty (so no cache hit skips a
 * tool). PATH starts with a directory in which every
 * program of PATH is a logging shim: a shim started by the gate appends its
 * name to the gate's log and execs the real program; a shim started by one
 * of those programs (make's compiler, say) logs nothing, since it is not the
 * gate that started it. The gate must pass, and the logged names must be its
 * `tools`, no more, no fewer.
 *
 * Also: the loop's stand-in gates (test/orch/fakegates.c) declare what the
 * real gates declare. Heavy (formal and place-and-route run): a TEST_SUITE.
 * Run from the repository root; BUILD (default "build") holds the bench
 * programs, libraries and binaries the gates use; GATES=a,b runs only those
 * gates; KEEP=1 keeps the scratch directory (its path is printed).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "gates/gate_cli.h"
#include "gates/registry.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "../orch/fakegates.h"

static const char shim_text[] =
    "#!/bin/sh\n"
    "# a tool the gate started: log it, then run the real one on the real PATH\n"
    "n=${0##*/}\n"
    "if [ -z \"$EVO_SHIM_INNER\" ] && [ -n \"$EVO_SHIM_LOG\" ]; then echo \"$n\" >> \"$EVO_SHIM_LOG\"; fi\n"
    "EVO_SHIM_INNER=1\n"
    "PATH=$EVO_SHIM_REAL_PATH\n"
    "export EVO_SHIM_INNER PATH\n"
    "exec \"$n\" \"$@\"\n";

static bool tools_name_ok(const char *s)
{
    if (!*s || *s == '.')
        return false;
    for (; *s; s++)
        if (!(s[0] >= 'a' && s[0] <= 'z') && !(s[0] >= 'A' && s[0] <= 'Z') && !(s[0] >= '0' && s[0] <= '9') &&
            !strchr("._+-", *s))
            return false;
    return true;
}

/* One shim (a link to dir/shim.sh) per program name found in path. */
static int tools_make_shims(const char *dir, const char *path)
{
    char *shim = fsx_fmt("%s/shim.sh", dir);
    if (!shim || fsx_write_atomic(shim, shim_text, strlen(shim_text)) != 0 || chmod(shim, 0755) != 0)
        return -1;
    char *copy = strdup(path);
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        DIR *dd = opendir(d);
        for (struct dirent *de; dd && (de = readdir(dd));) {
            char *real = fsx_fmt("%s/%s", d, de->d_name);
            char *link = fsx_fmt("%s/%s", dir, de->d_name);
            struct stat st;
            if (real && link && tools_name_ok(de->d_name) && strcmp(de->d_name, "shim.sh") != 0 &&
                stat(real, &st) == 0 && S_ISREG(st.st_mode) && access(real, X_OK) == 0 && access(link, F_OK) != 0)
                symlink("shim.sh", link);
            free(real);
            free(link);
        }
        if (dd)
            closedir(dd);
    }
    free(copy);
    free(shim);
    return 0;
}

/* A copy of the baseline core with only its first testbench, under tree. */
static int tools_make_tree(const char *tree)
{
    char *cmd = fsx_fmt("set -e; d='%s/cores/baseline'; mkdir -p \"$d/test\"; cp -r cores/baseline/rtl "
                        "cores/baseline/core.yaml \"$d/\"; cp \"$(ls cores/baseline/test/tb_*.sv | head -n1)\" "
                        "\"$d/test/\"", tree);
    int rc = cmd ? system(cmd) : -1;
    free(cmd);
    return rc == 0 ? 0 : -1;
}

/* The harness: the real one, except that formal/checks.tsv keeps one quick
 * check (the formal gate still prepares its netlist with yosys and proves
 * with yosys-abc, in a fraction of the time of the whole table). */
static int tools_make_harness(const char *dir)
{
    char *cmd = fsx_fmt("set -e; h='%s'; mkdir -p \"$h/formal\"; for d in *; do [ \"$d\" = formal ] || "
                        "ln -s \"$PWD/$d\" \"$h/$d\"; done; for f in formal/*; do [ \"$f\" = formal/checks.tsv ] "
                        "|| ln -s \"$PWD/$f\" \"$h/$f\"; done; grep -E '^(#|pc_bwd )' formal/checks.tsv > "
                        "\"$h/formal/checks.tsv\"; grep -q '^pc_bwd ' \"$h/formal/checks.tsv\"", dir);
    int rc = cmd ? system(cmd) : -1;
    free(cmd);
    return rc == 0 ? 0 : -1;
}

/* The build directory: the real one's programs and libraries, no caches. */
static int tools_make_build(const char *dir, const char *real)
{
    if (fsx_mkdirs(dir, 0755) != 0)
        return -1;
    static const char *const keep[] = {"bench", "bin", "lib"};
    for (size_t i = 0; i < 3; i++) {
        char *from = fsx_fmt("%s/%s", real, keep[i]), *to = fsx_fmt("%s/%s", dir, keep[i]);
        int rc = from && to ? symlink(from, to) : -1;
        free(from);
        free(to);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static bool tools_listed(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/* Compares what the gate started (log: one name a line) with its list:
 * "" when they agree, else what differs. */
static char *tools_compare(const char *log, const char *const *declared)
{
    char *text = NULL;
    if (fsx_read(log, &text, NULL) != 0)
        text = strdup("");
    const char *started[256];
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < 256; l = strtok_r(NULL, "\n", &save))
        started[n++] = l;
    char diff[1024] = "";
    for (size_t i = 0; i < n; i++) {
        bool again = false;
        for (size_t j = 0; j < i && !again; j++)
            again = strcmp(started[j], started[i]) == 0;
        if (!again && !tools_listed(declared, started[i]))
            snprintf(diff + strlen(diff), sizeof diff - strlen(diff), " started but not declared: %s;", started[i]);
    }
    for (const char *const *t = declared; t && *t; t++) {
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = strcmp(started[i], *t) == 0;
        if (!seen)
            snprintf(diff + strlen(diff), sizeof diff - strlen(diff), " declared but not started: %s;", *t);
    }
    free(text);
    return strdup(diff);
}

/* Runs one gate with the shims logging what it starts, checks that it
 * passed and started exactly its tools, and adds its result to prior. */
static void tools_run_gate(const gate_def *def, const gate_ctx *base, json_t *prior, const char *work)
{
    char *log = fsx_fmt("%s/started-%s.txt", work, def->name);
    char *name = fsx_fmt("gate %s starts exactly its declared tools", def->name);
    setenv("EVO_SHIM_LOG", log, 1);
    gate_ctx ctx = *base;
    ctx.prior = prior;
    ctx.jobs = def->cpus;
    ctx.timeout_s = def->timeout_s;
    json_t *r = def->run(&ctx);
    unsetenv("EVO_SHIM_LOG");
    CHECK_CASE(name) {
        const char *st = json_string_value(json_object_get(r, "status"));
        const char *diag = json_string_value(json_object_get(r, "diagnostic"));
        if (!st || strcmp(st, "pass") != 0) {
            char m[600];
            snprintf(m, sizeof m, "the gate did not pass on the baseline (%s): %.400s", st ? st : "no status",
                     diag ? diag : "");
            check_fail(__FILE__, __LINE__, m);
        }
        char *diff = tools_compare(log, def->tools);
        if (diff && *diff)
            check_fail(__FILE__, __LINE__, diff);
        free(diff);
    }
    check_close(); /* the case's name is freed below */
    json_object_set_new(prior, def->name, r ? r : json_null());
    free(log);
    free(name);
}

/* True when name is one of the comma-separated names in csv. */
static bool tools_in_csv(const char *csv, const char *name)
{
    size_t l = strlen(name);
    for (const char *p = csv; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == l && strncmp(p, name, l) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

/* only: NULL, or the gates to run (GATES=lint,formal, when debugging one:
 * a gate whose input is another gate's result needs that gate listed too). */
static void test_real_gates(const char *work, const char *build, const char *only)
{
    char *shims = fsx_fmt("%s/shims", work), *tree = fsx_fmt("%s/tree", work);
    char *bdir = fsx_fmt("%s/build", work), *run = fsx_fmt("%s/run", work);
    char *harness = fsx_fmt("%s/harness", work);
    char *real_build = realpath(build, NULL);
    const char *path = getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin";
    char *real_path = strdup(path);
    for (size_t i = 0; i < gate_pipeline_len; i++)
        for (const char *const *t = gate_pipeline[i].tools; *t; t++)
            if (!proc_have_tool(*t)) {
                char why[160];
                snprintf(why, sizeof why, "%s (gate %s) is not installed (bash tools/setup.sh)", *t,
                         gate_pipeline[i].name);
                check_skip("gates: each starts exactly its declared tools", why);
                goto out;
            }
    if (!real_build || fsx_mkdirs(shims, 0755) != 0 || tools_make_shims(shims, path) != 0 ||
        tools_make_tree(tree) != 0 || tools_make_harness(harness) != 0 || tools_make_build(bdir, real_build) != 0 ||
        fsx_mkdirs(run, 0755) != 0) {
        CHECK_CASE("gates: set up shims, core copy and build directory") CHECK(!"set-up failed");
        goto out;
    }
    char *new_path = fsx_fmt("%s:%s", shims, path);
    setenv("EVO_SHIM_REAL_PATH", real_path, 1);
    setenv("PATH", new_path, 1);
    free(new_path);

    gate_cli_opts o;
    gate_cli_init(&o);
    o.core = "baseline";
    o.tree = tree;
    o.rundir = run;
    o.build = bdir;
    o.quick = true;
    gate_cli_env env;
    if (gate_cli_open("test_gate_tools", &o, "manual", false, true, &env) != 0) {
        CHECK_CASE("gates: open the core copy") CHECK(!"gate_cli_open failed");
        goto out;
    }
    env.ctx.harness = harness;
    json_t *prior = json_object();
    for (size_t i = 0; i < gate_pipeline_len; i++) {
        const gate_def *def = &gate_pipeline[i];
        if (only && !tools_in_csv(only, def->name))
            continue;
        tools_run_gate(def, &env.ctx, prior, work);
    }
    json_decref(prior);
    gate_cli_close(&env);
out:
    setenv("PATH", real_path, 1);
    free(real_path);
    free(real_build);
    free(shims);
    free(tree);
    free(bdir);
    free(run);
    free(harness);
}

static bool tools_same_list(const char *const *a, const char *const *b)
{
    for (; a && *a; a++, b++)
        if (!b || !*b || strcmp(*a, *b) != 0)
            return false;
    return !b || !*b;
}

static void test_fakes_agree(void)
{
    CHECK_CASE("the loop's stand-in gates declare what the real gates declare") {
        CHECK_EQ_INT(fakegates_len, gate_pipeline_len);
        for (size_t i = 0; i < fakegates_len && i < gate_pipeline_len; i++) {
            const gate_def *f = &fakegates_table[i], *g = &gate_pipeline[i];
            CHECK(strcmp(f->name, g->name) == 0);
            CHECK(tools_same_list(f->needs, g->needs));
            CHECK(tools_same_list(f->tools, g->tools));
            CHECK(tools_same_list(f->built_by, g->built_by));
            CHECK_EQ_INT(f->cpus, g->cpus);
            CHECK_EQ_INT(f->mem_mib, g->mem_mib);
            CHECK(f->fitness == g->fitness);
            CHECK_EQ_INT(f->tool_job_cpus, g->tool_job_cpus);
            CHECK(!f->fail_outcome == !g->fail_outcome &&
                  (!f->fail_outcome || strcmp(f->fail_outcome, g->fail_outcome) == 0));
        }
    }
}

int main(void)
{
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    test_fakes_agree();
    char tmpl[] = "/tmp/evo-gate-tools-XXXXXX";
    char *work = mkdtemp(tmpl);
    if (!work) {
        CHECK_CASE("gates: a scratch directory") CHECK(!"mkdtemp failed");
        return check_done();
    }
    test_real_gates(work, build, getenv("GATES"));
    if (getenv("KEEP"))
        printf("# scratch directory kept: %s\n", work);
    else
        fsx_remove_tree(work);
    return check_done();
}
