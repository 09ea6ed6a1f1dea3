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
#include "lib/utf8clip.h"
#include "orch/agent.h"
#include "orch/forkcore.h"
#include "orch/export.h"
#include "orch/guard.h"
#include "orch/policy.h"
#include "orch/hdlpre.h"
#include "orch/lock.h"
#include "orch/pipeline.h"
#include "orch/progress.h"
#include "orch/prompt.h"
#include "orch/report.h"
#include "orch/safetext.h"
#include "orch/sandbox.h"
#include "orch/sched.h"
#include "orch/strbuf.h"
#include "orch/toolver.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"
#include "agents/scribe.h"

enum { TOUR_ERR = 2048, TOUR_DIAG_MAX = 16000, TOUR_LESSON_MAX = 480 };
/* The most a core's exported tree may hold (RTL, tests, records). */
#define TOUR_TREE_MAX ((size_t)64 << 20)
/* An agent's hypothesis is a page of YAML; anything larger is not read. */
enum { TOUR_HYP_MAX = 64 * 1024 };
/* The gates whose figures decide a round: a winner that got them from the
 * gate cache runs them again, uncached, before it is merged. Both take
 * seconds (pnr's placements have their own netlist-keyed cache). */
static const char *const tour_fresh_gates[] = {"cosim", "coremark", NULL};

