/* strbuf — a growable string for building prompts, reports and messages.
 * Contract: appends never fail visibly; after an allocation failure the
 * buffer is marked broken and strbuf_take() returns NULL. */
#ifndef LIB_STRBUF_H
#define LIB_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *s;
    size_t len, cap;
    bool broken;
} strbuf;

void strbuf_add(strbuf *b, const char *text);
void strbuf_addn(strbuf *b, const char *text, size_t n);
void strbuf_addf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string (malloc'd, "" when empty), or NULL after a failure; b is reset. */
char *strbuf_take(strbuf *b);
void strbuf_free(strbuf *b);

#endif
