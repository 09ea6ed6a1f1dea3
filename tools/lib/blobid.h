/* blobid — the content hash the caches and keys of the tools are built on:
 * the git blob id of some bytes (SHA-1 over "blob <len>\0" followed by them),
 * as `git hash-object` prints it.
 *
 * Contract: 40 lowercase hex digits and a NUL into out; 0, or -1 when libgit2
 * fails (out is then left as it was); data may be NULL when len is 0. Each
 * call initialises libgit2 for itself, so callers need no git state of their
 * own; thread-safe.
 * blobid_file hashes a file's contents (symbolic links followed) and fails
 * for a file that cannot be opened and read.
 */
#ifndef LIB_BLOBID_H
#define LIB_BLOBID_H

#include <stddef.h>

enum { BLOBID_HEX = 40 };

int blobid_hash(const void *data, size_t len, char out[BLOBID_HEX + 1]);
int blobid_file(const char *path, char out[BLOBID_HEX + 1]);

#endif