typedef struct {
    const tour_opts *o;
    repo *r;
    char *workdir, *wtroot, *build, *runs, *runs_root, *scratch, *core_wt, *cache_dir;
    policy_paths paths; /* what agents and tools may not touch */
    policy_mode confine;
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
    char *tree; /* the committed tree the gates judge (exported, orchestrator-only) */
    char *writable[3]; /* the current agent phase's writable paths (NULL-terminated) */
    char *home;        /* the current phase's private HOME (a model CLI's), removed after it */
    json_t *entry, *hyp;
    char *hyp_text;
    size_t hyp_len;
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
    /* Keep the end: diagnostics are tails, the last lines matter. */
    char *o = strdup(s + utf8clip_tail(s, len, max));
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
    confine_policy tools;
    policy_tools(&env->confine, &env->paths, tree, rundir, &tools);
    gate_ctx ctx = {.tree = tree, .core = env->o->target, .harness = env->workdir, .build = env->build,
                    .rundir = rundir, .core_cfg = env->core_cfg, .quick = env->o->quick,
                    .confine = env->confine.confined ? &tools : NULL};
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
    int rc = tour_gates(env, env->r, s->tree, &s->commit, dir, fresh, s->entry, s->round_idx, s->slot, &tv, err,
                        n);
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

/* The sandbox of one agent phase: the hypothesis phase may write only the
 * hypotheses directory, the implementation phase only the core's rtl/ and
 * test/. The paths are created first (bind mounts need them) and, when the
 * agent runs as an unprivileged user, given to that user. The strings live
 * in the slot's scratch buffers below, for as long as the policy. */
static int tour_agent_policy(tour_slot *s, agent_phase phase, const char *core_dir, const char *prompt,
                             confine_policy *pol, char *err, size_t n)
{
    tour_env *env = s->env;
    char *w[3] = {NULL, NULL, NULL};
    if (phase == AGENT_HYPOTHESIS) {
        w[0] = fsx_fmt("%s/experiments/hypotheses", core_dir);
    } else {
        w[0] = fsx_fmt("%s/rtl", core_dir);
        w[1] = fsx_fmt("%s/test", core_dir);
    }
    size_t nw = phase == AGENT_HYPOTHESIS ? 1 : 2;
    int rc = 0;
    for (size_t i = 0; i < nw && rc == 0; i++) {
        if (!w[i] || fsx_mkdirs(w[i], 0755) != 0 ||
            (env->confine.confined && env->confine.drop_uid && confine_chown_tree(w[i]) != 0)) {
            snprintf(err, n, "cannot prepare the agent's writable directory %s: %s", w[i] ? w[i] : "?",
                     strerror(errno));
            rc = -1;
        }
    }
    free(s->home);
    s->home = NULL;
    if (rc == 0 && env->agent->home_files) {
        s->home = fsx_fmt("%s/homes/%s-%s", env->scratch, s->id, phase == AGENT_HYPOTHESIS ? "h" : "i");
        char *parent = fsx_fmt("%s/homes", env->scratch);
        if (!s->home || !parent || fsx_mkdirs(parent, 0711) != 0 || chmod(parent, 0711) != 0 ||
            (fsx_remove_tree(s->home) != 0 && errno != ENOENT)) {
            snprintf(err, n, "cannot prepare the agent's private home under %s: %s", env->scratch, strerror(errno));
            rc = -1;
        } else if (policy_home(&env->confine, s->home, env->agent->home_files, err, n) != 0) {
            rc = -1;
        }
        free(parent);
    }
    if (rc == 0) {
        free(s->writable[0]);
        free(s->writable[1]);
        s->writable[0] = w[0];
        s->writable[1] = w[1];
        s->writable[2] = NULL;
        policy_agent(&env->confine, &env->paths, s->wt, (const char *const *)s->writable, prompt, s->home,
                     env->agent->exe_dir, env->agent->net, pol);
    } else {
        free(w[0]);
        free(w[1]);
    }
    return rc;
}

/* Did the sandbox refuse one of the agent's writes (as its output says)?
 * Read-only mounts answer EROFS; for an agent running as the unprivileged
 * user, a file it does not own answers EACCES first. */
static bool tour_refused_write(const agent_request *req, const char *tail)
{
    if (!req->confine || !req->confine->enabled || !tail)
        return false;
    return strstr(tail, "Read-only file system") ||
           (req->confine->drop_uid && strstr(tail, "Permission denied"));
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
                         hyp, s->id, s->round, s->slot, NULL};
    agent_result res;
    memset(&res, 0, sizeof res);
    int out = 1;
    guard *g = NULL;
    confine_policy pol;
    if (!env->agent->in_process) {
        if (tour_agent_policy(s, phase, core_dir, ppath, &pol, err, sizeof err) != 0) {
            tour_fatal(s, err);
            goto done;
        }
        req.confine = &pol;
    }
    g = guard_take(r, env->o->target, s->id, err, sizeof err);
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
    } else if (!agent_ok(&res) && tour_refused_write(&req, res.output_tail)) {
        /* The sandbox refused a write outside the phase's paths, and the
         * agent gave up on it: that is the violation, so name it. */
        tour_broken(s, "sandbox", "%s phase: the agent tried to write outside the paths it may change and its "
                    "sandbox refused (read-only file system%s); transcript %s; last output: %s", ph,
                    req.confine->drop_uid ? ", or permission denied to its unprivileged user" : "", tpath,
                    res.output_tail);
    } else if (!agent_ok(&res)) {
        tour_broken(s, "agent", "%s phase: the agent %s; transcript %s; last output: %s", ph, how, tpath,
                    res.output_tail ? res.output_tail : "");
    } else {
        out = 0;
    }
    sandbox_report_free(&rep);
