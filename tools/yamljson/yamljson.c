/* yamljson.c — YAML to jansson (the loaders); see yamljson.h. */
#include "yamljson/yamljson.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lib/fsx.h"
#include "yamljson/yaml_scalar.h"

enum { YJ_MAX_DEPTH = 256 };

typedef struct {
    json_t *node;    /* borrowed: owned by its parent or by the root */
    char *key;    /* a mapping's pending key (malloc'd), NULL when a key is due */
} yj_frame;

typedef struct {
    const char *text;
    size_t len;
    const char *name;
    char *err;
    size_t errlen;
    json_t *root;
    yj_frame stack[YJ_MAX_DEPTH];
    int depth;
    int docs;
} yj_load;

static int yj_fail(yj_load *L, yaml_mark_t m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int yj_fail(yj_load *L, yaml_mark_t m, const char *fmt, ...)
{
    if (!L->err || !L->errlen)
        return -1;
    int k = snprintf(L->err, L->errlen, "%s:%zu:%zu: ", L->name, m.line + 1, m.column + 1);
    if (k >= 0 && (size_t)k < L->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(L->err + k, L->errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* True when line `line` (0-based) of the text has a tab before its first
 * non-blank character, or at column col: the usual cause of libyaml's
 * "cannot start any token" in hand-written YAML. */
static bool tab_near(const yj_load *L, size_t line, size_t col)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < L->len; i++)
        if (L->text[i] == '\n')
            l++;
    for (size_t c = 0; i < L->len && L->text[i] != '\n'; i++, c++) {
        if (L->text[i] == '\t')
            return true;
        if (L->text[i] != ' ' && c >= col)
            break;
    }
    return false;
}

static int yj_parser_error(yj_load *L, const yaml_parser_t *p)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem ? p->problem : "malformed YAML";
    const char *hint = "";
    if (p->error == YAML_SCANNER_ERROR && tab_near(L, m.line, m.column))
        hint = " (a tab character: YAML indentation must use spaces)";
    if (p->error == YAML_READER_ERROR) { /* libyaml gives only a byte offset */
        m.line = 0;
        m.column = 0;
        for (size_t i = 0; i < p->problem_offset && i < L->len; i++) {
            m.column = L->text[i] == '\n' ? 0 : m.column + 1;
            m.line += L->text[i] == '\n';
        }
        return yj_fail(L, m, "%s at byte %zu (the file must be UTF-8 text)", problem, p->problem_offset);
    }
    if (p->context)
        return yj_fail(L, m, "%s %s (started at line %zu, column %zu)%s", problem, p->context,
                       p->context_mark.line + 1, p->context_mark.column + 1, hint);
    return yj_fail(L, m, "%s%s", problem, hint);
}

/* Adds a finished value to the innermost container (or makes it the root).
 * Takes ownership of v. */
static int yj_add(yj_load *L, json_t *v, yaml_mark_t m)
{
    if (L->depth == 0) {
        L->root = v;
        return 0;
    }
    yj_frame *f = &L->stack[L->depth - 1];
    if (json_is_array(f->node))
        return json_array_append_new(f->node, v) == 0 ? 0 : yj_fail(L, m, "out of memory");
    if (!f->key) {
        json_decref(v);
        return yj_fail(L, m, "a mapping key must be a scalar (complex keys are not supported)");
    }
    int rc = json_object_set_new(f->node, f->key, v);
    free(f->key);
    f->key = NULL;
    return rc == 0 ? 0 : yj_fail(L, m, "out of memory");
}

static int yj_check_tag(yj_load *L, const yaml_char_t *tag, const char *allowed, yaml_mark_t m)
{
    if (!tag || !strcmp((const char *)tag, allowed))
        return 0;
    return yj_fail(L, m, "unsupported tag %s (only plain YAML data is accepted)", (const char *)tag);
}

static int yj_scalar(yj_load *L, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    yaml_mark_t m = ev->start_mark;
    const char *tag = (const char *)ev->data.scalar.tag;
    yj_frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;

    if (f && json_is_object(f->node) && !f->key) { /* a mapping key */
        if (memchr(s, '\0', n))
            return yj_fail(L, m, "a mapping key contains a NUL character");
        if (json_object_get(f->node, s))
            return yj_fail(L, m, "duplicate key \"%s\" in a mapping", s);
        f->key = strdup(s);
        return f->key ? 0 : yj_fail(L, m, "out of memory");
    }
    bool force_str = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
                     (tag && (!strcmp(tag, YAML_STR_TAG) || !strcmp(tag, "!")));
    if (tag && !force_str)
        return yj_check_tag(L, ev->data.scalar.tag, YAML_STR_TAG, m);
    json_t *v;
    if (force_str) {
        v = json_stringn(s, n);
        if (!v)
            return yj_fail(L, m, "string is not valid UTF-8");
    } else {
        char why[128];
        v = yaml_scalar_resolve(s, n, why, sizeof why);
        if (!v)
            return yj_fail(L, m, "%s", why);
    }
    return yj_add(L, v, m);
}

static int yj_open(yj_load *L, const yaml_event_t *ev, bool mapping)
{
    yaml_mark_t m = ev->start_mark;
    const yaml_char_t *anchor = mapping ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    const yaml_char_t *tag = mapping ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    if (anchor)
        return yj_fail(L, m, "anchor &%s: anchors and aliases are not accepted", (const char *)anchor);
    if (yj_check_tag(L, tag, mapping ? YAML_MAP_TAG : YAML_SEQ_TAG, m))
        return -1;
    if (L->depth >= YJ_MAX_DEPTH)
        return yj_fail(L, m, "nesting deeper than %d levels", YJ_MAX_DEPTH);
    json_t *c = mapping ? json_object() : json_array();
    if (!c)
        return yj_fail(L, m, "out of memory");
    if (yj_add(L, c, m))
        return -1; /* yj_add took c */
    L->stack[L->depth].node = c;
    L->stack[L->depth].key = NULL;
    L->depth++;
    return 0;
}

/* Handles one event; 1 at the end of the stream, 0 to go on, -1 on error. */
static int yj_event(yj_load *L, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (L->docs++)
            return yj_fail(L, ev->start_mark, "a second YAML document: one document per file");
        return 0;
    case YAML_ALIAS_EVENT:
        return yj_fail(L, ev->start_mark, "alias *%s: anchors and aliases are not accepted",
                       (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor)
            return yj_fail(L, ev->start_mark, "anchor &%s: anchors and aliases are not accepted",
                           (const char *)ev->data.scalar.anchor);
        return yj_scalar(L, ev);
    case YAML_SEQUENCE_START_EVENT:
        return yj_open(L, ev, false);
    case YAML_MAPPING_START_EVENT:
        return yj_open(L, ev, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (L->depth > 0) {
            L->depth--;
            free(L->stack[L->depth].key);
            L->stack[L->depth].key = NULL;
        }
        return 0;
    default: /* stream start, document end, none */
        return 0;
    }
}

json_t *yamljson_load_string(const char *text, size_t len, const char *name, char *err,
                             size_t errlen)
{
    yj_load *L = calloc(1, sizeof *L);
    if (!L) {
        if (err && errlen)
            snprintf(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    L->text = text;
    L->len = len;
    L->name = name ? name : "(yaml)";
    L->err = err;
    L->errlen = errlen;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        yaml_mark_t m = {0, 0, 0};
        yj_fail(L, m, "cannot initialise libyaml");
        free(L);
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0;
    while (rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = yj_parser_error(L, &p);
            break;
        }
        rc = yj_event(L, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    for (int i = 0; i < L->depth; i++)
        free(L->stack[i].key);
    json_t *root = L->root;
    free(L);
    if (rc < 0) {
        json_decref(root);
        return NULL;
    }
    return root ? root : json_null();
}

json_t *yamljson_load_file(const char *path, char *err, size_t errlen)
{
    char *text;
    size_t len;
    if (fsx_read(path, &text, &len) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    json_t *v = yamljson_load_string(text, len, path, err, errlen);
    free(text);
    return v;
}
