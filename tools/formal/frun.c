/* frun.c — see frun.h.
 *
 * Flow: load formal/checks.tsv, prepare the shared netlist once (fnet), then
 * every selected check becomes two jobs, its property and its cover, run on a
 * pool of ctx->jobs threads, each job one yosys-abc process (fbmc). Channel-1
 * checks wait for ch1_idle: when channel 1 provably never retires they are
 * "n/a" and cost nothing. Failures are replayed to a VCD that names the field.
 */
#include "formal/frun.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formal/fbmc.h"
#include "formal/fnet.h"
#include "formal/ftable.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { FORMAL_REPLAY_TIMEOUT = 300 };

typedef struct {
    const formal_check *chk;
    int depth;
    int is_cover;
    int index;               /* AIGER output, or -1: constant konst */
    int konst;
    int run;                 /* 1: belongs to the current phase */
    int done;
    formal_bmc_result res;
    char *aiw, *log;
} formal_job;

typedef struct {
    formal_job *jobs;
    size_t n;
    size_t next;
    pthread_mutex_t mu;
    const char *aig;
    double deadline;
} formal_pool;

/* Per-check outcome, assembled after the proofs. */
typedef struct {
    const formal_check *chk;
    int depth;
    formal_job *proof, *cover;
    const char *status;
    char detail[512];
    char fields[512];
    char *vcd;
    int na;
} formal_outcome;

static double formal_remaining(double deadline, double want)
{
    if (deadline <= 0)
        return want;
    double left = deadline - proc_now();
    return left < want ? left : want;
}

static void formal_job_do(formal_pool *p, formal_job *j)
{
    if (j->index < 0) {
        /* Yosys folded the output to a constant: nothing to prove. */
        j->res.status = j->konst ? FORMAL_BMC_CEX : FORMAL_BMC_SAFE;
        j->res.frame = j->konst ? 0 : j->depth - 1;
        return;
    }
    double limit = formal_remaining(p->deadline, j->chk->timeout_s);
    if (limit <= 1 || proc_is_cancelled()) {
        memset(&j->res, 0, sizeof j->res);
        j->res.status = FORMAL_BMC_TIMEOUT;
        j->res.frame = -1;
        snprintf(j->res.msg, sizeof j->res.msg, "not started: the formal gate's time ran out");
        return;
    }
    if (j->chk->engine == FORMAL_ENGINE_SWEEP && !j->is_cover) {
        formal_bmc_sweep(p->aig, j->index, j->depth, limit, j->log, &j->res);
        if (j->res.status != FORMAL_BMC_CEX)
            return;
        /* Sweeping says a counterexample exists; bmc3 finds its frame and
         * witness (satisfiable instances are the easy ones). */
        double spent = j->res.seconds;
        limit = formal_remaining(p->deadline, j->chk->timeout_s);
        char *log = fsx_fmt("%s.bmc", j->log);
        formal_bmc_run(p->aig, j->index, j->depth, limit, j->aiw, log ? log : j->log, &j->res);
        free(log);
        j->res.seconds += spent;
        if (j->res.status == FORMAL_BMC_SAFE) {
            j->res.status = FORMAL_BMC_ERROR;
            snprintf(j->res.msg, sizeof j->res.msg, "iprove found a counterexample that bmc3 could not (see %s)",
                     j->log);
        }
        return;
    }
    formal_bmc_run(p->aig, j->index, j->depth, limit, j->aiw, j->log, &j->res);
}

static void *formal_worker(void *arg)
{
    formal_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        formal_job *j = NULL;
        while (p->next < p->n && !j) {
            formal_job *c = &p->jobs[p->next++];
            if (c->run && !c->done)
                j = c;
        }
        pthread_mutex_unlock(&p->mu);
        if (!j)
            return NULL;
        formal_job_do(p, j);
        j->done = 1;
    }
}

