/* judge.c — see judge.h. */
#include "orch/judge.h"

#include <string.h>

#include "gates/gate.h"
#include "lib/fsx.h"
#include "orch/pipeline.h"

/* The gate cache key: what the gates read from the candidate, the harness,
 * and the workload set the gates measure (cosim runs its members). */
static char *judge_cache_key(tour_env *env, repo *r, const git_oid *commit)
{
    static const char *const parts[] = {"rtl", "test", "core.yaml"};
    char *acc = fsx_fmt("harness=%s\ncore=%s\nworkloads=%s\n", env->harness_id, env->o->target, gate_workload());
    for (size_t i = 0; i < 3 && acc; i++) {
        char *path = fsx_fmt("cores/%s/%s", env->o->target, parts[i]);
        git_oid id;
        char hex[GIT_OID_HEXSZ + 1] = "none";
        if (path && repo_path_id(r, commit, path, &id) == 0)
            git_oid_tostr(hex, sizeof hex, &id);
        char *next = fsx_fmt("%s%s=%s\n", acc, parts[i], hex);
        free(path);
        free(acc);
        acc = next;
    }
    return acc;
}

typedef struct {
    tour_env *env;
    int round_idx, slot;
} judge_prog_ctx;

static void judge_on_gate(void *p, const char *gate, const json_t *r)
{
    judge_prog_ctx *c = p;
    if (!r) {
        progress_say(c->env->prog, c->round_idx, c->slot, "%-9s running", gate);
        return;
    }
    const char *st = json_string_value(json_object_get(r, "status"));
    const char *diag = json_string_value(json_object_get(r, "diagnostic"));
    char last[200] = "";
    if (diag && *diag && !json_is_true(json_object_get(r, "pass"))) {
        const char *end = diag + strlen(diag);
        while (end > diag && (end[-1] == '\n' || end[-1] == ' '))
            end--;
        const char *start = end;
        while (start > diag && start[-1] != '\n')
            start--;
        snprintf(last, sizeof last, ": %.*s", (int)(end - start > 160 ? 160 : end - start), start);
    }
    progress_say(c->env->prog, c->round_idx, c->slot, "%-9s %-8s %7.1f s%s%s", gate, st ? st : "?",
                 json_number_value(json_object_get(r, "seconds")),
                 json_is_true(json_object_get(r, "reverified")) ? " (cached, re-verified)"
                 : json_is_true(json_object_get(r, "cached")) ? " (cached)" : "", last);
}

/* A gate's Slurm job is queued (with Slurm's reason) or running (where). */
static void judge_on_job(void *p, const char *gate, const char *state)
{
    judge_prog_ctx *c = p;
    progress_say(c->env->prog, c->round_idx, c->slot, "%-9s %.200s", gate, state);
}

unsigned judge_fitness_gates(const tour_env *env)
{
    unsigned m = 0;
    for (size_t i = 0; i < env->o->ngates && i < 32; i++)
        if (env->o->gates[i].fitness)
            m |= 1u << i;
    return m;
}

/* The pipeline's verdict into the entry and tv. */
static void judge_record(tour_env *env, const pipeline_verdict *v, json_t *entry, int round_idx, int slot,
                         judge_verdict *tv)
{
    records_fill_figures(entry, v->results);
    records_entry_set_cache(entry, v->results);
    tv->from_cache = v->from_cache;
    if (v->cancelled) {
        tv->cancelled = true;
    } else if (v->planted) {
        /* Someone wrote the cache: the figures are not the design's. */
        tv->planted = true;
        records_entry_set_broken(entry, "sandbox", v->planted);
        progress_say(env->prog, round_idx, slot, "broken: sandbox: %.400s", v->planted);
    } else if (v->failed_gate) {
        tv->gate_error = strcmp(v->failed_status, "error") == 0;
        /* A Slurm fault says so itself ("infrastructure: ..."), not "error: ". */
        bool infra = json_is_true(json_object_get(json_object_get(v->results, v->failed_gate), "infrastructure"));
        char *d = strcmp(v->failed_status, "fail") == 0 || infra
                      ? fsx_fmt("%s", v->diagnostic)
                      : fsx_fmt("%s: %s", v->failed_status, v->diagnostic);
        records_entry_set_failed(entry, v->outcome, v->failed_gate,
                                 d ? d : "");
        free(d);
    } else {
        tv->passed = true;
    }
}

gate_ctx judge_gate_ctx(const tour_env *env, const char *tree, const char *rundir, confine_policy *tools)
{
    policy_tools(&env->confine, &env->paths, tree, rundir, tools);
    return (gate_ctx){.tree = tree, .core = env->o->target, .harness = env->workdir, .build = env->build,
                      .rundir = rundir, .core_cfg = env->core_cfg, .quick = env->o->quick,
                      .confine = env->confine.confined ? tools : NULL};
}

int judge_run(tour_env *env, repo *r, const char *tree, const git_oid *commit, const char *rundir,
              unsigned fresh, json_t *entry, int round_idx, int slot, judge_verdict *tv, char *err, size_t n)
{
    memset(tv, 0, sizeof *tv);
    confine_policy tools;
    gate_ctx ctx = judge_gate_ctx(env, tree, rundir, &tools);
    char *key = env->o->cache ? judge_cache_key(env, r, commit) : NULL;
    judge_prog_ctx pc = {env, round_idx, slot};
    char tag[48];
    snprintf(tag, sizeof tag, "r%ds%d%s", round_idx, slot, fresh ? "f" : "");
    pipeline_opts po = {.gates = env->o->gates, .ngates = env->o->ngates, .sched = env->sched,
                        .tools = env->tools, .cache_dir = key ? env->cache_dir : NULL, .cache_key = key,
                        .overlap = env->o->overlap, .fresh = fresh, .exec = env->exec, .job_tag = tag,
                        .progress = judge_on_gate, .job_state = judge_on_job,
                        .progress_ctx = &pc};
    pipeline_verdict v;
    int rc = pipeline_run(&po, &ctx, &v, err, n);
    free(key);
    if (rc == 0)
        judge_record(env, &v, entry, round_idx, slot, tv);
    pipeline_verdict_free(&v);
    return rc == 0 ? 0 : -1;
}
