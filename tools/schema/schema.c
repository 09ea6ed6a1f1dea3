/* schema.c — JSON-Schema draft-07 validation on jansson; see schema.h. */
#include "schema/schema.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/jsre.h"

enum { SCHEMA_MAX_DEPTH = 512, SCHEMA_PTR_MAX = 512 };

/* ---------------------------------------------------------------- values */

static bool is_integral(const json_t *x)
{
    if (json_is_integer(x))
        return true;
    if (!json_is_real(x))
        return false;
    double v = json_real_value(x);
    return isfinite(v) && v == floor(v);
}

/* A non-negative integer keyword value such as minLength (2.0 counts). */
static bool nonneg_int(const json_t *v, size_t *out)
{
    if (!is_integral(v) || json_number_value(v) < 0)
        return false;
    double d = json_number_value(v);
    *out = d >= (double)SIZE_MAX ? SIZE_MAX
           : json_is_integer(v)  ? (size_t)json_integer_value(v)
                                 : (size_t)d;
    return true;
}

/* -1, 0, 1 as a is less than, equal to, greater than b (both numbers). */
static int num_cmp(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return x < y ? -1 : x > y;
    }
    double x = json_number_value(a), y = json_number_value(b);
    return x < y ? -1 : x > y;
}

bool schema_json_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return num_cmp(a, b) == 0;
    if (!a || !b || json_typeof(a) != json_typeof(b))
        return false;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!schema_json_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b))
            return false;
        const char *k;
        json_t *va;
        json_object_foreach((json_t *)a, k, va) {
            if (!schema_json_equal(va, json_object_get(b, k)))
                return false;
        }
        return true;
    }
    default: /* true, false, null: equal types are equal values */
        return true;
    }
}

