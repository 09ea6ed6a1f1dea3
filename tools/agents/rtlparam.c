/* rtlparam.c — see rtlparam.h. */
#include "agents/rtlparam.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsx.h"

enum { RTLPARAM_MAX_HITS = 8 };

static bool rp_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* A copy of text with comments and string contents blanked (newlines and
 * quote characters kept), so that offsets match and only code is searched. */
static char *rp_mask(const char *text, size_t len)
{
    char *m = malloc(len + 1);
    if (!m)
        return NULL;
    memcpy(m, text, len + 1);
    size_t i = 0;
    while (i < len) {
        if (text[i] == '/' && i + 1 < len && text[i + 1] == '/') {
            while (i < len && text[i] != '\n')
                m[i++] = ' ';
        } else if (text[i] == '/' && i + 1 < len && text[i + 1] == '*') {
            m[i++] = ' ';
            m[i++] = ' ';
            while (i < len && !(text[i] == '*' && i + 1 < len && text[i + 1] == '/')) {
                if (text[i] != '\n')
                    m[i] = ' ';
                i++;
            }
            for (int k = 0; k < 2 && i < len; k++)
                m[i++] = ' ';
        } else if (text[i] == '"') {
            i++;
            while (i < len && text[i] != '"' && text[i] != '\n') {
                if (text[i] == '\\' && i + 1 < len && text[i + 1] != '\n')
                    m[i++] = ' ';
                m[i++] = ' ';
            }
            if (i < len && text[i] == '"')
                i++;
        } else {
            i++;
        }
    }
    return m;
}

/* Whole-word occurrence of w in m[from, to) searching backwards: its offset or -1. */
static long rp_last_word(const char *m, size_t from, size_t to, const char *w)
{
    size_t wl = strlen(w);
    if (to < from + wl)
        return -1;
    for (size_t p = to - wl + 1; p-- > from;) {
        if (memcmp(m + p, w, wl) != 0)
            continue;
        if ((p > from && rp_ident(m[p - 1])) || (p + wl < to && rp_ident(m[p + wl])))
            continue;
        return (long)p;
    }
    return -1;
}

/* True when m[a, b) holds only a parameter's type: type words and [ranges]. */
static bool rp_type_only(const char *m, size_t a, size_t b)
{
    static const char *const words[] = {"int", "integer", "logic", "bit", "reg", "signed", "unsigned",
                                        "shortint", "longint", "byte", "real", "string", "time", "type"};
    size_t i = a;
    while (i < b) {
        if (isspace((unsigned char)m[i])) {
            i++;
        } else if (m[i] == '[') {
            int depth = 0;
            while (i < b) {
                if (m[i] == '[')
                    depth++;
                else if (m[i] == ']' && --depth == 0)
                    break;
                i++;
            }
            if (i >= b)
                return false;
            i++;
        } else if (rp_ident(m[i])) {
            size_t s = i;
            while (i < b && rp_ident(m[i]))
                i++;
            bool ok = false;
            for (size_t k = 0; k < sizeof words / sizeof words[0] && !ok; k++)
                ok = strlen(words[k]) == i - s && memcmp(words[k], m + s, i - s) == 0;
            if (!ok)
                return false;
        } else {
            return false;
        }
    }
    return true;
}

/* Is the identifier at p (length nl) a declaration? Sets the value span. */
static bool rp_decl_at(const char *m, size_t len, size_t p, size_t nl, size_t *vs, size_t *ve)
{
    size_t ls = p;
    while (ls > 0 && m[ls - 1] != '\n')
        ls--;
    size_t q = p + nl;
    while (q < len && (m[q] == ' ' || m[q] == '\t'))
        q++;
    if (q >= len || m[q] != '=' || (q + 1 < len && m[q + 1] == '='))
        return false;
    long kw = rp_last_word(m, ls, p, "parameter");
    if (kw < 0)
        return false;
    size_t b = p;
    while (b > (size_t)kw && isspace((unsigned char)m[b - 1]))
        b--;
    bool list_item = b > (size_t)kw && m[b - 1] == ',';
    if (!list_item && !rp_type_only(m, (size_t)kw + 9, p))
        return false;
    size_t s = q + 1;
    while (s < len && (m[s] == ' ' || m[s] == '\t'))
        s++;
    int depth = 0;
    size_t e = s;
    for (; e < len && m[e] != '\n'; e++) {
        char c = m[e];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            depth--;
        else if (depth == 0 && (c == ';' || c == ',' || c == ')'))
            break;
    }
    while (e > s && isspace((unsigned char)m[e - 1]))
        e--;
    *vs = s;
    *ve = e;
    return true;
}

static size_t rp_line_of(const char *text, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += text[i] == '\n';
    return line;
}

