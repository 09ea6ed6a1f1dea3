/* lock.c — see lock.h. */
#include "orch/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/fsx.h"

int lock_take(lock_handle *h, const char *commondir, const char *target, char *err, size_t n)
{
    h->fd = -1;
    h->path = fsx_fmt("%s/evo-%s.lock", commondir, target);
    if (!h->path) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    int fd = open(h->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, n, "cannot create lock file %s: %s", h->path, strerror(errno));
        free(h->path);
        h->path = NULL;
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char holder[64] = "";
        ssize_t got = pread(fd, holder, sizeof holder - 1, 0);
        holder[got > 0 ? got : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        close(fd);
        if (e == EWOULDBLOCK) {
            snprintf(err, n, "another evo run holds target '%s' (%s, lock %s); wait for it or stop it",
                     target, *holder ? holder : "pid unknown", h->path);
            free(h->path);
            h->path = NULL;
            return 1;
        }
        snprintf(err, n, "cannot lock %s: %s", h->path, strerror(e));
        free(h->path);
        h->path = NULL;
        return -1;
    }
    char line[32];
    int len = snprintf(line, sizeof line, "pid=%ld\n", (long)getpid());
    /* Best effort: the content only improves the message of a waiting run. */
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len) { /* ignored */ }
    h->fd = fd;
    return 0;
}

void lock_release(lock_handle *h)
{
    if (h->fd >= 0) {
        flock(h->fd, LOCK_UN);
        close(h->fd);
    }
    h->fd = -1;
    free(h->path);
    h->path = NULL;
}
