/* proc — runs external tools (yosys, nextpnr, verilator, agents) safely.
 *
 * Contract:
 *  - Every child runs in its own process group with stdin from a file or
 *    /dev/null, stdout+stderr appended to a log file, and a wall-clock limit.
 *  - On timeout, or after proc_cancel_all() (called from a SIGINT/SIGTERM
 *    handler), the whole group gets SIGTERM, then SIGKILL 2 s later; the wait
 *    returns only when the leader is reaped, so no tool is left running.
 *  - Every child gets SIGKILL when the thread that started it dies (kill -9
 *    of the orchestrator included), so no tool outlives its caller.
 *  - With .confine (lib/confine.h), the child runs inside that sandbox and
 *    under its limits; a limit that was hit is named by proc_describe().
 *  - Each result carries the child's CPU time (user + system, its
 *    descendants included). A confined child's comes from sampling its
 *    process tree in /proc every PROC_SAMPLE_S (bwrap exits without
 *    reaping its own init, so wait4 sees none of it): exact to a sample.
 *  - A proc_group (the children of one job, say a gate, from any thread)
 *    adds up their CPU time, and proc_group_stop() ends them as
 *    proc_cancel_all() ends every child: those running are killed (result
 *    "cancelled") and none starts any more (spawn_failed, ECANCELED).
 *  - Nothing here prints; failures come back in proc_result and errno-style
 *    codes, and proc_describe() turns a result into one line for a diagnostic.
 */
#ifndef LIB_PROC_H
#define LIB_PROC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/confine.h"

/* Zero-initialise (or proc_group_init). */
typedef struct {
    atomic_ullong usec; /* CPU time of its children that ended */
    atomic_bool stop;   /* set by proc_group_stop */
} proc_group;

void proc_group_init(proc_group *g);
/* The CPU seconds of its children so far (0 for NULL). */
double proc_group_cpu(proc_group *g);
/* Thread-safe: kills the group's children and refuses new ones. */
void proc_group_stop(proc_group *g);
bool proc_group_stopped(proc_group *g);

typedef struct {
    const char *const *argv;  /* NULL-terminated; argv[0] is searched in PATH */
    const char *cwd;          /* NULL: inherit */
    const char *log_path;     /* stdout+stderr appended here; NULL: inherit */
    const char *stdin_path;   /* NULL: /dev/null */
    const char *const *env;   /* extra "K=V" entries added to the environment; may be NULL */
    double timeout_s;         /* 0: no limit */
    const confine_policy *confine; /* NULL: run as is (no sandbox, no limits) */
    proc_group *group;        /* NULL: in no group (the CPU time is only in the result) */
} proc_spec;

typedef struct {
    int exit_code;     /* when the child exited normally */
    int term_signal;   /* signal that ended it, or 0 */
    bool timed_out;    /* killed at its limit */
    bool cancelled;    /* killed by proc_cancel_all() */
    bool spawn_failed; /* could not start: err holds errno (ENOENT: tool missing) */
    int err;
    double seconds;    /* wall time */
    double cpu_s;      /* user + system time of the child and its reaped descendants */
    confine_limits limits; /* the limits it ran under (all 0: none) */
} proc_result;

typedef struct {
    pid_t pid;
    double start, deadline; /* monotonic seconds; deadline 0 = none */
    bool done;
    int spawn_err;          /* set when the start itself failed */
    confine_limits limits;
    bool confined;
    proc_group *group;
    double sampled_cpu, next_sample; /* confined: the tree's CPU seen so far, next sample time */
} proc_handle;

/* Starts a child. Returns 0, or -1 with errno when it cannot be started (the
 * handle then reports spawn_failed when waited for). */
int proc_start(const proc_spec *spec, proc_handle *h);

/* Waits for every handle, enforcing each one's deadline. */
void proc_wait_all(proc_handle *h, proc_result *res, size_t n);

/* proc_start + proc_wait_all for one child. Returns 0 when it exited with 0. */
int proc_run(const proc_spec *spec, proc_result *res);

/* Where a tool runs when not here: a batch scheduler's job per tool run
 * (orch/executor.h). run() starts spec (its argv, cwd, log, timeout and
 * sandbox) under label (unique within its caller's run, e.g. "seed2") and
 * fills res as proc_run() would: 0 when the tool ran (whatever its exit),
 * -1 when the infrastructure could not run it (why names the scheduler's
 * words): never a verdict on the tool's input. The remote tool's CPU time
 * is added to spec->group, and once that group is stopped a run still
 * queued or running is cancelled (res->cancelled, 0 returned). The tool's
 * output reaches spec->log_path only once it has ended (the attempt that
 * counts, whole), so several runs may share one log. spec->stdin_path is
 * not supported (-1). */
typedef struct {
    int (*run)(void *data, const char *label, const proc_spec *spec, proc_result *res, char *why, size_t n);
    void *data;
} proc_launcher;

/* Runs spec here (launcher NULL: proc_run) or through launcher as label.
 * 0 when the tool ran (its outcome is in res, exit status included), -1
 * when the launcher could not run it (why says so). A spec whose group is
 * already stopped is not started: res->cancelled, 0. */
int proc_launch(const proc_launcher *launcher, const char *label, const proc_spec *spec, proc_result *res,
                char *why, size_t n);

/* Whether res is a run that exited 0 (what proc_run returns as 0). */
bool proc_ok(const proc_result *res);

/* Async-signal-safe: asks every waiting proc_* call to kill its children. */
void proc_cancel_all(void);
bool proc_is_cancelled(void);

/* One line such as "exited 1", "timed out after 60 s", "not found: yosys". */
const char *proc_describe(const proc_result *r, const char *tool, char *buf, size_t n);

/* Monotonic clock in seconds. */
double proc_now(void);

/* True when argv0 is an executable in PATH (or a path that is executable). */
bool proc_have_tool(const char *argv0);

#endif
