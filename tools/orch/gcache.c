/* gcache.c — see gcache.h. */
#include "orch/gcache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/sha256.h"
#include "records/records.h"

#define GCACHE_MAGIC "evo-gcache-1"
enum { GCACHE_KEY_LEN = 32, GCACHE_HEADER = sizeof GCACHE_MAGIC + SHA256_HEX }; /* "magic mac\n" */

struct gcache {
    char *dir;    /* <dir>/k-<key id> */
    uint8_t key[GCACHE_KEY_LEN];
};

/* ---- the key -------------------------------------------------------------- */

static int gcache_key_create(const char *path, char *err, size_t n)
{
    uint8_t key[GCACHE_KEY_LEN];
    size_t got = 0;
    while (got < sizeof key) {
        ssize_t r = getrandom(key + got, sizeof key - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, n, "getrandom() for the gate cache key %s failed: %s", path, strerror(errno));
            return -1;
        }
        got += (size_t)r;
    }
    /* Written whole under a private name, then linked into place: a
     * concurrent evo never reads a half-written key, and link() never
     * replaces a key another process made first. */
    char *tmp = fsx_fmt("%s.%ld.%ld", path, (long)getpid(), (long)syscall(SYS_gettid));
    if (tmp)
        unlink(tmp); /* a leftover of a crash under the same pid and thread id */
    int fd = tmp ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
    int rc = -1;
    if (fd >= 0) {
        bool ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
        ok = close(fd) == 0 && ok;
        if (ok && (link(tmp, path) == 0 || errno == EEXIST))
            rc = 0;
    }
    if (rc != 0)
        snprintf(err, n, "cannot create the gate cache key %s: %s; check that %s is writable", path,
                 strerror(errno), tmp ? tmp : path);
    if (tmp)
        unlink(tmp);
    free(tmp);
    memset(key, 0, sizeof key);
    return rc;
}

/* 0 read, 1 absent, -1 error. */
static int gcache_key_read(const char *path, uint8_t key[GCACHE_KEY_LEN], char *err, size_t n)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 1;
    struct stat st;
    const char *bad = NULL;
    if (fd < 0)
        bad = errno == ELOOP ? "a symbolic link" : strerror(errno);
    else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        bad = "not a regular file";
    else if (st.st_uid != geteuid() || (st.st_mode & 077))
        bad = "readable or writable by other users, or not ours (it must be ours with mode 0600)";
    else if (st.st_size != GCACHE_KEY_LEN || read(fd, key, GCACHE_KEY_LEN) != GCACHE_KEY_LEN)
        bad = "not 32 bytes long";
    if (fd >= 0)
        close(fd);
    if (!bad)
        return 0;
    snprintf(err, n, "the gate cache key %s is %s, so it cannot vouch for cache entries; delete the "
             "cache directory (it only saves time) and run again", path, bad);
    return -1;
}

gcache *gcache_open(const char *dir, char *err, size_t n)
{
    if (fsx_mkdirs(dir, 0755) != 0) {
        snprintf(err, n, "cannot create the gate cache %s: %s", dir, strerror(errno));
        return NULL;
    }
    gcache *c = calloc(1, sizeof *c);
    char *kpath = fsx_fmt("%s/.key", dir);
    if (!c || !kpath) {
        snprintf(err, n, "out of memory");
        free(c);
        free(kpath);
        return NULL;
    }
    int rc = gcache_key_read(kpath, c->key, err, n);
    if (rc == 1 && gcache_key_create(kpath, err, n) == 0)
        rc = gcache_key_read(kpath, c->key, err, n);
    if (rc == 1)
        snprintf(err, n, "the gate cache key %s vanished while it was created; run again", kpath);
    free(kpath);
    if (rc != 0) {
        gcache_free(c);
        return NULL;
    }
    /* The directory is named after the key (a MAC of a constant, which
     * reveals nothing of the key): another key never meets these entries. */
    static const char label[] = "evo gate-cache key id";
    uint8_t id[SHA256_LEN];
    char hex[SHA256_HEX];
    hmac256(c->key, sizeof c->key, label, sizeof label - 1, id);
    sha256_hex(id, hex);
    c->dir = fsx_fmt("%s/k-%.16s", dir, hex);
    if (!c->dir || fsx_mkdirs(c->dir, 0755) != 0) {
        snprintf(err, n, "cannot create %s: %s", c->dir ? c->dir : dir, strerror(errno));
        gcache_free(c);
        return NULL;
    }
    return c;
}

