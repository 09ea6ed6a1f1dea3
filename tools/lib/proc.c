/* proc.c — see proc.h. Children are polled with waitpid(WNOHANG) on a short
 * sleep: a few milliseconds of latency is nothing next to the tools we run, and
 * it keeps timeouts, several children and cancellation in one simple loop. */
#include "lib/proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Set from signal handlers; the one piece of global state this module needs. */
static volatile sig_atomic_t proc_cancel_flag;

void proc_cancel_all(void) { proc_cancel_flag = 1; }
bool proc_is_cancelled(void) { return proc_cancel_flag != 0; }

double proc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void proc_group_init(proc_group *g)
{
    atomic_init(&g->usec, 0);
    atomic_init(&g->stop, false);
}

double proc_group_cpu(proc_group *g)
{
    return g ? (double)atomic_load(&g->usec) * 1e-6 : 0.0;
}

void proc_group_stop(proc_group *g)
{
    if (g)
        atomic_store(&g->stop, true);
}

bool proc_group_stopped(proc_group *g)
{
    return g && atomic_load(&g->stop);
}

enum { PROC_TREE_DEPTH = 16, PROC_TREE_WIDTH = 256 };
static const double PROC_SAMPLE_S = 0.1;

/* CPU seconds of pid and its descendants now: each one's own time and that
 * of the children it reaped (utime, stime, cutime, cstime of /proc/<pid>/stat),
 * found through /proc/<pid>/task/<tid>/children. A process that ends between
 * two samples after its children did takes theirs with it: the error is at
 * most a sample's worth. */
static double proc_tree_cpu(pid_t pid, int depth)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name may hold anything */
    unsigned long long t[4] = {0};
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &t[0], &t[1],
                     &t[2], &t[3]) != 4)
        return 0;
    double cpu = (double)(t[0] + t[1] + t[2] + t[3]) / (double)sysconf(_SC_CLK_TCK);
    if (depth >= PROC_TREE_DEPTH)
        return cpu;
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char cpath[300];
        snprintf(cpath, sizeof cpath, "/proc/%d/task/%.32s/children", (int)pid, e->d_name);
        FILE *c = fopen(cpath, "r");
        int kid, n = 0;
        while (c && n++ < PROC_TREE_WIDTH && fscanf(c, "%d", &kid) == 1)
            cpu += proc_tree_cpu((pid_t)kid, depth + 1);
        if (c)
            fclose(c);
    }
    if (d)
        closedir(d);
    return cpu;
}

static void proc_sample(proc_handle *h, double now)
{
    if (!h->confined || now < h->next_sample)
        return;
    double cpu = proc_tree_cpu(h->pid, 0);
    if (cpu > h->sampled_cpu)
        h->sampled_cpu = cpu;
    h->next_sample = now + PROC_SAMPLE_S;
}

/* Reaps the child like waitpid and books its CPU time in r and the group. */
static pid_t proc_reap(proc_handle *h, proc_result *r, int *status, int flags)
{
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t w = wait4(h->pid, status, flags, &ru);
    if (w == h->pid) {
        unsigned long long us = (unsigned long long)ru.ru_utime.tv_sec * 1000000ull +
                                (unsigned long long)ru.ru_utime.tv_usec +
                                (unsigned long long)ru.ru_stime.tv_sec * 1000000ull +
                                (unsigned long long)ru.ru_stime.tv_usec;
        if ((double)us * 1e-6 < h->sampled_cpu)
            us = (unsigned long long)(h->sampled_cpu * 1e6);
        r->cpu_s = (double)us * 1e-6;
        if (h->group)
            atomic_fetch_add(&h->group->usec, us);
    }
    return w;
}

bool proc_have_tool(const char *argv0)
{
    if (strchr(argv0, '/'))
        return access(argv0, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path)
        return false;
    char buf[4096];
    for (const char *p = path; *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0 && len + strlen(argv0) + 2 < sizeof buf) {
            snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, argv0);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
                return true;
        }
        p += len + (colon ? 1 : 0);
    }
    return false;
}

