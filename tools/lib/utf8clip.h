/* utf8clip — where to cut UTF-8 text to a byte budget without splitting a
 * character, for the short excerpts the tools put into records and lessons.
 *
 * Contract: s[0..len) is text that is UTF-8 where it matters (other bytes
 * are cut anywhere); nothing is read outside it and nothing is allocated.
 *  - utf8clip_head: the length n <= max of the longest prefix s[0..n) that
 *    does not end inside a character (len itself when len <= max).
 *  - utf8clip_tail: the start of the longest suffix s[start..len) of at most
 *    max bytes that does not begin inside a character (0 when len <= max).
 * A cut never makes text longer than max; it may make it shorter by up to 3
 * bytes (the rest of the character that did not fit).
 */
#ifndef LIB_UTF8CLIP_H
#define LIB_UTF8CLIP_H

#include <stddef.h>

size_t utf8clip_head(const char *s, size_t len, size_t max);
size_t utf8clip_tail(const char *s, size_t len, size_t max);

#endif
