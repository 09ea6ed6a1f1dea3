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
    fsx_remove_tree(tmpdir);
    return check_done();
}
