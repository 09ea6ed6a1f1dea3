/* tournament.c — see tournament.h. */
#include "orch/tournament.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/agent.h"
#include "orch/forkcore.h"
#include "orch/guard.h"
#include "orch/lock.h"
#include "orch/pipeline.h"
#include "orch/progress.h"
#include "orch/prompt.h"
#include "orch/report.h"
#include "orch/sandbox.h"
#include "orch/sched.h"
#include "orch/strbuf.h"
#include "orch/toolver.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"
#include "agents/scribe.h"

enum { TOUR_ERR = 2048, TOUR_DIAG_MAX = 16000, TOUR_LESSON_MAX = 480 };
/* An agent's hypothesis is a page of YAML; anything larger is not read. */
enum { TOUR_HYP_MAX = 64 * 1024 };
/* The gates whose figures decide a round: a winner that got them from the
 * gate cache runs them again, uncached, before it is merged. Both take
 * seconds (pnr's placements have their own netlist-keyed cache). */
static const char *const tour_fresh_gates[] = {"cosim", "coremark", NULL};

typedef struct {
    const tour_opts *o;
    repo *r;
    char *workdir, *wtroot, *build, *runs, *scratch, *core_wt, *cache_dir;
    json_t *log_schema, *hyp_schema;
    char *hyp_schema_path;
    sched *sched;
    toolver *tools;
    progress *prog;
    agent_provider *agent;
    json_t *tools_json;
    char harness_id[96];
    accept_targets targets;
    records_log log;
    json_t *core_cfg;
    lock_handle lock;
    json_t *summary;  /* this run's entries, for the closing table */
    double *overhead; /* per slot, seconds */
    size_t noverhead;
    bool stop_done;   /* stop_msg is a normal end (nothing left to try), not an error */
    char stop_msg[TOUR_ERR];
} tour_env;

typedef struct {
    tour_env *env;
    int round, slot, round_idx;
    char *id;
    git_oid parent;
    char *wt, *rundir;
    json_t *entry, *hyp;
    char *hyp_text;
    git_oid commit;
    bool passed, fatal, cancelled, tampered, gated, gate_error;
    unsigned from_cache; /* gates of the table whose result came from the gate cache */
    bool exhausted;   /* the agent had nothing left to propose: no log line */
    char *exhausted_why;
    char fatal_msg[TOUR_ERR];
    char stop_note[TOUR_ERR]; /* why the loop must stop after this round */
    double t0, agent_s, pipeline_s, wall;
    pthread_t th;
} tour_slot;

/* ---- small helpers ------------------------------------------------------- */

/* A copy of s cut to at most max bytes at a UTF-8 boundary, with control
 * characters other than newline (or any, when one_line) made spaces. */
static char *tour_clip(const char *s, size_t max, bool one_line)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    size_t start = 0;
    if (len > max) {
        /* Keep the end: diagnostics are tails, the last lines matter. */
        start = len - max;
        while (start < len && ((unsigned char)s[start] & 0xC0) == 0x80)
            start++;
    }
    char *o = strdup(s + start);
    if (!o)
        return NULL;
    for (char *p = o; *p; p++)
        if ((unsigned char)*p < 0x20 && (one_line || (*p != '\n' && *p != '\t')))
            *p = ' ';
    return o;
}

static void tour_set_str(json_t *e, const char *key, const char *value, size_t max, bool one_line)
{
    char *c = tour_clip(value, max, one_line);
    json_t *s = c ? json_string(c) : NULL;
    json_object_set_new(e, key, s ? s : json_string("(not valid UTF-8)"));
    free(c);
}

static void tour_broken(tour_slot *s, const char *gate, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void tour_broken(tour_slot *s, const char *gate, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    json_object_set_new(s->entry, "outcome", json_string("broken"));
    json_object_set_new(s->entry, "failed_gate", json_string(gate));
    tour_set_str(s->entry, "diagnostic", msg ? msg : "?", TOUR_DIAG_MAX, false);
    progress_say(s->env->prog, s->round_idx, s->slot, "broken: %s: %.300s", gate, msg ? msg : "?");
    free(msg);
}

static void tour_fatal(tour_slot *s, const char *msg)
{
    s->fatal = true;
    snprintf(s->fatal_msg, sizeof s->fatal_msg, "%s", msg);
    progress_say(s->env->prog, s->round_idx, s->slot, "error: %s", msg);
}

static void tour_gate_seconds(json_t *e, const char *gate, double secs)
{
    json_t *gs = json_object_get(e, "gate_seconds");
    double prev = json_number_value(json_object_get(gs, gate));
    json_object_set_new(gs, gate, json_real(prev + (secs > 0 ? secs : 0)));
}

static char *tour_oid_hex(const git_oid *id)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    return strdup(hex);
}

/* The gate cache key: what the gates read from the candidate, and the harness. */
static char *tour_cache_key(tour_env *env, repo *r, const git_oid *commit)
{
    static const char *const parts[] = {"rtl", "test", "core.yaml"};
    char *acc = fsx_fmt("harness=%s\ncore=%s\n", env->harness_id, env->o->target);
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
} tour_prog_ctx;

