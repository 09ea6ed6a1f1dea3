/* landscape — a seeded MODEL of a core's knob design space, for the fake
 * gates (fakegates.h, EVO_FAKE_LANDSCAPE) and `make bench-search`. It is not
 * measured place-and-route or simulation: it only gives every knob
 * configuration deterministic figures with the shape real ones have, so the
 * builtin agent's search can be measured against an exhaustive ground truth.
 *
 * The model (all effects relative to the knobs' declared defaults):
 *  - base figures: cycles of the "workload" and "vm" workloads (10
 *    iterations each), Fmax, LCs;
 *  - per knob value: % change of each workload's cycles and of Fmax, and an
 *    LC delta; a knob declared with a condition on another knob (core.yaml
 *    "only used with BRANCH_PREDICT=2", knobmodel.h rule 10) is inert unless
 *    the condition holds;
 *  - pairwise interactions: one value of a knob together with one value of
 *    another adds its own % changes and LC delta;
 *  - cycles and Fmax multiply (their % add in log space), LCs add; a design
 *    over LANDSCAPE_MAX_LCS (the hx8k's 7680) does not place;
 *  - P&R noise: each placement seed s routes at Fmax x exp(sigma x z) with z
 *    a standard normal drawn from (noise seed, configuration, s) and sigma
 *    the file's noise % scaled per configuration by 0.5..1.5 (also drawn),
 *    so a design re-placed with seeds 4-6 gets new, reproducible draws.
 * Fitness (no noise) = Fmax x geometric mean over the two workloads of
 * iterations / cycles x 1e6, as gates/fitset.h scores "workload+vm".
 *
 * File format, one statement a line ('#' starts a comment):
 *   seed S
 *   noise PCT
 *   base CYCLES_WORKLOAD CYCLES_VM FMAX_MHZ LCS
 *   knob NAME DEFAULT V1 V2 ...  [when OTHER VALUE]
 *   value NAME V CYC_WORKLOAD_PCT CYC_VM_PCT FMAX_PCT LCS
 *   pair NAME_A VA NAME_B VB CYC_WORKLOAD_PCT CYC_VM_PCT FMAX_PCT LCS
 * Values are integers. A value with no `value` line has no effect.
 * Pure functions but landscape_load (reads the file).
 */
#ifndef TEST_ORCH_LANDSCAPE_H
#define TEST_ORCH_LANDSCAPE_H

#include <stdbool.h>
#include <stddef.h>

enum { LS_MAX_KNOBS = 16, LS_MAX_VALUES = 8, LS_MAX_PAIRS = 32, LS_NAME = 40 };
enum { LS_CYC_W = 0, LS_CYC_VM = 1, LS_FMAX = 2, LS_LUT = 3, LS_NEFF = 4 };
#define LANDSCAPE_MAX_LCS 7680.0
#define LANDSCAPE_ITERATIONS 10.0

typedef struct {
    char name[LS_NAME];
    int nval;
    long val[LS_MAX_VALUES]; /* val[0] is the default */
    int dep_knob;            /* -1, or the knob whose value dep_val enables this one */
    long dep_val;
    double eff[LS_MAX_VALUES][LS_NEFF];
} ls_knob;

typedef struct {
    int a, va, b, vb; /* knob and value indices */
    double eff[LS_NEFF];
} ls_pair;

typedef struct {
    unsigned long long seed;
    double noise_pct;
    double base[LS_NEFF]; /* cycles workload, cycles vm, Fmax MHz, LCs */
    int nk;
    ls_knob k[LS_MAX_KNOBS];
    int npair;
    ls_pair pair[LS_MAX_PAIRS];
} landscape;

/* A configuration: the value index of every knob. */
typedef struct {
    int v[LS_MAX_KNOBS];
} ls_config;

typedef struct {
    double cyc_w, cyc_vm, fmax, lut, fitness;
    bool placed;
} ls_figures;

/* Parses the file text. 0, or -1 with err naming the line. */
int landscape_parse(const char *text, landscape *out, char *err, size_t n);
/* Reads and parses a file. 0, or -1 with err. */
int landscape_load(const char *path, landscape *out, char *err, size_t n);
/* Writes the landscape in the file format (round-trips through parse). */
char *landscape_format(const landscape *ls);
/* The configuration from "NAME = value" pairs: names[i] set to vals[i];
 * knobs not named keep their default. -1 with err on an unknown value. */
int landscape_config(const landscape *ls, const char *const *names, const long *vals, int n, ls_config *c,
                     char *err, size_t errn);
/* Noise-free figures of a configuration. */
ls_figures landscape_eval(const landscape *ls, const ls_config *c);
/* The Fmax factor of placement seed `seed` (1, 2, 3; 4-6 for a re-measure). */
double landscape_seed_factor(const landscape *ls, const ls_config *c, int seed);
/* Number of configurations of the space (product of the knobs' values). */
long landscape_size(const landscape *ls);
/* The i-th configuration (0 <= i < landscape_size), mixed radix. */
void landscape_nth(const landscape *ls, long i, ls_config *c);
/* "NAME=V NAME=V ..." of every knob (malloc'd). */
char *landscape_config_str(const landscape *ls, const ls_config *c);

#endif
