/* critpath.c — see critpath.h. nextpnr names a net after the RTL signal it
 * implements and appends what techmapping made of it ("e_is_jal_SB_LUT4_I2_O"),
 * so the part before the first "_SB_" or "$" is the designer's name. */
#include "gates/critpath.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

enum { CP_NAME_MAX = 64, CP_SIGNALS_MAX = 16, CP_RTL_MAX = 12 };

/* The designer's name of a net or cell: without prefix, techmap suffixes
 * and bit index, restricted to [A-Za-z0-9_.]. "" when nothing is left. */
static void cp_root(const char *name, const char *prefix, char *out, size_t n)
{
    size_t pl = prefix ? strlen(prefix) : 0;
    if (pl && strncmp(name, prefix, pl) == 0)
        name += pl;
    size_t len = strcspn(name, "$[");
    const char *sb = strstr(name, "_SB_");
    if (sb && (size_t)(sb - name) < len)
        len = (size_t)(sb - name);
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n && o < CP_NAME_MAX; i++) {
        unsigned char c = (unsigned char)name[i];
        out[o++] = isalnum(c) || c == '_' || c == '.' ? (char)c : '_';
    }
    out[o] = 0;
}

static bool cp_has(const json_t *arr, const char *s)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return true;
    return false;
}

static bool cp_clocked(const char *edge)
{
    return edge && (strncmp(edge, "posedge ", 8) == 0 || strncmp(edge, "negedge ", 8) == 0);
}

/* The clock-to-clock path with the largest total delay, and that delay. */
static const json_t *cp_worst(const json_t *report, double *delay)
{
    const json_t *best = NULL, *p;
    size_t i;
    *delay = -1;
    json_array_foreach(json_object_get(report, "critical_paths"), i, p) {
        if (!cp_clocked(json_string_value(json_object_get(p, "from"))) ||
            !cp_clocked(json_string_value(json_object_get(p, "to"))))
            continue;
        double d = 0;
        size_t k;
        const json_t *step;
        json_array_foreach(json_object_get(p, "path"), k, step) d += json_number_value(json_object_get(step, "delay"));
        if (d > *delay)
            *delay = d, best = p;
    }
    return best;
}

/* Appends "rtl/<file>:<line>" for each "Defined in:" place under an rtl/
 * directory in the log's report of clock (up to the next report). */
static void cp_rtl_places(const char *log, size_t len, const char *clock, json_t *out)
{
    char head[300];
    snprintf(head, sizeof head, "Critical path report for clock '%s'", clock);
    const char *end = log + len;
    const char *at = memmem(log, len, head, strlen(head));
    if (!at)
        return;
    at += strlen(head);
    const char *stop = memmem(at, (size_t)(end - at), "Critical path report", 20);
    if (stop)
        end = stop;
    for (const char *p = at; p < end && json_array_size(out) < CP_RTL_MAX;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *r = memmem(p, (size_t)(le - p), "rtl/", 4);
        if (r && (r == p || r[-1] == '/' || r[-1] == ' ')) {
            /* "rtl/core.sv:265.18-265.23" -> "rtl/core.sv:265" */
            char place[CP_NAME_MAX + 16];
            size_t o = 0;
            const char *c = r;
            for (; c < le && o < CP_NAME_MAX; c++) {
                unsigned char ch = (unsigned char)*c;
                if (!(isalnum(ch) || ch == '_' || ch == '/' || ch == '-' || ch == '.'))
                    break;
                place[o++] = (char)ch;
            }
            size_t digits = c < le && *c == ':' ? strspn(c + 1, "0123456789") : 0;
            if (digits > 0 && digits <= 8 && c + 1 + digits <= le) {
                place[o++] = ':';
                memcpy(place + o, c + 1, digits);
                place[o + digits] = 0;
                if (!cp_has(out, place))
                    json_array_append_new(out, json_string(place));
            }
        }
        p = le + 1;
    }
}

json_t *critpath_extract(const json_t *report, const char *log, size_t log_len, const char *prefix)
{
    double delay;
    const json_t *path = cp_worst(report, &delay);
    if (!path)
        return NULL;
    double logic = 0, routing = 0;
    int levels = 0;
    char from[CP_NAME_MAX + 1] = "", to[CP_NAME_MAX + 1] = "", root[CP_NAME_MAX + 1];
    json_t *signals = json_array();
    size_t i;
    const json_t *step;
    json_array_foreach(json_object_get(path, "path"), i, step) {
        const char *type = json_string_value(json_object_get(step, "type"));
        double d = json_number_value(json_object_get(step, "delay"));
        if (type && strcmp(type, "routing") == 0) {
            routing += d;
            const char *net = json_string_value(json_object_get(step, "net"));
            cp_root(net ? net : "", prefix, root, sizeof root);
            if (root[0] && json_array_size(signals) < CP_SIGNALS_MAX && !cp_has(signals, root))
                json_array_append_new(signals, json_string(root));
        } else {
            logic += d;
            levels += type && strcmp(type, "logic") == 0;
        }
        /* The first step (clk-to-q) ends at the source register's output;
         * the last one (setup) at the capturing register's input. */
        const char *cell = json_string_value(json_object_get(json_object_get(step, "to"), "cell"));
        if (cell && i == 0)
            cp_root(cell, prefix, from, sizeof from);
        if (cell)
            cp_root(cell, prefix, to, sizeof to);
    }
    json_t *rtl = json_array();
    const char *edge = json_string_value(json_object_get(path, "from"));
    if (log && edge)
        cp_rtl_places(log, log_len, edge + 8, rtl);
    /* A setup step can be negative; the parts of a delay are never below 0. */
    logic = logic < 0 ? 0 : logic, routing = routing < 0 ? 0 : routing, delay = delay < 0 ? 0 : delay;
    return json_pack("{sfsfsfsisssssoso}", "delay_ns", delay, "logic_ns", logic, "routing_ns", routing, "levels",
                     levels, "from", from, "to", to, "signals", signals, "rtl", rtl);
}
