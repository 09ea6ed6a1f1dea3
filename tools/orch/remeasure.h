/* remeasure — a round's winner whose gain is inside the place-and-route
 * noise measured on this core is placed again with more seeds before the
 * round is decided for good (DESIGN.md §4).
 *
 * Contract of remeasure_winner():
 *  - noise = the median seed spread of the core's log and the winner's entry
 *    (records_noise_pct); threshold = factor x noise, factor from
 *    tour_opts.remeasure (0: REMEASURE_DEFAULT_FACTOR; < 0: never).
 *  - A winner whose entry already has "remeasure", or whose gain over the
 *    champion (its delta_pct, set by records_decide) is at least the
 *    threshold or unknown, is left alone: returns 0.
 *  - Otherwise the run's pnr gate (tour_opts.gates) places the winner's
 *    synth netlist (<rundir>/synth.json) again with the seeds after the
 *    usual three (gate_ctx.seed_first = 4), in this process under the
 *    scheduler's cores and the tools' sandbox, writing under
 *    <rundir>/remeasure; their routed Fmax join the entry's
 *    (records_entry_remeasure: median over all seeds, fitness from it).
 *    Returns 1: the caller decides the round again on the new figures.
 *  - When the extra placement cannot run (error or timeout) the winner is
 *    not taken on three seeds: its entry becomes broken at "pnr" with the
 *    reason, s->passed false; returns 1.
 *  - -1 with err when interrupted or out of memory.
 */
#ifndef ORCH_REMEASURE_H
#define ORCH_REMEASURE_H

#include "orch/slot.h"
#include "orch/tourenv.h"

/* A gain below twice the core's median seed spread is re-measured: the
 * spread is (max - min) / median of three seeds, while a median of three
 * moves by about half of it, so twice the spread covers a lucky draw. */
#define REMEASURE_DEFAULT_FACTOR 2.0

/* The first seed of a re-measurement (seeds 1..3 are the gate's own). */
enum { REMEASURE_SEED_FIRST = 4 };

int remeasure_winner(tour_env *env, tour_slot *s, char *err, size_t n);

#endif
