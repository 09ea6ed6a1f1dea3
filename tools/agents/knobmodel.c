/* knobmodel.c — see knobmodel.h for the rules this file implements. */
#include "agents/knobmodel.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/rtlparam.h"

/* Rule 7 and 8 constants (see knobmodel.h). */
static const double KM_W_EXACT = 1.0, KM_W_SAME_TO = 0.6, KM_W_REVERSE = 0.5, KM_W_SAME_DIR = 0.3;
static const double KM_W_PRIOR = 0.5, KM_PRIOR_BREAK = 0.10;
static const double KM_PRIOR_MAG[KM_NMETRIC] = {0.03, 0.03, 0.05};
static const double KM_BREAK_COST = 5.0, KM_EXPLORE_BONUS = 1.0, KM_TIE_WEIGHT = 0.1;

static void km_dependency(km_space *sp, size_t k);
static void km_values_read(km_knob *k);

/* ---- the space -------------------------------------------------------- */

static const char *km_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

int km_space_load(const json_t *core_cfg, km_space *out, char *err, size_t n)
{
    memset(out, 0, sizeof *out);
    const json_t *knobs = json_object_get(core_cfg, "knobs");
    if (!json_is_array(knobs) || json_array_size(knobs) == 0) {
        snprintf(err, n, "core.yaml declares no knobs: the builtin agent explores only the knobs a core "
                 "declares (DESIGN.md §2, Knobs); add a `knobs:` list or use an LLM agent (AGENT=claude)");
        return -1;
    }
    out->v = calloc(json_array_size(knobs), sizeof *out->v);
    if (!out->v) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    size_t i;
    const json_t *k;
    json_array_foreach(knobs, i, k) {
        km_knob *d = &out->v[out->n];
        d->name = km_str(k, "name");
        d->file = km_str(k, "file");
        d->parameter = km_str(k, "parameter");
        d->tradeoff = km_str(k, "tradeoff");
        d->values = json_object_get(k, "values");
        d->def = json_object_get(k, "default");
        if (!d->name || !d->file || !d->parameter || !json_is_array(d->values) ||
            json_array_size(d->values) < 2 || !d->def) {
            snprintf(err, n, "core.yaml knobs[%zu]: needs name, file, parameter, values (two or more) and "
                     "default (see schemas/core.schema.json)", i);
            km_space_free(out);
            return -1;
        }
        if (km_space_find(out, d->name) >= 0) {
            snprintf(err, n, "core.yaml knobs: '%s' is declared twice", d->name);
            km_space_free(out);
            return -1;
        }
        km_tradeoff_read(d->tradeoff ? d->tradeoff : "", d->prior_dir, d->prior_mag);
        d->dep_knob = -1;
        km_values_read(d);
        out->n++;
    }
    for (size_t j = 0; j < out->n; j++)
        km_dependency(out, j);
    return 0;
}