static void tour_on_gate(void *p, const char *gate, const json_t *r)
{
    tour_prog_ctx *c = p;
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

typedef struct {
    bool passed, cancelled;
    bool gate_error;     /* the verdict is a gate that could not run: says nothing about the design */
    bool planted;        /* a gate-cache entry of the candidate failed its check: broken: sandbox */
    unsigned from_cache; /* bit i: gate i of the table came from the cache */
} tour_verdict;

/* Bit i set for gate i of the table when it is named in names. */
static unsigned tour_gate_bits(const tour_env *env, const char *const *names)
{
    unsigned m = 0;
    for (size_t i = 0; i < env->o->ngates && i < 32; i++)
        for (const char *const *p = names; *p; p++)
            if (strcmp(env->o->gates[i].name, *p) == 0)
                m |= 1u << i;
    return m;
}

/* entry "gate_cache": which results came from the cache ("cached") and
 * which of those a fresh run confirmed ("reverified"); absent when none. */
static void tour_note_cache(json_t *entry, const json_t *results)
{
    json_t *gc = json_object();
    const char *name;
    const json_t *r;
    json_object_foreach((json_t *)results, name, r) {
        if (json_is_true(json_object_get(r, "cached")))
            json_object_set_new(gc, name, json_string(json_is_true(json_object_get(r, "reverified"))
                                                          ? "reverified" : "cached"));
    }
    if (json_object_size(gc))
        json_object_set_new(entry, "gate_cache", gc);
    else {
        json_object_del(entry, "gate_cache");
        json_decref(gc);
    }
}

/* Runs the pipeline on `tree` (commit `commit` of the core) into entry;
 * gates in `fresh` run even when the cache has them (pipeline.h). */
static int tour_gates(tour_env *env, repo *r, const char *tree, const git_oid *commit, const char *rundir,
                      unsigned fresh, json_t *entry, int round_idx, int slot, tour_verdict *tv, char *err,
                      size_t n)
{
    memset(tv, 0, sizeof *tv);
    gate_ctx ctx = {.tree = tree, .core = env->o->target, .harness = env->workdir, .build = env->build,
                    .rundir = rundir, .core_cfg = env->core_cfg, .quick = env->o->quick};
    char *key = env->o->cache ? tour_cache_key(env, r, commit) : NULL;
    tour_prog_ctx pc = {env, round_idx, slot};
    pipeline_opts po = {.gates = env->o->gates, .ngates = env->o->ngates, .sched = env->sched,
                        .tools = env->tools, .cache_dir = key ? env->cache_dir : NULL, .cache_key = key,
                        .overlap = env->o->overlap, .fresh = fresh, .progress = tour_on_gate,
                        .progress_ctx = &pc};
    pipeline_verdict v;
    int rc = pipeline_run(&po, &ctx, &v, err, n);
    free(key);
    if (rc != 0) {
        pipeline_verdict_free(&v);
        return -1;
    }
    records_fill_figures(entry, v.results);
    tour_note_cache(entry, v.results);
    tv->from_cache = v.from_cache;
    if (v.cancelled) {
        tv->cancelled = true;
    } else if (v.planted) {
        /* Someone wrote the cache: the figures are not the design's. */
        tv->planted = true;
        json_object_set_new(entry, "outcome", json_string("broken"));
        json_object_set_new(entry, "failed_gate", json_string("sandbox"));
        tour_set_str(entry, "diagnostic", v.planted, TOUR_DIAG_MAX, false);
        progress_say(env->prog, round_idx, slot, "broken: sandbox: %.400s", v.planted);
    } else if (v.failed_gate) {
        bool pf = v.placement_failed;
        tv->gate_error = strcmp(v.failed_status, "error") == 0;
        json_object_set_new(entry, "outcome", json_string(pf ? "placement_failed" : "broken"));
        json_object_set_new(entry, "failed_gate", json_string(v.failed_gate));
        char *d = strcmp(v.failed_status, "fail") == 0 ? fsx_fmt("%s", v.diagnostic)
                                                       : fsx_fmt("%s: %s", v.failed_status, v.diagnostic);
        tour_set_str(entry, "diagnostic", d ? d : "", TOUR_DIAG_MAX, false);
        free(d);
    } else {
        tv->passed = true;
    }
    pipeline_verdict_free(&v);
    return 0;
}

/* Before a winner is merged, its fitness-deciding gates that came from the
 * cache run again uncached, and must agree with it (pipeline.h, fresh).
 * 0: the slot still passes; 1: it no longer does (its entry says why);
 * -1: the pipeline itself failed (err). */
static int tour_reverify(tour_env *env, tour_slot *s, char *err, size_t n)
{
    unsigned fresh = tour_gate_bits(env, tour_fresh_gates);
    if (!(s->from_cache & fresh))
        return 0;
    progress_say(env->prog, s->round_idx, s->slot, "re-running the fitness gates uncached before the merge "
                 "(their results came from the gate cache)");
    char *dir = fsx_fmt("%s/reverify", s->rundir);
    if (!dir || fsx_mkdirs(dir, 0755) != 0) {
        snprintf(err, n, "cannot create %s: %s", dir ? dir : "a directory", strerror(errno));
        free(dir);
        return -1;
    }
    tour_verdict tv;
    double t0 = proc_now();
    int rc = tour_gates(env, env->r, s->wt, &s->commit, dir, fresh, s->entry, s->round_idx, s->slot, &tv, err, n);
    free(dir);
    s->pipeline_s += proc_now() - t0;
    if (rc != 0)
        return -1;
    if (tv.cancelled || proc_is_cancelled()) {
        snprintf(err, n, "interrupted while the winner's gates ran again");
        return -1;
    }
    s->from_cache = tv.from_cache;
    if (tv.passed)
        return 0;
    s->passed = false;
    s->gate_error = tv.gate_error;
    /* The decision that picked it no longer applies. */
    json_object_del(s->entry, "accept_reason");
    json_object_del(s->entry, "delta_pct");
    return 1;
}

/* records_decide() over the slots; a winner that its re-verification
 * strikes out is no longer passed, and the round is decided again without
 * it. The winner's index, -1 for none, -2 on an error (err). */
static int tour_decide(tour_env *env, tour_slot *slots, int k, const json_t *champ, char *err, size_t n)
{
    json_t **entries = calloc((size_t)k, sizeof *entries);
    bool *passed = calloc((size_t)k, sizeof *passed);
    int winner = -2;
    if (!entries || !passed) {
        snprintf(err, n, "out of memory");
        k = 0;
    }
    for (bool again = k > 0; again;) {
        for (int i = 0; i < k; i++) {
            entries[i] = slots[i].entry;
            passed[i] = slots[i].passed;
        }
        winner = records_decide(&env->targets, champ, entries, passed, (size_t)k);
        int rv = winner >= 0 ? tour_reverify(env, &slots[winner], err, n) : 0;
        if (rv < 0)
            winner = -2;
        again = rv == 1;
    }
    free(entries);
    free(passed);
    return winner;
}

/* ---- slot phases ---------------------------------------------------------- */

static void tour_agent_record(tour_slot *s, const agent_request *req, const agent_result *res)
{
    json_t *a = json_object();
    json_object_set_new(a, "provider", json_string(s->env->agent->name));
    json_object_set_new(a, "exit", res->spawn_failed || res->timed_out || res->cancelled || res->term_signal
                                       ? json_null() : json_integer(res->exit_code));
    json_object_set_new(a, "timed_out", json_boolean(res->timed_out));
    json_object_set_new(a, "transcript", json_string(req->transcript));
    json_object_set_new(s->entry, "agent", a);
    tour_gate_seconds(s->entry, "agent", res->seconds);
    s->agent_s += res->seconds;
}

/* The last non-empty line of a text (malloc'd; NULL for none). */
static char *tour_last_line(const char *text)
{
    if (!text)
        return NULL;
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
        end--;
    const char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    return end > start ? strndup(start, (size_t)(end - start)) : NULL;
}

/* Runs one agent phase with the guard around it. 0: go on; 1: the slot is
 * decided (broken, cancelled or fatal). */
static int tour_agent_phase(tour_slot *s, repo *r, agent_phase phase, const char *prompt)
{
    tour_env *env = s->env;
    const char *ph = phase == AGENT_HYPOTHESIS ? "hypothesis" : "implement";
    char err[TOUR_ERR];
    char *core_dir = fsx_fmt("%s/cores/%s", s->wt, env->o->target);
    char *hyp = fsx_fmt("%s/experiments/hypotheses/%s.yaml", core_dir, s->id);
    char *ppath = fsx_fmt("%s/prompt-%s.md", s->rundir, ph);
    char *tpath = fsx_fmt("%s/agent-%s.log", s->rundir, ph);
    agent_request req = {phase, prompt, ppath, s->wt, tpath, env->o->agent_timeout, env->o->target, core_dir,
                         hyp, s->id, s->round, s->slot};
    agent_result res;
    memset(&res, 0, sizeof res);
    int out = 1;
    guard *g = guard_take(r, env->o->target, s->id, err, sizeof err);
    if (!g) {
        tour_fatal(s, err);
        goto done;
    }
    progress_say(env->prog, s->round_idx, s->slot, "agent %s phase (%s)", ph, env->agent->name);
    if (agent_run(env->agent, &req, &res, err, sizeof err) != 0) {
        tour_fatal(s, err);
        goto done;
    }
    tour_agent_record(s, &req, &res);
    char how[256];
    agent_describe(&res, how, sizeof how);
    progress_say(env->prog, s->round_idx, s->slot, "agent %s: %s", ph, how);
    sandbox_report rep = {0};
    bool tampered = false;
    if (guard_check(r, g, &rep, &tampered, err, sizeof err) != 0) {
        tour_fatal(s, err);
        sandbox_report_free(&rep);
        goto done;
    }
    if (tampered) {
        s->tampered = true;
        snprintf(s->stop_note, sizeof s->stop_note, "slot %s: the agent changed the main checkout (%.600s); "
                 "the loop stops because the harness can no longer be trusted. Inspect 'git status' in %s "
                 "and restore what the agent wrote.", s->id, rep.text ? rep.text : "?", env->workdir);
    }
    if (res.cancelled || proc_is_cancelled()) {
        s->cancelled = true;
    } else if (phase == AGENT_HYPOTHESIS && !rep.count && !res.spawn_failed && !res.timed_out &&
               !res.term_signal && res.exit_code == AGENT_EXIT_EXHAUSTED) {
        s->exhausted = true;
        s->exhausted_why = tour_last_line(res.output_tail);
        progress_say(env->prog, s->round_idx, s->slot, "agent: nothing left to propose: %s",
                     s->exhausted_why ? s->exhausted_why : "");
    } else if (rep.count) {
        tour_broken(s, "sandbox", "during the %s phase, outside the slot worktree: %s", ph, rep.text);
    } else if (!agent_ok(&res)) {
        tour_broken(s, "agent", "%s phase: the agent %s; transcript %s; last output: %s", ph, how, tpath,
                    res.output_tail ? res.output_tail : "");
    } else {
        out = 0;
    }
    sandbox_report_free(&rep);
done:
    guard_free(g);
    agent_result_free(&res);
    free(core_dir);
    free(hyp);
    free(ppath);
    free(tpath);
    return out;
}

static prompt_ctx tour_prompt_ctx(tour_slot *s, const char *hyp_path)
{
    tour_env *env = s->env;
    size_t nrecent = env->log.n < 12 ? env->log.n : 12;
    prompt_ctx pc = {.target = env->o->target, .id = s->id, .round = s->round, .slot = s->slot,
                     .nslots = env->o->slots, .wt = s->wt, .hypothesis_path = hyp_path,
                     .schema_path = env->hyp_schema_path, .champion = records_champion(&env->log),
                     .recent = (const json_t *const *)env->log.v + (env->log.n - nrecent),
                     .nrecent = nrecent, .targets = &env->targets, .hypothesis = s->hyp};
    return pc;
}

static int tour_hypothesis(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    char *dir = fsx_fmt("%s/cores/%s/experiments/hypotheses", s->wt, env->o->target);
    char *path = fsx_fmt("%s/%s.yaml", dir, s->id);
    int out = 1;
    if (!dir || !path || fsx_mkdirs(dir, 0755) != 0) {
        snprintf(err, sizeof err, "cannot create %s: %s", dir ? dir : "?", strerror(errno));
        tour_fatal(s, err);
        goto done;
    }
    prompt_ctx pc = tour_prompt_ctx(s, path);
    char *prompt = prompt_hypothesis(&pc);
    if (!prompt) {
        tour_fatal(s, "out of memory building the hypothesis prompt");
        goto done;
    }
    int rc = tour_agent_phase(s, r, AGENT_HYPOTHESIS, prompt);
    free(prompt);
    if (rc != 0)
        goto done;

    double t0 = proc_now();
    char *text = NULL;
    size_t len = 0;
    char rerr[200];
    /* The agent may have left anything at that path: a FIFO (a blocking
     * read would hang the loop outside every timeout), a link to /dev/zero,
     * gigabytes. Only a regular file of sane size is read. */
    if (fsx_read_untrusted(path, TOUR_HYP_MAX, &text, &len, rerr, sizeof rerr) != 0) {
        if (errno == ENOENT)
            tour_broken(s, "hypothesis", "the agent wrote no hypothesis at %s", path);
        else
            tour_broken(s, "hypothesis", "the hypothesis file %s %s; the loop reads only a regular file of at "
                        "most %d KiB there", path, rerr, TOUR_HYP_MAX / 1024);
        goto done;
    }
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "cores/%s/experiments/hypotheses/%s.yaml", env->o->target, s->id);
    json_t *h = yamljson_load_string(text, len, rel, err, sizeof err);
    char verr[1024] = "";
    if (h && !json_is_object(h))
        snprintf(verr, sizeof verr, "the file must hold a YAML mapping");
    else if (h && !json_object_get(h, "id"))
        json_object_set_new(h, "id", json_string(s->id));
    else if (h && (!json_is_string(json_object_get(h, "id")) ||
                   strcmp(json_string_value(json_object_get(h, "id")), s->id) != 0))
        snprintf(verr, sizeof verr, "id must be '%s' (the id the loop assigned)", s->id);
    if (h && !verr[0]) {
        char serr[900];
        int vr = schema_validate(env->hyp_schema, h, serr, sizeof serr);
        if (vr != 0)
            snprintf(verr, sizeof verr, "does not match schemas/hypothesis.schema.json: %s", serr);
    }
    if (!h || verr[0]) {
        tour_broken(s, "hypothesis", "%s: %s", rel, h ? verr : err);
        json_decref(h);
        free(text);
        goto done;
    }
    s->hyp = h;
    s->hyp_text = text;
    json_object_set(s->entry, "hypothesis", h);
    char *copy = fsx_fmt("%s/hypothesis.yaml", s->rundir);
    if (copy && fsx_write_atomic(copy, text, len) != 0) { /* a copy for the run directory only */ }
    free(copy);
    /* The hypothesis file is the loop's to commit; anything else the agent
     * wrote in this phase is reverted and reported. */
    unlink(path);
    char *changed = NULL;
    if (repo_slot_reset(r, s->id, s->wt, &s->parent, &changed, err, sizeof err) != 0) {
        tour_fatal(s, err);
        goto done;
    }
    if (changed) {
        progress_say(env->prog, s->round_idx, s->slot, "reverted what the hypothesis phase wrote besides "
                     "the hypothesis: %.400s", changed);
        char *note = fsx_fmt("hypothesis phase: reverted %s", changed);
        tour_set_str(s->entry, "diagnostic", note ? note : "", TOUR_DIAG_MAX, false);
        free(note);
        free(changed);
    }
    tour_gate_seconds(s->entry, "hypothesis", proc_now() - t0);
    progress_say(env->prog, s->round_idx, s->slot, "hypothesis: %s (%s)",
                 json_string_value(json_object_get(h, "title")), json_string_value(json_object_get(h, "category")));
    out = 0;
done:
    free(dir);
    free(path);
    return out;
}

