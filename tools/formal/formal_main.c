/* formal — runs the formal checks on a core and prints one line per check.
 *
 *   formal --core NAME [--tree DIR] [--deep] [--checks a,b,...] [--jobs N]
 *          [--timeout S] [--rundir DIR] [--json FILE]
 *
 * Without --deep or --checks it runs the formal gate itself (gate_formal: the
 * fast suite, exactly what the orchestrator runs). --deep runs the deep suite
 * (exact M arithmetic); --checks runs only the named checks of the suite.
 * The core is <tree>/cores/NAME/rtl (tree defaults to "."); the checker is
 * always taken from the current directory (the harness). When the core has a
 * core.yaml, its formal: {depth: {<check>: N}} raises depths as in the gate.
 * Logs, netlists and counterexample VCDs go to --rundir (default runs/formal/NAME-<time>).
 * Exit: 0 pass, 1 fail (a check failed or is vacuous), 2 error or timeout,
 * 3 bad usage. This is what `make formal` and `make formal-deep` run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formal/frun.h"
#include "gates/gate_cli.h"
#include "lib/fsx.h"
#include "lib/proc.h"

typedef struct {
    const char *checks;
    int deep;
    gate_cli_opts o;
} formal_main_args;

static void formal_main_usage(void)
{
    fprintf(stderr, "usage: formal --core NAME [--tree DIR] [--deep] [--checks a,b,...] [--jobs N]\n"
                    "              [--timeout S] [--rundir DIR] [--json FILE]\n");
}

static int formal_main_parse(int argc, char **argv, formal_main_args *c)
{
    memset(c, 0, sizeof *c);
    gate_cli_init(&c->o);
    for (int i = 1; i < argc; i++) {
        int taken = gate_cli_option(&c->o, argc, argv, &i);
        if (taken < 0)
            return -1;
        if (taken)
            continue;
        if (strcmp(argv[i], "--deep") == 0)
            c->deep = 1;
        else if (strcmp(argv[i], "--checks") == 0 && i + 1 < argc)
            c->checks = argv[++i];
        else
            return -1;
    }
    return c->o.core ? 0 : -1;
}

/* Runs the gate (default) or the runner directly (deep / subset). */
static json_t *formal_main_run(const formal_main_args *c, const gate_ctx *ctx)
{
    if (!c->deep && !c->checks)
        return gate_formal(ctx);
    double t0 = proc_now();
    char *rtl = gate_core_path(ctx, "rtl");
    char *workdir = fsx_fmt("%s/formal-%s", ctx->rundir, c->deep ? "deep" : "fast");
    char *log = fsx_fmt("%s/formal-%s.log", ctx->rundir, c->deep ? "deep" : "fast");
    formal_opts o = {.harness = ctx->harness, .rtl_dir = rtl, .workdir = workdir, .log_path = log,
                     .deep = c->deep, .jobs = ctx->jobs,
                     .deadline = ctx->timeout_s > 0 ? t0 + ctx->timeout_s : 0, .only = c->checks,
                     .depths = json_object_get(json_object_get(ctx->core_cfg, "formal"), "depth")};
    json_t *r = formal_run(&o);
    json_object_set_new(r, "log", json_string(log));
    free(rtl);
    free(workdir);
    free(log);
    return r;
}

int main(int argc, char **argv)
{
    formal_main_args c;
    if (formal_main_parse(argc, argv, &c) != 0) {
        formal_main_usage();
        return 3;
    }
    /* core.yaml is optional here (the gate's caller validates it). */
    gate_cli_env env;
    if (gate_cli_open("formal", &c.o, "formal", true, false, &env) != 0)
        return 3;
    printf("formal %s: core %s, tree %s, %d jobs, logs in %s\n", c.deep ? "deep" : "fast",
           c.o.core, env.tree, c.o.jobs, env.rundir);
    fflush(stdout);
    json_t *r = formal_main_run(&c, &env.ctx);
    const char *status = json_string_value(json_object_get(r, "status"));
    char *table = formal_run_table(r);
    if (json_array_size(json_object_get(r, "checks")) > 0 && table) {
        fputs(table, stdout);
    } else {
        const char *diag = json_string_value(json_object_get(r, "diagnostic"));
        printf("%s: %s\n", status ? status : "error", diag ? diag : "");
    }
    free(table);
    int rc = gate_cli_exit(r);
    int wrc = gate_cli_write("formal", r, c.o.json_out, env.rundir, "formal.json");
    json_decref(r);
    gate_cli_close(&env);
    return rc ? rc : wrc;
}
