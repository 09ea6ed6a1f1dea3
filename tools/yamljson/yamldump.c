/* yamldump.c — jansson to block-style YAML, and the in-place rewrite of
 * core.yaml's `current:` block; see yamljson.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "yamljson/yaml_scalar.h"
#include "yamljson/yamljson.h"

/* A real that reads back as the same double, and as a real (never "2"). */
static void dump_real(FILE *f, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
    if (!strpbrk(buf, ".eE"))
        fputs(".0", f);
}

static void dump_string(FILE *f, const char *s, size_t n)
{
    if (yaml_scalar_plain_ok(s, n))
        fwrite(s, 1, n, f);
    else
        yaml_scalar_write_quoted(f, s, n);
}

static void dump_scalar(FILE *f, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: fputs("{}", f); break;
    case JSON_ARRAY: fputs("[]", f); break;
    case JSON_STRING: dump_string(f, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: dump_real(f, json_real_value(v)); break;
    case JSON_TRUE: fputs("true", f); break;
    case JSON_FALSE: fputs("false", f); break;
    default: fputs("null", f); break;
    }
}

/* A non-empty container, written as an indented block. */
static bool is_block(const json_t *v)
{
    return (json_is_object(v) && json_object_size(v) > 0) ||
           (json_is_array(v) && json_array_size(v) > 0);
}

static void pad(FILE *f, int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', f);
}

/* Writes a block at indent; with inline_first the first line continues the
 * current one (after "- "). */
static void dump_block(FILE *f, const json_t *v, int indent, bool inline_first)
{
    bool first = true;
    if (json_is_object(v)) {
        const char *k;
        json_t *val;
        json_object_foreach((json_t *)v, k, val) {
            if (!(first && inline_first))
                pad(f, indent);
            first = false;
            dump_string(f, k, strlen(k));
            fputc(':', f);
            if (is_block(val)) {
                fputc('\n', f);
                dump_block(f, val, indent + 2, false);
            } else {
                fputc(' ', f);
                dump_scalar(f, val);
                fputc('\n', f);
            }
        }
        return;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item) {
        if (!(first && inline_first))
            pad(f, indent);
        first = false;
        fputs("- ", f);
        if (is_block(item)) {
            dump_block(f, item, indent + 2, true);
        } else {
            dump_scalar(f, item);
            fputc('\n', f);
        }
    }
}

char *yamljson_dump(const json_t *v)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    if (is_block(v)) {
        dump_block(f, v, 0, false);
    } else {
        dump_scalar(f, v);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* ------------------------------------------------------- set_current */

/* "current" [spaces] ":" then end of line, a blank or a comment. */
static bool is_current_header(const char *l, size_t n)
{
    static const char key[] = "current";
    size_t k = sizeof key - 1;
    if (n < k + 1 || memcmp(l, key, k) != 0)
        return false;
    while (k < n && l[k] == ' ')
        k++;
    if (k >= n || l[k] != ':')
        return false;
    k++;
    return k == n || l[k] == ' ' || l[k] == '\t' || l[k] == '\r';
}

/* A line that still belongs to the block after "current:": indented, blank,
 * a comment, or a column-0 "- " sequence item. */
static bool continues_block(const char *l, size_t n)
{
    if (n == 0 || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '\r')
        return true;
    return l[0] == '-' && (n == 1 || l[1] == ' ' || l[1] == '\t' || l[1] == '\r');
}

/* Blank or comment-only: such lines at the end of the block stay in place. */
static bool is_filler(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
        i++;
    return i == n || l[i] == '#';
}

/* Finds the block's byte range [*start, *end). false when there is none. */
static bool find_current_block(const char *text, size_t len, size_t *start, size_t *end)
{
    size_t pos = 0;
    bool in_block = false;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        size_t next = nl ? pos + n + 1 : len;
        if (!in_block) {
            if (is_current_header(text + pos, n)) {
                in_block = true;
                *start = pos;
                *end = next;
            }
        } else if (!continues_block(text + pos, n)) {
            break;
        } else if (!is_filler(text + pos, n)) {
            *end = next;
        }
        pos = next;
    }
    return in_block;
}

/* "current:" followed by value as a YAML block (or inline for scalars and
 * empty containers). malloc'd. */
static char *current_block_text(const json_t *current)
{
    char *body = yamljson_dump(current);
    if (!body)
        return NULL;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) {
        free(body);
        return NULL;
    }
    if (is_block(current)) {
        fputs("current:\n", f);
        for (const char *line = body; *line;) {
            const char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
            fputs("  ", f);
            fwrite(line, 1, n, f);
            line += n;
        }
    } else {
        fprintf(f, "current: %s", body);
    }
    free(body);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The document without its "current" key (an empty object for null). */
static json_t *without_current(const json_t *doc)
{
    json_t *c = json_is_object(doc) ? json_deep_copy(doc) : json_object();
    if (c)
        json_object_del(c, "current");
    return c;
}

/* Checks that new_text reads back with `current` equal and the rest as before. */
static int verify_rewrite(const char *path, const json_t *old, const char *new_text, size_t n,
                          const json_t *current, char *err, size_t errlen)
{
    char perr[512];
    json_t *now = yamljson_load_string(new_text, n, path, perr, sizeof perr);
    if (!now) {
        snprintf(err, errlen, "%s: refusing to write: the rewritten file would not parse (%s)", path, perr);
        return -1;
    }
    json_t *a = without_current(old), *b = without_current(now);
    bool same_rest = a && b && json_equal(a, b);
    bool same_current = json_equal(json_object_get(now, "current"), (json_t *)current);
    json_decref(a);
    json_decref(b);
    json_decref(now);
    if (!same_rest || !same_current) {
        snprintf(err, errlen,
                 "%s: refusing to write: after rewriting the top-level current: block %s; "
                 "check the layout around current: (it must be a column-0 key)",
                 path, same_current ? "other keys would change" : "current would not read back equal");
        return -1;
    }
    return 0;
}

/* Builds the new file text: the block replaced, or appended. malloc'd. */
static char *splice_current(const char *text, size_t len, const char *block, size_t *out_len)
{
    size_t start = len, end = len;
    bool found = find_current_block(text, len, &start, &end);
    const char *sep = (!found && len > 0 && text[len - 1] != '\n') ? "\n" : "";
    size_t bl = strlen(block), sl = strlen(sep);
    size_t n = start + sl + bl + (len - end);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, text, start);
    memcpy(out + start, sep, sl);
    memcpy(out + start + sl, block, bl);
    memcpy(out + start + sl + bl, text + end, len - end);
    out[n] = '\0';
    *out_len = n;
    return out;
}

int yamljson_set_current(const char *path, const json_t *current, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    if (!current) {
        snprintf(err, errlen, "%s: no current value given (NULL)", path);
        return -1;
    }
    char *text = NULL, *block = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    json_t *old = NULL;
    int rc = -1;
    if (fsx_read(path, &text, &len) != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    if (!(old = yamljson_load_string(text, len, path, err, errlen)))
        goto done;
    if (!json_is_object(old) && !json_is_null(old)) {
        snprintf(err, errlen, "%s: the top level is not a mapping; cannot set current:", path);
        goto done;
    }
    if (!(block = current_block_text(current)) || !(out = splice_current(text, len, block, &out_len))) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto done;
    }
    if (verify_rewrite(path, old, out, out_len, current, err, errlen))
        goto done;
    if (fsx_write_atomic(path, out, out_len) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s (file left unchanged)", path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    json_decref(old);
    free(text);
    free(block);
    free(out);
    return rc;
}