/* Shortest text that reads back as the same double, or the integer. */
static void fmt_num(const json_t *x, char *buf, size_t n)
{
    if (json_is_integer(x)) {
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
        return;
    }
    double v = json_number_value(x);
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static const char *type_name(const json_t *x)
{
    switch (json_typeof(x)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return is_integral(x) ? "an integer" : "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* 1 matches, 0 does not, -1 unknown type name. */
static int type_matches(const json_t *x, const char *t)
{
    if (!strcmp(t, "null")) return json_is_null(x);
    if (!strcmp(t, "boolean")) return json_is_boolean(x);
    if (!strcmp(t, "object")) return json_is_object(x);
    if (!strcmp(t, "array")) return json_is_array(x);
    if (!strcmp(t, "number")) return json_is_number(x);
    if (!strcmp(t, "integer")) return is_integral(x);
    if (!strcmp(t, "string")) return json_is_string(x);
    return -1;
}

static size_t utf8_codepoints(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Resolves a local reference "#" or "#/a/b" (RFC 6901 inside a URI fragment,
 * so %XX is decoded first). NULL when it is not local or does not resolve. */
static const json_t *resolve_ref(const json_t *root, const char *ref)
{
    if (ref[0] != '#')
        return NULL;
    const char *p = ref + 1;
    const json_t *node = root;
    if (*p == '\0')
        return root;
    if (*p != '/')
        return NULL; /* "#name": an $id anchor, not supported */
    while (*p == '/' && node) {
        p++;
        char tok[256];
        size_t n = 0;
        while (*p && *p != '/') {
            char c = *p++;
            if (c == '%' && isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1])) {
                char hex[3] = {p[0], p[1], 0};
                c = (char)strtol(hex, NULL, 16);
                p += 2;
            }
            if (c == '~' && (*p == '0' || *p == '1')) {
                c = *p == '0' ? '~' : '/';
                p++;
            }
            if (n + 1 >= sizeof tok)
                return NULL;
            tok[n++] = c;
        }
        tok[n] = '\0';
        if (json_is_object(node)) {
            node = json_object_get(node, tok);
        } else if (json_is_array(node)) {
            char *end;
            unsigned long i = strtoul(tok, &end, 10);
            node = (n && *end == '\0') ? json_array_get(node, i) : NULL;
        } else {
            node = NULL;
        }
    }
    return node;
}

/* ------------------------------------------------------------ validation */

typedef struct re_cache {
    const char *pattern;
    regex_t re;
    struct re_cache *next;
} re_cache;

typedef struct {
    const json_t *root;
    char *err;      /* where the first error goes (a probe redirects it) */
    size_t errlen;
    bool have_err;
    int depth;
    char ptr[SCHEMA_PTR_MAX]; /* JSON pointer of the instance being checked */
    size_t plen;
    locale_t loc;
    bool loc_tried;
    re_cache *res;
} vctx;

static void put_err(vctx *c, const char *prefix, const char *fmt, va_list ap)
{
    if (!c->err || !c->errlen)
        return;
    int k = snprintf(c->err, c->errlen, "%s: ", prefix);
    if (k >= 0 && (size_t)k < c->errlen)
        vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
}

/* The instance is invalid: records the first error, returns 1. */
static int v_fail(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int v_fail(vctx *c, const char *fmt, ...)
{
    if (!c->have_err) {
        va_list ap;
        va_start(ap, fmt);
        put_err(c, c->plen ? c->ptr : "(root)", fmt, ap);
        va_end(ap);
        c->have_err = true;
    }
    return 1;
}

/* The schema cannot be applied: records why (overriding), returns -1. */
static int v_bad(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int v_bad(vctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_err(c, "schema unusable", fmt, ap);
    va_end(ap);
    c->have_err = true;
    return -1;
}

static size_t ptr_push(vctx *c, const char *key)
{
    size_t old = c->plen;
    size_t n = c->plen;
    char *d = c->ptr;
    const size_t cap = sizeof c->ptr - 4; /* room for "..." and NUL */
    if (n >= cap)
        return old; /* already cut short with "..." */
    if (n < cap)
        d[n++] = '/';
    for (const char *k = key; *k && n < cap; k++) {
        if (*k == '~' || *k == '/') {
            d[n++] = '~';
            if (n < cap)
                d[n++] = *k == '~' ? '0' : '1';
        } else {
            d[n++] = *k;
        }
    }
    if (n >= cap)
        memcpy(d + n, "...", 3), n += 3;
    d[n] = '\0';
    c->plen = n;
    return old;
}

static size_t ptr_push_index(vctx *c, size_t i)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%zu", i);
    return ptr_push(c, tmp);
}

static void ptr_pop(vctx *c, size_t old)
{
    c->plen = old;
    c->ptr[old] = '\0';
}

static int v_node(vctx *c, const json_t *s, const json_t *x);

/* Runs v_node with errors going to buf instead of the caller's error, for
 * anyOf/oneOf/not/if/contains: a failing branch is not the answer. A schema
 * problem (-1) still reaches the caller's error. */
static int v_probe(vctx *c, const json_t *s, const json_t *x, char *buf, size_t n)
{
    char *err = c->err;
    size_t errlen = c->errlen;
    bool had = c->have_err;
    buf[0] = '\0';
    c->err = buf;
    c->errlen = n;
    c->have_err = false;
    int r = v_node(c, s, x);
    c->err = err;
    c->errlen = errlen;
    c->have_err = had;
    if (r < 0) {
        if (err && errlen)
            snprintf(err, errlen, "%s", buf);
        c->have_err = true;
    }
    return r;
}

static regex_t *v_regex(vctx *c, const char *pattern)
{
    for (re_cache *r = c->res; r; r = r->next)
        if (r->pattern == pattern || !strcmp(r->pattern, pattern))
            return &r->re;
    if (!c->loc_tried) {
        c->loc = jsre_utf8_locale();
        c->loc_tried = true;
    }
    re_cache *r = calloc(1, sizeof *r);
    char msg[256];
    if (!r) {
        v_bad(c, "out of memory compiling pattern \"%s\"", pattern);
        return NULL;
    }
    if (jsre_compile(&r->re, pattern, c->loc, msg, sizeof msg) != 0) {
        free(r);
        v_bad(c, "%s", msg);
        return NULL;
    }
    r->pattern = pattern;
    r->next = c->res;
    c->res = r;
    return &r->re;
}

/* 1 match, 0 no match, -1 unusable pattern (recorded). */
static int v_pattern_match(vctx *c, const char *pattern, const char *s, size_t len)
{
    regex_t *re = v_regex(c, pattern);
    if (!re)
        return -1;
    char msg[160];
    int m = jsre_match(re, s, len, c->loc, msg, sizeof msg);
    if (m < 0)
        return v_bad(c, "%s", msg);
    return m;
}

static int v_type(vctx *c, const json_t *t, const json_t *x)
{
    if (!t)
        return 0;
    char want[160] = "";
    if (json_is_string(t)) {
        int m = type_matches(x, json_string_value(t));
        if (m < 0)
            return v_bad(c, "unknown type \"%s\"", json_string_value(t));
        if (m)
            return 0;
        snprintf(want, sizeof want, "%s", json_string_value(t));
    } else if (json_is_array(t)) {
        size_t i;
        const json_t *e;
        json_array_foreach(t, i, e) {
            int m = json_is_string(e) ? type_matches(x, json_string_value(e)) : -1;
            if (m < 0)
                return v_bad(c, "\"type\" entries must be type names");
            if (m)
                return 0;
            size_t l = strlen(want);
            snprintf(want + l, sizeof want - l, "%s%s", i ? " or " : "", json_string_value(e));
        }
    } else {
        return v_bad(c, "\"type\" must be a string or an array");
    }
    return v_fail(c, "is %s, expected %s", type_name(x), want);
}

static int v_enum_const(vctx *c, const json_t *s, const json_t *x)
{
    const json_t *e = json_object_get(s, "enum");
    if (e) {
        if (!json_is_array(e))
            return v_bad(c, "\"enum\" must be an array");
        size_t i;
        const json_t *v;
        bool found = false;
        json_array_foreach(e, i, v) {
            if (schema_json_equal(v, x)) {
                found = true;
                break;
            }
        }
        if (!found) {
            char *txt = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
            char *opts = json_dumps(e, JSON_COMPACT);
            int r = v_fail(c, "%.80s is not one of %.200s", txt ? txt : "value", opts ? opts : "");
            free(txt);
            free(opts);
            return r;
        }
    }
    const json_t *k = json_object_get(s, "const");
    if (k && !schema_json_equal(k, x)) {
        char *txt = json_dumps(k, JSON_ENCODE_ANY | JSON_COMPACT);
        int r = v_fail(c, "must equal %.200s", txt ? txt : "the const value");
        free(txt);
        return r;
    }
    return 0;
}

/* One bound: "minimum" etc. sign: the comparison result that fails. */
static int v_bound(vctx *c, const json_t *s, const json_t *x, const char *kw, int bad1,
                   int bad2, const char *what)
{
    const json_t *b = json_object_get(s, kw);
    if (!b)
        return 0;
    if (!json_is_number(b))
        return v_bad(c, "\"%s\" must be a number", kw);
    int cmp = num_cmp(x, b);
    if (cmp != bad1 && cmp != bad2)
        return 0;
    char xs[40], bs[40];
    fmt_num(x, xs, sizeof xs);
    fmt_num(b, bs, sizeof bs);
    return v_fail(c, "%s is %s %s", xs, what, bs);
}

static int v_multiple(vctx *c, const json_t *m, const json_t *x)
{
    if (!json_is_number(m) || json_number_value(m) <= 0)
        return v_bad(c, "\"multipleOf\" must be a number > 0");
    bool ok;
    if (json_is_integer(m) && json_is_integer(x)) {
        ok = json_integer_value(x) % json_integer_value(m) == 0;
    } else {
        double q = json_number_value(x) / json_number_value(m);
        /* A relative tolerance: 0.3 / 0.1 is 2.9999999999999996 in binary. */
        ok = isfinite(q) && fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
    }
    if (ok)
        return 0;
    char xs[40], ms[40];
    fmt_num(x, xs, sizeof xs);
    fmt_num(m, ms, sizeof ms);
    return v_fail(c, "%s is not a multiple of %s", xs, ms);
}

static int v_number(vctx *c, const json_t *s, const json_t *x)
{
    if (!json_is_number(x))
        return 0;
    int r;
    if ((r = v_bound(c, s, x, "minimum", -1, -1, "less than minimum")) ||
        (r = v_bound(c, s, x, "maximum", 1, 1, "greater than maximum")) ||
        (r = v_bound(c, s, x, "exclusiveMinimum", -1, 0, "not greater than exclusiveMinimum")) ||
        (r = v_bound(c, s, x, "exclusiveMaximum", 1, 0, "not less than exclusiveMaximum")))
        return r;
    const json_t *m = json_object_get(s, "multipleOf");
    return m ? v_multiple(c, m, x) : 0;
}

/* Fetches a non-negative integer keyword; 0 absent, 1 present, -1 bad. */
static int kw_count(vctx *c, const json_t *s, const char *kw, size_t *out)
{
    const json_t *v = json_object_get(s, kw);
    if (!v)
        return 0;
    if (!nonneg_int(v, out))
        return v_bad(c, "\"%s\" must be a non-negative integer", kw);
    return 1;
}

static int v_string(vctx *c, const json_t *s, const json_t *x)
{
    if (!json_is_string(x))
        return 0;
    const char *str = json_string_value(x);
    size_t blen = json_string_length(x);
    size_t n, cps = utf8_codepoints(str, blen);
    int k;
    if ((k = kw_count(c, s, "minLength", &n)) < 0)
        return -1;
    if (k && cps < n)
        return v_fail(c, "is %zu characters long, shorter than minLength %zu", cps, n);
    if ((k = kw_count(c, s, "maxLength", &n)) < 0)
        return -1;
    if (k && cps > n)
        return v_fail(c, "is %zu characters long, longer than maxLength %zu", cps, n);
    const json_t *p = json_object_get(s, "pattern");
    if (p) {
        if (!json_is_string(p))
            return v_bad(c, "\"pattern\" must be a string");
        int m = v_pattern_match(c, json_string_value(p), str, blen);
        if (m < 0)
            return -1;
        if (!m)
            return v_fail(c, "\"%.120s\" does not match pattern \"%s\"", str, json_string_value(p));
    }
    return 0;
}

static int v_items(vctx *c, const json_t *s, const json_t *x)
{
    const json_t *items = json_object_get(s, "items");
    size_t n = json_array_size(x), from = 0;
    if (!items)
        return 0;
    if (json_is_array(items)) {
        size_t m = json_array_size(items);
        for (size_t i = 0; i < n && i < m; i++) {
            size_t old = ptr_push_index(c, i);
            int r = v_node(c, json_array_get(items, i), json_array_get(x, i));
            ptr_pop(c, old);
            if (r)
                return r;
        }
        from = m;
        items = json_object_get(s, "additionalItems");
        if (!items)
            return 0;
    }
    for (size_t i = from; i < n; i++) {
        size_t old = ptr_push_index(c, i);
        int r = json_is_false(items) && from
                    ? v_fail(c, "item not allowed (only %zu items are defined)", from)
                    : v_node(c, items, json_array_get(x, i));
        ptr_pop(c, old);
        if (r)
            return r;
    }
    return 0;
}

static int v_array(vctx *c, const json_t *s, const json_t *x)
{
    if (!json_is_array(x))
        return 0;
    size_t n = json_array_size(x), lim;
    int k, r;
    if ((k = kw_count(c, s, "minItems", &lim)) < 0)
        return -1;
    if (k && n < lim)
        return v_fail(c, "has %zu items, fewer than minItems %zu", n, lim);
    if ((k = kw_count(c, s, "maxItems", &lim)) < 0)
        return -1;
    if (k && n > lim)
        return v_fail(c, "has %zu items, more than maxItems %zu", n, lim);
    const json_t *u = json_object_get(s, "uniqueItems");
    if (u && !json_is_boolean(u))
        return v_bad(c, "\"uniqueItems\" must be a boolean");
    if (json_is_true(u)) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (schema_json_equal(json_array_get(x, i), json_array_get(x, j)))
                    return v_fail(c, "items %zu and %zu are equal (uniqueItems)", i, j);
    }
    if ((r = v_items(c, s, x)))
        return r;
    const json_t *contains = json_object_get(s, "contains");
    if (contains) {
        char buf[256];
        for (size_t i = 0; i < n; i++) {
            int m = v_probe(c, contains, json_array_get(x, i), buf, sizeof buf);
            if (m <= 0)
                return m;
        }
        return v_fail(c, "no item matches \"contains\"");
    }
    return 0;
}

/* 1 when key is matched by "properties" or a "patternProperties" pattern. */
static int key_declared(vctx *c, const json_t *props, const json_t *pats, const char *key)
{
    if (json_object_get(props, key))
        return 1;
    const char *pat;
    json_t *sub;
    json_object_foreach((json_t *)pats, pat, sub) {
        int m = v_pattern_match(c, pat, key, strlen(key));
        if (m)
            return m;
    }
    return 0;
}

static int v_properties(vctx *c, const json_t *s, const json_t *x)
{
    const json_t *props = json_object_get(s, "properties");
    const json_t *pats = json_object_get(s, "patternProperties");
    const json_t *ap = json_object_get(s, "additionalProperties");
    if ((props && !json_is_object(props)) || (pats && !json_is_object(pats)))
        return v_bad(c, "\"properties\"/\"patternProperties\" must be objects");
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)x, key, val) {
        size_t old = ptr_push(c, key);
        int r = 0;
        const json_t *sub = json_object_get(props, key);
        if (sub)
            r = v_node(c, sub, val);
        const char *pat;
        json_t *psub;
        json_object_foreach((json_t *)pats, pat, psub) {
            if (r)
                break;
            int m = v_pattern_match(c, pat, key, strlen(key));
            r = m < 0 ? -1 : m ? v_node(c, psub, val) : 0;
        }
        if (!r && ap) {
            int d = key_declared(c, props, pats, key);
            if (d < 0)
                r = -1;
            else if (!d)
                r = json_is_false(ap) ? v_fail(c, "property not allowed (additionalProperties)")
                                      : v_node(c, ap, val);
        }
        ptr_pop(c, old);
        if (r)
            return r;
    }
    return 0;
}