void km_space_free(km_space *s)
{
    for (size_t k = 0; k < s->n; k++) {
        json_decref(s->v[k].dep_value);
        free(s->v[k].vinfo);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

long km_space_find(const km_space *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (name && strcmp(s->v[i].name, name) == 0)
            return (long)i;
    return -1;
}

long km_value_index(const km_knob *k, const json_t *v)
{
    size_t i;
    const json_t *x;
    json_array_foreach(k->values, i, x) {
        if (rtlparam_value_eq(x, v))
            return (long)i;
    }
    return -1;
}

/* ---- the trade-off sentence --------------------------------------------- */

typedef enum { KM_POL_UP = 1, KM_POL_DOWN, KM_POL_GOOD, KM_POL_BAD } km_pol;

/* Which figure a word names: KM_CYC, KM_FMAX (higher = up), KM_FMAX with
 * *inverted (a path: longer = lower Fmax), KM_LUT; -1 for none. */
static int km_metric_word(const char *w, bool *inverted)
{
    static const char *const cyc[] = {"cycle", "cpi", "stall", "bubble", "penalty", "latency", "mispredict", "miss", "flush"};
    static const char *const fmax[] = {"fmax", "frequency", "clock", "mhz", "timing"};
    static const char *const path[] = {"path", "delay", "depth"};
    static const char *const lut[] = {"lut", "lc", "cell", "area", "logic", "ff", "flip-flop", "resource"};
    *inverted = false;
    for (size_t i = 0; i < sizeof cyc / sizeof *cyc; i++)
        if (strncmp(w, cyc[i], strlen(cyc[i])) == 0)
            return KM_CYC;
    for (size_t i = 0; i < sizeof fmax / sizeof *fmax; i++)
        if (strncmp(w, fmax[i], strlen(fmax[i])) == 0)
            return KM_FMAX;
    for (size_t i = 0; i < sizeof path / sizeof *path; i++)
        if (strncmp(w, path[i], strlen(path[i])) == 0) {
            *inverted = true;
            return KM_FMAX;
        }
    for (size_t i = 0; i < sizeof lut / sizeof *lut; i++)
        if (strncmp(w, lut[i], strlen(lut[i])) == 0)
            return KM_LUT;
    return -1;
}

static int km_polarity_word(const char *w)
{
    static const char *const up[] = {"more", "longer", "long", "larger", "bigger", "higher", "extra", "adds",
                                     "add", "added", "adding", "increase", "increases", "deeper", "grows", "cost",
                                     "costs", "wider", "lengthens"};
    static const char *const down[] = {"fewer", "less", "shorter", "short", "smaller", "lower", "saves", "save",
                                       "saving", "removes", "remove", "removing", "reduce", "reduces", "reducing",
                                       "no", "shallower", "cuts", "avoids", "narrower", "drops", "shortening",
                                       "shortens", "hides"};
    static const char *const good[] = {"better", "faster"};
    static const char *const bad[] = {"worse", "slower"};
    for (size_t i = 0; i < sizeof up / sizeof *up; i++)
        if (strcmp(w, up[i]) == 0)
            return KM_POL_UP;
    for (size_t i = 0; i < sizeof down / sizeof *down; i++)
        if (strcmp(w, down[i]) == 0)
            return KM_POL_DOWN;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (strcmp(w, good[i]) == 0)
            return KM_POL_GOOD;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (strcmp(w, bad[i]) == 0)
            return KM_POL_BAD;
    return 0;
}

enum { KM_MAX_WORDS = 64, KM_WORD = 32 };

/* "10%" / "2.5%": the fraction, else -1. */
static double km_percent_word(const char *w)
{
    size_t l = strlen(w);
    if (l < 2 || w[l - 1] != '%' || !isdigit((unsigned char)w[0]))
        return -1;
    char *end;
    double v = strtod(w, &end);
    return end == w + l - 1 && v > 0 && v < 100 ? v / 100.0 : -1;
}

/* One clause: words[0..nw). Adds the signs it states to acc and takes a
 * percentage next to a figure's word as that figure's magnitude. */
static void km_clause(char words[][KM_WORD], size_t nw, int acc[KM_NMETRIC], double mag[KM_NMETRIC])
{
    for (size_t i = 0; i < nw; i++) {
        bool inv;
        int m = km_metric_word(words[i], &inv);
        if (m < 0)
            continue;
        /* The nearest polarity word and percentage, the preceding one on a tie. */
        int pol = 0;
        double pct = -1;
        size_t best = (size_t)-1, best_pct = (size_t)-1;
        for (size_t j = 0; j < nw; j++) {
            int p = km_polarity_word(words[j]);
            double f = km_percent_word(words[j]);
            size_t dist = j > i ? j - i : i - j;
            if (p && (dist < best || (dist == best && j < i))) {
                best = dist;
                pol = p;
            }
            if (f > 0 && (dist < best_pct || (dist == best_pct && j < i))) {
                best_pct = dist;
                pct = f;
            }
        }
        int s = 0;
        if (pol == KM_POL_UP)
            s = inv ? -1 : 1;
        else if (pol == KM_POL_DOWN)
            s = inv ? 1 : -1;
        else if (pol == KM_POL_GOOD || pol == KM_POL_BAD)
            /* good means fewer cycles, higher Fmax, fewer LCs */
            s = (pol == KM_POL_GOOD ? 1 : -1) * (m == KM_FMAX ? 1 : -1);
        acc[m] += s;
        if (s && pct > 0)
            mag[m] = pct;
    }
}

void km_tradeoff_read(const char *sentence, int dir[KM_NMETRIC], double mag[KM_NMETRIC])
{
    int acc[KM_NMETRIC] = {0, 0, 0};
    double pm[KM_NMETRIC] = {-1, -1, -1};
    char words[KM_MAX_WORDS][KM_WORD];
    size_t nw = 0;
    const char *p = sentence ? sentence : "";
    for (;;) {
        char c = *p;
        bool boundary = c == '\0' || strchr(",;:()", c) != NULL;
        if (!boundary && (isalnum((unsigned char)c) || c == '-' || c == '_')) {
            char w[KM_WORD];
            size_t l = 0;
            /* Words, and numbers with their decimals and a % sign. */
            while (*p && (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
                          ((*p == '.' || *p == '%') && l > 0 && isdigit((unsigned char)w[l - 1])))) {
                if (l + 1 < sizeof w)
                    w[l++] = (char)tolower((unsigned char)*p);
                p++;
            }
            w[l] = '\0';
            bool splitter = strcmp(w, "and") == 0 || strcmp(w, "but") == 0 || strcmp(w, "while") == 0 ||
                            strcmp(w, "whereas") == 0 || strcmp(w, "yet") == 0;
            if (splitter) {
                km_clause(words, nw, acc, pm);
                nw = 0;
            } else if (nw < KM_MAX_WORDS) {
                memcpy(words[nw++], w, l + 1);
            }
            continue;
        }
        if (boundary) {
            km_clause(words, nw, acc, pm);
            nw = 0;
            if (c == '\0')
                break;
        }
        p++;
    }
    for (int m = 0; m < KM_NMETRIC; m++) {
        dir[m] = acc[m] > 0 ? 1 : acc[m] < 0 ? -1 : 0;
        if (mag)
            mag[m] = pm[m] > 0 ? pm[m] : KM_PRIOR_MAG[m];
    }
}

/* A count written as a number or a small number word, else -1. */
static double km_count_word(const char *w)
{
    static const char *const words[] = {"zero", "one", "two", "three", "four"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(w, words[i]) == 0)
            return (double)i;
    if (!isdigit((unsigned char)w[0]))
        return -1;
    char *end;
    double v = strtod(w, &end);
    return *end == '\0' ? v : -1;
}

/* Counts in a value's description: "32 cycles", "2 bubbles", "~300 LUTs",
 * "14 MHz" (the first of each). */
static void km_counts(const char *seg, size_t len, double count[KM_NMETRIC])
{
    for (int m = 0; m < KM_NMETRIC; m++)
        count[m] = NAN;
    char prev[KM_WORD] = "";
    size_t i = 0;
    while (i < len) {
        if (!isalnum((unsigned char)seg[i])) {
            i++;
            continue;
        }
        char w[KM_WORD];
        size_t l = 0;
        while (i < len && (isalnum((unsigned char)seg[i]) || seg[i] == '.' || seg[i] == '-')) {
            if (l + 1 < sizeof w)
                w[l++] = (char)tolower((unsigned char)seg[i]);
            i++;
        }
        while (l > 0 && w[l - 1] == '.')
            l--;
        w[l] = '\0';
        int m = strncmp(w, "cycle", 5) == 0 || strncmp(w, "bubble", 6) == 0 ? KM_CYC
                : strncmp(w, "lut", 3) == 0 || strcmp(w, "lcs") == 0 || strncmp(w, "cell", 4) == 0 ? KM_LUT
                : strcmp(w, "mhz") == 0 ? KM_FMAX : -1;
        /* "logic cells": the number is before "logic". */
        double c = m >= 0 ? km_count_word(prev) : -1;
        if (m >= 0 && isnan(count[m]) && c >= 0)
            count[m] = c;
        if (strcmp(w, "logic") != 0)
            memcpy(prev, w, l + 1);
    }
}

/* A segment starts where a value of the knob opens a clause ("0 fetches
 * ...", "2 adds ..."): returns the value's index, or -1. */
static long km_value_at(const km_knob *k, const char *p)
{
    size_t i;
    const json_t *v;
    json_array_foreach(k->values, i, v) {
        char vs[64];
        rtlparam_value_str(v, vs, sizeof vs);
        size_t l = strlen(vs);
        if (l && strncmp(p, vs, l) == 0 && p[l] == ' ' && (isalpha((unsigned char)p[l + 1]) || p[l + 1] == '('))
            return (long)i;
    }
    return -1;
}

/* Rule 7's per-value reading: when the trade-off describes values one by
 * one ("0 ... 2 bubbles; 1 ... 1 bubble; 2 ... a longer fetch path"), each
 * value gets its counts and the signs its own words state. */
static void km_values_read(km_knob *k)
{
    size_t nv = json_array_size(k->values);
    const char *t = k->tradeoff ? k->tradeoff : "";
    long cur = -1;
    size_t seg_start = 0, described = 0;
    k->vinfo = calloc(nv, sizeof *k->vinfo);
    if (!k->vinfo)
        return;
    int depth = 0;
    size_t len = strlen(t);
    for (size_t i = 0; i <= len; i++) {
        bool at_start = i == 0 || (depth == 0 && strchr(";,:.", t[i - 1]) && (i < 2 || !isdigit((unsigned char)t[i - 2]) ||
                                                                               t[i - 1] != '.'));
        long vi = -1;
        if (i < len && at_start) {
            size_t j = i;
            while (t[j] == ' ')
                j++;
            vi = km_value_at(k, t + j);
        }
        if (vi >= 0 || i == len) {
            if (cur >= 0 && !k->vinfo[cur].described) {
                km_vinfo *d = &k->vinfo[cur];
                char *seg = strndup(t + seg_start, i - seg_start);
                if (seg) {
                    km_tradeoff_read(seg, d->qual, NULL);
                    km_counts(seg, strlen(seg), d->count);
                    d->described = true;
                    described++;
                }
                free(seg);
            }
            cur = vi;
            seg_start = i;
        }
        if (i < len) {
            if (t[i] == '(')
                depth++;
            else if (t[i] == ')' && depth > 0)
                depth--;
        }
    }
    if (described == 0) {
        free(k->vinfo);
        k->vinfo = NULL;
    }
}

void km_prior_for(const km_knob *k, const json_t *from, const json_t *to, int dir[KM_NMETRIC])
{
    long fi = km_value_index(k, from), ti = km_value_index(k, to);
    for (int m = 0; m < KM_NMETRIC; m++)
        dir[m] = 0;
    if (fi < 0 || ti < 0 || fi == ti)
        return;
    if (!k->vinfo) {
        int step = ti > fi ? 1 : -1;
        for (int m = 0; m < KM_NMETRIC; m++)
            dir[m] = step * k->prior_dir[m];
        return;
    }
    const km_vinfo *f = &k->vinfo[fi], *t = &k->vinfo[ti];
    for (int m = 0; m < KM_NMETRIC; m++) {
        if (!isnan(f->count[m]) && !isnan(t->count[m]) && f->count[m] != t->count[m]) {
            /* Counts of cycles and LUTs grow with the figure; MHz is Fmax itself. */
            dir[m] = t->count[m] > f->count[m] ? 1 : -1;
        } else {
            int q = (t->described ? t->qual[m] : 0) - (f->described ? f->qual[m] : 0);
            dir[m] = q > 0 ? 1 : q < 0 ? -1 : 0;
        }
    }
}

/* "... when BRANCH_PREDICT = 2": the knob this one depends on (rule 10). */
static void km_dependency(km_space *sp, size_t k)
{
    km_knob *d = &sp->v[k];
    d->dep_knob = -1;
    const char *t = d->tradeoff;
    if (!t)
        return;
    for (size_t j = 0; j < sp->n && d->dep_knob < 0; j++) {
        if (j == k)
            continue;
        const char *name = sp->v[j].name;
        size_t nl = strlen(name);
        for (const char *q = strstr(t, name); q && d->dep_knob < 0; q = strstr(q + 1, name)) {
            if ((q > t && (isalnum((unsigned char)q[-1]) || q[-1] == '_')) ||
                isalnum((unsigned char)q[nl]) || q[nl] == '_')
                continue;
            const char *v = q + nl;
            while (*v == ' ')
                v++;
            if (*v != '=')
                continue;
            v += v[1] == '=' ? 2 : 1;
            while (*v == ' ')
                v++;
            size_t vl = 0;
            while (isalnum((unsigned char)v[vl]) || v[vl] == '_' || v[vl] == '\'' || (v[vl] == '.' && isdigit((unsigned char)v[vl + 1])))
                vl++;
            if (vl == 0)
                continue;
            /* Only a condition: "when/if/with/only/requires/needs" before it. */
            static const char *const cond[] = {"when ", "if ", "with ", "only ", "requires ", "needs "};
            bool is_cond = false;
            for (size_t c = 0; c < sizeof cond / sizeof *cond && !is_cond; c++) {
                const char *w = strcasestr(t, cond[c]);
                is_cond = w && w < q;
            }
            if (!is_cond)
                continue;
            json_t *val = rtlparam_parse_value(v, vl);
            if (val && km_value_index(&sp->v[j], val) >= 0) {
                d->dep_knob = (long)j;
                d->dep_value = val;
            } else {
                json_decref(val);
            }
        }
    }
}

/* ---- log helpers ------------------------------------------------------- */

double km_entry_figure(const json_t *e, int metric)
{
    const json_t *v = NULL;
    if (metric == KM_CYC)
        v = json_object_get(e, "cycles");
    else if (metric == KM_FMAX)
        v = json_object_get(json_object_get(e, "fmax_mhz"), "median");
    else if (metric == KM_LUT)
        v = json_object_get(e, "lut");
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    return isfinite(x) && x > 0 ? x : NAN;
}

/* Cycles per iteration of one member of an entry's workload set (NaN when
 * absent): iterations can differ between builds of a bench program, so
 * cycles alone do not compare. */
static double km_member_cpi(const json_t *w)
{
    double c = json_number_value(json_object_get(w, "cycles"));
    double it = json_number_value(json_object_get(w, "iterations"));
    double pm = json_number_value(json_object_get(w, "per_mhz"));
    if (c > 0 && it > 0)
        return c / it;
    return pm > 0 ? 1e6 / pm : NAN;
}

/* Mean over the members both entries measured of log(cpi(e) / cpi(parent)):
 * the log of the geometric mean of the per-member ratios, which is how the
 * fitness combines them (gates/fitset.h). NaN when no member is shared. */
static double km_cycles_log_ratio(const json_t *e, const json_t *parent)
{
    const json_t *we = json_object_get(e, "workloads"), *wp = json_object_get(parent, "workloads");
    double sum = 0;
    int n = 0;
    const char *name;
    const json_t *w;
    json_object_foreach((json_t *)we, name, w) {
        double a = km_member_cpi(w), b = km_member_cpi(json_object_get(wp, name));
        if (!isfinite(a) || !isfinite(b) || a <= 0 || b <= 0)
            return NAN; /* a member measured on one side only: the sets differ */
        sum += log(a / b);
        n++;
    }
    return n > 0 && (size_t)n == json_object_size(wp) ? sum / n : NAN;
}

double km_entry_log_ratio(const json_t *e, const json_t *parent, int metric)
{
    if (metric == KM_CYC) {
        double r = km_cycles_log_ratio(e, parent);
        if (isfinite(r))
            return r;
        if (json_is_object(json_object_get(e, "workloads")) && json_is_object(json_object_get(parent, "workloads")))
            return NAN; /* both carry sets, but not the same one: no comparison */
    }
    double a = km_entry_figure(e, metric), b = km_entry_figure(parent, metric);
    return isnan(a) || isnan(b) ? NAN : log(a / b);
}

static bool km_outcome_is(const json_t *e, const char *o)
{
    const char *s = km_str(e, "outcome");
    return s && strcmp(s, o) == 0;
}

static long long km_round(const json_t *e)
{
    const json_t *r = json_object_get(e, "round");
    return json_is_integer(r) ? (long long)json_integer_value(r) : -1;
}

/* A design gate: its failure says something about the design, unlike the
 * agent, hypothesis and sandbox steps. */
static bool km_design_failure(const json_t *e, const char **gate)
{
    *gate = km_str(e, "failed_gate");
    if (km_outcome_is(e, "placement_failed"))
        return true;
    if (!km_outcome_is(e, "broken") || !*gate)
        return false;
    /* Every step after these three is a gate of the registry. */
    static const char *const before_gates[] = {"agent", "hypothesis", "sandbox"};
    for (size_t i = 0; i < sizeof before_gates / sizeof *before_gates; i++)
        if (strcmp(*gate, before_gates[i]) == 0)
            return false;
    return true;
}

static const json_t *km_entry_knobs(const json_t *e)
{
    const json_t *k = json_object_get(json_object_get(e, "hypothesis"), "knobs");
    return json_is_object(k) && json_object_size(k) > 0 ? k : NULL;
}

/* ---- hashing (tie-break) -------------------------------------------------- */

static uint64_t km_mix(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t km_finish(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t km_move_hash(const km_space *sp, const km_move *m, unsigned long long seed)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = km_mix(h, &seed, sizeof seed);
    for (int i = 0; i < m->nk; i++) {
        char v[96];
        rtlparam_value_str(m->to[i], v, sizeof v);
        h = km_mix(h, sp->v[m->knob[i]].name, strlen(sp->v[m->knob[i]].name));
        h = km_mix(h, "=", 1);
        h = km_mix(h, v, strlen(v));
        h = km_mix(h, ";", 1);
    }
    return km_finish(h);
}

/* ---- the plan ------------------------------------------------------------- */

typedef struct {
    const km_space *sp;
    const json_t *const *log;
    size_t nlog;
    const json_t *const *current;
    const km_opts *o;
    const json_t **base;    /* defaults, per knob */
    const json_t **cfg;     /* per entry x knob: the configuration it measured */
    bool *cfg_known;        /* the entry's configuration is a knob configuration */
    km_plan *p;
} km_ctx;

static const json_t **km_cfg_of(km_ctx *c, long entry)
{
    return entry < 0 ? c->base : c->cfg + (size_t)entry * c->sp->n;
}

/* The index of the entry with this id among the first `before`, or -1. */
static long km_entry_index(const km_ctx *c, const char *id, size_t before)
{
    for (size_t j = before; j-- > 0;) {
        const char *e = json_string_value(json_object_get(c->log[j], "id"));
        if (e && strcmp(e, id) == 0)
            return (long)j;
    }
    return -1;
}

/* Epochs (rule 2) and configurations along the path (rule 3). */
static void km_epochs(km_ctx *c)
{
    size_t nk = c->sp->n;
    for (size_t i = 0; i < c->nlog; i++) {
        long ep = -1;
        long long r = km_round(c->log[i]);
        /* A slot that started from another design than the champion
         * (PARENT=topk) names it; its epoch is that design's. */
        const char *pid = json_string_value(json_object_get(c->log[i], "parent_id"));
        long named = pid ? km_entry_index(c, pid, i) : -1;
        for (size_t j = i; j-- > 0 && named < 0;)
            if (km_outcome_is(c->log[j], "improvement") && km_round(c->log[j]) < r) {
                ep = (long)j;
                break;
            }
        if (named >= 0)
            ep = named;
        c->p->epoch[i] = ep;
        const json_t **from = km_cfg_of(c, ep);
        const json_t **mine = c->cfg + i * nk;
        memcpy(mine, from, nk * sizeof *mine);
        const json_t *knobs = km_entry_knobs(c->log[i]);
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)knobs, name, v) {
            long k = km_space_find(c->sp, name);
            if (k >= 0)
                mine[k] = v;
        }
        /* Round 0 measures the design as it is; other entries describe a
         * knob configuration only through their knobs. */
        c->cfg_known[i] = knobs != NULL || km_round(c->log[i]) == 0;
        if (km_outcome_is(c->log[i], "improvement"))
            c->p->champion = (long)i;
    }
}

static int km_obs_collect(km_ctx *c)
{
    size_t cap = 0;
    for (size_t i = 0; i < c->nlog; i++) {
        const json_t *knobs = km_entry_knobs(c->log[i]);
        if (!knobs)
            continue;
        const json_t **from = km_cfg_of(c, c->p->epoch[i]);
        const json_t *parent = c->p->epoch[i] >= 0 ? c->log[c->p->epoch[i]] : NULL;
        int moved = 0;
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)knobs, name, v) {
            long k = km_space_find(c->sp, name);
            if (k >= 0 && !rtlparam_value_eq(from[k], v))
                moved++;
        }
        const char *gate = NULL;
        bool broken = km_design_failure(c->log[i], &gate);
        bool measured = km_outcome_is(c->log[i], "improvement") || km_outcome_is(c->log[i], "regression");
        json_object_foreach((json_t *)knobs, name, v) {
            long k = km_space_find(c->sp, name);
            if (k < 0 || rtlparam_value_eq(from[k], v))
                continue;
            if (c->p->nobs == cap) {
                cap = cap ? cap * 2 : 16;
                km_obs *nv = realloc(c->p->obs, cap * sizeof *nv);
                if (!nv)
                    return -1;
                c->p->obs = nv;
            }
            km_obs *o = &c->p->obs[c->p->nobs++];
            memset(o, 0, sizeof *o);
            o->entry = i;
            o->knob = (size_t)k;
            o->from = from[k];
            o->to = v;
            o->nmoved = moved;
            o->measured = measured;
            o->broken = broken;
            o->gate = broken ? gate : NULL;
            o->unplaced = km_outcome_is(c->log[i], "placement_failed");
            /* a design that did not place was still simulated: its cycles count */
            double rc = o->unplaced && parent ? km_entry_log_ratio(c->log[i], parent, KM_CYC) : NAN;
            o->has_cyc = isfinite(rc);
            o->d[KM_CYC] = o->has_cyc ? rc : 0;
            o->has_delta = measured && parent;
            for (int m = 0; m < KM_NMETRIC && o->has_delta; m++) {
                double r = km_entry_log_ratio(c->log[i], parent, m);
                if (isnan(r))
                    o->has_delta = false;
                else
                    o->d[m] = r;
            }
        }
    }
    return 0;
}