static int tour_implement(tour_slot *s, repo *r)
{
    prompt_ctx pc = tour_prompt_ctx(s, NULL);
    char *prompt = prompt_implement(&pc);
    if (!prompt) {
        tour_fatal(s, "out of memory building the implementation prompt");
        return 1;
    }
    int rc = tour_agent_phase(s, r, AGENT_IMPLEMENT, prompt);
    free(prompt);
    return rc;
}

static int tour_sandbox(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    double t0 = proc_now();
    const char *title = json_string_value(json_object_get(s->hyp, "title"));
    char *msg = fsx_fmt("%s: %s\n\nImplementation by %s, not yet measured.\n", s->id, title ? title : "?",
                        env->agent->name);
    bool changed = false;
    int rc = repo_slot_commit(r, s->id, s->wt, &s->parent, msg, &s->commit, &changed, err, sizeof err);
    free(msg);
    if (rc != 0) {
        tour_broken(s, "sandbox", "the agent's work cannot be committed: %s", err);
        return 1;
    }
    if (!changed) {
        tour_broken(s, "agent", "the implementation phase changed nothing under cores/%s/", env->o->target);
        return 1;
    }
    git_oid ptree, stree;
    git_repository *w = NULL;
    sandbox_report rep = {0};
    int out = 1;
    if (repo_commit_tree(r, &s->parent, &ptree, err, sizeof err) != 0 ||
        repo_commit_tree(r, &s->commit, &stree, err, sizeof err) != 0 ||
        sandbox_check_trees(repo_git(r), &ptree, &stree, env->o->target, &rep, err, sizeof err) != 0 ||
        repo_slot_open(r, s->id, s->wt, &w, err, sizeof err) != 0 ||
        sandbox_check_worktree(w, s->wt, &stree, &rep, err, sizeof err) != 0) {
        tour_broken(s, "sandbox", "the sandbox check could not run: %s", err);
    } else if (rep.count) {
        tour_broken(s, "sandbox", "%zu violation%s: %s", rep.count, rep.count == 1 ? "" : "s", rep.text);
    } else {
        out = 0;
    }
    git_repository_free(w);
    sandbox_report_free(&rep);
    tour_gate_seconds(s->entry, "sandbox", proc_now() - t0);
    if (out == 0)
        progress_say(env->prog, s->round_idx, s->slot, "sandbox   pass    %7.2f s", proc_now() - t0);
    return out;
}

