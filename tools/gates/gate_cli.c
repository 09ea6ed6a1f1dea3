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
                                                     : NULL;
    int numeric = strcmp(a, "--jobs") == 0 || strcmp(a, "--timeout") == 0;
    if (!slot && !numeric)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    const char *v = argv[++*i];
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
