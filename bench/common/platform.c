/* platform.c - UART print helpers of platform.h. */
#include "platform.h"

void plat_puts(const char *s)
{
    while (*s)
        plat_putc(*s++);
}

void plat_put_hex(uint32_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    if (digits < 1)
        digits = 1;
    if (digits > 8)
        digits = 8;
    for (int i = digits - 1; i >= 0; i--)
        plat_putc(hex[(v >> (4 * i)) & 0xFu]);
}

void plat_put_hex32(uint32_t v)
{
    plat_puts("0x");
    plat_put_hex(v, 8);
}

void plat_put_udec(uint32_t v)
{
    char buf[10];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (n > 0)
        plat_putc(buf[--n]);
}

void plat_put_dec(int32_t v)
{
    if (v < 0) {
        plat_putc('-');
        /* negate in unsigned arithmetic: -INT32_MIN overflows int32_t */
        plat_put_udec(0u - (uint32_t)v);
    } else {
        plat_put_udec((uint32_t)v);
    }
}
