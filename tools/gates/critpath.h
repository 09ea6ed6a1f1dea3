/* critpath — the critical path of a placed design as an architect reads it,
 * from nextpnr-ice40's --report JSON and its log (DESIGN.md §3, pnr).
 *
 * Contract of critpath_extract():
 *  - It takes the clock-to-clock path with the largest delay from the
 *    report's "critical_paths" and returns
 *      {"delay_ns", "logic_ns", "routing_ns", "levels", "from", "to",
 *       "signals": [...], "rtl": [...]}
 *    where signals are the RTL names the path's nets were derived from, in
 *    path order, without repeats (yosys's "_SB_LUT4_..." suffixes, bit
 *    indices and the instance prefix `prefix` removed), from/to the first
 *    and last register's names, levels the logic cells on the path, and rtl
 *    the "file:line" places under an rtl/ directory that the log's report
 *    of that clock names.
 *  - Names come from the candidate's RTL, so they are untrusted text: every
 *    name keeps only [A-Za-z0-9_.] and is clipped; lists are bounded.
 *  - NULL when the report has no clock-to-clock path. log may be NULL. */
#ifndef GATES_CRITPATH_H
#define GATES_CRITPATH_H

#include <jansson.h>
#include <stddef.h>

json_t *critpath_extract(const json_t *report, const char *log, size_t log_len, const char *prefix);

#endif
