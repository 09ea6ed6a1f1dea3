/* strbuf.c — see strbuf.h. */
#include "lib/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool strbuf_grow(strbuf *b, size_t extra)
{
    if (b->broken)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *ns = realloc(b->s, cap);
    if (!ns) {
        b->broken = true;
        return false;
    }
    b->s = ns;
    b->cap = cap;
    return true;
}

void strbuf_addn(strbuf *b, const char *text, size_t n)
{
    if (!strbuf_grow(b, n))
        return;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void strbuf_add(strbuf *b, const char *text)
{
    if (text)
        strbuf_addn(b, text, strlen(text));
}

void strbuf_addf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && strbuf_grow(b, (size_t)n)) {
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

char *strbuf_take(strbuf *b)
{
    char *s = b->broken ? NULL : (b->s ? b->s : calloc(1, 1));
    if (b->broken)
        free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->broken = false;
    return s;
}

void strbuf_free(strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->broken = false;
}
