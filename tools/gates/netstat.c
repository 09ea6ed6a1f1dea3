/* netstat.c — see netstat.h. */
#include "gates/netstat.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NS_NAME_MAX = 64 };

/* The cells counted for one instance path. */
typedef struct {
    char path[NS_NAME_MAX + 1];
    json_int_t cells, lut, ff, carry;
} ns_count;

typedef struct {
    ns_count *v;
    size_t n, cap;
} ns_table;

static void ns_add(ns_count *c, const char *type)
{
    c->cells++;
    c->lut += strcmp(type, "SB_LUT4") == 0;
    c->ff += strncmp(type, "SB_DFF", 6) == 0;
    c->carry += strcmp(type, "SB_CARRY") == 0;
}

/* The entry of path (a core has a few dozen instances: a linear search),
 * added when new; NULL when out of memory. */
static ns_count *ns_find(ns_table *t, const char *path)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].path, path) == 0)
            return &t->v[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        ns_count *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return NULL;
        t->v = v, t->cap = cap;
    }
    ns_count *c = &t->v[t->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    return c;
}

/* The cell's instance path below prefix, cut to depth components, into
 * out ("" for the core's own cells); false when the cell is not under it. */
static bool ns_path(const char *name, const char *prefix, int depth, char *out, size_t n)
{
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0)
        return false;
    name += pl;
    size_t leaf_end = strcspn(name, "$");
    size_t end = 0;
    for (size_t i = 0; i < leaf_end; i++)
        if (name[i] == '.')
            end = i;
    int comps = 0;
    size_t o = 0;
    for (size_t i = 0; i < end && o + 1 < n && o < NS_NAME_MAX; i++) {
        if (name[i] == '.' && ++comps >= depth)
            break;
        unsigned char c = (unsigned char)name[i];
        out[o++] = isalnum(c) || c == '_' || c == '.' || c == '[' || c == ']' ? (char)c : '_';
    }
    out[o] = 0;
    return true;
}

static int ns_cmp(const void *a, const void *b)
{
    const ns_count *x = a, *y = b;
    if (x->cells != y->cells)
        return x->cells > y->cells ? -1 : 1;
    return strcmp(x->path, y->path);
}

static json_t *ns_entry(const char *name, const ns_count *c)
{
    return json_pack("{sssIsIsIsI}", "instance", name, "cells", c->cells, "lut", c->lut, "ff", c->ff, "carry", c->carry);
}

json_t *netstat_by_instance(const json_t *netlist, const char *top, const char *prefix, int depth, size_t max)
{
    const json_t *cells = json_object_get(json_object_get(json_object_get(netlist, "modules"), top), "cells");
    if (!json_is_object(cells) || max < 1)
        return NULL;
    ns_table t = {0};
    ns_count total = {.path = "(core)"};
    const char *name;
    json_t *cell;
    char path[NS_NAME_MAX + 1];
    bool oom = false;
    json_object_foreach((json_t *)cells, name, cell) {
        if (!ns_path(name, prefix, depth, path, sizeof path))
            continue;
        const char *type = json_string_value(json_object_get(cell, "type"));
        type = type ? type : "";
        ns_add(&total, type);
        /* the path and every shorter prefix of it (its enclosing instances) */
        for (char *dot = path; path[0] && !oom;) {
            char *next = strchr(dot, '.');
            if (next)
                *next = 0;
            ns_count *c = ns_find(&t, path);
            if (c)
                ns_add(c, type);
            oom = !c;
            if (!next)
                break;
            *next = '.';
            dot = next + 1;
        }
    }
    json_t *out = NULL;
    if (total.cells > 0 && !oom) {
        qsort(t.v, t.n, sizeof *t.v, ns_cmp);
        out = json_array();
        json_array_append_new(out, ns_entry(total.path, &total));
        for (size_t i = 0; i < t.n && json_array_size(out) < max; i++)
            json_array_append_new(out, ns_entry(t.v[i].path, &t.v[i]));
    }
    free(t.v);
    return out;
}
