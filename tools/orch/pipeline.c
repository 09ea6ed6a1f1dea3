/* pipeline.c — see pipeline.h. One worker thread per started gate; the
 * caller's thread decides what may start and when the verdict is known. */
#include "orch/pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/gcache.h"

enum { PL_MAX = 32 };

typedef enum { PL_PENDING, PL_RUNNING, PL_DONE } pl_state;

typedef struct pl_run pl_run;

typedef struct {
    pl_run *run;
    size_t idx;
    pthread_t th;
    bool started;
} pl_worker;

struct pl_run {
    const pipeline_opts *o;
    const gate_ctx *base;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pl_state state[PL_MAX];
    bool passed[PL_MAX];
    json_t *res[PL_MAX];
    unsigned deps[PL_MAX];
    pl_worker w[PL_MAX];
    gcache *cache;       /* NULL: no cache */
    double t0;           /* proc_now() at the start: the results' start_s/end_s count from here */
    proc_group group[PL_MAX]; /* each gate's tools in this process (stopped with the verdict) */
    atomic_bool stop;    /* the verdict is known: the gates still running are being stopped */
    char planted[1200];  /* the first cache entry that failed its check */
    char io_err[512];    /* first failure to write a result file */
};

unsigned pipeline_deps(const gate_def *gates, size_t ngates, size_t i)
{
    if (!gates[i].needs)
        return i >= 32 ? 0xffffffffu : ((1u << i) - 1u);
    unsigned m = 0;
    for (const char *const *d = gates[i].needs; *d; d++)
        for (size_t j = 0; j < i && j < ngates; j++)
            if (strcmp(gates[j].name, *d) == 0)
                m |= 1u << j;
    return m;
}

static size_t pl_add_tools(const char *const *list, const char **out, size_t n, size_t max)
{
    for (; list && *list; list++) {
        size_t k = 0;
        while (k < n && strcmp(out[k], *list) != 0)
            k++;
        if (k == n && n < max)
            out[n++] = *list;
    }
    return n;
}

size_t pipeline_key_tools(const gate_def *gates, size_t ngates, size_t i, const char **out, size_t n,
                          size_t max)
{
    n = pl_add_tools(gates[i].tools, out, n, max);
    n = pl_add_tools(gates[i].built_by, out, n, max);
    unsigned deps = pipeline_deps(gates, ngates, i);
    for (size_t j = 0; j < i && j < 32; j++)
        if (deps & (1u << j))
            n = pipeline_key_tools(gates, ngates, j, out, n, max);
    return n;
}

/* Everything the gate's verdict depends on: the candidate's key, the gate,
 * the quick flag and the versions of the tools behind it. */
static char *pl_key_text(const pipeline_opts *o, const gate_ctx *base, size_t idx)
{
    const char *tools[PIPELINE_MAX_TOOLS];
    size_t nt = pipeline_key_tools(o->gates, o->ngates, idx, tools, 0, PIPELINE_MAX_TOOLS);
    char *acc = fsx_fmt("%s\ngate=%s\nquick=%d\n", o->cache_key, o->gates[idx].name, base->quick ? 1 : 0);
    for (size_t t = 0; acc && t < nt; t++) {
        char *next = fsx_fmt("%s%s=%s\n", acc, tools[t], toolver_get(o->tools, tools[t]));
        free(acc);
        acc = next;
    }
    for (const char *const *e = o->gates[idx].key_env; acc && e && *e; e++) {
        const char *v = getenv(*e);
        if (!v || !*v) /* unset: the gate's default, the key of a run that never heard of it */
            continue;
        char *next = fsx_fmt("%senv:%s=%s\n", acc, *e, v);
        free(acc);
        acc = next;
    }
    return acc;
}

/* Only a verdict on the design is worth keeping: pass or fail from a run
 * that had no trouble writing its files. */
static bool pl_cacheable(const json_t *r)
{
    const char *st = json_string_value(json_object_get(r, "status"));
    return st && (strcmp(st, "pass") == 0 || strcmp(st, "fail") == 0) &&
           !json_is_true(json_object_get(r, "io_error"));
}

