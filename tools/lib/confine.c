/* confine.c — see confine.h. The sandbox is bubblewrap's; this module only
 * decides what goes into it, so that every caller (agents, gates) states its
 * policy as data and one function turns it into options. */
#include "lib/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int confine_add(confine_policy *p, confine_kind kind, const char *path)
{
    if (!path || p->nmounts >= CONFINE_MAX_MOUNTS) {
        errno = ENOSPC;
        return -1;
    }
    p->mounts[p->nmounts++] = (confine_mount){kind, path};
    return 0;
}

static bool confine_is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bwrap words, in order; NULL-terminated list of borrowed strings.
 * Returns the count (at most cap - 1). */
static size_t confine_words(const confine_policy *p, const char *cwd, const char **w, size_t cap)
{
    size_t k = 0;
#define W(s) do { if (k + 1 < cap) w[k++] = (s); } while (0)
    W("bwrap");
    W("--die-with-parent");
    W("--new-session");
    W("--unshare-all");
    if (p->net)
        W("--share-net");
    W("--cap-drop"); W("ALL");
    W("--ro-bind"); W("/"); W("/");
    W("--dev"); W("/dev");
    W("--proc"); W("/proc");
    W("--tmpfs"); W("/tmp");
    /* HOME holds the caller's keys, shell start-up files and tool logins:
     * hidden unless a mount below brings part of it back. */
    const char *home = getenv("HOME");
    if (home && home[0] == '/' && home[1] && confine_is_dir(home)) {
        W("--tmpfs"); W(home);
    }
    for (size_t i = 0; i < p->nmounts; i++) {
        const confine_mount *m = &p->mounts[i];
        switch (m->kind) {
        case CONFINE_RO: W("--ro-bind"); W(m->path); W(m->path); break;
        case CONFINE_RO_TRY: W("--ro-bind-try"); W(m->path); W(m->path); break;
        case CONFINE_RW: W("--bind"); W(m->path); W(m->path); break;
        case CONFINE_HIDE:
            if (confine_is_dir(m->path)) {
                W("--tmpfs"); W(m->path);
            }
            break;
        }
    }
    if (p->home) {
        W("--setenv"); W("HOME"); W(p->home);
    }
    W("--unsetenv"); W("TMPDIR");
    if (cwd) {
        W("--chdir"); W(cwd);
    }
    W("--");
#undef W
    w[k] = NULL;
    return k;
}

/* One block: the pointer array followed by copies of the strings, so the
 * caller frees a single allocation. */
static char **confine_pack(const char *const *a, size_t na, const char *const *b)
{
    size_t nb = 0, bytes = 0;
    while (b[nb])
        nb++;
    for (size_t i = 0; i < na; i++)
        bytes += strlen(a[i]) + 1;
    for (size_t i = 0; i < nb; i++)
        bytes += strlen(b[i]) + 1;
    char **out = malloc((na + nb + 1) * sizeof *out + bytes);
    if (!out)
        return NULL;
    char *s = (char *)(out + na + nb + 1);
    for (size_t i = 0; i < na + nb; i++) {
        const char *src = i < na ? a[i] : b[i - na];
        size_t l = strlen(src) + 1;
        memcpy(s, src, l);
        out[i] = s;
        s += l;
    }
    out[na + nb] = NULL;
    return out;
}

char **confine_wrap(const confine_policy *p, const char *const *argv, const char *cwd)
{
    enum { CAP = 32 + 3 * CONFINE_MAX_MOUNTS };
    const char *w[CAP];
    size_t k = confine_words(p, cwd, w, CAP);
    return confine_pack(w, k, argv);
}

int confine_check(const confine_policy *p)
{
    for (size_t i = 0; i < p->nmounts; i++) {
        const confine_mount *m = &p->mounts[i];
        struct stat st;
        if ((m->kind == CONFINE_RO || m->kind == CONFINE_RW) && stat(m->path, &st) != 0) {
            errno = ENOENT;
            return -1;
        }
    }
    return 0;
}

int confine_exit_signal(int exit_code)
{
    return exit_code > 128 && exit_code < 128 + 65 ? exit_code - 128 : 0;
}

static int confine_rlimit(int res, unsigned long long v)
{
    if (v == 0)
        return 0;
    struct rlimit rl = {(rlim_t)v, (rlim_t)v};
    struct rlimit cur;
    /* Never raise a limit the caller already has lower. */
    if (getrlimit(res, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && cur.rlim_max < rl.rlim_max)
        rl.rlim_cur = rl.rlim_max = cur.rlim_max;
    return setrlimit(res, &rl);
}

int confine_child(const confine_policy *p)
{
    struct rlimit nocore = {0, 0};
    if (setrlimit(RLIMIT_CORE, &nocore) != 0 || confine_rlimit(RLIMIT_AS, p->limits.mem_bytes) != 0 ||
        confine_rlimit(RLIMIT_FSIZE, p->limits.file_bytes) != 0 ||
        confine_rlimit(RLIMIT_NPROC, p->limits.nproc) != 0)
        return -1;
    if (p->drop_uid && geteuid() == 0) {
        gid_t g = CONFINE_GID;
        if (setgroups(1, &g) != 0 || setresgid(g, g, g) != 0 || setresuid(CONFINE_UID, CONFINE_UID, CONFINE_UID) != 0)
            return -1;
    }
    return 0;
}

confine_limits confine_default_limits(bool agent)
{
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    unsigned long long ram = pages > 0 && psz > 0 ? (unsigned long long)pages * (unsigned long long)psz
                                                  : 8ULL << 30;
    confine_limits l;
    /* A runaway tool or agent fails alone instead of taking the
     * orchestrator and the other slots down with it: a tool (formal, P&R)
     * may take half the machine, an agent a quarter (the model CLIs run in
     * well under 2 GiB of address space, measured). */
    l.mem_bytes = agent ? ram / 4 : ram / 2;
    l.file_bytes = agent ? 256ULL << 20 : 4ULL << 30;
    l.nproc = agent ? 512 : 4096;
    return l;
}

int confine_probe(const confine_policy *p, char *why, size_t n)
{
    static const char *const argv[] = {"true", NULL};
    char **av = confine_wrap(p, argv, NULL);
    int pipefd[2];
    if (!av || pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(why, n, "cannot prepare the sandbox probe: %s", strerror(errno));
        free(av);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0 ||
            confine_child(p) != 0)
            _exit(126);
        execvp(av[0], av);
        dprintf(2, "cannot run bwrap: %s", strerror(errno));
        _exit(127);
    }
    close(pipefd[1]);
    char msg[512] = "";
    size_t got = 0;
    ssize_t r;
    while (pid > 0 && (r = read(pipefd[0], msg + got, sizeof msg - 1 - got)) > 0)
        got += (size_t)r;
    msg[got] = 0;
    close(pipefd[0]);
    free(av);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        snprintf(why, n, "cannot start the sandbox probe: %s", strerror(errno));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    msg[strcspn(msg, "\n")] = 0;
    snprintf(why, n, "bubblewrap cannot create the sandbox here (%s); install the Debian package bubblewrap "
             "and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or run "
             "with CONFINE=off to accept unconfined agents", msg[0] ? msg : "bwrap failed");
    return -1;
}

static int confine_chown_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return lchown(path, CONFINE_UID, CONFINE_GID);
}

int confine_chown_tree(const char *dir)
{
    if (geteuid() != 0)
        return 0;
    return nftw(dir, confine_chown_one, 32, FTW_PHYS);
}
