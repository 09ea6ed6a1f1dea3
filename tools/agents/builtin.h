/* builtin — the offline design-space agent's two phases (DESIGN.md §6),
 * used in-process by the `builtin` provider and by evo-agent-builtin.
 *
 * Hypothesis phase: reads the core's core.yaml knobs, the knobs' current
 * values from the RTL (rtlparam.h), experiments/log.jsonl (through
 * records_log_parse, with the log schema when found: a line it cannot read
 * whole is an error, as in the loop) and the targets;
 * asks the knob model (knobmodel.h) for the move of this slot (from the
 * design the prompt names as its parent, when it does); writes a
 * hypothesis YAML (schemas/hypothesis.schema.json, checked before it is
 * written when the schema is found) whose prose cites the log's figures.
 * Nothing left: status AGENT_EXIT_EXHAUSTED and a message naming the
 * champion.
 * Implementation phase: reads the hypothesis (the file when it exists, else
 * the ```yaml block after "## The hypothesis" in the prompt, where the
 * orchestrator puts it), then rewrites only the `parameter` lines its knobs
 * name, in files under the core's rtl/, and checks that each edit took.
 * Every message goes to `log` (the transcript); the last line says what
 * happened. Status: 0 done, 1 failed (message says why), 3 exhausted.
 */
#ifndef AGENTS_BUILTIN_H
#define AGENTS_BUILTIN_H

#include <stdio.h>

#include "accept/accept.h"

typedef struct {
    const char *core_dir;        /* cores/<t> in the slot worktree (absolute or relative) */
    const char *log_path;        /* NULL: <core_dir>/experiments/log.jsonl */
    const char *schema_path;     /* NULL: <core_dir>/../../schemas/hypothesis.schema.json if present */
    const char *log_schema_path; /* NULL: <core_dir>/../../schemas/log_entry.schema.json if present */
    const char *id;              /* hypothesis id */
    const char *out_path;        /* hypothesis phase: where the YAML goes */
    const char *hypothesis_path; /* implementation phase: read when it exists (may be NULL) */
    const char *prompt;          /* the prompt text (may be NULL) */
    int slot;                    /* 1-based */
    unsigned long long seed;
    accept_targets targets;      /* all zero: from the prompt's accept rule, else core.yaml */
} builtin_job;

int builtin_hypothesis(const builtin_job *j, FILE *log);
int builtin_implement(const builtin_job *j, FILE *log);

/* Seed from EVO_SEED (decimal or 0x hex), default 1. */
unsigned long long builtin_seed_from_env(void);

/* Targets stated by an orchestrator prompt ("Accept rule with targets:
 * COREMARK=300.0 it/s LUT=3000 logic cells"); zero when none. */
accept_targets builtin_targets_from_prompt(const char *prompt);

/* The id after "Parent design: " at the start of a line of an orchestrator
 * prompt (malloc'd): the slot starts from that design, not the champion
 * (PARENT=topk); the knob model then plans its moves from that design
 * (knobmodel.h, km_opts.parent_id). NULL when the prompt has none. */
char *builtin_parent_from_prompt(const char *prompt);

/* The hypothesis YAML inside an implementation prompt (malloc'd), or NULL. */
char *builtin_hypothesis_from_prompt(const char *prompt);

#endif
