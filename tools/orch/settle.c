/* settle.c — see settle.h. */
#include "orch/settle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agents/scribe.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/judge.h"
#include "orch/parents.h"
#include "orch/remeasure.h"
#include "orch/report.h"
#include "lib/safetext.h"
#include "yamljson/yamljson.h"

enum { TOUR_HYP_MAX = 64 * 1024 };

/* Before a winner is merged, its fitness-deciding gates that came from the
 * cache run again uncached, and must agree with it (pipeline.h, fresh).
 * 0: the slot still passes; 1: it no longer does (its entry says why);
 * -1: the pipeline itself failed (err). */
static int settle_reverify(tour_env *env, tour_slot *s, char *err, size_t n)
{
    unsigned fresh = judge_fitness_gates(env);
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
    judge_verdict tv;
    double t0 = proc_now();
    int rc = judge_run(env, env->r, s->tree, &s->commit, dir, fresh, s->entry, s->round_idx, s->slot, &tv, err,
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
    records_entry_clear_decision(s->entry);
    return 1;
}

/* records_decide() over the slots; a winner that its re-verification
 * strikes out is no longer passed, and the round is decided again without
 * it; one whose gain is inside the noise is placed again with more seeds
 * (remeasure.h) and the round decided again on its new figures. The
 * winner's index, -1 for none, -2 on an error (err). */
static int settle_decide(tour_env *env, tour_slot *slots, int k, const json_t *champ, char *err, size_t n)
{
    size_t nk = k > 0 ? (size_t)k : 0; /* the round's slot count, never negative */
    json_t **entries = calloc(nk, sizeof *entries);
    bool *passed = calloc(nk, sizeof *passed);
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
        int rv = winner >= 0 ? settle_reverify(env, &slots[winner], err, n) : 0;
        if (rv == 0 && winner >= 0)
            rv = remeasure_winner(env, &slots[winner], err, n);
        if (rv < 0)
            winner = -2;
        again = rv == 1;
    }
    free(entries);
    free(passed);
    return winner;
}

/* The blob at path in commit `at` with add[0..add_len) appended (a missing
 * file is empty; a missing final newline is supplied). Bytes with lengths
 * end to end: a NUL byte in the file must never cut it. */