/* A result object with the fields every consumer relies on. */
static json_t *pl_normalise(json_t *r, const char *gate, double started)
{
    if (!json_is_object(r)) {
        json_decref(r);
        return gate_result_error(gate, "the gate returned no result object (a bug in the gate)", started);
    }
    const char *st = json_string_value(json_object_get(r, "status"));
    if (!st || (strcmp(st, "pass") && strcmp(st, "fail") && strcmp(st, "error") && strcmp(st, "timeout"))) {
        json_object_set_new(r, "status", json_string("error"));
        json_object_set_new(r, "diagnostic", json_string("the gate returned no valid status (a bug in the gate)"));
        st = "error";
    }
    /* "pass" must agree with status: a gate cannot pass with an error. */
    json_object_set_new(r, "pass", json_boolean(strcmp(st, "pass") == 0));
    json_object_set_new(r, "gate", json_string(gate));
    if (!json_is_number(json_object_get(r, "seconds")))
        json_object_set_new(r, "seconds", json_real(proc_now() - started));
    return r;
}

/* A verdict reached while the run directory could not be written may only
 * say that the gate's tools could not write their output (a full disk makes
 * a Verilator build "fail"): it becomes an "error" naming the path, and is
 * never cached. Two pages tell a full disk (or a file-size limit that
 * small). */
static json_t *pl_probe(const char *rundir, const char *gate, json_t *r)
{
    if (!pl_cacheable(r))
        return r;
    char block[8192];
    memset(block, 0, sizeof block);
    char *probe = fsx_fmt("%s/.%s.probe", rundir, gate);
    int rc = probe ? fsx_write_atomic(probe, block, sizeof block) : -1;
    int e = errno;
    if (rc == 0) {
        unlink(probe);
        free(probe);
        return r;
    }
    char *diag = fsx_fmt("cannot write %s: %s; the %s verdict may only reflect tools that could not write "
                         "their output, so it is not a verdict on the design (and is not cached): free space "
                         "on that filesystem (or raise the file-size limit) and run again",
                         probe ? probe : rundir, strerror(e), gate);
    json_object_set_new(r, "status", json_string("error"));
    json_object_set_new(r, "pass", json_false());
    json_object_set_new(r, "io_error", json_true());
    json_object_set_new(r, "diagnostic", json_string(diag ? diag : "cannot write the run directory"));
    free(diag);
    free(probe);
    return r;
}

/* A gate that ran here after the verdict was known: its tools were killed,
 * so whatever it says is no verdict. */
static json_t *pl_stopped(pl_run *run, const gate_def *def, json_t *r, double started)
{
    if (!atomic_load(&run->stop))
        return r;
    double cpu = json_number_value(json_object_get(r, "cpu_seconds"));
    json_decref(r);
    r = gate_result_error(def->name, "stopped: an earlier gate had already decided the verdict, "
                          "so this gate's tools were stopped", started);
    json_object_set_new(r, "stopped", json_true());
    json_object_set_new(r, "cpu_seconds", json_real(cpu));
    return r;
}

/* Runs the gate itself (no cache). */
static json_t *pl_execute(pl_run *run, const gate_def *def, json_t *prior)
{
    const pipeline_opts *o = run->o;
    double started = proc_now();
    json_t *r;
    if (!def->run) {
        r = gate_result_error(def->name, "this gate is not built into evo (its source is missing "
                              "from GATES_SRCS); it can never pass", started);
    } else if (proc_is_cancelled()) {
        r = gate_result_error(def->name, "interrupted before it started", started);
    } else {
        /* A Slurm job gets its cores from Slurm, not from this machine; a
         * gate that starts no program is not worth a job (gates/registry.h). */
        const executor *exec = def->tools && def->tools[0] ? o->exec : NULL;
        /* A gate of independent tool runs stays here and sends each run as
         * a job of its own (gates/registry.h tool_job_cpus). */
        bool per_tool = exec && def->tool_job_cpus > 0;
        int cores = exec ? executor_cpus(exec, def) : sched_acquire(o->sched, def->cpus);
        if (exec && o->job_state)
            o->job_state(o->progress_ctx, def->name, "submitted");
        else if (!exec && o->progress)
            o->progress(o->progress_ctx, def->name, NULL);
        gate_ctx ctx = *run->base;
        ctx.group = &run->group[def - o->gates];
        ctx.prior = prior;
        ctx.jobs = cores;
        if (ctx.timeout_s <= 0)
            ctx.timeout_s = def->timeout_s;
        started = proc_now();
        executor_notify nf = {.fn = o->job_state, .ctx = o->progress_ctx};
        if (per_tool) {
            executor_tools tools;
            executor_tools_init(&tools, exec, def, &ctx, o->job_tag, &run->stop, &nf);
            ctx.launcher = &tools.launcher;
            r = pl_stopped(run, def, gate_run(def->run, &ctx), started);
            executor_tools_free(&tools);
        } else if (exec) {
            r = executor_run_gate(exec, def, &ctx, o->job_tag, &run->stop, &nf);
        } else {
            r = gate_run(def->run, &ctx);
            sched_release(o->sched, cores);
            r = pl_stopped(run, def, r, started);
        }
    }
    return pl_probe(run->base->rundir, def->name, pl_normalise(r, def->name, started));
}

