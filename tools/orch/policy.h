/* policy — what the loop's untrusted processes may touch: the sandbox
 * policies (lib/confine.h) of an agent phase and of the gates' tools,
 * decided once per run from the loop's paths.
 *
 * Contract:
 *  - policy_decide() probes bubblewrap once. Confinement is on unless the
 *    user said CONFINE=off; when it cannot work here, an untrusted agent
 *    (cmd:, claude, codex) is refused with the reason and the way out, and
 *    the builtin agent (in-process, trusted) runs with unconfined tools,
 *    which the records say.
 *  - An agent phase sees the whole filesystem read-only except the paths the
 *    phase may write; it cannot read the repository's git directory, the
 *    gate cache, any run directory, other worktrees or $HOME. A model CLI
 *    gets a private HOME of its own for the phase, holding copies of only
 *    the login files its provider names (policy_home), so it can write its
 *    session state and nothing it writes outlives the phase. It has no
 *    network unless its provider needs one or the user allowed it. As root
 *    it runs as CONFINE_UID.
 *  - A gate's tool sees the harness, the exported candidate tree and the
 *    build read-only, writes only its run directory (the cosim model builder
 *    adds its model cache), and can read neither git nor the gate cache.
 *  - policy_json() is the log entry's "confinement" object.
 */
#ifndef ORCH_POLICY_H
#define ORCH_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/confine.h"

typedef struct {
    const char *workdir;   /* the harness checkout */
    const char *commondir; /* the repository's git directory */
    const char *wtroot;    /* every worktree */
    const char *runs_root; /* <workdir>/runs: every run directory */
    const char *cache_dir; /* the gate cache */
    const char *build;     /* the harness build directory */
} policy_paths;

typedef struct {
    bool confined;  /* the sandbox works and is wanted */
    bool drop_uid;  /* agents run as CONFINE_UID (root caller, probe passed) */
    bool agent_net; /* the user allowed cmd: agents the network */
    char why[768];  /* when not confined: why (for the first line and the records) */
} policy_mode;

/* 0, or -1 with err when the run must not start (untrusted agent, no
 * sandbox, no CONFINE=off). */
int policy_decide(const policy_paths *pp, bool unconfined, bool agent_in_process, bool agent_net,
                  policy_mode *m, char *err, size_t n);

/* The policy of one agent phase: writable (NULL-terminated; directories
 * that exist) are the phase's outputs; prompt is the prompt file (shown
 * read-only); wt the slot worktree (readable); home a private HOME made by
 * policy_home (writable; NULL: none); exe_dir the agent program's own
 * directory (read-only; NULL: none). */
void policy_agent(const policy_mode *m, const policy_paths *pp, const char *wt, const char *const *writable,
                  const char *prompt, const char *home, const char *exe_dir, bool provider_net,
                  confine_policy *out);

/* Makes dir (which must not exist) a private HOME holding copies of the
 * caller's $HOME/<f> for each f of files (NULL-terminated, relative; missing
 * ones skipped, each at most 1 MiB, regular files only), owned by the agent's
 * user. 0, or -1 with err. */
int policy_home(const policy_mode *m, const char *dir, const char *const *files, char *err, size_t n);

/* The policy of the gates' tools on one candidate. */
void policy_tools(const policy_mode *m, const policy_paths *pp, const char *tree, const char *rundir,
                  confine_policy *out);

/* {"agent": "bwrap"|"off"|"in-process", "tools": "bwrap"|"off", "network": bool, "uid": n} */
json_t *policy_json(const policy_mode *m, bool agent_in_process, bool provider_net);

#endif
