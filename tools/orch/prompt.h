/* prompt — the text an agent gets on stdin (DESIGN.md §6).
 *
 * Hypothesis prompt: the task and where to write the YAML, the hypothesis
 * schema, the fitness definition and the accept rule with the champion's
 * figures and the targets, core.yaml (with its knobs), CORE_PHILOSOPHY.md,
 * LESSONS.md (last 40 lines), the last log entries, the core's RTL (inline up
 * to PROMPT_RTL_INLINE bytes, else a map: file, size, modules, and the
 * instruction to read the files) and a focus that differs per slot so that
 * parallel slots explore different directions.
 * Implementation prompt: the hypothesis, the core contract (DESIGN.md §2 in
 * brief), the sandbox rules and how to lint locally.
 * A slot whose parent is not the champion (PARENT=topk) is told so in both
 * prompts: a line "Parent design: <id>" (what the builtin agent reads), the
 * parent's figures next to the champion's, and that it is still judged
 * against the champion.
 * Files are read from the slot worktree; missing optional files are noted.
 */
#ifndef ORCH_PROMPT_H
#define ORCH_PROMPT_H

#include <jansson.h>

#include "accept/accept.h"

enum { PROMPT_RTL_INLINE = 48 * 1024 };

typedef struct {
    const char *target, *id;
    int round, slot, nslots;
    const char *wt;               /* slot worktree (absolute) */
    const char *hypothesis_path;  /* absolute path to write */
    const char *schema_path;      /* schemas/hypothesis.schema.json (harness) */
    const json_t *champion;       /* log entry, or NULL */
    const json_t *parent;         /* the design the slot starts from when it is not the champion's
                                     (PARENT=topk), or NULL */
    const json_t *const *recent;  /* last log entries, oldest first */
    size_t nrecent;
    const accept_targets *targets;
    const json_t *hypothesis;     /* implementation phase */
} prompt_ctx;

char *prompt_hypothesis(const prompt_ctx *c);
char *prompt_implement(const prompt_ctx *c);

#endif
