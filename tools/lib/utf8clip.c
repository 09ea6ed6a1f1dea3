/* utf8clip.c — see utf8clip.h. */
#include "lib/utf8clip.h"

#include <stdbool.h>

/* A continuation byte (10xxxxxx) is never the first byte of a character. */
static bool utf8clip_inside(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

size_t utf8clip_head(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && utf8clip_inside(s[n]))
        n--;
    return n;
}

size_t utf8clip_tail(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return 0;
    size_t start = len - max;
    while (start < len && utf8clip_inside(s[start]))
        start++;
    return start;
}