int rtlparam_find(const char *text, const char *file, const char *name, rtlparam_loc *loc,
                  char *err, size_t n)
{
    size_t len = strlen(text), nl = strlen(name);
    if (nl == 0) {
        snprintf(err, n, "%s: empty parameter name", file);
        return -1;
    }
    char *m = rp_mask(text, len);
    if (!m) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    rtlparam_loc hits[RTLPARAM_MAX_HITS];
    size_t nh = 0, total = 0;
    for (const char *p = m; (p = strstr(p, name)); p += nl) {
        size_t off = (size_t)(p - m);
        if ((off > 0 && rp_ident(m[off - 1])) || rp_ident(m[off + nl]))
            continue;
        size_t vs, ve;
        if (!rp_decl_at(m, len, off, nl, &vs, &ve))
            continue;
        if (nh < RTLPARAM_MAX_HITS)
            hits[nh++] = (rtlparam_loc){rp_line_of(text, off), vs, ve};
        total++;
    }
    free(m);
    if (total == 0) {
        snprintf(err, n, "%s: no `parameter %s = <value>` line (the knob's file and parameter in core.yaml "
                 "must name one declaration)", file, name);
        return -1;
    }
    if (total > 1) {
        char lines[128] = "";
        size_t o = 0;
        for (size_t i = 0; i < nh && o < sizeof lines - 16; i++)
            o += (size_t)snprintf(lines + o, sizeof lines - o, "%s%zu", i ? ", " : "", hits[i].line);
        snprintf(err, n, "%s: parameter %s is declared %zu times (lines %s%s); a knob must set exactly one "
                 "`parameter %s = <value>` line", file, name, total, lines, total > nh ? ", ..." : "", name);
        return -1;
    }
    if (hits[0].vend <= hits[0].vstart) {
        snprintf(err, n, "%s:%zu: parameter %s has no value after '='", file, hits[0].line, name);
        return -1;
    }
    *loc = hits[0];
    return 0;
}

/* Digits of a based literal in base b; -1 when not one (x, z, overflow). */
static int rp_digits(const char *s, size_t len, int base, long long *out)
{
    unsigned long long v = 0;
    size_t nd = 0;
    for (size_t i = 0; i < len; i++) {
        char c = (char)tolower((unsigned char)s[i]);
        if (c == '_')
            continue;
        int d = isdigit((unsigned char)c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : 99;
        if (d >= base)
            return -1;
        if (v > (unsigned long long)(9007199254740991LL - d) / (unsigned long long)base)
            return -1;
        v = v * (unsigned long long)base + (unsigned long long)d;
        nd++;
    }
    if (nd == 0)
        return -1;
    *out = (long long)v;
    return 0;
}

json_t *rtlparam_parse_value(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
        return json_stringn(s + 1, len - 2);
    bool neg = len > 1 && s[0] == '-';
    const char *d = neg ? s + 1 : s;
    size_t dl = neg ? len - 1 : len;
    long long v;
    const char *tick = memchr(d, '\'', dl);
    if (!tick) {
        bool digits = dl > 0 && isdigit((unsigned char)d[0]);
        for (size_t i = 0; i < dl && digits; i++)
            digits = isdigit((unsigned char)d[i]) || d[i] == '_';
        if (digits && rp_digits(d, dl, 10, &v) == 0)
            return json_integer(neg ? -v : v);
        /* A real such as 1.5 or 2e3. */
        char buf[64];
        if (dl > 0 && dl < sizeof buf && (isdigit((unsigned char)d[0]) || d[0] == '.')) {
            memcpy(buf, s, len);
            buf[len] = '\0';
            char *end;
            errno = 0;
            double x = strtod(buf, &end);
            if (*end == '\0' && errno == 0 && isfinite(x))
                return json_real(x);
        }
        return json_stringn(s, len);
    }
    /* [size]'[s]<base><digits> */
    for (const char *p = d; p < tick; p++)
        if (!isdigit((unsigned char)*p) && *p != '_' && *p != ' ')
            return json_stringn(s, len);
    const char *p = tick + 1, *end = d + dl;
    if (p < end && (*p == 's' || *p == 'S'))
        p++;
    int base = 0;
    if (p < end) {
        switch (tolower((unsigned char)*p)) {
        case 'd': base = 10; break;
        case 'h': base = 16; break;
        case 'b': base = 2; break;
        case 'o': base = 8; break;
        default: break;
        }
    }
    if (!base)
        return json_stringn(s, len);
    p++;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (rp_digits(p, (size_t)(end - p), base, &v) != 0)
        return json_stringn(s, len);
    return json_integer(neg ? -v : v);
}

json_t *rtlparam_get(const char *text, const char *file, const char *name, char *err, size_t n)
{
    rtlparam_loc loc;
    if (rtlparam_find(text, file, name, &loc, err, n) != 0)
        return NULL;
    json_t *v = rtlparam_parse_value(text + loc.vstart, loc.vend - loc.vstart);
    if (!v)
        snprintf(err, n, "out of memory");
    return v;
}

bool rtlparam_value_eq(const json_t *a, const json_t *b)
{
    if (!a || !b)
        return false;
    bool an = json_is_number(a) || json_is_boolean(a), bn = json_is_number(b) || json_is_boolean(b);
    if (an && bn) {
        double x = json_is_boolean(a) ? (json_is_true(a) ? 1 : 0) : json_number_value(a);
        double y = json_is_boolean(b) ? (json_is_true(b) ? 1 : 0) : json_number_value(b);
        return x == y;
    }
    if (json_is_string(a) && json_is_string(b))
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    return false;
}

void rtlparam_value_str(const json_t *v, char *buf, size_t n)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%g", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
    else if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else
        snprintf(buf, n, "?");
}

