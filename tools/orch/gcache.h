/* gcache — the gate cache (build/gate-cache/), made unforgeable.
 *
 * An agent that can write the cache could otherwise plant a "pass" with any
 * figures under its own candidate's key. So every entry is bound to what it
 * vouches for and to this orchestrator:
 *  - <dir>/.key holds 32 random bytes (getrandom), created once with
 *    O_CREAT|O_EXCL, mode 0600; a key that is not a 32-byte regular file
 *    owned by us and closed to others is refused (gcache_open fails).
 *  - An entry is <dir>/k-<key id>/<gate>-<sha256 of the key text>.json:
 *    a line "evo-gcache-1 <hex HMAC-SHA256>" and the exact result bytes. The
 *    MAC covers the key text (the candidate's tree ids, harness id, tool
 *    versions, flags: whatever the verdict depends on), the gate name and
 *    the result bytes. A new key gives new directory names, so entries of an
 *    old key (or of the old unsigned format) are simply never found.
 *  - gcache_get() returns PLANTED for an entry that is not a regular file,
 *    is larger than GCACHE_MAX, is malformed, fails its MAC, names another
 *    gate or holds a status other than pass/fail; the entry is deleted
 *    (purged) and `why` names its path. The caller must not trust the
 *    candidate's verdict then.
 * The secrecy of .key is what makes a forged MAC impossible: an agent that
 * can read it could forge entries, so agents must not see <dir>.
 * Thread-safe after gcache_open (the handle is read-only).
 */
#ifndef ORCH_GCACHE_H
#define ORCH_GCACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum { GCACHE_MAX = 4 << 20 }; /* bytes; a real cosim result is ~100 KiB */

typedef struct gcache gcache;

typedef enum { GCACHE_MISS, GCACHE_HIT, GCACHE_PLANTED } gcache_status;

/* Creates dir and its key when needed. NULL with err (naming the path and
 * what to do) when the key cannot be made or read, or is not trustworthy. */
gcache *gcache_open(const char *dir, char *err, size_t n);
void gcache_free(gcache *c);

/* Where the entry of (keytext, gate) lives; malloc'd. */
char *gcache_path(const gcache *c, const char *keytext, const char *gate);
/* HIT: *out is the verified result, marked "cached": true. MISS: nothing
 * usable (absent or unreadable). PLANTED: see above; *out is NULL. */
gcache_status gcache_get(const gcache *c, const char *keytext, const char *gate, json_t **out,
                         char *why, size_t n);
/* Stores a "pass"/"fail" result (others are refused: -1, EINVAL). 0, or -1
 * with errno; a lost entry only costs time later. */
int gcache_put(const gcache *c, const char *keytext, const char *gate, const json_t *result);
/* Deletes the entry of (keytext, gate), whatever it is. */
void gcache_purge(const gcache *c, const char *keytext, const char *gate);

/* Whether a fresh result of a gate gives the verdict a cached one gave: the
 * same status and the same figures the log records (fitness, cycles,
 * iterations, CoreMark/MHz, Fmax, LUTs, FFs, workload), numbers equal up to
 * a relative 1e-9. When not, why says which figure differs. */
bool gcache_same_verdict(const char *gate, const json_t *cached, const json_t *fresh, char *why, size_t n);

#endif
