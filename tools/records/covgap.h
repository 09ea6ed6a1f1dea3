/* covgap — the lines a candidate changed that no cosim program exercised.
 *
 * Contract:
 *  - covgap_changed_lines(): the 1-based line numbers of `new_text` that are
 *    not in `old_text` (added or changed lines: the new side of a line diff,
 *    a longest common subsequence of whole lines after the common head and
 *    tail are set aside). old_text NULL: every line is new. Lines are cut at
 *    '\n'; a last line without one counts. When the part between head and
 *    tail is too large to compare (over COVGAP_DIFF_CELLS), every line of
 *    the new side of that part counts as changed. Returns the count (the
 *    array ascending, malloc'd; NULL when 0) or -1 when out of memory.
 *  - covgap_unexercised(): of `lines` (changed lines of rtl/<file>), those
 *    the cosim gate's "coverage" object (cosim/covdat.h) lists as coverable
 *    and never exercised, as [{"file": "rtl/<file>", "line": N, "text":
 *    "<the source line, trimmed, at most 160 bytes, control characters
 *    replaced by '?'>"}], appended to `out`, at most COVGAP_MAX_LIST in all.
 *    Lines the coverage cannot see (declarations, comments, logic Verilator
 *    does not instrument) are never listed.
 *  - covgap_message(): "N changed lines no cosim program exercised:
 *    rtl/core.sv:120 `x = y;`, ..." for a diagnostic, or NULL when none.
 */
#ifndef RECORDS_COVGAP_H
#define RECORDS_COVGAP_H

#include <jansson.h>
#include <stddef.h>

enum { COVGAP_MAX_LIST = 64 };
#define COVGAP_DIFF_CELLS 40000000.0

long covgap_changed_lines(const char *old_text, size_t old_len, const char *new_text, size_t new_len,
                          long **lines);
void covgap_unexercised(const json_t *coverage, const char *file, const long *lines, long n,
                        const char *new_text, size_t new_len, json_t *out);
char *covgap_message(const json_t *unexercised);
/* A log entry's "coverage" (records_entry_set_coverage) for people and
 * agents, one item a line, each line starting with `indent`: the core's
 * figure, then the changed lines no program exercised with their text
 * (escaped: an agent wrote it). NULL when the entry has none. */
char *covgap_text(const json_t *entry_coverage, const char *indent);

#endif