static int v_required(vctx *c, const json_t *req, const json_t *x)
{
    if (!json_is_array(req))
        return v_bad(c, "\"required\" must be an array of strings");
    size_t i;
    const json_t *k;
    json_array_foreach(req, i, k) {
        if (!json_is_string(k))
            return v_bad(c, "\"required\" must be an array of strings");
        if (!json_object_get(x, json_string_value(k)))
            return v_fail(c, "missing required property \"%s\"", json_string_value(k));
    }
    return 0;
}

static int v_object_extra(vctx *c, const json_t *s, const json_t *x)
{
    size_t n = json_object_size(x), lim;
    int k;
    if ((k = kw_count(c, s, "minProperties", &lim)) < 0)
        return -1;
    if (k && n < lim)
        return v_fail(c, "has %zu properties, fewer than minProperties %zu", n, lim);
    if ((k = kw_count(c, s, "maxProperties", &lim)) < 0)
        return -1;
    if (k && n > lim)
        return v_fail(c, "has %zu properties, more than maxProperties %zu", n, lim);
    const json_t *names = json_object_get(s, "propertyNames");
    const json_t *deps = json_object_get(s, "dependencies");
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)x, key, val) {
        if (names) {
            json_t *ks = json_string(key);
            size_t old = ptr_push(c, key);
            int r = ks ? v_node(c, names, ks) : v_bad(c, "out of memory");
            ptr_pop(c, old);
            json_decref(ks);
            if (r)
                return r;
        }
        const json_t *dep = json_object_get(deps, key);
        if (!dep)
            continue;
        int r = json_is_array(dep) ? v_required(c, dep, x) : v_node(c, dep, x);
        if (r)
            return r;
    }
    return 0;
}

