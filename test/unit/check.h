/* check — the project's minimal unit-test protocol.
 *
 * Every test suite (a C binary or a script) prints one line per test case:
 *     PASS <name>
 *     FAIL <name>: <why>
 *     SKIP <name>: <why>
 * and exits 0 when it ran to the end (even with failures). test/run-suites.sh
 * counts the lines and prints the closing "N passed, N failed, N skipped".
 * A suite that crashes or exits non-zero is counted as one more failure.
 *
 * Use: CHECK_CASE("name") { CHECK(expr); CHECK_EQ_U32(got, want); }
 *      return check_done();
 */
#ifndef CHECK_H
#define CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name; /* current case */
    int failed;       /* current case already failed */
    int open;         /* a case is running */
    int n_fail;       /* cases failed in this suite */
} check_state;

static check_state check_g; /* one per test binary: the only global a suite has */

static inline void check_close(void)
{
    if (check_g.open && !check_g.failed)
        printf("PASS %s\n", check_g.name);
    check_g.open = 0;
    fflush(stdout);
}

static inline int check_begin(const char *name)
{
    check_close();
    check_g.name = name;
    check_g.failed = 0;
    check_g.open = 1;
    return 1;
}

static inline void check_fail(const char *file, int line, const char *fmt_msg)
{
    if (!check_g.failed) {
        printf("FAIL %s: %s:%d: %s\n", check_g.name, file, line, fmt_msg);
        check_g.n_fail++;
    }
    check_g.failed = 1;
    fflush(stdout);
}

static inline void check_skip(const char *name, const char *why)
{
    check_close();
    printf("SKIP %s: %s\n", name, why);
    fflush(stdout);
}

static inline int check_done(void)
{
    check_close();
    return 0;
}

/* Runs the block once as one named case. */
#define CHECK_CASE(name) for (int check_once_ = check_begin(name); check_once_; check_once_ = 0)

#define CHECK(expr)                                                            \
    do {                                                                       \
        if (!(expr))                                                           \
            check_fail(__FILE__, __LINE__, "check failed: " #expr);            \
    } while (0)

#define CHECK_EQ_U32(got, want)                                                \
    do {                                                                       \
        uint32_t g_ = (uint32_t)(got), w_ = (uint32_t)(want);                  \
        if (g_ != w_) {                                                        \
            char m_[160];                                                      \
            snprintf(m_, sizeof m_, "%s = 0x%08" PRIx32 ", want 0x%08" PRIx32, \
                     #got, g_, w_);                                            \
            check_fail(__FILE__, __LINE__, m_);                                \
        }                                                                      \
    } while (0)

#define CHECK_EQ_INT(got, want)                                                \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        if (g_ != w_) {                                                        \
            char m_[160];                                                      \
            snprintf(m_, sizeof m_, "%s = %lld, want %lld", #got, g_, w_);     \
            check_fail(__FILE__, __LINE__, m_);                                \
        }                                                                      \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                        \
    do {                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                \
        if (!h_ || !strstr(h_, n_)) {                                          \
            char m_[300];                                                      \
            snprintf(m_, sizeof m_, "'%.200s' does not contain '%s'",          \
                     h_ ? h_ : "(null)", n_);                                  \
            check_fail(__FILE__, __LINE__, m_);                                \
        }                                                                      \
    } while (0)

#endif /* CHECK_H */
