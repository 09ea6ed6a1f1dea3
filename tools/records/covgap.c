/* covgap.c — see covgap.h. */
#include "records/covgap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "lib/safetext.h"
#include "lib/strbuf.h"

typedef struct {
    const char *s;
    size_t len;
    uint64_t h;
} cg_line;

static uint64_t cg_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Cuts text into lines (without their '\n'); the count, or -1 on OOM. */
static long cg_split(const char *text, size_t len, cg_line **out)
{
    *out = NULL;
    if (!text || !len)
        return 0;
    long n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    n += text[len - 1] != '\n';
    cg_line *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return -1;
    long k = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        v[k++] = (cg_line){text + i, e - i, cg_hash(text + i, e - i)};
        i = e + 1;
    }
    *out = v;
    return k;
}

static bool cg_eq(const cg_line *a, const cg_line *b)
{
    return a->h == b->h && a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Marks in `changed` (indexed by new line) the lines of new[nb0, nb1) that are
 * not in a longest common subsequence with old[oa0, oa1). */
static int cg_lcs(const cg_line *o, long oa0, long oa1, const cg_line *n, long nb0, long nb1, bool *changed)
{
    long a = oa1 - oa0, b = nb1 - nb0;
    for (long j = nb0; j < nb1; j++)
        changed[j] = true;
    if (a == 0 || b == 0)
        return 0;
    if ((double)(a + 1) * (double)(b + 1) > COVGAP_DIFF_CELLS)
        return 0; /* too big to compare: all of it counts as changed */
    /* L[i][j]: LCS length of o[oa0+i..] and n[nb0+j..] */
    uint32_t *L = calloc((size_t)(a + 1) * (size_t)(b + 1), sizeof *L);
    if (!L)
        return -1;
#define CG_L(i, j) L[(size_t)(i) * (size_t)(b + 1) + (size_t)(j)]
    for (long i = a - 1; i >= 0; i--)
        for (long j = b - 1; j >= 0; j--)
            CG_L(i, j) = cg_eq(&o[oa0 + i], &n[nb0 + j]) ? CG_L(i + 1, j + 1) + 1
                         : CG_L(i + 1, j) >= CG_L(i, j + 1) ? CG_L(i + 1, j) : CG_L(i, j + 1);
    long i = 0, j = 0;
    while (i < a && j < b) {
        if (cg_eq(&o[oa0 + i], &n[nb0 + j])) {
            changed[nb0 + j] = false;
            i++;
            j++;
        } else if (CG_L(i + 1, j) >= CG_L(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef CG_L
    free(L);
    return 0;
}

long covgap_changed_lines(const char *old_text, size_t old_len, const char *new_text, size_t new_len,
                          long **lines)
{
    *lines = NULL;
    cg_line *o = NULL, *n = NULL;
    long no = cg_split(old_text, old_len, &o), nn = cg_split(new_text, new_len, &n);
    bool *changed = nn > 0 ? calloc((size_t)nn, sizeof *changed) : NULL;
    long count = -1;
    if (no < 0 || nn < 0 || (nn > 0 && !changed))
        goto out;
    long head = 0, tail = 0;
    while (head < no && head < nn && cg_eq(&o[head], &n[head]))
        head++;
    while (tail < no - head && tail < nn - head && cg_eq(&o[no - 1 - tail], &n[nn - 1 - tail]))
        tail++;
    if (cg_lcs(o, head, no - tail, n, head, nn - tail, changed) != 0)
        goto out;
    count = 0;
    for (long j = 0; j < nn; j++)
        count += changed[j];
    if (count > 0) {
        *lines = malloc((size_t)count * sizeof **lines);
        if (!*lines) {
            count = -1;
            goto out;
        }
        long k = 0;
        for (long j = 0; j < nn; j++)
            if (changed[j])
                (*lines)[k++] = j + 1;
    }
out:
    free(o);
    free(n);
    free(changed);
    return count;
}

/* Line `line` (1-based) of text, trimmed and made printable, malloc'd. */
static char *cg_text(const char *text, size_t len, long line)
{
    size_t i = 0;
    for (long l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    size_t e = i;
    while (e < len && text[e] != '\n')
        e++;
    while (i < e && (text[i] == ' ' || text[i] == '\t'))
        i++;
    while (e > i && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
        e--;
    size_t n = e - i > 160 ? 160 : e - i;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)text[i + k];
        s[k] = c < 0x20 || c == 0x7f || c >= 0x80 ? '?' : (char)c;
    }
    s[n] = '\0';
    return s;
}

void covgap_unexercised(const json_t *coverage, const char *file, const long *lines, long n,
                        const char *new_text, size_t new_len, json_t *out)
{
    const json_t *unhit = json_object_get(json_object_get(coverage, "unexercised"), file);
    size_t fl = strlen(file);
    if (!json_is_array(unhit) || fl == 0 || fl > 200 ||
        strspn(file, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != fl)
        return; /* a name the log cannot hold (schemas/log_entry.schema.json) */
    size_t i;
    const json_t *v;
    json_array_foreach(unhit, i, v) {
        long l = (long)json_integer_value(v);
        bool changed = false;
        for (long k = 0; k < n && !changed; k++) /* both ascending, and short: a scan will do */
            changed = lines[k] == l;
        if (!changed || json_array_size(out) >= COVGAP_MAX_LIST)
            continue;
        char *text = cg_text(new_text, new_len, l), *path = fsx_fmt("rtl/%s", file);
        json_array_append_new(out, json_pack("{s:s, s:I, s:s}", "file", path ? path : file, "line", (json_int_t)l,
                                             "text", text ? text : ""));
        free(text);
        free(path);
    }
}

char *covgap_message(const json_t *unexercised)
{
    size_t n = json_array_size(unexercised);
    if (n == 0)
        return NULL;
    char *msg = fsx_fmt("%zu changed line%s no cosim program exercised:", n, n == 1 ? "" : "s");
    size_t i;
    const json_t *u;
    json_array_foreach(unexercised, i, u) {
        if (!msg || i >= 8) {
            char *next = msg ? fsx_fmt("%s ...", msg) : NULL;
            free(msg);
            return next;
        }
        char *next = fsx_fmt("%s%s %s:%lld `%s`", msg, i ? "," : "", json_string_value(json_object_get(u, "file")),
                             (long long)json_integer_value(json_object_get(u, "line")),
                             json_string_value(json_object_get(u, "text")));
        free(msg);
        msg = next;
    }
    return msg;
}

char *covgap_text(const json_t *c, const char *indent)
{
    if (!json_is_object(c))
        return NULL;
    const char *kind = json_string_value(json_object_get(c, "kind"));
    long long lines = json_integer_value(json_object_get(c, "lines"));
    long long hit = json_integer_value(json_object_get(c, "lines_hit"));
    long long changed = json_integer_value(json_object_get(c, "changed_lines"));
    const json_t *un = json_object_get(c, "unexercised");
    strbuf b = {0};
    if (!kind || strcmp(kind, "off") == 0 || lines <= 0)
        strbuf_addf(&b, "%scosim coverage: not measured%s\n", indent,
                    json_string_value(json_object_get(c, "error")) ? " (the coverage model could not be built)" : "");
    else
        strbuf_addf(&b, "%scosim exercised %lld of %lld coverable RTL lines (%.1f%%; %s coverage of every program's "
                    "std run); %lld lines changed against the parent\n", indent, hit, lines,
                    100.0 * (double)hit / (double)lines, kind, changed);
    if (json_array_size(un)) {
        strbuf_addf(&b, "%schanged lines no cosim program exercised (%zu):\n", indent, json_array_size(un));
        size_t i;
        const json_t *u;
        json_array_foreach(un, i, u) {
            const char *t = json_string_value(json_object_get(u, "text"));
            const char *f = json_string_value(json_object_get(u, "file"));
            char *st = safetext_escape(t ? t : "", t ? strlen(t) : 0, false);
            char *sf = safetext_escape(f ? f : "?", f ? strlen(f) : 1, false);
            strbuf_addf(&b, "%s  %s:%lld  %s\n", indent, sf ? sf : "?",
                        (long long)json_integer_value(json_object_get(u, "line")), st ? st : "");
            free(st);
            free(sf);
        }
    }
    return strbuf_take(&b);
}