static int v_object(vctx *c, const json_t *s, const json_t *x)
{
    if (!json_is_object(x))
        return 0;
    const json_t *req = json_object_get(s, "required");
    int r;
    if (req && (r = v_required(c, req, x)))
        return r;
    if ((r = v_properties(c, s, x)))
        return r;
    return v_object_extra(c, s, x);
}

static int v_combine(vctx *c, const json_t *s, const json_t *x)
{
    const json_t *all = json_object_get(s, "allOf");
    const json_t *any = json_object_get(s, "anyOf");
    const json_t *one = json_object_get(s, "oneOf");
    size_t i;
    const json_t *sub;
    char buf[256], first[256] = "";
    if ((all && !json_is_array(all)) || (any && !json_is_array(any)) || (one && !json_is_array(one)))
        return v_bad(c, "\"allOf\"/\"anyOf\"/\"oneOf\" must be arrays");
    json_array_foreach(all, i, sub) {
        int r = v_node(c, sub, x);
        if (r)
            return r;
    }
    if (any) {
        bool ok = false;
        json_array_foreach(any, i, sub) {
            int r = v_probe(c, sub, x, buf, sizeof buf);
            if (r < 0)
                return r;
            if (r == 0) {
                ok = true;
                break;
            }
            if (i == 0)
                snprintf(first, sizeof first, "%s", buf);
        }
        if (!ok)
            return v_fail(c, "matches none of the %zu schemas in anyOf (first: %s)",
                          json_array_size(any), first);
    }
    if (one) {
        long hit = -1;
        json_array_foreach(one, i, sub) {
            int r = v_probe(c, sub, x, buf, sizeof buf);
            if (r < 0)
                return r;
            if (r == 0 && hit >= 0)
                return v_fail(c, "matches more than one schema in oneOf (#%ld and #%zu)", hit, i);
            if (r == 0)
                hit = (long)i;
            else if (i == 0)
                snprintf(first, sizeof first, "%s", buf);
        }
        if (hit < 0)
            return v_fail(c, "matches none of the %zu schemas in oneOf (first: %s)",
                          json_array_size(one), first);
    }
    return 0;
}

