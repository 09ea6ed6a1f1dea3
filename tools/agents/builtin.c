/* builtin.c — see builtin.h. */
#include "agents/builtin.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agents/agents.h"
#include "agents/knobmodel.h"
#include "agents/rtlparam.h"
#include "lib/fsx.h"
#include "records/records.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

enum { BI_ERR = 1024, BI_SHOW = 12, BI_CITE = 3 };

static void bi_say(FILE *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bi_say(FILE *log, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log, fmt, ap);
    va_end(ap);
    fputc('\n', log);
    fflush(log);
}

/* ---- inputs ------------------------------------------------------------- */

typedef struct {
    json_t *cfg;     /* core.yaml */
    km_space space;
    json_t **cur;    /* per knob: the RTL value */
    json_t **log;    /* entries */
    size_t nlog;
} bi_inputs;

static void bi_inputs_free(bi_inputs *in)
{
    for (size_t k = 0; in->cur && k < in->space.n; k++)
        json_decref(in->cur[k]);
    free(in->cur);
    for (size_t i = 0; i < in->nlog; i++)
        json_decref(in->log[i]);
    free(in->log);
    km_space_free(&in->space);
    json_decref(in->cfg);
    memset(in, 0, sizeof *in);
}

/* A knob's file must be a plain path under rtl/: the sandbox lets agents
 * change rtl/ and test/, and knobs are design parameters. */
static bool bi_rtl_path(const char *f)
{
    return f && strncmp(f, "rtl/", 4) == 0 && f[4] && !strstr(f, "..") && !strstr(f, "//") && f[0] != '/';
}

static int bi_load_space(const char *core_dir, bi_inputs *in, FILE *log)
{
    char err[BI_ERR];
    char *path = fsx_fmt("%s/core.yaml", core_dir);
    in->cfg = path ? yamljson_load_file(path, err, sizeof err) : NULL;
    if (!in->cfg) {
        bi_say(log, "builtin agent: cannot read %s: %s", path ? path : "core.yaml", path ? err : "out of memory");
        free(path);
        return -1;
    }
    free(path);
    if (km_space_load(in->cfg, &in->space, err, sizeof err) != 0) {
        bi_say(log, "builtin agent: %s/core.yaml: %s", core_dir, err);
        return -1;
    }
    for (size_t k = 0; k < in->space.n; k++)
        if (!bi_rtl_path(in->space.v[k].file)) {
            bi_say(log, "builtin agent: %s/core.yaml: knob %s names file '%s'; a knob's file must be under rtl/",
                   core_dir, in->space.v[k].name, in->space.v[k].file);
            return -1;
        }
    return 0;
}

static int bi_read_current(const char *core_dir, bi_inputs *in, FILE *log)
{
    in->cur = calloc(in->space.n, sizeof *in->cur);
    if (!in->cur)
        return -1;
    for (size_t k = 0; k < in->space.n; k++) {
        const km_knob *kd = &in->space.v[k];
        char *path = fsx_fmt("%s/%s", core_dir, kd->file);
        char *text = NULL;
        char err[BI_ERR];
        if (!path || fsx_read(path, &text, NULL) != 0) {
            bi_say(log, "builtin agent: knob %s: cannot read %s: %s", kd->name, path ? path : kd->file,
                   strerror(errno));
            free(path);
            return -1;
        }
        in->cur[k] = rtlparam_get(text, kd->file, kd->parameter, err, sizeof err);
        free(text);
        free(path);
        if (!in->cur[k]) {
            bi_say(log, "builtin agent: knob %s: %s", kd->name, err);
            return -1;
        }
        if (km_value_index(kd, in->cur[k]) < 0) {
            char v[64];
            rtlparam_value_str(in->cur[k], v, sizeof v);
            bi_say(log, "note: knob %s is %s in %s, which is not one of its declared values", kd->name, v, kd->file);
        }
    }
    return 0;
}

/* <core_dir>/../../schemas/<name> (the repository's schemas next to cores/),
 * or NULL when it is not there. */
