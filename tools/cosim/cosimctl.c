/* cosimctl — runs the gates this component owns, outside the orchestrator.
 *
 *   cosimctl lint|cosim|coremark --core NAME [--tree DIR] [--rundir DIR] [--jobs N]
 *            [--timeout S] [--quick] [--prior FILE.json] [--json FILE]
 *   cosimctl model --core NAME [--tree DIR]      build/reuse the harness, print its path
 *                                                (COSIM_COVERAGE=line|toggle: a coverage build)
 *   cosimctl get FILE.json DOTTED.PATH           print one value of a result (for scripts:
 *                                                strings raw, the rest as compact JSON;
 *                                                array elements by index, "last.-1" = last)
 *
 * Prints the gate's JSON result on stdout (and a one-line summary on stderr); with
 * --json FILE it writes the JSON there and prints the summary and the diagnostic.
 * --prior gives the coremark gate earlier results ({"cosim": ..., "pnr": ...}).
 * Exit: 0 pass, 1 fail, 2 error or timeout, 3 bad usage.
 * (The lead's `gate` CLI runs the same functions through the gate registry.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim/cosim_model.h"
#include "gates/gate_cli.h"
#include "lib/fsx.h"
#include "lib/proc.h"

typedef struct {
    const char *cmd, *prior;
    gate_cli_opts o;
} cosimctl_args;

static void cosimctl_usage(void)
{
    fprintf(stderr, "usage: cosimctl lint|cosim|coremark|model --core NAME [--tree DIR] [--rundir DIR]\n"
                    "                [--jobs N] [--timeout S] [--quick] [--prior FILE.json] [--json FILE]\n"
                    "       cosimctl get FILE.json DOTTED.PATH\n");
}

static int cosimctl_parse(int argc, char **argv, cosimctl_args *a)
{
    memset(a, 0, sizeof *a);
    gate_cli_init(&a->o);
    if (argc < 2)
        return -1;
    a->cmd = argv[1];
    if (strcmp(a->cmd, "model") != 0 && strcmp(a->cmd, "lint") != 0 && strcmp(a->cmd, "cosim") != 0 &&
        strcmp(a->cmd, "coremark") != 0)
        return -1;
    for (int i = 2; i < argc; i++) {
        int taken = gate_cli_option(&a->o, argc, argv, &i);
        if (taken < 0)
            return -1;
        if (taken)
            continue;
        if (strcmp(argv[i], "--prior") != 0 || i + 1 >= argc)
            return -1;
        a->prior = argv[++i];
    }
    return a->o.core ? 0 : -1;
}

/* `cosimctl get`: exit 0 and the value, or 1 when the path does not exist. */
static int cosimctl_get(const char *file, const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(file, 0, &je);
    if (!root) {
        fprintf(stderr, "cosimctl: %s:%d: %s\n", file, je.line, je.text);
        return 2;
    }
    const json_t *node = root;
    char *copy = fsx_fmt("%s", path);
    for (char *save = NULL, *k = strtok_r(copy, ".", &save); node && k; k = strtok_r(NULL, ".", &save)) {
        if (json_is_array(node)) {
            long i = strtol(k, NULL, 10);
            if (i < 0)
                i += (long)json_array_size(node);
            node = i >= 0 ? json_array_get(node, (size_t)i) : NULL;
        } else {
            node = json_object_get(node, k);
        }
    }
    free(copy);
    int rc = 1;
    if (node) {
        char *text = json_is_string(node) ? NULL : json_dumps(node, JSON_COMPACT | JSON_ENCODE_ANY);
        printf("%s\n", text ? text : json_string_value(node));
        free(text);
        rc = 0;
    }
    json_decref(root);
    return rc;
}

static int cosimctl_model(const gate_ctx *ctx)
{
    char *rtl = gate_core_path(ctx, "rtl");
    char *log = gate_path(ctx, "cosim-model.log");
    cosim_model_req req = {.rtl_dir = rtl, .harness = ctx->harness, .build = ctx->build, .log_path = log,
                           .jobs = ctx->jobs, .timeout_s = ctx->timeout_s};
    int cov = cosim_cov_from_env(COSIM_COV_NONE);
    req.coverage = cov < 0 ? COSIM_COV_NONE : (cosim_cov_kind)cov;
    cosim_model m;
    char err[1024];
    int rc = cosim_model_get(&req, &m, err, sizeof err);
    if (rc == COSIM_MODEL_OK) {
        printf("%s\n", m.binary);
        fprintf(stderr, "model %s: %s (verilate %.1f s), harness %s (%.1f s)\n", m.model_key,
                m.model_cached ? "cached" : "built", m.verilate_seconds, m.binary_cached ? "cached" : "linked",
                m.link_seconds);
    } else {
        fprintf(stderr, "cosimctl: %s\n  log: %s\n", err, log);
    }
    cosim_model_free(&m);
    free(rtl);
    free(log);
    return rc == COSIM_MODEL_OK ? 0 : rc == COSIM_MODEL_DESIGN ? 1 : 2;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "get") == 0)
        return cosimctl_get(argv[2], argv[3]);
    cosimctl_args a;
    if (cosimctl_parse(argc, argv, &a) != 0) {
        cosimctl_usage();
        return 3;
    }
    gate_cli_env env;
    if (gate_cli_open("cosimctl", &a.o, "manual", true, false, &env) != 0)
        return 3;
    json_t *prior = NULL;
    if (a.prior) {
        json_error_t je;
        prior = json_load_file(a.prior, 0, &je);
        if (!prior) {
            fprintf(stderr, "cosimctl: %s:%d: %s\n", a.prior, je.line, je.text);
            gate_cli_close(&env);
            return 3;
        }
    }
    gate_ctx ctx = env.ctx;
    ctx.prior = prior;
    json_t *r = NULL;
    int rc = 2;
    if (strcmp(a.cmd, "model") == 0)
        rc = cosimctl_model(&ctx);
    else if (strcmp(a.cmd, "lint") == 0)
        r = gate_lint(&ctx);
    else if (strcmp(a.cmd, "cosim") == 0)
        r = gate_cosim(&ctx);
    else
        r = gate_coremark(&ctx);
    if (r) {
        char *text = json_dumps(r, JSON_INDENT(2) | JSON_SORT_KEYS);
        const char *st = json_string_value(json_object_get(r, "status"));
        if (a.o.json_out) {
            if (!text || fsx_write_atomic(a.o.json_out, text, strlen(text)) != 0)
                fprintf(stderr, "cosimctl: cannot write %s\n", a.o.json_out);
            printf("%s: %s (%.1f s)\n%s\nresult: %s\nlogs: %s\n", a.cmd, st ? st : "?",
                   json_number_value(json_object_get(r, "seconds")),
                   json_string_value(json_object_get(r, "diagnostic")), a.o.json_out, env.rundir);
        } else {
            printf("%s\n", text ? text : "{}");
            fprintf(stderr, "%s: %s (%.1f s), log %s\n", a.cmd, st ? st : "?",
                    json_number_value(json_object_get(r, "seconds")), env.rundir);
        }
        free(text);
        rc = gate_cli_exit(r);
        json_decref(r);
    }
    json_decref(prior);
    gate_cli_close(&env);
    return rc;
}