/* The champion-relative assignments an entry made: 0 when it moved none. */
static int km_entry_move(km_ctx *c, size_t i, size_t *knob, const json_t **to, int max)
{
    const json_t *knobs = km_entry_knobs(c->log[i]);
    int nk = 0;
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)knobs, name, v) {
        long k = km_space_find(c->sp, name);
        if (k < 0 || rtlparam_value_eq(c->current[k], v))
            continue;
        if (nk == max)
            return max + 1; /* a bigger move than any candidate */
        knob[nk] = (size_t)k;
        to[nk++] = v;
    }
    return nk;
}

static bool km_same_move(const km_move *m, int nk, const size_t *knob, const json_t *const *to)
{
    if (m->nk != nk)
        return false;
    for (int a = 0; a < nk; a++) {
        bool found = false;
        for (int b = 0; b < nk && !found; b++)
            found = m->knob[a] == knob[b] && rtlparam_value_eq(m->to[a], to[b]);
        if (!found)
            return false;
    }
    return true;
}

/* Log entry i tried move m from the current champion. */
static bool km_entry_tried(km_ctx *c, size_t i, const km_move *m)
{
    if (c->p->epoch[i] != c->p->champion)
        return false;
    size_t knob[KM_MAX_KNOBS_PER_MOVE + 1];
    const json_t *to[KM_MAX_KNOBS_PER_MOVE + 1];
    int nk = km_entry_move(c, i, knob, to, KM_MAX_KNOBS_PER_MOVE);
    return nk > 0 && km_same_move(m, nk, knob, to);
}

