/* fsx.c — see fsx.h. */
#include "lib/fsx.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int fsx_read(const char *path, char **data, size_t *len)
{
    *data = NULL;
    if (len)
        *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f) ? EIO : (buf ? 0 : ENOMEM);
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return 0;
}

static int fsx_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int fsx_write_atomic(const char *path, const void *data, size_t len)
{
    /* pid and thread id: two threads writing the same path never share a
     * temporary file. */
    char *tmp = fsx_fmt("%s.tmp.%ld.%ld", path, (long)getpid(), (long)syscall(SYS_gettid));
    if (!tmp)
        return -1;
    unlink(tmp); /* a leftover of a crashed writer, or something planted */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    int rc = fsx_write_all(fd, data, len);
    if (rc == 0)
        rc = fsync(fd);
    int err = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    errno = err;
    return rc;
}

static const char *fsx_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

/* Reads to the end or to max + 1 bytes, whichever comes first: one byte
 * more than max means the file is too large (it may have grown after the
 * fstat), and nothing past that is ever read. */
static int fsx_read_capped(int fd, size_t max, char **data, size_t *len)
{
    size_t limit = max < SIZE_MAX / 2 ? max + 1 : SIZE_MAX / 2;
    size_t cap = limit < 65536 ? limit : 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        if (n == cap) {
            if (cap == limit)
                break;
            size_t ncap = cap * 2 < limit ? cap * 2 : limit;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max) {
        free(buf);
        errno = EFBIG;
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int fsx_read_untrusted(const char *path, size_t max, char **data, size_t *len, char *err, size_t n)
{
    *data = NULL;
    if (len)
        *len = 0;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, n, "%s", e == ELOOP ? "is a symbolic link (not followed)" : strerror(e));
        errno = e;
        return -1;
    }
    struct stat st;
    int rc = -1, e = 0;
    if (fstat(fd, &st) != 0) {
        e = errno;
        snprintf(err, n, "cannot stat it: %s", strerror(e));
    } else if (!S_ISREG(st.st_mode)) {
        e = EINVAL;
        snprintf(err, n, "is %s, not a regular file", fsx_kind(st.st_mode));
    } else if ((unsigned long long)st.st_size > (unsigned long long)max) {
        e = EFBIG;
        snprintf(err, n, "is %lld bytes, more than the %zu allowed", (long long)st.st_size, max);
    } else if (fsx_read_capped(fd, max, data, &got) != 0) {
        e = errno;
        if (e == EFBIG)
            snprintf(err, n, "grew past the %zu bytes allowed while it was read", max);
        else
            snprintf(err, n, "cannot read it: %s", strerror(e));
    } else {
        rc = 0;
        if (len)
            *len = got;
    }
    close(fd);
    errno = e;
    return rc;
}

int fsx_append(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = fsx_write_all(fd, data, len);
    if (rc == 0)
        rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

int fsx_mkdirs(const char *path, int mode)
{
    if (!path || !*path) {
        errno = ENOENT;
        return -1;
    }
    char *p = fsx_fmt("%s", path);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) ? -1 : 0;
    free(p);
    return rc;
}

static int fsx_unlink_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

int fsx_remove_tree(const char *path)
{
    if (!path || !*path || strcmp(path, "/") == 0 || strstr(path, "..")) {
        errno = EINVAL;
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, fsx_unlink_cb, 32, FTW_DEPTH | FTW_PHYS);
}

char *fsx_tail(const char *path, size_t max_bytes)
{
    /* Logs can be replaced by whoever writes them (an agent's transcript):
     * a FIFO or a device there must not block or feed us forever. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return calloc(1, 1);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long from = size > (long)max_bytes ? size - (long)max_bytes : 0;
    fseek(f, from, SEEK_SET);
    char *buf = malloc(max_bytes + 1);
    size_t n = buf ? fread(buf, 1, max_bytes, f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    char *start = buf;
    if (from > 0) { /* skip the partial first line */
        char *nl = memchr(buf, '\n', n);
        if (nl && nl + 1 < buf + n)
            start = nl + 1;
    }
    if (start != buf)
        memmove(buf, start, strlen(start) + 1);
    return buf;
}

char *fsx_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}
