/* records — the loop's memory: cores/<T>/experiments/log.jsonl entries
 * (schemas/log_entry.schema.json), hypothesis ids, the core.yaml `current:`
 * block and the one-line lessons (DESIGN.md §9).
 *
 * Contract:
 *  - records_log_parse() reads a log.jsonl text; a line that is not a JSON
 *    object (a NUL byte or invalid UTF-8 makes it invalid JSON) or fails the
 *    schema is left out of `v` and named in a warning "<name>:<line>:
 *    <reason>" (reason escaped, safetext.h). The caller decides: the report
 *    shows the rest, the loop refuses to run (tournament.h).
 *  - The champion is the last entry whose outcome is "improvement" (round 0,
 *    the first measurement of a core, is logged as one when it passes).
 *  - records_line() validates an entry against the schema and returns the
 *    compact line to append; an invalid entry is an error (a bug in the
 *    loop, reported with the schema's message), never written.
 *  - Core names (targets): ^[a-z0-9][a-z0-9-]{0,39}$ (records_core_name_check).
 *    Ids: "<core>-r<round, 3 digits>-s<slot>-<4 hex>" with the core name
 *    verbatim, matching the schemas' id pattern; the random suffix keeps ids
 *    unique when an interrupted round's number is used again. The name is
 *    not mapped (no case folding, no '_' -> '-', no cut), so two targets
 *    never share an id, a slot or a recovery (issue 17 item 10): an id
 *    belongs to exactly one valid core name.
 *  - Log texts are byte buffers with lengths: records_text_append() never
 *    cuts at a NUL byte; a line the loop cannot read whole is reported by
 *    records_log_parse() (the loop refuses to run on it, the report skips it).
 *  - Figures come from the gate results: fitness and CoreMark/MHz from the
 *    coremark gate; cycles, iterations and workload from it or from cosim's
 *    "fitness" object; Fmax per seed and median from pnr; lut = logic cells
 *    after place and route (pnr "lc_used", what the accept rule compares);
 *    ff from synth's cell counts. Missing figures are null.
 */
#ifndef RECORDS_RECORDS_H
#define RECORDS_RECORDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "accept/accept.h"

typedef struct {
    json_t **v;      /* valid entries, in file order */
    size_t n;
    char **warnings; /* one per line left out */
    size_t nwarn;
} records_log;

/* schema may be NULL (only JSON syntax is checked then). 0, or -1 when out of memory. */
int records_log_parse(const char *text, size_t len, const char *name, const json_t *schema,
                      records_log *out);
void records_log_free(records_log *log);
const json_t *records_champion(const records_log *log);
int records_last_round(const records_log *log); /* -1 when empty */

/* 0 when name can be a target; -1 with err saying why and what to do. */
int records_core_name_check(const char *name, char *err, size_t n);
/* NULL when target is not a valid core name (or out of memory). */
char *records_id(const char *target, int round, int slot);
/* False for any id when target is not a valid core name. */
bool records_id_belongs(const char *id, const char *target);

/* old[0..old_len) + (a '\n' when old is non-empty and lacks a final one) +
 * add[0..add_len), as a new buffer (NUL-terminated for convenience; *out_len
 * counts every byte, embedded NULs included). NULL when out of memory. */
char *records_text_append(const char *old, size_t old_len, const char *add, size_t add_len, size_t *out_len);

/* Every string an agent wrote in hypothesis h (and every key) must be valid
 * UTF-8 without control characters; the prose fields (motivation,
 * hypothesis, changes[].description) may hold newlines and tabs. 0, or -1
 * with err naming the field ("title: control character U+001B ..."). */
int records_hyp_check_text(const json_t *h, char *err, size_t n);

/* A new entry with every required field present (null/empty where unknown). */
json_t *records_entry_new(const char *id, const char *core, int round, int slot,
                          const char *parent_hex);
/* Copies the figures and per-gate seconds of a pipeline's results into e. */
void records_fill_figures(json_t *e, const json_t *results);
/* The accept rule's view of an entry (perf = fitness, lut = LCs; 0 if null). */
accept_design records_design(const json_t *e);
/* The round's decision (DESIGN.md §5a) over k slot entries against the
 * champion entry (NULL: none yet, every passing slot beats it): among the
 * entries with passed[i], accept_pick() chooses at most one winner, whose
 * outcome becomes "improvement"; the other passing entries become
 * "regression" (with "beats the champion but <id> won this round" when
 * they did). Sets accepted, accept_reason and delta_pct (null without a
 * champion fitness) on every passing entry and accepted=false on the rest.
 * Returns the winner's index or -1. */
int records_decide(const accept_targets *t, const json_t *champion, json_t *const *entries,
                   const bool *passed, size_t k);
/* RFC 3339 UTC time for `started`/`finished`. buf >= 32. */
void records_now(char *buf, size_t n);

/* The core.yaml current: block for a champion entry. */
json_t *records_current(const json_t *e, const char *commit_hex);
/* The one LESSONS.md line of an entry: "- <YYYY-MM-DD, today UTC> <id>
 * (<outcome>, <delta>): <lesson>\n", from the entry's own "lesson" (written
 * by the scribe, agents/scribe.h, as one line) or "no lesson" when it is
 * empty; scribe_check_append_only() accepts exactly this format. */
char *records_lesson_line(const json_t *e);
/* Validated compact JSON + "\n"; NULL with err when invalid. */
char *records_line(const json_t *e, const json_t *schema, char *err, size_t n);
/* delta_pct as "+3.2%" / "-1.0%" ("+0.0%" under 0.05 either way), or "n/a". */
void records_delta_str(const json_t *e, char *buf, size_t n);

#endif