static int v_logic(vctx *c, const json_t *s, const json_t *x)
{
    char buf[256];
    const json_t *not = json_object_get(s, "not");
    if (not) {
        int r = v_probe(c, not, x, buf, sizeof buf);
        if (r < 0)
            return r;
        if (r == 0) {
            char *sx = json_dumps(not, JSON_ENCODE_ANY | JSON_COMPACT);
            char *xx = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
            r = v_fail(c, "%.120s matches the schema in \"not\": %.200s", xx ? xx : "value",
                       sx ? sx : "");
            free(sx);
            free(xx);
            return r;
        }
    }
    const json_t *cond = json_object_get(s, "if");
    if (cond) {
        int r = v_probe(c, cond, x, buf, sizeof buf);
        if (r < 0)
            return r;
        const json_t *branch = json_object_get(s, r == 0 ? "then" : "else");
        if (branch)
            return v_node(c, branch, x);
    }
    return 0;
}

static int v_node(vctx *c, const json_t *s, const json_t *x)
{
    if (json_is_true(s))
        return 0;
    if (json_is_false(s))
        return v_fail(c, "no value is allowed here (schema false)");
    if (!json_is_object(s))
        return v_bad(c, "a schema must be an object or a boolean");
    if (c->depth >= SCHEMA_MAX_DEPTH)
        return v_bad(c, "nesting deeper than %d (a $ref cycle?)", SCHEMA_MAX_DEPTH);
    c->depth++;
    int r;
    const json_t *ref = json_object_get(s, "$ref");
    if (ref) { /* draft-07: all other keywords beside $ref are ignored */
        const json_t *target = json_is_string(ref) ? resolve_ref(c->root, json_string_value(ref)) : NULL;
        r = target ? v_node(c, target, x)
                   : v_bad(c, "$ref %s does not resolve inside this document",
                           json_is_string(ref) ? json_string_value(ref) : "(not a string)");
    } else if (!(r = v_type(c, json_object_get(s, "type"), x)) && !(r = v_enum_const(c, s, x)) &&
               !(r = v_number(c, s, x)) && !(r = v_string(c, s, x)) && !(r = v_array(c, s, x)) &&
               !(r = v_object(c, s, x)) && !(r = v_combine(c, s, x))) {
        r = v_logic(c, s, x);
    }
    c->depth--;
    return r;
}

