/* sha256.c — see sha256.h. Written from FIPS 180-4 §4.1.2, §4.2.2, §5.3.3,
 * §6.2 and RFC 2104 §2. */
#include "lib/sha256.h"

#include <string.h>

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t sha256_rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* One 512-bit block (§6.2.2). */
static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
               (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = sha256_rotr(w[t - 15], 7) ^ sha256_rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = sha256_rotr(w[t - 2], 17) ^ sha256_rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = s1 + w[t - 7] + s0 + w[t - 16];
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t S1 = sha256_rotr(e, 6) ^ sha256_rotr(e, 11) ^ sha256_rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + S1 + ch + sha256_k[t] + w[t];
        uint32_t S0 = sha256_rotr(a, 2) ^ sha256_rotr(a, 13) ^ sha256_rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

void sha256_init(sha256_ctx *c)
{
    /* §5.3.3: square roots of the first 8 primes. */
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->total = 0;
    c->nbuf = 0;
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    c->total += len;
    while (len > 0) {
        if (c->nbuf == 0 && len >= SHA256_BLOCK) {
            sha256_block(c->h, p);
            p += SHA256_BLOCK;
            len -= SHA256_BLOCK;
            continue;
        }
        size_t take = SHA256_BLOCK - c->nbuf < len ? SHA256_BLOCK - c->nbuf : len;
        memcpy(c->buf + c->nbuf, p, take);
        c->nbuf += take;
        p += take;
        len -= take;
        if (c->nbuf == SHA256_BLOCK) {
            sha256_block(c->h, c->buf);
            c->nbuf = 0;
        }
    }
}

void sha256_final(sha256_ctx *c, uint8_t out[SHA256_LEN])
{
    /* §5.1.1: a 1 bit, zeros, then the message length in bits (64-bit big-endian). */
    uint64_t bits = c->total * 8;
    uint8_t pad[SHA256_BLOCK + 8] = {0x80};
    size_t padlen = (c->nbuf < 56 ? 56 : 120) - c->nbuf;
    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(c, pad, padlen + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
    memset(c, 0, sizeof *c);
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, out);
}

void hmac256_init(hmac256_ctx *c, const void *key, size_t keylen)
{
    /* RFC 2104 §2: a key longer than a block is hashed first; then
     * H((K ^ opad) || H((K ^ ipad) || text)). */
    uint8_t k[SHA256_BLOCK] = {0};
    if (keylen > SHA256_BLOCK)
        sha256(key, keylen, k);
    else if (keylen)
        memcpy(k, key, keylen);
    uint8_t ikey[SHA256_BLOCK];
    for (int i = 0; i < SHA256_BLOCK; i++) {
        ikey[i] = k[i] ^ 0x36;
        c->okey[i] = k[i] ^ 0x5c;
    }
    sha256_init(&c->inner);
    sha256_update(&c->inner, ikey, sizeof ikey);
    memset(k, 0, sizeof k);
    memset(ikey, 0, sizeof ikey);
}

void hmac256_update(hmac256_ctx *c, const void *data, size_t len) { sha256_update(&c->inner, data, len); }

void hmac256_final(hmac256_ctx *c, uint8_t out[SHA256_LEN])
{
    uint8_t ih[SHA256_LEN];
    sha256_final(&c->inner, ih);
    sha256_ctx o;
    sha256_init(&o);
    sha256_update(&o, c->okey, sizeof c->okey);
    sha256_update(&o, ih, sizeof ih);
    sha256_final(&o, out);
    memset(c, 0, sizeof *c);
}

void hmac256(const void *key, size_t keylen, const void *data, size_t len, uint8_t out[SHA256_LEN])
{
    hmac256_ctx c;
    hmac256_init(&c, key, keylen);
    hmac256_update(&c, data, len);
    hmac256_final(&c, out);
}

void sha256_hex(const uint8_t d[SHA256_LEN], char out[SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_LEN; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * SHA256_LEN] = '\0';
}

bool sha256_equal(const uint8_t a[SHA256_LEN], const uint8_t b[SHA256_LEN])
{
    uint8_t diff = 0;
    for (int i = 0; i < SHA256_LEN; i++)
        diff |= a[i] ^ b[i];
    return diff == 0;
}
