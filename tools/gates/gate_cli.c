/* gate_cli.c — see gate_cli.h. */
#include "gates/gate_cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"
#include "yamljson/yamljson.h"

void gate_cli_init(gate_cli_opts *o)
{
    memset(o, 0, sizeof *o);
    o->tree = ".";
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = n < 1 ? 1 : (int)n;
}

/* A whole-string integer in 1..1024, or -1. */
static int gate_cli_jobs(const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    return errno || end == v || *end || n < 1 || n > 1024 ? -1 : (int)n;
}

/* A whole-string number of seconds >= 0, or -1. */
static double gate_cli_seconds(const char *v)
{
    char *end;
    errno = 0;
    double s = strtod(v, &end);
    return errno || end == v || *end || !(s >= 0) ? -1 : s;
}

/* One "--confine KIND:PATH" into the policy: 0, or -1 when malformed. */
static int gate_cli_confine(gate_cli_opts *o, const char *v)
{
    static const struct {
        const char *prefix;
        confine_kind kind;
    } kinds[] = {{"ro:", CONFINE_RO}, {"ro?:", CONFINE_RO_TRY}, {"rw:", CONFINE_RW}, {"hide:", CONFINE_HIDE}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t l = strlen(kinds[k].prefix);
        if (strncmp(v, kinds[k].prefix, l) == 0 && v[l] == '/') {
            o->confined = true;
            return confine_add(&o->policy, kinds[k].kind, v + l);
        }
    }
    return -1;
}

int gate_cli_option(gate_cli_opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--quick") == 0) {
        o->quick = true;
        return 1;
    }
    const char **slot = strcmp(a, "--core") == 0     ? &o->core
                        : strcmp(a, "--tree") == 0   ? &o->tree
                        : strcmp(a, "--rundir") == 0 ? &o->rundir
                        : strcmp(a, "--build") == 0  ? &o->build
                        : strcmp(a, "--json") == 0   ? &o->json_out
                        : strcmp(a, "--prior") == 0  ? &o->prior
                                                     : NULL;
    int other = strcmp(a, "--jobs") == 0 || strcmp(a, "--timeout") == 0 || strcmp(a, "--confine") == 0;
    if (!slot && !other)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    const char *v = argv[++*i];
    if (strcmp(a, "--confine") == 0)
        return gate_cli_confine(o, v) == 0 ? 1 : -1;
    if (slot) {
        *slot = v;
    } else if (strcmp(a, "--jobs") == 0) {
        if ((o->jobs = gate_cli_jobs(v)) < 0)
            return -1;
    } else if ((o->timeout_s = gate_cli_seconds(v)) < 0) {
        return -1;
    }
    return 1;
}

static void gate_cli_on_signal(int sig)
{
    (void)sig;
    proc_cancel_all(); /* async-signal-safe: kills the process groups */
}

int gate_cli_open(const char *prog, const gate_cli_opts *o, const char *kind, bool stamp, bool cfg_required,
                  gate_cli_env *env)
{
    memset(env, 0, sizeof *env);
    signal(SIGINT, gate_cli_on_signal);
    signal(SIGTERM, gate_cli_on_signal);
    if (!realpath(o->tree, env->tree)) {
        fprintf(stderr, "%s: cannot resolve the tree '%s': %s\n", prog, o->tree, strerror(errno));
        return 3;
    }
    if (!getcwd(env->harness, sizeof env->harness)) {
        fprintf(stderr, "%s: cannot read the current directory (the harness): %s\n", prog, strerror(errno));
        return 3;
    }
    char *cfg_path = fsx_fmt("%s/cores/%s/core.yaml", env->tree, o->core);
    if (cfg_path && (cfg_required || access(cfg_path, F_OK) == 0)) {
        char err[512];
        env->cfg = yamljson_load_file(cfg_path, err, sizeof err);
        if (!env->cfg) {
            fprintf(stderr, "%s: %s\n  (a core needs cores/<name>/core.yaml; see cores/baseline)\n", prog, err);
            free(cfg_path);
            return 3;
        }
    }
    free(cfg_path);
    if (o->rundir)
        env->rundir = fsx_fmt("%s", o->rundir);
    else if (stamp)
        env->rundir = fsx_fmt("%s/runs/%s/%s-%ld", env->harness, kind, o->core, (long)time(NULL));
    else
        env->rundir = fsx_fmt("%s/runs/%s/%s", env->harness, kind, o->core);
    env->build = o->build ? fsx_fmt("%s", o->build) : fsx_fmt("%s/build", env->harness);
    const char *bad = !env->rundir || !env->build          ? "the run directory"
                      : fsx_mkdirs(env->rundir, 0755) != 0 ? env->rundir
                      : fsx_mkdirs(env->build, 0755) != 0  ? env->build
                                                           : NULL;
    if (bad) {
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, bad, strerror(errno));
        gate_cli_close(env);
        return 3;
    }
    env->ctx = (gate_ctx){.tree = env->tree, .core = o->core, .harness = env->harness, .build = env->build,
                          .rundir = env->rundir, .core_cfg = env->cfg, .jobs = o->jobs,
                          .timeout_s = o->timeout_s, .quick = o->quick};
    if (o->confined) {
        env->policy = o->policy;
        env->policy.enabled = true;
        env->policy.limits = confine_default_limits(false);
        env->ctx.confine = &env->policy;
    }
    return 0;
}

