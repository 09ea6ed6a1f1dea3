/* agents — the agent providers of DESIGN.md §6 behind agent.h:
 *
 *   builtin  the offline design-space agent (knobmodel.h, builtin.h), run
 *            in-process: no network, no model. Default.
 *   claude   Claude Code in print mode:  claude -p --output-format text
 *            --permission-mode acceptEdits [--model M] --allowedTools <list>
 *   codex    Codex CLI:  codex exec --sandbox workspace-write --color never
 *            [--model M] -
 *
 * Contract shared by the CLI providers: they run in req->cwd (the slot
 * worktree) with the prompt file on standard input (never an argv element),
 * stdout and stderr appended to req->transcript, req->timeout_s enforced on
 * the whole process group (lib/proc.h), and the EVO_* environment of
 * agent.h. The model comes from the spec's argument (AGENT=claude:<model>),
 * else EVO_CLAUDE_MODEL / EVO_CODEX_MODEL, else the CLI's default. A CLI
 * missing from PATH is an error at open time naming what to install.
 * Thread-safe: a provider holds no mutable state and may run several slots
 * at once.
 */
#ifndef AGENTS_AGENTS_H
#define AGENTS_AGENTS_H

#include <stddef.h>

#include "agents/agent.h" /* the provider contract */

int agent_builtin_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n);
int agent_claude_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n);
int agent_codex_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n);

/* Runs argv in req->cwd with the prompt file on stdin, stdout+stderr appended
 * to req->transcript, the EVO_* environment of agent.h and req->timeout_s on
 * the whole process group; fills res. A command that cannot start is noted
 * in the transcript too. 0, or -1 with err (out of memory). */
int agents_exec(const char *const *argv, const agent_request *req, agent_result *res, char *err,
                size_t n);

/* The argv a CLI provider runs for a phase (NULL-terminated, static strings
 * and the model; valid while the provider lives). For tests and reports. */
const char *const *agents_cli_argv(const agent_provider *p, agent_phase phase);

#endif
