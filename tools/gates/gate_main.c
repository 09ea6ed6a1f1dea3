/* gate — runs one or more gates of the pipeline on a core, outside the loop.
 *
 *   gate GATES --core NAME [--tree DIR] [--rundir DIR] [--build DIR] [--jobs N] [--timeout S]
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gates/gate_cli.h"
#include "gates/registry.h"
#include "lib/proc.h"

typedef struct {
    const char *gates;
    gate_cli_opts o;
} gate_main_args;

static void gate_main_usage(FILE *to)
{
    fprintf(to, "usage: gate <lint|synth|formal|cosim|pnr|coremark|all|g1,g2,...> --core NAME\n"
                "            [--tree DIR] [--rundir DIR] [--build DIR] [--jobs N] [--timeout S] [--quick]\n"
                "            [--json FILE]\n");
}

static int gate_main_parse(int argc, char **argv, gate_main_args *c)
{
    gate_cli_init(&c->o);
    if (argc < 2)
        return -1;
    c->gates = argv[1];
    for (int i = 2; i < argc; i++)
        if (gate_cli_option(&c->o, argc, argv, &i) != 1)
            return -1;
    return c->o.core ? 0 : -1;
}

/* Prints "  lint      pass    3.2 s" plus the diagnostic tail on failure. */
static void gate_main_print(const json_t *r)
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

static int gate_main_run(const gate_main_args *c, const gate_ctx *base, json_t *all)
{
    char list[512] = "";
    if (strcmp(c->gates, "all") == 0)
        for (size_t i = 0; i < gate_pipeline_len; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "," : "", gate_pipeline[i].name);
    else
        snprintf(list, sizeof list, "%s", c->gates);
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
        gate_main_print(r);
        if (!json_is_true(json_object_get(r, "pass")))
            rc = strcmp(json_string_value(json_object_get(r, "status")), "fail") == 0 ? 1 : 2;
        json_object_set_new(all, g, r);
    }
    return rc;
}

int main(int argc, char **argv)
{
    gate_main_args c;
    if (gate_main_parse(argc, argv, &c) != 0) {
        gate_main_usage(stderr);
        return 3;
    }
    gate_cli_env env;
    if (gate_cli_open("gate", &c.o, "manual", true, true, &env) != 0)
        return 3;
    printf("gate %s: core %s, tree %s, logs in %s\n", c.gates, c.o.core, env.tree, env.rundir);
    json_t *all = json_object();
    int rc = gate_main_run(&c, &env.ctx, all);
    int wrc = gate_cli_write("gate", all, c.o.json_out, env.rundir, "gates.json");
    json_decref(all);
    gate_cli_close(&env);
    return rc ? rc : wrc;
}
