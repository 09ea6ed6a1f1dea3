/* tournament.c — see tournament.h: the run (set-up, resume, rounds, stop).
 * A slot's life is slot.h's, a round's decision and commits settle.h's. */
#include "orch/tournament.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gates/fitset.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/forkcore.h"
#include "orch/covcheck.h"
#include "orch/judge.h"
#include "orch/parents.h"
#include "lib/safetext.h"
#include "orch/settle.h"
#include "orch/slot.h"
#include "lib/strbuf.h"
#include "orch/tourenv.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

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
    /* Before its first loop on this clone a core's history is what main
     * holds (a shipped core carries its log there). */
    bool on_main = rc == 1;
    if (on_main)
        rc = repo_tip(r, "main", &tip, err, n);
    if (rc != 0) {
        free(branch);
        return rc == 1 ? 1 : -1;
    }
    char *path = fsx_fmt("cores/%s/experiments/log.jsonl", target);
    char *text = NULL;
    size_t len = 0;
    rc = repo_read(r, &tip, path, &text, &len, err, n);
    if (rc == 1 && on_main) {
        free(branch);
        free(path);
        return 1;
    }
    if (rc == 0 || rc == 1) {
        char *name = fsx_fmt("%s (on %s)", path, on_main ? "main" : branch);
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
    free(branch);
    return rc;
}

/* Removes the entries of dir named by one of this target's slot ids. */
static void tour_recover_dirs(tour_env *env, const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (!records_id_belongs(de->d_name, env->o->target))
            continue;
        char *p = fsx_fmt("%s/%s", dir, de->d_name);
        if (p && fsx_remove_tree(p) == 0)
            fprintf(env->o->out, "recovered: removed directory %s\n", p);
        free(p);
    }
    if (d)
        closedir(d);
}

/* Removes path when it is a lock file left behind, saying so. */
static void tour_recover_lock(tour_env *env, const char *path)
{
    struct stat st;
    if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0)
        fprintf(env->o->out, "recovered: removed lock file %s left by an interrupted git write\n", path);
}

/* The entries "<prefix><id><suffix>" of dir whose id is one of this
 * target's slot ids: their lock files go (tour_recover_lock). */
static void tour_recover_locks_in(tour_env *env, const char *dir, const char *prefix, const char *suffix)
{
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;
    size_t lp = strlen(prefix), ls = strlen(suffix);
    while (d && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l <= lp + ls || strncmp(de->d_name, prefix, lp) != 0 || strcmp(de->d_name + l - ls, suffix) != 0)
            continue;
        char *id = strndup(de->d_name + lp, l - lp - ls);
        char *p = id && records_id_belongs(id, env->o->target) ? fsx_fmt("%s/%s", dir, de->d_name) : NULL;
        tour_recover_lock(env, p);
        free(p);
        free(id);
    }
    if (d)
        closedir(d);
}

/* A process killed inside a git write leaves its lock file (<ref>.lock,
 * <worktree>/index.lock), and git never takes one back: every later write
 * of that ref or index would fail. Those of this target's branches and
 * worktrees are only written by a run holding the target's lock, which we
 * hold, so any that exist are stale. */
static void tour_recover_locks(tour_env *env)
{
    const char *common = repo_commondir(env->r);
    const char *t = env->o->target;
    char *paths[] = {fsx_fmt("%s/refs/heads/core-%s.lock", common, t),
                     fsx_fmt("%s/worktrees/core-%s/index.lock", common, t)};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        tour_recover_lock(env, paths[i]);
        free(paths[i]);
    }
    char *slot_refs = fsx_fmt("%s/refs/heads/slot", common);
    tour_recover_locks_in(env, slot_refs, "", ".lock");
    free(slot_refs);
    char *passed = fsx_fmt("%s/refs/evo/%s/passed", common, t);
    tour_recover_locks_in(env, passed, "", ".lock");
    free(passed);
    char *wts = fsx_fmt("%s/worktrees", common);
    DIR *d = wts ? opendir(wts) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, "slot-", 5) != 0 || !records_id_belongs(de->d_name + 5, t))
            continue;
        char *p = fsx_fmt("%s/%s/index.lock", wts, de->d_name);
        tour_recover_lock(env, p);
        free(p);
    }
    if (d)
        closedir(d);
    free(wts);
}

