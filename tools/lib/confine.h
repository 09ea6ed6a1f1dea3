/* confine — runs an untrusted process (an agent, or a tool that reads
 * agent-written RTL) where it can touch nothing but what it was given.
 *
 * Contract:
 *  - A confine_policy lists, in order, what the process sees on top of a
 *    read-only view of the whole filesystem with a private /dev, /proc and
 *    /tmp: CONFINE_RO re-binds a path read-only (to bring back something
 *    hidden under /tmp or a hidden directory), CONFINE_RW makes a path
 *    writable, CONFINE_HIDE puts an empty tmpfs over a directory (it can be
 *    neither read nor written). Later entries lie on top of earlier ones.
 *    Paths are borrowed, absolute and must exist (a missing HIDE or RO_TRY
 *    path is skipped: there is nothing to hide or to show).
 *  - The enforcement is Debian's bubblewrap (bwrap, no setuid helper of
 *    ours): new user, mount, PID, IPC, UTS and cgroup namespaces, and a new
 *    network namespace (loopback only) unless net is set; all capabilities
 *    dropped; a new session (no TIOCSTI into the caller's terminal); the
 *    sandbox dies with its parent, and everything started inside it dies
 *    when the main process ends (the PID namespace goes away).
 *  - Limits (address space, file size, processes) are set with setrlimit in
 *    the child before exec and hold with or without the namespaces. When the
 *    caller is root, drop_uid runs the process as CONFINE_UID so that the
 *    process limit holds at all (root is exempt from RLIMIT_NPROC).
 *  - confine_wrap() only builds an argv; lib/proc.h runs it (proc_spec
 *    .confine), and calls confine_child() in the child. No global state.
 */
#ifndef LIB_CONFINE_H
#define LIB_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The unprivileged user a root caller's confined agents run as. */
#define CONFINE_UID 65534
#define CONFINE_GID 65534

enum { CONFINE_MAX_MOUNTS = 24 };

typedef enum { CONFINE_RO, CONFINE_RO_TRY, CONFINE_RW, CONFINE_HIDE } confine_kind;

typedef struct {
    confine_kind kind;
    const char *path;
} confine_mount;

typedef struct {
    unsigned long long mem_bytes;  /* RLIMIT_AS; 0: none */
    unsigned long long file_bytes; /* RLIMIT_FSIZE; 0: none */
    unsigned long nproc;           /* RLIMIT_NPROC; 0: none */
} confine_limits;

typedef struct {
    bool enabled;     /* false: no namespaces (CONFINE=off); limits still apply */
    bool net;         /* keep the caller's network */
    bool drop_uid;    /* as root: run as CONFINE_UID (see the contract) */
    const char *home; /* HOME inside (a fresh tmpfs); NULL: HOME hidden if set, else untouched */
    confine_limits limits;
    confine_mount mounts[CONFINE_MAX_MOUNTS];
    size_t nmounts;
} confine_policy;

/* Appends a mount; -1 when the table is full (a programming error). */
int confine_add(confine_policy *p, confine_kind kind, const char *path);

/* The argv that runs argv inside the policy: "bwrap <options> -- argv...".
 * cwd (may be NULL) is where the command starts inside. The result and its
 * strings are one malloc'd block: free() it. NULL with errno on failure. */
char **confine_wrap(const confine_policy *p, const char *const *argv, const char *cwd);

/* Every RO and RW path exists: 0, or -1 with errno ENOENT (a sandbox that
 * cannot be built is the caller's error, never the sandboxed program's). */
int confine_check(const confine_policy *p);

/* A confined program that died of signal S makes bwrap exit 128+S: the
 * signal, or 0 for an ordinary exit status. */
int confine_exit_signal(int exit_code);

/* In the forked child, before exec: parent-death signal, limits, and the
 * uid drop. Async-signal-safe. 0, or -1 with errno. */
int confine_child(const confine_policy *p);

/* Whether bwrap can build the sandbox here (run once per process that needs
 * to know): 0, or -1 with why (what failed and what to do). */
int confine_probe(const confine_policy *p, char *why, size_t n);

/* Limits sized to this machine: agents and tools get at most half the
 * memory and a bounded number of processes. */
confine_limits confine_default_limits(bool agent);

/* Gives dir and everything under it to CONFINE_UID (for a drop_uid
 * process's writable paths). 0, or -1 with errno. A no-op unless root. */
int confine_chown_tree(const char *dir);

#endif