void gcache_free(gcache *c)
{
    if (!c)
        return;
    free(c->dir);
    memset(c->key, 0, sizeof c->key);
    free(c);
}

/* ---- entries -------------------------------------------------------------- */

char *gcache_path(const gcache *c, const char *keytext, const char *gate)
{
    uint8_t d[SHA256_LEN];
    char hex[SHA256_HEX];
    sha256(keytext, strlen(keytext), d);
    sha256_hex(d, hex);
    return fsx_fmt("%s/%s-%s.json", c->dir, gate, hex);
}

static void gcache_put_len(hmac256_ctx *h, size_t len)
{
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    hmac256_update(h, be, sizeof be);
}

/* HMAC(key, magic || len(keytext) || keytext || len(gate) || gate || result):
 * the lengths keep the fields from sliding into one another. */
static void gcache_mac(const gcache *c, const char *keytext, const char *gate, const char *res, size_t len,
                       uint8_t out[SHA256_LEN])
{
    hmac256_ctx h;
    hmac256_init(&h, c->key, sizeof c->key);
    hmac256_update(&h, GCACHE_MAGIC "\n", sizeof GCACHE_MAGIC);
    gcache_put_len(&h, strlen(keytext));
    hmac256_update(&h, keytext, strlen(keytext));
    gcache_put_len(&h, strlen(gate));
    hmac256_update(&h, gate, strlen(gate));
    hmac256_update(&h, res, len);
    hmac256_final(&h, out);
}

static bool gcache_cacheable(const json_t *r)
{
    const char *st = json_string_value(json_object_get(r, "status"));
    return st && (strcmp(st, "pass") == 0 || strcmp(st, "fail") == 0);
}

static int gcache_unhex(const char *s, uint8_t out[SHA256_LEN])
{
    for (int i = 0; i < 2 * SHA256_LEN; i++) {
        char ch = s[i];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        out[i / 2] = (uint8_t)(i % 2 ? (out[i / 2] | v) : v << 4);
    }
    return 0;
}

/* NULL when the entry checks out (*out set), else what is wrong with it. */
static const char *gcache_verify(const gcache *c, const char *keytext, const char *gate, const char *text,
                                 size_t len, json_t **out)
{
    uint8_t want[SHA256_LEN], got[SHA256_LEN];
    if (len < GCACHE_HEADER || memcmp(text, GCACHE_MAGIC " ", sizeof GCACHE_MAGIC) != 0 ||
        text[GCACHE_HEADER - 1] != '\n' || gcache_unhex(text + sizeof GCACHE_MAGIC, got) != 0)
        return "it is not an evo-gcache-1 entry (no valid header line)";
    gcache_mac(c, keytext, gate, text + GCACHE_HEADER, len - GCACHE_HEADER, want);
    if (!sha256_equal(want, got))
        return "its MAC does not verify: it was not written by this orchestrator for this candidate, "
               "gate and result";
    json_error_t je;
    json_t *r = json_loadb(text + GCACHE_HEADER, len - GCACHE_HEADER, 0, &je);
    const char *g = json_string_value(json_object_get(r, "gate"));
    if (!json_is_object(r) || !g || strcmp(g, gate) != 0 || !gcache_cacheable(r)) {
        json_decref(r);
        return "its MAC verifies but its result is malformed";
    }
    json_object_set_new(r, "cached", json_true());
    *out = r;
    return NULL;
}

void gcache_purge(const gcache *c, const char *keytext, const char *gate)
{
    char *path = gcache_path(c, keytext, gate);
    struct stat st;
    if (path && lstat(path, &st) == 0)
        S_ISDIR(st.st_mode) ? fsx_remove_tree(path) : unlink(path);
    free(path);
}