static void tour_slot_gates(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    double t0 = proc_now();
    tour_verdict tv;
    s->gated = true;
    if (tour_gates(env, r, s->wt, &s->commit, s->rundir, 0, s->entry, s->round_idx, s->slot, &tv, err,
                   sizeof err) != 0) {
        tour_fatal(s, err);
        return;
    }
    s->pipeline_s = proc_now() - t0;
    s->cancelled = tv.cancelled;
    s->gate_error = tv.gate_error;
    s->from_cache = tv.from_cache;
    if (tv.cancelled || !tv.passed)
        return;
    /* Nothing may change the tree between the sandbox and the verdict (a
     * process the agent left behind, say). */
    char *prefix = fsx_fmt("cores/%s/", env->o->target);
    char *dirty = NULL;
    if (repo_slot_dirty(r, s->id, s->wt, prefix, &dirty, err, sizeof err) != 0) {
        tour_fatal(s, err);
    } else if (dirty) {
        tour_broken(s, "sandbox", "the slot's files changed while the gates ran: %s", dirty);
    } else {
        s->passed = true;
    }
    free(dirty);
    free(prefix);
}

static void *tour_slot_main(void *p)
{
    tour_slot *s = p;
    tour_env *env = s->env;
    char err[TOUR_ERR];
    repo *r = NULL;
    s->t0 = proc_now();
    if (repo_open(&r, env->workdir, err, sizeof err) != 0) {
        tour_fatal(s, err);
        goto done;
    }
    s->rundir = fsx_fmt("%s/%s", env->runs, s->id);
    if (!s->rundir || fsx_mkdirs(s->rundir, 0755) != 0) {
        snprintf(err, sizeof err, "cannot create the run directory %s: %s", s->rundir ? s->rundir : "?",
                 strerror(errno));
        tour_fatal(s, err);
        goto done;
    }
    json_object_set_new(s->entry, "rundir", json_string(s->rundir));
    char owner[256];
    snprintf(owner, sizeof owner, "evo target=%s pid=%ld", env->o->target, (long)getpid());
    if (repo_slot_add(r, s->id, &s->parent, env->wtroot, owner, &s->wt, err, sizeof err) != 0) {
        tour_fatal(s, err);
        goto done;
    }
    if (tour_hypothesis(s, r) == 0 && tour_implement(s, r) == 0 && tour_sandbox(s, r) == 0)
        tour_slot_gates(s, r);
done:
    if (proc_is_cancelled())
        s->cancelled = true;
    char now[32];
    records_now(now, sizeof now);
    json_object_set_new(s->entry, "finished", json_string(now));
    s->wall = proc_now() - s->t0;
    repo_free(r);
    return NULL;
}

/* ---- bookkeeping ---------------------------------------------------------- */

/* Appends `add` to the blob at path in commit `at` (a missing file is empty;
 * a missing final newline is supplied). */
static char *tour_append(tour_env *env, const git_oid *at, const char *path, const char *add, char *err,
                         size_t n)
{
    char *old = NULL;
    size_t len = 0;
    int rc = repo_read(env->r, at, path, &old, &len, err, n);
    if (rc < 0)
        return NULL;
    char *out = fsx_fmt("%s%s%s", old ? old : "", len && old[len - 1] != '\n' ? "\n" : "", add);
    free(old);
    return out;
}

/* core.yaml with current: rewritten by yamljson_set_current. */
static char *tour_core_yaml(tour_env *env, const git_oid *at, const json_t *current, char *err, size_t n)
{
    char *path = fsx_fmt("cores/%s/core.yaml", env->o->target);
    char *yaml = NULL;
    size_t len = 0;
    int rc = repo_read(env->r, at, path, &yaml, &len, err, n);
    free(path);
    if (rc != 0) {
        if (rc == 1)
            snprintf(err, n, "cores/%s/core.yaml is missing on core-%s", env->o->target, env->o->target);
        return NULL;
    }
    char *tmp = fsx_fmt("%s/core.%ld.yaml", env->scratch, (long)getpid());
    char *out = NULL;
    char yerr[1024];
    if (fsx_write_atomic(tmp, yaml, len) != 0)
        snprintf(err, n, "cannot write %s: %s", tmp, strerror(errno));
    else if (yamljson_set_current(tmp, current, yerr, sizeof yerr) != 0)
        snprintf(err, n, "updating current: in cores/%s/core.yaml: %s", env->o->target, yerr);
    else if (fsx_read(tmp, &out, NULL) != 0)
        snprintf(err, n, "cannot read back %s: %s", tmp, strerror(errno));
    unlink(tmp);
    free(tmp);
    free(yaml);
    return out;
}

/* One "log: <id> <outcome>" commit on core-<T>: the log line, the lesson,
 * the hypothesis file; current: and the chart when given. */
static int tour_commit_entry(tour_env *env, json_t *entry, const char *hyp_text, const json_t *current,
                             bool chart, git_oid *tip, char *err, size_t n)
{
    const char *t = env->o->target;
    const char *id = json_string_value(json_object_get(entry, "id"));
    const char *outcome = json_string_value(json_object_get(entry, "outcome"));
    char *line = records_line(entry, env->log_schema, err, n);
    if (!line)
        return -1;
    char *log_path = fsx_fmt("cores/%s/experiments/log.jsonl", t);
    char *les_path = fsx_fmt("cores/%s/LESSONS.md", t);
    char *hyp_path = fsx_fmt("cores/%s/experiments/hypotheses/%s.yaml", t, id);
    char *yaml_path = fsx_fmt("cores/%s/core.yaml", t);
    char *png_path = fsx_fmt("cores/%s/experiments/progress.png", t);
    char *lesson = records_lesson_line(entry);
    char *log_text = tour_append(env, tip, log_path, line, err, n);
    char *les_text = log_text ? tour_append(env, tip, les_path, lesson ? lesson : "", err, n) : NULL;
    char *yaml = NULL, *png = NULL;
    size_t png_len = 0;
    int rc = -1;
    if (!log_text || !les_text)
        goto out;
    repo_edit edits[5];
    size_t ne = 0;
    edits[ne++] = (repo_edit){log_path, log_text, strlen(log_text), 0};
    edits[ne++] = (repo_edit){les_path, les_text, strlen(les_text), 0};
    if (hyp_text)
        edits[ne++] = (repo_edit){hyp_path, hyp_text, strlen(hyp_text), 0};
    if (current) {
        if (!(yaml = tour_core_yaml(env, tip, current, err, n)))
            goto out;
        edits[ne++] = (repo_edit){yaml_path, yaml, strlen(yaml), 0};
    }
    if (chart) {
        /* The chart shows the log as it will be after this commit. */
        records_log with = env->log;
        json_t **v = malloc((env->log.n + 1) * sizeof *v);
        if (v) {
            if (env->log.n)
                memcpy(v, env->log.v, env->log.n * sizeof *v);
            v[env->log.n] = entry;
            with.v = v;
            with.n = env->log.n + 1;
            char *tmp_png = fsx_fmt("%s/progress.png", env->scratch);
            char cerr[512];
            if (tmp_png && report_chart(&with, t, tmp_png, env->scratch, cerr, sizeof cerr) == 0 &&
                fsx_read(tmp_png, &png, &png_len) == 0)
                edits[ne++] = (repo_edit){png_path, png, png_len, 0};
            else
                fprintf(env->o->out, "warning: progress chart not updated: %s\n", cerr);
            free(tmp_png);
            free(v);
        }
    }
    char *msg = fsx_fmt("log: %s %s\n", id, outcome);
    git_oid next;
    char *branch = fsx_fmt("core-%s", t);
    rc = repo_commit_edits(env->r, branch, tip, edits, ne, msg, &next, err, n);
    free(branch);
    free(msg);
    if (rc == 0)
        git_oid_cpy(tip, &next);
out:
    free(line);
    free(log_path);
    free(les_path);
    free(hyp_path);
    free(yaml_path);
    free(png_path);
    free(lesson);
    free(log_text);
    free(les_text);
    free(yaml);
    free(png);
    return rc;
}

