/* slurmq.c — see slurmq.h. The commands use a spawn of their own (not
 * lib/proc), because they must still run after a cancellation. */
#include "orch/slurmq.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"

extern char **environ;

/* squeue polls, one for all the run's jobs: every second for 10 s after a
 * job was submitted (a short job is seen queued, then running, and a node
 * that cannot run it is noticed early), then every 5 s. The controller is
 * shared by many users; one squeue a second (a run that keeps submitting
 * stays there) is what one person watching their jobs costs it, whether the
 * run has one job or a thousand. */
static const double SLURMQ_POLL_FIRST_S = 1.0, SLURMQ_POLL_S = 5.0, SLURMQ_POLL_FAST_FOR_S = 10.0;
/* squeue's listing of the user's jobs: room for some 40000 of them (the
 * pages are only touched as far as the listing goes). */
enum { SLURMQ_LIST_CAP = 1 << 22 };

/* Runs argv (no shell) with stdout+stderr into out[0..cap), ignoring the
 * loop's cancellation. Returns the exit status, or -1 when it cannot run. */
static int slurmq_capture(char *const *argv, char *out, size_t cap)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    size_t len = 0;
    ssize_t got;
    char sink[512];
    while ((got = read(fd[0], len + 1 < cap ? out + len : sink,
                       len + 1 < cap ? cap - 1 - len : sizeof sink)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0 && len + 1 < cap)
            len += (size_t)got;
    close(fd[0]);
    if (cap)
        out[len] = 0;
    if (rc != 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* squeue's option for this user's jobs ("--user=<uid>"). */
static void slurmq_user_arg(char *buf, size_t n)
{
    snprintf(buf, n, "--user=%ld", (long)getuid());
}

/* "CPUS MEMORY_MIB" per line from sinfo; the largest of each wins. */
void slurmq_node_probe(const char *partition, int *cpus, long *mem_mib)
{
    *cpus = 0;
    *mem_mib = 0;
    char part[300] = "";
    if (partition && *partition)
        snprintf(part, sizeof part, "--partition=%s", partition);
    char *argv[] = {"sinfo", "-h", "-o", "%c %m", part[0] ? part : NULL, NULL};
    char out[4096];
    if (slurmq_capture(argv, out, sizeof out) != 0)
        return;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int c = 0;
        long m = 0;
        if (sscanf(line, "%d %ld", &c, &m) == 2) {
            *cpus = c > *cpus ? c : *cpus;
            *mem_mib = m > *mem_mib ? m : *mem_mib;
        }
    }
}

void slurmq_scancel_name(const char *name)
{
    char arg[400];
    snprintf(arg, sizeof arg, "--name=%s", name);
    char *argv[] = {"scancel", "--quiet", arg, NULL};
    char out[512];
    slurmq_capture(argv, out, sizeof out);
}

int slurmq_sweep(const char *want)
{
    char me[64];
    slurmq_user_arg(me, sizeof me);
    char *argv[] = {"squeue", "-h", me, "-o", "%i %j", NULL};
    char *out = malloc(1 << 16);
    int count = 0;
    if (out && slurmq_capture(argv, out, 1 << 16) == 0) {
        for (char *save = NULL, *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char id[64], name[400];
            if (sscanf(line, "%63s %399s", id, name) != 2 || strncmp(name, want, strlen(want)) != 0)
                continue;
            char *cargv[] = {"scancel", "--quiet", id, NULL};
            char sink[256];
            slurmq_capture(cargv, sink, sizeof sink);
            count++;
        }
    }
    free(out);
    return count;
}

int slurmq_drain(const char *want, double limit_s)
{
    /* A cancelled job stays listed while it completes (state CG), and an
     * srun stopped while its request was on the wire can make a job appear
     * after the first sweep: only two empty listings in a row end it. */
    double until = proc_now() + limit_s;
    int quiet = 0, listed = 0;
    while (quiet < 2) {
        listed = slurmq_sweep(want);
        quiet = listed == 0 ? quiet + 1 : 0;
        if (quiet >= 2 || proc_now() > until)
            break;
        usleep(300000);
    }
    return quiet >= 2 ? 0 : listed;
}

/* The reaper is a shell in a session of its own (so the terminal's Ctrl-C
 * does not reach it) that blocks reading a pipe only this process holds
 * open; when this process ends, however it ends, the read returns and the
 * shell scancels every job whose name begins with the run's prefix. */
void slurmq_reaper_start(slurmq_reaper *r, const char *prefix)
{
    static const char script[] =
        "trap '' INT TERM HUP; read -r _; "
        "squeue -h --user=\"$(id -u)\" -o '%i %j' 2>/dev/null | "
        "while read -r id name; do case $name in \"$1\"*) scancel --quiet \"$id\";; esac; done";
    *r = (slurmq_reaper){.fd = -1, .pid = 0};
    int fd[2];
    if (pipe2(fd, O_CLOEXEC) != 0)
        return;
    char *want = fsx_fmt("%s-", prefix);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_adddup2(&fa, fd[0], 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
    char *argv[] = {"sh", "-c", (char *)script, "evo-slurm-reaper", want, NULL};
    pid_t pid;
    int rc = want ? posix_spawn(&pid, "/bin/sh", &fa, &at, argv, environ) : -1;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(want);
    close(fd[0]);
    if (rc != 0) {
        close(fd[1]);
        return;
    }
    r->pid = pid;
    r->fd = fd[1];
}

void slurmq_reaper_stop(slurmq_reaper *r)
{
    if (r->pid <= 0)
        return;
    close(r->fd); /* the reaper sweeps (nothing is left by now) and exits */
    while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    *r = (slurmq_reaper){.fd = -1, .pid = 0};
}

/* ---- the poller ---- */

/* Watches register while their job exists; each poll lists the user's jobs
 * once and hands every registered watch its job's line. mu guards
 * everything here and the watches' fields. Polls only while a watch is
 * registered. */
struct slurmq_poller {
    pthread_mutex_t mu;
    pthread_cond_t wake;   /* to the poller: a job registered, or quit */
    pthread_t thread;
    bool running, quit;
    slurmq_watch *watches; /* registered, linked through next */
    double next_poll;      /* proc_now() time of the next squeue */
    double fast_until;     /* poll every SLURMQ_POLL_FIRST_S until then */
    char *want;            /* "<prefix>-": the run's jobs */
    char *list;            /* the last listing (SLURMQ_LIST_CAP bytes) */
};

/* Waits on cv (mu held) for at most wait_s seconds; wait_s < 0: until
 * signalled. */
static void slurmq_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu, double wait_s)
{
    if (wait_s < 0) {
        pthread_cond_wait(cv, mu);
        return;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)wait_s;
    until.tv_nsec += (long)((wait_s - (double)(time_t)wait_s) * 1e9);
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(cv, mu, &until);
}

/* Keeps the lines of list that begin with want (the run's jobs). */
static void slurmq_list_keep(char *list, const char *want)
{
    size_t wl = strlen(want);
    char *to = list;
    for (char *l = list; *l;) {
        char *end = strchr(l, '\n');
        size_t len = end ? (size_t)(end - l) + 1 : strlen(l);
        if (strncmp(l, want, wl) == 0) {
            memmove(to, l, len);
            to += len;
        }
        l += len;
    }
    *to = 0;
}

/* Hands every registered watch its job's line of list ("NAME|STATE|
 * NODES|REASON" lines): the first one, as `squeue --name` would print it,
 * or "" when the job is not listed. mu held. */
static void slurmq_poller_publish(slurmq_poller *pl, const char *list)
{
    for (slurmq_watch *w = pl->watches; w; w = w->next) {
        size_t nl = strlen(w->name);
        w->line[0] = 0;
        for (const char *l = list; *l;) {
            const char *end = strchr(l, '\n');
            size_t len = end ? (size_t)(end - l) : strlen(l);
            if (len > nl && strncmp(l, w->name, nl) == 0 && l[nl] == '|') {
                snprintf(w->line, sizeof w->line, "%.*s", (int)(len - nl - 1), l + nl + 1);
                break;
            }
            l += end ? len + 1 : len;
        }
        w->fresh = true;
        pthread_cond_signal(&w->cv);
    }
}

/* The poller's thread: sleeps while no watch is registered, else lists
 * the user's jobs when a poll is due and publishes the run's. A failed
 * squeue publishes nothing (the watches keep what they knew). */
static void *slurmq_poller_main(void *p)
{
    slurmq_poller *pl = p;
    char me[64];
    slurmq_user_arg(me, sizeof me);
    char *argv[] = {"squeue", "-h", me, "-o", "%j|%T|%N|%r", NULL};
    pthread_mutex_lock(&pl->mu);
    while (!pl->quit) {
        if (!pl->watches) {
            pthread_cond_wait(&pl->wake, &pl->mu);
            continue;
        }
        double wait = pl->next_poll - proc_now();
        if (wait > 0) {
            slurmq_cond_wait(&pl->wake, &pl->mu, wait);
            continue;
        }
        pthread_mutex_unlock(&pl->mu); /* the list is the poller's own; squeue may be slow */
        bool ok = slurmq_capture(argv, pl->list, SLURMQ_LIST_CAP) == 0;
        if (ok)
            slurmq_list_keep(pl->list, pl->want);
        pthread_mutex_lock(&pl->mu);
        if (ok)
            slurmq_poller_publish(pl, pl->list);
        double now = proc_now();
        pl->next_poll = now + (now < pl->fast_until ? SLURMQ_POLL_FIRST_S : SLURMQ_POLL_S);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

void slurmq_poller_add(slurmq_poller *pl, slurmq_watch *w, const char *name)
{
    *w = (slurmq_watch){.name = name};
    pthread_cond_init(&w->cv, NULL);
    pthread_mutex_lock(&pl->mu);
    double now = proc_now();
    if (!pl->watches || pl->next_poll > now + SLURMQ_POLL_FIRST_S)
        pl->next_poll = now + SLURMQ_POLL_FIRST_S;
    pl->fast_until = now + SLURMQ_POLL_FAST_FOR_S;
    w->next = pl->watches;
    pl->watches = w;
    pthread_cond_signal(&pl->wake);
    pthread_mutex_unlock(&pl->mu);
}

void slurmq_poller_done(slurmq_poller *pl, slurmq_watch *w)
{
    pthread_mutex_lock(&pl->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&pl->mu);
}

void slurmq_poller_remove(slurmq_poller *pl, slurmq_watch *w)
{
    pthread_mutex_lock(&pl->mu);
    for (slurmq_watch **at = &pl->watches; *at; at = &(*at)->next)
        if (*at == w) {
            *at = w->next;
            break;
        }
    pthread_mutex_unlock(&pl->mu);
    pthread_cond_destroy(&w->cv);
}

slurmq_woke slurmq_poller_wait(slurmq_poller *pl, slurmq_watch *w, double wait_s, char *line, size_t n)
{
    pthread_mutex_lock(&pl->mu);
    if (!w->done && !w->fresh)
        slurmq_cond_wait(&w->cv, &pl->mu, wait_s);
    slurmq_woke r = w->done ? SLURMQ_DONE : w->fresh ? SLURMQ_LISTED : SLURMQ_TIMEOUT;
    if (r == SLURMQ_LISTED) {
        w->fresh = false;
        snprintf(line, n, "%s", w->line);
    }
    pthread_mutex_unlock(&pl->mu);
    return r;
}

void slurmq_poller_free(slurmq_poller *pl)
{
    if (!pl)
        return;
    if (pl->running) {
        pthread_mutex_lock(&pl->mu);
        pl->quit = true;
        pthread_cond_signal(&pl->wake);
        pthread_mutex_unlock(&pl->mu);
        pthread_join(pl->thread, NULL);
    }
    pthread_cond_destroy(&pl->wake);
    pthread_mutex_destroy(&pl->mu);
    free(pl->want);
    free(pl->list);
    free(pl);
}

slurmq_poller *slurmq_poller_new(const char *prefix)
{
    slurmq_poller *pl = calloc(1, sizeof *pl);
    if (!pl)
        return NULL;
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->wake, NULL);
    pl->want = fsx_fmt("%s-", prefix);
    pl->list = malloc(SLURMQ_LIST_CAP);
    if (!pl->want || !pl->list || pthread_create(&pl->thread, NULL, slurmq_poller_main, pl) != 0) {
        slurmq_poller_free(pl);
        return NULL;
    }
    pl->running = true;
    return pl;
}