/* Runs the jobs marked `run` on `jobs` threads (the calling thread is one). */
static void formal_pool_run(formal_pool *p, int jobs)
{
    p->next = 0;
    pthread_t tid[16];
    int started = 0;
    if (jobs > 16)
        jobs = 16;
    for (int i = 1; i < jobs; i++)
        if (pthread_create(&tid[started], NULL, formal_worker, p) == 0)
            started++;
    formal_worker(p);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

/* Longest proofs first so that the pool ends together. */
static int formal_job_cmp(const void *a, const void *b)
{
    const formal_job *x = a, *y = b;
    if (x->depth != y->depth)
        return y->depth - x->depth;
    return x->is_cover - y->is_cover;
}

static int formal_selected(const formal_opts *o, const formal_check *c)
{
    if (!(c->modes & (o->deep ? FORMAL_DEEP : FORMAL_FAST)))
        return 0;
    if (!o->only || !*o->only)
        return 1;
    size_t len = strlen(c->name);
    for (const char *p = o->only; (p = strstr(p, c->name)); p += len)
        if ((p == o->only || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
            return 1;
    return 0;
}

static int formal_depth(const formal_opts *o, const formal_check *c)
{
    json_t *v = json_object_get(o->depths, c->name);
    int d = c->depth;
    if (json_is_integer(v) && json_integer_value(v) > d && json_integer_value(v) <= 1000)
        d = (int)json_integer_value(v);
    return d;
}

static const char *formal_bmc_name(formal_bmc_status s, int cover)
{
    switch (s) {
    case FORMAL_BMC_SAFE: return cover ? "unreached" : "safe";
    case FORMAL_BMC_CEX: return cover ? "reached" : "cex";
    case FORMAL_BMC_TIMEOUT: return "timeout";
    default: return "error";
    }
}

/* The verdict of one check from its two proofs. */
static void formal_outcome_decide(formal_outcome *oc)
{
    const formal_bmc_result *p = &oc->proof->res;
    const formal_bmc_result *c = oc->cover ? &oc->cover->res : NULL;
    if (oc->na) {
        oc->status = "n/a";
        snprintf(oc->detail, sizeof oc->detail, "channel 1 never retires (ch1_idle)");
    } else if (p->status == FORMAL_BMC_CEX) {
        oc->status = "fail";
        snprintf(oc->detail, sizeof oc->detail, "counterexample at cycle %d", p->frame);
    } else if (p->status == FORMAL_BMC_ERROR) {
        oc->status = "error";
        snprintf(oc->detail, sizeof oc->detail, "%s", p->msg);
    } else if (p->status == FORMAL_BMC_TIMEOUT) {
        oc->status = "timeout";
        snprintf(oc->detail, sizeof oc->detail, "no counterexample up to cycle %d when the %.0f s limit hit%s%s",
                 p->frame, oc->chk->timeout_s, p->msg[0] ? ": " : "", p->msg);
    } else if (!c || c->status == FORMAL_BMC_CEX) {
        oc->status = "pass";
        if (c)
            snprintf(oc->detail, sizeof oc->detail, "cover reached at cycle %d", c->frame);
        else
            snprintf(oc->detail, sizeof oc->detail, "no counterexample in %d cycles", oc->depth);
    } else if (c->status == FORMAL_BMC_SAFE) {
        oc->status = "vacuous";
        snprintf(oc->detail, sizeof oc->detail, "cover %s unreachable within %d cycles: the check proves nothing",
                 oc->chk->cov, oc->depth);
    } else if (c->status == FORMAL_BMC_TIMEOUT) {
        oc->status = "timeout";
        snprintf(oc->detail, sizeof oc->detail, "property holds, but its cover timed out (up to cycle %d)", c->frame);
    } else {
        oc->status = "error";
        snprintf(oc->detail, sizeof oc->detail, "cover: %s", c->msg);
    }
}

static json_t *formal_bmc_json(const formal_job *j)
{
    json_t *o = json_object();
    json_object_set_new(o, "result", json_string(formal_bmc_name(j->res.status, j->is_cover)));
    json_object_set_new(o, "frame", json_integer(j->res.frame));
    json_object_set_new(o, "seconds", json_real(j->res.seconds));
    if (j->index >= 0)
        json_object_set_new(o, "log", json_string(j->log));
    else
        json_object_set_new(o, "constant", json_integer(j->konst));
    return o;
}

static json_t *formal_outcome_json(const formal_outcome *oc)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(oc->chk->name));
    json_object_set_new(o, "description", json_string(oc->chk->desc));
    json_object_set_new(o, "channel", oc->chk->chan >= 0 ? json_integer(oc->chk->chan) : json_null());
    json_object_set_new(o, "depth", json_integer(oc->depth));
    json_object_set_new(o, "status", json_string(oc->status));
    double secs = 0;
    if (!oc->na) {
        secs = oc->proof->res.seconds + (oc->cover ? oc->cover->res.seconds : 0);
        json_object_set_new(o, "proof", formal_bmc_json(oc->proof));
        if (oc->cover)
            json_object_set_new(o, "cover", formal_bmc_json(oc->cover));
    }
    json_object_set_new(o, "seconds", json_real(secs));
    json_object_set_new(o, "detail", json_string(oc->detail));
    if (strcmp(oc->status, "fail") == 0) {
        json_t *cex = json_object();
        json_object_set_new(cex, "cycle", json_integer(oc->proof->res.frame));
        json_t *fields = json_array();
        char buf[sizeof oc->fields];
        snprintf(buf, sizeof buf, "%s", oc->fields);
        for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
            json_array_append_new(fields, json_string(f));
        json_object_set_new(cex, "fields", fields);
        json_object_set_new(cex, "vcd", oc->vcd ? json_string(oc->vcd) : json_null());
        json_object_set_new(cex, "witness", json_string(oc->proof->aiw));
        json_object_set_new(o, "cex", cex);
    }
    return o;
}

/* Builds the jobs (two per check) for the selected checks. */
static int formal_jobs_build(const formal_opts *o, const formal_table *t, const formal_outputs *outs,
                             formal_job **jobs_out, size_t *n_out, char *err, size_t errlen)
{
    formal_job *jobs = calloc(2 * t->n + 1, sizeof *jobs);
    size_t n = 0;
    int need_idle = 0, ch1_depth = 0;
    if (!jobs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < t->n; i++) {
        const formal_check *c = &t->v[i];
        if (formal_selected(o, c) && c->chan == 1) {
            need_idle = 1;
            if (formal_depth(o, c) > ch1_depth)
                ch1_depth = formal_depth(o, c);
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const formal_check *c = &t->v[i];
        int is_idle = strcmp(c->name, "ch1_idle") == 0;
        if (!formal_selected(o, c) && !(is_idle && need_idle))
            continue;
        for (int cover = 0; cover <= 1; cover++) {
            const char *out = cover ? c->cov : c->bad;
            if (!*out)
                continue;
            formal_job *j = &jobs[n++];
            j->chk = c;
            j->is_cover = cover;
            j->depth = formal_depth(o, c);
            if (is_idle && ch1_depth > j->depth)
                j->depth = ch1_depth; /* n/a must hold as deep as the checks it excuses */
            if (formal_net_lookup(outs, out, &j->index, &j->konst) != 0) {
                snprintf(err, errlen, "check %s names output %s, which formal_top does not have "
                         "(formal/checks.tsv and formal/formal_top.sv disagree)", c->name, out);
                free(jobs);
                return -1;
            }
            j->aiw = fsx_fmt("%s/%s%s.aiw", o->workdir, c->name, cover ? ".cover" : "");
            j->log = fsx_fmt("%s/%s%s.log", o->workdir, c->name, cover ? ".cover" : "");
        }
    }
    qsort(jobs, n, sizeof *jobs, formal_job_cmp);
    *jobs_out = jobs;
    *n_out = n;
    return 0;
}

static void formal_jobs_free(formal_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(jobs[i].aiw);
        free(jobs[i].log);
    }
    free(jobs);
}

static formal_job *formal_find_job(formal_job *jobs, size_t n, const formal_check *c, int cover)
{
    for (size_t i = 0; i < n; i++)
        if (jobs[i].chk == c && jobs[i].is_cover == cover)
            return &jobs[i];
    return NULL;
}

/* Phase 1: everything but channel-1 checks; phase 2: those, unless ch1_idle
 * proved that channel 1 never retires (then they are n/a). */
static int formal_prove(const formal_opts *o, formal_pool *pool)
{
    int idle_proved = 0;
    for (size_t i = 0; i < pool->n; i++)
        pool->jobs[i].run = pool->jobs[i].chk->chan != 1;
    formal_pool_run(pool, o->jobs);
    for (size_t i = 0; i < pool->n; i++)
        if (strcmp(pool->jobs[i].chk->name, "ch1_idle") == 0 && !pool->jobs[i].is_cover)
            idle_proved = pool->jobs[i].res.status == FORMAL_BMC_SAFE;
    for (size_t i = 0; i < pool->n; i++)
        pool->jobs[i].run = pool->jobs[i].chk->chan == 1 && !idle_proved;
    formal_pool_run(pool, o->jobs);
    return idle_proved;
}

static void formal_replay(const formal_opts *o, formal_outcome *oc)
{
    if (oc->proof->index < 0) {
        snprintf(oc->fields, sizeof oc->fields, "%s", oc->chk->bad);
        return;
    }
    char err[512];
    char *log = fsx_fmt("%s/%s.replay.log", o->workdir, oc->chk->name);
    oc->vcd = fsx_fmt("%s/%s.vcd", o->workdir, oc->chk->name);
    if (!log || !oc->vcd ||
        formal_bmc_replay(o->workdir, oc->proof->aiw, oc->vcd, oc->chk->replay, log,
                          formal_remaining(o->deadline, FORMAL_REPLAY_TIMEOUT) > 10
                              ? formal_remaining(o->deadline, FORMAL_REPLAY_TIMEOUT) : 10,
                          oc->fields, sizeof oc->fields, err, sizeof err) != 0) {
        free(oc->vcd);
        oc->vcd = NULL;
        snprintf(oc->fields, sizeof oc->fields, "(no replay: %.400s)", err);
    } else if (!oc->fields[0]) {
        snprintf(oc->fields, sizeof oc->fields, "%s", oc->chk->bad);
    }
    free(log);
    size_t used = strlen(oc->detail);
    snprintf(oc->detail + used, sizeof oc->detail - used, ": %s%s%s", oc->fields,
             oc->vcd ? ", VCD " : "", oc->vcd ? oc->vcd : "");
}

/* Every name in o->only must be a check of the chosen suite. */
static int formal_check_selection(const formal_opts *o, const formal_table *t, char *err, size_t errlen)
{
    if (!o->only || !*o->only)
        return 0;
    char *list = fsx_fmt("%s", o->only);
    int rc = list ? 0 : -1;
    for (char *save = NULL, *n = list ? strtok_r(list, ",", &save) : NULL; n && rc == 0;
         n = strtok_r(NULL, ",", &save)) {
        const formal_check *c = formal_table_find(t, n);
        if (!c) {
            snprintf(err, errlen, "unknown check '%s' (the checks are listed in formal/checks.tsv)", n);
            rc = -1;
        } else if (!(c->modes & (o->deep ? FORMAL_DEEP : FORMAL_FAST))) {
            snprintf(err, errlen, "check '%s' is not part of the %s suite", n, o->deep ? "deep" : "fast");
            rc = -1;
        }
    }
    free(list);
    return rc;
}

static json_t *formal_error(json_t *r, const char *status, const char *msg)
{
    json_object_set_new(r, "status", json_string(status));
    json_object_set_new(r, "diagnostic", json_string(msg));
    return r;
}

/* Counts, overall status and the diagnostic text. */
static void formal_summarise(json_t *r, const formal_outcome *ocs, size_t n)
{
    static const char *const names[] = {"pass", "fail", "n/a", "vacuous", "timeout", "error"};
    int counts[6] = {0};
    char diag[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 6; k++)
            if (strcmp(ocs[i].status, names[k]) == 0)
                counts[k]++;
        if (strcmp(ocs[i].status, "pass") != 0 && strcmp(ocs[i].status, "n/a") != 0 && used < sizeof diag - 1)
            used += (size_t)snprintf(diag + used, sizeof diag - used, "%s %s: %s\n", ocs[i].chk->name,
                                     ocs[i].status, ocs[i].detail);
    }
    json_t *c = json_object();
    for (int k = 0; k < 6; k++)
        json_object_set_new(c, names[k], json_integer(counts[k]));
    json_object_set_new(r, "counts", c);
    const char *status = counts[1] || counts[3] ? "fail" : counts[5] ? "error" : counts[4] ? "timeout" : "pass";
    if (n == 0)
        status = "error";
    if (used >= sizeof diag - 1)
        used = sizeof diag - 1;
    if (used < sizeof diag - 1)
        snprintf(diag + used, sizeof diag - used, "%d pass, %d fail, %d n/a, %d vacuous, %d timeout, %d error",
                 counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    if (n == 0)
        snprintf(diag, sizeof diag, "no check selected (unknown names in the check list?)");
    json_object_set_new(r, "status", json_string(status));
    json_object_set_new(r, "diagnostic", json_string(diag));
}

json_t *formal_run(const formal_opts *o)
{
    double t0 = proc_now();
    json_t *r = json_object();
    char err[1024];
    json_object_set_new(r, "mode", json_string(o->deep ? "deep" : "fast"));
    if (fsx_mkdirs(o->workdir, 0755) != 0) {
        snprintf(err, sizeof err, "cannot create %s: %s", o->workdir, strerror(errno));
        return formal_error(r, "error", err);
    }
    if (fsx_write_atomic(o->log_path, "", 0) != 0) {
        snprintf(err, sizeof err, "cannot create %s: %s", o->log_path, strerror(errno));
        return formal_error(r, "error", err);
    }
    for (const char *const *t = (const char *const[]){"yosys", "yosys-abc", NULL}; *t; t++)
        if (!proc_have_tool(*t)) {
            snprintf(err, sizeof err, "not found: %s (run 'bash tools/setup.sh' to install the Debian packages)", *t);
            return formal_error(r, "error", err);
        }
    char *table_path = fsx_fmt("%s/formal/checks.tsv", o->harness);
    formal_table table;
    int rc = table_path ? formal_table_load(table_path, &table, err, sizeof err) : -1;
    free(table_path);
    if (rc == 0 && formal_check_selection(o, &table, err, sizeof err) != 0) {
        formal_table_free(&table);
        rc = -1;
    }
    if (rc != 0)
        return formal_error(r, "error", err);

    formal_net_opts no = {.harness = o->harness, .rtl_dir = o->rtl_dir, .workdir = o->workdir,
                          .log_path = o->log_path, .exact_m = o->deep,
                          .timeout_s = formal_remaining(o->deadline, 1800)};
    double prep_s;
    rc = formal_net_prepare(&no, &prep_s, err, sizeof err);
    json_object_set_new(r, "prep_seconds", json_real(prep_s));
    formal_outputs outs = {0};
    if (rc == 0)
        rc = formal_net_outputs(o->workdir, &outs, err, sizeof err);
    formal_job *jobs = NULL;
    size_t njobs = 0;
    if (rc == 0)
        rc = formal_jobs_build(o, &table, &outs, &jobs, &njobs, err, sizeof err);
    formal_net_outputs_free(&outs);
    if (rc != 0) {
        formal_table_free(&table);
        return formal_error(r, rc == -2 ? "timeout" : "error", err);
    }
    char *aig = fsx_fmt("%s/all.aig", o->workdir);
    formal_pool pool = {.jobs = jobs, .n = njobs, .aig = aig, .deadline = o->deadline};
    pthread_mutex_init(&pool.mu, NULL);
    int idle_proved = formal_prove(o, &pool);
    pthread_mutex_destroy(&pool.mu);

    formal_outcome *ocs = calloc(table.n, sizeof *ocs);
    size_t nocs = 0;
    json_t *checks = json_array();
    for (size_t i = 0; ocs && i < table.n; i++) {
        formal_job *pj = formal_find_job(jobs, njobs, &table.v[i], 0);
        if (!pj || !formal_selected(o, &table.v[i]))
            continue;
        formal_outcome *oc = &ocs[nocs++];
        oc->chk = &table.v[i];
        oc->depth = pj->depth;
        oc->proof = pj;
        oc->cover = formal_find_job(jobs, njobs, &table.v[i], 1);
        oc->na = table.v[i].chan == 1 && idle_proved;
        formal_outcome_decide(oc);
        if (strcmp(oc->status, "fail") == 0)
            formal_replay(o, oc);
        json_array_append_new(checks, formal_outcome_json(oc));
    }
    json_object_set_new(r, "checks", checks);
    formal_summarise(r, ocs, nocs);
    json_object_set_new(r, "seconds", json_real(proc_now() - t0));
    char *tab = formal_run_table(r);
    if (tab)
        fsx_append(o->log_path, tab, strlen(tab));
    free(tab);
    for (size_t i = 0; i < nocs; i++)
        free(ocs[i].vcd);
    free(ocs);
    free(aig);
    formal_jobs_free(jobs, njobs);
    formal_table_free(&table);
    return r;
}

char *formal_run_table(const json_t *r)
{
    char *out = fsx_fmt("%-14s %-8s %5s %8s  %s\n", "check", "status", "depth", "seconds", "detail");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "checks"), i, c) {
        char *line = fsx_fmt("%s%-14s %-8s %5d %8.1f  %s\n", out ? out : "",
                             json_string_value(json_object_get(c, "name")),
                             json_string_value(json_object_get(c, "status")),
                             (int)json_integer_value(json_object_get(c, "depth")),
                             json_number_value(json_object_get(c, "seconds")),
                             json_string_value(json_object_get(c, "detail")));
        free(out);
        out = line;
    }
    json_t *k = json_object_get(r, "counts");
    char *tail = fsx_fmt("%snetlist preparation %.1f s, wall %.1f s: %d pass, %d fail, %d n/a, %d vacuous, "
                         "%d timeout, %d error -> %s\n", out ? out : "",
                         json_number_value(json_object_get(r, "prep_seconds")),
                         json_number_value(json_object_get(r, "seconds")),
                         (int)json_integer_value(json_object_get(k, "pass")),
                         (int)json_integer_value(json_object_get(k, "fail")),
                         (int)json_integer_value(json_object_get(k, "n/a")),
                         (int)json_integer_value(json_object_get(k, "vacuous")),
                         (int)json_integer_value(json_object_get(k, "timeout")),
                         (int)json_integer_value(json_object_get(k, "error")),
                         json_string_value(json_object_get(r, "status")));
    free(out);
    return tail;
}
