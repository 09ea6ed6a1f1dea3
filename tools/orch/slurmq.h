/* slurmq — the run's talk with Slurm's client commands other than srun:
 * sinfo (the partition's largest node), squeue (one listing per poll for the
 * whole run, and the sweeps), scancel (by name or by job id), and the reaper
 * shell that scancels the run's jobs when this process dies.
 *  - Every command is spawned directly (no shell, stdin /dev/null), NOT
 *    through lib/proc: proc_cancel_all() does not stop them, so the jobs of
 *    a run can still be found and cancelled after Ctrl-C.
 *  - One squeue call per poll for the whole run, whatever the number of
 *    jobs: the poller's thread lists the user's jobs while a watch is
 *    registered (every second for 10 s after a registration, then every
 *    5 s; never while none is) and hands each watch its job's line.
 *  - Thread-safe: the poller has a lock of its own; a watch is registered,
 *    waited on and removed by its owner while the poller fills it in. The
 *    other functions keep no state.
 */
#ifndef ORCH_SLURMQ_H
#define ORCH_SLURMQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The partition's largest node (NULL or "": the default partition), from
 * sinfo: *cpus and *mem_mib, 0 when unknown. */
void slurmq_node_probe(const char *partition, int *cpus, long *mem_mib);

/* scancel --name=<name>. */
void slurmq_scancel_name(const char *name);

/* scancels every job of the user whose name begins with want that squeue
 * lists, in any state. Returns how many it listed. */
int slurmq_sweep(const char *want);

/* Sweeps until squeue has listed none of those jobs twice in a row, for at
 * most limit_s seconds. Returns how many were still listed then (0: all
 * gone). */
int slurmq_drain(const char *want, double limit_s);

/* The reaper: a shell that outlives this process only to scancel every job
 * named <prefix>-... once this process has ended, however it ended (kill -9
 * included). A zeroed slurmq_reaper is none. */
typedef struct {
    int fd;    /* write end of the reaper's pipe */
    pid_t pid; /* <= 0: none */
} slurmq_reaper;

/* Starts it; when it cannot, r stays none (the run goes on without). */
void slurmq_reaper_start(slurmq_reaper *r, const char *prefix);
/* Lets it sweep (nothing should be left by then) and waits for its end. */
void slurmq_reaper_stop(slurmq_reaper *r);

/* The run's one squeue poller, for the jobs named <prefix>-... */
typedef struct slurmq_poller slurmq_poller;

/* Its thread started, idle until a watch is registered. NULL when out of
 * memory or threads. */
slurmq_poller *slurmq_poller_new(const char *prefix);
/* Stops the thread (no watch may be registered then). */
void slurmq_poller_free(slurmq_poller *pl);

/* One job's watch: owned by the caller, its fields are slurmq's. */
typedef struct slurmq_watch slurmq_watch;
struct slurmq_watch {
    const char *name;   /* the job's name (outlives the registration) */
    pthread_cond_t cv;  /* signalled on a new listing, and when done */
    slurmq_watch *next; /* in the poller's list while registered */
    bool done;          /* marked by slurmq_poller_done */
    bool fresh;         /* line comes from a listing the owner has not seen */
    char line[512];     /* "STATE|NODES|REASON", or "" when squeue does not list the job */
};

/* Registers w for the job called name: polls become frequent again, the
 * next one at most a second away. */
void slurmq_poller_add(slurmq_poller *pl, slurmq_watch *w, const char *name);
/* Marks w done: a wait on it returns SLURMQ_DONE from now on. */
void slurmq_poller_done(slurmq_poller *pl, slurmq_watch *w);
/* Unregisters w; nobody may be waiting on it. */
void slurmq_poller_remove(slurmq_poller *pl, slurmq_watch *w);

typedef enum { SLURMQ_LISTED, SLURMQ_DONE, SLURMQ_TIMEOUT } slurmq_woke;

/* Waits at most wait_s seconds (< 0: no limit) for w: SLURMQ_DONE once it
 * is marked done; else SLURMQ_LISTED with the job's line of a listing it has
 * not seen copied to line[0..n) (at once if one came meanwhile); else
 * SLURMQ_TIMEOUT (possibly early). */
slurmq_woke slurmq_poller_wait(slurmq_poller *pl, slurmq_watch *w, double wait_s, char *line, size_t n);

#endif