/* Adds the entry to the in-memory log (the champion may change). */
static void tour_log_add(tour_env *env, json_t *entry)
{
    json_t **nv = realloc(env->log.v, (env->log.n + 1) * sizeof *nv);
    if (!nv)
        return;
    env->log.v = nv;
    env->log.v[env->log.n++] = json_incref(entry);
    json_array_append(env->summary, entry);
}

/* The lesson compares with the champion the slot ran against (`champ`), not
 * with a winner of the same round logged just before it. */
static void tour_set_lesson(json_t *entry, const json_t *champ)
{
    char *lesson = scribe_lesson(entry, champ); /* the builtin scribe of issue 7 */
    tour_set_str(entry, "lesson", lesson ? lesson : "", TOUR_LESSON_MAX, true);
    free(lesson);
}

/* Decides the round and writes its commits. -1 with err on a failure of
 * git or of the disk: the branch then stays at the last finished commit. */
static int tour_finish_round(tour_env *env, tour_slot *slots, int k, git_oid *tip, char *err, size_t n)
{
    const json_t *champ = records_champion(&env->log);
    int winner = tour_decide(env, slots, k, champ, err, n);
    if (winner == -2)
        return -1;

    char *branch = fsx_fmt("core-%s", env->o->target);
    int rc = 0;
    if (winner >= 0) {
        tour_slot *w = &slots[winner];
        char delta[32];
        records_delta_str(w->entry, delta, sizeof delta);
        const char *title = json_string_value(json_object_get(w->hyp, "title"));
        char *msg = fsx_fmt("%s: %s (%s)\n\n%s\n\nfitness %.1f it/s; hypothesis %s; run %s\n", w->id,
                            title ? title : "?", delta,
                            json_string_value(json_object_get(w->hyp, "hypothesis"))
                                ? json_string_value(json_object_get(w->hyp, "hypothesis")) : "",
                            json_number_value(json_object_get(w->entry, "fitness")), w->id, w->rundir);
        git_oid merged;
        int mrc = repo_merge(env->r, branch, &w->commit, msg, &merged, err, n);
        free(msg);
        if (mrc < 0) {
            free(branch);
            return -1;
        }
        if (mrc == 1) {
            json_object_set_new(w->entry, "outcome", json_string("regression"));
            json_object_set_new(w->entry, "accepted", json_false());
            tour_set_str(w->entry, "accept_reason", err, 480, true);
            winner = -1;
        } else {
            git_oid_cpy(tip, &merged);
            char *hex = tour_oid_hex(&merged);
            json_object_set_new(w->entry, "commit", json_string(hex));
            free(hex);
        }
    }
    int last = -1;
    for (int i = 0; i < k; i++)
        if (!slots[i].cancelled && !slots[i].exhausted)
            last = i;
    for (int i = 0; i < k && rc == 0; i++) {
        tour_slot *s = &slots[i];
        if (s->cancelled || s->exhausted)
            continue;
        double t0 = proc_now();
        tour_set_lesson(s->entry, champ);
        json_t *current = NULL;
        if (i == winner) {
            char *hex = tour_oid_hex(tip);
            current = records_current(s->entry, hex);
            free(hex);
        }
        rc = tour_commit_entry(env, s->entry, s->hyp_text, current, i == last, tip, err, n);
        json_decref(current);
        if (rc == 0) {
            tour_log_add(env, s->entry);
            const char *oc = json_string_value(json_object_get(s->entry, "outcome"));
            char d[32];
            records_delta_str(s->entry, d, sizeof d);
            progress_say(env->prog, s->round_idx, s->slot, "%s %s%s%s", oc, d,
                         i == winner ? " -> merged into " : "", i == winner ? branch : "");
        }
        slots[i].wall += proc_now() - t0; /* bookkeeping belongs to the slot's overhead */
    }
    free(branch);
    return rc;
}

/* Removes one slot's worktree and branch, whatever state it is in. */
static void tour_drop_slot(tour_env *env, tour_slot *s)
{
    char err[TOUR_ERR];
    double t0 = proc_now();
    if (repo_slot_remove(env->r, s->id, err, sizeof err) != 0)
        fprintf(env->o->out, "warning: could not remove slot %s: %s (the next run retries)\n", s->id, err);
    s->wall += proc_now() - t0;
}

/* ---- set-up --------------------------------------------------------------- */

static json_t *tour_load_schema(const char *workdir, const char *name, char **path_out, char *err, size_t n)
{
    char *path = fsx_fmt("%s/schemas/%s", workdir, name);
    json_t *s = schema_load(path, err, n);
    if (path_out)
        *path_out = path;
    else
        free(path);
    return s;
}

int tour_load_log(repo *r, const char *target, const json_t *schema, records_log *log,
                  FILE *warn, char *err, size_t n)
{
    memset(log, 0, sizeof *log);
    char *branch = fsx_fmt("core-%s", target);
    git_oid tip;
    int rc = repo_tip(r, branch, &tip, err, n);
    free(branch);
    if (rc == 1)
        return 1;
    if (rc != 0)
        return -1;
    char *path = fsx_fmt("cores/%s/experiments/log.jsonl", target);
    char *text = NULL;
    size_t len = 0;
    rc = repo_read(r, &tip, path, &text, &len, err, n);
    if (rc == 0 || rc == 1) {
        char *name = fsx_fmt("%s (on core-%s)", path, target);
        if (records_log_parse(text ? text : "", len, name, schema, log) != 0) {
            snprintf(err, n, "out of memory reading %s", path);
            rc = -1;
        } else {
            rc = 0;
            for (size_t i = 0; i < log->nwarn && warn; i++)
                fprintf(warn, "warning: %s\n", log->warnings[i]);
        }
        free(name);
    }
    free(text);
    free(path);
    return rc;
}

/* Slot leftovers of this target from an interrupted run. */
static int tour_recover(tour_env *env, char *err, size_t n)
{
    repo_strs ids = {0};
    if (repo_slot_list(env->r, &ids, err, n) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        if (!records_id_belongs(ids.v[i], env->o->target))
            continue;
        rc = repo_slot_remove(env->r, ids.v[i], err, n);
        if (rc == 0)
            fprintf(env->o->out, "recovered: removed slot %s left by an interrupted run\n", ids.v[i]);
    }
    repo_strs_free(&ids);
    /* Directories under .slots without a registration (a crash inside
     * git_worktree_add) are ours too when their name is one of our ids. */
    char *slots = fsx_fmt("%s/.slots", env->wtroot);
    DIR *d = slots ? opendir(slots) : NULL;
    struct dirent *de;
    while (d && rc == 0 && (de = readdir(d))) {
        if (!records_id_belongs(de->d_name, env->o->target))
            continue;
        char *p = fsx_fmt("%s/%s", slots, de->d_name);
        if (p && fsx_remove_tree(p) == 0)
            fprintf(env->o->out, "recovered: removed directory %s\n", p);
        free(p);
    }
    if (d)
        closedir(d);
    free(slots);
    return rc;
}