done:
    if (s->home) /* it holds a copy of the user's login */
        fsx_remove_tree(s->home);
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
    if (h && !verr[0])
        records_hyp_check_text(h, verr, sizeof verr); /* names the field; before the schema, whose message quotes */
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
    s->hyp_len = len;
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
    /* The macro-expanded scan only after the raw checks passed: it relies on
     * their size and include limits. */
    char *pp = fsx_fmt("%s/sandbox-pp", s->rundir);
    /* The preprocessor reads agent-written HDL: it runs in the tools' sandbox,
     * writing only the slot's run directory. */
    confine_policy pre;
    policy_tools(&env->confine, &env->paths, s->rundir, s->rundir, &pre);
    if (repo_commit_tree(r, &s->parent, &ptree, err, sizeof err) != 0 ||
        repo_commit_tree(r, &s->commit, &stree, err, sizeof err) != 0 ||
        sandbox_check_trees(repo_git(r), &ptree, &stree, env->o->target, &rep, err, sizeof err) != 0 ||
        repo_slot_open(r, s->id, s->wt, &w, err, sizeof err) != 0 ||
        sandbox_check_worktree(w, s->wt, &stree, &rep, err, sizeof err) != 0 ||
        (rep.count == 0 && hdlpre_check(repo_git(r), &stree, env->o->target, pp,
                                       env->confine.confined ? &pre : NULL, &rep, err, sizeof err) != 0)) {
        tour_broken(s, "sandbox", "the sandbox check could not run: %s", err);
    } else if (rep.count) {
        tour_broken(s, "sandbox", "%zu violation%s: %s", rep.count, rep.count == 1 ? "" : "s", rep.text);
    } else {
        out = 0;
    }
    git_repository_free(w);
    sandbox_report_free(&rep);
    free(pp);
    tour_gate_seconds(s->entry, "sandbox", proc_now() - t0);
    if (out == 0)
        progress_say(env->prog, s->round_idx, s->slot, "sandbox   pass    %7.2f s", proc_now() - t0);
    return out;
}

/* Writes the committed tree out of the object store into a directory only
 * the orchestrator writes: from here on the gates read that, never the
 * agent's worktree, so nothing an agent left behind can change what is
 * judged between the sandbox check and the verdict. */
static int tour_export(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    char *dir = fsx_fmt("%s/trees", env->scratch);
    s->tree = fsx_fmt("%s/%s", dir ? dir : "?", s->id);
    char *prefix = fsx_fmt("cores/%s", env->o->target);
    int rc = -1;
    if (!dir || !s->tree || !prefix) {
        tour_fatal(s, "out of memory");
    } else if (fsx_mkdirs(dir, 0755) != 0 || (fsx_remove_tree(s->tree) != 0 && errno != ENOENT)) {
        snprintf(err, sizeof err, "cannot prepare %s: %s", s->tree, strerror(errno));
        tour_fatal(s, err);
    } else if (export_tree(repo_git(r), &s->commit, prefix, s->tree, TOUR_TREE_MAX, err, sizeof err) != 0) {
        tour_broken(s, "sandbox", "the committed tree cannot be exported for the gates: %s", err);
    } else {
        rc = 0;
    }
    free(dir);
    free(prefix);
    return rc;
}

