/* formal — runs the formal checks on a core and prints one line per check.
 *
 *   formal --core NAME [--tree DIR] [--deep] [--checks a,b,...] [--jobs N]
 *          [--timeout S] [--rundir DIR] [--json FILE]
 *
 * Without --deep or --checks it runs the formal gate itself (gate_formal: the
 * fast suite, exactly what the orchestrator runs). --deep runs the deep suite
 * (exact M arithmetic); --checks runs only the named checks of the suite.
 * The core is <tree>/cores/NAME/rtl (tree defaults to "."); the checker is
 * always taken from the current directory (the harness). Logs, netlists and
 * counterexample VCDs go to --rundir (default runs/formal/NAME-<time>).
 * Exit: 0 pass, 1 fail (a check failed or is vacuous), 2 error or timeout,
 * 3 bad usage. This is what `make formal` and `make formal-deep` run.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "formal/frun.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"

typedef struct {
    const char *core, *tree, *checks, *rundir, *json_out;
    int deep, jobs;
    double timeout_s;
} formal_cli;

static void formal_cli_usage(void)
{
    fprintf(stderr, "usage: formal --core NAME [--tree DIR] [--deep] [--checks a,b,...] [--jobs N]\n"
                    "              [--timeout S] [--rundir DIR] [--json FILE]\n");
}

static int formal_cli_parse(int argc, char **argv, formal_cli *c)
{
    memset(c, 0, sizeof *c);
    c->tree = ".";
    c->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (c->jobs < 1)
        c->jobs = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--deep") == 0) {
            c->deep = 1;
            continue;
        }
        if (!v)
            return -1;
        if (strcmp(a, "--core") == 0)
            c->core = v;
        else if (strcmp(a, "--tree") == 0)
            c->tree = v;
        else if (strcmp(a, "--checks") == 0)
            c->checks = v;
        else if (strcmp(a, "--rundir") == 0)
            c->rundir = v;
        else if (strcmp(a, "--json") == 0)
            c->json_out = v;
        else if (strcmp(a, "--jobs") == 0)
            c->jobs = atoi(v) > 0 ? atoi(v) : 1;
        else if (strcmp(a, "--timeout") == 0)
            c->timeout_s = atof(v);
        else
            return -1;
        i++;
    }
    return c->core ? 0 : -1;
}

static void formal_cli_on_signal(int sig)
{
    (void)sig;
    proc_cancel_all();
}

/* Runs the gate (default) or the runner directly (deep / subset). */
static json_t *formal_cli_run(const formal_cli *c, const char *tree, const char *harness, const char *rundir)
{
    double t0 = proc_now();
    if (!c->deep && !c->checks) {
        char *build = fsx_fmt("%s/build", harness);
        gate_ctx ctx = {.tree = tree, .core = c->core, .harness = harness, .build = build,
                        .rundir = rundir, .jobs = c->jobs, .timeout_s = c->timeout_s};
        json_t *r = gate_formal(&ctx);
        free(build);
        return r;
    }
    char *rtl = fsx_fmt("%s/cores/%s/rtl", tree, c->core);
    char *workdir = fsx_fmt("%s/formal-%s", rundir, c->deep ? "deep" : "fast");
    char *log = fsx_fmt("%s/formal-%s.log", rundir, c->deep ? "deep" : "fast");
    formal_opts o = {.harness = harness, .rtl_dir = rtl, .workdir = workdir, .log_path = log,
                     .deep = c->deep, .jobs = c->jobs,
                     .deadline = c->timeout_s > 0 ? t0 + c->timeout_s : 0, .only = c->checks};
    json_t *r = formal_run(&o);
    json_object_set_new(r, "log", json_string(log));
    free(rtl);
    free(workdir);
    free(log);
    return r;
}

int main(int argc, char **argv)
{
    formal_cli c;
    if (formal_cli_parse(argc, argv, &c) != 0) {
        formal_cli_usage();
        return 3;
    }
    signal(SIGINT, formal_cli_on_signal);
    signal(SIGTERM, formal_cli_on_signal);
    char tree[PATH_MAX], harness[PATH_MAX];
    if (!realpath(c.tree, tree) || !getcwd(harness, sizeof harness)) {
        fprintf(stderr, "formal: cannot resolve tree '%s'\n", c.tree);
        return 3;
    }
    char *rundir = c.rundir ? fsx_fmt("%s", c.rundir)
                            : fsx_fmt("%s/runs/formal/%s-%ld", harness, c.core, (long)time(NULL));
    if (!rundir || fsx_mkdirs(rundir, 0755) != 0) {
        fprintf(stderr, "formal: cannot create run directory %s\n", rundir ? rundir : "");
        free(rundir);
        return 3;
    }
    printf("formal %s: core %s, tree %s, %d jobs, logs in %s\n", c.deep ? "deep" : "fast",
           c.core, tree, c.jobs, rundir);
    fflush(stdout);
    json_t *r = formal_cli_run(&c, tree, harness, rundir);
    const char *status = json_string_value(json_object_get(r, "status"));
    char *table = formal_run_table(r);
    if (json_array_size(json_object_get(r, "checks")) > 0 && table)
        fputs(table, stdout);
    else
        printf("%s: %s\n", status ? status : "error",
               json_string_value(json_object_get(r, "diagnostic")) ? json_string_value(json_object_get(r, "diagnostic")) : "");
    free(table);
    char *out = c.json_out ? fsx_fmt("%s", c.json_out) : fsx_fmt("%s/formal.json", rundir);
    char *text = json_dumps(r, JSON_INDENT(2));
    int rc = !status ? 2 : strcmp(status, "pass") == 0 ? 0 : strcmp(status, "fail") == 0 ? 1 : 2;
    if (!out || !text || fsx_write_atomic(out, text, strlen(text)) != 0) {
        fprintf(stderr, "formal: cannot write %s\n", out ? out : "the result");
        rc = rc ? rc : 2;
    } else {
        printf("results: %s\n", out);
    }
    free(text);
    free(out);
    free(rundir);
    json_decref(r);
    return rc;
}
