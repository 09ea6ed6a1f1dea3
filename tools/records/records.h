/* records — the loop's memory: cores/<T>/experiments/log.jsonl entries
 * (schemas/log_entry.schema.json), hypothesis ids, the core.yaml `current:`
 * block and the one-line lessons (DESIGN.md §5).
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
 *    never share an id, a slot or a recovery: an id
 *    belongs to exactly one valid core name.
 *  - Log texts are byte buffers with lengths: records_text_append() never
 *    cuts at a NUL byte; a line the loop cannot read whole is reported by
 *    records_log_parse() (the loop refuses to run on it, the report skips it).
 *  - Figures come from the gate results: fitness and CoreMark/MHz from the
 *    coremark gate (over a workload set: their geometric means, with each
 *    member's figures in "workloads", gates/fitset.h); cycles, iterations and workload from it or from cosim's
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
/* The best k distinct designs that passed every gate on this core, for
 * PARENT=topk:K: out[0] is the champion, then the entries whose outcome is
 * "regression" (every gate passed, not accepted), best fitness first (equal
 * fitness: the earlier entry first), one per cores/<T>/rtl tree (rtl_tree;
 * entries without one are left out, and so is the champion's tree), and only
 * those measured on the champion's workload. out has room for k; returns how
 * many it holds (0 without a champion, at most k). */
size_t records_topk(const records_log *log, size_t k, const json_t **out);
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
/* Copies the figures, per-gate seconds and per-gate CPU seconds (gate_cpu_seconds)
 * of a pipeline's results into e; a cached result counts 0. */
void records_fill_figures(json_t *e, const json_t *results);
/* The accept rule's view of an entry (perf = fitness, lut = LCs; 0 if null). */
accept_design records_design(const json_t *e);
/* The round's decision (DESIGN.md §4) over k slot entries against the
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
/* The entry's critical path in one paragraph (no newline), e.g.
 * "25.6 ns (8.8 logic in 43 levels, 16.8 routing; seed 2) from w_valid to
 * e_valid through io_rvfi_valid_0 -> e_ebreak -> ...; RTL: rtl/core.sv:325,
 * ...", or NULL when it has none. Caller frees. */
char *records_critical_path_text(const json_t *e);
/* The entry's synthesised cells by instance in one paragraph: "(core) 7684
 * cells (4702 LUT4, 2175 FF, 807 carry); u_muldiv 2849 cells (...); ...",
 * or NULL when it has none. Caller frees. */
char *records_cells_text(const json_t *e);
/* The entry's cosim profile of the fitness run (cpi_profile) in one
 * paragraph: "CPI 1.73 over 2385441 instructions; cycles beyond one per
 * instruction: muldiv 8.5%, ... of all cycles; by class (share of
 * instructions, cycles per instruction): alu 43.1% x 1.41, ...", or NULL
 * when it has none. Caller frees. */
char *records_cpi_text(const json_t *e);
/* The champion entry e was judged against: the last improvement of an
 * earlier round before e in the log; NULL for the first measurement. */
const json_t *records_judged_against(const records_log *log, const json_t *e);
/* An entry's per-workload figures in one line, "workload 16.90 it/s (+3.1%),
 * vm 10.20 it/s (-1.2%)", each delta against ref's figure for the same
 * member, given only when ref was measured on the same workload set (the
 * same "workload" name); *loses (may be NULL) says whether any member lost
 * against ref. NULL when e has no per-workload figures. Caller frees. */
char *records_workloads_text(const json_t *e, const json_t *ref, bool *loses);
/* delta_pct as "+3.2%" / "-1.0%" ("+0.0%" under 0.05 either way), or "n/a". */
void records_delta_str(const json_t *e, char *buf, size_t n);

/* ---- Setting an entry's fields -------------------------------------------
 * Every key of a log entry is written here (records_entry_new, the functions
 * above and the setters below); the loop's other modules read entries but
 * never write their keys. Text fields are made storable first: cut to a
 * maximum at a UTF-8 boundary keeping the end (diagnostics are tails) and
 * control characters made spaces (all of them in one-line fields, all but
 * newline and tab in the others); text that is not valid UTF-8 is stored as
 * "(not valid UTF-8)". */
enum { RECORDS_DIAG_MAX = 16000, RECORDS_LESSON_MAX = 480, RECORDS_REASON_MAX = 480 };
/* outcome (a failure: "broken", "placement_failed"), failed_gate and the
 * diagnostic (multi-line, RECORDS_DIAG_MAX). */
