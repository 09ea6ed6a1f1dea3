/* parents.c — see parents.h. */
#include "orch/parents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "lib/strbuf.h"

static const char *parents_id(const json_t *e)
{
    const char *id = json_string_value(json_object_get(e, "id"));
    return id ? id : "?";
}

/* The run log's top K (records_topk), malloc'd; *m how many. */
static const json_t **parents_top(tour_env *env, size_t *m)
{
    size_t k = (size_t)env->o->parent_k;
    const json_t **top = calloc(k, sizeof *top);
    *m = top ? records_topk(&env->log, k, top) : 0;
    return top;
}

static bool parents_in(const json_t *const *top, size_t m, const char *id)
{
    for (size_t i = 1; i < m; i++)
        if (strcmp(parents_id(top[i]), id) == 0)
            return true;
    return false;
}

/* Does the ref's commit hold the design the entry measured? A ref moved by
 * hand to another commit must not pass that commit off as the entry's. */
static bool parents_same_design(tour_env *env, const git_oid *commit, const json_t *e)
{
    git_oid have, want;
    char *path = fsx_fmt("cores/%s/rtl", env->o->target);
    const char *tree = json_string_value(json_object_get(e, "rtl_tree"));
    bool ok = path && tree && git_oid_fromstr(&want, tree) == 0 && repo_path_id(env->r, commit, path, &have) == 0 &&
              git_oid_equal(&have, &want);
    free(path);
    return ok;
}

void parents_plan(tour_env *env, const git_oid *tip, int round_idx, parents_pool *pool)
{
    int k = env->o->parent_k;
    pool->n = 0;
    pool->v = calloc(k > 1 ? (size_t)k : 1, sizeof *pool->v);
    if (!pool->v)
        return;
    pool->v[0] = (parents_design){records_champion(&env->log), true, *tip};
    pool->n = 1;
    if (k < 2 || !pool->v[0].entry)
        return;
    size_t m;
    const json_t **top = parents_top(env, &m);
    strbuf offered = {0}, missing = {0};
    for (size_t i = 1; i < m; i++) {
        const char *id = parents_id(top[i]);
        git_oid c;
        char err[TOUR_ERR];
        int rc = repo_passed_get(env->r, env->o->target, id, &c, err, sizeof err);
        if (rc == 0 && parents_same_design(env, &c, top[i])) {
            pool->v[pool->n++] = (parents_design){top[i], false, c};
            strbuf_addf(&offered, ", %s (%.1f it/s)", id, json_number_value(json_object_get(top[i], "fitness")));
        } else {
            strbuf_addf(&missing, "%s%s (%s)", missing.len ? ", " : "", id,
                        rc == 1 ? "its ref is missing" : rc == 0 ? "its ref holds another design" : err);
        }
    }
    progress_say(env->prog, round_idx, 0, "parents (PARENT=topk:%d): champion %s (%.1f it/s)%s%s%s%s", k,
                 parents_id(pool->v[0].entry), json_number_value(json_object_get(pool->v[0].entry, "fitness")),
                 offered.len ? offered.s : "", m < (size_t)k ? "; fewer designs than K have passed every gate" : "",
                 missing.len ? "; not offered: " : "", missing.len ? missing.s : "");
    strbuf_free(&offered);
    strbuf_free(&missing);
    free(top);
    parents_prune(env, round_idx);
}

void parents_pool_free(parents_pool *pool)
{
    free(pool->v);
    pool->v = NULL;
    pool->n = 0;
}

const parents_design *parents_pick(const parents_pool *pool, int round, int slot, int nslots)
{
    if (pool->n <= 1 || slot <= 1 || round < 1)
        return pool->n ? &pool->v[0] : NULL;
    size_t off = (size_t)(round - 1) * (size_t)(nslots - 1) + (size_t)(slot - 2);
    return &pool->v[off % pool->n];
}

int parents_base(tour_env *env, const git_oid *tip, const parents_design *d, git_oid *base, char *err, size_t n)
{
    if (d->champion) {
        git_oid_cpy(base, tip);
        return 0;
    }
    const char *t = env->o->target;
    char *rtl = fsx_fmt("cores/%s/rtl", t), *test = fsx_fmt("cores/%s/test", t);
    char *msg = fsx_fmt("evo: a slot starts from the design of %s (PARENT=topk)\n", parents_id(d->entry));
    const char *dirs[] = {rtl, test, NULL};
    int rc = -1;
    if (!rtl || !test || !msg)
        snprintf(err, n, "out of memory");
    else
        rc = repo_commit_overlay(env->r, NULL, tip, &d->commit, dirs, NULL, 0, msg, base, err, n);
    free(rtl);
    free(test);
    free(msg);
    return rc;
}

void parents_keep(tour_env *env, const tour_slot *slots, int k, int winner)
{
    if (env->o->parent_k < 2)
        return;
    size_t m;
    const json_t **top = parents_top(env, &m);
    for (int i = 0; i < k; i++) {
        const tour_slot *s = &slots[i];
        const char *o = json_string_value(json_object_get(s->entry, "outcome"));
        if (i == winner || !s->passed || !o || strcmp(o, "regression") != 0 || !parents_in(top, m, s->id))
            continue;
        char err[TOUR_ERR];
        if (repo_passed_set(env->r, env->o->target, s->id, &s->commit, err, sizeof err) != 0)
            progress_say(env->prog, s->round_idx, s->slot, "warning: %s; this design will not be offered as a "
                         "parent", err);
    }
    free(top);
}

void parents_prune(tour_env *env, int round_idx)
{
    if (env->o->parent_k < 2)
        return;
    size_t m;
    const json_t **top = parents_top(env, &m);
    repo_strs ids = {0};
    char err[TOUR_ERR];
    if (!top || repo_passed_list(env->r, env->o->target, &ids, err, sizeof err) != 0) {
        progress_say(env->prog, round_idx, 0, "warning: the designs kept for PARENT=topk were not pruned: %s",
                     top ? err : "out of memory");
        free(top);
        return;
    }
    for (size_t i = 0; i < ids.n; i++) {
        if (parents_in(top, m, ids.v[i]))
            continue;
        if (repo_passed_drop(env->r, env->o->target, ids.v[i], err, sizeof err) != 0)
            progress_say(env->prog, round_idx, 0, "warning: %s (the next round tries again)", err);
    }
    repo_strs_free(&ids);
    free(top);
}
