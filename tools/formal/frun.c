/* frun.c — see frun.h.
 *
 * Flow: load formal/checks.tsv, prepare each netlist once (fnet: one per
 * distinct `params` among the selected checks, usually just one), then every
 * selected check becomes two jobs, its property and its cover, run on a pool
 * of o->jobs threads, each job one yosys-abc process (fbmc). Channel-1 checks
 * wait for their netlist's idle check: when channel 1 provably never retires
 * they are "n/a" and cost nothing. Failures are replayed to a VCD that names
 * the broken field. Under a launcher the pool's threads each wait on one
 * job, so o->jobs of them are queued or running at once.
 */
#include "formal/frun.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formal/fbmc.h"
#include "formal/fcex.h"
#include "formal/fnet.h"
#include "formal/ftable.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { FORMAL_REPLAY_TIMEOUT = 300, FORMAL_MAX_VARIANTS = 8, FORMAL_MAX_THREADS = 64 };
/* The time a "+pdr" check's unbounded proof may take after its bounded one
 * passed; where pdr converges on the reference cores it takes 1-15 s
 * (order, pc_bwd, live), and where it does not, more time did not help
 * (pc_fwd, the register and bus checks: undecided after 90-400 s). */
static const double FORMAL_PDR_S = 60;

/* One netlist: the checks sharing the same formal_top parameters. */
typedef struct {
    const char *params;      /* "" or "K=V,..." (points into the table) */
    char *dir;               /* its work directory */
    char *aig;
    formal_outputs outs;
    double prep_s;
    int idle_proved;         /* its idle check proved channel 1 never retires */
} formal_variant;

typedef struct {
    const formal_check *chk;
    formal_variant *var;
    int depth;
    int is_cover;
    int index;               /* AIGER output, or -1: constant konst */
    int konst;
    int run;                 /* 1: belongs to the current phase */
    int done;
    formal_bmc_result res;
    formal_bmc_result pdr;   /* the unbounded proof of a "+pdr" check */
    int pdr_ran;
    int cancelled;           /* stopped (or never started) once another check had failed */
    char *aiw, *log;
} formal_job;

typedef struct {
    formal_job *jobs;
    size_t n;
    size_t next;
    pthread_mutex_t mu;
    double deadline;
    proc_group *group;
    const proc_launcher *launcher;
    /* Under a launcher the proofs run in a group of their own, stopped when
     * a check fails (the verdict is known); their CPU time joins group. */
    proc_group proofs;
    const formal_job *failed; /* the first failed (or unrunnable) proof that stopped the rest */
} formal_pool;

/* Where a proof's tool run goes: here in the run's group, or as a job
 * named <check>[.cover]<suffix> in the stoppable proofs group. */
static formal_exec formal_job_exec(formal_pool *p, const formal_job *j, const char *suffix, char *label, size_t n)
{
    snprintf(label, n, "%s%s%s", j->chk->name, j->is_cover ? ".cover" : "", suffix);
    return (formal_exec){.launcher = p->launcher, .label = label, .group = p->launcher ? &p->proofs : p->group};
}

