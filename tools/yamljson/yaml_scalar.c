/* yaml_scalar.c — plain-scalar resolution; see yaml_scalar.h. */
#include "yamljson/yaml_scalar.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool one_of(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(s, *words, n) == 0)
            return true;
    return false;
}

/* [-+]?[0-9]+ */
static bool is_int_text(const char *s, size_t n)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+'));
    if (i == n)
        return false;
    for (; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? that is not an integer. */
static bool is_float_text(const char *s, size_t n)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+'));
    size_t int_digits = 0, frac_digits = 0;
    bool dot = false, exp = false;
    while (i < n && is_digit(s[i]))
        i++, int_digits++;
    if (i < n && s[i] == '.') {
        dot = true;
        i++;
        while (i < n && is_digit(s[i]))
            i++, frac_digits++;
    }
    if (int_digits == 0 && frac_digits == 0)
        return false;
    if (int_digits == 0 && !dot)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        exp = true;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t e = 0;
        while (i < n && is_digit(s[i]))
            i++, e++;
        if (e == 0)
            return false;
    }
    return i == n && (dot || exp);
}

static const char *const nulls[] = {"~", "null", "Null", "NULL", NULL};
static const char *const trues[] = {"true", "True", "TRUE", NULL};
static const char *const falses[] = {"false", "False", "FALSE", NULL};

json_t *yaml_scalar_resolve(const char *s, size_t n, char *why, size_t whylen)
{
    if (n == 0 || one_of(s, n, nulls))
        return json_null();
    if (one_of(s, n, trues))
        return json_true();
    if (one_of(s, n, falses))
        return json_false();
    bool is_int = is_int_text(s, n);
    if (is_int || is_float_text(s, n)) {
        char buf[128];
        if (n >= sizeof buf) {
            snprintf(why, whylen, "number %.40s... is too long (quote it to keep it as text)", s);
            return NULL;
        }
        memcpy(buf, s, n);
        buf[n] = '\0';
        errno = 0;
        if (is_int) {
            long long v = strtoll(buf, NULL, 10);
            if (errno == ERANGE) {
                snprintf(why, whylen, "integer %s is out of range (quote it to keep it as text)", buf);
                return NULL;
            }
            return json_integer((json_int_t)v);
        }
        double d = strtod(buf, NULL);
        if (!isfinite(d)) {
            snprintf(why, whylen, "number %s is out of range (quote it to keep it as text)", buf);
            return NULL;
        }
        return json_real(d);
    }
    json_t *v = json_stringn(s, n);
    if (!v)
        snprintf(why, whylen, "scalar is not valid UTF-8");
    return v;
}

/* Next code point of valid UTF-8 at s[*i]; advances *i. */
static unsigned long next_cp(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    unsigned long cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < len && *i + k < n; k++)
        cp = (cp << 6) | ((unsigned char)s[*i + k] & 0x3Fu);
    *i += len;
    return cp;
}

/* Characters YAML forbids or treats as line breaks, which must be escaped. */
static bool cp_needs_escape(unsigned long cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

bool yaml_scalar_plain_ok(const char *s, size_t n)
{
    static const char *const yaml11[] = {"y", "n", "yes", "no", "on", "off", "<<", "=", NULL};
    if (n == 0 || strchr("-?:,[]{}#&*!|>'\"%@`<= .+", s[0]) || is_digit(s[0]))
        return false;
    if (s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    for (const char *const *w = yaml11; *w; w++)
        if (strlen(*w) == n && strncasecmp(s, *w, n) == 0)
            return false;
    for (size_t i = 0; i + 1 < n; i++)
        if ((s[i] == ':' && s[i + 1] == ' ') || (s[i] == ' ' && s[i + 1] == '#'))
            return false;
    for (size_t i = 0; i < n;)
        if (cp_needs_escape(next_cp(s, n, &i)))
            return false;
    char why[8];
    json_t *v = yaml_scalar_resolve(s, n, why, sizeof why);
    bool ok = json_is_string(v);
    json_decref(v);
    return ok;
}

void yaml_scalar_write_quoted(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        size_t start = i;
        unsigned long cp = next_cp(s, n, &i);
        switch (cp) {
        case '"': fputs("\\\"", f); continue;
        case '\\': fputs("\\\\", f); continue;
        case '\n': fputs("\\n", f); continue;
        case '\t': fputs("\\t", f); continue;
        case '\r': fputs("\\r", f); continue;
        case 0: fputs("\\0", f); continue;
        default: break;
        }
        if (cp_needs_escape(cp) && cp < 0x100)
            fprintf(f, "\\x%02lX", cp);
        else if (cp_needs_escape(cp))
            fprintf(f, "\\u%04lX", cp);
        else
            fwrite(s + start, 1, i - start, f);
    }
    fputc('"', f);
}
