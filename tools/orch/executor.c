/* executor.c — see executor.h. srun runs the job through lib/proc (so a
 * cancelled run kills it like any tool); the Slurm queries and scancel are
 * slurmq's (orch/slurmq.h), which still run after a cancellation. While srun
 * runs, a watcher thread follows the job's state in the listings of the
 * run's one slurmq poller (one squeue per poll for all the run's jobs). */
#include "orch/executor.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"
#include "orch/jobprog.h"
#include "orch/slurmq.h"

enum { EX_ARGV = 160, EX_TIME_MARGIN_S = 120, EX_DOWN_DEFAULT_S = 300 };

/* How soon a stopped group's running jobs are scancelled. */
static const double EX_STOP_CHECK_S = 0.25;

struct executor {
    char *partition, *extra, *exe, *prefix;
    int node_cpus;     /* 0: unknown */
    long node_mem_mib; /* 0: unknown */
    double down_s;
    slurmq_reaper reaper;
    slurmq_poller *poller; /* the only part that changes after executor_slurm_new() (its own lock) */
};

executor *executor_slurm_new(const executor_slurm_opts *o, char *err, size_t n)
{
    static const char *const need[] = {"srun", "squeue", "scancel", "sinfo", NULL};
    for (const char *const *t = need; *t; t++)
        if (!proc_have_tool(*t)) {
            snprintf(err, n, "EXECUTOR=slurm: %s is not installed (Debian package slurm-client or slurm-wlm); "
                             "install it, or run with EXECUTOR=local", *t);
            return NULL;
        }
    executor *x = calloc(1, sizeof *x);
    if (!x || !o->exe || !o->prefix || !(x->exe = strdup(o->exe)) || !(x->prefix = strdup(o->prefix)) ||
        (o->partition && *o->partition && !(x->partition = strdup(o->partition))) ||
        (o->extra && *o->extra && !(x->extra = strdup(o->extra)))) {
        executor_free(x);
        snprintf(err, n, "out of memory (or no program/job prefix for the slurm executor)");
        return NULL;
    }
    x->down_s = o->down_s > 0 ? o->down_s : EX_DOWN_DEFAULT_S;
    if (!(x->poller = slurmq_poller_new(x->prefix))) {
        executor_free(x);
        snprintf(err, n, "EXECUTOR=slurm: cannot start the squeue poller's thread (out of memory or threads)");
        return NULL;
    }
    slurmq_node_probe(x->partition, &x->node_cpus, &x->node_mem_mib);
    slurmq_reaper_start(&x->reaper, x->prefix);
    return x;
}

void executor_free(executor *x)
{
    if (!x)
        return;
    slurmq_reaper_stop(&x->reaper);
    slurmq_poller_free(x->poller);
    free(x->partition);
    free(x->extra);
    free(x->exe);
    free(x->prefix);
    free(x);
}

int executor_cpus(const executor *x, const gate_def *def)
{
    int c = def->cpus < 1 ? 1 : def->cpus;
    return x->node_cpus > 0 && c > x->node_cpus ? x->node_cpus : c;
}

/* The names of the tag's jobs begin with this (tag NULL: the run's). Caller
 * frees; NULL when out of memory. */
static char *ex_jobs_of(const executor *x, const char *tag)
{
    return tag ? fsx_fmt("%s-%s-", x->prefix, tag) : fsx_fmt("%s-", x->prefix);
}

int executor_sweep(const executor *x, const char *tag)
{
    char *want = ex_jobs_of(x, tag);
    int count = want ? slurmq_sweep(want) : 0;
    free(want);
    return count;
}

int executor_drain(const executor *x, const char *tag, double limit_s)
{
    char *want = ex_jobs_of(x, tag);
    int left = want ? slurmq_drain(want, limit_s) : 0;
    free(want);
    return left;
}

/* The sandbox as --confine KIND:PATH arguments (gates/gate_cli.h). */
static void ex_confine_args(const confine_policy *p, strv *args)
{
    static const char *const kinds[] = {[CONFINE_RO] = "ro", [CONFINE_RO_TRY] = "ro?", [CONFINE_RW] = "rw",
                                        [CONFINE_HIDE] = "hide"};
    for (size_t i = 0; p && p->enabled && i < p->nmounts; i++) {
        strv_add(args, "--confine");
        strv_push(args, fsx_fmt("%s:%s", kinds[p->mounts[i].kind], p->mounts[i].path));
    }
}