/* The gate's result when its cache entry cannot be trusted: an error that
 * names the entry; the run remembers it for the verdict. */
static json_t *pl_planted(pl_run *run, const char *gate, const char *why)
{
    pthread_mutex_lock(&run->mu);
    if (!run->planted[0])
        snprintf(run->planted, sizeof run->planted, "%s", why);
    pthread_mutex_unlock(&run->mu);
    json_t *r = gate_result_error(gate, why, proc_now());
    json_object_set_new(r, "planted", json_true());
    return r;
}

/* A fresh run of a gate that also had a cache entry: the entry must give the
 * same verdict, or it was planted (and goes). A fresh run that could not
 * judge (error, timeout) says nothing about the entry. */
static json_t *pl_reverify(pl_run *run, const char *keytext, const char *gate, const json_t *hit, json_t *r)
{
    if (!pl_cacheable(r))
        return r;
    char why[600];
    if (gcache_same_verdict(gate, hit, r, why, sizeof why)) {
        json_object_set_new(r, "cached", json_true());
        json_object_set_new(r, "reverified", json_true());
        return r;
    }
    char *path = gcache_path(run->cache, keytext, gate);
    gcache_purge(run->cache, keytext, gate);
    char *msg = fsx_fmt("planted gate-cache entry %s (gate %s): a fresh run disagrees with it (%s); it was "
                        "deleted", path ? path : "?", gate, why);
    json_decref(r);
    r = pl_planted(run, gate, msg ? msg : "planted gate-cache entry (a fresh run disagrees)");
    free(msg);
    free(path);
    return r;
}

/* The gate's result: from a verified cache entry, or from running it (then
 * *store says whether it may be cached). Gates in the fresh mask always run. */
static json_t *pl_result(pl_run *run, size_t idx, json_t *prior, const char *keytext, bool *store)
{
    const gate_def *def = &run->o->gates[idx];
    *store = false;
    json_t *hit = NULL;
    char why[1024];
    gcache_status cs = keytext ? gcache_get(run->cache, keytext, def->name, &hit, why, sizeof why) : GCACHE_MISS;
    if (cs == GCACHE_PLANTED)
        return pl_planted(run, def->name, why);
    if (hit && !(run->o->fresh & (1u << idx)))
        return pl_normalise(hit, def->name, proc_now());
    json_t *r = pl_execute(run, def, prior);
    if (hit) {
        r = pl_reverify(run, keytext, def->name, hit, r);
        json_decref(hit);
    } else {
        *store = keytext && pl_cacheable(r);
    }
    return r;
}