static char *settle_append(tour_env *env, const git_oid *at, const char *path, const char *add, size_t add_len,
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
static char *settle_core_yaml(tour_env *env, const git_oid *at, const json_t *current, size_t *out_len, char *err,
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
enum { SETTLE_RECORD_MAX = 5 };
typedef struct {
    repo_edit e[SETTLE_RECORD_MAX];
    size_t n;
    char *owned[2 * SETTLE_RECORD_MAX];
    size_t nowned;
} settle_record;

static void settle_record_free(settle_record *rec)
{
    for (size_t i = 0; i < rec->nowned; i++)
        free(rec->owned[i]);
    memset(rec, 0, sizeof *rec);
}

/* Adds an edit of path to data[0..len); the record frees path and `own`
 * (data itself, or NULL when data is borrowed). */
static void settle_record_add(settle_record *rec, char *path, const char *data, size_t len, char *own)
{
    rec->owned[rec->nowned++] = path;
    rec->owned[rec->nowned++] = own;
    rec->e[rec->n++] = (repo_edit){path, data, len, 0};
}

/* The chart as the log will be after the record: a PNG (malloc'd) or NULL
 * with a warning, never an error (the chart is informative). */
static char *settle_chart(tour_env *env, json_t *entry, size_t *len)
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

static int settle_record_build(tour_env *env, json_t *entry, const char *hyp_text, size_t hyp_len,
                               const json_t *current, bool chart, const git_oid *at, settle_record *rec,
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
    else if ((log_text = settle_append(env, at, log_path, line, strlen(line), &log_len, err, n)))
        les_text = settle_append(env, at, les_path, lesson, strlen(lesson), &les_len, err, n);
    free(line);
    free(lesson);
    if (!les_text) {
        free(log_path);
        free(les_path);
        free(log_text);
        return -1;
    }
    settle_record_add(rec, log_path, log_text, log_len, log_text);
    settle_record_add(rec, les_path, les_text, les_len, les_text);
    if (hyp_text)
        settle_record_add(rec, fsx_fmt("cores/%s/experiments/hypotheses/%s.yaml", t, id), hyp_text, hyp_len, NULL);
    if (current) {
        size_t ylen = 0;
        char *yaml = settle_core_yaml(env, at, current, &ylen, err, n);
        if (!yaml) {
            settle_record_free(rec);
            return -1;
        }
        settle_record_add(rec, fsx_fmt("cores/%s/core.yaml", t), yaml, ylen, yaml);
    }
    size_t png_len = 0;
    char *png = chart ? settle_chart(env, entry, &png_len) : NULL;
    if (png)
        settle_record_add(rec, fsx_fmt("cores/%s/experiments/progress.png", t), png, png_len, png);
    for (size_t i = 0; i < rec->n; i++)
        if (!rec->e[i].path) {
            snprintf(err, n, "out of memory");
            settle_record_free(rec);
            return -1;
        }
    return 0;
}

/* One "log: <id> <outcome>" commit on *tip carrying the slot's record;
 * core-<T> moves there when `publish`. */
static int settle_entry_commit(tour_env *env, json_t *entry, const char *hyp_text, size_t hyp_len,
                               const json_t *current, bool chart, bool publish, git_oid *tip, char *err, size_t n)
{
    settle_record rec;
    if (settle_record_build(env, entry, hyp_text, hyp_len, current, chart, tip, &rec, err, n) != 0)
        return -1;
    char *msg = fsx_fmt("log: %s %s\n", json_string_value(json_object_get(entry, "id")),
                        json_string_value(json_object_get(entry, "outcome")));
    char *branch = fsx_fmt("core-%s", env->o->target);
    git_oid next;
    int rc = -1;
    if (!msg || !branch)
        snprintf(err, n, "out of memory");
    else
        rc = repo_commit_edits(env->r, publish ? branch : NULL, tip, rec.e, rec.n, msg, &next, err, n);
    if (rc == 0)
        git_oid_cpy(tip, &next);
    free(branch);
    free(msg);
    settle_record_free(&rec);
    return rc;
}

int settle_commit_entry(tour_env *env, json_t *entry, const char *hyp_text, size_t hyp_len,
                        const json_t *current, bool chart, git_oid *tip, char *err, size_t n)
{
    return settle_entry_commit(env, entry, hyp_text, hyp_len, current, chart, true, tip, err, n);
}

/* Adds the entry to the in-memory log (the champion may change). */
void settle_log_add(tour_env *env, json_t *entry)
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
void settle_lesson(json_t *entry, const json_t *champ)
{
    char *lesson = scribe_lesson(entry, champ); /* the builtin scribe */
    records_entry_set_lesson(entry, lesson ? lesson : "");
    free(lesson);
}

/* Records the id of the cores/<T>/rtl tree the gates measured in `commit`:
 * what the champion check compares with the branch tip (tour_check_champion). */
void settle_rtl_tree(tour_env *env, json_t *entry, const git_oid *commit)
{
    char *path = fsx_fmt("cores/%s/rtl", env->o->target);
    git_oid id;
    if (path && repo_path_id(env->r, commit, path, &id) == 0 && !git_oid_is_zero(&id)) {
        char *hex = tourenv_oid_hex(&id);
        records_entry_set_rtl_tree(entry, hex);
        free(hex);
    }
    free(path);
}

/* "<id>: <title> (+x.x%)" and a body; the agent's text escaped, so no
 * control character reaches a commit message. */
static char *settle_merge_message(tour_env *env, const tour_slot *w)
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

/* A winner that started from another design than the champion
 * (PARENT=topk) is merged as one commit on the tip whose cores/<T>/rtl and
 * test are exactly the winner's (no three-way merge, which could mix the two
 * designs), with its record: core-<T> stays linear. */
static int settle_merge_exact(tour_env *env, const tour_slot *w, const git_oid *head, const settle_record *rec,
                              const char *msg, git_oid *merged, char *err, size_t n)
{
    char *rtl = fsx_fmt("cores/%s/rtl", env->o->target), *test = fsx_fmt("cores/%s/test", env->o->target);
    const char *dirs[] = {rtl, test, NULL};
    int rc = -1;
    if (!rtl || !test)
        snprintf(err, n, "out of memory");
    else
        rc = repo_commit_overlay(env->r, NULL, head, &w->commit, dirs, rec->e, rec->n, msg, merged, err, n);
    free(rtl);
    free(test);
    return rc;
}

/* Merges the round's winner onto *head as one commit that also carries its
 * record (log line, lesson, hypothesis file, core.yaml current:, and the
 * chart when `chart`), so no commit holds a merged design without its log
 * line. Nothing is published: settle_round moves the branch once. 0 merged
 * (*head moved), 1 the merge conflicted (the entry is now a regression,
 * nothing committed), -1 error. */
static int settle_merge_winner(tour_env *env, tour_slot *w, bool chart, git_oid *head, char *err, size_t n)
{
    json_t *current = records_current(w->entry, NULL);
    settle_record rec;
    int rc = settle_record_build(env, w->entry, w->hyp_text, w->hyp_len, current, chart, head, &rec, err, n);
    json_decref(current);
    if (rc != 0)
        return -1;
    char *msg = settle_merge_message(env, w);
    git_oid merged;
    rc = -1;
    if (!msg)
        snprintf(err, n, "out of memory");
    else if (w->parent_entry)
        rc = settle_merge_exact(env, w, head, &rec, msg, &merged, err, n);
    else
        rc = repo_merge(env->r, NULL, head, &w->commit, rec.e, rec.n, msg, &merged, err, n);
    settle_record_free(&rec);
    free(msg);
    if (rc == 0)
        git_oid_cpy(head, &merged);
    if (rc == 1) {
        records_entry_set_verdict(w->entry, "regression", false, err);
    }
    return rc;
}

static void settle_say_logged(tour_env *env, const tour_slot *s, bool merged)
{
    char d[32];
    records_delta_str(s->entry, d, sizeof d);
    progress_say(env->prog, s->round_idx, s->slot, "%s %s%s%s", json_string_value(json_object_get(s->entry, "outcome")),
                 d, merged ? " -> merged into core-" : "", merged ? env->o->target : "");
}

/* The slot whose record is the round's last commit (it carries the chart):
 * the last logged slot other than `skip`, or -1. */
static int settle_last_logged(const tour_slot *slots, int k, int skip)
{
    int last = -1;
    for (int i = 0; i < k; i++)
        if (!slots[i].cancelled && !slots[i].exhausted && i != skip)
            last = i;
    return last;
}

/* Takes back the entries settle_round added to the run's log and summary
 * beyond the first nlog / nsum when its commits were never published. */
static void settle_log_unwind(tour_env *env, size_t nlog, size_t nsum)
{
    while (env->log.n > nlog)
        json_decref(env->log.v[--env->log.n]);
    while (json_array_size(env->summary) > nsum)
        json_array_remove(env->summary, json_array_size(env->summary) - 1);
}

/* Decides the round and writes its commits: the winner's merge (with its
 * record) first, then one log commit per other slot in slot order, all
 * built on the tip in memory; then the branch moves to the last of them
 * with one compare-and-swap, so a round is on core-<T> whole or not at all
 * (a kill between two of its commits loses no slot's record). -1 with err
 * on a failure of git or of the disk: the branch then stays where it was. */
int settle_round(tour_env *env, tour_slot *slots, int k, git_oid *tip, char *err, size_t n)
{
    const json_t *champ = records_champion(&env->log);
    for (int i = 0; i < k; i++)
        if (slots[i].gated)
            settle_rtl_tree(env, slots[i].entry, &slots[i].commit);
    int winner = settle_decide(env, slots, k, champ, err, n);
    if (winner == -2)
        return -1;

    size_t nlog = env->log.n, nsum = json_array_size(env->summary);
    git_oid head;
    git_oid_cpy(&head, tip);
    if (winner >= 0) {
        tour_slot *w = &slots[winner];
        double t0 = proc_now();
        settle_lesson(w->entry, champ);
        int mrc = settle_merge_winner(env, w, settle_last_logged(slots, k, winner) < 0, &head, err, n);
        w->wall += proc_now() - t0;
        if (mrc < 0)
            return -1;
        if (mrc == 0)
            settle_log_add(env, w->entry); /* the chart of a later record shows it */
        else
            winner = -1; /* logged below as the regression it became */
    }
    int last = settle_last_logged(slots, k, winner);
    int rc = 0;
    for (int i = 0; i < k && rc == 0; i++) {
        tour_slot *s = &slots[i];
        if (s->cancelled || s->exhausted || i == winner)
            continue;
        double t0 = proc_now();
        settle_lesson(s->entry, champ);
        rc = settle_entry_commit(env, s->entry, s->hyp_text, s->hyp_len, NULL, i == last, false, &head, err, n);
        if (rc == 0)
            settle_log_add(env, s->entry);
        s->wall += proc_now() - t0; /* bookkeeping belongs to the slot's overhead */
    }
    char *branch = fsx_fmt("core-%s", env->o->target);
    if (rc == 0 && !branch) {
        snprintf(err, n, "out of memory");
        rc = -1;
    }
    /* The designs kept for PARENT=topk: their refs before the branch moves,
     * the pruning after (parents.h says why either order is safe). */
    if (rc == 0)
        parents_keep(env, slots, k, winner);
    if (rc == 0 && !git_oid_equal(&head, tip))
        rc = repo_set_tip(env->r, branch, tip, &head, err, n);
    free(branch);
    if (rc != 0) {
        settle_log_unwind(env, nlog, nsum);
        return -1;
    }
    git_oid_cpy(tip, &head);
    if (k > 0)
        parents_prune(env, slots[0].round_idx);
    if (winner >= 0)
        settle_say_logged(env, &slots[winner], true);
    for (int i = 0; i < k; i++)
        if (!slots[i].cancelled && !slots[i].exhausted && i != winner)
            settle_say_logged(env, &slots[i], false);
    return 0;
}