/* Per-check outcome, assembled after the proofs. */
typedef struct {
    const formal_check *chk;
    int depth;
    formal_job *proof, *cover;
    const char *status;
    char detail[1024];
    char fields[512];
    char retirement[400]; /* the broken retirement read back from the VCD, or "" */
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

/* After a safe bounded proof of a "+pdr" check: the unbounded one. A
 * counterexample pdr finds beyond the bound becomes the job's result (its
 * witness is in the same file), so it fails and is replayed like any other. */
static void formal_job_induct(formal_pool *p, formal_job *j)
{
    if (!j->chk->induct || j->is_cover || j->res.status != FORMAL_BMC_SAFE || proc_is_cancelled())
        return;
    double limit = formal_remaining(p->deadline, FORMAL_PDR_S);
    if (limit <= 1)
        return;
    char *log = fsx_fmt("%s.pdr", j->log), label[96];
    formal_exec ex = formal_job_exec(p, j, ".pdr", label, sizeof label);
    formal_pdr_run(j->var->aig, j->index, limit, j->aiw, log ? log : j->log, &ex, &j->pdr);
    free(log);
    j->pdr_ran = 1;
    if (j->pdr.status == FORMAL_BMC_CEX || j->pdr.infra) { /* infra: the check is not judged */
        double bounded = j->res.seconds;
        j->res = j->pdr;
        j->res.seconds += bounded;
    }
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
    if (limit <= 1 || proc_is_cancelled() || proc_group_stopped(&p->proofs)) {
        memset(&j->res, 0, sizeof j->res);
        j->res.status = FORMAL_BMC_TIMEOUT;
        j->res.frame = -1;
        snprintf(j->res.msg, sizeof j->res.msg, "not started: the formal gate's time ran out");
        j->cancelled = proc_group_stopped(&p->proofs);
        return;
    }
    char label[96];
    formal_exec ex = formal_job_exec(p, j, "", label, sizeof label);
    if (j->chk->engine == FORMAL_ENGINE_SWEEP && !j->is_cover) {
        formal_bmc_sweep(j->var->aig, j->index, j->depth, limit, j->log, &ex, &j->res);
        if (j->res.status != FORMAL_BMC_CEX)
            return;
        /* Sweeping says a counterexample exists; bmc3 finds its frame and
         * witness (satisfiable instances are the easy ones). */
        double spent = j->res.seconds;
        limit = formal_remaining(p->deadline, j->chk->timeout_s);
        char *log = fsx_fmt("%s.bmc", j->log);
        ex = formal_job_exec(p, j, ".bmc", label, sizeof label);
        formal_bmc_run(j->var->aig, j->index, j->depth, limit, 0, j->aiw, log ? log : j->log, &ex, &j->res);
        free(log);
        j->res.seconds += spent;
        if (j->res.status == FORMAL_BMC_SAFE) {
            j->res.status = FORMAL_BMC_ERROR;
            snprintf(j->res.msg, sizeof j->res.msg, "iprove found a counterexample that bmc3 could not (see %s)",
                     j->log);
        }
        return;
    }
    formal_bmc_run(j->var->aig, j->index, j->depth, limit,
                   j->chk->engine == FORMAL_ENGINE_BMCS && !j->is_cover, j->aiw, j->log, &ex, &j->res);
    formal_job_induct(p, j);
}

/* Under a launcher: a failed proof decides the verdict (and a job the
 * infrastructure could not run decides that there is none), so the proofs
 * still queued or running are cancelled; one that was is marked so. */
static void formal_job_settle(formal_pool *p, formal_job *j)
{
    if (!p->launcher)
        return;
    bool stopped = proc_group_stopped(&p->proofs);
    if (stopped && j->res.status == FORMAL_BMC_TIMEOUT)
        j->cancelled = 1;
    bool decides = (!j->is_cover && !j->chk->idle && j->res.status == FORMAL_BMC_CEX) || j->res.infra;
    if (!decides)
        return;
    pthread_mutex_lock(&p->mu);
    if (!p->failed)
        p->failed = j;
    pthread_mutex_unlock(&p->mu);
    proc_group_stop(&p->proofs);
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
        formal_job_settle(p, j);
    }
}

/* Runs fn(arg) on `jobs` threads at once, the calling thread being one; fn
 * takes work from arg until none is left. */