int schema_validate(const json_t *schema, const json_t *instance, char *err, size_t errlen)
{
    vctx c;
    memset(&c, 0, sizeof c);
    c.root = schema;
    c.err = err;
    c.errlen = errlen;
    if (err && errlen)
        err[0] = '\0';
    int r = instance ? v_node(&c, schema, instance) : v_bad(&c, "no instance (NULL)");
    while (c.res) {
        re_cache *next = c.res->next;
        regfree(&c.res->re);
        free(c.res);
        c.res = next;
    }
    if (c.loc)
        freelocale(c.loc);
    return r;
}

/* ---------------------------------------------------------------- checks */

typedef struct {
    const json_t *root;
    char *err;
    size_t errlen;
    char path[SCHEMA_PTR_MAX]; /* JSON pointer into the schema */
    locale_t loc;
} cctx;

static int c_bad(cctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int c_bad(cctx *c, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        int k = snprintf(c->err, c->errlen, "schema %s: ", c->path[0] ? c->path : "(root)");
        if (k >= 0 && (size_t)k < c->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static int c_node(cctx *c, const json_t *s, int depth);

/* Checks sub at path + "/" + a + ("/" + b). */
static int c_sub(cctx *c, const json_t *sub, const char *a, const char *b, int depth)
{
    size_t old = strlen(c->path);
    snprintf(c->path + old, sizeof c->path - old, "/%s%s%s", a, b ? "/" : "", b ? b : "");
    int r = c_node(c, sub, depth + 1);
    c->path[old] = '\0';
    return r;
}

static int c_pattern(cctx *c, const char *pat)
{
    regex_t re;
    char msg[256];
    if (jsre_compile(&re, pat, c->loc, msg, sizeof msg) != 0)
        return c_bad(c, "%s", msg);
    regfree(&re);
    return 0;
}

static int c_schema_map(cctx *c, const json_t *s, const char *kw, int depth, bool patterns)
{
    const json_t *m = json_object_get(s, kw);
    if (!m)
        return 0;
    if (!json_is_object(m))
        return c_bad(c, "\"%s\" must be an object", kw);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)m, k, v) {
        if (patterns && c_pattern(c, k))
            return -1;
        if (json_is_array(v) && !strcmp(kw, "dependencies")) {
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                if (!json_is_string(e))
                    return c_bad(c, "dependencies/%s must list property names", k);
            }
            continue;
        }
        if (c_sub(c, v, kw, k, depth))
            return -1;
    }
    return 0;
}

