/* landscape.c — see landscape.h. */
#include "landscape.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"

static uint64_t ls_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Uniform in (0, 1). */
static double ls_unit(uint64_t h)
{
    return ((double)(ls_mix(h) >> 11) + 0.5) / 9007199254740992.0;
}

static uint64_t ls_config_hash(const landscape *ls, const ls_config *c)
{
    uint64_t h = ls_mix(ls->seed);
    for (int k = 0; k < ls->nk; k++)
        h = ls_mix(h ^ (uint64_t)(c->v[k] + 1) * 0x100000001b3ULL);
    return h;
}

static int ls_find(const landscape *ls, const char *name)
{
    for (int k = 0; k < ls->nk; k++)
        if (strcmp(ls->k[k].name, name) == 0)
            return k;
    return -1;
}

static int ls_value(const ls_knob *k, long v)
{
    for (int i = 0; i < k->nval; i++)
        if (k->val[i] == v)
            return i;
    return -1;
}

/* Splits a line into at most max tokens (in place); their count. */
static int ls_tokens(char *line, char **tok, int max)
{
    int n = 0;
    char *save = NULL;
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    for (char *t = strtok_r(line, " \t\r", &save); t && n < max; t = strtok_r(NULL, " \t\r", &save))
        tok[n++] = t;
    return n;
}

static bool ls_nums(char **tok, int n, double *out)
{
    for (int i = 0; i < n; i++) {
        char *end;
        out[i] = strtod(tok[i], &end);
        if (end == tok[i] || *end || !isfinite(out[i]))
            return false;
    }
    return true;
}

/* A "knob" statement. NULL, or what is wrong. */
static const char *ls_parse_knob(landscape *ls, char **tok, int nt)
{
    int nv = nt - 2;
    bool when = nt >= 6 && strcmp(tok[nt - 3], "when") == 0;
    if (when)
        nv -= 3;
    if (nv < 1 || nv > LS_MAX_VALUES || ls->nk == LS_MAX_KNOBS || strlen(tok[1]) >= LS_NAME)
        return "knob NAME DEFAULT V1 ... [when OTHER VALUE]: bad count or name";
    ls_knob *k = &ls->k[ls->nk];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", tok[1]);
    k->nval = nv;
    k->dep_knob = -1;
    for (int i = 0; i < nv; i++)
        k->val[i] = strtol(tok[2 + i], NULL, 10);
    if (when) {
        k->dep_knob = ls_find(ls, tok[nt - 2]);
        k->dep_val = strtol(tok[nt - 1], NULL, 10);
        if (k->dep_knob < 0)
            return "when names a knob not declared before";
    }
    ls->nk++;
    return NULL;
}

static const char *ls_parse_line(landscape *ls, char *line)
{
    char *tok[LS_MAX_VALUES + 8];
    int nt = ls_tokens(line, tok, LS_MAX_VALUES + 8);
    double x[8];
    if (nt == 0)
        return NULL;
    if (strcmp(tok[0], "seed") == 0 && nt == 2) {
        ls->seed = strtoull(tok[1], NULL, 10);
    } else if (strcmp(tok[0], "noise") == 0 && nt == 2 && ls_nums(tok + 1, 1, x)) {
        ls->noise_pct = x[0];
    } else if (strcmp(tok[0], "base") == 0 && nt == 5 && ls_nums(tok + 1, 4, x)) {
        memcpy(ls->base, x, sizeof ls->base);
    } else if (strcmp(tok[0], "knob") == 0) {
        return ls_parse_knob(ls, tok, nt);
    } else if (strcmp(tok[0], "value") == 0 && nt == 7 && ls_nums(tok + 2, 5, x)) {
        int k = ls_find(ls, tok[1]);
        int v = k >= 0 ? ls_value(&ls->k[k], (long)x[0]) : -1;
        if (v < 0)
            return "value names an undeclared knob or value";
        memcpy(ls->k[k].eff[v], x + 1, sizeof ls->k[k].eff[v]);
    } else if (strcmp(tok[0], "pair") == 0 && nt == 9 && ls_nums(tok + 4, 5, x) && ls->npair < LS_MAX_PAIRS) {
        ls_pair *p = &ls->pair[ls->npair];
        p->a = ls_find(ls, tok[1]);
        p->b = ls_find(ls, tok[3]);
        p->va = p->a >= 0 ? ls_value(&ls->k[p->a], strtol(tok[2], NULL, 10)) : -1;
        p->vb = p->b >= 0 ? ls_value(&ls->k[p->b], (long)x[0]) : -1;
        if (p->va < 0 || p->vb < 0 || p->a == p->b)
            return "pair names an undeclared knob or value";
        memcpy(p->eff, x + 1, sizeof p->eff);
        ls->npair++;
    } else {
        return "unknown statement or wrong number of fields";
    }
    return NULL;
}