void gate_cli_close(gate_cli_env *env)
{
    free(env->rundir);
    free(env->build);
    json_decref(env->cfg);
    env->rundir = env->build = NULL;
    env->cfg = NULL;
}

int gate_cli_write(const char *prog, const json_t *j, const char *json_out, const char *rundir, const char *name)
{
    char *out = json_out ? fsx_fmt("%s", json_out) : fsx_fmt("%s/%s", rundir, name);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
    int rc = 0;
    if (!out || !text || fsx_write_atomic(out, text, strlen(text)) != 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, out ? out : "the results", strerror(errno));
        rc = 2;
    } else {
        printf("results: %s\n", out);
    }
    free(text);
    free(out);
    return rc;
}

int gate_cli_exit(const json_t *r)
{
    const char *s = json_string_value(json_object_get(r, "status"));
    return !s ? 2 : strcmp(s, "pass") == 0 ? 0 : strcmp(s, "fail") == 0 ? 1 : 2;
}

typedef struct {
    const char *gates;
    gate_cli_opts o;
} gate_cli_args;

static void gate_cli_usage(const char *prog, FILE *to)
{
    fprintf(to, "usage: %s <lint|synth|formal|cosim|pnr|coremark|all|g1,g2,...> --core NAME\n"
                "            [--tree DIR] [--rundir DIR] [--build DIR] [--jobs N] [--timeout S] [--quick]\n"
                "            [--json FILE] [--prior FILE] [--confine ro|ro?|rw|hide:PATH]...\n"
                "       %s exec --status FILE [--timeout S] [--confine ...]... -- TOOL [ARGS]...\n", prog, prog);
}

static int gate_cli_parse(int argc, char **argv, gate_cli_args *c)
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

static const gate_def *gate_cli_find(const gate_def *gates, size_t ngates, const char *name)
{
    for (size_t i = 0; i < ngates; i++)
        if (strcmp(gates[i].name, name) == 0)
            return &gates[i];
    return NULL;
}

static int gate_cli_run(const char *prog, const gate_cli_args *c, const gate_def *gates, size_t ngates,
                        const gate_ctx *base, json_t *all)
{
    char list[512] = "";
    if (strcmp(c->gates, "all") == 0)
        for (size_t i = 0; i < ngates; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "," : "", gates[i].name);
    else
        snprintf(list, sizeof list, "%s", c->gates);
    int rc = 0;
    for (char *save = NULL, *g = strtok_r(list, ",", &save); g && rc == 0; g = strtok_r(NULL, ",", &save)) {
        const gate_def *def = gate_cli_find(gates, ngates, g);
        if (!def) {
            fprintf(stderr, "%s: unknown gate '%s'\n", prog, g);
            return 3;
        }
        gate_ctx ctx = *base;
        ctx.prior = all;
        if (ctx.timeout_s <= 0)
            ctx.timeout_s = def->timeout_s;
        json_t *r = def->run ? gate_run(def->run, &ctx) : NULL;
        if (!r)
            r = gate_result_error(g, "gate returned no result (not built in, or out of memory)", proc_now());
        gate_cli_print(r);
        if (!json_is_true(json_object_get(r, "pass")))
            rc = gate_cli_exit(r);
        json_object_set_new(all, g, r);
    }
    return rc;
}

