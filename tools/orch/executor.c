/* executor.c — see executor.h. srun runs the job through lib/proc (so a
 * cancelled run kills it like any tool); the Slurm queries and scancel use a
 * spawn of their own, because they must still run after a cancellation.
 * While srun runs, a watcher thread follows the job's state; the states of
 * all the run's jobs come from one shared poller (one squeue per poll). */
#include "orch/executor.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"
#include "orch/jobprog.h"

extern char **environ;

enum { EX_ARGV = 160, EX_TIME_MARGIN_S = 120, EX_DOWN_DEFAULT_S = 300 };

/* squeue polls, one for all the run's jobs: every second for 10 s after a
 * job was submitted (a short job is seen queued, then running, and a node
 * that cannot run it is noticed early), then every 5 s. The controller is
 * shared by many users; one squeue a second (a run that keeps submitting
 * stays there) is what one person watching their jobs costs it, whether the
 * run has one job or a thousand. */
static const double EX_POLL_FIRST_S = 1.0, EX_POLL_S = 5.0, EX_POLL_FAST_FOR_S = 10.0;
/* How soon a stopped group's running jobs are scancelled. */
static const double EX_STOP_CHECK_S = 0.25;
/* squeue's listing of the user's jobs: room for some 40000 of them (the
 * pages are only touched as far as the listing goes). */
enum { EX_LIST_CAP = 1 << 22 };

typedef struct ex_watch ex_watch;

/* The run's one squeue poller: watchers register while their srun runs;
 * each poll lists the user's jobs once and hands every registered watcher
 * its job's line. mu guards everything here and the watchers' shared
 * fields (ex_watch). Polls only while a watcher is registered. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t wake; /* to the poller: a job registered, or quit */
    pthread_t thread;
    bool running, quit;
    ex_watch *watchers;  /* registered, linked through next */
    double next_poll;    /* proc_now() time of the next squeue */
    double fast_until;   /* poll every EX_POLL_FIRST_S until then */
    char *want;          /* "<prefix>-": the run's jobs */
    char *list;          /* the last listing (EX_LIST_CAP bytes) */
} ex_poller;

static void ex_poller_free(ex_poller *pl);
static ex_poller *ex_poller_new(const char *prefix);

struct executor {
    char *partition, *extra, *exe, *prefix;
    int node_cpus;     /* 0: unknown */
    long node_mem_mib; /* 0: unknown */
    double down_s;
    int reaper_fd;     /* write end of the reaper's pipe; -1: none */
    pid_t reaper;
    ex_poller *poller; /* the only part that changes after executor_slurm_new() (its own lock) */
};

/* Runs argv (no shell) with stdout+stderr into out[0..cap), ignoring the
 * loop's cancellation. Returns the exit status, or -1 when it cannot run. */
static int ex_capture(char *const *argv, char *out, size_t cap)
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

/* The partition's largest node: "CPUS MEMORY_MIB" per line from sinfo. */
static void ex_probe_node(executor *x)
{
    char part[300] = "";
    if (x->partition)
        snprintf(part, sizeof part, "--partition=%s", x->partition);
    char *argv[] = {"sinfo", "-h", "-o", "%c %m", part[0] ? part : NULL, NULL};
    char out[4096];
    if (ex_capture(argv, out, sizeof out) != 0)
        return;
    for (char *save = NULL, *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int c = 0;
        long m = 0;
        if (sscanf(line, "%d %ld", &c, &m) == 2) {
            x->node_cpus = c > x->node_cpus ? c : x->node_cpus;
            x->node_mem_mib = m > x->node_mem_mib ? m : x->node_mem_mib;
        }
    }
}

/* The reaper: a shell in a session of its own (so the terminal's Ctrl-C
 * does not reach it) that blocks reading a pipe only this process holds
 * open; when this process ends, however it ends, the read returns and the
 * shell scancels every job whose name begins with the run's prefix. */
static void ex_start_reaper(executor *x)
{
    static const char script[] =
        "trap '' INT TERM HUP; read -r _; "
        "squeue -h --user=\"$(id -u)\" -o '%i %j' 2>/dev/null | "
        "while read -r id name; do case $name in \"$1\"*) scancel --quiet \"$id\";; esac; done";
    int fd[2];
    if (pipe2(fd, O_CLOEXEC) != 0)
        return;
    char *want = fsx_fmt("%s-", x->prefix);
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
    x->reaper = pid;
    x->reaper_fd = fd[1];
}

