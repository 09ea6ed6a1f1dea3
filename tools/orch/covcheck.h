/* covcheck — which lines of its RTL a candidate changed, and which of those no
 * cosim program exercised, into its log entry (records/covgap.h does the
 * line arithmetic; the cosim gate measured the coverage, cosim/covdat.h).
 *
 * Contract of covcheck_entry():
 *  - Reads the cosim gate's result (<rundir>/cosim.json); without one, or
 *    when it has no "coverage" (the gate did not get that far, or coverage is
 *    off), it records nothing and returns 0.
 *  - Compares each .sv file of cores/<target>/rtl/ in the exported tree `tree` with
 *    the same file at commit `parent` (a file the parent lacks is new: every
 *    line changed); parent NULL (a first measurement) compares nothing.
 *  - Sets the entry's "coverage" (records_entry_set_coverage) and returns the
 *    number of changed lines no program exercised, or -1 (err) when the tree
 *    or the repository cannot be read.
 */
#ifndef ORCH_COVCHECK_H
#define ORCH_COVCHECK_H

#include <jansson.h>
#include <stddef.h>

#include "orch/repo.h"

int covcheck_entry(repo *r, const git_oid *parent, const char *tree, const char *target, const char *rundir,
                   json_t *entry, char *err, size_t n);

#endif