/* The --prior results, or an empty object; NULL (with a message) when the
 * file cannot be read as an object. */
static json_t *gate_cli_prior(const char *prog, const char *path)
{
    if (!path)
        return json_object();
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!json_is_object(j)) {
        fprintf(stderr, "%s: --prior %s: %s\n", prog, path, j ? "not a JSON object" : je.text);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* `gate exec --status FILE [--timeout S] [--confine K:P]... [--env K=V]...
 * -- TOOL ARGS...`: one tool run of a gate on a cluster node (proc_launcher
 * in lib/proc.h, orch/executor.h). The tool runs as it would in the gate
 * (confined the same way, with the same extra environment, its output
 * on this process's stdout/stderr, which the job hands back); its outcome
 * goes to FILE (gate_tool_status_write), which exists only once the tool
 * has ended: a job that dies first leaves none, and that is how the
 * launcher tells the infrastructure's failures from the tool's. */
static int gate_cli_exec(const char *prog, int argc, char **argv)
{
    gate_cli_opts o;
    gate_cli_init(&o);
    const char *status = NULL;
    strv env = {0};
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
            status = argv[++i];
        else if (strcmp(argv[i], "--env") == 0 && i + 1 < argc && strchr(argv[i + 1], '='))
            strv_add(&env, argv[++i]);
        else if (gate_cli_option(&o, argc, argv, &i) != 1)
            status = NULL, i = argc;
    }
    if (!status || i + 1 >= argc) {
        fprintf(stderr, "usage: %s exec --status FILE [--timeout S] [--confine KIND:PATH]... [--env K=V]... "
                        "-- TOOL [ARGS]...\n", prog);
        strv_free(&env);
        return 3;
    }
    signal(SIGINT, gate_cli_on_signal);
    signal(SIGTERM, gate_cli_on_signal);
    confine_policy policy = o.policy;
    policy.enabled = true;
    policy.limits = confine_default_limits(false);
    proc_spec spec = {.argv = (const char *const *)argv + i + 1, .timeout_s = o.timeout_s,
                      .confine = o.confined ? &policy : NULL, .env = (const char *const *)env.v};
    proc_result res;
    proc_run(&spec, &res);
    strv_free(&env);
    if (proc_is_cancelled())
        return 2; /* the job was cancelled: no outcome to report */
    if (gate_tool_status_write(status, &res) != 0) {
        fprintf(stderr, "%s exec: cannot write %s: %s\n", prog, status, strerror(errno));
        return 2;
    }
    return 0;
}

int gate_cli_main(const char *prog, int argc, char **argv, const gate_def *gates, size_t ngates)
{
    if (argc >= 2 && strcmp(argv[1], "exec") == 0)
        return gate_cli_exec(prog, argc - 1, argv + 1);
    gate_cli_args c;
    if (gate_cli_parse(argc, argv, &c) != 0) {
        gate_cli_usage(prog, stderr);
        return 3;
    }
    gate_cli_env env;
    if (gate_cli_open(prog, &c.o, "manual", true, true, &env) != 0)
        return 3;
    json_t *all = gate_cli_prior(prog, c.o.prior);
    if (!all) {
        gate_cli_close(&env);
        return 3;
    }
    printf("%s %s: core %s, tree %s, logs in %s%s\n", prog, c.gates, c.o.core, env.tree, env.rundir,
           env.ctx.confine ? " (tools confined)" : "");
    int rc = gate_cli_run(prog, &c, gates, ngates, &env.ctx, all);
    int wrc = gate_cli_write(prog, all, c.o.json_out, env.rundir, "gates.json");
    json_decref(all);
    gate_cli_close(&env);
    return rc ? rc : wrc;
}
