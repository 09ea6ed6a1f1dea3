/* strv — a growable list of malloc'd strings, owned by the list.
 *
 * Contract: a zeroed strv is an empty list. v[0..n) are the strings in the
 * order they were added, and v[n] is NULL whenever v is (so v can be handed
 * to code that wants a NULL-terminated array). strv_push takes ownership of
 * str, including on failure (it frees str then), and fails for a NULL str so
 * that strv_push(&l, fsx_fmt(...)) needs no check of its own; strv_add copies;
 * strv_add_unique copies unless an equal string is already there. All three
 * return 0 or -1 (out of memory). strv_free frees the strings and the array
 * and leaves an empty list.
 */
#ifndef LIB_STRV_H
#define LIB_STRV_H

#include <stddef.h>

typedef struct {
    char **v;
    size_t n, cap;
} strv;

int strv_push(strv *s, char *str);
int strv_add(strv *s, const char *str);
int strv_add_unique(strv *s, const char *str);
void strv_free(strv *s);

#endif