executor *executor_slurm_new(const executor_slurm_opts *o, char *err, size_t n)
{
    static const char *const need[] = {"srun", "squeue", "scancel", "sinfo", NULL};
    for (const char *const *t = need; *t; t++)
        if (!proc_have_tool(*t)) {
            snprintf(err, n, "EXECUTOR=slurm: %s is not installed (Debian package slurm-client or slurm-wlm); "
                             "install it, or run with EXECUTOR=local", *t);
            return NULL;
        }
    executor *x = calloc(1, sizeof *x);
    if (!x || !o->exe || !o->prefix || !(x->exe = strdup(o->exe)) || !(x->prefix = strdup(o->prefix)) ||
        (o->partition && *o->partition && !(x->partition = strdup(o->partition))) ||
        (o->extra && *o->extra && !(x->extra = strdup(o->extra)))) {
        executor_free(x);
        snprintf(err, n, "out of memory (or no program/job prefix for the slurm executor)");
        return NULL;
    }
    x->down_s = o->down_s > 0 ? o->down_s : EX_DOWN_DEFAULT_S;
    if (!(x->poller = ex_poller_new(x->prefix))) {
        executor_free(x);
        snprintf(err, n, "EXECUTOR=slurm: cannot start the squeue poller's thread (out of memory or threads)");
        return NULL;
    }
    ex_probe_node(x);
    ex_start_reaper(x);
    return x;
}