static void tour_targets(tour_env *env)
{
    const tour_opts *o = env->o;
    const json_t *t = json_object_get(env->core_cfg, "targets");
    env->targets.coremark = o->coremark > 0 ? o->coremark : json_number_value(json_object_get(t, "coremark"));
    env->targets.lut = o->lut > 0 ? o->lut : json_number_value(json_object_get(t, "lut"));
    env->targets.margin = o->margin;
}

static int tour_env_init(tour_env *env, const char *repo_path, const tour_opts *o, char *err, size_t n)
{
    memset(env, 0, sizeof *env);
    env->o = o;
    env->lock.fd = -1;
    env->summary = json_array();
    if (repo_open(&env->r, repo_path, err, n) != 0)
        return -1;
    env->workdir = strdup(repo_workdir(env->r));
    env->wtroot = o->wtroot ? strdup(o->wtroot) : fsx_fmt("%s/.worktrees", env->workdir);
    env->build = o->build ? strdup(o->build) : fsx_fmt("%s/build", env->workdir);
    env->runs = fsx_fmt("%s/runs/%s", env->workdir, o->target);
    env->scratch = fsx_fmt("%s/.evo", env->runs);
    env->cache_dir = fsx_fmt("%s/gate-cache", env->build);
    if (!env->workdir || !env->wtroot || !env->build || !env->runs || !env->scratch || !env->cache_dir) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    /* Worktrees and run artefacts inside the checkout must be ignored there,
     * or every status of the harness would see the slots. */
    size_t wl = strlen(env->workdir);
    static const char *const must_ignore[] = {"runs/", NULL};
    if (strncmp(env->wtroot, env->workdir, wl) == 0 && env->wtroot[wl] == '/') {
        char *rel = fsx_fmt("%s/", env->wtroot + wl + 1);
        bool ign = rel && repo_is_ignored(env->r, rel);
        if (!ign) {
            snprintf(err, n, "%s is inside the checkout but not ignored by git: add '/%s' to .gitignore",
                     env->wtroot, rel ? rel : "?");
            free(rel);
            return -1;
        }
        free(rel);
    }
    for (const char *const *p = must_ignore; *p; p++)
        if (!repo_is_ignored(env->r, *p)) {
            snprintf(err, n, "'%s' is not ignored by git in %s: add '/%s' to .gitignore", *p, env->workdir, *p);
            return -1;
        }
    int lr = lock_take(&env->lock, repo_commondir(env->r), o->target, err, n);
    if (lr != 0)
        return -1;
    if (fsx_mkdirs(env->scratch, 0755) != 0) {
        snprintf(err, n, "cannot create %s: %s", env->scratch, strerror(errno));
        return -1;
    }
    if (!(env->log_schema = tour_load_schema(env->workdir, "log_entry.schema.json", NULL, err, n)) ||
        !(env->hyp_schema = tour_load_schema(env->workdir, "hypothesis.schema.json", &env->hyp_schema_path, err, n)))
        return -1;
    env->sched = sched_new(o->cores);
    env->tools = toolver_new(env->scratch);
    env->prog = progress_new(o->out, o->target, o->rounds, o->slots);
    if (!env->sched || !env->tools || !env->prog) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    if (repo_harness_id(env->r, env->harness_id, sizeof env->harness_id, err, n) != 0)
        return -1;
    return 0;
}

static void tour_env_free(tour_env *env)
{
    records_log_free(&env->log);
    json_decref(env->log_schema);
    json_decref(env->hyp_schema);
    json_decref(env->core_cfg);
    json_decref(env->tools_json);
    json_decref(env->summary);
    agent_close(env->agent);
    sched_free(env->sched);
    toolver_free(env->tools);
    progress_free(env->prog);
    lock_release(&env->lock);
    repo_free(env->r);
    free(env->workdir);
    free(env->wtroot);
    free(env->build);
    free(env->runs);
    free(env->scratch);
    free(env->core_wt);
    free(env->cache_dir);
    free(env->hyp_schema_path);
    free(env->overhead);
}

/* core.yaml of the core worktree, for the gates and the targets. */
static int tour_load_cfg(tour_env *env, char *err, size_t n)
{
    char *path = fsx_fmt("%s/cores/%s/core.yaml", env->core_wt, env->o->target);
    json_decref(env->core_cfg);
    env->core_cfg = yamljson_load_file(path, err, n);
    free(path);
    if (!env->core_cfg)
        return -1;
    char *spath = fsx_fmt("%s/schemas/core.schema.json", env->workdir);
    char verr[512];
    if (schema_validate_path(spath, env->core_cfg, verr, sizeof verr) == 1)
        fprintf(env->o->out, "warning: cores/%s/core.yaml does not match schemas/core.schema.json: %s\n",
                env->o->target, verr);
    free(spath);
    tour_targets(env);
    return 0;
}

/* Fork (when asked and needed) so that cores/<T> exists on core-<T>. */
static int tour_ensure_core(tour_env *env, git_oid *tip, char *err, size_t n)
{
    const tour_opts *o = env->o;
    char *yaml = fsx_fmt("cores/%s/core.yaml", o->target);
    git_oid id;
    int rc = repo_path_id(env->r, tip, yaml, &id);
    free(yaml);
    if (rc != 0) {
        snprintf(err, n, "reading core-%s", o->target);
        return -1;
    }
    if (!git_oid_is_zero(&id)) {
        if (o->base && strcmp(o->base, o->target) != 0)
            fprintf(o->out, "note: cores/%s already exists on core-%s; BASE=%s ignored\n", o->target, o->target,
                    o->base);
        return 0;
    }
    if (!o->base) {
        snprintf(err, n, "there is no core '%s' (cores/%s/core.yaml is not on main or core-%s); fork one with "
                 "BASE=<core>, e.g. make loop TARGET=%s BASE=baseline", o->target, o->target, o->target, o->target);
        return -1;
    }
    git_oid forked;
    if (forkcore_copy(env->r, o->target, o->base, tip, env->scratch, &forked, err, n) != 0)
        return -1;
    git_oid_cpy(tip, &forked);
    char sh[12];
    repo_short(tip, sh);
    fprintf(o->out, "forked cores/%s from cores/%s on core-%s (%s)\n", o->target, o->base, o->target, sh);
    return repo_worktree_sync(env->core_wt, err, n);
}

/* Round 0: the existing design through every gate. */
static int tour_measure_first(tour_env *env, git_oid *tip, char *err, size_t n)
{
    const tour_opts *o = env->o;
    char *id = records_id(o->target, 0, 0);
    char *hex = tour_oid_hex(tip);
    json_t *e = records_entry_new(id, o->target, 0, 0, hex);
    char *rundir = fsx_fmt("%s/%s", env->runs, id);
    int rc = -1;
    progress_say(env->prog, 0, 0, "measuring the current design of %s through every gate (%s)", o->target, id);
    if (!rundir || fsx_mkdirs(rundir, 0755) != 0) {
        snprintf(err, n, "cannot create %s: %s", rundir ? rundir : "?", strerror(errno));
        goto out;
    }
    json_object_set_new(e, "rundir", json_string(rundir));
    json_object_set(e, "tools", env->tools_json);
    tour_verdict tv;
    if (tour_gates(env, env->r, env->core_wt, tip, rundir, 0, e, 0, 0, &tv, err, n) != 0)
        goto out;
    bool passed = tv.passed;
    if (tv.cancelled) {
        rc = 2;
        goto out;
    }
    if (tv.gate_error || tv.planted) {
        /* Not a verdict on the design: record nothing, so that the next run
         * measures again once the environment is fixed. */
        snprintf(err, n, "the first measurement of %s could not run: gate %s: %.1500s\nnothing was recorded; "
                 "fix this (make setup installs missing tools) and run again",
                 o->target, json_string_value(json_object_get(e, "failed_gate")),
                 json_string_value(json_object_get(e, "diagnostic")));
        goto out;
    }
    char now[32];
    records_now(now, sizeof now);
    json_object_set_new(e, "finished", json_string(now));
    json_t *current = NULL;
    if (passed) {
        json_object_set_new(e, "outcome", json_string("improvement"));
        json_object_set_new(e, "accepted", json_true());
        json_object_set_new(e, "accept_reason", json_string("first measurement of the core: the initial champion"));
        json_object_set_new(e, "commit", json_string(hex));
        current = records_current(e, hex);
    } else {
        json_object_set_new(e, "accepted", json_false());
    }
    tour_set_lesson(e, NULL);
    rc = tour_commit_entry(env, e, NULL, current, true, tip, err, n);
    json_decref(current);
    if (rc == 0) {
        tour_log_add(env, e);
        progress_say(env->prog, 0, 0, "%s: %s", json_string_value(json_object_get(e, "outcome")),
                     json_string_value(json_object_get(e, "lesson")));
        rc = repo_worktree_sync(env->core_wt, err, n);
    }
out:
    json_decref(e);
    free(id);
    free(hex);
    free(rundir);
    return rc;
}