static int c_schema_list(cctx *c, const json_t *s, const char *kw, int depth)
{
    const json_t *l = json_object_get(s, kw);
    if (!l)
        return 0;
    if (!json_is_array(l) || json_array_size(l) == 0)
        return c_bad(c, "\"%s\" must be a non-empty array of schemas", kw);
    size_t i;
    json_t *v;
    json_array_foreach(l, i, v) {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        if (c_sub(c, v, kw, idx, depth))
            return -1;
    }
    return 0;
}

static int c_keywords(cctx *c, const json_t *s)
{
    static const char *const counts[] = {"minLength", "maxLength", "minItems", "maxItems",
                                         "minProperties", "maxProperties"};
    static const char *const nums[] = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"};
    size_t n;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        const json_t *v = json_object_get(s, counts[i]);
        if (v && !nonneg_int(v, &n))
            return c_bad(c, "\"%s\" must be a non-negative integer", counts[i]);
    }
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const json_t *v = json_object_get(s, nums[i]);
        if (v && !json_is_number(v))
            return c_bad(c, "\"%s\" must be a number", nums[i]);
    }
    const json_t *v = json_object_get(s, "multipleOf");
    if (v && !(json_is_number(v) && json_number_value(v) > 0))
        return c_bad(c, "\"multipleOf\" must be a number > 0");
    if ((v = json_object_get(s, "uniqueItems")) && !json_is_boolean(v))
        return c_bad(c, "\"uniqueItems\" must be a boolean");
    if ((v = json_object_get(s, "enum")) && !json_is_array(v))
        return c_bad(c, "\"enum\" must be an array");
    if ((v = json_object_get(s, "required"))) {
        size_t i;
        json_t *e;
        if (!json_is_array(v))
            return c_bad(c, "\"required\" must be an array of strings");
        json_array_foreach(v, i, e) {
            if (!json_is_string(e))
                return c_bad(c, "\"required\" must be an array of strings");
        }
    }
    if ((v = json_object_get(s, "pattern"))) {
        if (!json_is_string(v))
            return c_bad(c, "\"pattern\" must be a string");
        if (c_pattern(c, json_string_value(v)))
            return -1;
    }
    if ((v = json_object_get(s, "type"))) {
        int bad = json_is_string(v) ? type_matches(json_null(), json_string_value(v)) < 0
                                    : !json_is_array(v) || json_array_size(v) == 0;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            if (!json_is_string(e) || type_matches(json_null(), json_string_value(e)) < 0)
                bad = 1;
        }
        if (bad)
            return c_bad(c, "\"type\" must be a type name or a non-empty array of them");
    }
    return 0;
}