void executor_free(executor *x)
{
    if (!x)
        return;
    if (x->reaper > 0) {
        close(x->reaper_fd); /* the reaper sweeps (nothing is left by now) and exits */
        while (waitpid(x->reaper, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    ex_poller_free(x->poller);
    free(x->partition);
    free(x->extra);
    free(x->exe);
    free(x->prefix);
    free(x);
}

int executor_cpus(const executor *x, const gate_def *def)
{
    int c = def->cpus < 1 ? 1 : def->cpus;
    return x->node_cpus > 0 && c > x->node_cpus ? x->node_cpus : c;
}

/* scancel --name=<name>, ignoring the loop's cancellation. */
static void ex_scancel_name(const char *name)
{
    char arg[400];
    snprintf(arg, sizeof arg, "--name=%s", name);
    char *argv[] = {"scancel", "--quiet", arg, NULL};
    char out[512];
    ex_capture(argv, out, sizeof out);
}

int executor_sweep(const executor *x, const char *tag)
{
    char *want = tag ? fsx_fmt("%s-%s-", x->prefix, tag) : fsx_fmt("%s-", x->prefix);
    char me[64];
    snprintf(me, sizeof me, "--user=%ld", (long)getuid());
    char *argv[] = {"squeue", "-h", me, "-o", "%i %j", NULL};
    char *out = malloc(1 << 16);
    int count = 0;
    if (want && out && ex_capture(argv, out, 1 << 16) == 0) {
        for (char *save = NULL, *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char id[64], name[400];
            if (sscanf(line, "%63s %399s", id, name) != 2 || strncmp(name, want, strlen(want)) != 0)
                continue;
            char *cargv[] = {"scancel", "--quiet", id, NULL};
            char sink[256];
            ex_capture(cargv, sink, sizeof sink);
            count++;
        }
    }
    free(out);
    free(want);
    return count;
}

int executor_drain(const executor *x, const char *tag, double limit_s)
{
    /* A cancelled job stays listed while it completes (state CG), and an
     * srun stopped while its request was on the wire can make a job appear
     * after the first sweep: only two empty listings in a row end it. */
    double until = proc_now() + limit_s;
    int quiet = 0, listed = 0;
    while (quiet < 2) {
        listed = executor_sweep(x, tag);
        quiet = listed == 0 ? quiet + 1 : 0;
        if (quiet >= 2 || proc_now() > until)
            break;
        usleep(300000);
    }
    return quiet >= 2 ? 0 : listed;
}

/* The sandbox as --confine KIND:PATH arguments (gates/gate_cli.h). */
static void ex_confine_args(const confine_policy *p, strv *args)
{
    static const char *const kinds[] = {[CONFINE_RO] = "ro", [CONFINE_RO_TRY] = "ro?", [CONFINE_RW] = "rw",
                                        [CONFINE_HIDE] = "hide"};
    for (size_t i = 0; p && p->enabled && i < p->nmounts; i++) {
        strv_add(args, "--confine");
        strv_push(args, fsx_fmt("%s:%s", kinds[p->mounts[i].kind], p->mounts[i].path));
    }
}

/* The srun options of a job: its name, resources, limit and directory. */
static void ex_srun(const executor *x, const char *name, int cpus, int mem_mib, double timeout_s, const char *dir,
                    strv *a)
{
    long mem = mem_mib > 0 ? mem_mib : 1024;
    if (x->node_mem_mib > 0 && mem > x->node_mem_mib)
        mem = x->node_mem_mib;
    long minutes = (long)((timeout_s + EX_TIME_MARGIN_S + 59) / 60);
    strv_add(a, "srun");
    strv_add(a, "--quiet");
    strv_push(a, fsx_fmt("--job-name=%s", name));
    strv_add(a, "--ntasks=1");
    strv_push(a, fsx_fmt("--cpus-per-task=%d", cpus));
    strv_push(a, fsx_fmt("--mem=%ld", mem));
    strv_push(a, fsx_fmt("--time=%ld", minutes < 1 ? 1 : minutes));
    strv_push(a, fsx_fmt("--chdir=%s", dir));
    if (x->partition)
        strv_push(a, fsx_fmt("--partition=%s", x->partition));
    char *extra = x->extra ? strdup(x->extra) : NULL;
    for (char *save = NULL, *w = extra ? strtok_r(extra, " \t\n", &save) : NULL; w; w = strtok_r(NULL, " \t\n", &save))
        strv_add(a, w);
    free(extra);
}

/* The srun command of one attempt of a whole gate. */
static void ex_argv(const executor *x, const gate_def *def, const gate_ctx *ctx, const char *name,
                    const char *prior, const char *json, strv *a)
{
    int cpus = ctx->jobs;
    ex_srun(x, name, cpus, def->mem_mib, ctx->timeout_s, ctx->harness, a);
    strv_add(a, x->exe);
    strv_add(a, "gate");
    strv_add(a, def->name);
    strv_add(a, "--core");
    strv_add(a, ctx->core);
    strv_add(a, "--tree");
    strv_add(a, ctx->tree);
    strv_add(a, "--rundir");
    strv_add(a, ctx->rundir);
    strv_add(a, "--build");
    strv_add(a, ctx->build);
    strv_add(a, "--jobs");
    strv_push(a, fsx_fmt("%d", cpus));
    strv_add(a, "--timeout");
    strv_push(a, fsx_fmt("%.3f", ctx->timeout_s));
    strv_add(a, "--prior");
    strv_add(a, prior);
    strv_add(a, "--json");
    strv_add(a, json);
    if (ctx->quick)
        strv_add(a, "--quick");
    ex_confine_args(ctx->confine, a);
}

/* Whether a pending reason means the job cannot start until someone acts
 * (nodes down or drained, a partition down or too small), as opposed to
 * waiting its turn. Slurm prints either the reason's code or its text. */
static bool ex_reason_unavailable(const char *r)
{
    static const char *const words[] = {"DOWN", "DRAIN", "ReqNodeNotAvail", "NodeDown", "PartitionDown",
                                        "PartitionInactive", "PartitionNodeLimit", "PartitionTimeLimit",
                                        "PartitionConfig", "BadConstraints", "Invalid", "not available", NULL};
    for (const char *const *w = words; *w; w++)
        if (strstr(r, *w))
            return true;
    return false;
}

/* One attempt's watcher: follows its job's state in the poller's listings
 * until srun returns. */
struct ex_watch {
    const executor *x;
    const char *name, *gate;
    const executor_notify *notify;
    proc_group *group;     /* once stopped, the job is scancelled; may be NULL */
    pthread_cond_t cv;     /* signalled on a new listing, and when srun returns */
    /* Under the poller's mu: */
    ex_watch *next;        /* in the poller's list while registered */
    bool done;             /* srun has returned */
    bool fresh;            /* line comes from a listing the watcher has not seen */
    char line[512];        /* "STATE|NODES|REASON", or "" when squeue does not list the job */
    /* The watcher's own: */
    char unavailable[700]; /* set when the job was cancelled for it */
};

/* Waits on cv (mu held) for at most wait_s seconds; wait_s < 0: until
 * signalled. */
static void ex_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu, double wait_s)
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
static void ex_list_keep(char *list, const char *want)
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

/* Hands every registered watcher its job's line of list ("NAME|STATE|
 * NODES|REASON" lines): the first one, as `squeue --name` would print it,
 * or "" when the job is not listed. mu held. */
static void ex_poller_publish(ex_poller *pl, const char *list)
{
    for (ex_watch *w = pl->watchers; w; w = w->next) {
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

/* The poller's thread: sleeps while no watcher is registered, else lists
 * the user's jobs when a poll is due and publishes the run's. A failed
 * squeue publishes nothing (the watchers keep what they knew). */
static void *ex_poller_main(void *p)
{
    ex_poller *pl = p;
    char me[64];
    snprintf(me, sizeof me, "--user=%ld", (long)getuid());
    char *argv[] = {"squeue", "-h", me, "-o", "%j|%T|%N|%r", NULL};
    pthread_mutex_lock(&pl->mu);
    while (!pl->quit) {
        if (!pl->watchers) {
            pthread_cond_wait(&pl->wake, &pl->mu);
            continue;
        }
        double wait = pl->next_poll - proc_now();
        if (wait > 0) {
            ex_cond_wait(&pl->wake, &pl->mu, wait);
            continue;
        }
        pthread_mutex_unlock(&pl->mu); /* the list is the poller's own; squeue may be slow */
        bool ok = ex_capture(argv, pl->list, EX_LIST_CAP) == 0;
        if (ok)
            ex_list_keep(pl->list, pl->want);
        pthread_mutex_lock(&pl->mu);
        if (ok)
            ex_poller_publish(pl, pl->list);
        double now = proc_now();
        pl->next_poll = now + (now < pl->fast_until ? EX_POLL_FIRST_S : EX_POLL_S);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* Registers w (mu held): polls become frequent again, the next one at
 * most EX_POLL_FIRST_S away. */
static void ex_poller_add(ex_poller *pl, ex_watch *w)
{
    double now = proc_now();
    if (!pl->watchers || pl->next_poll > now + EX_POLL_FIRST_S)
        pl->next_poll = now + EX_POLL_FIRST_S;
    pl->fast_until = now + EX_POLL_FAST_FOR_S;
    w->next = pl->watchers;
    pl->watchers = w;
    pthread_cond_signal(&pl->wake);
}

/* Unregisters w (mu held). */
static void ex_poller_remove(ex_poller *pl, ex_watch *w)
{
    for (ex_watch **at = &pl->watchers; *at; at = &(*at)->next)
        if (*at == w) {
            *at = w->next;
            break;
        }
}

static void ex_poller_free(ex_poller *pl)
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

/* The poller of the jobs named <prefix>-..., its thread started (idle
 * until a watcher registers). NULL when out of memory or threads. */
static ex_poller *ex_poller_new(const char *prefix)
{
    ex_poller *pl = calloc(1, sizeof *pl);
    if (!pl)
        return NULL;
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->wake, NULL);
    pl->want = fsx_fmt("%s-", prefix);
    pl->list = malloc(EX_LIST_CAP);
    if (!pl->want || !pl->list || pthread_create(&pl->thread, NULL, ex_poller_main, pl) != 0) {
        ex_poller_free(pl);
        return NULL;
    }
    pl->running = true;
    return pl;
}

/* What the line now ("STATE|NODES|REASON", "" when not listed) says of w's
 * job: a change of state is notified (last: the one notified before); a
 * job that has waited down_s for nodes that cannot run it (since
 * *down_since) is scancelled, and then the result is true. */
static bool ex_watch_see(ex_watch *w, char *now, char *last, size_t n, double *down_since)
{
    char *nodes = strchr(now, '|'), *reason = nodes ? strchr(nodes + 1, '|') : NULL;
    if (!reason)
        return false;
    *nodes++ = 0, *reason++ = 0;
    bool pending = strcmp(now, "PENDING") == 0;
    char say[600];
    if (pending)
        snprintf(say, sizeof say, "queued: %s", reason);
    else
        snprintf(say, sizeof say, "%s on %s", strcmp(now, "RUNNING") == 0 ? "running" : now, nodes[0] ? nodes : "?");
    if (strcmp(say, last) != 0 && w->notify && w->notify->fn)
        w->notify->fn(w->notify->ctx, w->gate, say);
    snprintf(last, n, "%s", say);
    bool unavailable = pending && ex_reason_unavailable(reason);
    if (!unavailable)
        *down_since = -1;
    else if (*down_since < 0)
        *down_since = proc_now();
    else if (proc_now() - *down_since >= w->x->down_s) {
        snprintf(w->unavailable, sizeof w->unavailable, "the job waited %.0f s for nodes that "
                 "cannot run it (%s), so it was cancelled", proc_now() - *down_since, reason);
        ex_scancel_name(w->name);
        return true;
    }
    return false;
}

static void *ex_watch_main(void *p)
{
    ex_watch *w = p;
    ex_poller *pl = w->x->poller;
    char last[600] = "", now[512];
    double down_since = -1;
    bool scancelled = false;
    pthread_mutex_lock(&pl->mu);
    ex_poller_add(pl, w);
    while (!w->done) {
        /* The group's stop is looked at often (a cheap flag); the job's
         * state when the poller has a new listing. */
        if (!w->fresh)
            ex_cond_wait(&w->cv, &pl->mu, w->group ? EX_STOP_CHECK_S : -1);
        if (w->done)
            break;
        if (!scancelled && proc_group_stopped(w->group)) {
            scancelled = true;
            pthread_mutex_unlock(&pl->mu);
            ex_scancel_name(w->name);
            pthread_mutex_lock(&pl->mu);
            continue;
        }
        if (!w->fresh)
            continue;
        w->fresh = false;
        snprintf(now, sizeof now, "%s", w->line);
        pthread_mutex_unlock(&pl->mu);
        bool cancelled = ex_watch_see(w, now, last, sizeof last, &down_since);
        pthread_mutex_lock(&pl->mu);
        if (cancelled)
            break;
    }
    ex_poller_remove(pl, w);
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* Runs one srun (argv a, output appended to log, at most timeout_s when
 * > 0) while a watcher reports the job's state as label and scancels the
 * job once group is stopped; unavailable gets the reason when the watcher
 * cancelled a job that could not start. */
static void ex_attempt(const executor *x, const char *name, const char *label, const strv *a, const char *log,
                       double timeout_s, const executor_notify *notify, proc_group *group, proc_result *pr,
                       char *unavailable, size_t n)
{
    proc_spec spec = {.argv = (const char *const *)a->v, .log_path = log, .timeout_s = timeout_s};
    ex_watch w = {.x = x, .name = name, .gate = label, .notify = notify, .group = group};
    pthread_cond_init(&w.cv, NULL);
    pthread_t th;
    bool watching = pthread_create(&th, NULL, ex_watch_main, &w) == 0;
    proc_run(&spec, pr);
    if (watching) {
        pthread_mutex_lock(&x->poller->mu);
        w.done = true;
        pthread_cond_signal(&w.cv);
        pthread_mutex_unlock(&x->poller->mu);
        pthread_join(th, NULL);
    }
    pthread_cond_destroy(&w.cv);
    snprintf(unavailable, n, "%s", w.unavailable);
}

/* Slurm's own lines ("srun: error: ...", "slurmstepd: ...") of the last
 * attempt in the log's tail, joined by "; "; the whole tail when there are
 * none. Caller frees. */
static char *ex_slurm_words(const char *log)
{
    char *tail = gate_log_tail(log);
    if (!tail)
        return strdup("nothing");
    size_t len = strlen(tail);
    char *out = calloc(1, len + 3);
    for (char *save = NULL, *l = out ? strtok_r(tail, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
        if (strncmp(l, "--- attempt", 11) == 0)
            out[0] = 0; /* only the last attempt's words */
        else if (strstr(l, "srun:") || strstr(l, "slurmstepd"))
            snprintf(out + strlen(out), len + 3 - strlen(out), "%s%s", out[0] ? "; " : "", l);
    if (out && !out[0]) {
        free(out);
        out = strdup(tail);
    }
    free(tail);
    return out;
}

/* One Slurm job, whole gate or one tool run, and how its attempts go. */
typedef struct {
    const executor *x;
    const char *name;    /* the job's name (scancel, squeue) */
    const char *label;   /* what the notify callback calls it */
    const strv *argv;    /* the srun command */
    const char *log;     /* srun's output, and the "--- attempt" marks */
    bool fresh_log;      /* each attempt starts the log afresh (it is the tool's own) */
    const char *outcome; /* the file the job leaves its outcome in (removed before each attempt) */
    double limit_s;      /* bounds srun itself; 0: none */
    const atomic_bool *stop;       /* set: the caller no longer needs the job */
    proc_group *group;             /* stopped: likewise, and a running job is scancelled */
    const executor_notify *notify;
    /* Reads what the job left once srun has returned: true when it left an
     * outcome (the reader keeps it), false when none (the job failed). */
    bool (*read)(void *data);
    void *data;
} ex_job;

typedef enum { EX_OUTCOME, EX_INTERRUPTED, EX_STOPPED, EX_INFRA } ex_end;

static bool ex_job_stopped(const ex_job *j)
{
    return (j->stop && atomic_load(j->stop)) || proc_group_stopped(j->group);
}

/* The one retry rule: a job that leaves no outcome is an infrastructure
 * fault (never a verdict), so it is scancelled and tried once more; after
 * the second, why says so with Slurm's own words. A job the caller stopped
 * is not retried (EX_STOPPED); after proc_cancel_all() none is
 * (EX_INTERRUPTED). */
static ex_end ex_job_run(const ex_job *j, char *why, size_t n)
{
    char what[800] = "the job left no outcome";
    for (int attempt = 0; attempt < 2; attempt++) {
        if (ex_job_stopped(j))
            return EX_STOPPED;
        unlink(j->outcome);
        if (attempt > 0 && j->fresh_log)
            remove(j->log); /* the log holds the attempt that counts */
        char *mark = fsx_fmt("--- attempt %d: job %s\n", attempt + 1, j->name);
        if (mark && fsx_append(j->log, mark, strlen(mark)) != 0) { /* the log is only for reading */ }
        free(mark);
        proc_result pr;
        char unavailable[700];
        ex_attempt(j->x, j->name, j->label, j->argv, j->log, j->limit_s, j->notify, j->group, &pr, unavailable,
                   sizeof unavailable);
        if (pr.cancelled || proc_is_cancelled()) {
            ex_scancel_name(j->name);
            return EX_INTERRUPTED;
        }
        if (j->read(j->data))
            return EX_OUTCOME;
        char buf[160];
        snprintf(what, sizeof what, "%s", unavailable[0] ? unavailable : proc_describe(&pr, "srun", buf, sizeof buf));
        ex_scancel_name(j->name); /* whatever is left of a job that failed */
    }
    if (ex_job_stopped(j))
        return EX_STOPPED;
    char *words = ex_slurm_words(j->log);
    snprintf(why, n, "%s, twice; Slurm said: %s (the job never judged the design; see %s)", what,
             words ? words : "nothing", j->log);
    free(words);
    return EX_INFRA;
}

/* A whole gate's job leaves the gate's result in its JSON file. */
typedef struct {
    const char *json, *gate;
    json_t *r;
} ex_gate_outcome;

static bool ex_read_result(void *data)
{
    ex_gate_outcome *o = data;
    json_t *all = json_load_file(o->json, 0, NULL);
    json_t *r = json_object_get(all, o->gate);
    const char *st = json_string_value(json_object_get(r, "status"));
    o->r = st ? json_incref(r) : NULL;
    json_decref(all);
    return o->r != NULL;
}

#define EX_STOPPED_WORDS "stopped: an earlier gate had already decided the verdict, so its Slurm job was cancelled"

static json_t *ex_stopped_result(const char *gate, double started)
{
    json_t *r = gate_result_error(gate, EX_STOPPED_WORDS, started);
    json_object_set_new(r, "stopped", json_true());
    return r;
}

json_t *executor_run_gate(const executor *x, const gate_def *def, const gate_ctx *ctx, const char *tag,
                          const atomic_bool *stop, const executor_notify *notify)
{
    double started = proc_now();
    char *name = fsx_fmt("%s-%s-%s", x->prefix, tag ? tag : "x", def->name);
    char *prior = fsx_fmt("%s/.%s.prior.json", ctx->rundir, def->name);
    char *json = fsx_fmt("%s/.%s.job.json", ctx->rundir, def->name);
    char *log = fsx_fmt("%s/%s.job.log", ctx->rundir, def->name);
    char *ptext = ctx->prior ? json_dumps(ctx->prior, JSON_COMPACT) : strdup("{}");
    if (!name || !prior || !json || !log || !ptext || fsx_write_atomic(prior, ptext, strlen(ptext)) != 0) {
        char *why = fsx_fmt("cannot write %s: %s", prior ? prior : "the prior results", strerror(errno));
        json_t *r = gate_result_error(def->name, why ? why : "out of memory", started);
        free(why), free(name), free(prior), free(json), free(log), free(ptext);
        return r;
    }
    strv a = {0};
    ex_argv(x, def, ctx, name, prior, json, &a);
    ex_gate_outcome out = {.json = json, .gate = def->name};
    ex_job job = {.x = x, .name = name, .label = def->name, .argv = &a, .log = log, .outcome = json, .stop = stop,
                  .notify = notify, .read = ex_read_result, .data = &out};
    char why[1500];
    json_t *r = NULL;
    switch (ex_job_run(&job, why, sizeof why)) {
    case EX_OUTCOME:
        r = out.r;
        break;
    case EX_INTERRUPTED:
        r = gate_result_error(def->name, "interrupted while its Slurm job ran (the job was cancelled)", started);
        break;
    case EX_STOPPED:
        r = ex_stopped_result(def->name, started);
        break;
    case EX_INFRA: {
        char *diag = fsx_fmt("infrastructure: %s", why);
        r = gate_result_error(def->name, diag ? diag : "infrastructure: the Slurm job failed", started);
        json_object_set_new(r, "infrastructure", json_true());
        json_object_set_new(r, "log", json_string(log));
        free(diag);
        break;
    }
    }
    strv_free(&a);
    const char *st = json_string_value(json_object_get(r, "status"));
    bool judged = st && (strcmp(st, "pass") == 0 || strcmp(st, "fail") == 0);
    if (r && !judged && stop && atomic_load(stop) && !json_is_true(json_object_get(r, "stopped"))) {
        /* The gate's own words would be "interrupted": say why. */
        json_object_set_new(r, "status", json_string("error"));
        json_object_set_new(r, "stopped", json_true());
        json_object_set_new(r, "diagnostic", json_string(EX_STOPPED_WORDS));
    }
    unlink(prior);
    unlink(json);
    free(name), free(prior), free(json), free(log), free(ptext);
    return r;
}


/* ---- one job per tool run (lib/proc.h proc_launcher) ---- */

/* The srun command of one tool run: `<exe> gate exec` on the node runs the
 * tool in the same sandbox and writes its outcome to status. */
static void ex_tool_argv(const executor_tools *t, const char *name, const proc_spec *spec, const char *status,
                         strv *a)
{
    int cpus = spec->cpus > 0 ? spec->cpus : t->def->tool_job_cpus;
    if (t->x->node_cpus > 0 && cpus > t->x->node_cpus)
        cpus = t->x->node_cpus;
    ex_srun(t->x, name, cpus, t->def->mem_mib, spec->timeout_s, spec->cwd ? spec->cwd : t->harness, a);
    strv_add(a, t->x->exe);
    strv_add(a, "gate");
    strv_add(a, "exec");
    strv_add(a, "--status");
    strv_add(a, status);
    if (spec->timeout_s > 0) {
        strv_add(a, "--timeout");
        strv_push(a, fsx_fmt("%.3f", spec->timeout_s));
    }
    ex_confine_args(spec->confine, a);
    for (const char *const *e = spec->env; e && *e; e++) {
        strv_add(a, "--env");
        strv_add(a, *e);
    }
    strv_add(a, "--");
    for (const char *const *v = spec->argv; *v; v++)
        strv_add(a, *v);
}

/* A tool run's job leaves its outcome in a status file (gate exec). */
typedef struct {
    const char *status;
    proc_result *res;
} ex_tool_outcome;

static bool ex_read_status(void *data)
{
    ex_tool_outcome *o = data;
    return gate_tool_status_read(o->status, o->res) == 0;
}

/* A tool job's output goes to a log of its own (a retry starts it afresh,
 * and tool runs that share a log, such as cosim's batches, would otherwise
 * interleave or lose each other's lines); once the job is over its log is
 * appended to the tool's, whole. After an infrastructure failure the job's
 * log stays where the diagnostic points, and the tool's log says so.
 * 0, or -1 with errno when the tool's log cannot be written. */
static int ex_log_hand_over(const char *job_log, const char *tool_log, bool keep)
{
    char *text = NULL;
    size_t len = 0;
    if (fsx_read(job_log, &text, &len) != 0)
        return 0; /* the job never started: nothing to hand over */
    int rc = fsx_append(tool_log, text, len);
    free(text);
    if (keep) {
        char *note = fsx_fmt("(the Slurm job failed: its own log is %s)\n", job_log);
        if (note && rc == 0)
            rc = fsx_append(tool_log, note, strlen(note));
        free(note);
    } else {
        unlink(job_log);
    }
    return rc;
}

static int ex_tool_run(void *data, const char *label, const proc_spec *spec, proc_result *res, char *why, size_t n)
{
    const executor_tools *t = data;
    char *name = fsx_fmt("%s-%s-%s-%s", t->x->prefix, t->tag ? t->tag : "x", t->def->name, label);
    char *shown = fsx_fmt("%s/%s", t->def->name, label);
    char *status = fsx_fmt("%s/.%s-%s.status.json", t->rundir, t->def->name, label);
    char *log = fsx_fmt("%s/%s-%s.job.log", t->rundir, t->def->name, label);
    memset(res, 0, sizeof *res);
    if (spec->stdin_path) {
        snprintf(why, n, "a tool run with an input file cannot be a Slurm job (%s)", label);
        free(name), free(shown), free(status), free(log);
        return -1;
    }
    if (!name || !shown || !status || !log) {
        snprintf(why, n, "out of memory starting the Slurm job of %s", label);
        free(name), free(shown), free(status), free(log);
        return -1;
    }
    strv a = {0};
    ex_tool_argv(t, name, spec, status, &a);
    ex_tool_outcome out = {.status = status, .res = res};
    /* The node enforces the tool's limit; this one only bounds a hung srun. */
    ex_job job = {.x = t->x, .name = name, .label = shown, .argv = &a, .log = log, .fresh_log = true,
                  .outcome = status, .limit_s = spec->timeout_s > 0 ? spec->timeout_s + EX_TIME_MARGIN_S : 0,
                  .stop = t->stop, .group = spec->group, .notify = jobprog_notifier(t->progress),
                  .read = ex_read_status, .data = &out};
    char words[1500];
    int rc = 0;
    jobprog_begin(t->progress, shown);
    ex_end outcome = ex_job_run(&job, words, sizeof words);
    jobprog_end(t->progress, shown);
    switch (outcome) {
    case EX_OUTCOME:
        if (spec->group)
            atomic_fetch_add(&spec->group->usec, (unsigned long long)(res->cpu_s * 1e6));
        break;
    case EX_INTERRUPTED:
    case EX_STOPPED: /* stopped, not failed: the verdict was known */
        memset(res, 0, sizeof *res);
        res->cancelled = true;
        break;
    case EX_INFRA:
        snprintf(why, n, "its Slurm job %s: %s", name, words);
        rc = -1;
        break;
    }
    strv_free(&a);
    unlink(status);
    if (spec->log_path && ex_log_hand_over(log, spec->log_path, outcome == EX_INFRA) != 0 && rc == 0) {
        snprintf(why, n, "cannot append %s to %s: %s", log, spec->log_path, strerror(errno));
        rc = -1;
    }
    free(name), free(shown), free(status), free(log);
    return rc;
}

void executor_tools_init(executor_tools *t, const executor *x, const gate_def *def, const gate_ctx *ctx,
                         const char *tag, const atomic_bool *stop, const executor_notify *notify)
{
    *t = (executor_tools){.x = x, .def = def, .tag = tag, .stop = stop, .rundir = ctx->rundir,
                          .harness = ctx->harness, .progress = jobprog_new(def->name, notify)};
    t->launcher = (proc_launcher){.run = ex_tool_run, .data = t};
}

void executor_tools_free(executor_tools *t)
{
    jobprog_free(t->progress);
    t->progress = NULL;
}
