/* accept — the accept rule of DESIGN.md §4 as pure functions.
 *
 * Contract:
 *  - A design is (perf, lut): fitness in CoreMark iterations per second and
 *    logic cells after place and route.
 *  - No targets set: cand beats champ when cand.perf > champ.perf * (1 + margin).
 *  - Targets (COREMARK= and/or LUT=): each design scores <= 0, the sum over the
 *    set targets of min(0, (perf - T)/T) and min(0, (T - lut)/T). cand beats
 *    champ when its score is higher; when both scores are 0: with both targets
 *    set only a strict Pareto improvement (perf >= and lut <=, one strictly),
 *    with only COREMARK higher perf, with only LUT fewer LUTs; otherwise not.
 *    The margin does not apply in target mode (§5a states none).
 *  - A candidate with a non-finite or negative figure never wins.
 *  - No state, no I/O: the same inputs always give the same answer.
 */
#ifndef ACCEPT_ACCEPT_H
#define ACCEPT_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>

/* The noise margin used when none is configured (targets.margin == 0).
 * Grounded in the measured P&R seed spread: over 20 distinct netlists of the
 * baseline and its knob values (make bench-fpga-knobs), the Fmax spread of
 * seeds 1-3, (max - min) / median, had median 2.2 %, mean 3.4 %, 75th
 * percentile 6.9 %. Fitness uses the median of the three seeds, which moves
 * less than the full spread, so 3 % rejects seed noise on a typical design
 * while still accepting real gains of a few percent. MARGIN= overrides it. */
#define ACCEPT_DEFAULT_MARGIN 0.03

/* Pass this as targets.margin to ask for no margin at all (0 means "default"). */
#define ACCEPT_MARGIN_NONE (-1.0)

typedef struct {
    double perf; /* iterations per second */
    double lut;  /* logic cells */
} accept_design;

typedef struct {
    double coremark; /* target perf in iterations/s; 0 = unset */
    double lut;      /* target LCs; 0 = unset */
    double margin;   /* relative noise margin; 0 = ACCEPT_DEFAULT_MARGIN; < 0 = none */
} accept_targets;

/* The margin in effect for t (NULL = defaults). */
double accept_margin(const accept_targets *t);

/* The design's score (<= 0; 0 when every set target is met, 0 with no targets). */
double accept_score(const accept_targets *t, accept_design d);

/* true when cand beats champ; why gets a one-line explanation either way
 * (why may be NULL). t may be NULL (no targets, default margin). */
bool accept_beats(const accept_targets *t, accept_design champ, accept_design cand, char *why,
                  size_t n);

/* Index of the round's winner among n candidates that passed every gate: of
 * those that beat champ, the highest perf, then fewer LUTs, then the lower
 * index (slot). -1 when none beats champ. */
int accept_pick(const accept_targets *t, accept_design champ, const accept_design *cands, size_t n);

#endif