/* Slot leftovers of this target from an interrupted run. */
static int tour_recover(tour_env *env, char *err, size_t n)
{
    tour_recover_locks(env);
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
     * git_worktree_add) are ours too when their name is one of our ids, and
     * so are the slots' exported trees (slot.h) under our scratch directory:
     * the lock we hold says no other run uses them. */
    char *slots = fsx_fmt("%s/.slots", env->wtroot);
    char *trees = fsx_fmt("%s/trees", env->scratch);
    if (rc == 0)
        tour_recover_dirs(env, slots);
    if (rc == 0)
        tour_recover_dirs(env, trees);
    free(slots);
    free(trees);
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


/* EXECUTOR=slurm: the gates' jobs are named evo-<target>-<pid>-..., unique to
 * this run, and run `<this program> gate ...` on the nodes. */
static int tour_executor(tour_env *env, char *err, size_t n)
{
    const tour_opts *o = env->o;
    if (!o->executor || strcmp(o->executor, "local") == 0)
        return 0;
    if (strcmp(o->executor, "slurm") != 0) {
        snprintf(err, n, "unknown executor '%s': use local or slurm", o->executor);
        return -1;
    }
    char exe[PATH_MAX];
    if (!realpath("/proc/self/exe", exe)) {
        snprintf(err, n, "cannot resolve /proc/self/exe (the program the Slurm jobs run): %s", strerror(errno));
        return -1;
    }
    char prefix[128];
    snprintf(prefix, sizeof prefix, "evo-%s-%ld", o->target, (long)getpid());
    executor_slurm_opts so = {.partition = o->partition, .extra = o->slurm_args, .exe = exe, .prefix = prefix,
                             .down_s = o->slurm_down_s};
    return (env->exec = executor_slurm_new(&so, err, n)) ? 0 : -1;
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
    return tour_executor(env, err, n);
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
    /* evo returns only once squeue lists none of its jobs (bounded). */
    int left = env->exec ? executor_drain(env->exec, NULL, EXECUTOR_DRAIN_S) : 0;
    if (left > 0 && env->o->out)
        fprintf(env->o->out, "evo: %d Slurm job(s) of this run still listed %d s after they were cancelled; "
                "check with squeue --me (the reaper cancels them again when evo exits)\n", left,
                (int)EXECUTOR_DRAIN_S);
    executor_free(env->exec);
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
    char *hex = tourenv_oid_hex(tip);
    json_t *e = records_entry_new(id, o->target, 0, 0, hex);
    char *rundir = fsx_fmt("%s/%s", env->runs, id);
    int rc = -1;
    progress_say(env->prog, 0, 0, "measuring the current design of %s through every gate (%s)", o->target, id);
    if (!rundir || fsx_mkdirs(rundir, 0755) != 0) {
        snprintf(err, n, "cannot create %s: %s", rundir ? rundir : "?", strerror(errno));
        goto out;
    }
    records_entry_set_rundir(e, rundir);
    records_entry_set_tools(e, env->tools_json);
    judge_verdict tv;
    if (judge_run(env, env->r, env->core_wt, tip, rundir, 0, e, 0, 0, &tv, err, n) != 0)
        goto out;
    bool passed = tv.passed;
    if (tv.cancelled) {
        rc = 2;
        goto out;
    }
    /* the core's coverage figures; nothing changed yet */
    if (covcheck_entry(env->r, NULL, env->core_wt, o->target, rundir, e, err, n) < 0)
        goto out;
    if (tv.gate_error || tv.planted) {
        /* Not a verdict on the design: record nothing, so that the next run
         * measures again once the environment is fixed. */
        snprintf(err, n, "the first measurement of %s could not run: gate %s: %.1500s\nnothing was recorded; "
                 "fix this (make setup installs missing tools) and run again",
                 o->target, json_string_value(json_object_get(e, "failed_gate")),
                 json_string_value(json_object_get(e, "diagnostic")));
        goto out;
    }
    records_entry_set_finished(e);
    json_t *current = NULL;
    if (passed) {
        records_entry_set_verdict(e, "improvement", true, "first measurement of the core: the initial champion");
        records_entry_set_commit(e, hex);
        settle_rtl_tree(env, e, tip);
        current = records_current(e, hex);
    } else {
        records_entry_set_verdict(e, NULL, false, NULL);
    }
    settle_lesson(e, NULL);
    rc = settle_commit_entry(env, e, NULL, 0, current, true, tip, err, n);
    json_decref(current);
    if (rc == 0) {
        settle_log_add(env, e);
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
 * with a stale champion and accept it: refuse instead. */
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
 * could be the champion, and its commits would carry the line along unread. */
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

/* Candidates are compared with the champion's figures, so they must be
 * measured on the champion's workload set (gates/fitset.h: its name is its
 * identity): a run whose gates would measure another set (COREMARK_DIR or
 * WORKLOADS differ) is refused before anything runs, and so is a set name
 * the gates cannot measure. */
static int tour_check_workload(const tour_env *env, char *err, size_t n)
{
    const json_t *c = records_champion(&env->log);
    const char *had = c ? json_string_value(json_object_get(c, "workload")) : NULL;
    const char *now = gate_workload();
    fitset set;
    char why[400];
    if (fitset_parse(now, &set, why, sizeof why) != 0) {
        snprintf(err, n, "WORKLOADS=%s: %s; nothing was run", now, why);
        return -1;
    }
    if (!had || strcmp(had, now) == 0)
        return 0;
    fitset old;
    bool cm_had = fitset_parse(had, &old, why, sizeof why) == 0 && fitset_has(&old, "coremark");
    bool cm_now = fitset_has(&set, "coremark");
    snprintf(err, n, "the champion of core-%s (%s) was measured on the workload set %s, but this run's gates would "
             "measure %s: fitness figures of two workload sets do not compare, so nothing was run. Run with "
             "WORKLOADS=%s%s (make loop does this by itself), or fork a new core to measure on %s",
             env->o->target, json_string_value(json_object_get(c, "id")), had, now, had,
             cm_had && !cm_now ? " and COREMARK_DIR pointing at a CoreMark checkout (make coremark-fetch makes one in "
                                 "third_party/coremark)"
             : !cm_had && cm_now ? " and COREMARK_DIR unset" : "",
             now);
    return -1;
}

/* When the agent itself failed in every slot (it exited non-zero, crashed or
 * timed out: failed_gate "agent") of TOUR_AGENT_FAIL_ROUNDS rounds in a row,
 * the next round would fail the same way: a missing login, a broken program,
 * a log it cannot read. The round is logged and the loop does not run the
 * rounds left, naming the first transcript. One such round is not enough:
 * a slot whose agent tried something the sandbox refused fails alone, and
 * the loop goes on. */
enum { TOUR_AGENT_FAIL_ROUNDS = 2 };

static void tour_agent_stop(tour_env *env, const tour_slot *slots, int k, int round, int round_idx, int rc)
{
    int agent_broken = 0;
    const json_t *first = NULL;
    for (int i = 0; i < k; i++) {
        const char *fg = json_string_value(json_object_get(slots[i].entry, "failed_gate"));
        if (fg && strcmp(fg, "agent") == 0 && !slots[i].exhausted) {
            agent_broken++;
            first = first ? first : slots[i].entry;
        }
    }
    env->agent_failed_rounds = rc == 0 && k > 0 && agent_broken == k ? env->agent_failed_rounds + 1 : 0;
    /* After the run's last round there is nothing left to stop. */
    if (env->agent_failed_rounds < TOUR_AGENT_FAIL_ROUNDS || env->stop_msg[0] || round_idx >= env->o->rounds)
        return;
    snprintf(env->stop_msg, sizeof env->stop_msg, "the agent failed in every slot of %d rounds in a row, the last "
             "round %d (%.1200s); the next round would fail the same way: the rounds are logged and the loop "
             "stops; read the transcript, fix the agent and run again", env->agent_failed_rounds, round,
             json_string_value(json_object_get(first, "diagnostic")));
}

/* Starts slot number slot_no from the design parents.h picks for it. A
 * design that cannot be set up (git failed) leaves the slot on the
 * champion, with a warning: the slot still runs. */
static int tour_slot_start(tour_env *env, const parents_pool *pool, tour_slot *s, int round, int slot_no,
                           int round_idx, const git_oid *tip)
{
    const parents_design *d = parents_pick(pool, round, slot_no, env->o->slots);
    const json_t *from = NULL;
    git_oid base;
    git_oid_cpy(&base, tip);
    if (d && !d->champion) {
        char err[TOUR_ERR];
        const char *id = json_string_value(json_object_get(d->entry, "id"));
        if (parents_base(env, tip, d, &base, err, sizeof err) == 0) {
            from = d->entry;
            progress_say(env->prog, round_idx, slot_no, "parent: %s (%.1f it/s), not the champion", id,
                         json_number_value(json_object_get(d->entry, "fitness")));
        } else {
            git_oid_cpy(&base, tip);
            progress_say(env->prog, round_idx, slot_no, "warning: cannot start from the design of %s (%s); this "
                         "slot starts from the champion", id, err);
        }
    }
    char *hex = tourenv_oid_hex(&base);
    int rc = slot_start(s, env, round, slot_no, round_idx, &base, hex, from);
    free(hex);
    return rc;
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
    char *hex = tourenv_oid_hex(tip);
    progress_say(env->prog, round_idx, 0, "round %d: %d slot%s from core-%s at %.10s", round, k, k == 1 ? "" : "s",
                 o->target, hex);
    free(hex);
    int started = 0;
    parents_pool pool;
    parents_plan(env, tip, round_idx, &pool);
    while (started < k && tour_slot_start(env, &pool, &slots[started], round, started + 1, round_idx, tip) == 0)
        started++;
    parents_pool_free(&pool);
    for (int i = 0; i < started; i++)
        slot_join(&slots[i]);

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
    } else if (settle_round(env, slots, k, tip, err, n) != 0) {
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
                 "stops. Widen the design space (knobs in core.yaml) or let a model propose: make loop TARGET=%s "
                 "AGENT=claude (or AGENT=codex, AGENT=cmd:<program>).",
                 slots[0].exhausted_why ? slots[0].exhausted_why : "no reason given", env->o->target);
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
    tour_agent_stop(env, slots, k, round, round_idx, rc);
    for (int i = 0; i < k; i++) {
        if (slots[i].id)
            slot_drop(&slots[i]);
        if (rc == 0 && slots[i].id)
            tour_note_overhead(env, &slots[i]);
        slot_free(&slots[i]);
    }
    free(slots);
    char serr[TOUR_ERR];
    if (repo_worktree_sync(env->core_wt, serr, sizeof serr) != 0 && rc == 0) {
        snprintf(err, n, "%s", serr);
        rc = 1;
    }
    return rc;
}

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

/* Every tool the gates of the table run must be installed: a missing one
 * would otherwise turn every slot into a gate error. */
static int tour_check_tools(const tour_opts *o, char *err, size_t n)
{
    char *missing = toolver_missing(o->gates, o->ngates);
    int rc = 0;
    if (missing && *missing) {
        snprintf(err, n, "missing tools: %s; install them with 'make setup' (bash tools/setup.sh)", missing);
        rc = -1;
    }
    free(missing);
    return rc;
}

/* What a run finds before it creates anything: whether core-<T> exists
 * (*fresh is true when this run would create it from main) and whether
 * runs/<T> exists. A core that is on neither core-<T> nor main, without a
 * BASE to fork it from, is refused here, before any branch, worktree or file
 * is made. */
static int tour_start_check(const char *repo_path, const tour_opts *o, bool *fresh, bool *runs_existed,
                            char *err, size_t n)
{
    repo *r = NULL;
    if (repo_open(&r, repo_path, err, n) != 0)
        return -1;
    char *branch = fsx_fmt("core-%s", o->target);
    char *runs = fsx_fmt("%s/runs/%s", repo_workdir(r), o->target);
    struct stat st;
    *runs_existed = runs && stat(runs, &st) == 0;
    git_oid tip;
    int rc = repo_tip(r, branch, &tip, err, n);
    *fresh = rc == 1;
    if (rc == 1) {
        rc = repo_tip(r, "main", &tip, err, n);
        if (rc == 1)
            snprintf(err, n, "the repository has no branch 'main' to start core-%s from", o->target);
    }
    if (rc == 0 && *fresh) {
        const char *core = o->base ? o->base : o->target;
        char *yaml = fsx_fmt("cores/%s/core.yaml", core);
        git_oid id;
        rc = repo_path_id(r, &tip, yaml, &id) == 0 ? 0 : -1;
        if (rc != 0)
            snprintf(err, n, "reading %s on main", yaml);
        else if (git_oid_is_zero(&id) && o->base)
            snprintf(err, n, "BASE=%s: there is no cores/%s/core.yaml on main to fork from; "
                     "make loop without TARGET lists the cores", o->base, o->base);
        else if (git_oid_is_zero(&id))
            snprintf(err, n, "there is no core '%s' (cores/%s/core.yaml is not on main and there is no "
                     "branch core-%s); fork one with BASE=<core>, e.g. make loop TARGET=%s BASE=baseline",
                     o->target, o->target, o->target, o->target);
        if (rc == 0 && git_oid_is_zero(&id))
            rc = -1;
        free(yaml);
    }
    free(branch);
    free(runs);
    repo_free(r);
    return rc == 0 ? 0 : -1;
}

/* A run that created core-<T> and failed before committing anything on it
 * takes back what it made: the worktree, the branch and (if it made it)
 * runs/<T>. The error that ended the run is what the user sees. */
static void tour_unstart(tour_env *env, const git_oid *fresh_tip, bool runs_existed)
{
    char e2[512];
    char *branch = fsx_fmt("core-%s", env->o->target);
    git_oid tip;
    int trc = branch ? repo_tip(env->r, branch, &tip, e2, sizeof e2) : -1;
    if (trc == 0 && !git_oid_is_zero(fresh_tip) && git_oid_equal(&tip, fresh_tip) &&
        repo_core_remove(env->r, env->o->target, e2, sizeof e2) == 0 &&
        repo_branch_drop(env->r, branch, fresh_tip, e2, sizeof e2) == 0)
        trc = 1;
    if (trc == 1 && !runs_existed && env->runs)
        fsx_remove_tree(env->runs);
    free(branch);
}

int tour_run(const char *repo_path, const tour_opts *o, char *err, size_t n)
{
    tour_env env;
    int rc = 1;
    bool fresh = false, runs_existed = true;
    git_oid fresh_tip;
    memset(&fresh_tip, 0, sizeof fresh_tip);
    if (records_core_name_check(o->target, err, n) != 0 || (o->check_tools && tour_check_tools(o, err, n) != 0) ||
        tour_start_check(repo_path, o, &fresh, &runs_existed, err, n) != 0) {
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
    if (trc == 0)
        git_oid_cpy(&fresh_tip, &tip);
    if (trc != 0 || tour_ensure_core(&env, &tip, err, n) != 0)
        goto out;
    git_oid_cpy(&fresh_tip, &tip);
    if (tour_load_cfg(&env, err, n) != 0)
        goto out;
    if (tour_load_log(env.r, o->target, env.log_schema, &env.log, NULL, err, n) < 0 ||
        tour_log_refuse(&env, err, n) != 0 || tour_check_workload(&env, err, n) != 0)
        goto out;
    env.tools_json = toolver_all_json(env.tools, o->gates, o->ngates);
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
    if (rc != 0 && fresh && env.r)
        tour_unstart(&env, &fresh_tip, runs_existed);
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
                 "[COREMARK=..] [PARENT=champion|topk:K]\n\ncores:\n");
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
