/* sha256 — SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the gate
 * cache's entry MACs (orch/gcache.h).
 *
 * Contract: pure functions on caller-owned memory; no allocation, no I/O,
 * no global state; thread-safe. Digests are SHA256_LEN raw bytes;
 * sha256_hex() writes 64 lowercase hex digits and a NUL.
 * sha256_equal() compares in time independent of where the inputs differ,
 * so a MAC check leaks nothing about how close a forgery came.
 */
#ifndef LIB_SHA256_H
#define LIB_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SHA256_LEN = 32, SHA256_BLOCK = 64, SHA256_HEX = 2 * SHA256_LEN + 1 };

typedef struct {
    uint32_t h[8];
    uint64_t total; /* bytes hashed so far */
    uint8_t buf[SHA256_BLOCK];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, uint8_t out[SHA256_LEN]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* HMAC over several pieces, as if they were concatenated. */
typedef struct {
    sha256_ctx inner;
    uint8_t okey[SHA256_BLOCK]; /* key XOR opad */
} hmac256_ctx;

void hmac256_init(hmac256_ctx *c, const void *key, size_t keylen);
void hmac256_update(hmac256_ctx *c, const void *data, size_t len);
void hmac256_final(hmac256_ctx *c, uint8_t out[SHA256_LEN]);
void hmac256(const void *key, size_t keylen, const void *data, size_t len, uint8_t out[SHA256_LEN]);

void sha256_hex(const uint8_t d[SHA256_LEN], char out[SHA256_HEX]);
bool sha256_equal(const uint8_t a[SHA256_LEN], const uint8_t b[SHA256_LEN]);

#endif
