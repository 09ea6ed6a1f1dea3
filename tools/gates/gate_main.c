/* gate — runs one or more gates of the pipeline on a core, outside the loop.
 *
 *   gate GATES --core NAME [--tree DIR] [--rundir DIR] [--jobs N] [--timeout S]
 *        [--quick] [--json FILE]
 *
 * GATES is a gate name, a comma-separated list, or "all" (the whole pipeline in
 * verdict order). Gates run in order, each seeing the results of the earlier
 * ones (the coremark gate needs cosim and pnr); the first failure stops the run.
 * Prints one line per gate on stdout and writes every result as one JSON object
 * to --json FILE (default <rundir>/gates.json).
 * Exit: 0 all passed, 1 a gate failed, 2 a gate could not run, 3 bad usage.
 * This is what `make lint/cosim/formal/fpga TARGET=<n>` call.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gates/registry.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "yamljson/yamljson.h"

typedef struct {
    const char *gates, *core, *tree, *rundir, *json_out;
    int jobs;
    double timeout_s;
    int quick;
} gate_cli;

static void gate_cli_usage(FILE *to)
{
    fprintf(to, "usage: gate <lint|synth|formal|cosim|pnr|coremark|all|g1,g2,...> --core NAME\n"
                "            [--tree DIR] [--rundir DIR] [--jobs N] [--timeout S] [--quick] [--json FILE]\n");
}

static int gate_cli_parse(int argc, char **argv, gate_cli *c)
{
    memset(c, 0, sizeof *c);
    c->tree = ".";
    c->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (c->jobs < 1)
        c->jobs = 1;
    if (argc < 2)
        return -1;
    c->gates = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) {
            c->quick = 1;
            continue;
        }
        if (!v)
            return -1;
        if (strcmp(a, "--core") == 0)
            c->core = v;
        else if (strcmp(a, "--tree") == 0)
            c->tree = v;
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

static void gate_cli_on_signal(int sig)
{
    (void)sig;
    proc_cancel_all();
}

/* Prints "  lint      pass    3.2 s" plus the diagnostic tail on failure. */
static void gate_cli_print(const json_t *r)
{
    const char *name = json_string_value(json_object_get(r, "gate"));
    const char *status = json_string_value(json_object_get(r, "status"));
    double secs = json_number_value(json_object_get(r, "seconds"));
    printf("  %-9s %-8s %7.1f s\n", name ? name : "?", status ? status : "?", secs);
    const char *diag = json_string_value(json_object_get(r, "diagnostic"));
    if (!json_is_true(json_object_get(r, "pass")) && diag && *diag)
        printf("%s\n", diag);
    fflush(stdout);
}

static int gate_cli_run(const gate_cli *c, const gate_ctx *base, json_t *all)
{
    char list[512];
    snprintf(list, sizeof list, "%s", strcmp(c->gates, "all") == 0
             ? "lint,synth,formal,cosim,pnr,coremark" : c->gates);
    int rc = 0;
    for (char *save = NULL, *g = strtok_r(list, ",", &save); g && rc == 0;
         g = strtok_r(NULL, ",", &save)) {
        const gate_def *def = gate_find(g);
        if (!def) {
            fprintf(stderr, "gate: unknown gate '%s'\n", g);
            return 3;
        }
        gate_ctx ctx = *base;
        ctx.prior = all;
        if (ctx.timeout_s <= 0)
            ctx.timeout_s = def->timeout_s;
        json_t *r = def->run(&ctx);
        if (!r)
            r = gate_result_error(g, "gate returned no result (out of memory?)", proc_now());
        gate_cli_print(r);
        if (!json_is_true(json_object_get(r, "pass")))
            rc = strcmp(json_string_value(json_object_get(r, "status")), "fail") == 0 ? 1 : 2;
        json_object_set_new(all, g, r);
    }
    return rc;
}

int main(int argc, char **argv)
{
    gate_cli c;
    if (gate_cli_parse(argc, argv, &c) != 0) {
        gate_cli_usage(stderr);
        return 3;
    }
    signal(SIGINT, gate_cli_on_signal);
    signal(SIGTERM, gate_cli_on_signal);

    char tree[PATH_MAX], harness[PATH_MAX];
    if (!realpath(c.tree, tree) || !getcwd(harness, sizeof harness)) {
        fprintf(stderr, "gate: cannot resolve tree '%s'\n", c.tree);
        return 3;
    }
    char *cfg_path = fsx_fmt("%s/cores/%s/core.yaml", tree, c.core);
    char err[512];
    json_t *cfg = yamljson_load_file(cfg_path, err, sizeof err);
    if (!cfg) {
        fprintf(stderr, "gate: %s\n  (a core needs cores/<name>/core.yaml; see cores/baseline)\n", err);
        free(cfg_path);
        return 3;
    }
    free(cfg_path);

    char *rundir = c.rundir ? fsx_fmt("%s", c.rundir)
                            : fsx_fmt("%s/runs/manual/%s-%ld", harness, c.core, (long)time(NULL));
    char *build = fsx_fmt("%s/build", harness);
    if (fsx_mkdirs(rundir, 0755) != 0) {
        fprintf(stderr, "gate: cannot create run directory %s\n", rundir);
        return 3;
    }
    printf("gate %s: core %s, tree %s, logs in %s\n", c.gates, c.core, tree, rundir);
    gate_ctx base = {.tree = tree, .core = c.core, .harness = harness, .build = build,
                     .rundir = rundir, .core_cfg = cfg, .jobs = c.jobs,
                     .timeout_s = c.timeout_s, .quick = c.quick != 0};
    json_t *all = json_object();
    int rc = gate_cli_run(&c, &base, all);

    char *out = c.json_out ? fsx_fmt("%s", c.json_out) : fsx_fmt("%s/gates.json", rundir);
    char *text = json_dumps(all, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!text || fsx_write_atomic(out, text, strlen(text)) != 0) {
        fprintf(stderr, "gate: cannot write %s\n", out);
        rc = rc ? rc : 2;
    }
    printf("results: %s\n", out);
    free(text);
    free(out);
    free(rundir);
    free(build);
    json_decref(all);
    json_decref(cfg);
    return rc;
}
