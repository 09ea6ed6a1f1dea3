/* dirlist.c — see dirlist.h. */
#include "lib/dirlist.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool dirlist_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool dirlist_safe_name(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
            return false;
    return true;
}

static int dirlist_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void dirlist_free(char **names)
{
    for (char **p = names; p && *p; p++)
        free(*p);
    free(names);
}

int dirlist_files(const char *dir, const char *const *suffixes, char ***names, char **bad)
{
    *names = NULL;
    *bad = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t n = 0;
    char **v = calloc(1, sizeof *v);
    int rc = v ? 0 : -1;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        const char *name = e->d_name;
        bool wanted = false;
        for (const char *const *s = suffixes; *s && !wanted; s++)
            wanted = dirlist_has_suffix(name, *s);
        if (name[0] == '.' || !wanted)
            continue;
        if (!dirlist_safe_name(name)) {
            *bad = strdup(name);
            rc = -2;
            break;
        }
        char **nv = realloc(v, (n + 2) * sizeof *nv);
        if (!nv || !(nv[n] = strdup(name))) {
            v = nv ? nv : v;
            rc = -1;
            break;
        }
        v = nv;
        v[++n] = NULL;
    }
    closedir(d);
    if (rc != 0) {
        dirlist_free(v);
        if (rc == -1)
            errno = ENOMEM;
        return rc;
    }
    qsort(v, n, sizeof *v, dirlist_name_cmp);
    *names = v;
    return (int)n;
}