/* Rule 4: tried from the champion? *measured_ok tells whether such an entry
 * passed every gate. */
static bool km_tried(km_ctx *c, const km_move *m, bool *measured_ok)
{
    bool tried = false;
    if (measured_ok)
        *measured_ok = false;
    for (size_t i = 0; i < c->nlog; i++) {
        if (!km_entry_tried(c, i, m))
            continue;
        tried = true;
        if (measured_ok && (km_outcome_is(c->log[i], "regression") || km_outcome_is(c->log[i], "improvement")))
            *measured_ok = true;
    }
    return tried;
}

/* The last entry that tried move m from the champion, or -1. */
static long km_tried_entry(km_ctx *c, const km_move *m)
{
    long last = -1;
    for (size_t i = 0; i < c->nlog; i++)
        if (km_entry_tried(c, i, m))
            last = (long)i;
    return last;
}

/* Rule 5: the configuration the move leads to was measured already. */
static bool km_config_measured(km_ctx *c, const km_move *m)
{
    if (!c->p->chain_ok)
        return false;
    size_t nk = c->sp->n;
    for (size_t i = 0; i < c->nlog; i++) {
        const char *gate;
        bool counts = km_outcome_is(c->log[i], "improvement") || km_outcome_is(c->log[i], "regression") ||
                      km_design_failure(c->log[i], &gate);
        if (!c->cfg_known[i] || !counts)
            continue;
        const json_t **cfg = c->cfg + i * nk;
        bool same = true;
        for (size_t k = 0; k < nk && same; k++) {
            const json_t *want = c->current[k];
            for (int a = 0; a < m->nk; a++)
                if (m->knob[a] == k)
                    want = m->to[a];
            same = rtlparam_value_eq(cfg[k], want);
        }
        if (same)
            return true;
    }
    return false;
}