/* The srun options of a job: its name, resources, limit and directory. */
static void ex_srun(const executor *x, const char *name, int cpus, int mem_mib, double timeout_s, const char *dir,
                    strv *a)
{
    long mem = mem_mib > 0 ? mem_mib : 1024;
    if (x->node_mem_mib > 0 && mem > x->node_mem_mib)
        mem = x->node_mem_mib;
    long minutes = (long)((timeout_s + EX_TIME_MARGIN_S + 59) / 60);
    strv_add(a, "srun");
    strv_add(a, "--quiet");
    strv_push(a, fsx_fmt("--job-name=%s", name));
    strv_add(a, "--ntasks=1");
    strv_push(a, fsx_fmt("--cpus-per-task=%d", cpus));
    strv_push(a, fsx_fmt("--mem=%ld", mem));
    strv_push(a, fsx_fmt("--time=%ld", minutes < 1 ? 1 : minutes));
    strv_push(a, fsx_fmt("--chdir=%s", dir));
    if (x->partition)
        strv_push(a, fsx_fmt("--partition=%s", x->partition));
    char *extra = x->extra ? strdup(x->extra) : NULL;
    for (char *save = NULL, *w = extra ? strtok_r(extra, " \t\n", &save) : NULL; w; w = strtok_r(NULL, " \t\n", &save))
        strv_add(a, w);
    free(extra);
}

/* The srun command of one attempt of a whole gate. */
static void ex_argv(const executor *x, const gate_def *def, const gate_ctx *ctx, const char *name,
                    const char *prior, const char *json, strv *a)
{
    int cpus = ctx->jobs;
    ex_srun(x, name, cpus, def->mem_mib, ctx->timeout_s, ctx->harness, a);
    strv_add(a, x->exe);
    strv_add(a, "gate");
    strv_add(a, def->name);
    strv_add(a, "--core");
    strv_add(a, ctx->core);
    strv_add(a, "--tree");
    strv_add(a, ctx->tree);
    strv_add(a, "--rundir");
    strv_add(a, ctx->rundir);
    strv_add(a, "--build");
    strv_add(a, ctx->build);
    strv_add(a, "--jobs");
    strv_push(a, fsx_fmt("%d", cpus));
    strv_add(a, "--timeout");
    strv_push(a, fsx_fmt("%.3f", ctx->timeout_s));
    strv_add(a, "--prior");
    strv_add(a, prior);
    strv_add(a, "--json");
    strv_add(a, json);
    if (ctx->quick)
        strv_add(a, "--quick");
    ex_confine_args(ctx->confine, a);
}

/* Whether a pending reason means the job cannot start until someone acts
 * (nodes down or drained, a partition down or too small), as opposed to
 * waiting its turn. Slurm prints either the reason's code or its text. */
static bool ex_reason_unavailable(const char *r)
{
    static const char *const words[] = {"DOWN", "DRAIN", "ReqNodeNotAvail", "NodeDown", "PartitionDown",
                                        "PartitionInactive", "PartitionNodeLimit", "PartitionTimeLimit",
                                        "PartitionConfig", "BadConstraints", "Invalid", "not available", NULL};
    for (const char *const *w = words; *w; w++)
        if (strstr(r, *w))
            return true;
    return false;
}

/* One attempt's watcher: follows its job's state in the poller's listings
 * until srun returns. */
typedef struct {
    const executor *x;
    const char *name, *gate;
    const executor_notify *notify;
    proc_group *group;     /* once stopped, the job is scancelled; may be NULL */
    slurmq_watch sw;       /* registered while srun runs */
    char unavailable[700]; /* set when the job was cancelled for it */
} ex_watch;

/* What the line now ("STATE|NODES|REASON", "" when not listed) says of w's
 * job: a change of state is notified (last: the one notified before); a
 * job that has waited down_s for nodes that cannot run it (since
 * *down_since) is scancelled, and then the result is true. */