static bool rp_token_like(const char *s)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!rp_ident(*p) && *p != '\'' && *p != '.')
            return false;
    return true;
}

int rtlparam_render(const json_t *v, bool quoted, char *buf, size_t n)
{
    int w;
    if (json_is_boolean(v)) {
        w = snprintf(buf, n, "%d", json_is_true(v) ? 1 : 0);
    } else if (json_is_integer(v)) {
        w = snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        double x = json_real_value(v);
        if (!isfinite(x))
            return -1;
        w = x == floor(x) && fabs(x) < 9.0e15 ? snprintf(buf, n, "%lld", (long long)x) : snprintf(buf, n, "%.17g", x);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strlen(s) != json_string_length(v) || strpbrk(s, "\n\r"))
            return -1;
        if (!quoted && rp_token_like(s)) {
            w = snprintf(buf, n, "%s", s);
        } else {
            /* A string literal: room for every byte escaped plus the quotes. */
            if (strlen(s) * 2 + 3 > n)
                return -1;
            size_t o = 0;
            buf[o++] = '"';
            for (const char *p = s; *p; p++) {
                if (*p == '"' || *p == '\\')
                    buf[o++] = '\\';
                buf[o++] = *p;
            }
            buf[o++] = '"';
            buf[o] = '\0';
            w = (int)o;
        }
    } else {
        return -1;
    }
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

char *rtlparam_set(const char *text, const char *file, const char *name, const json_t *v,
                   char *err, size_t n)
{
    rtlparam_loc loc;
    if (rtlparam_find(text, file, name, &loc, err, n) != 0)
        return NULL;
    bool quoted = text[loc.vstart] == '"';
    char val[512];
    if (rtlparam_render(v, quoted, val, sizeof val) != 0) {
        char vs[64];
        rtlparam_value_str(v, vs, sizeof vs);
        snprintf(err, n, "%s: cannot write '%s' as the value of parameter %s", file, vs, name);
        return NULL;
    }
    size_t len = strlen(text), vl = strlen(val);
    char *out = malloc(len - (loc.vend - loc.vstart) + vl + 1);
    if (!out) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    memcpy(out, text, loc.vstart);
    memcpy(out + loc.vstart, val, vl);
    memcpy(out + loc.vstart + vl, text + loc.vend, len - loc.vend + 1);
    /* Prove the edit: the new text still declares NAME once, with v. */
    char verr[512];
    json_t *back = rtlparam_get(out, file, name, verr, sizeof verr);
    if (!back || !rtlparam_value_eq(back, v)) {
        char vs[64];
        rtlparam_value_str(v, vs, sizeof vs);
        snprintf(err, n, "%s: after the edit, parameter %s does not read back as %s (%s)", file, name, vs,
                 back ? "a different value" : verr);
        json_decref(back);
        free(out);
        return NULL;
    }
    json_decref(back);
    return out;
}

int rtlparam_edit_file(const char *path, const char *name, const json_t *v, json_t **old_out,
                       char *err, size_t n)
{
    if (old_out)
        *old_out = NULL;
    char *text = NULL;
    size_t len = 0;
    struct stat st;
    if (stat(path, &st) != 0 || fsx_read(path, &text, &len) != 0) {
        snprintf(err, n, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (strlen(text) != len) {
        snprintf(err, n, "%s holds a NUL byte; not a SystemVerilog source", path);
        free(text);
        return -1;
    }
    json_t *old = rtlparam_get(text, path, name, err, n);
    char *out = old ? rtlparam_set(text, path, name, v, err, n) : NULL;
    int rc = -1;
    if (out) {
        char *back = NULL;
        if (fsx_write_atomic(path, out, strlen(out)) != 0) {
            snprintf(err, n, "cannot write %s: %s", path, strerror(errno));
        } else if (chmod(path, st.st_mode & 07777) != 0) {
            snprintf(err, n, "cannot restore the mode of %s: %s", path, strerror(errno));
        } else if (fsx_read(path, &back, NULL) != 0 || strcmp(back, out) != 0) {
            snprintf(err, n, "%s does not read back as written", path);
        } else {
            rc = 0;
        }
        free(back);
    }
    if (rc == 0 && old_out)
        *old_out = old;
    else
        json_decref(old);
    free(out);
    free(text);
    return rc;
}