int landscape_parse(const char *text, landscape *out, char *err, size_t n)
{
    memset(out, 0, sizeof *out);
    char *copy = strdup(text ? text : "");
    int no = 1, rc = 0;
    for (char *line = copy, *next; line && rc == 0; line = next, no++) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        const char *why = ls_parse_line(out, line);
        if (why) {
            snprintf(err, n, "landscape line %d: %s", no, why);
            rc = -1;
        }
    }
    free(copy);
    if (rc == 0 && (out->nk == 0 || !(out->base[LS_CYC_W] > 0) || !(out->base[LS_CYC_VM] > 0) ||
                    !(out->base[LS_FMAX] > 0))) {
        snprintf(err, n, "landscape: needs a base line with positive figures and at least one knob");
        rc = -1;
    }
    return rc;
}

int landscape_load(const char *path, landscape *out, char *err, size_t n)
{
    char *text = NULL;
    if (fsx_read(path, &text, NULL) != 0) {
        snprintf(err, n, "cannot read the landscape %s (EVO_FAKE_LANDSCAPE; make bench-search writes one)", path);
        return -1;
    }
    int rc = landscape_parse(text, out, err, n);
    free(text);
    return rc;
}

static bool ls_active(const landscape *ls, const ls_config *c, int k)
{
    const ls_knob *kn = &ls->k[k];
    return kn->dep_knob < 0 || ls->k[kn->dep_knob].val[c->v[kn->dep_knob]] == kn->dep_val;
}

ls_figures landscape_eval(const landscape *ls, const ls_config *c)
{
    double lg[3] = {0, 0, 0}, lut = ls->base[LS_LUT];
    for (int k = 0; k < ls->nk; k++) {
        if (!ls_active(ls, c, k))
            continue;
        const double *e = ls->k[k].eff[c->v[k]];
        for (int m = 0; m < 3; m++)
            lg[m] += log1p(e[m] / 100.0);
        lut += e[LS_LUT];
    }
    for (int i = 0; i < ls->npair; i++) {
        const ls_pair *p = &ls->pair[i];
        if (c->v[p->a] != p->va || c->v[p->b] != p->vb || !ls_active(ls, c, p->a) || !ls_active(ls, c, p->b))
            continue;
        for (int m = 0; m < 3; m++)
            lg[m] += log1p(p->eff[m] / 100.0);
        lut += p->eff[LS_LUT];
    }
    ls_figures f;
    f.cyc_w = round(ls->base[LS_CYC_W] * exp(lg[LS_CYC_W]));
    f.cyc_vm = round(ls->base[LS_CYC_VM] * exp(lg[LS_CYC_VM]));
    f.fmax = ls->base[LS_FMAX] * exp(lg[LS_FMAX]);
    f.lut = round(lut);
    f.placed = f.lut <= LANDSCAPE_MAX_LCS;
    f.fitness = f.fmax * sqrt(LANDSCAPE_ITERATIONS / f.cyc_w * 1e6 * LANDSCAPE_ITERATIONS / f.cyc_vm * 1e6);
    return f;
}

