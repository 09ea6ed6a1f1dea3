/* slot.c — see slot.h. */
#include "orch/slot.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/blobid.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/export.h"
#include "orch/gcache.h"
#include "orch/guard.h"
#include "orch/hdlpre.h"
#include "orch/judge.h"
#include "orch/prompt.h"
#include "orch/sandbox.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

/* The most a core's exported tree may hold (RTL, tests, records). */
#define SLOT_TREE_MAX ((size_t)64 << 20)
/* An agent's hypothesis is a page of YAML; anything larger is not read. */
enum { SLOT_HYP_MAX = 64 * 1024 };

static void slot_broken(tour_slot *s, const char *gate, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void slot_broken(tour_slot *s, const char *gate, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    records_entry_set_broken(s->entry, gate, msg ? msg : "?");
    progress_say(s->env->prog, s->round_idx, s->slot, "broken: %s: %.300s", gate, msg ? msg : "?");
    free(msg);
}

static void slot_fatal(tour_slot *s, const char *msg)
{
    s->fatal = true;
    snprintf(s->fatal_msg, sizeof s->fatal_msg, "%s", msg);
    progress_say(s->env->prog, s->round_idx, s->slot, "error: %s", msg);
}

static void slot_agent_record(tour_slot *s, const agent_request *req, const agent_result *res)
{
    bool exited = !(res->spawn_failed || res->timed_out || res->cancelled || res->term_signal);
    records_entry_set_agent(s->entry, s->env->agent->name, exited, res->exit_code, res->timed_out,
                            req->transcript);
    records_entry_add_seconds(s->entry, "agent", res->seconds);
    s->agent_s += res->seconds;
}

/* The last non-empty line of a text (malloc'd; NULL for none). */
static char *slot_last_line(const char *text)
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
static int slot_agent_policy(tour_slot *s, agent_phase phase, const char *core_dir, const char *prompt,
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
static bool slot_refused_write(const agent_request *req, const char *tail)
{
    if (!req->confine || !req->confine->enabled || !tail)
        return false;
    return strstr(tail, "Read-only file system") ||
           (req->confine->drop_uid && strstr(tail, "Permission denied"));
}

/* Runs one agent phase with the guard around it. 0: go on; 1: the slot is
 * decided (broken, cancelled or fatal). */
static int slot_agent_phase(tour_slot *s, repo *r, agent_phase phase, const char *prompt)
{
    tour_env *env = s->env;
    const char *ph = phase == AGENT_HYPOTHESIS ? "hypothesis" : "implement";
    char err[TOUR_ERR];
    char *core_dir = fsx_fmt("%s/cores/%s", s->wt, env->o->target);
    char *hyp = fsx_fmt("%s/experiments/hypotheses/%s.yaml", core_dir, s->id);
    char *ppath = fsx_fmt("%s/prompt-%s.md", s->rundir, ph);
    char *tpath = fsx_fmt("%s/agent-%s.log", s->rundir, ph);
    char *schemas = fsx_fmt("%s/schemas", env->workdir);
    agent_request req = {phase, prompt, ppath, s->wt, tpath, env->o->agent_timeout, env->o->target, core_dir,
                         hyp, s->id, s->round, s->slot, NULL, schemas};
    agent_result res;
    memset(&res, 0, sizeof res);
    int out = 1;
    guard *g = NULL;
    confine_policy pol;
    if (!env->agent->in_process) {
        if (slot_agent_policy(s, phase, core_dir, ppath, &pol, err, sizeof err) != 0) {
            slot_fatal(s, err);
            goto done;
        }
        req.confine = &pol;
    }
    g = guard_take(r, env->o->target, s->id, err, sizeof err);
    if (!g) {
        slot_fatal(s, err);
        goto done;
    }
    progress_say(env->prog, s->round_idx, s->slot, "agent %s phase (%s)", ph, env->agent->name);
    if (agent_run(env->agent, &req, &res, err, sizeof err) != 0) {
        slot_fatal(s, err);
        goto done;
    }
    slot_agent_record(s, &req, &res);
    char how[256];
    agent_describe(&res, how, sizeof how);
    progress_say(env->prog, s->round_idx, s->slot, "agent %s: %s", ph, how);
    sandbox_report rep = {0};
    bool tampered = false;
    if (guard_check(r, g, &rep, &tampered, err, sizeof err) != 0) {
        slot_fatal(s, err);
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
        s->exhausted_why = slot_last_line(res.output_tail);
        progress_say(env->prog, s->round_idx, s->slot, "agent: nothing left to propose: %s",
                     s->exhausted_why ? s->exhausted_why : "");
    } else if (rep.count) {
        slot_broken(s, "sandbox", "during the %s phase, outside the slot worktree: %s", ph, rep.text);
    } else if (!agent_ok(&res) && slot_refused_write(&req, res.output_tail)) {
        /* The sandbox refused a write outside the phase's paths, and the
         * agent gave up on it: that is the violation, so name it. */
        slot_broken(s, "sandbox", "%s phase: the agent tried to write outside the paths it may change and its "
                    "sandbox refused (read-only file system%s); transcript %s; last output: %s", ph,
                    req.confine->drop_uid ? ", or permission denied to its unprivileged user" : "", tpath,
                    res.output_tail);
    } else if (!agent_ok(&res)) {
        slot_broken(s, "agent", "%s phase: the agent %s; transcript %s; last output: %s", ph, how, tpath,
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
    free(schemas);
    return out;
}

static prompt_ctx slot_prompt_ctx(tour_slot *s, const char *hyp_path)
{
    tour_env *env = s->env;
    size_t nrecent = env->log.n < 12 ? env->log.n : 12;
    prompt_ctx pc = {.target = env->o->target, .id = s->id, .round = s->round, .slot = s->slot,
                     .nslots = env->o->slots, .wt = s->wt, .hypothesis_path = hyp_path,
                     .schema_path = env->hyp_schema_path, .champion = records_champion(&env->log),
                     .recent = (const json_t *const *)env->log.v + (env->log.n - nrecent),
                     .nrecent = nrecent, .targets = &env->targets, .hypothesis = s->hyp,
                     .parent = s->parent_entry};
    return pc;
}

static int slot_hypothesis(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    char *dir = fsx_fmt("%s/cores/%s/experiments/hypotheses", s->wt, env->o->target);
    char *path = fsx_fmt("%s/%s.yaml", dir, s->id);
    int out = 1;
    if (!dir || !path || fsx_mkdirs(dir, 0755) != 0) {
        snprintf(err, sizeof err, "cannot create %s: %s", dir ? dir : "?", strerror(errno));
        slot_fatal(s, err);
        goto done;
    }
    prompt_ctx pc = slot_prompt_ctx(s, path);
    char *prompt = prompt_hypothesis(&pc);
    if (!prompt) {
        slot_fatal(s, "out of memory building the hypothesis prompt");
        goto done;
    }
    int rc = slot_agent_phase(s, r, AGENT_HYPOTHESIS, prompt);
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
    if (fsx_read_untrusted(path, SLOT_HYP_MAX, &text, &len, rerr, sizeof rerr) != 0) {
        if (errno == ENOENT)
            slot_broken(s, "hypothesis", "the agent wrote no hypothesis at %s", path);
        else
            slot_broken(s, "hypothesis", "the hypothesis file %s %s; the loop reads only a regular file of at "
                        "most %d KiB there", path, rerr, SLOT_HYP_MAX / 1024);
        goto done;
    }
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "cores/%s/experiments/hypotheses/%s.yaml", env->o->target, s->id);
    json_t *h = records_hyp_load(text, len, rel, s->id, env->hyp_schema, err, sizeof err);
    if (!h) {
        slot_broken(s, "hypothesis", "%s", err);
        free(text);
        goto done;
    }
    s->hyp = h;
    s->hyp_text = text;
    s->hyp_len = len;
    records_entry_set_hypothesis(s->entry, h);
    char *copy = fsx_fmt("%s/hypothesis.yaml", s->rundir);
    if (copy && fsx_write_atomic(copy, text, len) != 0) { /* a copy for the run directory only */ }
    free(copy);
    /* The hypothesis file is the loop's to commit; anything else the agent
     * wrote in this phase is reverted and reported. */
    unlink(path);
    char *changed = NULL;
    if (repo_slot_reset(r, s->id, s->wt, &s->parent, &changed, err, sizeof err) != 0) {
        slot_fatal(s, err);
        goto done;
    }
    if (changed) {
        progress_say(env->prog, s->round_idx, s->slot, "reverted what the hypothesis phase wrote besides "
                     "the hypothesis: %.400s", changed);
        char *note = fsx_fmt("hypothesis phase: reverted %s", changed);
        records_entry_set_diagnostic(s->entry, note ? note : "");
        free(note);
        free(changed);
    }
    records_entry_add_seconds(s->entry, "hypothesis", proc_now() - t0);
    progress_say(env->prog, s->round_idx, s->slot, "hypothesis: %s (%s)",
                 json_string_value(json_object_get(h, "title")), json_string_value(json_object_get(h, "category")));
    out = 0;
done:
    free(dir);
    free(path);
    return out;
}

static int slot_implement(tour_slot *s, repo *r)
{
    prompt_ctx pc = slot_prompt_ctx(s, NULL);
    char *prompt = prompt_implement(&pc);
    if (!prompt) {
        slot_fatal(s, "out of memory building the implementation prompt");
        return 1;
    }
    int rc = slot_agent_phase(s, r, AGENT_IMPLEMENT, prompt);
    free(prompt);
    return rc;
}

/* The id of cores/<T>/<area> in tree t into hex ("none" when absent). */
static void slot_area_id(tour_env *env, git_tree *t, const char *area, char hex[GIT_OID_HEXSZ + 1])
{
    git_tree_entry *e = NULL;
    char *path = fsx_fmt("cores/%s/%s", env->o->target, area);
    if (path && git_tree_entry_bypath(&e, t, path) == 0)
        git_oid_tostr(hex, GIT_OID_HEXSZ + 1, git_tree_entry_id(e));
    else
        snprintf(hex, GIT_OID_HEXSZ + 1, "none");
    git_tree_entry_free(e);
    free(path);
}

/* The key of the macro-expanded scan's verdict: the scan is a function of
 * what it reads (cores/<T>/rtl and test in the slot's tree), the
 * preprocessor's version and the scan's rules, i.e. this program (its own
 * bytes). NULL when one of them cannot be read: then no cache. */
static char *slot_hdlpre_key(tour_env *env, git_repository *g, const git_oid *stree)
{
    git_tree *t = NULL;
    char *key = NULL;
    char exe[BLOBID_HEX + 1], rtl[GIT_OID_HEXSZ + 1], test[GIT_OID_HEXSZ + 1];
    if (git_tree_lookup(&t, g, stree) == 0 && blobid_file("/proc/self/exe", exe) == 0) {
        slot_area_id(env, t, "rtl", rtl);
        slot_area_id(env, t, "test", test);
        key = fsx_fmt("hdlpre\ncore=%s\nrtl=%s\ntest=%s\nverilator=%s\nevo=%s\n", env->o->target, rtl, test,
                      toolver_get(env->tools, "verilator"), exe);
    }
    git_tree_free(t);
    return key;
}

/* hdlpre_check, unless an identical core tree passed it before: a clean
 * scan is kept in the gate cache (MAC'd, orch/gcache.h) under
 * slot_hdlpre_key, so an identical candidate skips ten preprocessor runs
 * (most of a warm slot's time). Only a clean scan is kept; an entry that
 * fails its check is deleted and the scan runs. */
static int slot_hdlpre(tour_slot *s, repo *r, const git_oid *stree, const char *scratch,
                       const confine_policy *confine, sandbox_report *rep, char *err, size_t n)
{
    tour_env *env = s->env;
    char *key = env->o->cache ? slot_hdlpre_key(env, repo_git(r), stree) : NULL;
    char cerr[256], why[512];
    gcache *c = key ? gcache_open(env->cache_dir, cerr, sizeof cerr) : NULL;
    json_t *hit = NULL;
    gcache_status st = c ? gcache_get(c, key, "hdlpre", &hit, why, sizeof why) : GCACHE_MISS;
    int rc = 0;
    if (st == GCACHE_HIT && json_is_true(json_object_get(hit, "pass"))) {
        progress_say(env->prog, s->round_idx, s->slot, "sandbox   HDL scan: this tree passed it before (cached)");
    } else {
        if (st == GCACHE_PLANTED)
            gcache_purge(c, key, "hdlpre");
        size_t before = rep->count;
        rc = hdlpre_check(repo_git(r), stree, env->o->target, scratch, confine, rep, err, n);
        if (rc == 0 && rep->count == before && c) {
            json_t *ok = gate_result_finish(gate_result_new("hdlpre"), "pass", "", NULL, proc_now());
            if (!ok || gcache_put(c, key, "hdlpre", ok) != 0) { /* only costs time next time */ }
            json_decref(ok);
        }
    }
    json_decref(hit);
    gcache_free(c);
    free(key);
    return rc;
}

static int slot_sandbox(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    double t0 = proc_now();
    const char *title = json_string_value(json_object_get(s->hyp, "title"));
    char *msg = fsx_fmt("%s: %s\n\nImplementation by %s, not yet measured.\n", s->id, title ? title : "?",
                        env->agent->name);
    bool changed = false;
    /* The sandbox's size limits, applied before staging: what is over them
     * is refused without being read into the object database. */
    int rc = repo_slot_commit(r, s->id, s->wt, &s->parent, SANDBOX_FILE_MAX, SANDBOX_CORE_MAX, msg, &s->commit,
                              &changed, err, sizeof err);
    free(msg);
    if (rc != 0) {
        slot_broken(s, "sandbox", "the agent's work cannot be committed: %s", err);
        return 1;
    }
    if (!changed) {
        slot_broken(s, "agent", "the implementation phase changed nothing under cores/%s/", env->o->target);
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
        (rep.count == 0 && slot_hdlpre(s, r, &stree, pp, env->confine.confined ? &pre : NULL, &rep, err,
                                       sizeof err) != 0)) {
        slot_broken(s, "sandbox", "the sandbox check could not run: %s", err);
    } else if (rep.count) {
        slot_broken(s, "sandbox", "%zu violation%s: %s", rep.count, rep.count == 1 ? "" : "s", rep.text);
    } else {
        out = 0;
    }
    git_repository_free(w);
    sandbox_report_free(&rep);
    free(pp);
    records_entry_add_seconds(s->entry, "sandbox", proc_now() - t0);
    if (out == 0)
        progress_say(env->prog, s->round_idx, s->slot, "sandbox   pass    %7.2f s", proc_now() - t0);
    return out;
}

/* Writes the committed tree out of the object store into a directory only
 * the orchestrator writes: from here on the gates read that, never the
 * agent's worktree, so nothing an agent left behind can change what is
 * judged between the sandbox check and the verdict. */
static int slot_export(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    char *dir = fsx_fmt("%s/trees", env->scratch);
    s->tree = fsx_fmt("%s/%s", dir ? dir : "?", s->id);
    char *prefix = fsx_fmt("cores/%s", env->o->target);
    int rc = -1;
    if (!dir || !s->tree || !prefix) {
        slot_fatal(s, "out of memory");
    } else if (fsx_mkdirs(dir, 0755) != 0 || (fsx_remove_tree(s->tree) != 0 && errno != ENOENT)) {
        snprintf(err, sizeof err, "cannot prepare %s: %s", s->tree, strerror(errno));
        slot_fatal(s, err);
    } else if (export_tree(repo_git(r), &s->commit, prefix, s->tree, SLOT_TREE_MAX, err, sizeof err) != 0) {
        slot_broken(s, "sandbox", "the committed tree cannot be exported for the gates: %s", err);
    } else {
        rc = 0;
    }
    free(dir);
    free(prefix);
    return rc;
}

static void slot_gates(tour_slot *s, repo *r)
{
    tour_env *env = s->env;
    char err[TOUR_ERR];
    double t0 = proc_now();
    judge_verdict tv;
    s->gated = true;
    if (slot_export(s, r) != 0)
        return;
    if (judge_run(env, r, s->tree, &s->commit, s->rundir, 0, s->entry, s->round_idx, s->slot, &tv, err,
                  sizeof err) != 0) {
        slot_fatal(s, err);
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
        slot_fatal(s, err);
    } else if (dirty) {
        slot_broken(s, "sandbox", "the slot's files changed while the gates ran: %s", dirty);
    } else {
        s->passed = true;
    }
    free(dirty);
    free(prefix);
}

static void *slot_main(void *p)
{
    tour_slot *s = p;
    tour_env *env = s->env;
    char err[TOUR_ERR];
    repo *r = NULL;
    s->t0 = proc_now();
    if (repo_open(&r, env->workdir, err, sizeof err) != 0) {
        slot_fatal(s, err);
        goto done;
    }
    s->rundir = fsx_fmt("%s/%s", env->runs, s->id);
    if (!s->rundir || fsx_mkdirs(s->rundir, 0755) != 0) {
        snprintf(err, sizeof err, "cannot create the run directory %s: %s", s->rundir ? s->rundir : "?",
                 strerror(errno));
        slot_fatal(s, err);
        goto done;
    }
    records_entry_set_rundir(s->entry, s->rundir);
    char owner[256];
    snprintf(owner, sizeof owner, "evo target=%s pid=%ld", env->o->target, (long)getpid());
    if (repo_slot_add(r, s->id, &s->parent, env->wtroot, owner, &s->wt, err, sizeof err) != 0) {
        slot_fatal(s, err);
        goto done;
    }
    if (slot_hypothesis(s, r) == 0 && slot_implement(s, r) == 0 && slot_sandbox(s, r) == 0)
        slot_gates(s, r);
done:
    if (proc_is_cancelled())
        s->cancelled = true;
    records_entry_set_finished(s->entry);
    s->wall = proc_now() - s->t0;
    repo_free(r);
    return NULL;
}


int slot_start(tour_slot *s, tour_env *env, int round, int slot_no, int round_idx, const git_oid *parent,
               const char *hex, const json_t *from)
{
    s->env = env;
    s->round = round;
    s->slot = slot_no;
    s->round_idx = round_idx;
    s->id = records_id(env->o->target, round, slot_no);
    git_oid_cpy(&s->parent, parent);
    s->entry = records_entry_new(s->id, env->o->target, round, slot_no, hex);
    if (from) {
        s->parent_entry = json_incref((json_t *)from);
        records_entry_set_parent_id(s->entry, json_string_value(json_object_get(from, "id")));
    }
    records_entry_set_confinement(s->entry, policy_json(&env->confine, env->agent->in_process, env->agent->net));
    records_entry_set_tools(s->entry, env->tools_json);
    if (pthread_create(&s->th, NULL, slot_main, s) != 0) {
        slot_fatal(s, "cannot start a slot thread");
        return -1;
    }
    return 0;
}

void slot_join(tour_slot *s)
{
    pthread_join(s->th, NULL);
}

void slot_drop(tour_slot *s)
{
    char err[TOUR_ERR];
    double t0 = proc_now();
    if (repo_slot_remove(s->env->r, s->id, err, sizeof err) != 0)
        fprintf(s->env->o->out, "warning: could not remove slot %s: %s (the next run retries)\n", s->id, err);
    s->wall += proc_now() - t0;
}

void slot_free(tour_slot *s)
{
    if (s->tree)
        fsx_remove_tree(s->tree);
    free(s->tree);
    free(s->home);
    free(s->writable[0]);
    free(s->writable[1]);
    free(s->id);
    free(s->wt);
    free(s->rundir);
    free(s->hyp_text);
    free(s->exhausted_why);
    json_decref(s->entry);
    json_decref(s->hyp);
    json_decref(s->parent_entry);
}