static int c_node(cctx *c, const json_t *s, int depth)
{
    if (json_is_boolean(s))
        return 0;
    if (!json_is_object(s))
        return c_bad(c, "a schema must be an object or a boolean");
    if (depth > SCHEMA_MAX_DEPTH)
        return c_bad(c, "nested deeper than %d", SCHEMA_MAX_DEPTH);
    const json_t *v = json_object_get(s, "$ref");
    if (v) {
        if (!json_is_string(v) || !resolve_ref(c->root, json_string_value(v)))
            return c_bad(c, "$ref %s is not a local reference that resolves (\"#\" or \"#/...\")",
                         json_is_string(v) ? json_string_value(v) : "(not a string)");
    }
    if (json_object_get(s, "$id") && s != c->root)
        return c_bad(c, "\"$id\" inside a schema is not supported (only at the root)");
    if (c_keywords(c, s))
        return -1;
    static const char *const subs[] = {"additionalProperties", "additionalItems", "contains",
                                       "propertyNames", "not", "if", "then", "else"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if ((v = json_object_get(s, subs[i])) && c_sub(c, v, subs[i], NULL, depth))
            return -1;
    if ((v = json_object_get(s, "items"))) {
        if (json_is_array(v)) {
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                char idx[24];
                snprintf(idx, sizeof idx, "%zu", i);
                if (c_sub(c, e, "items", idx, depth))
                    return -1;
            }
        } else if (c_sub(c, v, "items", NULL, depth)) {
            return -1;
        }
    }
    if (c_schema_map(c, s, "properties", depth, false) ||
        c_schema_map(c, s, "patternProperties", depth, true) ||
        c_schema_map(c, s, "definitions", depth, false) ||
        c_schema_map(c, s, "dependencies", depth, false) || c_schema_list(c, s, "allOf", depth) ||
        c_schema_list(c, s, "anyOf", depth) || c_schema_list(c, s, "oneOf", depth))
        return -1;
    return 0;
}

int schema_check(const json_t *schema, char *err, size_t errlen)
{
    cctx c;
    memset(&c, 0, sizeof c);
    c.root = schema;
    c.err = err;
    c.errlen = errlen;
    const json_t *dialect = json_object_get(schema, "$schema");
    if (dialect) {
        const char *d = json_string_value(dialect);
        if (!d || (strcmp(d, "http://json-schema.org/draft-07/schema#") &&
                   strcmp(d, "http://json-schema.org/draft-07/schema")))
            return c_bad(&c, "\"$schema\" must be draft-07 (\"http://json-schema.org/draft-07/schema#\")");
    }
    c.loc = jsre_utf8_locale();
    int r = c_node(&c, schema, 0);
    if (c.loc)
        freelocale(c.loc);
    return r;
}

json_t *schema_load(const char *path, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    json_error_t je;
    json_t *s = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!s) {
        snprintf(err, errlen, "%s:%d:%d: not valid JSON: %s", path, je.line, je.column, je.text);
        return NULL;
    }
    char msg[512];
    if (schema_check(s, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "%s: %s", path, msg);
        json_decref(s);
        return NULL;
    }
    return s;
}

int schema_validate_path(const char *schema_path, const json_t *instance, char *err,
                         size_t errlen)
{
    json_t *s = schema_load(schema_path, err, errlen);
    if (!s)
        return -1;
    int r = schema_validate(s, instance, err, errlen);
    json_decref(s);
    return r;
}