static void *pl_worker_main(void *p)
{
    pl_worker *w = p;
    pl_run *run = w->run;
    const pipeline_opts *o = run->o;
    const gate_def *def = &o->gates[w->idx];

    pthread_mutex_lock(&run->mu);
    json_t *prior = json_object();
    for (size_t j = 0; j < o->ngates; j++)
        if (run->state[j] == PL_DONE && run->res[j])
            json_object_set_new(prior, o->gates[j].name, json_deep_copy(run->res[j]));
    pthread_mutex_unlock(&run->mu);

    char *keytext = run->cache ? pl_key_text(o, run->base, w->idx) : NULL;
    bool store = false;
    json_t *r = pl_result(run, w->idx, prior, keytext, &store);
    json_decref(prior);
    /* When it ran, on the pipeline's clock: the schedule (which gate the
     * verdict waited for) is read from these. The start is the end minus
     * the gate's own seconds: the wait for cores is not counted. */
    double end = proc_now() - run->t0, secs = json_number_value(json_object_get(r, "seconds"));
    json_object_set_new(r, "end_s", json_real(end));
    json_object_set_new(r, "start_s", json_real(secs > 0 && secs < end ? end - secs : end));

    char *out = fsx_fmt("%s/%s.json", run->base->rundir, def->name);
    char *text = json_dumps(r, JSON_INDENT(2) | JSON_SORT_KEYS);
    int wrc = (out && text) ? fsx_write_atomic(out, text, strlen(text)) : -1;
    int werr = errno;
    /* Cached only once the run's own record of it was written: a verdict
     * from a run that hit a write error is not kept. A cache that cannot be
     * written only costs time next run. */
    if (store && wrc == 0 && !proc_is_cancelled() && gcache_put(run->cache, keytext, def->name, r) != 0) { /* ignored */ }
    free(keytext);

    pthread_mutex_lock(&run->mu);
    if (wrc != 0 && !run->io_err[0])
        snprintf(run->io_err, sizeof run->io_err, "cannot write %s: %s", out ? out : "a gate result",
                 strerror(werr));
    run->res[w->idx] = r;
    run->passed[w->idx] = json_is_true(json_object_get(r, "pass"));
    run->state[w->idx] = PL_DONE;
    pthread_cond_broadcast(&run->cv);
    pthread_mutex_unlock(&run->mu);
    free(out);
    free(text);
    if (o->progress)
        o->progress(o->progress_ctx, def->name, r);
    return NULL;
}

/* After a planted entry every entry of this candidate goes, whether or not
 * its gate ran and even if its MAC verifies: whoever planted one may have
 * signed others with a stolen key, and an honest candidate only loses time. */
static void pl_sweep(pl_run *run)
{
    for (size_t i = 0; i < run->o->ngates; i++) {
        char *keytext = pl_key_text(run->o, run->base, i);
        if (keytext)
            gcache_purge(run->cache, keytext, run->o->gates[i].name);
        free(keytext);
    }
}

/* -1 undecided, ngates all passed, else the index of the deciding failure. */
static long pl_verdict(const pl_run *run)
{
    for (size_t i = 0; i < run->o->ngates; i++) {
        if (run->state[i] != PL_DONE)
            return -1;
        if (!run->passed[i])
            return (long)i;
    }
    return (long)run->o->ngates;
}

static bool pl_can_start(const pl_run *run, size_t i)
{
    if (run->state[i] != PL_PENDING)
        return false;
    for (size_t j = 0; j < i; j++) {
        bool done_ok = run->state[j] == PL_DONE && run->passed[j];
        if (run->state[j] == PL_DONE && !run->passed[j])
            return false; /* the verdict is at or before j: i is irrelevant */
        if (!run->o->overlap && !done_ok)
            return false;
        if ((run->deps[i] & (1u << j)) && !done_ok)
            return false;
    }
    return true;
}

static bool pl_any_running(const pl_run *run)
{
    for (size_t i = 0; i < run->o->ngates; i++)
        if (run->state[i] == PL_RUNNING)
            return true;
    return false;
}

