/* strv.c — see strv.h. */
#include "lib/strv.h"

#include <stdlib.h>
#include <string.h>

int strv_push(strv *s, char *str)
{
    if (!str)
        return -1;
    if (s->n + 1 >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            free(str);
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = str;
    s->v[s->n] = NULL;
    return 0;
}

int strv_add(strv *s, const char *str) { return strv_push(s, strdup(str)); }

int strv_add_unique(strv *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return 0;
    return strv_add(s, str);
}

void strv_free(strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}