static int tour_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void tour_summary(tour_env *env)
{
    FILE *out = env->o->out;
    size_t n = json_array_size(env->summary);
    if (n == 0)
        return;
    fprintf(out, "\n%-26s %5s %4s %-16s %12s %8s  %s\n", "id", "round", "slot", "outcome", "fitness", "delta",
            "gate / title");
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(env->summary, i);
        const json_t *h = json_object_get(e, "hypothesis");
        char fit[32] = "-", d[32];
        if (json_is_number(json_object_get(e, "fitness")))
            snprintf(fit, sizeof fit, "%.1f", json_number_value(json_object_get(e, "fitness")));
        records_delta_str(e, d, sizeof d);
        const char *gate = json_string_value(json_object_get(e, "failed_gate"));
        const char *title = json_string_value(json_object_get(h, "title"));
        fprintf(out, "%-26s %5lld %4lld %-16s %12s %8s  %s\n", json_string_value(json_object_get(e, "id")),
                (long long)json_integer_value(json_object_get(e, "round")),
                (long long)json_integer_value(json_object_get(e, "slot")),
                json_string_value(json_object_get(e, "outcome")), fit, d,
                gate ? gate : (title ? title : ""));
    }
    const json_t *c = records_champion(&env->log);
    if (c)
        fprintf(out, "\nchampion: %s, fitness %.1f it/s\n", json_string_value(json_object_get(c, "id")),
                json_number_value(json_object_get(c, "fitness")));
    if (env->noverhead) {
        double *v = malloc(env->noverhead * sizeof *v);
        if (v) {
            memcpy(v, env->overhead, env->noverhead * sizeof *v);
            qsort(v, env->noverhead, sizeof *v, tour_cmp_double);
            fprintf(out, "orchestrator overhead per slot (worktree, sandbox, commits, clean-up; agents and "
                         "gates excluded): median %.3f s over %zu slots\n",
                    v[env->noverhead / 2], env->noverhead);
            free(v);
        }
    }
}

static void tour_note_overhead(tour_env *env, const tour_slot *s)
{
    double o = s->wall - s->agent_s - s->pipeline_s;
    double *nv = realloc(env->overhead, (env->noverhead + 1) * sizeof *nv);
    if (!nv)
        return;
    env->overhead = nv;
    env->overhead[env->noverhead++] = o > 0 ? o : 0;
    char *path = fsx_fmt("%s/timing.json", s->rundir ? s->rundir : env->scratch);
    char *text = fsx_fmt("{\"wall_s\": %.4f, \"agent_s\": %.4f, \"gates_s\": %.4f, \"overhead_s\": %.4f}\n",
                         s->wall, s->agent_s, s->pipeline_s, o);
    if (path && text && s->rundir && fsx_write_atomic(path, text, strlen(text)) != 0) { /* informative only */ }
    free(path);
    free(text);
}

/* One round. 0 ok, 1 error (err), 2 interrupted. */
static int tour_round(tour_env *env, int round_idx, git_oid *tip, char *err, size_t n)
{
    const tour_opts *o = env->o;
    int round = records_last_round(&env->log) + 1;
    if (round < 1)
        round = 1;
    int k = o->slots;
    tour_slot *slots = calloc((size_t)k, sizeof *slots);
    if (!slots) {
        snprintf(err, n, "out of memory");
        return 1;
    }
    char *hex = tour_oid_hex(tip);
    progress_say(env->prog, round_idx, 0, "round %d: %d slot%s from core-%s at %.10s", round, k, k == 1 ? "" : "s",
                 o->target, hex);
    int started = 0;
    for (int i = 0; i < k; i++) {
        tour_slot *s = &slots[i];
        s->env = env;
        s->round = round;
        s->slot = i + 1;
        s->round_idx = round_idx;
        s->id = records_id(o->target, round, i + 1);
        git_oid_cpy(&s->parent, tip);
        s->entry = records_entry_new(s->id, o->target, round, i + 1, hex);
        json_object_set_new(s->entry, "tools", json_deep_copy(env->tools_json));
        if (pthread_create(&s->th, NULL, tour_slot_main, s) != 0) {
            tour_fatal(s, "cannot start a slot thread");
            break;
        }
        started++;
    }
    free(hex);
    for (int i = 0; i < started; i++)
        pthread_join(slots[i].th, NULL);

    int rc = 0;
    bool cancelled = proc_is_cancelled(), fatal = false;
    for (int i = 0; i < k; i++) {
        cancelled = cancelled || slots[i].cancelled;
        if (slots[i].fatal && !fatal) {
            fatal = true;
            snprintf(err, n, "slot %s: %s", slots[i].id, slots[i].fatal_msg);
        }
    }
    if (cancelled) {
        rc = 2;
    } else if (fatal) {
        rc = 1;
    } else if (tour_finish_round(env, slots, k, tip, err, n) != 0) {
        rc = 1;
    }
    for (int i = 0; i < k; i++)
        if (slots[i].stop_note[0] && !env->stop_msg[0])
            snprintf(env->stop_msg, sizeof env->stop_msg, "%s", slots[i].stop_note);
    int exhausted = 0;
    for (int i = 0; i < k; i++)
        exhausted += slots[i].exhausted;
    if (rc == 0 && exhausted == k && !env->stop_msg[0] && (env->stop_done = true))
        snprintf(env->stop_msg, sizeof env->stop_msg, "the agent has nothing left to propose (%s); the loop "
                 "stops. Widen the design space (knobs in core.yaml) or use another agent.",
                 slots[0].exhausted_why ? slots[0].exhausted_why : "no reason given");
    int gated = 0, errored = 0, first_err = -1;
    for (int i = 0; i < k; i++) {
        gated += slots[i].gated;
        if (slots[i].gated && slots[i].gate_error) {
            errored++;
            first_err = first_err < 0 ? i : first_err;
        }
    }
    if (rc == 0 && gated > 0 && errored == gated && !env->stop_msg[0]) {
        const json_t *e = slots[first_err].entry;
        snprintf(env->stop_msg, sizeof env->stop_msg, "every slot of round %d that reached the gates hit a gate "
                 "that could not run (%s: %.1200s); that is the environment, not the designs: the round is "
                 "logged and the loop stops; fix the cause (make setup installs missing tools) and run again",
                 round, json_string_value(json_object_get(e, "failed_gate")),
                 json_string_value(json_object_get(e, "diagnostic")));
    }
    for (int i = 0; i < k; i++) {
        if (slots[i].id)
            tour_drop_slot(env, &slots[i]);
        if (rc == 0 && slots[i].id)
            tour_note_overhead(env, &slots[i]);
        free(slots[i].id);
        free(slots[i].wt);
        free(slots[i].rundir);
        free(slots[i].hyp_text);
        free(slots[i].exhausted_why);
        json_decref(slots[i].entry);
        json_decref(slots[i].hyp);
    }
    free(slots);
    char serr[TOUR_ERR];
    if (repo_worktree_sync(env->core_wt, serr, sizeof serr) != 0 && rc == 0) {
        snprintf(err, n, "%s", serr);
        rc = 1;
    }
    return rc;
}

