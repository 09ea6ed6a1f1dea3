/* accept.c — the accept rule (DESIGN.md §4); see accept.h. */
#include "accept/accept.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static bool has_perf_target(const accept_targets *t)
{
    return t && t->coremark > 0;
}

static bool has_lut_target(const accept_targets *t)
{
    return t && t->lut > 0;
}

static bool design_ok(accept_design d)
{
    return isfinite(d.perf) && isfinite(d.lut) && d.perf >= 0 && d.lut >= 0;
}

double accept_margin(const accept_targets *t)
{
    if (!t || t->margin == 0)
        return ACCEPT_DEFAULT_MARGIN;
    return t->margin < 0 ? 0.0 : t->margin;
}

double accept_score(const accept_targets *t, accept_design d)
{
    double s = 0;
    if (has_perf_target(t))
        s += fmin(0.0, (d.perf - t->coremark) / t->coremark);
    if (has_lut_target(t))
        s += fmin(0.0, (t->lut - d.lut) / t->lut);
    return s;
}

/* Writes "accept: ..." or "reject: ..." into why; returns the verdict. */
static bool say(char *why, size_t n, bool verdict, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool say(char *why, size_t n, bool verdict, const char *fmt, ...)
{
    if (!why || !n)
        return verdict;
    int k = snprintf(why, n, "%s: ", verdict ? "accept" : "reject");
    if (k >= 0 && (size_t)k < n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why + k, n - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return verdict;
}

/* Both designs meet every set target: §5a rule 2. */
static bool beats_at_targets(const accept_targets *t, accept_design champ, accept_design cand,
                             char *why, size_t n)
{
    if (has_perf_target(t) && has_lut_target(t)) {
        bool pareto = cand.perf >= champ.perf && cand.lut <= champ.lut &&
                      (cand.perf > champ.perf || cand.lut < champ.lut);
        return say(why, n, pareto,
                   "both meet the targets; Pareto needs perf %.6g >= %.6g and lut %.0f <= %.0f, "
                   "one strictly",
                   cand.perf, champ.perf, cand.lut, champ.lut);
    }
    if (has_perf_target(t))
        return say(why, n, cand.perf > champ.perf,
                   "both meet the COREMARK target; perf %.6g vs %.6g (lut %.0f vs %.0f)",
                   cand.perf, champ.perf, cand.lut, champ.lut);
    return say(why, n, cand.lut < champ.lut,
               "both meet the LUT target; lut %.0f vs %.0f (perf %.6g vs %.6g)", cand.lut,
               champ.lut, cand.perf, champ.perf);
}

bool accept_beats(const accept_targets *t, accept_design champ, accept_design cand, char *why,
                  size_t n)
{
    if (!design_ok(cand))
        return say(why, n, false, "candidate figures are not valid (perf %g, lut %g)",
                   cand.perf, cand.lut);
    if (!has_perf_target(t) && !has_lut_target(t)) {
        double m = accept_margin(t);
        double bar = champ.perf * (1 + m);
        return say(why, n, cand.perf > bar, "perf %.6g vs champion %.6g x (1 + margin %.4g) = %.6g",
                   cand.perf, champ.perf, m, bar);
    }
    double sc = accept_score(t, cand), so = accept_score(t, champ);
    if (sc > so)
        return say(why, n, true, "closer to the targets: score %.4f > %.4f (perf %.6g, lut %.0f)",
                   sc, so, cand.perf, cand.lut);
    if (sc == 0 && so == 0)
        return beats_at_targets(t, champ, cand, why, n);
    return say(why, n, false, "not closer to the targets: score %.4f <= %.4f (perf %.6g, lut %.0f)",
               sc, so, cand.perf, cand.lut);
}

int accept_pick(const accept_targets *t, accept_design champ, const accept_design *cands, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!accept_beats(t, champ, cands[i], NULL, 0))
            continue;
        if (best < 0 || cands[i].perf > cands[best].perf ||
            (cands[i].perf == cands[best].perf && cands[i].lut < cands[best].lut))
            best = (int)i;
    }
    return best;
}
