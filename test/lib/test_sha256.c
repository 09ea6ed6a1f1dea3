/* test_sha256 — SHA-256 against the FIPS 180-4 / 180-2 examples (one-block,
 * two-block and one-million-'a' messages; the padding edges were checked
 * against coreutils sha256sum) and HMAC-SHA256 against RFC 4231. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/sha256.h"

static int sha_is(const void *msg, size_t len, const char *want)
{
    uint8_t d[SHA256_LEN];
    char hex[SHA256_HEX];
    sha256(msg, len, d);
    sha256_hex(d, hex);
    if (strcmp(hex, want) != 0)
        printf("# got %s\n# want %s\n", hex, want);
    return strcmp(hex, want) == 0;
}

static int hmac_is(const void *key, size_t klen, const void *msg, size_t mlen, const char *want, size_t hexlen)
{
    uint8_t d[SHA256_LEN];
    char hex[SHA256_HEX];
    hmac256(key, klen, msg, mlen, d);
    sha256_hex(d, hex);
    return strncmp(hex, want, hexlen) == 0;
}

static void test_sha(void)
{
    CHECK_CASE("sha256: FIPS 180-4 one-block message 'abc'") {
        CHECK(sha_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
    CHECK_CASE("sha256: FIPS 180-4 two-block message (448 bits)") {
        const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        CHECK(sha_is(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    }
    CHECK_CASE("sha256: the empty message") {
        CHECK(sha_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }
    CHECK_CASE("sha256: one million 'a' (FIPS 180-2 long message), fed in odd-sized pieces") {
        char *m = malloc(1000000);
        CHECK(m != NULL);
        if (m) {
            memset(m, 'a', 1000000);
            CHECK(sha_is(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
            sha256_ctx c;
            uint8_t d[SHA256_LEN];
            char hex[SHA256_HEX];
            sha256_init(&c);
            for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 131 + 7)
                sha256_update(&c, m + off, off + step > 1000000 ? 1000000 - off : step);
            sha256_final(&c, d);
            sha256_hex(d, hex);
            CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
            free(m);
        }
    }
    CHECK_CASE("sha256: padding edges (55, 56, 63, 64 bytes)") {
        char m[64];
        memset(m, 'a', sizeof m);
        CHECK(sha_is(m, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
        CHECK(sha_is(m, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
        CHECK(sha_is(m, 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"));
        CHECK(sha_is(m, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"));
    }
}

static void test_hmac(void)
{
    CHECK_CASE("hmac256: RFC 4231 test case 1") {
        uint8_t key[20];
        memset(key, 0x0b, sizeof key);
        CHECK(hmac_is(key, sizeof key, "Hi There", 8,
                      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 64));
    }
    CHECK_CASE("hmac256: RFC 4231 test case 2 (a key shorter than the output)") {
        const char *m = "what do ya want for nothing?";
        CHECK(hmac_is("Jefe", 4, m, strlen(m),
                      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 64));
    }
    CHECK_CASE("hmac256: RFC 4231 test case 3 (50 bytes of 0xdd)") {
        uint8_t key[20], msg[50];
        memset(key, 0xaa, sizeof key);
        memset(msg, 0xdd, sizeof msg);
        CHECK(hmac_is(key, sizeof key, msg, sizeof msg,
                      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 64));
    }
    CHECK_CASE("hmac256: RFC 4231 test case 5 (truncated to 128 bits)") {
        uint8_t key[20];
        memset(key, 0x0c, sizeof key);
        CHECK(hmac_is(key, sizeof key, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b", 32));
    }
    CHECK_CASE("hmac256: RFC 4231 test case 6 (a 131-byte key is hashed first)") {
        uint8_t key[131];
        memset(key, 0xaa, sizeof key);
        const char *m = "Test Using Larger Than Block-Size Key - Hash Key First";
        CHECK(hmac_is(key, sizeof key, m, strlen(m),
                      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 64));
    }
    CHECK_CASE("hmac256: RFC 4231 test case 7 (long key and long data), in pieces") {
        uint8_t key[131];
        memset(key, 0xaa, sizeof key);
        const char *m = "This is a test using a larger than block-size key and a larger than block-size data. "
                        "The key needs to be hashed before being used by the HMAC algorithm.";
        CHECK(hmac_is(key, sizeof key, m, strlen(m),
                      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 64));
        hmac256_ctx c;
        uint8_t d[SHA256_LEN], want[SHA256_LEN];
        hmac256(key, sizeof key, m, strlen(m), want);
        hmac256_init(&c, key, sizeof key);
        hmac256_update(&c, m, 10);
        hmac256_update(&c, m + 10, strlen(m) - 10);
        hmac256_final(&c, d);
        CHECK(sha256_equal(d, want));
        d[31] ^= 1;
        CHECK(!sha256_equal(d, want));
    }
}

int main(void)
{
    test_sha();
    test_hmac();
    return check_done();
}
