/* report — what happened on a core: tables, the progress chart and a
 * pull-request summary (`make report`, `make pr`).
 *
 * Contract:
 *  - report_print(): the champion path (id, round, fitness, delta against
 *    the previous champion, Fmax, CoreMark/MHz, LCs, title), counts by
 *    outcome, failures by gate, and time per gate (total, mean, runs; cached
 *    gate results count as 0 s) over every entry of the log.
 *  - report_chart(): a PNG of fitness by round (each slot a point coloured
 *    by outcome, broken and unplaced slots on the axis, the champion as a
 *    step line) drawn by gnuplot run through proc with a timeout; pngcairo
 *    when this gnuplot has it, else png. -1 with err when gnuplot is missing
 *    or fails (callers treat a missing chart as a warning).
 *  - report_pr(): markdown for a pull request of core-<T> against main:
 *    start and end figures, accepted changes, experiment counts, the files
 *    changed since the merge base with main, the branch's commits.
 */
#ifndef ORCH_REPORT_H
#define ORCH_REPORT_H

#include <stdio.h>

#include "gates/registry.h"
#include "records/records.h"
#include "orch/repo.h"

/* gates: the run's gate table, for the order of the time-per-gate rows. */
void report_print(FILE *out, const records_log *log, const char *target, const gate_def *gates, size_t ngates);
int report_chart(const records_log *log, const char *target, const char *png_path,
                 const char *scratch_dir, char *err, size_t n);
char *report_pr(repo *r, const records_log *log, const char *target, char *err, size_t n);

#endif