void records_entry_set_failed(json_t *e, const char *outcome, const char *gate, const char *diagnostic);
/* records_entry_set_failed with outcome "broken". */
void records_entry_set_broken(json_t *e, const char *gate, const char *diagnostic);
/* The diagnostic alone (a note on a slot that may still pass). */
void records_entry_set_diagnostic(json_t *e, const char *text);
/* Adds secs (negative counts as 0) to gate_seconds.<phase>. */
void records_entry_add_seconds(json_t *e, const char *phase, double secs);
/* gate_cache: for each pipeline result taken from the gate cache, "cached",
 * or "reverified" when a fresh run confirmed it; the key is absent when no
 * result came from the cache. */
void records_entry_set_cache(json_t *e, const json_t *results);
/* agent: {provider, exit (null unless exited), timed_out, transcript}. */
void records_entry_set_agent(json_t *e, const char *provider, bool exited, int exit_code, bool timed_out,
                             const char *transcript);
/* hypothesis: h itself (a reference is taken, not a copy). */
void records_entry_set_hypothesis(json_t *e, json_t *h);
void records_entry_set_rundir(json_t *e, const char *path);
/* finished: now (records_now). */
void records_entry_set_finished(json_t *e);
/* rtl_tree / commit: a 40-hex object id, or null when hex is NULL. */
void records_entry_set_rtl_tree(json_t *e, const char *hex);
void records_entry_set_commit(json_t *e, const char *hex);
/* parent_id: the id of the entry whose design the slot started from (set
 * only when that is not the champion). */
void records_entry_set_parent_id(json_t *e, const char *id);
/* "coverage": the cosim gate's coverage summary (cosim/covdat.h: kind,
 * lines, lines_hit; or kind "off" and why), how many lines of the rtl/ files the
 * candidate changed, and those no program exercised (records/covgap.h;
 * `unexercised` is taken over). */
void records_entry_set_coverage(json_t *e, const json_t *coverage, long changed, json_t *unexercised);
/* lesson: one line, RECORDS_LESSON_MAX. */
void records_entry_set_lesson(json_t *e, const char *lesson);
/* The decision on an entry outside records_decide (the first measurement, a
 * winner whose merge conflicted): outcome unless NULL, accepted, and
 * accept_reason (one line, RECORDS_REASON_MAX) unless NULL. */
void records_entry_set_verdict(json_t *e, const char *outcome, bool accepted, const char *reason);
/* Removes accept_reason and delta_pct: the decision no longer applies. */
void records_entry_clear_decision(json_t *e);
/* The P&R noise of an entry: (max - min) / median of its routed seeds'
 * Fmax (fmax_mhz.seeds), in percent; -1 with fewer than two. */
double records_seed_spread_pct(const json_t *e);
/* The P&R noise measured on this core: the median of records_seed_spread_pct
 * over the log's entries and `also` (NULL: none), *count of them (may be
 * NULL). -1 when no entry has two routed seeds. */
double records_noise_pct(const records_log *log, const json_t *also, int *count);
/* A winner placed again (orch/remeasure.h): the routed Fmax of `extra` (a pnr
 * result's "seeds") join fmax_mhz.seeds, fmax_mhz.median becomes the median
 * of them all and fitness its gates/gate.h gate_fitness; "remeasure" records
 * added_fmax_mhz (the new seeds), fitness_before, fitness_after, noise_pct and
 * threshold_pct. 0, or -1 when the entry has no Fmax or coremark_per_mhz. */
int records_entry_remeasure(json_t *e, const json_t *extra, double noise_pct, double threshold_pct);
/* confinement: c (the reference is stolen; policy.h's record). */
void records_entry_set_confinement(json_t *e, json_t *c);
/* tools: a copy of the tool versions (toolver.h). */
void records_entry_set_tools(json_t *e, const json_t *tools);
/* Takes an agent's parsed hypothesis h for the slot `id`: h must be a
 * mapping whose id is absent (it becomes `id`) or equal to `id`. 0, or -1
 * with err saying what is wrong. */
int records_hyp_adopt(json_t *h, const char *id, char *err, size_t n);
/* An agent's hypothesis file text[0..len) (untrusted: any bytes), as the loop
 * takes it for the slot `id`: read as YAML (yamljson.h; name labels its
 * errors), adopted (records_hyp_adopt), its text checked
 * (records_hyp_check_text) and validated against schema (the loaded
 * schemas/hypothesis.schema.json). The hypothesis, or NULL with err saying
 * what is wrong ("<name>:<line>:<col>: ..." for YAML errors). */
json_t *records_hyp_load(const char *text, size_t len, const char *name, const char *id, const json_t *schema,
                         char *err, size_t n);

#endif
