/* fsx — small file-system helpers shared by the tools.
 *
 * Contract: every function returns 0 on success or -1 with errno set, and
 * never prints. Writes are atomic (temp file in the same directory, fsync,
 * rename), so a crash or a full disk never leaves a half-written file.
 */
#ifndef LIB_FSX_H
#define LIB_FSX_H

#include <stddef.h>

/* Reads a whole file into a NUL-terminated malloc'd buffer (*len excludes the NUL). */
int fsx_read(const char *path, char **data, size_t *len);
/* Reads a file another party controls (an agent's output, a cache entry)
 * without trusting it: the last component must not be a symlink (O_NOFOLLOW),
 * the open never blocks (O_NONBLOCK: a FIFO cannot hang the caller), it must
 * be a regular file (not a FIFO, device or directory), and at most max bytes
 * are read (a larger file is refused, never read to the end). On failure
 * returns -1 with errno (ENOENT missing, ELOOP symlink, EINVAL not a regular
 * file, EFBIG over max, or the read's error) and a one-line reason in err
 * ("... is a FIFO, not a regular file"), without the path. *data is
 * NUL-terminated, *len excludes the NUL. */
int fsx_read_untrusted(const char *path, size_t max, char **data, size_t *len, char *err, size_t n);
/* Atomically replaces path with data. The temporary file is created afresh
 * (O_EXCL|O_NOFOLLOW, named after the process and thread), so a symlink
 * planted at its name cannot redirect the write. */
int fsx_write_atomic(const char *path, const void *data, size_t len);
/* Appends one chunk with a single write(2) on an O_APPEND descriptor, then fsync. */
int fsx_append(const char *path, const void *data, size_t len);
/* mkdir -p. */
int fsx_mkdirs(const char *path, int mode);
/* rm -rf; refuses "", "/" and paths containing "..". */
int fsx_remove_tree(const char *path);
/* The last max_bytes of a file, starting at a line boundary where possible,
 * malloc'd; "" when the file is missing or not a regular file (a FIFO or a
 * device is never read). Never NULL unless out of memory. */
char *fsx_tail(const char *path, size_t max_bytes);
/* snprintf into a malloc'd string. */
char *fsx_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
