/* test_gate_cli — the command-line layer shared by bin/gate, bin/formal,
 * bin/fpga and cosimctl (tools/gates/gate_cli): options, set-up of a run,
 * result files and exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "gates/gate_cli.h"
#include "lib/fsx.h"

static char tmpdir[64];

/* Parses argv (NULL-terminated, argv[0] is a program name) with only the
 * common options; returns the first non-1 answer of gate_cli_option, or 1. */
static int parse(gate_cli_opts *o, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    gate_cli_init(o);
    for (int i = 1; i < argc; i++) {
        int r = gate_cli_option(o, argc, argv, &i);
        if (r != 1)
            return r;
    }
    return 1;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_options(void)
{
    gate_cli_opts o;
    CHECK_CASE("gate_cli: the common options are taken, with defaults")
    {
        char *argv[] = {"x", "--core", "c1", "--tree", "t", "--rundir", "r", "--build", "b", "--json", "j.json",
                        "--jobs", "3", "--timeout", "2.5", "--quick", NULL};
        CHECK(parse(&o, argv) == 1);
        CHECK(strcmp(o.core, "c1") == 0 && strcmp(o.tree, "t") == 0 && strcmp(o.rundir, "r") == 0);
        CHECK(strcmp(o.build, "b") == 0 && strcmp(o.json_out, "j.json") == 0);
        CHECK(o.jobs == 3 && o.timeout_s == 2.5 && o.quick);
        char *none[] = {"x", NULL};
        CHECK(parse(&o, none) == 1 && strcmp(o.tree, ".") == 0 && o.jobs >= 1 && !o.core && !o.quick);
    }
    CHECK_CASE("gate_cli: another option is left to the caller, a bad value is refused")
    {
        char *own[] = {"x", "--deep", NULL};
        CHECK(parse(&o, own) == 0);
        char *missing[] = {"x", "--core", NULL};
        CHECK(parse(&o, missing) == -1);
        char *jobs0[] = {"x", "--jobs", "0", NULL};
        CHECK(parse(&o, jobs0) == -1);
        char *jobsx[] = {"x", "--jobs", "2x", NULL};
        CHECK(parse(&o, jobsx) == -1);
        char *tneg[] = {"x", "--timeout", "-1", NULL};
        CHECK(parse(&o, tneg) == -1);
        char *tnan[] = {"x", "--timeout", "nan", NULL};
        CHECK(parse(&o, tnan) == -1);
        char *tempty[] = {"x", "--timeout", "", NULL};
        CHECK(parse(&o, tempty) == -1);
    }
}

static void test_open(void)
{
    char *tree = fsx_fmt("%s/tree", tmpdir), *core = fsx_fmt("%s/tree/cores/k", tmpdir);
    fsx_mkdirs(core, 0755);
    gate_cli_opts o;
    gate_cli_env env;
    gate_cli_init(&o);
    o.core = "k";
    o.tree = tree;
    CHECK_CASE("gate_cli: a required core.yaml that is missing is an error (3), nothing is created")
    {
        char *rd = fsx_fmt("%s/run-missing", tmpdir);
        o.rundir = rd;
        CHECK(gate_cli_open("t", &o, "manual", true, true, &env) == 3);
        CHECK(!is_dir(rd));
        free(rd);
    }
    CHECK_CASE("gate_cli: an optional core.yaml may be absent; run and build directories are made")
    {
        char *rd = fsx_fmt("%s/run-a/deep", tmpdir), *bd = fsx_fmt("%s/build-a", tmpdir);
        o.rundir = rd;
        o.build = bd;
        CHECK(gate_cli_open("t", &o, "manual", true, false, &env) == 0);
        CHECK(env.cfg == NULL && is_dir(rd) && is_dir(bd));
        CHECK(env.ctx.core_cfg == NULL && strcmp(env.ctx.rundir, rd) == 0 && strcmp(env.ctx.core, "k") == 0);
        CHECK(env.ctx.tree[0] == '/' && env.ctx.harness[0] == '/' && env.ctx.jobs == o.jobs);
        gate_cli_close(&env);
        free(rd);
        free(bd);
    }
    CHECK_CASE("gate_cli: a malformed core.yaml is an error naming it; a good one is loaded")
    {
        char *y = fsx_fmt("%s/core.yaml", core);
        fsx_write_atomic(y, "name: [unclosed\n", 16);
        o.rundir = tmpdir;
        o.build = tmpdir;
        CHECK(gate_cli_open("t", &o, "manual", true, false, &env) == 3);
        fsx_write_atomic(y, "name: k\nisa: rv32im\n", 20);
        CHECK(gate_cli_open("t", &o, "manual", true, true, &env) == 0);
        CHECK(env.cfg && strcmp(json_string_value(json_object_get(env.cfg, "name")), "k") == 0);
        CHECK(env.ctx.core_cfg == env.cfg);
        gate_cli_close(&env);
        free(y);
    }
    CHECK_CASE("gate_cli: a tree that does not exist is an error")
    {
        o.tree = "/nonexistent/tree";
        CHECK(gate_cli_open("t", &o, "manual", true, false, &env) == 3);
    }
    free(tree);
    free(core);
}

static void test_results(void)
{
    CHECK_CASE("gate_cli: exit codes follow the status")
    {
        json_t *p = json_pack("{ss}", "status", "pass"), *f = json_pack("{ss}", "status", "fail");
        json_t *e = json_pack("{ss}", "status", "error"), *t = json_pack("{ss}", "status", "timeout");
        CHECK(gate_cli_exit(p) == 0 && gate_cli_exit(f) == 1 && gate_cli_exit(e) == 2);
        CHECK(gate_cli_exit(t) == 2 && gate_cli_exit(NULL) == 2);
        json_decref(p);
        json_decref(f);
        json_decref(e);
        json_decref(t);
    }
    CHECK_CASE("gate_cli: results go to --json or to the run directory; an unwritable path is exit 2")
    {
        json_t *j = json_pack("{si}", "a", 1);
        char *named = fsx_fmt("%s/named.json", tmpdir), *dflt = fsx_fmt("%s/r.json", tmpdir);
        CHECK(gate_cli_write("t", j, named, tmpdir, "r.json") == 0 && access(named, R_OK) == 0);
        CHECK(gate_cli_write("t", j, NULL, tmpdir, "r.json") == 0 && access(dflt, R_OK) == 0);
        CHECK(gate_cli_write("t", j, "/nonexistent/dir/x.json", tmpdir, "r.json") == 2);
        free(named);
        free(dflt);
        json_decref(j);
    }
}

/* A stand-in gate: passes with the figure "seen" = prior.a.v, and says
 * whether it got a sandbox and how many mounts it has. */
static json_t *echo_gate(const gate_ctx *ctx)
{
    json_t *r = gate_result_new("echo");
    json_t *a = json_object_get(ctx->prior, "a");
    json_object_set_new(r, "seen", json_integer(json_integer_value(json_object_get(a, "v"))));
    json_object_set_new(r, "confined", json_boolean(ctx->confine && ctx->confine->enabled));
    json_object_set_new(r, "mounts", json_integer(ctx->confine ? (json_int_t)ctx->confine->nmounts : 0));
    return gate_result_finish(r, "pass", NULL, NULL, 0);
}

static void test_main(void)
{
    static const gate_def table[] = {{.name = "echo", .run = echo_gate, .cpus = 1, .timeout_s = 5}};
    CHECK_CASE("gate_cli: --confine takes ro, ro?, rw and hide paths in order; other kinds are refused")
    {
        gate_cli_opts o;
        char *ok[] = {"x", "--confine", "ro:/a", "--confine", "ro?:/b", "--confine", "rw:/c", "--confine",
                      "hide:/d", NULL};
        CHECK(parse(&o, ok) == 1 && o.confined && o.policy.nmounts == 4);
        CHECK(o.policy.mounts[1].kind == CONFINE_RO_TRY && strcmp(o.policy.mounts[1].path, "/b") == 0);
        CHECK(o.policy.mounts[3].kind == CONFINE_HIDE && strcmp(o.policy.mounts[3].path, "/d") == 0);
        char *bad[] = {"x", "--confine", "rx:/a", NULL};
        CHECK(parse(&o, bad) == -1);
        char *rel[] = {"x", "--confine", "ro:a", NULL};
        CHECK(parse(&o, rel) == -1);
        char *none[] = {"x", NULL};
        CHECK(parse(&o, none) == 1 && !o.confined);
    }
    CHECK_CASE("gate_cli: the gate command runs a table's gate with --prior results and the --confine sandbox")
    {
        char *tree = fsx_fmt("%s/mt", tmpdir), *cdir = fsx_fmt("%s/mt/cores/k", tmpdir);
        char *yaml = fsx_fmt("%s/core.yaml", cdir), *prior = fsx_fmt("%s/prior.json", tmpdir);
        char *rd = fsx_fmt("%s/mrun", tmpdir), *out = fsx_fmt("%s/mout.json", tmpdir);
        char *ro = fsx_fmt("ro:%s", tree);
        CHECK(fsx_mkdirs(cdir, 0755) == 0 && fsx_write_atomic(yaml, "name: k\n", 8) == 0);
        const char *ptext = "{\"a\": {\"v\": 7}}";
        CHECK(fsx_write_atomic(prior, ptext, strlen(ptext)) == 0);
        char *argv[] = {"t", "echo", "--core", "k", "--tree", tree, "--rundir", rd, "--prior", prior,
                        "--json", out, "--confine", ro, NULL};
        CHECK(gate_cli_main("t", 14, argv, table, 1) == 0);
        json_t *all = json_load_file(out, 0, NULL);
        json_t *r = json_object_get(all, "echo");
        CHECK(json_integer_value(json_object_get(r, "seen")) == 7);
        CHECK(json_is_true(json_object_get(r, "confined")) && json_integer_value(json_object_get(r, "mounts")) == 1);
        CHECK(json_object_get(all, "a") != NULL); /* the prior results are kept in the output */
        json_decref(all);
        char *unknown[] = {"t", "nosuch", "--core", "k", "--tree", tree, "--rundir", rd, NULL};
        CHECK(gate_cli_main("t", 8, unknown, table, 1) == 3);
        char *badprior[] = {"t", "echo", "--core", "k", "--tree", tree, "--rundir", rd, "--prior", yaml, NULL};
        CHECK(gate_cli_main("t", 10, badprior, table, 1) == 3);
        free(tree), free(cdir), free(yaml), free(prior), free(rd), free(out), free(ro);
    }
    CHECK_CASE("gate_cli: gate exec runs a tool with the --env entries and hands back its outcome in --status")
    {
        char *st = fsx_fmt("%s/exec.status.json", tmpdir), *got = fsx_fmt("%s/exec.out", tmpdir);
        char *script = fsx_fmt("printf '%%s' \"$EVO_TEST_A-${EVO_TEST_B:-unset}\" > %s; exit 3", got);
        char *exec_argv[] = {"t", "exec", "--status", st, "--env", "EVO_TEST_A=one", "--timeout", "10", "--",
                             "sh", "-c", script, NULL};
        CHECK(gate_cli_main("t", 12, exec_argv, NULL, 0) == 0);
        proc_result res;
        char *text = NULL;
        size_t len = 0;
        CHECK(gate_tool_status_read(st, &res) == 0 && res.exit_code == 3 && !res.timed_out);
        CHECK(fsx_read(got, &text, &len) == 0 && text && strcmp(text, "one-unset") == 0);
        free(text);
        char *bad[] = {"t", "exec", "--status", st, "--env", "NOEQUALS", "--", "true", NULL};
        CHECK(gate_cli_main("t", 8, bad, NULL, 0) == 3); /* an --env without '=' is a usage error */
        free(st), free(got), free(script);
    }
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test-gate-cli.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        printf("FAIL gate_cli: cannot create a temporary directory\n");
        return 0;
    }
    test_options();
    test_open();
    test_results();
    test_main();
    fsx_remove_tree(tmpdir);
    return check_done();
}