static void tour_slot_gates(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    double t0 = proc_now();
    tour_verdict tv;
    s->gated = true;
    if (tour_export(s, r) != 0)
        return;
    if (tour_gates(env, r, s->tree, &s->commit, s->rundir, 0, s->entry, s->round_idx, s->slot, &tv, err,
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

/* The blob at path in commit `at` with add[0..add_len) appended (a missing
 * file is empty; a missing final newline is supplied). Bytes with lengths
 * end to end: a NUL byte in the file must never cut it (issue 17 item 8). */
static char *tour_append(tour_env *env, const git_oid *at, const char *path, const char *add, size_t add_len,
                         size_t *out_len, char *err, size_t n)
{
    char *old = NULL;
    size_t len = 0;
    int rc = repo_read(env->r, at, path, &old, &len, err, n);
    if (rc < 0)
        return NULL;
    char *out = records_text_append(old, len, add, add_len, out_len);
    if (!out)
        snprintf(err, n, "out of memory appending to %s", path);
    free(old);
    return out;
}

/* core.yaml with current: rewritten by yamljson_set_current. */
static char *tour_core_yaml(tour_env *env, const git_oid *at, const json_t *current, size_t *out_len, char *err,
                            size_t n)
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
    else if (fsx_read(tmp, &out, out_len) != 0)
        snprintf(err, n, "cannot read back %s: %s", tmp, strerror(errno));
    unlink(tmp);
    free(tmp);
    free(yaml);
    return out;
}

/* What one slot's record changes on core-<T>: its log line, its lesson, its
 * hypothesis file; core.yaml current: and the chart when asked. The edits
 * point into buffers the record owns. */
enum { TOUR_RECORD_MAX = 5 };
typedef struct {
    repo_edit e[TOUR_RECORD_MAX];
    size_t n;
    char *owned[2 * TOUR_RECORD_MAX];
    size_t nowned;
} tour_record;

static void tour_record_free(tour_record *rec)
{
    for (size_t i = 0; i < rec->nowned; i++)
        free(rec->owned[i]);
    memset(rec, 0, sizeof *rec);
}

/* Adds an edit of path to data[0..len); the record frees path and `own`
 * (data itself, or NULL when data is borrowed). */
static void tour_record_add(tour_record *rec, char *path, const char *data, size_t len, char *own)
{
    rec->owned[rec->nowned++] = path;
    rec->owned[rec->nowned++] = own;
    rec->e[rec->n++] = (repo_edit){path, data, len, 0};
}

/* The chart as the log will be after the record: a PNG (malloc'd) or NULL
 * with a warning, never an error (the chart is informative). */
static char *tour_chart(tour_env *env, json_t *entry, size_t *len)
{
    char *png = NULL;
    json_t **v = malloc((env->log.n + 1) * sizeof *v);
    if (!v)
        return NULL;
    records_log with = env->log;
    if (env->log.n)
        memcpy(v, env->log.v, env->log.n * sizeof *v);
    v[env->log.n] = entry;
    with.v = v;
    with.n = env->log.n + 1;
    char *tmp_png = fsx_fmt("%s/progress.png", env->scratch);
    char cerr[512] = "out of memory";
    if (!tmp_png || report_chart(&with, env->o->target, tmp_png, env->scratch, cerr, sizeof cerr) != 0 ||
        fsx_read(tmp_png, &png, len) != 0) {
        fprintf(env->o->out, "warning: progress chart not updated: %s\n", cerr);
        free(png);
        png = NULL;
    }
    free(tmp_png);
    free(v);
    return png;
}

static int tour_record_build(tour_env *env, json_t *entry, const char *hyp_text, size_t hyp_len,
                             const json_t *current, bool chart, const git_oid *at, tour_record *rec,
                             char *err, size_t n)
{
    const char *t = env->o->target;
    const char *id = json_string_value(json_object_get(entry, "id"));
    memset(rec, 0, sizeof *rec);
    char *line = records_line(entry, env->log_schema, err, n);
    if (!line)
        return -1;
    char *lesson = records_lesson_line(entry);
    char *log_path = fsx_fmt("cores/%s/experiments/log.jsonl", t);
    char *les_path = fsx_fmt("cores/%s/LESSONS.md", t);
    size_t log_len = 0, les_len = 0;
    char *log_text = NULL, *les_text = NULL;
    if (!lesson || !log_path || !les_path)
        snprintf(err, n, "out of memory");
    else if ((log_text = tour_append(env, at, log_path, line, strlen(line), &log_len, err, n)))
        les_text = tour_append(env, at, les_path, lesson, strlen(lesson), &les_len, err, n);
    free(line);
    free(lesson);
    if (!les_text) {
        free(log_path);
        free(les_path);
        free(log_text);
        return -1;
    }
    tour_record_add(rec, log_path, log_text, log_len, log_text);
    tour_record_add(rec, les_path, les_text, les_len, les_text);
    if (hyp_text)
        tour_record_add(rec, fsx_fmt("cores/%s/experiments/hypotheses/%s.yaml", t, id), hyp_text, hyp_len, NULL);
    if (current) {
        size_t ylen = 0;
        char *yaml = tour_core_yaml(env, at, current, &ylen, err, n);
        if (!yaml) {
            tour_record_free(rec);
            return -1;
        }
        tour_record_add(rec, fsx_fmt("cores/%s/core.yaml", t), yaml, ylen, yaml);
    }
    size_t png_len = 0;
    char *png = chart ? tour_chart(env, entry, &png_len) : NULL;
    if (png)
        tour_record_add(rec, fsx_fmt("cores/%s/experiments/progress.png", t), png, png_len, png);
    for (size_t i = 0; i < rec->n; i++)
        if (!rec->e[i].path) {
            snprintf(err, n, "out of memory");
            tour_record_free(rec);
            return -1;
        }
    return 0;
}

/* One "log: <id> <outcome>" commit on core-<T> carrying the slot's record. */
static int tour_commit_entry(tour_env *env, json_t *entry, const char *hyp_text, size_t hyp_len,
                             const json_t *current, bool chart, git_oid *tip, char *err, size_t n)
{
    tour_record rec;
    if (tour_record_build(env, entry, hyp_text, hyp_len, current, chart, tip, &rec, err, n) != 0)
        return -1;
    char *msg = fsx_fmt("log: %s %s\n", json_string_value(json_object_get(entry, "id")),
                        json_string_value(json_object_get(entry, "outcome")));
    char *branch = fsx_fmt("core-%s", env->o->target);
    git_oid next;
    int rc = -1;
    if (!msg || !branch)
        snprintf(err, n, "out of memory");
    else
        rc = repo_commit_edits(env->r, branch, tip, rec.e, rec.n, msg, &next, err, n);
    if (rc == 0)
        git_oid_cpy(tip, &next);
    free(branch);
    free(msg);
    tour_record_free(&rec);
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

/* Records the id of the cores/<T>/rtl tree the gates measured in `commit`:
 * what the champion check compares with the branch tip (tour_check_champion). */
static void tour_set_rtl_tree(tour_env *env, json_t *entry, const git_oid *commit)
{
    char *path = fsx_fmt("cores/%s/rtl", env->o->target);
    git_oid id;
    if (path && repo_path_id(env->r, commit, path, &id) == 0 && !git_oid_is_zero(&id)) {
        char *hex = tour_oid_hex(&id);
        json_object_set_new(entry, "rtl_tree", hex ? json_string(hex) : json_null());
        free(hex);
    }
    free(path);
}

/* "<id>: <title> (+x.x%)" and a body; the agent's text escaped, so no
 * control character reaches a commit message (issue 17 item 11). */
static char *tour_merge_message(tour_env *env, const tour_slot *w)
{
    char delta[32];
    records_delta_str(w->entry, delta, sizeof delta);
    const json_t *title = json_object_get(w->hyp, "title"), *prose = json_object_get(w->hyp, "hypothesis");
    char *t = safetext_escape(json_is_string(title) ? json_string_value(title) : "?",
                              json_is_string(title) ? json_string_length(title) : 1, false);
    char *p = safetext_escape(json_is_string(prose) ? json_string_value(prose) : "",
                              json_is_string(prose) ? json_string_length(prose) : 0, true);
    char *msg = t && p ? fsx_fmt("%s: %s (%s)\n\n%s\n\nfitness %.1f it/s; hypothesis %s; run %s\n\nThis commit also "
                                 "records the slot: its line in cores/%s/experiments/log.jsonl, its lesson, its "
                                 "hypothesis file and core.yaml current:.\n", w->id, t, delta, p,
                                 json_number_value(json_object_get(w->entry, "fitness")), w->id, w->rundir,
                                 env->o->target)
                       : NULL;
    free(t);
    free(p);
    return msg;
}

/* Merges the round's winner into core-<T> as one commit that also carries
 * its record (log line, lesson, hypothesis file, core.yaml current:, and the
 * chart when `chart`), so the branch never holds a merged design without its
 * log line. 0 merged (tip moved), 1 the merge conflicted (the entry is now a
 * regression, nothing committed), -1 error. */
static int tour_merge_winner(tour_env *env, tour_slot *w, bool chart, git_oid *tip, char *err, size_t n)
{
    json_t *current = records_current(w->entry, NULL);
    tour_record rec;
    int rc = tour_record_build(env, w->entry, w->hyp_text, w->hyp_len, current, chart, tip, &rec, err, n);
    json_decref(current);
    if (rc != 0)
        return -1;
    char *msg = tour_merge_message(env, w);
    char *branch = fsx_fmt("core-%s", env->o->target);
    git_oid merged;
    rc = -1;
    if (!msg || !branch)
        snprintf(err, n, "out of memory");
    else
        rc = repo_merge(env->r, branch, &w->commit, rec.e, rec.n, msg, &merged, err, n);
    tour_record_free(&rec);
    free(msg);
    free(branch);
    if (rc == 0)
        git_oid_cpy(tip, &merged);
    if (rc == 1) {
        json_object_set_new(w->entry, "outcome", json_string("regression"));
        json_object_set_new(w->entry, "accepted", json_false());
        tour_set_str(w->entry, "accept_reason", err, 480, true);
    }
    return rc;
}

static void tour_say_logged(tour_env *env, const tour_slot *s, bool merged)
{
    char d[32];
    records_delta_str(s->entry, d, sizeof d);
    progress_say(env->prog, s->round_idx, s->slot, "%s %s%s%s", json_string_value(json_object_get(s->entry, "outcome")),
                 d, merged ? " -> merged into core-" : "", merged ? env->o->target : "");
}

/* The slot whose record is the round's last commit (it carries the chart):
 * the last logged slot other than `skip`, or -1. */
static int tour_last_logged(const tour_slot *slots, int k, int skip)
{
    int last = -1;
    for (int i = 0; i < k; i++)
        if (!slots[i].cancelled && !slots[i].exhausted && i != skip)
            last = i;
    return last;
}

/* Decides the round and writes its commits: the winner's merge (with its
 * record) first, then one log commit per other slot in slot order. -1 with
 * err on a failure of git or of the disk: the branch then stays at the last
 * finished commit, and every commit made is a design with its record. */
static int tour_finish_round(tour_env *env, tour_slot *slots, int k, git_oid *tip, char *err, size_t n)
{
    const json_t *champ = records_champion(&env->log);
    for (int i = 0; i < k; i++)
        if (slots[i].gated)
            tour_set_rtl_tree(env, slots[i].entry, &slots[i].commit);
    int winner = tour_decide(env, slots, k, champ, err, n);
    if (winner == -2)
        return -1;

    if (winner >= 0) {
        tour_slot *w = &slots[winner];
        double t0 = proc_now();
        tour_set_lesson(w->entry, champ);
        int mrc = tour_merge_winner(env, w, tour_last_logged(slots, k, winner) < 0, tip, err, n);
        w->wall += proc_now() - t0;
        if (mrc < 0)
            return -1;
        if (mrc == 0) {
            tour_log_add(env, w->entry);
            tour_say_logged(env, w, true);
        } else {
            winner = -1; /* logged below as the regression it became */
        }
    }
    int last = tour_last_logged(slots, k, winner);
    int rc = 0;
    for (int i = 0; i < k && rc == 0; i++) {
        tour_slot *s = &slots[i];
        if (s->cancelled || s->exhausted || i == winner)
            continue;
        double t0 = proc_now();
        tour_set_lesson(s->entry, champ);
        rc = tour_commit_entry(env, s->entry, s->hyp_text, s->hyp_len, NULL, i == last, tip, err, n);
        if (rc == 0) {
            tour_log_add(env, s->entry);
            tour_say_logged(env, s, false);
        }
        s->wall += proc_now() - t0; /* bookkeeping belongs to the slot's overhead */
    }
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
                fprintf(warn, "warning: %s (line skipped)\n", log->warnings[i]);
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
    env->runs_root = fsx_fmt("%s/runs", env->workdir);
    env->runs = fsx_fmt("%s/%s", env->runs_root ? env->runs_root : "?", o->target);
    env->scratch = fsx_fmt("%s/.evo", env->runs);
    env->cache_dir = fsx_fmt("%s/gate-cache", env->build);
    if (!env->workdir || !env->wtroot || !env->build || !env->runs_root || !env->runs || !env->scratch ||
        !env->cache_dir) {
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
    /* Private homes of agents a killed run left behind hold copies of the
     * user's login: gone before anything else runs. */
    char *homes = fsx_fmt("%s/homes", env->scratch);
    if (homes)
        fsx_remove_tree(homes);
    free(homes);
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
    free(env->runs_root);
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
        tour_set_rtl_tree(env, e, tip);
        current = records_current(e, hex);
    } else {
        json_object_set_new(e, "accepted", json_false());
    }
    tour_set_lesson(e, NULL);
    rc = tour_commit_entry(env, e, NULL, 0, current, true, tip, err, n);
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
        const json_t *title = json_object_get(h, "title");
        /* The title is the agent's: escaped before it reaches the terminal. */
        char *safe = json_is_string(title) ? safetext_escape(json_string_value(title), json_string_length(title), false)
                                           : NULL;
        fprintf(out, "%-26s %5lld %4lld %-16s %12s %8s  %s\n", json_string_value(json_object_get(e, "id")),
                (long long)json_integer_value(json_object_get(e, "round")),
                (long long)json_integer_value(json_object_get(e, "slot")),
                json_string_value(json_object_get(e, "outcome")), fit, d,
                gate ? gate : (safe ? safe : ""));
        free(safe);
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

/* The id of the cores/<T>/rtl tree the champion was measured on: its
 * rtl_tree, or (entries written before rtl_tree existed) that tree in its
 * commit. */
static int tour_champion_tree(tour_env *env, const json_t *c, git_oid *out, char *err, size_t n)
{
    const char *id = json_string_value(json_object_get(c, "id"));
    const char *tree = json_string_value(json_object_get(c, "rtl_tree"));
    const char *commit = json_string_value(json_object_get(c, "commit"));
    git_oid cid;
    char *path = fsx_fmt("cores/%s/rtl", env->o->target);
    int rc = -1;
    if (tree && git_oid_fromstr(out, tree) == 0)
        rc = 0;
    else if (commit && git_oid_fromstr(&cid, commit) == 0 && path && repo_path_id(env->r, &cid, path, out) == 0 &&
             !git_oid_is_zero(out))
        rc = 0;
    else
        snprintf(err, n, "the champion %s in cores/%s/experiments/log.jsonl names no design this repository holds "
                 "(rtl_tree %s, commit %s): the loop cannot tell what the next slots are compared with; restore "
                 "the log on core-%s and run again", id ? id : "?", env->o->target, tree ? tree : "none",
                 commit ? commit : "none", env->o->target);
    free(path);
    return rc;
}

/* Every slot is judged against the champion recorded in the log, so the
 * design at the tip (what the slots start from) must be that champion's. A
 * tip whose design has no record (a merge cut off from its log line by a
 * crash of an older evo, a commit made by hand) would compare a regression
 * with a stale champion and accept it (issue 17 item 5): refuse instead. */
static int tour_check_champion(tour_env *env, const git_oid *tip, char *err, size_t n)
{
    const json_t *c = records_champion(&env->log);
    if (!c)
        return 0; /* nothing passed yet: there is no parent to compare with */
    git_oid want, have;
    if (tour_champion_tree(env, c, &want, err, n) != 0)
        return -1;
    char *path = fsx_fmt("cores/%s/rtl", env->o->target);
    int rc = path ? repo_path_id(env->r, tip, path, &have) : -1;
    free(path);
    if (rc != 0) {
        snprintf(err, n, "cannot read cores/%s/rtl at the tip of core-%s", env->o->target, env->o->target);
        return -1;
    }
    if (git_oid_equal(&want, &have))
        return 0;
    char tsh[12], wsh[12], hsh[12];
    repo_short(tip, tsh);
    repo_short(&want, wsh);
    repo_short(&have, hsh);
    snprintf(err, n, "core-%s (at %s) holds a design without its record: cores/%s/rtl there is tree %s, but the "
             "champion in cores/%s/experiments/log.jsonl, %s, was measured on tree %s; every slot would be judged "
             "against the wrong parent, so nothing was run. Put the branch back on the champion's design (git log "
             "core-%s shows the commits; git -C %s reset --hard <the champion's commit>) and run again",
             env->o->target, tsh, env->o->target, hsh, env->o->target,
             json_string_value(json_object_get(c, "id")), wsh, env->o->target,
             env->core_wt ? env->core_wt : "<the core worktree>");
    return -1;
}

/* The loop never runs on a log it cannot read whole: a line it left out
 * could be the champion, and its commits would carry the line along unread
 * (issue 17 item 8). */
static int tour_log_refuse(const tour_env *env, char *err, size_t n)
{
    if (env->log.nwarn == 0)
        return 0;
    snprintf(err, n, "%s%s: the loop does not run on a log it cannot read whole; repair or remove the line on "
             "core-%s (in %s, then commit there) and run again; nothing was changed", env->log.warnings[0],
             env->log.nwarn > 1 ? " (and more lines after it)" : "", env->o->target,
             env->core_wt ? env->core_wt : "the core worktree");
    return -1;
}

/* One round. 0 ok, 1 error (err), 2 interrupted. */
static int tour_round(tour_env *env, int round_idx, git_oid *tip, char *err, size_t n)
{
    const tour_opts *o = env->o;
    if (tour_check_champion(env, tip, err, n) != 0)
        return 1;
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
        json_object_set_new(s->entry, "confinement",
                            policy_json(&env->confine, env->agent->in_process, env->agent->net));
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
        if (slots[i].tree)
            fsx_remove_tree(slots[i].tree);
        free(slots[i].tree);
        free(slots[i].home);
        free(slots[i].writable[0]);
        free(slots[i].writable[1]);
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
/* Decides, once per run, how agents and tools are confined (policy.h). */
static int tour_confine_init(tour_env *env, char *err, size_t n)
{
    env->paths = (policy_paths){.workdir = env->workdir, .commondir = repo_commondir(env->r),
                                .wtroot = env->wtroot, .runs_root = env->runs_root,
                                .cache_dir = env->cache_dir, .build = env->build};
    bool in_process = !env->agent || env->agent->in_process;
    if (policy_decide(&env->paths, env->o->unconfined, in_process, env->o->agent_net, &env->confine, err, n) != 0)
        return -1;
    if (!env->confine.confined)
        fprintf(env->o->out, "warning: %s run without confinement (%s); every record of this run says so\n",
                in_process ? "the gates' tools" : "the agent and the gates' tools", env->confine.why);
    return 0;
}

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
    if (records_core_name_check(o->target, err, n) != 0 || (o->check_tools && tour_check_tools(o, err, n) != 0)) {
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
    if (tour_load_log(env.r, o->target, env.log_schema, &env.log, NULL, err, n) < 0 || tour_log_refuse(&env, err, n) != 0)
        goto out;
    env.tools_json = toolver_all_json(env.tools);
    if (o->rounds > 0 && agent_open(o->agent, &env.agent, err, n) != 0)
        goto out;
    if (tour_confine_init(&env, err, n) != 0)
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
    if (records_core_name_check(target, err, n) != 0 || repo_open(&r, repo_path, err, n) != 0)
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
