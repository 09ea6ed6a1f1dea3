/* fitset.c — see fitset.h. */
#include "gates/fitset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fitset_members[] = {"coremark", "workload", "vm"};

static bool fitset_known(const char *m)
{
    for (size_t i = 0; i < sizeof fitset_members / sizeof fitset_members[0]; i++)
        if (strcmp(m, fitset_members[i]) == 0)
            return true;
    return false;
}

bool fitset_has(const fitset *s, const char *member)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->name[i], member) == 0)
            return true;
    return false;
}

int fitset_parse(const char *set, fitset *out, char *err, size_t n)
{
    memset(out, 0, sizeof *out);
    const char *p = set ? set : "";
    if (!*p) {
        snprintf(err, n, "the workload set is empty: name one or more of coremark, workload, vm joined by '+'");
        return -1;
    }
    for (;;) {
        size_t len = strcspn(p, "+");
        char m[FITSET_NAME];
        snprintf(m, sizeof m, "%.*s", len < sizeof m ? (int)len : (int)sizeof m - 1, p);
        if (len == 0 || len >= sizeof m || !fitset_known(m)) {
            snprintf(err, n, "workload set '%.64s': '%.*s' is not a workload (use coremark, workload or vm, "
                     "joined by '+', e.g. WORKLOADS=workload+vm)", set, (int)(len > 32 ? 32 : len), p);
            return -1;
        }
        if (fitset_has(out, m) || out->n == FITSET_MAX) {
            snprintf(err, n, "workload set '%.64s': %s is named twice", set, m);
            return -1;
        }
        snprintf(out->name[out->n++], FITSET_NAME, "%s", m);
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

const char *fitset_default(void)
{
    const char *w = getenv("WORKLOADS");
    if (w && *w)
        return w;
    const char *cm = getenv("COREMARK_DIR");
    return cm && *cm ? "coremark+vm" : "workload+vm";
}

const char *fitset_program(const char *member)
{
    return strcmp(member, "coremark") == 0 ? "coremark.elf" : strcmp(member, "vm") == 0 ? "vm.elf" : "workload.elf";
}

double fitset_geomean(const double *v, int n)
{
    if (n <= 0)
        return NAN;
    /* v[0] times the mean ratio to it: exactly v[0] when all are equal */
    double logs = 0;
    for (int i = 0; i < n; i++) {
        if (!(isfinite(v[i]) && v[i] > 0))
            return NAN;
        logs += log(v[i] / v[0]);
    }
    return v[0] * exp(logs / n);
}

json_t *fitset_score(const fitset *s, const json_t *runs, double fmax_mhz, char *err, size_t n)
{
    double per[FITSET_MAX], fit[FITSET_MAX];
    json_t *ws = json_object();
    for (int i = 0; i < s->n; i++) {
        const json_t *r = json_object_get(runs, s->name[i]);
        json_int_t cy = json_integer_value(json_object_get(r, "cycles"));
        json_int_t it = json_integer_value(json_object_get(r, "iterations"));
        if (cy <= 0 || it <= 0) {
            snprintf(err, n, "workload %s has no bracketed cycle and iteration count: the program must store to "
                     "BENCH_START and BENCH_STOP and print 'iterations: N'", s->name[i]);
            json_decref(ws);
            return NULL;
        }
        per[i] = (double)it / (double)cy * 1e6;
        fit[i] = fmax_mhz * per[i];
        json_object_set_new(ws, s->name[i], json_pack("{s:I,s:I,s:f,s:f}", "cycles", cy, "iterations", it,
                                                      "per_mhz", per[i], "fitness", fit[i]));
    }
    /* Fmax times the mean of the per-MHz figures (equal to the mean of the
     * fitness figures): a design that moves only Fmax moves fitness by
     * exactly that factor, as with one workload. */
    double gp = fitset_geomean(per, s->n), g = fmax_mhz * gp;
    if (!isfinite(g) || !isfinite(gp)) {
        snprintf(err, n, "the workload set has no positive fitness (Fmax %.2f MHz)", fmax_mhz);
        json_decref(ws);
        return NULL;
    }
    return json_pack("{s:f,s:f,s:o}", "fitness", g, "coremark_per_mhz", gp, "workloads", ws);
}
