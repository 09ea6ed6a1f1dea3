/* ee_printf.c - the printf subset CoreMark prints with, straight to the UART.
 *
 * Supports %d %i %u %x %X %s %c %p %%, the flags '-' (left-justify) and '0'
 * (zero padding), a decimal field width, and the 'l' length modifier (long
 * is 32 bits on ILP32, so it changes nothing).  No floating point: the port
 * sets HAS_FLOAT 0.  Unknown conversions are printed as they are.
 */
#include <stdarg.h>

#include "coremark.h"
#include "platform.h"

typedef struct {
    int left;  /* '-' */
    int zero;  /* '0' */
    int width; /* minimum field width */
} pf_spec;

/* Writes body (len bytes) padded to the field width; sign goes before zeros. */
static int pf_field(const pf_spec *sp, char sign, const char *body, int len)
{
    int total = len + (sign ? 1 : 0);
    int pad = sp->width > total ? sp->width - total : 0;
    int n = 0;
    if (!sp->left && !sp->zero)
        for (; pad > 0; pad--, n++)
            plat_putc(' ');
    if (sign) {
        plat_putc(sign);
        n++;
    }
    if (!sp->left && sp->zero)
        for (; pad > 0; pad--, n++)
            plat_putc('0');
    for (int i = 0; i < len; i++, n++)
        plat_putc(body[i]);
    for (; pad > 0; pad--, n++)
        plat_putc(' ');
    return n;
}

/* Digits of v in base (10 or 16) into the end of buf; returns the start. */
static char *pf_digits(unsigned long v, unsigned base, int upper, char *end)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = dig[v % base];
        v /= base;
    } while (v);
    return p;
}

int ee_printf(const char *fmt, ...)
{
    va_list ap;
    int n = 0;
    char buf[24];
    char *end = buf + sizeof buf;

    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            plat_putc(*f);
            n++;
            continue;
        }
        const char *conv_start = f;
        pf_spec sp = { 0, 0, 0 };
        for (f++; *f == '-' || *f == '0'; f++) {
            if (*f == '-')
                sp.left = 1;
            else
                sp.zero = 1;
        }
        while (*f >= '0' && *f <= '9')
            sp.width = sp.width * 10 + (*f++ - '0');
        int is_long = 0;
        while (*f == 'l') {
            is_long = 1;
            f++;
        }
        if (!*f) { /* the format ends inside a conversion: print it as is */
            for (const char *q = conv_start; q < f; q++, n++)
                plat_putc(*q);
            break;
        }
        switch (*f) {
        case 'd':
        case 'i': {
            long v = is_long ? va_arg(ap, long) : (long)va_arg(ap, int);
            unsigned long mag = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
            char *p = pf_digits(mag, 10, 0, end);
            n += pf_field(&sp, v < 0 ? '-' : 0, p, (int)(end - p));
            break;
        }
        case 'u': {
            unsigned long v = is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            char *p = pf_digits(v, 10, 0, end);
            n += pf_field(&sp, 0, p, (int)(end - p));
            break;
        }
        case 'x':
        case 'X': {
            unsigned long v = is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            char *p = pf_digits(v, 16, *f == 'X', end);
            n += pf_field(&sp, 0, p, (int)(end - p));
            break;
        }
        case 'p': {
            char *p = pf_digits((unsigned long)(ee_ptr_int)va_arg(ap, void *), 16, 0, end);
            *--p = 'x';
            *--p = '0';
            n += pf_field(&sp, 0, p, (int)(end - p));
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len])
                len++;
            sp.zero = 0;
            n += pf_field(&sp, 0, s, len);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            sp.zero = 0;
            n += pf_field(&sp, 0, &c, 1);
            break;
        }
        case '%':
            plat_putc('%');
            n++;
            break;
        default: /* unknown conversion: print it as is */
            for (const char *q = conv_start; q <= f; q++, n++)
                plat_putc(*q);
            break;
        }
    }
    va_end(ap);
    return n;
}