static bool ex_watch_see(ex_watch *w, char *now, char *last, size_t n, double *down_since)
{
    char *nodes = strchr(now, '|'), *reason = nodes ? strchr(nodes + 1, '|') : NULL;
    if (!reason)
        return false;
    *nodes++ = 0, *reason++ = 0;
    bool pending = strcmp(now, "PENDING") == 0;
    char say[600];
    if (pending)
        snprintf(say, sizeof say, "queued: %s", reason);
    else
        snprintf(say, sizeof say, "%s on %s", strcmp(now, "RUNNING") == 0 ? "running" : now, nodes[0] ? nodes : "?");
    if (strcmp(say, last) != 0 && w->notify && w->notify->fn)
        w->notify->fn(w->notify->ctx, w->gate, say);
    snprintf(last, n, "%s", say);
    bool unavailable = pending && ex_reason_unavailable(reason);
    if (!unavailable)
        *down_since = -1;
    else if (*down_since < 0)
        *down_since = proc_now();
    else if (proc_now() - *down_since >= w->x->down_s) {
        snprintf(w->unavailable, sizeof w->unavailable, "the job waited %.0f s for nodes that "
                 "cannot run it (%s), so it was cancelled", proc_now() - *down_since, reason);
        slurmq_scancel_name(w->name);
        return true;
    }
    return false;
}

static void *ex_watch_main(void *p)
{
    ex_watch *w = p;
    char last[600] = "", now[512];
    double down_since = -1;
    bool scancelled = false;
    for (;;) {
        /* The group's stop is looked at often (a cheap flag); the job's
         * state when the poller has a new listing. */
        slurmq_woke woke = slurmq_poller_wait(w->x->poller, &w->sw, w->group ? EX_STOP_CHECK_S : -1, now, sizeof now);
        if (woke == SLURMQ_DONE)
            break;
        if (!scancelled && proc_group_stopped(w->group)) {
            scancelled = true;
            slurmq_scancel_name(w->name);
        }
        if (woke == SLURMQ_LISTED && ex_watch_see(w, now, last, sizeof last, &down_since))
            break;
    }
    return NULL;
}

/* Runs one srun (argv a, output appended to log, at most timeout_s when
 * > 0) while a watcher reports the job's state as label and scancels the
 * job once group is stopped; unavailable gets the reason when the watcher
 * cancelled a job that could not start. */
static void ex_attempt(const executor *x, const char *name, const char *label, const strv *a, const char *log,
                       double timeout_s, const executor_notify *notify, proc_group *group, proc_result *pr,
                       char *unavailable, size_t n)
{
    proc_spec spec = {.argv = (const char *const *)a->v, .log_path = log, .timeout_s = timeout_s};
    ex_watch w = {.x = x, .name = name, .gate = label, .notify = notify, .group = group};
    slurmq_poller_add(x->poller, &w.sw, name);
    pthread_t th;
    bool watching = pthread_create(&th, NULL, ex_watch_main, &w) == 0;
    proc_run(&spec, pr);
    slurmq_poller_done(x->poller, &w.sw);
    if (watching)
        pthread_join(th, NULL);
    slurmq_poller_remove(x->poller, &w.sw);
    snprintf(unavailable, n, "%s", w.unavailable);
}

/* Slurm's own lines ("srun: error: ...", "slurmstepd: ...") of the last
 * attempt in the log's tail, joined by "; "; the whole tail when there are
 * none. Caller frees. */
