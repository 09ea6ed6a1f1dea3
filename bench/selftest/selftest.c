/* selftest.c - a short smoke test of a core running C code.
 *
 * Prints a greeting, then checks that compiled C works end to end: integer
 * arithmetic, .data initialisation and .bss zeroing (crt0 + loader), byte /
 * half / word memory through the mini libc, calls through function pointers,
 * recursion (deep enough to use the stack), and the M extension.  Expected
 * values are constants worked out by hand (see each comment).  Operands come
 * through volatile variables so the compiler cannot fold the operations away.
 * Prints "selftest: PASS" and returns 0, or one "selftest: FAIL ..." line per
 * failed check and returns the number of failures.
 */
#include <stdint.h>

#include "minilibc.h"
#include "platform.h"

static int failures;

static void check(const char *what, uint32_t got, uint32_t expected)
{
    if (got == expected)
        return;
    failures++;
    plat_puts("selftest: FAIL ");
    plat_puts(what);
    plat_puts(": got ");
    plat_put_hex32(got);
    plat_puts(" expected ");
    plat_put_hex32(expected);
    plat_putc('\n');
}

/* .data and .bss: the loader and crt0 must have set these up. */
static volatile uint32_t data_word = 0xC0FFEE42u;
static volatile int16_t data_half = -1234;
static volatile uint32_t bss_words[16];

static volatile int32_t v_a = 1000, v_b = -7, v_c = 0x12345678, v_zero = 0;

static void test_arith(void)
{
    int32_t a = v_a, b = v_b;
    check("add", (uint32_t)(a + b), 993u);
    check("sub", (uint32_t)(b - a), (uint32_t)-1007);
    check("xor", (uint32_t)v_c ^ 0xFFFF0000u, 0xEDCB5678u);
    check("shift left", (uint32_t)v_c << 4, 0x23456780u);
    check("shift right arith", (uint32_t)(b >> 1), (uint32_t)-4); /* -7 >> 1 = -4 */
    check("shift right logic", (uint32_t)b >> 28, 0xFu);
    check("compare signed", (uint32_t)(b < a), 1u);
    check("compare unsigned", (uint32_t)((uint32_t)b < (uint32_t)a), 0u);
}

static void test_memory(void)
{
    check("data word", data_word, 0xC0FFEE42u);
    check("data half", (uint32_t)(int32_t)data_half, (uint32_t)-1234);
    uint32_t orr = 0;
    for (int i = 0; i < 16; i++)
        orr |= bss_words[i];
    check("bss zeroed", orr, 0u);

    uint8_t buf[32], copy[32];
    memset(buf, 0xA5, sizeof buf);
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)(i * 17);
    memcpy(copy, buf, sizeof buf);
    check("memcpy/memcmp", (uint32_t)memcmp(copy, buf, sizeof buf), 0u);
    copy[31] = 0;
    check("memcmp differs", (uint32_t)(memcmp(copy, buf, sizeof buf) != 0), 1u);
    /* bytes 4..7 are 68, 85, 102, 119 = 0x44 0x55 0x66 0x77, little-endian */
    uint32_t w;
    memcpy(&w, buf + 4, 4);
    check("little-endian word", w, 0x77665544u);
    memmove(buf + 1, buf, 8); /* overlapping: buf[1..8] = old buf[0..7] */
    check("memmove overlap", (uint32_t)buf[8], 119u);
    check("strlen", (uint32_t)strlen("rv32im"), 6u);
    check("strcmp", (uint32_t)(strcmp("abc", "abd") < 0), 1u);

    volatile uint16_t halves[4] = { 0x8001u, 0x7FFFu, 0, 0 };
    check("halfword load", (uint32_t)halves[0] + halves[1], 0x10000u);
    volatile int8_t bytes[2] = { -128, 127 };
    check("signed bytes", (uint32_t)(bytes[0] + bytes[1]), (uint32_t)-1);
}

static uint32_t twice(uint32_t x) { return 2u * x; }
static uint32_t plus_three(uint32_t x) { return x + 3u; }
static uint32_t (*volatile ops[2])(uint32_t) = { twice, plus_three };

/* Naive recursion: fib(20) = 6765 makes 21891 calls, max depth 20. */
__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* Ackermann(2, 3) = 2*3 + 3 = 9, a different call shape (deep, non-tail). */
__attribute__((noinline)) static uint32_t ack(uint32_t m, uint32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static void test_calls(void)
{
    check("call via pointer", ops[1](ops[0](20u)), 43u);
    check("recursion fib(20)", fib(20), 6765u);
    check("recursion ack(2,3)", ack(2, 3), 9u);
}

static void test_m(void)
{
    int32_t a = v_a, b = v_b, c = v_c, z = v_zero;
    check("mul", (uint32_t)(a * b), (uint32_t)-7000);
    /* 0x12345678 * 1000 = 305419896000 = 0x47_1C71_C4C0 */
    check("mul low", (uint32_t)c * (uint32_t)a, 0x1C71C4C0u);
    check("mulhu", (uint32_t)(((uint64_t)(uint32_t)c * (uint32_t)a) >> 32), 0x47u);
    check("mulh", (uint32_t)(((int64_t)c * b) >> 32), 0xFFFFFFFFu); /* -2137939272 */
    check("div", (uint32_t)(a / b), (uint32_t)-142);   /* 1000 / -7 truncates */
    check("rem", (uint32_t)(a % b), 6u);               /* 1000 - 142*7 = 6 */
    check("divu", (uint32_t)c / 1000u, 305419u);       /* 305419896 / 1000 */
    check("remu", (uint32_t)c % 1000u, 896u);
    /* Division by zero: RISC-V defines the results (no trap).  Written in
     * inline assembly because it is undefined behaviour in C. */
    uint32_t q, r;
    __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(a), "r"(z));
    __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(z));
    check("div by zero", q, 0xFFFFFFFFu);
    check("rem by zero", r, 1000u);
}

int main(void)
{
    plat_puts("selftest: hello from an RV32IM core\n");
    test_arith();
    test_memory();
    test_calls();
    test_m();
    if (failures == 0) {
        plat_puts("selftest: PASS\n");
        return 0;
    }
    plat_puts("selftest: FAIL (");
    plat_put_dec(failures);
    plat_puts(" checks)\n");
    return failures > 255 ? 255 : failures;
}