double landscape_seed_factor(const landscape *ls, const ls_config *c, int seed)
{
    uint64_t h = ls_config_hash(ls, c);
    double sigma = ls->noise_pct / 100.0 * (0.5 + ls_unit(h ^ 0x5157ULL));
    uint64_t hs = ls_mix(h + (uint64_t)seed * 0x2545f4914f6cdd1dULL);
    double u1 = ls_unit(hs), u2 = ls_unit(hs ^ 0xa5a5a5a5ULL);
    double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
    return exp(sigma * z);
}

long landscape_size(const landscape *ls)
{
    long n = 1;
    for (int k = 0; k < ls->nk; k++)
        n *= ls->k[k].nval;
    return n;
}

void landscape_nth(const landscape *ls, long i, ls_config *c)
{
    memset(c, 0, sizeof *c);
    for (int k = ls->nk - 1; k >= 0; k--) {
        c->v[k] = (int)(i % ls->k[k].nval);
        i /= ls->k[k].nval;
    }
}

int landscape_config(const landscape *ls, const char *const *names, const long *vals, int n, ls_config *c,
                     char *err, size_t errn)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < n; i++) {
        int k = ls_find(ls, names[i]);
        if (k < 0)
            continue; /* a parameter that is no knob */
        int v = ls_value(&ls->k[k], vals[i]);
        if (v < 0) {
            snprintf(err, errn, "landscape: %s = %ld is not one of its declared values", names[i], vals[i]);
            return -1;
        }
        c->v[k] = v;
    }
    return 0;
}

static char *ls_append(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *ls_append(char *s, const char *fmt, ...)
{
    if (!s)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *add = NULL;
    int rc = vasprintf(&add, fmt, ap);
    va_end(ap);
    char *out = rc < 0 ? NULL : fsx_fmt("%s%s", s, add);
    free(add);
    free(s);
    return out;
}

char *landscape_config_str(const landscape *ls, const ls_config *c)
{
    char *s = strdup("");
    for (int k = 0; k < ls->nk; k++)
        s = ls_append(s, "%s%s=%ld", k ? " " : "", ls->k[k].name, ls->k[k].val[c->v[k]]);
    return s;
}

static char *ls_format_knobs(const landscape *ls, char *s)
{
    for (int k = 0; k < ls->nk; k++) {
        const ls_knob *kn = &ls->k[k];
        s = ls_append(s, "knob %s", kn->name);
        for (int i = 0; i < kn->nval; i++)
            s = ls_append(s, " %ld", kn->val[i]);
        if (kn->dep_knob >= 0)
            s = ls_append(s, " when %s %ld", ls->k[kn->dep_knob].name, kn->dep_val);
        s = ls_append(s, "\n");
    }
    for (int k = 0; k < ls->nk; k++)
        for (int i = 1; i < ls->k[k].nval; i++) {
            const double *e = ls->k[k].eff[i];
            s = ls_append(s, "value %s %ld %+.2f %+.2f %+.2f %+.0f\n", ls->k[k].name, ls->k[k].val[i], e[0], e[1],
                          e[2], e[3]);
        }
    return s;
}

char *landscape_format(const landscape *ls)
{
    char *s = fsx_fmt("seed %llu\nnoise %.3f\nbase %.0f %.0f %.3f %.0f\n", ls->seed, ls->noise_pct,
                      ls->base[0], ls->base[1], ls->base[2], ls->base[3]);
    s = ls_format_knobs(ls, s);
    for (int i = 0; i < ls->npair; i++) {
        const ls_pair *p = &ls->pair[i];
        s = ls_append(s, "pair %s %ld %s %ld %+.2f %+.2f %+.2f %+.0f\n", ls->k[p->a].name, ls->k[p->a].val[p->va],
                      ls->k[p->b].name, ls->k[p->b].val[p->vb], p->eff[0], p->eff[1], p->eff[2], p->eff[3]);
    }
    return s;
}
