/* agent — the provider contract: the one interface through which the loop
 * (tools/orch) asks an agent to think (hypothesis phase) or to edit
 * (implementation phase). DESIGN.md §6.
 *
 * Contract:
 *  - A provider runs with a prompt, a working directory (the slot worktree),
 *    a timeout and a transcript file, and reports exit status, signal,
 *    timeout and wall time in an agent_result. agent_run() writes the prompt
 *    to req->prompt_path first: providers read it from there (a command gets
 *    it on stdin), so prompts of any size work and none is ever an argv
 *    element.
 *  - Every provider's process sees, on top of the caller's environment:
 *      EVO_TARGET      the core name
 *      EVO_CORE_DIR    absolute cores/<T> inside the slot worktree
 *      EVO_HYPOTHESIS  absolute path the hypothesis YAML must be written to
 *      EVO_ID          the hypothesis id (assigned by the loop)
 *      EVO_PHASE       "hypothesis" or "implement"
 *      EVO_ROUND       round number; EVO_SLOT slot number (1-based)
 *      EVO_PROMPT      the prompt file (the same text as stdin)
 *  - Providers: "builtin", "claude", "codex" (agents.h) and "cmd:<path>"
 *    (any executable, run with no arguments), registered by name in
 *    agent.c's provider table. A new provider implements agent_provider
 *    (run + destroy) and adds one line to that table.
 *  - Exit status AGENT_EXIT_EXHAUSTED in the hypothesis phase means "nothing
 *    left to propose" (the builtin agent, when every move reachable from the
 *    champion was tried): the slot is dropped without a log line, and when
 *    every slot of a round says so the loop stops with the agent's last line.
 *  - agent_result_json() is the log entry's "agent" object.
 */
#ifndef AGENTS_AGENT_H
#define AGENTS_AGENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/confine.h"

typedef enum { AGENT_HYPOTHESIS, AGENT_IMPLEMENT } agent_phase;

enum { AGENT_EXIT_EXHAUSTED = 3 };

typedef struct {
    agent_phase phase;
    const char *prompt;          /* the text */
    const char *prompt_path;     /* where agent_run writes it (absolute) */
    const char *cwd;             /* slot worktree (absolute) */
    const char *transcript;      /* stdout+stderr of the agent (absolute) */
    double timeout_s;            /* 0: no limit */
    const char *target, *core_dir, *hypothesis_path, *id;
    int round, slot;
    /* The sandbox an agent process runs in (lib/confine.h); NULL: none.
     * The loop builds it per phase: only that phase's outputs are writable. */
    const confine_policy *confine;
    /* The harness's schemas/ (trusted, the loop's own): an in-process agent
     * reads the log and writes its hypothesis against these, never the
     * worktree's copies, which are as old as the core's branch. NULL: the
     * worktree's. */
    const char *schema_dir;
} agent_request;

typedef struct {
    int exit_code;
    int term_signal;
    bool timed_out, cancelled, spawn_failed;
    int err;          /* errno when spawn_failed */
    double seconds;
    char *output_tail; /* last ~2 KiB of the transcript (malloc'd) */
} agent_result;

typedef struct agent_provider agent_provider;
struct agent_provider {
    const char *name; /* as given: "cmd:/path/x", "builtin", ... */
    bool in_process;  /* runs inside evo (builtin): trusted, nothing to confine */
    bool net;         /* needs the network to reach its model (claude, codex) */
    /* Its login, as paths relative to $HOME that are copied into the private
     * HOME of each confined phase (NULL: it gets an empty private HOME). */
    const char *const *home_files;
    /* A directory its process must read wherever it lies (a cmd: agent's
     * own, which may sit under /tmp or $HOME: both are private in the
     * sandbox); shown read-only. NULL: none. */
    const char *exe_dir;
    /* Runs one phase; fills res. 0 when the provider could be started
     * (whatever the agent did), -1 with err when it could not even try. */
    int (*run)(const agent_provider *self, const agent_request *req, agent_result *res,
               char *err, size_t n);
    void (*destroy)(agent_provider *self);
    void *impl;
};

/* Constructor signature of a provider module; `arg` is the text after
 * "name:" (or NULL). */
typedef int (*agent_open_fn)(const char *spec, const char *arg, agent_provider **out,
                             char *err, size_t n);

/* Parses AGENT (NULL or "" = "builtin"). */
int agent_open(const char *spec, agent_provider **out, char *err, size_t n);
void agent_close(agent_provider *p);

/* Writes the prompt file, runs the provider, fills res (including the
 * transcript tail). 0 when the agent ran; -1 with err otherwise. */
int agent_run(const agent_provider *p, const agent_request *req, agent_result *res,
              char *err, size_t n);
/* True when the agent finished by itself with exit status 0. */
bool agent_ok(const agent_result *res);
/* One line: "exited 0 after 3.1 s", "timed out after 600 s", ... */
void agent_describe(const agent_result *res, char *buf, size_t n);
/* {"provider", "phase", "exit_code", "signal", "timed_out", "seconds",
 *  "transcript", "output_tail"} */
json_t *agent_result_json(const agent_provider *p, const agent_request *req,
                          const agent_result *res);
void agent_result_free(agent_result *res);

/* The "cmd:<path>" provider, exported for tests. It runs the executable
 * through agents_exec() (agents.h), like the claude/codex CLIs. */
int agent_cmd_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n);

#endif