gcache_status gcache_get(const gcache *c, const char *keytext, const char *gate, json_t **out,
                         char *why, size_t n)
{
    *out = NULL;
    char *path = gcache_path(c, keytext, gate);
    if (!path)
        return GCACHE_MISS;
    char *text = NULL, rerr[200];
    size_t len = 0;
    const char *bad = NULL;
    gcache_status st = GCACHE_MISS;
    if (fsx_read_untrusted(path, GCACHE_MAX, &text, &len, rerr, sizeof rerr) != 0) {
        /* Absent or unreadable is a miss; anything that is not a plain
         * file of sane size was put there by someone else. */
        if (errno == ELOOP || errno == EINVAL || errno == EFBIG)
            bad = rerr;
    } else {
        bad = gcache_verify(c, keytext, gate, text, len, out);
        st = bad ? GCACHE_PLANTED : GCACHE_HIT;
    }
    if (bad) {
        st = GCACHE_PLANTED;
        gcache_purge(c, keytext, gate);
        snprintf(why, n, "planted gate-cache entry %s (gate %s): %s; it was deleted", path, gate, bad);
    }
    free(text);
    free(path);
    return st;
}

int gcache_put(const gcache *c, const char *keytext, const char *gate, const json_t *result)
{
    if (!gcache_cacheable(result)) {
        errno = EINVAL;
        return -1;
    }
    char *res = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
    char *path = gcache_path(c, keytext, gate);
    int rc = -1;
    if (res && path) {
        uint8_t mac[SHA256_LEN];
        char hex[SHA256_HEX];
        gcache_mac(c, keytext, gate, res, strlen(res), mac);
        sha256_hex(mac, hex);
        char *text = fsx_fmt(GCACHE_MAGIC " %s\n%s", hex, res);
        rc = text ? fsx_write_atomic(path, text, strlen(text)) : -1;
        free(text);
    } else {
        errno = ENOMEM;
    }
    free(res);
    free(path);
    return rc;
}

/* ---- comparing a fresh run with the cache --------------------------------- */

static bool gcache_close(const json_t *a, const json_t *b, const char *name, char *why, size_t n)
{
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        double scale = fmax(fabs(x), fabs(y));
        if (fabs(x - y) <= 1e-9 * scale || x == y)
            return true;
        snprintf(why, n, "%s: cached %.10g, fresh %.10g", name, x, y);
        return false;
    }
    if (json_is_object(a) && json_is_object(b) && json_object_size(a) == json_object_size(b)) {
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)a, k, v) {
            char *sub = fsx_fmt("%s.%s", name, k);
            bool ok = gcache_close(v, json_object_get(b, k), sub ? sub : name, why, n);
            free(sub);
            if (!ok)
                return false;
        }
        return true;
    }
    if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b)) {
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!gcache_close(json_array_get(a, i), json_array_get(b, i), name, why, n))
                return false;
        return true;
    }
    if (json_equal((json_t *)a, (json_t *)b) || (!a && !b))
        return true;
    char *x = a ? json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    char *y = b ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    snprintf(why, n, "%s: cached %.80s, fresh %.80s", name, x ? x : "(none)", y ? y : "(none)");
    free(x);
    free(y);
    return false;
}

/* The figures the log would record from this one result. */
static json_t *gcache_figures(const char *gate, const json_t *r)
{
    json_t *results = json_object();
    json_object_set(results, gate, (json_t *)r);
    json_t *e = json_object();
    records_fill_figures(e, results);
    json_decref(results);
    return e;
}

bool gcache_same_verdict(const char *gate, const json_t *cached, const json_t *fresh, char *why, size_t n)
{
    if (!gcache_close(json_object_get(cached, "status"), json_object_get(fresh, "status"), "status", why, n))
        return false;
    json_t *a = gcache_figures(gate, cached), *b = gcache_figures(gate, fresh);
    bool same = gcache_close(a, b, "figures", why, n);
    json_decref(a);
    json_decref(b);
    return same;
}
