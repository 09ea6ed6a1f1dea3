/* uartcheck.c — see uartcheck.h. */
#include "uartcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int uart_check_parse(const char *name)
{
    if (strcmp(name, "none") == 0) return UART_CHECK_NONE;
    if (strcmp(name, "workload") == 0) return UART_CHECK_WORKLOAD;
    if (strcmp(name, "coremark") == 0) return UART_CHECK_COREMARK;
    if (strcmp(name, "vm") == 0) return UART_CHECK_VM;
    return -1;
}

const char *uart_check_name(uart_check_kind k)
{
    return k == UART_CHECK_WORKLOAD ? "workload" : k == UART_CHECK_COREMARK ? "coremark" : k == UART_CHECK_VM ? "vm" : "none";
}

uart_check_kind uart_check_for_program(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, "coremark", 8) == 0) return UART_CHECK_COREMARK;
    if (strncmp(base, "workload", 8) == 0) return UART_CHECK_WORKLOAD;
    if (strncmp(base, "vm", 2) == 0) return UART_CHECK_VM;
    return UART_CHECK_NONE;
}

/* The number after "<key> ... :" on the key's line; -1 when absent. */
static int uart_value(const char *text, size_t len, const char *key, uint64_t *v)
{
    const char *p = memmem(text, len, key, strlen(key));
    if (!p)
        return -1;
    const char *end = text + len;
    p += strlen(key);
    while (p < end && *p != ':' && *p != '\n')
        p++;
    if (p == end || *p != ':')
        return -1;
    p++;
    while (p < end && *p == ' ')
        p++;
    char num[24];
    size_t n = 0;
    while (p < end && n + 1 < sizeof num && *p != '\n' && *p != '\r' && *p != ' ')
        num[n++] = *p++;
    num[n] = '\0';
    char *stop;
    unsigned long long x = strtoull(num, &stop, 0);
    if (n == 0 || *stop)
        return -1;
    *v = x;
    return 0;
}

static bool uart_has(const char *text, size_t len, const char *s)
{
    return memmem(text, len, s, strlen(s)) != NULL;
}

static uart_check_result uart_fail(uart_check_result r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static uart_check_result uart_fail(uart_check_result r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r.ok = false;
    vsnprintf(r.reason, sizeof r.reason, fmt, ap);
    va_end(ap);
    return r;
}

static uart_check_result uart_check_coremark(const char *text, size_t len, uint64_t expect_iter)
{
    static const struct {
        const char *key;
        unsigned crc;
    } crcs[] = {{"seedcrc", 0xe9f5}, {"[0]crclist", 0xe714}, {"[0]crcmatrix", 0x1fd7},
                {"[0]crcstate", 0x8e3a}, {"[0]crcfinal", 0xfcaf}};
    uart_check_result r = {.ok = true};
    uint64_t it = 0;
    if (uart_value(text, len, "Iterations  ", &it) != 0 || it == 0)
        return uart_fail(r, "CoreMark output has no 'Iterations : N' line");
    r.iterations = it;
    if (expect_iter && it != expect_iter)
        return uart_fail(r, "CoreMark ran %llu iterations, expected %llu",
                         (unsigned long long)it, (unsigned long long)expect_iter);
    for (size_t i = 0; i < sizeof crcs / sizeof crcs[0]; i++) {
        uint64_t v;
        if (uart_value(text, len, crcs[i].key, &v) != 0)
            return uart_fail(r, "CoreMark output has no '%s' line", crcs[i].key);
        if (v != crcs[i].crc)
            return uart_fail(r, "CoreMark %s is 0x%04llx, expected 0x%04x", crcs[i].key,
                             (unsigned long long)v, crcs[i].crc);
    }
    if (!uart_has(text, len, "Correct operation validated."))
        return uart_fail(r, "CoreMark did not print 'Correct operation validated.'");
    snprintf(r.reason, sizeof r.reason, "CoreMark validated: %llu iterations, 2K CRCs correct",
             (unsigned long long)it);
    return r;
}

/* The project's programs: "iterations: N" and "<name>: checksums OK". */
static uart_check_result uart_check_own(const char *name, const char *text, size_t len)
{
    uart_check_result r = {.ok = true};
    uint64_t it = 0;
    char ok[48];
    snprintf(ok, sizeof ok, "%s: checksums OK", name);
    if (uart_value(text, len, "iterations", &it) != 0 || it == 0)
        return uart_fail(r, "%s output has no 'iterations: N' line", name);
    r.iterations = it;
    if (!uart_has(text, len, ok))
        return uart_fail(r, "%s did not print '%s'%s", name, ok,
                         uart_has(text, len, "checksum mismatch") ? ": it printed a checksum mismatch (its self-check "
                                                                    "failed: the core computes wrongly)" : "");
    snprintf(r.reason, sizeof r.reason, "%s validated: %llu iterations, checksums OK", name,
             (unsigned long long)it);
    return r;
}

uart_check_result uart_check(uart_check_kind kind, const char *text, size_t len,
                             uint64_t expect_iterations)
{
    uart_check_result r = {.ok = true};
    switch (kind) {
    case UART_CHECK_WORKLOAD: return uart_check_own("workload", text, len);
    case UART_CHECK_VM: return uart_check_own("vm", text, len);
    case UART_CHECK_COREMARK: return uart_check_coremark(text, len, expect_iterations);
    default: snprintf(r.reason, sizeof r.reason, "no validation for this program"); return r;
    }
}
