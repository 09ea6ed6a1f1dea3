/* lock — one evo process per target at a time.
 *
 * Contract: lock_take() opens <git common dir>/evo-<target>.lock and holds an
 * exclusive flock(2) on it until lock_release() or process exit. The kernel
 * drops the lock when the process dies (even under kill -9), so a stale lock
 * file never blocks the next run: its presence means nothing, only the flock.
 * Loops on different targets take different locks and run side by side.
 * The file holds "pid=<pid>" of the current holder, for the error message.
 */
#ifndef ORCH_LOCK_H
#define ORCH_LOCK_H

#include <stddef.h>

typedef struct {
    int fd;
    char *path;
} lock_handle;

/* 0: taken; 1: another live process holds it (err names its pid);
 * -1: the lock file cannot be created (err says why). */
int lock_take(lock_handle *h, const char *commondir, const char *target, char *err, size_t n);
void lock_release(lock_handle *h);

#endif