int pipeline_run(const pipeline_opts *o, const gate_ctx *base, pipeline_verdict *v,
                 char *err, size_t n)
{
    memset(v, 0, sizeof *v);
    if (o->ngates > PL_MAX || !o->sched) {
        snprintf(err, n, "pipeline: %zu gates (max %d) or no scheduler", o->ngates, PL_MAX);
        return -1;
    }
    double t0 = proc_now();
    pl_run *run = calloc(1, sizeof *run);
    if (!run) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    run->o = o;
    run->base = base;
    run->t0 = t0;
    if (o->cache_dir && o->cache_key && o->tools && !(run->cache = gcache_open(o->cache_dir, err, n))) {
        free(run);
        return -1;
    }
    pthread_mutex_init(&run->mu, NULL);
    pthread_cond_init(&run->cv, NULL);
    for (size_t i = 0; i < o->ngates; i++) {
        proc_group_init(&run->group[i]);
        run->deps[i] = pipeline_deps(o->gates, o->ngates, i);
        run->w[i].run = run;
        run->w[i].idx = i;
    }

    int rc = 0;
    long verdict;
    pthread_mutex_lock(&run->mu);
    while ((verdict = pl_verdict(run)) < 0) {
        bool cancelled = proc_is_cancelled();
        for (size_t i = 0; i < o->ngates && !cancelled; i++) {
            if (!pl_can_start(run, i))
                continue;
            run->state[i] = PL_RUNNING;
            if (pthread_create(&run->w[i].th, NULL, pl_worker_main, &run->w[i]) != 0) {
                run->state[i] = PL_PENDING;
                snprintf(err, n, "pipeline: cannot start a thread for gate %s", o->gates[i].name);
                rc = -1;
                cancelled = true;
                break;
            }
            run->w[i].started = true;
        }
        if (!pl_any_running(run)) {
            v->cancelled = cancelled;
            break;
        }
        pthread_cond_wait(&run->cv, &run->mu);
    }
    bool running = pl_any_running(run);
    pthread_mutex_unlock(&run->mu);
    /* A failure decided the verdict while later gates still run: their
     * work can change nothing, so it stops (Slurm jobs are cancelled, tools
     * in this process killed); their results are "stopped" errors. */
    if (running && verdict >= 0 && verdict < (long)o->ngates) {
        atomic_store(&run->stop, true);
        for (size_t i = 0; i < o->ngates; i++)
            proc_group_stop(&run->group[i]);
        if (o->exec)
            executor_sweep(o->exec, o->job_tag);
    }
    for (size_t i = 0; i < o->ngates; i++)
        if (run->w[i].started)
            pthread_join(run->w[i].th, NULL);
    if (o->exec)
        executor_sweep(o->exec, o->job_tag); /* no job outlives its candidate */

    v->results = json_object();
    for (size_t i = 0; i < o->ngates; i++)
        if (run->res[i])
            json_object_set_new(v->results, o->gates[i].name, run->res[i]);
    if (proc_is_cancelled())
        v->cancelled = true;
    verdict = pl_verdict(run);
    if (verdict >= 0 && verdict < (long)o->ngates) {
        const json_t *r = json_object_get(v->results, o->gates[verdict].name);
        const char *st = json_string_value(json_object_get(r, "status"));
        const char *diag = json_string_value(json_object_get(r, "diagnostic"));
        v->failed_gate = strdup(o->gates[verdict].name);
        v->failed_status = strdup(st ? st : "error");
        v->diagnostic = strdup(diag ? diag : "");
        const char *fo = o->gates[verdict].fail_outcome;
        v->outcome = fo && st && strcmp(st, "fail") == 0 ? fo : "broken";
    } else if (verdict < 0 && !v->cancelled) {
        v->cancelled = true; /* stopped early by an internal error */
    }
    if (run->planted[0]) {
        pl_sweep(run);
        v->planted = strdup(run->planted);
    }
    for (size_t i = 0; i < o->ngates; i++)
        if (json_is_true(json_object_get(run->res[i], "cached")))
            v->from_cache |= 1u << i;
    if (run->io_err[0] && rc == 0) {
        snprintf(err, n, "%s", run->io_err);
        rc = -1;
    }
    v->seconds = proc_now() - t0;
    pthread_mutex_destroy(&run->mu);
    pthread_cond_destroy(&run->cv);
    gcache_free(run->cache);
    free(run);
    return rc;
}

void pipeline_verdict_free(pipeline_verdict *v)
{
    json_decref(v->results);
    free(v->failed_gate);
    free(v->failed_status);
    free(v->diagnostic);
    free(v->planted);
    memset(v, 0, sizeof *v);
}
