/* netstat.c — see netstat.h. */
#include "gates/netstat.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { NS_NAME_MAX = 64, NS_LUT = 0, NS_FF = 1, NS_CARRY = 2, NS_ALL = 3 };

/* The counts of one instance path, kept in a JSON object keyed by path:
 * [cells, lut, ff, carry] as an array of integers. */
static void ns_add(json_t *acc, const char *path, const int kind[NS_ALL])
{
    json_t *v = json_object_get(acc, path);
    if (!v) {
        v = json_pack("[iiii]", 0, 0, 0, 0);
        json_object_set_new(acc, path, v);
    }
    json_array_set_new(v, 0, json_integer(json_integer_value(json_array_get(v, 0)) + 1));
    for (int k = 0; k < NS_ALL; k++)
        if (kind[k])
            json_array_set_new(v, (size_t)k + 1, json_integer(json_integer_value(json_array_get(v, (size_t)k + 1)) + 1));
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
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t cx = json_integer_value(json_object_get(x, "cells")), cy = json_integer_value(json_object_get(y, "cells"));
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "instance")), json_string_value(json_object_get(y, "instance")));
}

static json_t *ns_entry(const char *name, const json_t *v)
{
    return json_pack("{sssOsOsOsO}", "instance", name, "cells", json_array_get(v, 0), "lut", json_array_get(v, 1), "ff",
                     json_array_get(v, 2), "carry", json_array_get(v, 3));
}

json_t *netstat_by_instance(const json_t *netlist, const char *top, const char *prefix, int depth, size_t max)
{
    const json_t *cells = json_object_get(json_object_get(json_object_get(netlist, "modules"), top), "cells");
    if (!json_is_object(cells) || max < 1)
        return NULL;
    json_t *acc = json_object(), *total = json_pack("[iiii]", 0, 0, 0, 0);
    const char *name;
    json_t *cell;
    char path[NS_NAME_MAX + 1];
    json_object_foreach((json_t *)cells, name, cell) {
        if (!ns_path(name, prefix, depth, path, sizeof path))
            continue;
        const char *type = json_string_value(json_object_get(cell, "type"));
        type = type ? type : "";
        int kind[NS_ALL] = {strcmp(type, "SB_LUT4") == 0, strncmp(type, "SB_DFF", 6) == 0,
                            strcmp(type, "SB_CARRY") == 0};
        /* the path and every shorter prefix of it (its enclosing instances) */
        for (char *dot = path; path[0];) {
            char *next = strchr(dot, '.');
            if (next)
                *next = 0;
            ns_add(acc, path, kind);
            if (!next)
                break;
            *next = '.';
            dot = next + 1;
        }
        for (int k = 0; k < 4; k++)
            json_array_set_new(total, (size_t)k, json_integer(json_integer_value(json_array_get(total, (size_t)k)) +
                                                             (k == 0 ? 1 : kind[k - 1])));
    }
    json_t *out = NULL;
    if (json_integer_value(json_array_get(total, 0)) > 0) {
        size_t n = json_object_size(acc), i = 0;
        json_t **v = calloc(n ? n : 1, sizeof *v);
        json_t *val;
        json_object_foreach(acc, name, val) v[i++] = ns_entry(name, val);
        qsort(v, n, sizeof *v, ns_cmp);
        out = json_array();
        json_array_append_new(out, ns_entry("(core)", total));
        for (i = 0; i < n; i++) {
            if (json_array_size(out) < max)
                json_array_append(out, v[i]);
            json_decref(v[i]);
        }
        free(v);
    }
    json_decref(total);
    json_decref(acc);
    return out;
}