/* In the child: redirect, set the group, limits and sandbox, exec. Only
 * async-signal-safe calls until exec; on failure report errno through the
 * pipe. argv is the command, already wrapped in the sandbox when confined. */
static void proc_child(const proc_spec *s, char *const *argv, pid_t parent, int errfd)
{
    setpgid(0, 0);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    int in = open(s->stdin_path ? s->stdin_path : "/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0)
        goto fail;
    if (s->log_path) {
        int out = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (out < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
            goto fail;
    }
    if (s->cwd && chdir(s->cwd) != 0)
        goto fail;
    for (const char *const *e = s->env; e && *e; e++)
        putenv((char *)*e);
    if (s->confine && confine_child(s->confine) != 0)
        goto fail;
    /* After any uid change (which clears it): die with the caller, and if
     * the caller is already gone, do not start at all. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        goto fail;
    execvp(argv[0], argv);
fail:;
    int e = errno;
    if (write(errfd, &e, sizeof e) < 0) { /* nothing more we can do */ }
    _exit(127);
}

int proc_start(const proc_spec *s, proc_handle *h)
{
    memset(h, 0, sizeof *h);
    h->start = proc_now();
    h->deadline = s->timeout_s > 0 ? h->start + s->timeout_s : 0;
    h->group = s->group;
    if (proc_group_stopped(s->group)) {
        h->spawn_err = ECANCELED;
        h->done = true;
        errno = ECANCELED;
        return -1;
    }
    bool wrap = s->confine && s->confine->enabled;
    char **wrapped = wrap && confine_check(s->confine) == 0 ? confine_wrap(s->confine, s->argv, s->cwd)
                                                                  : NULL;
    int p[2];
    if ((wrap && !wrapped) || pipe2(p, O_CLOEXEC) != 0) {
        h->spawn_err = errno;
        h->done = true;
        free(wrapped);
        return -1;
    }
    if (s->confine) {
        h->limits = s->confine->limits;
        h->confined = wrap;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        h->spawn_err = errno;
        h->done = true;
        close(p[0]);
        close(p[1]);
        free(wrapped);
        return -1;
    }
    if (pid == 0)
        proc_child(s, wrapped ? wrapped : (char *const *)s->argv, parent, p[1]);
    free(wrapped);
    close(p[1]);
    setpgid(pid, pid); /* also in the parent, so kill(-pid) works at once */
    int child_err = 0;
    ssize_t r;
    do
        r = read(p[0], &child_err, sizeof child_err);
    while (r < 0 && errno == EINTR);
    close(p[0]);
    h->pid = pid;
    if (r == (ssize_t)sizeof child_err) { /* exec failed */
        waitpid(pid, NULL, 0);
        h->spawn_err = child_err;
        h->done = true;
        errno = child_err;
        return -1;
    }
    return 0;
}

static void proc_kill_group(proc_handle *h, proc_result *r, double now)
{
    kill(-h->pid, SIGTERM);
    double grace = now + 2.0;
    int status;
    while (proc_now() < grace) {
        if (proc_reap(h, r, &status, WNOHANG) == h->pid) {
            kill(-h->pid, SIGKILL); /* stragglers in the group */
            goto reaped;
        }
        usleep(10000);
    }
    kill(-h->pid, SIGKILL);
    proc_reap(h, r, &status, 0);
reaped:
    r->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void proc_wait_all(proc_handle *h, proc_result *res, size_t n)
{
    size_t left = 0;
    for (size_t i = 0; i < n; i++) {
        memset(&res[i], 0, sizeof res[i]);
        res[i].limits = h[i].limits;
        if (h[i].done) {
            res[i].spawn_failed = true;
            res[i].err = h[i].spawn_err;
            res[i].exit_code = -1;
        } else {
            left++;
        }
    }
    useconds_t nap = 1000;
    while (left > 0) {
        double now = proc_now();
        for (size_t i = 0; i < n; i++) {
            if (h[i].done)
                continue;
            int status;
            proc_sample(&h[i], now);
            pid_t w = proc_reap(&h[i], &res[i], &status, WNOHANG);
            if (w == h[i].pid) {
                res[i].exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                res[i].term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
                int sig = h[i].confined && WIFEXITED(status) ? confine_exit_signal(res[i].exit_code) : 0;
                if (sig) { /* the sandboxed program itself died of a signal */
                    res[i].term_signal = sig;
                    res[i].exit_code = -1;
                }
                kill(-h[i].pid, SIGKILL); /* a tool's own children die with it */
            } else if (proc_cancel_flag || proc_group_stopped(h[i].group)) {
                res[i].cancelled = true;
                proc_kill_group(&h[i], &res[i], now);
            } else if (h[i].deadline > 0 && now > h[i].deadline) {
                res[i].timed_out = true;
                proc_kill_group(&h[i], &res[i], now);
            } else {
                continue;
            }
            res[i].seconds = proc_now() - h[i].start;
            h[i].done = true;
            left--;
        }
        if (left > 0) {
            usleep(nap);
            if (nap < 20000)
                nap *= 2;
        }
    }
}

int proc_run(const proc_spec *spec, proc_result *res)
{
    proc_handle h;
    proc_start(spec, &h);
    proc_wait_all(&h, res, 1);
    return proc_ok(res) ? 0 : -1;
}

bool proc_ok(const proc_result *res)
{
    return !res->spawn_failed && !res->timed_out && !res->cancelled && res->term_signal == 0 &&
           res->exit_code == 0;
}

int proc_launch(const proc_launcher *launcher, const char *label, const proc_spec *spec, proc_result *res,
                char *why, size_t n)
{
    if (!launcher) {
        proc_run(spec, res);
        return 0;
    }
    memset(res, 0, sizeof *res);
    if (proc_group_stopped(spec->group)) {
        res->cancelled = true;
        return 0;
    }
    return launcher->run(launcher->data, label, spec, res, why, n);
}

const char *proc_describe(const proc_result *r, const char *tool, char *buf, size_t n)
{
    if (r->spawn_failed && r->err == ENOENT)
        snprintf(buf, n, "not found: %s (run 'bash tools/setup.sh' to install the Debian packages)", tool);
    else if (r->spawn_failed && r->err == ECANCELED)
        snprintf(buf, n, "%s not started: its job was stopped", tool);
    else if (r->spawn_failed)
        snprintf(buf, n, "%s could not start: %s", tool, strerror(r->err));
    else if (r->timed_out)
        snprintf(buf, n, "%s timed out after %.0f s and was killed", tool, r->seconds);
    else if (r->cancelled)
        snprintf(buf, n, "%s interrupted", tool);
    else if (r->term_signal == SIGXFSZ && r->limits.file_bytes)
        snprintf(buf, n, "%s hit its file-size limit of %llu MiB and was stopped", tool,
                 r->limits.file_bytes >> 20);
    else if (r->term_signal && r->limits.mem_bytes &&
             (r->term_signal == SIGABRT || r->term_signal == SIGSEGV || r->term_signal == SIGKILL ||
              r->term_signal == SIGBUS))
        snprintf(buf, n, "%s crashed with signal %d (%s); it ran under a memory limit of %llu MiB, which it "
                 "may have hit", tool, r->term_signal, strsignal(r->term_signal), r->limits.mem_bytes >> 20);
    else if (r->term_signal)
        snprintf(buf, n, "%s crashed with signal %d (%s)", tool, r->term_signal, strsignal(r->term_signal));
    else
        snprintf(buf, n, "%s exited %d", tool, r->exit_code);
    return buf;
}
