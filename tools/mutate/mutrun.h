/* mutrun — the verifier measured on a core: mutants of its RTL through the
 * gates (DESIGN.md, "Mutation score").
 *
 * Contract:
 *  - Each mutant (mutgen.h) lives in <outdir>/<id>/tree/cores/<core>, a copy
 *    of <harness>/cores/<core> with one edit; cores/ is never written.
 *  - Each runs the real gates (gates/registry.h) in this order, stopping at
 *    the first that decides: lint (a failure of Verilator's lint step is
 *    "stillborn": it never counts; a failing core testbench is recorded as a
 *    lint kill and the mutant goes on), cosim (fail or timeout: killed),
 *    then, before the costlier formal gate, a Yosys equivalence proof of the
 *    mutant against the original (equiv_make, equiv_simple, equiv_induct):
 *    proven means "equivalent", excluded with that reason; then formal
 *    (fail or timeout: killed; pass: "survived"). A gate that cannot run
 *    ("error") makes the mutant "error", excluded and reported.
 *  - score = killed by cosim or formal / (mutants - stillborn - equivalent
 *    - error), in percent.
 *  - mutrun_run writes <outdir>/mutate.json after every mutant (so a long
 *    run can be read while it goes) and returns the results; progress lines
 *    go to progress (may be NULL). mutrun_print prints the kill matrix, the
 *    counts per class, "score: N%" and every survivor with its diff.
 */
#ifndef MUTATE_MUTRUN_H
#define MUTATE_MUTRUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *harness;   /* the trusted checkout: its cores/<core> is the original */
    const char *build;     /* the harness build dir (ELFs, models) */
    const char *core;
    const char *outdir;    /* mutants and mutate.json (created) */
    int max;               /* at most this many mutants (0: every site) */
    uint64_t seed;
    bool quick;            /* the gates' quick mode (tests) */
    int jobs;
    /* "FILE:LINE:CLASS" (optionally ":K", the K-th such site of the line,
     * from 0) picks exact mutants instead of a sample; NULL-terminated, or NULL. */
    const char *const *picks;
    double equiv_timeout_s; /* 0: 600 */
} mutrun_opts;

json_t *mutrun_run(const mutrun_opts *o, FILE *progress, char *err, size_t errlen);
/* The mutants mutrun_run would run, not run: [{"id","file","line","class","diff"}]. */
json_t *mutrun_select_only(const mutrun_opts *o, char *err, size_t errlen);
/* One line for `make report`: the newest <harness>/runs/mutate/<core>-seed<S>/
 * mutate.json's score and counts, or NULL when there is none. Caller frees. */
char *mutrun_report_line(const char *harness, const char *core);
void mutrun_print(const json_t *results, FILE *out);

#endif