static void formal_parallel(void *(*fn)(void *), void *arg, int jobs)
{
    pthread_t tid[FORMAL_MAX_THREADS];
    int started = 0;
    if (jobs > FORMAL_MAX_THREADS)
        jobs = FORMAL_MAX_THREADS;
    for (int i = 1; i < jobs; i++)
        if (pthread_create(&tid[started], NULL, fn, arg) == 0)
            started++;
    fn(arg);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

/* Runs the jobs marked `run` on `jobs` threads. */
static void formal_pool_run(formal_pool *p, int jobs)
{
    p->next = 0;
    formal_parallel(formal_worker, p, jobs);
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

/* A passed check that pdr proved for every cycle. */
static int formal_outcome_unbounded(const formal_outcome *oc)
{
    return !oc->na && strcmp(oc->status, "pass") == 0 && oc->proof->pdr_ran &&
           oc->proof->pdr.status == FORMAL_BMC_SAFE;
}

/* A passed check says whether it holds for every cycle or to its depth. */
static void formal_outcome_induct(formal_outcome *oc)
{
    const formal_job *j = oc->proof;
    if (!j->pdr_ran)
        return;
    size_t used = strlen(oc->detail);
    if (formal_outcome_unbounded(oc))
        snprintf(oc->detail + used, sizeof oc->detail - used, "; proven for every cycle (PDR, %.1f s)",
                 j->pdr.seconds);
    else
        snprintf(oc->detail + used, sizeof oc->detail - used, "; passed to depth %d only: PDR undecided after %.0f s",
                 oc->depth, j->pdr.seconds);
}

/* The verdict of one check from its two proofs. */
static void formal_outcome_decide(formal_outcome *oc)
{
    const formal_bmc_result *p = &oc->proof->res;
    const formal_bmc_result *c = oc->cover ? &oc->cover->res : NULL;
    if (oc->na) {
        oc->status = "n/a";
        snprintf(oc->detail, sizeof oc->detail, "channel 1 never retires (its idle check passed)");
    } else if (p->status == FORMAL_BMC_CEX) {
        oc->status = "fail";
        snprintf(oc->detail, sizeof oc->detail, "counterexample at cycle %d%s", p->frame,
                 oc->proof->pdr_ran ? " (found by PDR beyond the bounded depth)" : "");
    } else if (oc->proof->cancelled || (oc->cover && oc->cover->cancelled)) {
        oc->status = "cancelled";
        snprintf(oc->detail, sizeof oc->detail, "not proved: another check had already failed, so its proofs "
                 "were cancelled");
    } else if (p->status == FORMAL_BMC_ERROR) {
        oc->status = "error";
        snprintf(oc->detail, sizeof oc->detail, "%s", p->msg);
    } else if (p->status == FORMAL_BMC_TIMEOUT) {
        /* A proof that did not finish proves nothing: the check's status is
         * "timeout", which the gate and the loop treat as a failure. */
        oc->status = "timeout";
        if (p->frame >= 0)
            snprintf(oc->detail, sizeof oc->detail,
                     "unproven: no counterexample up to cycle %d after %.0f s (limit %.0f s)%s%s",
                     p->frame, p->seconds, oc->chk->timeout_s, p->msg[0] ? ": " : "", p->msg);
        else
            snprintf(oc->detail, sizeof oc->detail, "unproven: no verdict after %.0f s (limit %.0f s)%s%s",
                     p->seconds, oc->chk->timeout_s, p->msg[0] ? ": " : "", p->msg);
    } else if (!c || c->status == FORMAL_BMC_CEX) {
        oc->status = "pass";
        if (c)
            snprintf(oc->detail, sizeof oc->detail, "cover reached at cycle %d", c->frame);
        else if (oc->proof->index < 0)
            snprintf(oc->detail, sizeof oc->detail, "the property is constant 0 in the netlist (yosys folded it)");
        else
            snprintf(oc->detail, sizeof oc->detail, "no counterexample in %d cycles", oc->depth);
        formal_outcome_induct(oc);
    } else if (c->status == FORMAL_BMC_SAFE) {
        oc->status = "vacuous";
        snprintf(oc->detail, sizeof oc->detail, "cover %s unreachable within %d cycles: the check proves nothing",
                 oc->chk->cov, oc->depth);
    } else if (c->status == FORMAL_BMC_TIMEOUT) {
        oc->status = "timeout";
        snprintf(oc->detail, sizeof oc->detail, "unproven: the property holds, but its cover timed out (up to cycle %d)",
                 c->frame);
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
    json_object_set_new(o, "max_depth", json_integer(oc->chk->depth));
    json_object_set_new(o, "status", json_string(oc->status));
    double secs = 0;
    if (!oc->na) {
        secs = oc->proof->res.seconds + (oc->cover ? oc->cover->res.seconds : 0);
        json_object_set_new(o, "proof", formal_bmc_json(oc->proof));
        if (oc->cover)
            json_object_set_new(o, "cover", formal_bmc_json(oc->cover));
    }
    /* "unbounded": whether the property was proved for every cycle (only
     * for the checks that try, and only when they passed). */
    if (!oc->na && oc->proof->pdr_ran && strcmp(oc->status, "pass") == 0) {
        secs += oc->proof->pdr.seconds;
        json_object_set_new(o, "unbounded", json_boolean(formal_outcome_unbounded(oc)));
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
        json_object_set_new(cex, "retirement", oc->retirement[0] ? json_string(oc->retirement) : json_null());
        json_object_set_new(cex, "vcd", oc->vcd ? json_string(oc->vcd) : json_null());
        json_object_set_new(cex, "witness", json_string(oc->proof->aiw));
        json_object_set_new(o, "cex", cex);
    }
    return o;
}

/* An idle check runs when a selected channel-1 check shares its netlist. */
static int formal_wanted(const formal_opts *o, const formal_table *t, const formal_check *c, int *ch1_depth)
{
    *ch1_depth = 0;
    int want = formal_selected(o, c);
    if (!c->idle || !(c->modes & (o->deep ? FORMAL_DEEP : FORMAL_FAST)))
        return want;
    for (size_t i = 0; i < t->n; i++) {
        const formal_check *d = &t->v[i];
        if (d->chan == 1 && formal_selected(o, d) && strcmp(d->params, c->params) == 0) {
            want = 1;
            if (formal_depth(o, d) > *ch1_depth)
                *ch1_depth = formal_depth(o, d);
        }
    }
    return want;
}

static formal_variant *formal_variant_of(formal_variant *vars, size_t nvars, const char *params)
{
    for (size_t i = 0; i < nvars; i++)
        if (strcmp(vars[i].params, params) == 0)
            return &vars[i];
    return NULL;
}

/* The netlists the wanted checks need, each with its own directory. */
static int formal_variants_build(const formal_opts *o, const formal_table *t, formal_variant *vars,
                                 size_t *nvars, char *err, size_t errlen)
{
    *nvars = 0;
    for (size_t i = 0; i < t->n; i++) {
        int d;
        const formal_check *c = &t->v[i];
        if (!formal_wanted(o, t, c, &d) || formal_variant_of(vars, *nvars, c->params))
            continue;
        if (*nvars == FORMAL_MAX_VARIANTS) {
            snprintf(err, errlen, "more than %d distinct params in formal/checks.tsv", FORMAL_MAX_VARIANTS);
            return -1;
        }
        formal_variant *v = &vars[(*nvars)++];
        memset(v, 0, sizeof *v);
        v->params = c->params;
        if (!*c->params) {
            v->dir = fsx_fmt("%s", o->workdir);
        } else {
            v->dir = fsx_fmt("%s/%s", o->workdir, c->params);
            for (char *q = v->dir ? v->dir + strlen(o->workdir) + 1 : NULL; q && *q; q++)
                if (*q == '=' || *q == ',')
                    *q = '_';
        }
        v->aig = v->dir ? fsx_fmt("%s/all.aig", v->dir) : NULL;
        if (!v->dir || !v->aig || fsx_mkdirs(v->dir, 0755) != 0) {
            snprintf(err, errlen, "cannot create the netlist directory under %s", o->workdir);
            return -1;
        }
    }
    return 0;
}

static void formal_variants_free(formal_variant *vars, size_t nvars)
{
    for (size_t i = 0; i < nvars; i++) {
        free(vars[i].dir);
        free(vars[i].aig);
        formal_net_outputs_free(&vars[i].outs);
    }
}

/* The netlists to prepare, one yosys process each, several at once. */
typedef struct {
    const formal_opts *o;
    formal_variant *vars;
    size_t n, next;
    pthread_mutex_t mu;
    int rc;              /* the first failure: -1 error, -2 timeout, -3 infrastructure */
    char err[1024];
} formal_prep_pool;

static void *formal_prep_worker(void *arg)
{
    formal_prep_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        formal_variant *v = p->rc == 0 && p->next < p->n ? &p->vars[p->next++] : NULL;
        pthread_mutex_unlock(&p->mu);
        if (!v)
            return NULL;
        char label[32];
        if (v == p->vars)
            snprintf(label, sizeof label, "prep");
        else
            snprintf(label, sizeof label, "prep%d", (int)(v - p->vars));
        /* Several yosys runs at once would interleave in one log. */
        char *own_log = p->n > 1 ? fsx_fmt("%s/yosys.log", v->dir) : NULL;
        formal_net_opts no = {.harness = p->o->harness, .rtl_dir = p->o->rtl_dir, .workdir = v->dir,
                              .confine = p->o->confine, .log_path = own_log ? own_log : p->o->log_path,
                              .params = v->params, .timeout_s = formal_remaining(p->o->deadline, 1800),
                              .group = p->o->group, .launcher = p->o->launcher, .label = label};
        char err[1024];
        int rc = formal_net_prepare(&no, &v->prep_s, err, sizeof err);
        if (rc == 0)
            rc = formal_net_outputs(v->dir, &v->outs, err, sizeof err);
        free(own_log);
        pthread_mutex_lock(&p->mu);
        if (rc != 0 && p->rc == 0) {
            p->rc = rc;
            snprintf(p->err, sizeof p->err, "%s", err);
        }
        pthread_mutex_unlock(&p->mu);
    }
}

/* Prepares every variant's netlist; 0, or -1/-2 with err set. */
static int formal_variants_prepare(const formal_opts *o, formal_variant *vars, size_t nvars, char *err,
                                   size_t errlen)
{
    formal_prep_pool pp = {.o = o, .vars = vars, .n = nvars};
    pthread_mutex_init(&pp.mu, NULL);
    formal_parallel(formal_prep_worker, &pp, o->jobs);
    pthread_mutex_destroy(&pp.mu);
    if (pp.rc != 0)
        snprintf(err, errlen, "%s", pp.err);
    return pp.rc;
}

/* Builds the jobs (two per check) for the wanted checks. */
static int formal_jobs_build(const formal_opts *o, const formal_table *t, formal_variant *vars, size_t nvars,
                             formal_job **jobs_out, size_t *n_out, char *err, size_t errlen)
{
    formal_job *jobs = calloc(2 * t->n + 1, sizeof *jobs);
    size_t n = 0;
    if (!jobs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < t->n; i++) {
        const formal_check *c = &t->v[i];
        int ch1_depth;
        if (!formal_wanted(o, t, c, &ch1_depth))
            continue;
        formal_variant *var = formal_variant_of(vars, nvars, c->params);
        for (int cover = 0; cover <= 1; cover++) {
            const char *out = cover ? c->cov : c->bad;
            if (!*out)
                continue;
            formal_job *j = &jobs[n++];
            j->chk = c;
            j->var = var;
            j->is_cover = cover;
            j->depth = formal_depth(o, c);
            if (c->idle && ch1_depth > j->depth)
                j->depth = ch1_depth; /* n/a must hold as deep as the checks it excuses */
            if (formal_net_lookup(&var->outs, out, &j->index, &j->konst) != 0) {
                snprintf(err, errlen, "check %s names output %s, which formal_top does not have "
                         "(formal/checks.tsv and formal/formal_top.sv disagree)", c->name, out);
                free(jobs);
                return -1;
            }
            j->aiw = fsx_fmt("%s/%s%s.aiw", var->dir, c->name, cover ? ".cover" : "");
            j->log = fsx_fmt("%s/%s%s.log", var->dir, c->name, cover ? ".cover" : "");
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

/* An adaptive check proves its property only as deep as its cover's first
 * hit plus its slack: an M check then looks at the first few M retirements
 * whether the core's unit takes 2 cycles or 34, instead of paying for 40
 * frames of a wide multiplier. */
static void formal_adapt(formal_job *jobs, size_t n, int chan1)
{
    for (size_t i = 0; i < n; i++) {
        formal_job *p = &jobs[i];
        if (p->is_cover || p->chk->slack <= 0 || (p->chk->chan == 1) != chan1)
            continue;
        for (size_t k = 0; k < n; k++) {
            const formal_job *c = &jobs[k];
            if (c->chk == p->chk && c->is_cover && c->res.status == FORMAL_BMC_CEX &&
                c->res.frame + p->chk->slack < p->depth)
                p->depth = c->res.frame + p->chk->slack;
        }
    }
}

/* Runs the covers and idle checks (covers = 1) or the other properties of the
 * channel-0/shared checks (chan1 = 0) or the channel-1 checks (chan1 = 1). */
static void formal_phase(const formal_opts *o, formal_pool *pool, int chan1, int covers)
{
    for (size_t i = 0; i < pool->n; i++) {
        formal_job *j = &pool->jobs[i];
        int in_chan = (j->chk->chan == 1) == chan1 && !(chan1 && j->var->idle_proved);
        /* covers and idle checks first: they are quick and decide the rest */
        int first = j->is_cover || j->chk->idle;
        j->run = in_chan && (covers ? first : !first);
    }
    formal_pool_run(pool, o->jobs);
}

/* Phase 1: covers and idle checks of everything but channel-1 checks, then
 * their properties (adaptive depths set from the covers); phase 2: the same
 * for channel-1 checks, unless their netlist's idle check proved that channel
 * 1 never retires (then they are n/a). */
static void formal_prove(const formal_opts *o, formal_pool *pool)
{
    formal_phase(o, pool, 0, 1);
    for (size_t i = 0; i < pool->n; i++)
        if (pool->jobs[i].chk->idle && !pool->jobs[i].is_cover && pool->jobs[i].res.status == FORMAL_BMC_SAFE)
            pool->jobs[i].var->idle_proved = 1;
    formal_adapt(pool->jobs, pool->n, 0);
    formal_phase(o, pool, 0, 0);
    formal_phase(o, pool, 1, 1);
    formal_adapt(pool->jobs, pool->n, 1);
    formal_phase(o, pool, 1, 0);
}

static void formal_replay(const formal_opts *o, formal_outcome *oc)
{
    if (oc->proof->index < 0) {
        snprintf(oc->fields, sizeof oc->fields, "%s", oc->chk->bad);
        return;
    }
    char err[1024], label[96];
    snprintf(label, sizeof label, "%s.replay", oc->chk->name);
    formal_exec ex = {.launcher = o->launcher, .label = label, .group = o->group};
    char *log = fsx_fmt("%s/%s.replay.log", oc->proof->var->dir, oc->chk->name);
    oc->vcd = fsx_fmt("%s/%s.vcd", oc->proof->var->dir, oc->chk->name);
    if (!log || !oc->vcd ||
        formal_bmc_replay(oc->proof->var->dir, oc->proof->aiw, oc->vcd, oc->chk->replay, log,
                          formal_remaining(o->deadline, FORMAL_REPLAY_TIMEOUT) > 10
                              ? formal_remaining(o->deadline, FORMAL_REPLAY_TIMEOUT) : 10,
                          &ex, oc->fields, sizeof oc->fields, err, sizeof err) != 0) {
        free(oc->vcd);
        oc->vcd = NULL;
        snprintf(oc->fields, sizeof oc->fields, "(no replay: %.400s)", err);
    } else if (!oc->fields[0]) {
        snprintf(oc->fields, sizeof oc->fields, "%s", oc->chk->bad);
    }
    free(log);
    /* Name the broken retirement as cosim does (cycle, PC, instruction, field,
     * expected, got); without a readable retirement, the fields alone. */
    if (oc->vcd && formal_cex_describe(oc->vcd, oc->chk, oc->fields, oc->proof->res.frame, oc->retirement,
                                       sizeof oc->retirement) == 0)
        snprintf(oc->detail, sizeof oc->detail, "counterexample at %s%s, VCD %s", oc->retirement,
                 oc->proof->pdr_ran ? " (found by PDR beyond the bounded depth)" : "", oc->vcd);
    else {
        size_t used = strlen(oc->detail);
        snprintf(oc->detail + used, sizeof oc->detail - used, ": %s%s%s", oc->fields,
                 oc->vcd ? ", VCD " : "", oc->vcd ? oc->vcd : "");
    }
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

/* A run that could not judge the design because a launcher could not run
 * one of its tools: an error that says so (never a verdict, never cached). */
static json_t *formal_infrastructure(json_t *r, const char *why)
{
    char *diag = fsx_fmt("infrastructure: %s", why);
    formal_error(r, "error", diag ? diag : "infrastructure: a tool's job could not run");
    json_object_set_new(r, "infrastructure", json_true());
    free(diag);
    return r;
}

/* Counts, overall status and the diagnostic text. */
static void formal_summarise(json_t *r, const formal_outcome *ocs, size_t n)
{
    static const char *const names[] = {"pass", "fail", "n/a", "vacuous", "timeout", "error", "cancelled"};
    int counts[7] = {0};
    char diag[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 7; k++)
            if (strcmp(ocs[i].status, names[k]) == 0)
                counts[k]++;
        /* a cancelled check is no news: the failure that cancelled it is */
        if (strcmp(ocs[i].status, "pass") != 0 && strcmp(ocs[i].status, "n/a") != 0 &&
            strcmp(ocs[i].status, "cancelled") != 0 && used < sizeof diag - 1)
            used += (size_t)snprintf(diag + used, sizeof diag - used, "%s %s: %s\n", ocs[i].chk->name,
                                     ocs[i].status, ocs[i].detail);
    }
    json_t *c = json_object();
    for (int k = 0; k < 6; k++)
        json_object_set_new(c, names[k], json_integer(counts[k]));
    if (counts[6]) /* only a run under a launcher cancels: a local result keeps its keys */
        json_object_set_new(c, names[6], json_integer(counts[6]));
    int proven = 0;
    for (size_t i = 0; i < n; i++)
        proven += formal_outcome_unbounded(&ocs[i]);
    json_object_set_new(c, "unbounded", json_integer(proven));
    json_object_set_new(r, "counts", c);
    const char *status = counts[1] || counts[3] ? "fail" : counts[5] || counts[6] ? "error" : counts[4] ? "timeout"
                                                                                                       : "pass";
    if (n == 0)
        status = "error";
    if (used >= sizeof diag - 1)
        used = sizeof diag - 1;
    if (used < sizeof diag - 1)
        snprintf(diag + used, sizeof diag - used, "%d pass (%d for every cycle), %d fail, %d n/a, %d vacuous, "
                 "%d timeout, %d error%s", counts[0], proven, counts[1], counts[2], counts[3], counts[4], counts[5],
                 counts[6] ? ", the rest cancelled" : "");
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

    formal_variant vars[FORMAL_MAX_VARIANTS];
    size_t nvars = 0;
    formal_job *jobs = NULL;
    size_t njobs = 0;
    double prep_start = proc_now();
    rc = formal_variants_build(o, &table, vars, &nvars, err, sizeof err);
    if (rc == 0)
        rc = formal_variants_prepare(o, vars, nvars, err, sizeof err);
    json_object_set_new(r, "prep_seconds", json_real(proc_now() - prep_start));
    if (rc == 0)
        rc = formal_jobs_build(o, &table, vars, nvars, &jobs, &njobs, err, sizeof err);
    if (rc != 0) {
        formal_variants_free(vars, nvars);
        formal_table_free(&table);
        if (rc == -3)
            return formal_infrastructure(r, err);
        return formal_error(r, rc == -2 ? "timeout" : "error", err);
    }
    formal_pool pool = {.jobs = jobs, .n = njobs, .deadline = o->deadline, .group = o->group,
                        .launcher = o->launcher};
    proc_group_init(&pool.proofs);
    pthread_mutex_init(&pool.mu, NULL);
    formal_prove(o, &pool);
    pthread_mutex_destroy(&pool.mu);
    if (o->group)
        atomic_fetch_add(&o->group->usec, atomic_load(&pool.proofs.usec));

    formal_outcome *ocs = calloc(table.n, sizeof *ocs);
    size_t nocs = 0;
    json_t *checks = json_array();
    for (size_t i = 0; ocs && i < table.n; i++) {
        formal_job *pj = formal_find_job(jobs, njobs, &table.v[i], 0);
        if (!pj || !(formal_selected(o, &table.v[i]) || table.v[i].idle))
            continue;
        formal_outcome *oc = &ocs[nocs++];
        oc->chk = &table.v[i];
        oc->depth = pj->depth;
        oc->proof = pj;
        oc->cover = formal_find_job(jobs, njobs, &table.v[i], 1);
        oc->na = table.v[i].chan == 1 && pj->var->idle_proved;
        formal_outcome_decide(oc);
        if (strcmp(oc->status, "fail") == 0)
            formal_replay(o, oc);
        json_array_append_new(checks, formal_outcome_json(oc));
    }
    json_object_set_new(r, "checks", checks);
    formal_summarise(r, ocs, nocs);
    const char *status = json_string_value(json_object_get(r, "status"));
    if (pool.failed && pool.failed->res.infra && strcmp(status, "fail") != 0)
        formal_infrastructure(r, pool.failed->res.msg);
    json_object_set_new(r, "seconds", json_real(proc_now() - t0));
    char *tab = formal_run_table(r);
    if (tab)
        fsx_append(o->log_path, tab, strlen(tab));
    free(tab);
    for (size_t i = 0; i < nocs; i++)
        free(ocs[i].vcd);
    free(ocs);
    formal_jobs_free(jobs, njobs);
    formal_variants_free(vars, nvars);
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
    char *tail = fsx_fmt("%snetlist preparation %.1f s, wall %.1f s: %d pass (%d for every cycle), %d fail, "
                         "%d n/a, %d vacuous, %d timeout, %d error -> %s\n", out ? out : "",
                         json_number_value(json_object_get(r, "prep_seconds")),
                         json_number_value(json_object_get(r, "seconds")),
                         (int)json_integer_value(json_object_get(k, "pass")),
                         (int)json_integer_value(json_object_get(k, "unbounded")),
                         (int)json_integer_value(json_object_get(k, "fail")),
                         (int)json_integer_value(json_object_get(k, "n/a")),
                         (int)json_integer_value(json_object_get(k, "vacuous")),
                         (int)json_integer_value(json_object_get(k, "timeout")),
                         (int)json_integer_value(json_object_get(k, "error")),
                         json_string_value(json_object_get(r, "status")));
    free(out);
    return tail;
}
