/* scribe — the lesson of each slot, one line of cores/<t>/LESSONS.md
 * (DESIGN.md §5, §6). The line itself is records_lesson_line()
 * (records/records.h), from the entry's "lesson" field:
 *
 *     - <YYYY-MM-DD> <id> (<outcome>, <delta>): <lesson>
 *
 * <outcome> is the log entry's (improvement | regression | broken |
 * placement_failed); <delta> is its fitness change "+3.2%" / "-1.0%"
 * (delta_pct), or "n/a". The builtin scribe, scribe_lesson(), writes the
 * lesson from the measured figures: for a broken or unplaced slot, the
 * failing gate and the most telling line of its diagnostic (the first line
 * that mentions an error, else the first non-empty line), shortened;
 * otherwise which of cycles, Fmax and LCs moved and by how much against the
 * parent, and whether it was accepted. The subject is the hypothesis's knobs
 * ("BRANCH_PREDICT=2") or its title. A line is at most SCRIBE_LINE_MAX bytes,
 * with no control characters.
 *
 * LLM scribes edit LESSONS.md themselves; scribe_check_append_only() accepts
 * their result only when it is the old text plus exactly one line in the
 * format above (a missing final newline in the old text may be supplied);
 * anything else is rejected with the reason, and the caller restores the
 * old file.
 */
#ifndef AGENTS_SCRIBE_H
#define AGENTS_SCRIBE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum { SCRIBE_LINE_MAX = 600 };

/* The lesson text alone (malloc'd, one line). parent may be NULL. */
char *scribe_lesson(const json_t *entry, const json_t *parent);

/* True when line (without its newline) matches the lesson format. */
bool scribe_line_valid(const char *line, size_t len);

/* 0 when after == before + one valid lesson line; -1 with the reason. */
int scribe_check_append_only(const char *before_text, const char *after_text, char *err, size_t n);

#endif