/* Every tool the gates of the table run must be installed: a missing one
 * would otherwise turn every slot into a gate error. */
static int tour_check_tools(const tour_opts *o, char *err, size_t n)
{
    strbuf b = {0};
    for (size_t i = 0; i < o->ngates; i++)
        for (const char *const *t = toolver_gate_tools(o->gates[i].name); *t; t++)
            if (!proc_have_tool(*t))
                strbuf_addf(&b, "%s%s (gate %s)", b.len ? ", " : "", *t, o->gates[i].name);
    char *missing = strbuf_take(&b);
    int rc = 0;
    if (missing && *missing) {
        snprintf(err, n, "missing tools: %s; install them with 'make setup' (bash tools/setup.sh)", missing);
        rc = -1;
    }
    free(missing);
    return rc;
}

int tour_run(const char *repo_path, const tour_opts *o, char *err, size_t n)
{
    tour_env env;
    int rc = 1;
    if (o->check_tools && tour_check_tools(o, err, n) != 0) {
        memset(&env, 0, sizeof env);
        env.lock.fd = -1;
        goto out;
    }
    if (tour_env_init(&env, repo_path, o, err, n) != 0)
        goto out;
    if (tour_recover(&env, err, n) != 0)
        goto out;
    char *note = NULL;
    if (repo_core_ensure(env.r, o->target, env.wtroot, &env.core_wt, &note, err, n) != 0)
        goto out;
    if (note) {
        fprintf(o->out, "recovered: %s\n", note);
        free(note);
    }
    char *branch = fsx_fmt("core-%s", o->target);
    git_oid tip;
    int trc = repo_tip(env.r, branch, &tip, err, n);
    free(branch);
    if (trc != 0 || tour_ensure_core(&env, &tip, err, n) != 0 || tour_load_cfg(&env, err, n) != 0)
        goto out;
    if (tour_load_log(env.r, o->target, env.log_schema, &env.log, o->out, err, n) < 0)
        goto out;
    env.tools_json = toolver_all_json(env.tools);
    if (o->rounds > 0 && agent_open(o->agent, &env.agent, err, n) != 0)
        goto out;

    if (env.log.n == 0) {
        int mrc = tour_measure_first(&env, &tip, err, n);
        if (mrc != 0) {
            rc = mrc == 2 ? 2 : 1;
            if (mrc == 2)
                snprintf(err, n, "interrupted during the first measurement; nothing was recorded");
            goto out;
        }
    }
    if (o->rounds > 0 && tour_load_cfg(&env, err, n) != 0)
        goto out;
    for (int r = 1; r <= o->rounds; r++) {
        int rr = proc_is_cancelled() ? 2 : tour_round(&env, r, &tip, err, n);
        if (rr == 2) {
            char sh[12];
            repo_short(&tip, sh);
            snprintf(err, n, "interrupted: round %d/%d discarded; core-%s stays at %s", r, o->rounds, o->target, sh);
            rc = 2;
            goto out;
        }
        if (rr != 0) {
            bool disk = strstr(err, "No space left") || strstr(err, "File too large") || strstr(err, "quota");
            char *full = fsx_fmt("%s%s; the loop stopped after %d of %d rounds and core-%s is at its last "
                                 "completed commit", err, disk ? " (the disk is full or a file-size limit was hit: "
                                 "free space and run again)" : "", r - 1, o->rounds, o->target);
            if (full)
                snprintf(err, n, "%s", full);
            free(full);
            goto out;
        }
        if (env.stop_msg[0] && env.stop_done) {
            fprintf(o->out, "%s\n", env.stop_msg);
            break;
        }
        if (env.stop_msg[0]) {
            snprintf(err, n, "%s", env.stop_msg);
            goto out;
        }
    }
    rc = 0;
out:
    if (env.prog)
        tour_summary(&env);
    tour_env_free(&env);
    return rc;
}

int tour_clean(const char *repo_path, const char *target, FILE *out, char *err, size_t n)
{
    repo *r = NULL;
    if (repo_open(&r, repo_path, err, n) != 0)
        return -1;
    lock_handle lk;
    int rc = lock_take(&lk, repo_commondir(r), target, err, n);
    if (rc != 0) {
        repo_free(r);
        return -1;
    }
    repo_strs ids = {0};
    rc = repo_slot_list(r, &ids, err, n);
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        if (!records_id_belongs(ids.v[i], target))
            continue;
        rc = repo_slot_remove(r, ids.v[i], err, n);
        if (rc == 0)
            fprintf(out, "removed slot %s\n", ids.v[i]);
    }
    repo_strs_free(&ids);
    if (rc == 0 && (rc = repo_core_remove(r, target, err, n)) == 0)
        fprintf(out, "removed the worktree of core-%s (the branch is kept)\n", target);
    lock_release(&lk);
    repo_free(r);
    return rc;
}

int tour_list(const char *repo_path, FILE *out, char *err, size_t n)
{
    repo *r = NULL;
    if (repo_open(&r, repo_path, err, n) != 0)
        return -1;
    repo_strs names = {0};
    char *dir = fsx_fmt("%s/cores", repo_workdir(r));
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char *y = fsx_fmt("%s/%s/core.yaml", dir, de->d_name);
        struct stat st;
        if (de->d_name[0] != '.' && y && stat(y, &st) == 0)
            repo_strs_push(&names, de->d_name);
        free(y);
    }
    if (d)
        closedir(d);
    git_branch_iterator *it = NULL;
    git_reference *ref;
    git_branch_t type;
    if (git_branch_iterator_new(&it, repo_git(r), GIT_BRANCH_LOCAL) == 0) {
        while (git_branch_next(&ref, &type, it) == 0) {
            const char *bn = NULL;
            if (git_branch_name(&bn, ref) == 0 && strncmp(bn, "core-", 5) == 0)
                repo_strs_push(&names, bn + 5);
            git_reference_free(ref);
        }
        git_branch_iterator_free(it);
    }
    fprintf(out, "usage: make loop TARGET=<core> [N=rounds] [K=slots] [BASE=<core>] [AGENT=...] [LUT=..] "
                 "[COREMARK=..]\n\ncores:\n");
    if (names.n == 0)
        fprintf(out, "  (none: add cores/<name>/core.yaml)\n");
    for (size_t i = 0; i < names.n; i++) {
        char *b = fsx_fmt("core-%s", names.v[i]);
        git_oid tip;
        char e2[256];
        records_log log;
        const char *state = "not evolved yet";
        char buf[200];
        if (repo_tip(r, b, &tip, e2, sizeof e2) == 0 && tour_load_log(r, names.v[i], NULL, &log, NULL, e2, sizeof e2) == 0) {
            const json_t *c = records_champion(&log);
            snprintf(buf, sizeof buf, "branch %s, %zu log entries%s", b, log.n, c ? ", champion " : "");
            if (c)
                snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s (%.1f it/s)",
                         json_string_value(json_object_get(c, "id")), json_number_value(json_object_get(c, "fitness")));
            state = buf;
            records_log_free(&log);
        }
        fprintf(out, "  %-20s %s\n", names.v[i], state);
        free(b);
    }
    free(dir);
    repo_strs_free(&names);
    repo_free(r);
    return 0;
}