static char *ex_slurm_words(const char *log)
{
    char *tail = gate_log_tail(log);
    if (!tail)
        return strdup("nothing");
    size_t len = strlen(tail);
    char *out = calloc(1, len + 3);
    for (char *save = NULL, *l = out ? strtok_r(tail, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
        if (strncmp(l, "--- attempt", 11) == 0)
            out[0] = 0; /* only the last attempt's words */
        else if (strstr(l, "srun:") || strstr(l, "slurmstepd"))
            snprintf(out + strlen(out), len + 3 - strlen(out), "%s%s", out[0] ? "; " : "", l);
    if (out && !out[0]) {
        free(out);
        out = strdup(tail);
    }
    free(tail);
    return out;
}

/* One Slurm job, whole gate or one tool run, and how its attempts go. */
typedef struct {
    const executor *x;
    const char *name;    /* the job's name (scancel, squeue) */
    const char *label;   /* what the notify callback calls it */
    const strv *argv;    /* the srun command */
    const char *log;     /* srun's output, and the "--- attempt" marks */
    bool fresh_log;      /* each attempt starts the log afresh (it is the tool's own) */
    const char *outcome; /* the file the job leaves its outcome in (removed before each attempt) */
    double limit_s;      /* bounds srun itself; 0: none */
    const atomic_bool *stop;       /* set: the caller no longer needs the job */
    proc_group *group;             /* stopped: likewise, and a running job is scancelled */
    const executor_notify *notify;
    /* Reads what the job left once srun has returned: true when it left an
     * outcome (the reader keeps it), false when none (the job failed). */
    bool (*read)(void *data);
    void *data;
} ex_job;

typedef enum { EX_OUTCOME, EX_INTERRUPTED, EX_STOPPED, EX_INFRA } ex_end;

static bool ex_job_stopped(const ex_job *j)
{
    return (j->stop && atomic_load(j->stop)) || proc_group_stopped(j->group);
}

/* The one retry rule: a job that leaves no outcome is an infrastructure
 * fault (never a verdict), so it is scancelled and tried once more; after
 * the second, why says so with Slurm's own words. A job the caller stopped
 * is not retried (EX_STOPPED); after proc_cancel_all() none is
 * (EX_INTERRUPTED). */
static ex_end ex_job_run(const ex_job *j, char *why, size_t n)
{
    char what[800] = "the job left no outcome";
    for (int attempt = 0; attempt < 2; attempt++) {
        if (ex_job_stopped(j))
            return EX_STOPPED;
        unlink(j->outcome);
        if (attempt > 0 && j->fresh_log)
            remove(j->log); /* the log holds the attempt that counts */
        char *mark = fsx_fmt("--- attempt %d: job %s\n", attempt + 1, j->name);
        if (mark && fsx_append(j->log, mark, strlen(mark)) != 0) { /* the log is only for reading */ }
        free(mark);
        proc_result pr;
        char unavailable[700];
        ex_attempt(j->x, j->name, j->label, j->argv, j->log, j->limit_s, j->notify, j->group, &pr, unavailable,
                   sizeof unavailable);
        if (pr.cancelled || proc_is_cancelled()) {
            slurmq_scancel_name(j->name);
            return EX_INTERRUPTED;
        }
        if (j->read(j->data))
            return EX_OUTCOME;
        char buf[160];
        snprintf(what, sizeof what, "%s", unavailable[0] ? unavailable : proc_describe(&pr, "srun", buf, sizeof buf));
        slurmq_scancel_name(j->name); /* whatever is left of a job that failed */
    }
    if (ex_job_stopped(j))
        return EX_STOPPED;
    char *words = ex_slurm_words(j->log);
    snprintf(why, n, "%s, twice; Slurm said: %s (the job never judged the design; see %s)", what,
             words ? words : "nothing", j->log);
    free(words);
    return EX_INFRA;
}

/* A whole gate's job leaves the gate's result in its JSON file. */
typedef struct {
    const char *json, *gate;
    json_t *r;
} ex_gate_outcome;

static bool ex_read_result(void *data)
{
    ex_gate_outcome *o = data;
    json_t *all = json_load_file(o->json, 0, NULL);
    json_t *r = json_object_get(all, o->gate);
    const char *st = json_string_value(json_object_get(r, "status"));
    o->r = st ? json_incref(r) : NULL;
    json_decref(all);
    return o->r != NULL;
}

#define EX_STOPPED_WORDS "stopped: an earlier gate had already decided the verdict, so its Slurm job was cancelled"

static json_t *ex_stopped_result(const char *gate, double started)
{
    json_t *r = gate_result_error(gate, EX_STOPPED_WORDS, started);
    json_object_set_new(r, "stopped", json_true());
    return r;
}

json_t *executor_run_gate(const executor *x, const gate_def *def, const gate_ctx *ctx, const char *tag,
                          const atomic_bool *stop, const executor_notify *notify)
{
    double started = proc_now();
    char *name = fsx_fmt("%s-%s-%s", x->prefix, tag ? tag : "x", def->name);
    char *prior = fsx_fmt("%s/.%s.prior.json", ctx->rundir, def->name);
    char *json = fsx_fmt("%s/.%s.job.json", ctx->rundir, def->name);
    char *log = fsx_fmt("%s/%s.job.log", ctx->rundir, def->name);
    char *ptext = ctx->prior ? json_dumps(ctx->prior, JSON_COMPACT) : strdup("{}");
    if (!name || !prior || !json || !log || !ptext || fsx_write_atomic(prior, ptext, strlen(ptext)) != 0) {
        char *why = fsx_fmt("cannot write %s: %s", prior ? prior : "the prior results", strerror(errno));
        json_t *r = gate_result_error(def->name, why ? why : "out of memory", started);
        free(why), free(name), free(prior), free(json), free(log), free(ptext);
        return r;
    }
    strv a = {0};
    ex_argv(x, def, ctx, name, prior, json, &a);
    ex_gate_outcome out = {.json = json, .gate = def->name};
    ex_job job = {.x = x, .name = name, .label = def->name, .argv = &a, .log = log, .outcome = json, .stop = stop,
                  .notify = notify, .read = ex_read_result, .data = &out};
    char why[1500];
    json_t *r = NULL;
    switch (ex_job_run(&job, why, sizeof why)) {
    case EX_OUTCOME:
        r = out.r;
        break;
    case EX_INTERRUPTED:
        r = gate_result_error(def->name, "interrupted while its Slurm job ran (the job was cancelled)", started);
        break;
    case EX_STOPPED:
        r = ex_stopped_result(def->name, started);
        break;
    case EX_INFRA: {
        char *diag = fsx_fmt("infrastructure: %s", why);
        r = gate_result_error(def->name, diag ? diag : "infrastructure: the Slurm job failed", started);
        json_object_set_new(r, "infrastructure", json_true());
        json_object_set_new(r, "log", json_string(log));
        free(diag);
        break;
    }
    }
    strv_free(&a);
    const char *st = json_string_value(json_object_get(r, "status"));
    bool judged = st && (strcmp(st, "pass") == 0 || strcmp(st, "fail") == 0);
    if (r && !judged && stop && atomic_load(stop) && !json_is_true(json_object_get(r, "stopped"))) {
        /* The gate's own words would be "interrupted": say why. */
        json_object_set_new(r, "status", json_string("error"));
        json_object_set_new(r, "stopped", json_true());
        json_object_set_new(r, "diagnostic", json_string(EX_STOPPED_WORDS));
    }
    unlink(prior);
    unlink(json);
    free(name), free(prior), free(json), free(log), free(ptext);
    return r;
}


/* ---- one job per tool run (lib/proc.h proc_launcher) ---- */

/* The srun command of one tool run: `<exe> gate exec` on the node runs the
 * tool in the same sandbox and writes its outcome to status. */
static void ex_tool_argv(const executor_tools *t, const char *name, const proc_spec *spec, const char *status,
                         strv *a)
{
    int cpus = t->def->tool_job_cpus;
    if (t->x->node_cpus > 0 && cpus > t->x->node_cpus)
        cpus = t->x->node_cpus;
    ex_srun(t->x, name, cpus, t->def->mem_mib, spec->timeout_s, spec->cwd ? spec->cwd : t->harness, a);
    strv_add(a, t->x->exe);
    strv_add(a, "gate");
    strv_add(a, "exec");
    strv_add(a, "--status");
    strv_add(a, status);
    if (spec->timeout_s > 0) {
        strv_add(a, "--timeout");
        strv_push(a, fsx_fmt("%.3f", spec->timeout_s));
    }
    ex_confine_args(spec->confine, a);
    for (const char *const *e = spec->env; e && *e; e++) {
        strv_add(a, "--env");
        strv_add(a, *e);
    }
    strv_add(a, "--");
    for (const char *const *v = spec->argv; *v; v++)
        strv_add(a, *v);
}

/* A tool run's job leaves its outcome in a status file (gate exec). */
typedef struct {
    const char *status;
    proc_result *res;
} ex_tool_outcome;

static bool ex_read_status(void *data)
{
    ex_tool_outcome *o = data;
    return gate_tool_status_read(o->status, o->res) == 0;
}

/* A tool job's output goes to a log of its own (a retry starts it afresh,
 * and tool runs that share a log, such as cosim's batches, would otherwise
 * interleave or lose each other's lines); once the job is over its log is
 * appended to the tool's, whole. After an infrastructure failure the job's
 * log stays where the diagnostic points, and the tool's log says so.
 * 0, or -1 with errno when the tool's log cannot be written. */
static int ex_log_hand_over(const char *job_log, const char *tool_log, bool keep)
{
    char *text = NULL;
    size_t len = 0;
    if (fsx_read(job_log, &text, &len) != 0)
        return 0; /* the job never started: nothing to hand over */
    int rc = fsx_append(tool_log, text, len);
    free(text);
    if (keep) {
        char *note = fsx_fmt("(the Slurm job failed: its own log is %s)\n", job_log);
        if (note && rc == 0)
            rc = fsx_append(tool_log, note, strlen(note));
        free(note);
    } else {
        unlink(job_log);
    }
    return rc;
}

static int ex_tool_run(void *data, const char *label, const proc_spec *spec, proc_result *res, char *why, size_t n)
{
    const executor_tools *t = data;
    char *name = fsx_fmt("%s-%s-%s-%s", t->x->prefix, t->tag ? t->tag : "x", t->def->name, label);
    char *shown = fsx_fmt("%s/%s", t->def->name, label);
    char *status = fsx_fmt("%s/.%s-%s.status.json", t->rundir, t->def->name, label);
    char *log = fsx_fmt("%s/%s-%s.job.log", t->rundir, t->def->name, label);
    memset(res, 0, sizeof *res);
    if (spec->stdin_path) {
        snprintf(why, n, "a tool run with an input file cannot be a Slurm job (%s)", label);
        free(name), free(shown), free(status), free(log);
        return -1;
    }
    if (!name || !shown || !status || !log) {
        snprintf(why, n, "out of memory starting the Slurm job of %s", label);
        free(name), free(shown), free(status), free(log);
        return -1;
    }
    strv a = {0};
    ex_tool_argv(t, name, spec, status, &a);
    ex_tool_outcome out = {.status = status, .res = res};
    /* The node enforces the tool's limit; this one only bounds a hung srun. */
    ex_job job = {.x = t->x, .name = name, .label = shown, .argv = &a, .log = log, .fresh_log = true,
                  .outcome = status, .limit_s = spec->timeout_s > 0 ? spec->timeout_s + EX_TIME_MARGIN_S : 0,
                  .stop = t->stop, .group = spec->group, .notify = jobprog_notifier(t->progress),
                  .read = ex_read_status, .data = &out};
    char words[1500];
    int rc = 0;
    jobprog_begin(t->progress, shown);
    ex_end outcome = ex_job_run(&job, words, sizeof words);
    jobprog_end(t->progress, shown);
    switch (outcome) {
    case EX_OUTCOME:
        if (spec->group)
            atomic_fetch_add(&spec->group->usec, (unsigned long long)(res->cpu_s * 1e6));
        break;
    case EX_INTERRUPTED:
    case EX_STOPPED: /* stopped, not failed: the verdict was known */
        memset(res, 0, sizeof *res);
        res->cancelled = true;
        break;
    case EX_INFRA:
        snprintf(why, n, "its Slurm job %s: %s", name, words);
        rc = -1;
        break;
    }
    strv_free(&a);
    unlink(status);
    if (spec->log_path && ex_log_hand_over(log, spec->log_path, outcome == EX_INFRA) != 0 && rc == 0) {
        snprintf(why, n, "cannot append %s to %s: %s", log, spec->log_path, strerror(errno));
        rc = -1;
    }
    free(name), free(shown), free(status), free(log);
    return rc;
}

void executor_tools_init(executor_tools *t, const executor *x, const gate_def *def, const gate_ctx *ctx,
                         const char *tag, const atomic_bool *stop, const executor_notify *notify)
{
    *t = (executor_tools){.x = x, .def = def, .tag = tag, .stop = stop, .rundir = ctx->rundir,
                          .harness = ctx->harness, .progress = jobprog_new(def->name, notify)};
    t->launcher = (proc_launcher){.run = ex_tool_run, .data = t};
}

void executor_tools_free(executor_tools *t)
{
    jobprog_free(t->progress);
    t->progress = NULL;
}