static char *bi_find_schema(const builtin_job *j, const char *given, const char *name)
{
    if (given)
        return strdup(given);
    char *p = fsx_fmt("%s/../../schemas/%s", j->core_dir, name);
    struct stat st;
    if (p && stat(p, &st) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

/* log.jsonl through records, as strictly as the loop reads it: a line that
 * is not a JSON object, has a duplicate key or (when the log schema is
 * found) does not match it is an error, since a line left out could be the
 * champion and the plan would start from the wrong design. A missing file is
 * an empty log. */
static int bi_read_log(const builtin_job *j, const char *path, bi_inputs *in, FILE *log)
{
    char *text = NULL;
    size_t len = 0;
    if (fsx_read(path, &text, &len) != 0) {
        if (errno == ENOENT)
            return 0;
        bi_say(log, "builtin agent: cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char err[BI_ERR];
    char *sp = bi_find_schema(j, j->log_schema_path, "log_entry.schema.json");
    json_t *schema = sp ? schema_load(sp, err, sizeof err) : NULL;
    records_log rl = {0};
    int rc = -1;
    if (sp && !schema)
        bi_say(log, "builtin agent: cannot load the log schema %s: %s", sp, err);
    else if (records_log_parse(text, len, path, schema, &rl) != 0)
        bi_say(log, "builtin agent: out of memory reading %s", path);
    else if (rl.nwarn > 0)
        bi_say(log, "builtin agent: %s%s: the builtin agent plans only from a log it can read whole; repair or "
               "remove the line and run again", rl.warnings[0], rl.nwarn > 1 ? " (and more lines after it)" : "");
    else
        rc = 0;
    if (rc == 0) {
        in->log = rl.v;
        in->nlog = rl.n;
        rl.v = NULL;
        rl.n = 0;
    }
    records_log_free(&rl);
    json_decref(schema);
    free(sp);
    free(text);
    return rc;
}

static int bi_load(const builtin_job *j, bi_inputs *in, bool with_log, FILE *log)
{
    memset(in, 0, sizeof *in);
    if (bi_load_space(j->core_dir, in, log) != 0 || bi_read_current(j->core_dir, in, log) != 0)
        return -1;
    if (!with_log)
        return 0;
    char *lp = j->log_path ? strdup(j->log_path) : fsx_fmt("%s/experiments/log.jsonl", j->core_dir);
    int rc = lp ? bi_read_log(j, lp, in, log) : -1;
    free(lp);
    return rc;
}

/* ---- targets -------------------------------------------------------------- */

static double bi_after(const char *s, const char *key)
{
    const char *p = s ? strstr(s, key) : NULL;
    return p ? strtod(p + strlen(key), NULL) : 0;
}

accept_targets builtin_targets_from_prompt(const char *prompt)
{
    accept_targets t = {0, 0, 0};
    const char *line = prompt ? strstr(prompt, "Accept rule with targets:") : NULL;
    if (!line)
        return t;
    const char *end = strchr(line, '\n');
    size_t l = end ? (size_t)(end - line) : strlen(line);
    char *copy = strndup(line, l);
    if (!copy)
        return t;
    t.coremark = bi_after(copy, "COREMARK=");
    t.lut = bi_after(copy, "LUT=");
    free(copy);
    return t;
}

char *builtin_parent_from_prompt(const char *prompt)
{
    static const char key[] = "\nParent design: ";
    const char *p = prompt ? strstr(prompt, key) : NULL;
    if (!p)
        return NULL;
    p += strlen(key);
    size_t l = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
    return l >= 3 && l <= 64 ? strndup(p, l) : NULL;
}

static double bi_env_num(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtod(v, NULL) : 0;
}

/* EVO_COREMARK / EVO_LUT, else the job's (the prompt's), else core.yaml. */
static accept_targets bi_targets(const builtin_job *j, const json_t *cfg, const char **src)
{
    accept_targets t = {bi_env_num("EVO_COREMARK"), bi_env_num("EVO_LUT"), 0};
    *src = "EVO_COREMARK/EVO_LUT";
    if (t.coremark > 0 || t.lut > 0)
        return t;
    t = j->targets;
    *src = "the request";
    if (t.coremark > 0 || t.lut > 0)
        return t;
    t = builtin_targets_from_prompt(j->prompt);
    *src = "the prompt's accept rule";
    if (t.coremark > 0 || t.lut > 0)
        return t;
    const json_t *ct = json_object_get(cfg, "targets");
    t.coremark = json_number_value(json_object_get(ct, "coremark"));
    t.lut = json_number_value(json_object_get(ct, "lut"));
    *src = "core.yaml targets";
    return t;
}

unsigned long long builtin_seed_from_env(void)
{
    const char *s = getenv("EVO_SEED");
    if (!s || !*s)
        return 1;
    return strtoull(s, NULL, 0);
}

/* ---- prose ---------------------------------------------------------------- */

static const char *bi_metric_name[KM_NMETRIC] = {"cycles", "Fmax", "LCs"};

static double bi_round1(double x)
{
    double r = round(x * 10.0) / 10.0;
    return r == 0 ? 0.0 : r; /* no "-0.0" */
}

static const char *bi_entry_id(const json_t *e)
{
    const char *id = json_string_value(json_object_get(e, "id"));
    return id ? id : "?";
}

static void bi_champion_desc(FILE *f, const json_t *champ)
{
    if (!champ) {
        fprintf(f, "the base design (no champion measured yet)");
        return;
    }
    /* With a parent design (PARENT=topk) the plan's base is a regression. */
    const char *o = json_string_value(json_object_get(champ, "outcome"));
    fprintf(f, "%s %s (fitness %.1f it/s", o && strcmp(o, "improvement") != 0 ? "parent design" : "champion",
            bi_entry_id(champ), json_number_value(json_object_get(champ, "fitness")));
    double c = km_entry_figure(champ, KM_CYC), fm = km_entry_figure(champ, KM_FMAX), l = km_entry_figure(champ, KM_LUT);
    if (!isnan(c))
        fprintf(f, ", %.0f cycles", c);
    if (!isnan(fm))
        fprintf(f, ", Fmax %.2f MHz", fm);
    if (!isnan(l))
        fprintf(f, ", %.0f LCs", l);
    fprintf(f, ")");
}

static void bi_move_desc(FILE *f, const km_space *sp, const km_move *m, const char *sep)
{
    for (int a = 0; a < m->nk; a++) {
        char fv[64], tv[64];
        rtlparam_value_str(m->from[a], fv, sizeof fv);
        rtlparam_value_str(m->to[a], tv, sizeof tv);
        fprintf(f, "%s%s %s -> %s", a ? sep : "", sp->v[m->knob[a]].name, fv, tv);
    }
}

/* What the log says about one knob of the move. */
static void bi_evidence(FILE *f, const bi_inputs *in, const km_plan *p, const km_move *m, int a)
{
    const km_knob *kd = &in->space.v[m->knob[a]];
    size_t nmeas = 0, nbroke = 0;
    double sum[KM_NMETRIC] = {0, 0, 0};
    for (size_t i = 0; i < m->nobs; i++) {
        const km_obs *o = &p->obs[m->obs[i]];
        if (o->knob != m->knob[a])
            continue;
        if (o->has_delta) {
            nmeas++;
            for (int k = 0; k < KM_NMETRIC; k++)
                sum[k] += (exp(o->d[k]) - 1.0) * 100.0;
        }
        nbroke += o->broken;
    }
    if (nmeas + nbroke == 0) {
        int d[KM_NMETRIC];
        km_prior_for(kd, m->from[a], m->to[a], d);
        char fv[64], tv[64];
        rtlparam_value_str(m->from[a], fv, sizeof fv);
        rtlparam_value_str(m->to[a], tv, sizeof tv);
        fprintf(f, " No earlier entry moved %s, so the estimate is the prior from its declared trade-off \"%s\"",
                kd->name, kd->tradeoff ? kd->tradeoff : "");
        char lead[160];
        if (kd->vinfo)
            snprintf(lead, sizeof lead, " (read for %s -> %s as: ", fv, tv);
        else
            snprintf(lead, sizeof lead, " (read as: moving to a later value gives ");
        bool any = false;
        for (int k = 0; k < KM_NMETRIC; k++)
            if (d[k]) {
                const char *word = k == KM_FMAX ? (d[k] > 0 ? "higher" : "lower") : (d[k] > 0 ? "more" : "fewer");
                fprintf(f, "%s%s %s", any ? ", " : lead, word, bi_metric_name[k]);
                any = true;
            }
        fprintf(f, "%s.", any ? ")" : " (it names no figure the model can read, so the prior is neutral)");
        return;
    }
    fprintf(f, " %zu earlier move%s of %s", nmeas + nbroke, nmeas + nbroke == 1 ? "" : "s", kd->name);
    if (nmeas) {
        fprintf(f, " %s measured: on average cycles %+.1f%%, Fmax %+.1f%%, LCs %+.1f%% against %s parent%s",
                nmeas == 1 ? "was" : "were", sum[KM_CYC] / (double)nmeas, sum[KM_FMAX] / (double)nmeas,
                sum[KM_LUT] / (double)nmeas, nmeas == 1 ? "its" : "their", nbroke ? ";" : ".");
    }
    if (nbroke)
        fprintf(f, " %zu broke or did not place.", nbroke);
    fprintf(f, " Cited:");
    size_t shown = 0;
    for (size_t i = 0; i < m->nobs && shown < BI_CITE; i++) {
        const km_obs *o = &p->obs[m->obs[i]];
        if (o->knob != m->knob[a] || (!o->has_delta && !o->broken))
            continue;
        char fv[64], tv[64];
        rtlparam_value_str(o->from, fv, sizeof fv);
        rtlparam_value_str(o->to, tv, sizeof tv);
        long par = p->epoch[o->entry];
        fprintf(f, "%s %s set %s %s -> %s from %s", shown ? ";" : "", bi_entry_id(in->log[o->entry]), kd->name, fv,
                tv, par >= 0 ? bi_entry_id(in->log[par]) : "the base design");
        if (o->nmoved > 1)
            fprintf(f, " (with %d other knob%s)", o->nmoved - 1, o->nmoved > 2 ? "s" : "");
        if (o->broken)
            fprintf(f, ": broken at %s", o->gate ? o->gate : "?");
        else
            fprintf(f, ": cycles %+.1f%%, Fmax %+.1f%%, LCs %+.1f%%", (exp(o->d[KM_CYC]) - 1) * 100,
                    (exp(o->d[KM_FMAX]) - 1) * 100, (exp(o->d[KM_LUT]) - 1) * 100);
        shown++;
    }
    fprintf(f, ".");
}

static const char *bi_category(const km_space *sp, const km_move *m)
{
    if (m->pct[KM_LUT] < -1.0 && m->fitness_pct <= 0)
        return "area";
    static const struct {
        const char *word, *cat;
    } map[] = {{"PREDICT", "predictor"}, {"BTB", "predictor"}, {"BHT", "predictor"}, {"BRANCH", "predictor"},
               {"RAS", "predictor"},      {"FETCH", "memory"},   {"BUFFER", "memory"},  {"CACHE", "memory"},
               {"LOAD", "memory"},        {"STORE", "memory"},   {"MEM", "memory"},     {"REGFILE", "memory"},
               {"BRAM", "memory"},        {"PIPE", "structural"}, {"STAGE", "structural"},
               {"ISSUE", "structural"},   {"FORWARD", "structural"}, {"REDIRECT", "structural"},
               {"BYPASS", "structural"}};
    char up[80];
    snprintf(up, sizeof up, "%s", sp->v[m->knob[0]].name);
    for (char *c = up; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strstr(up, map[i].word))
            return map[i].cat;
    return "micro_opt";
}

static const char *bi_confidence(const km_move *m)
{
    if (m->direct && m->evidence >= 1.0)
        return "high";
    if (m->evidence >= 0.3)
        return "medium";
    return "low";
}

static char *bi_close(FILE *f, char **buf)
{
    if (fclose(f) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

/* The hypothesis as JSON (schemas/hypothesis.schema.json). */
static json_t *bi_hypothesis_json(const builtin_job *j, const bi_inputs *in, const km_plan *p, const km_move *m,
                                  const accept_targets *t, const char *tsrc)
{
    const km_space *sp = &in->space;
    const json_t *champ = p->champion >= 0 ? in->log[p->champion] : NULL;
    char *title = NULL, *mot = NULL, *hyp = NULL;
    size_t tl, ml, hl;
    FILE *f = open_memstream(&title, &tl);
    if (!f)
        return NULL;
    fprintf(f, "Set ");
    bi_move_desc(f, sp, m, " and ");
    if (!bi_close(f, &title))
        return NULL;
    if (strlen(title) > 100)
        title[100] = '\0';

    f = open_memstream(&mot, &ml);
    if (!f) {
        free(title);
        return NULL;
    }
    fprintf(f, "From ");
    bi_champion_desc(f, champ);
    fprintf(f, ", %zu slot%s been tried from it and %zu of %zu single knob moves are still untried.", p->tried,
            p->tried == 1 ? " has" : "s have", p->singles_left, p->singles_total);
    for (int a = 0; m->nk == 2 && a < 2; a++) {
        const km_knob *kd = &sp->v[m->knob[a]];
        if (kd->dep_knob == (long)m->knob[1 - a]) {
            char v[64];
            rtlparam_value_str(kd->dep_value, v, sizeof v);
            fprintf(f, " %s matters only when %s = %s (its declared trade-off), so it is tried together with "
                       "that move, which passed every gate on its own.", kd->name, sp->v[kd->dep_knob].name, v);
            break;
        }
        if (a == 1 && m->frees_area)
            fprintf(f, " One of these two moves did not place on its own from this champion (too many logic "
                       "cells); the other passed with fewer logic cells than the champion, so together they may fit.");
        else if (a == 1)
            fprintf(f, " This slot combines two single moves that each passed every gate from this champion (%s).",
                    p->pairs ? "every single move has been tried" : "the untried single moves go to lower slots");
    }
    if (m->nk == 1 && m->deferred)
        fprintf(f, " What the log measured of this move predicts a loss beyond the accept margin, so it comes "
                   "after the pairs of moves that passed from this champion.");
    if (m->nk == 3)
        fprintf(f, " This slot combines three single moves that each passed every gate from this champion, two of "
                   "them also together (%s).", p->triples ? "every single move and pair has been tried"
                                                          : "the untried moves of fewer knobs go to lower slots");
    if (t->coremark > 0 || t->lut > 0) {
        fprintf(f, " Targets (from %s):", tsrc);
        if (t->coremark > 0)
            fprintf(f, " COREMARK=%.1f it/s", t->coremark);
        if (t->lut > 0)
            fprintf(f, " LUT=%.0f LCs", t->lut);
        if (champ) {
            accept_design d = {json_number_value(json_object_get(champ, "fitness")), km_entry_figure(champ, KM_LUT)};
            if (!isnan(d.lut))
                fprintf(f, "; the champion's accept score is %.3f (0 = every target met)", accept_score(t, d));
        }
        fprintf(f, ".");
    }
    for (int a = 0; a < m->nk; a++)
        bi_evidence(f, in, p, m, a);
    if (!bi_close(f, &mot)) {
        free(title);
        return NULL;
    }

    f = open_memstream(&hyp, &hl);
    if (!f) {
        free(title);
        free(mot);
        return NULL;
    }
    fprintf(f, "Setting ");
    for (int a = 0; a < m->nk; a++) {
        const km_knob *kd = &sp->v[m->knob[a]];
        char fv[64], tv[64];
        rtlparam_value_str(m->from[a], fv, sizeof fv);
        rtlparam_value_str(m->to[a], tv, sizeof tv);
        fprintf(f, "%s%s from %s to %s (parameter %s in %s)", a ? " and " : "", kd->name, fv, tv, kd->parameter,
                kd->file);
    }
    fprintf(f, " is expected to change cycles by %+.1f%%, Fmax by %+.1f%% and LCs by %+.1f%%, i.e. fitness by "
               "%+.1f%% if it passes every gate; the estimated risk that it breaks a gate is %.0f%%.",
            m->pct[KM_CYC], m->pct[KM_FMAX], m->pct[KM_LUT], m->fitness_pct, m->p_break * 100.0);
    if (t->coremark > 0 || t->lut > 0)
        fprintf(f, " Against the targets it would move the accept score by %+.2f points.", m->gap_pct);
    size_t rank = (size_t)(m - p->moves) + 1;
    fprintf(f, " It is move %zu of %zu in the model's order (objective %+.2f%s); slot %d takes move %d.", rank,
            p->nmoves, m->objective, m->direct ? "" : ", including the exploration bonus for an untried move",
            j->slot, j->slot);
    if (!bi_close(f, &hyp)) {
        free(title);
        free(mot);
        return NULL;
    }

    json_t *h = json_object();
    json_object_set_new(h, "id", json_string(j->id));
    json_object_set_new(h, "title", json_string(title));
    json_object_set_new(h, "category", json_string(bi_category(sp, m)));
    json_object_set_new(h, "motivation", json_string(mot));
    json_object_set_new(h, "hypothesis", json_string(hyp));
    json_t *ei = json_object();
    json_object_set_new(ei, "fitness_delta_pct", json_real(bi_round1(m->fitness_pct)));
    json_object_set_new(ei, "confidence", json_string(bi_confidence(m)));
    json_object_set_new(ei, "cycles_delta_pct", json_real(bi_round1(m->pct[KM_CYC])));
    json_object_set_new(ei, "fmax_delta_pct", json_real(bi_round1(m->pct[KM_FMAX])));
    json_object_set_new(ei, "lut_delta_pct", json_real(bi_round1(m->pct[KM_LUT])));
    json_object_set_new(h, "expected_impact", ei);
    json_t *changes = json_array(), *knobs = json_object();
    for (int a = 0; a < m->nk; a++) {
        const km_knob *kd = &sp->v[m->knob[a]];
        char fv[64], tv[64];
        rtlparam_value_str(m->from[a], fv, sizeof fv);
        rtlparam_value_str(m->to[a], tv, sizeof tv);
        char *d = fsx_fmt("parameter %s = %s -> %s (knob %s); no other line changes", kd->parameter, fv, tv, kd->name);
        json_array_append_new(changes, json_pack("{s:s,s:s}", "file", kd->file, "description", d ? d : "?"));
        free(d);
        json_object_set_new(knobs, kd->name, json_deep_copy(m->to[a]));
    }
    json_object_set_new(h, "changes", changes);
    json_object_set_new(h, "knobs", knobs);
    free(title);
    free(mot);
    free(hyp);
    return h;
}

/* ---- phases ---------------------------------------------------------------- */

static void bi_show_plan(FILE *log, const bi_inputs *in, const km_plan *p)
{
    for (size_t k = 0; k < in->space.n; k++) {
        const km_knob *kd = &in->space.v[k];
        if (kd->dep_knob >= 0) {
            char v[64];
            rtlparam_value_str(kd->dep_value, v, sizeof v);
            bi_say(log, "knob %s matters only when %s = %s (its trade-off says so)", kd->name,
                   in->space.v[kd->dep_knob].name, v);
        }
    }
    bi_say(log, "knob model: %zu log entries, %zu moves tried from this champion, %zu of %zu single moves left "
           "(%zu inert ones skipped)%s%s", in->nlog, p->tried, p->singles_left, p->singles_total, p->inert,
           p->triples ? "; offering triples" : p->pairs ? "; offering pairs and triples" : "",
           p->chain_ok ? "" : "; the RTL differs from the knob values along the champion path, so configurations "
                              "are not de-duplicated");
    for (size_t i = 0; i < p->nmoves && i < BI_SHOW; i++) {
        const km_move *m = &p->moves[i];
        fprintf(log, "  %2zu. ", i + 1);
        bi_move_desc(log, &in->space, m, " + ");
        fprintf(log, ": objective %+.2f, fitness %+.1f%%, cycles %+.1f%%, Fmax %+.1f%%, LCs %+.1f%%, break %.0f%%, "
                     "evidence %.2f%s\n", m->objective, m->fitness_pct, m->pct[KM_CYC], m->pct[KM_FMAX],
                m->pct[KM_LUT], m->p_break * 100, m->evidence, m->direct ? "" : " (untried: +1 exploration)");
    }
    if (p->nmoves > BI_SHOW)
        bi_say(log, "  ... %zu more", p->nmoves - BI_SHOW);
}

int builtin_hypothesis(const builtin_job *j, FILE *log)
{
    bi_inputs in;
    km_plan plan;
    memset(&plan, 0, sizeof plan);
    int status = 1;
    char err[BI_ERR];
    json_t *h = NULL;
    char *yaml = NULL, *schema_path = NULL;
    if (!j->core_dir || !j->id || !j->out_path) {
        bi_say(log, "builtin agent: the hypothesis phase needs the core directory, the id and the output path");
        return 1;
    }
    if (bi_load(j, &in, true, log) != 0)
        goto out;
    const char *tsrc;
    accept_targets t = bi_targets(j, in.cfg, &tsrc);
    char *parent = builtin_parent_from_prompt(j->prompt);
    km_opts o = {&t, j->seed, parent};
    if (parent)
        bi_say(log, "this slot starts from design %s, not from the champion (the orchestrator's prompt says so)",
               parent);
    int built = km_plan_build(&in.space, (const json_t *const *)in.log, in.nlog, (const json_t *const *)in.cur, &o, &plan,
                              err, sizeof err);
    free(parent);
    if (built != 0) {
        bi_say(log, "builtin agent: %s", err);
        goto out;
    }
    bi_show_plan(log, &in, &plan);
    const km_move *m = km_plan_pick(&plan, j->slot);
    const char *cid = plan.champion >= 0 ? bi_entry_id(in.log[plan.champion]) : "(base design, none measured)";
    if (!m) {
        if (plan.nmoves == 0)
            bi_say(log, "design space exhausted from champion %s: all %zu single knob moves%s reachable from it "
                   "have been tried (%zu slots in its epoch); declare more knobs or values in core.yaml, or use an "
                   "LLM agent (AGENT=claude or AGENT=codex)", cid, plan.singles_total,
                   plan.pairs ? ", every pair of moves that passed on its own and every triple of them" : "", plan.tried);
        else
            bi_say(log, "design space exhausted from champion %s for slot %d: only %zu untried move%s left, taken "
                   "by the lower slots of this round", cid, j->slot, plan.nmoves, plan.nmoves == 1 ? " is" : "s are");
        status = AGENT_EXIT_EXHAUSTED;
        goto out;
    }
    h = bi_hypothesis_json(j, &in, &plan, m, &t, tsrc);
    if (!h) {
        bi_say(log, "builtin agent: out of memory writing the hypothesis");
        goto out;
    }
    schema_path = bi_find_schema(j, j->schema_path, "hypothesis.schema.json");
    if (schema_path) {
        int vr = schema_validate_path(schema_path, h, err, sizeof err);
        if (vr != 0) {
            bi_say(log, "builtin agent: the hypothesis it built does not match %s: %s (a bug in the builtin "
                   "agent; nothing written)", schema_path, err);
            goto out;
        }
    }
    yaml = yamljson_dump(h);
    char *dir = strdup(j->out_path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash && slash != dir)
        *slash = '\0';
    if (!yaml || !dir || (slash && slash != dir && fsx_mkdirs(dir, 0755) != 0) ||
        fsx_write_atomic(j->out_path, yaml, strlen(yaml)) != 0) {
        bi_say(log, "builtin agent: cannot write %s: %s", j->out_path, strerror(errno));
        free(dir);
        goto out;
    }
    free(dir);
    fprintf(log, "wrote %s: ", j->out_path);
    bi_move_desc(log, &in.space, m, " and ");
    bi_say(log, " from %s (expected fitness %+.1f%%, slot %d)", cid, m->fitness_pct, j->slot);
    status = 0;
out:
    free(schema_path);
    free(yaml);
    json_decref(h);
    km_plan_free(&plan);
    bi_inputs_free(&in);
    return status;
}

char *builtin_hypothesis_from_prompt(const char *prompt)
{
    const char *sec = prompt ? strstr(prompt, "## The hypothesis") : NULL;
    const char *open = sec ? strstr(sec, "```yaml\n") : NULL;
    if (!open)
        return NULL;
    open += strlen("```yaml\n");
    const char *close = strstr(open, "\n```");
    if (!close)
        return NULL;
    return strndup(open, (size_t)(close - open) + 1);
}

static json_t *bi_read_hypothesis(const builtin_job *j, FILE *log)
{
    char err[BI_ERR];
    struct stat st;
    if (j->hypothesis_path && stat(j->hypothesis_path, &st) == 0 && st.st_size > 0) {
        json_t *h = yamljson_load_file(j->hypothesis_path, err, sizeof err);
        if (!h)
            bi_say(log, "builtin agent: %s", err);
        return h;
    }
    char *text = builtin_hypothesis_from_prompt(j->prompt);
    if (!text) {
        bi_say(log, "builtin agent: no hypothesis to implement: %s is absent and the prompt has no ```yaml block "
               "under \"## The hypothesis\"", j->hypothesis_path ? j->hypothesis_path : "the hypothesis file");
        return NULL;
    }
    json_t *h = yamljson_load_string(text, strlen(text), "the prompt's hypothesis", err, sizeof err);
    if (!h)
        bi_say(log, "builtin agent: %s", err);
    free(text);
    return h;
}

int builtin_implement(const builtin_job *j, FILE *log)
{
    bi_inputs in;
    int status = 1;
    char err[BI_ERR];
    json_t *h = NULL;
    if (!j->core_dir) {
        bi_say(log, "builtin agent: the implementation phase needs the core directory");
        return 1;
    }
    if (bi_load(j, &in, false, log) != 0)
        goto out;
    h = bi_read_hypothesis(j, log);
    if (!h)
        goto out;
    const char *hid = json_string_value(json_object_get(h, "id"));
    if (j->id && hid && strcmp(hid, j->id) != 0) {
        bi_say(log, "builtin agent: the hypothesis is %s, not %s", hid, j->id);
        goto out;
    }
    const json_t *knobs = json_object_get(h, "knobs");
    if (!json_is_object(knobs) || json_object_size(knobs) == 0) {
        bi_say(log, "builtin agent: hypothesis %s has no knobs; the builtin agent implements only knob moves "
               "declared in core.yaml (use an LLM agent for other changes)", hid ? hid : "?");
        goto out;
    }
    /* Check every knob before touching any file. */
    const char *name;
    const json_t *v;
    size_t changing = 0;
    json_object_foreach((json_t *)knobs, name, v) {
        long k = km_space_find(&in.space, name);
        char vs[64];
        rtlparam_value_str(v, vs, sizeof vs);
        if (k < 0) {
            bi_say(log, "builtin agent: knob %s is not declared in core.yaml", name);
            goto out;
        }
        if (km_value_index(&in.space.v[k], v) < 0) {
            char *allowed = json_dumps(in.space.v[k].values, JSON_COMPACT);
            bi_say(log, "builtin agent: %s is not an allowed value of knob %s (core.yaml values: %s)", vs, name,
                   allowed ? allowed : "?");
            free(allowed);
            goto out;
        }
        changing += !rtlparam_value_eq(in.cur[k], v);
    }
    if (changing == 0) {
        bi_say(log, "builtin agent: every knob of the hypothesis already has its value in the RTL; nothing to do");
        goto out;
    }
    json_object_foreach((json_t *)knobs, name, v) {
        long k = km_space_find(&in.space, name);
        const km_knob *kd = &in.space.v[k];
        if (rtlparam_value_eq(in.cur[k], v))
            continue;
        char *path = fsx_fmt("%s/%s", j->core_dir, kd->file);
        json_t *old = NULL;
        int rc = path ? rtlparam_edit_file(path, kd->parameter, v, &old, err, sizeof err) : -1;
        if (rc != 0) {
            bi_say(log, "builtin agent: knob %s: %s", name, path ? err : "out of memory");
            free(path);
            goto out;
        }
        char ov[64], nv[64];
        rtlparam_value_str(old, ov, sizeof ov);
        rtlparam_value_str(v, nv, sizeof nv);
        bi_say(log, "%s: parameter %s = %s -> %s (knob %s), verified", kd->file, kd->parameter, ov, nv, name);
        json_decref(old);
        free(path);
    }
    bi_say(log, "implemented %s: %zu parameter line%s changed", hid ? hid : "?", changing, changing == 1 ? "" : "s");
    status = 0;
out:
    json_decref(h);
    bi_inputs_free(&in);
    return status;
}