static int km_sign(long x)
{
    return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/* Rule 7 for one knob of a move: log-ratio predictions and break rate. */
static int km_predict_knob(km_ctx *c, km_move *mv, int a, double pred[KM_NMETRIC], double *p_break)
{
    const km_knob *kd = &c->sp->v[mv->knob[a]];
    const json_t *f = mv->from[a], *t = mv->to[a];
    long fi = km_value_index(kd, f), ti = km_value_index(kd, t);
    int dir = fi >= 0 && ti >= 0 ? km_sign(ti - fi) : 0;
    double sum[KM_NMETRIC] = {0, 0, 0}, wd = 0, wc = 0, wb = 0, broke = 0;
    for (size_t i = 0; i < c->p->nobs; i++) {
        const km_obs *o = &c->p->obs[i];
        if (o->knob != mv->knob[a] || (!o->measured && !o->broken))
            continue;
        long ofi = km_value_index(kd, o->from), oti = km_value_index(kd, o->to);
        double w = 0, sgn = 1;
        bool w_kind_direct = false;
        if (rtlparam_value_eq(o->from, f) && rtlparam_value_eq(o->to, t)) {
            w = KM_W_EXACT;
            mv->direct = w_kind_direct = true;
        } else if (rtlparam_value_eq(o->to, t)) {
            w = KM_W_SAME_TO;
            mv->direct = w_kind_direct = true;
        } else if (rtlparam_value_eq(o->from, t) && rtlparam_value_eq(o->to, f)) {
            w = KM_W_REVERSE;
            sgn = -1;
        } else if (dir != 0 && ofi >= 0 && oti >= 0 && km_sign(oti - ofi) == dir) {
            w = KM_W_SAME_DIR;
        }
        if (w == 0)
            continue;
        w /= o->nmoved > 0 ? o->nmoved : 1;
        if (o->has_delta) {
            for (int m = 0; m < KM_NMETRIC; m++)
                sum[m] += w * sgn * o->d[m];
            wd += w;
            wc += w;
        } else if (o->has_cyc) {
            sum[KM_CYC] += w * sgn * o->d[KM_CYC];
            wc += w;
        }
        /* Only moves to the same value say whether this one breaks: another
         * value is other hardware, and a reverse move that passed says
         * nothing about this direction. */
        if (w_kind_direct && !(mv->frees_area && o->unplaced)) {
            wb += w;
            broke += o->broken ? w : 0;
        }
        size_t *nv = realloc(mv->obs, (mv->nobs + 1) * sizeof *nv);
        if (!nv)
            return -1;
        mv->obs = nv;
        mv->obs[mv->nobs++] = i;
        mv->evidence += w;
    }
    int pdir[KM_NMETRIC];
    km_prior_for(kd, f, t, pdir);
    for (int m = 0; m < KM_NMETRIC; m++) {
        double prior = log(1.0 + pdir[m] * kd->prior_mag[m]);
        pred[m] = (sum[m] + KM_W_PRIOR * prior) / ((m == KM_CYC ? wc : wd) + KM_W_PRIOR);
    }
    *p_break = (broke + KM_W_PRIOR * KM_PRIOR_BREAK) / (wb + KM_W_PRIOR);
    return 0;
}

static bool km_has_targets(const km_opts *o)
{
    return o && o->targets && (o->targets->coremark > 0 || o->targets->lut > 0);
}

/* Rule 8. */
static int km_predict(km_ctx *c, km_move *mv)
{
    double lg[KM_NMETRIC] = {0, 0, 0}, pass = 1.0;
    for (int a = 0; a < mv->nk; a++) {
        double pred[KM_NMETRIC], pb;
        if (km_predict_knob(c, mv, a, pred, &pb) != 0)
            return -1;
        for (int m = 0; m < KM_NMETRIC; m++)
            lg[m] += pred[m];
        pass *= 1.0 - pb;
    }
    mv->prior_only = mv->nobs == 0;
    mv->p_break = 1.0 - pass;
    for (int m = 0; m < KM_NMETRIC; m++)
        mv->pct[m] = (exp(lg[m]) - 1.0) * 100.0;
    double fit_log = lg[KM_FMAX] - lg[KM_CYC];
    mv->fitness_pct = (exp(fit_log) - 1.0) * 100.0;
    double gain = mv->fitness_pct;
    const json_t *champ = c->p->champion >= 0 ? c->log[c->p->champion] : NULL;
    double perf0 = champ ? json_number_value(json_object_get(champ, "fitness")) : 0;
    double lut0 = champ ? km_entry_figure(champ, KM_LUT) : NAN;
    if (km_has_targets(c->o) && perf0 > 0 && !isnan(lut0)) {
        const accept_targets *t = c->o->targets;
        accept_design d0 = {perf0, lut0}, d1 = {perf0 * exp(fit_log), lut0 * exp(lg[KM_LUT])};
        mv->gap_pct = 100.0 * (accept_score(t, d1) - accept_score(t, d0));
        double tie = (t->coremark > 0 ? mv->fitness_pct : 0) + (t->lut > 0 ? -mv->pct[KM_LUT] : 0);
        gain = mv->gap_pct + KM_TIE_WEIGHT * tie;
    }
    mv->objective = (1.0 - mv->p_break) * gain - mv->p_break * KM_BREAK_COST +
                    (mv->direct ? 0.0 : KM_EXPLORE_BONUS);
    mv->tiebreak = km_move_hash(c->sp, mv, c->o ? c->o->seed : 0);
    return 0;
}

static int km_push(km_plan *p, size_t *cap, const km_move *m)
{
    if (p->nmoves == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        km_move *nv = realloc(p->moves, *cap * sizeof *nv);
        if (!nv)
            return -1;
        p->moves = nv;
    }
    p->moves[p->nmoves++] = *m;
    return 0;
}

/* Rule 10: some knob of the move depends on a knob whose value, after the
 * move, is not the enabling one. */
static bool km_inert(const km_ctx *c, const km_move *m)
{
    for (int a = 0; a < m->nk; a++) {
        const km_knob *kd = &c->sp->v[m->knob[a]];
        if (kd->dep_knob < 0)
            continue;
        const json_t *dv = c->current[kd->dep_knob];
        for (int b = 0; b < m->nk; b++)
            if ((long)m->knob[b] == kd->dep_knob)
                dv = m->to[b];
        if (!rtlparam_value_eq(dv, kd->dep_value))
            return true;
    }
    return false;
}

/* Rule 6b: half did not place from the champion, and other passed from it
 * with fewer LCs than the champion has. */
static bool km_area_half(km_ctx *c, const km_move *half, const km_move *other)
{
    long h = km_tried_entry(c, half), o = km_tried_entry(c, other);
    if (h < 0 || o < 0 || c->p->champion < 0 || !km_outcome_is(c->log[h], "placement_failed"))
        return false;
    if (!km_outcome_is(c->log[o], "regression") && !km_outcome_is(c->log[o], "improvement"))
        return false;
    double lo = km_entry_figure(c->log[o], KM_LUT), l0 = km_entry_figure(c->log[c->p->champion], KM_LUT);
    return lo < l0;
}

/* Rule 6 (and 10, 6b) for one half of a pair: its single move passed from
 * the champion, or it was inert alone and the other half enables it, or it
 * did not place and the other half frees LCs (*area set). */
static bool km_pair_half_ok(km_ctx *c, const km_move *half, const km_move *other, bool *area)
{
    bool ok;
    if (km_tried(c, half, &ok) && ok)
        return true;
    if (km_area_half(c, half, other)) {
        *area = true;
        return true;
    }
    const km_knob *kd = &c->sp->v[half->knob[0]];
    return km_inert(c, half) && kd->dep_knob == (long)other->knob[0] &&
           rtlparam_value_eq(other->to[0], kd->dep_value);
}

/* Whether move m was measured from the champion and passed every gate. */
static bool km_passed(km_ctx *c, const km_move *m)
{
    bool ok;
    return km_tried(c, m, &ok) && ok;
}

/* The triples of rule 6: three single moves that each passed from the
 * champion, of which at least one pair passed together too. */
static int km_triples(km_ctx *c, size_t *cap)
{
    const km_space *sp = c->sp;
    for (size_t k1 = 0; k1 < sp->n; k1++)
        for (size_t k2 = k1 + 1; k2 < sp->n; k2++)
            for (size_t k3 = k2 + 1; k3 < sp->n; k3++) {
                size_t i1, i2, i3;
                const json_t *v1, *v2, *v3;
                json_array_foreach(sp->v[k1].values, i1, v1) json_array_foreach(sp->v[k2].values, i2, v2)
                    json_array_foreach(sp->v[k3].values, i3, v3) {
                    const size_t ks[3] = {k1, k2, k3};
                    const json_t *vs[3] = {v1, v2, v3};
                    km_move t = {.nk = 3};
                    bool singles = true;
                    for (int a = 0; a < 3 && singles; a++) {
                        t.knob[a] = ks[a], t.from[a] = c->current[ks[a]], t.to[a] = vs[a];
                        km_move s = {.nk = 1, .knob = {ks[a]}, .from = {c->current[ks[a]]}, .to = {vs[a]}};
                        singles = !rtlparam_value_eq(vs[a], c->current[ks[a]]) && km_passed(c, &s);
                    }
                    if (!singles)
                        continue;
                    bool pair = false;
                    for (int a = 0; a < 3 && !pair; a++) {
                        int x = a == 0 ? 1 : 0, y = a == 2 ? 1 : 2; /* the two that are not a */
                        km_move pr = {.nk = 2, .knob = {ks[x], ks[y]}, .from = {t.from[x], t.from[y]},
                                      .to = {vs[x], vs[y]}};
                        pair = km_passed(c, &pr);
                    }
                    if (!pair || km_inert(c, &t) || km_tried(c, &t, NULL) || km_config_measured(c, &t))
                        continue;
                    if (km_predict(c, &t) != 0 || km_push(c->p, cap, &t) != 0)
                        return -1;
                }
            }
    return 0;
}

/* Candidate single moves (rules 4, 5, 10); with pairs_mode, the pairs of rule 6. */
static int km_candidates(km_ctx *c, bool pairs_mode, size_t *cap)
{
    const km_space *sp = c->sp;
    for (size_t k = 0; k < sp->n; k++) {
        size_t vi;
        const json_t *v;
        json_array_foreach(sp->v[k].values, vi, v) {
            if (rtlparam_value_eq(v, c->current[k]))
                continue;
            km_move m = {.nk = 1, .knob = {k}, .from = {c->current[k]}, .to = {v}};
            if (!pairs_mode) {
                if (km_inert(c, &m)) {
                    c->p->inert++;
                    continue;
                }
                c->p->singles_total++;
                if (km_tried(c, &m, NULL) || km_config_measured(c, &m))
                    continue;
                c->p->singles_left++;
                if (km_predict(c, &m) != 0 || km_push(c->p, cap, &m) != 0)
                    return -1;
                continue;
            }
            for (size_t k2 = k + 1; k2 < sp->n; k2++) {
                size_t vj;
                const json_t *w;
                json_array_foreach(sp->v[k2].values, vj, w) {
                    if (rtlparam_value_eq(w, c->current[k2]))
                        continue;
                    km_move m2 = {.nk = 1, .knob = {k2}, .from = {c->current[k2]}, .to = {w}};
                    km_move pr = {.nk = 2, .knob = {k, k2}, .from = {c->current[k], c->current[k2]},
                                  .to = {v, w}};
                    bool area = false;
                    if (km_inert(c, &pr) || !km_pair_half_ok(c, &m, &m2, &area) ||
                        !km_pair_half_ok(c, &m2, &m, &area) || km_tried(c, &pr, NULL) || km_config_measured(c, &pr))
                        continue;
                    pr.frees_area = area;
                    if (km_predict(c, &pr) != 0 || km_push(c->p, cap, &pr) != 0)
                        return -1;
                }
            }
        }
    }
    return 0;
}

/* Does single move m set the value that enables another knob (rule 10)? */
static bool km_enables(const km_ctx *c, const km_move *m)
{
    for (size_t j = 0; j < c->sp->n; j++)
        if (c->sp->v[j].dep_knob == (long)m->knob[0] && rtlparam_value_eq(m->to[0], c->sp->v[j].dep_value))
            return true;
    return false;
}

/* Rule 6a: the single moves of the plan (all of it so far) that the log
 * says lose (direct evidence, objective below minus the accept margin) leave
 * the plan for *later (malloc'd, *nlater of them); the others stay. */
static int km_defer(km_ctx *c, km_move **later, size_t *nlater)
{
    double margin = accept_margin(c->o ? c->o->targets : NULL);
    double bar = -100.0 * (margin > 0 ? margin : ACCEPT_DEFAULT_MARGIN);
    km_plan *p = c->p;
    *later = NULL;
    *nlater = 0;
    size_t keep = 0, n0 = p->nmoves;
    for (size_t i = 0; i < n0; i++) {
        km_move *m = &p->moves[i];
        if (!(m->direct && m->objective < bar) || km_enables(c, m)) {
            p->moves[keep++] = *m;
            continue;
        }
        km_move *nv = realloc(*later, (*nlater + 1) * sizeof *nv);
        if (!nv) {
            for (size_t j = i; j < n0; j++) /* not yet kept nor moved */
                free(p->moves[j].obs);
            p->nmoves = keep;
            return -1;
        }
        *later = nv;
        m->deferred = true;
        (*later)[(*nlater)++] = *m;
    }
    p->nmoves = keep;
    return 0;
}

static int km_cmp(const void *pa, const void *pb)
{
    const km_move *a = pa, *b = pb;
    if (a->objective != b->objective)
        return a->objective > b->objective ? -1 : 1;
    if (a->tiebreak != b->tiebreak)
        return a->tiebreak < b->tiebreak ? -1 : 1;
    for (int i = 0; i < a->nk && i < b->nk; i++)
        if (a->knob[i] != b->knob[i])
            return a->knob[i] < b->knob[i] ? -1 : 1;
    return 0;
}

/* Rule 9 on moves[from, nmoves): sorted, then the best move of every knob
 * first, then the next ones. */
static int km_order(km_plan *p, size_t from, size_t nknobs)
{
    size_t n = p->nmoves - from;
    if (n < 2)
        return 0;
    km_move *mv = p->moves + from;
    qsort(mv, n, sizeof *mv, km_cmp);
    km_move *out = malloc(n * sizeof *out);
    bool *taken = calloc(n, sizeof *taken);
    bool *used = calloc(nknobs, sizeof *used);
    if (!out || !taken || !used) {
        free(out);
        free(taken);
        free(used);
        return -1;
    }
    size_t no = 0;
    while (no < n) {
        memset(used, 0, nknobs * sizeof *used);
        for (size_t i = 0; i < n; i++) {
            if (taken[i])
                continue;
            const km_move *m = &mv[i];
            bool clash = false;
            for (int a = 0; a < m->nk; a++)
                clash = clash || used[m->knob[a]];
            if (clash)
                continue;
            for (int a = 0; a < m->nk; a++)
                used[m->knob[a]] = true;
            taken[i] = true;
            out[no++] = *m;
        }
    }
    memcpy(mv, out, n * sizeof *out);
    free(out);
    free(taken);
    free(used);
    return 0;
}

int km_plan_build(const km_space *sp, const json_t *const *log, size_t nlog,
                  const json_t *const *current, const km_opts *o, km_plan *out, char *err, size_t n)
{
    memset(out, 0, sizeof *out);
    out->champion = -1;
    out->nlog = nlog;
    km_ctx c = {.sp = sp, .log = log, .nlog = nlog, .current = current, .o = o, .p = out};
    c.base = calloc(sp->n ? sp->n : 1, sizeof *c.base);
    c.cfg = calloc(nlog * sp->n + 1, sizeof *c.cfg);
    c.cfg_known = calloc(nlog + 1, sizeof *c.cfg_known);
    out->epoch = calloc(nlog + 1, sizeof *out->epoch);
    int rc = -1;
    if (!c.base || !c.cfg || !c.cfg_known || !out->epoch)
        goto done;
    for (size_t k = 0; k < sp->n; k++) {
        if (!current[k]) {
            snprintf(err, n, "knob %s: no current value", sp->v[k].name);
            goto fail;
        }
        c.base[k] = sp->v[k].def;
    }
    km_epochs(&c);
    if (o->parent_id) {
        long pi = km_entry_index(&c, o->parent_id, nlog);
        if (pi < 0) {
            snprintf(err, n, "the parent design %s is not in the log", o->parent_id);
            goto fail;
        }
        out->champion = pi; /* the moves start from the parent's design */
    }
    out->chain_ok = true;
    const json_t **chain = km_cfg_of(&c, out->champion);
    for (size_t k = 0; k < sp->n; k++)
        out->chain_ok = out->chain_ok && rtlparam_value_eq(chain[k], current[k]);
    for (size_t i = 0; i < nlog; i++)
        out->tried += out->epoch[i] == out->champion;
    if (km_obs_collect(&c) != 0)
        goto done;
    size_t cap = 0;
    km_move *later = NULL;
    size_t nlater = 0;
    if (km_candidates(&c, false, &cap) != 0 || km_defer(&c, &later, &nlater) != 0 || km_order(out, 0, sp->n) != 0)
        goto done_later;
    size_t nsingles = out->nmoves;
    if (km_candidates(&c, true, &cap) != 0 || km_order(out, nsingles, sp->n) != 0)
        goto done_later;
    size_t npairs_end = out->nmoves;
    for (size_t i = 0; i < nlater; i++)
        if (km_push(out, &cap, &later[i]) != 0)
            goto done_later;
    free(later);
    later = NULL;
    if (km_order(out, npairs_end, sp->n) != 0)
        goto done;
    size_t nmulti = out->nmoves;
    if (km_triples(&c, &cap) != 0 || km_order(out, nmulti, sp->n) != 0)
        goto done;
    out->pairs = nsingles == 0;
    out->deferred = nlater;
    out->triples = nmulti == 0 && out->nmoves > 0;
    rc = 0;
    goto done;
done_later:
    for (size_t i = 0; i < nlater; i++)
        free(later[i].obs);
    free(later);
done:
    if (rc != 0)
        snprintf(err, n, "out of memory in the knob model");
fail:
    if (rc != 0)
        km_plan_free(out);
    free(c.base);
    free(c.cfg);
    free(c.cfg_known);
    return rc;
}

void km_plan_free(km_plan *p)
{
    for (size_t i = 0; i < p->nmoves; i++)
        free(p->moves[i].obs);
    free(p->moves);
    free(p->obs);
    free(p->epoch);
    memset(p, 0, sizeof *p);
    p->champion = -1;
}

const km_move *km_plan_pick(const km_plan *p, int slot)
{
    if (slot < 1 || (size_t)slot > p->nmoves)
        return NULL;
    return &p->moves[slot - 1];
}
