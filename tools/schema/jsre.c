/* jsre.c — ECMA-262 pattern subset to POSIX ERE; see jsre.h. */
#include "schema/jsre.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable output string; on allocation failure it stays in error state. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} jsre_buf;

static void buf_putn(jsre_buf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_puts(jsre_buf *b, const char *p)
{
    buf_putn(b, p, strlen(p));
}

/* The translation state: input position and the first error. */
typedef struct {
    const char *p;
    char *err;
    size_t errlen;
    int failed;
} jsre_in;

static int in_fail(jsre_in *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int in_fail(jsre_in *in, const char *fmt, ...)
{
    if (!in->failed && in->err && in->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(in->err, in->errlen, fmt, ap);
        va_end(ap);
    }
    in->failed = 1;
    return -1;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads n hex digits at p; -1 when they are not all there. */
static long read_hex(const char *p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* One literal character of the pattern: its UTF-8 bytes. */
typedef struct {
    char b[8];
    size_t n;
} jsre_char;

enum { ESC_NONE, ESC_CHAR, ESC_DIGIT, ESC_NDIGIT, ESC_WORD, ESC_NWORD, ESC_SPACE, ESC_NSPACE };

/* Parses the escape after a backslash (in->p points past the backslash) into a
 * literal character or a class kind; advances in->p. -1 on unsupported. */
static int read_escape(jsre_in *in, jsre_char *ch)
{
    char c = *in->p;
    ch->n = 0;
    switch (c) {
    case '\0':
        return in_fail(in, "pattern ends with a lone backslash");
    case 'd': in->p++; return ESC_DIGIT;
    case 'D': in->p++; return ESC_NDIGIT;
    case 'w': in->p++; return ESC_WORD;
    case 'W': in->p++; return ESC_NWORD;
    case 's': in->p++; return ESC_SPACE;
    case 'S': in->p++; return ESC_NSPACE;
    case 'n': ch->b[0] = '\n'; break;
    case 't': ch->b[0] = '\t'; break;
    case 'r': ch->b[0] = '\r'; break;
    case 'f': ch->b[0] = '\f'; break;
    case 'v': ch->b[0] = '\v'; break;
    case 'x': {
        long v = read_hex(in->p + 1, 2);
        if (v <= 0)
            return in_fail(in, "unsupported escape \\x%.2s (need two hex digits, not 00)", in->p + 1);
        ch->n = utf8_encode((uint32_t)v, ch->b);
        in->p += 3;
        return ESC_CHAR;
    }
    case 'u': {
        long v = read_hex(in->p + 1, 4);
        if (v <= 0)
            return in_fail(in, "unsupported escape \\u%.4s (need four hex digits, not 0000)", in->p + 1);
        in->p += 5;
        if (v >= 0xD800 && v <= 0xDBFF && in->p[0] == '\\' && in->p[1] == 'u') {
            long lo = read_hex(in->p + 2, 4);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                in->p += 6;
            }
        }
        if (v >= 0xD800 && v <= 0xDFFF)
            return in_fail(in, "unsupported escape: lone surrogate \\u%04lX", v);
        ch->n = utf8_encode((uint32_t)v, ch->b);
        return ESC_CHAR;
    }
    default:
        if (c >= '1' && c <= '9')
            return in_fail(in, "unsupported: back-reference \\%c", c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '0' || (unsigned char)c >= 0x80)
            return in_fail(in, "unsupported escape \\%c", c);
        ch->b[0] = c; /* identity escape of ASCII punctuation */
        break;
    }
    ch->n = 1;
    in->p++;
    return ESC_CHAR;
}

/* Reads one literal character (possibly multi-byte) at in->p. */
static void read_char(jsre_in *in, jsre_char *ch)
{
    unsigned char c = (unsigned char)*in->p;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    size_t i = 0;
    for (; i < n && in->p[i]; i++)
        ch->b[i] = in->p[i];
    ch->n = i;
    in->p += i;
}

/* Emits a literal character outside a bracket expression. */
static void emit_literal(jsre_buf *out, const jsre_char *ch)
{
    if (ch->n == 1 && ch->b[0] == '^') {
        buf_puts(out, "\\^");
    } else if (ch->n == 1 && strchr(".[()*+?{}|$\\", ch->b[0])) {
        char tmp[4] = {'[', ch->b[0], ']', '\0'};
        buf_puts(out, tmp);
    } else {
        buf_putn(out, ch->b, ch->n);
    }
}

/* A bracket expression being collected: ordinary items plus the characters
 * whose position inside a POSIX bracket matters. */
typedef struct {
    jsre_buf items;
    int rbracket, lbracket, caret, dash;
} jsre_class;

static void class_add_char(jsre_class *cl, const jsre_char *ch)
{
    if (ch->n == 1) {
        switch (ch->b[0]) {
        case ']': cl->rbracket = 1; return;
        case '[': cl->lbracket = 1; return;
        case '^': cl->caret = 1; return;
        case '-': cl->dash = 1; return;
        default: break;
        }
    }
    buf_putn(&cl->items, ch->b, ch->n);
}

/* glibc refuses ranges between multi-byte characters in C.UTF-8 ("Invalid
 * collation character"), so only ASCII endpoints are accepted. */
static int bad_range_end(const jsre_char *ch)
{
    return ch->n != 1 || (unsigned char)ch->b[0] >= 0x80 || strchr("[]^-", ch->b[0]) != NULL;
}

/* Reads one class atom: a literal (ESC_CHAR) or a class escape kind. */
static int class_atom(jsre_in *in, jsre_char *ch)
{
    if (*in->p == '\\') {
        in->p++;
        if (*in->p == 'b') { /* inside a class \b is backspace */
            in->p++;
            ch->b[0] = '\b';
            ch->n = 1;
            return ESC_CHAR;
        }
        return read_escape(in, ch);
    }
    read_char(in, ch);
    return ESC_CHAR;
}

/* Translates "[...]" (in->p just past '['). */
static int translate_class(jsre_in *in, jsre_buf *out)
{
    jsre_class cl = {0};
    int neg = 0;
    if (*in->p == '^') {
        neg = 1;
        in->p++;
    }
    if (*in->p == ']')
        return in_fail(in, "unsupported: empty class \"[]\" or \"[^]\"");
    while (*in->p && *in->p != ']') {
        jsre_char a;
        int k = class_atom(in, &a);
        if (k < 0)
            goto fail;
        switch (k) {
        case ESC_DIGIT: buf_puts(&cl.items, "0-9"); continue;
        case ESC_WORD: buf_puts(&cl.items, "A-Za-z0-9_"); continue;
        case ESC_SPACE: buf_puts(&cl.items, "[:space:]"); continue;
        case ESC_NDIGIT: case ESC_NWORD: case ESC_NSPACE:
            in_fail(in, "unsupported: negated class escape (\\D \\W \\S) inside [...]");
            goto fail;
        default: break;
        }
        if (in->p[0] == '-' && in->p[1] && in->p[1] != ']') {
            in->p++;
            jsre_char b;
            int kb = class_atom(in, &b);
            if (kb < 0)
                goto fail;
            if (kb != ESC_CHAR || bad_range_end(&a) || bad_range_end(&b)) {
                in_fail(in, "unsupported range in class (endpoint is a class escape, non-ASCII, or one of [ ] ^ -)");
                goto fail;
            }
            buf_putn(&cl.items, a.b, a.n);
            buf_puts(&cl.items, "-");
            buf_putn(&cl.items, b.b, b.n);
            continue;
        }
        class_add_char(&cl, &a);
    }
    if (*in->p != ']') {
        in_fail(in, "unterminated class \"[\"");
        goto fail;
    }
    in->p++;
    int others = cl.rbracket || cl.items.len || cl.lbracket;
    if (!neg && !others && cl.caret) {
        /* "^" alone (or with "-") must not land first, where it would negate. */
        buf_puts(out, cl.dash ? "[-^]" : "\\^");
        free(cl.items.s);
        return 0;
    }
    buf_puts(out, neg ? "[^" : "[");
    if (cl.rbracket)
        buf_puts(out, "]");
    if (cl.items.len)
        buf_puts(out, cl.items.s);
    if (cl.lbracket)
        buf_puts(out, "[");
    if (cl.caret)
        buf_puts(out, "^");
    if (cl.dash)
        buf_puts(out, "-");
    buf_puts(out, "]");
    if (cl.items.oom)
        out->oom = 1;
    free(cl.items.s);
    return 0;
fail:
    free(cl.items.s);
    return -1;
}

/* At "{": length of a quantifier "{n}", "{n,}", "{n,m}", or 0 if it is a literal. */
static size_t brace_quantifier_len(const char *p)
{
    size_t i = 1;
    if (!(p[i] >= '0' && p[i] <= '9'))
        return 0;
    while (p[i] >= '0' && p[i] <= '9')
        i++;
    if (p[i] == ',') {
        i++;
        while (p[i] >= '0' && p[i] <= '9')
            i++;
    }
    return p[i] == '}' ? i + 1 : 0;
}

static const char *class_escape_ere(int kind)
{
    switch (kind) {
    case ESC_DIGIT: return "[0-9]";
    case ESC_NDIGIT: return "[^0-9]";
    case ESC_WORD: return "[A-Za-z0-9_]";
    case ESC_NWORD: return "[^A-Za-z0-9_]";
    case ESC_SPACE: return "[[:space:]]";
    default: return "[^[:space:]]";
    }
}

/* glibc's regcomp copies the sub-expression of a bounded repetition once per
 * count ("(a{1,100}){1,100}" becomes 10^4 copies of "a", and compiling and
 * matching grow with the copies), and parses nested groups recursively. So
 * a pattern is refused when its atoms, counted with every repetition
 * expanded, exceed JSRE_MAX_ATOMS, or when its groups nest deeper than
 * JSRE_MAX_DEPTH: either would let one pattern take seconds to minutes or
 * overflow the stack. The project's own patterns stay far below both.
 * glibc's matcher also takes exponential time on a repeated part that can
 * match the empty string ("(){1,800}" took over 30 s on a 20-byte subject,
 * "((){1,100}){1,}" 2 s), and on a quantifier applied to a quantified atom
 * ("x++++", a syntax error in ECMA-262 anyway): both are refused. */
enum { JSRE_MAX_ATOMS = 1000, JSRE_MAX_DEPTH = 64 };

/* The expanded size of the group being read, and of its last atom; which
 * parts of it can match the empty string. */
typedef struct {
    size_t total, last;
    bool last_null;  /* the last item can match the empty string */
    bool last_quant; /* the last item already carries a quantifier */
    int nonnull;     /* items of the current branch that cannot match empty */
    bool alt_null;   /* an earlier branch of the group can match empty */
} jsre_frame;

typedef struct {
    jsre_frame f[JSRE_MAX_DEPTH + 1];
    int depth;
} jsre_size;

static size_t sat_add(size_t a, size_t b)
{
    return a + b > JSRE_MAX_ATOMS ? JSRE_MAX_ATOMS + 1 : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
    return b && a > (JSRE_MAX_ATOMS + 1) / b ? JSRE_MAX_ATOMS + 1 : a * b;
}

/* The count a quantifier at p ("{n}", "{n,}", "{n,m}", "+") copies its atom
 * to (saturated); "*" and "?" copy nothing. */
static size_t quantifier_copies(const char *p)
{
    size_t n = 0, m = 0;
    if (*p == '+')
        return 2;
    if (*p != '{')
        return 1;
    for (p++; *p >= '0' && *p <= '9'; p++)
        n = sat_add(sat_mul(n, 10), (size_t)(*p - '0'));
    if (*p != ',')
        return n ? n : 1;
    if (p[1] == '}')
        return sat_add(n, 1);
    for (p++; *p >= '0' && *p <= '9'; p++)
        m = sat_add(sat_mul(m, 10), (size_t)(*p - '0'));
    return m > n ? m : n ? n : 1;
}

/* The least count of the quantifier at p, and whether it may repeat its
 * atom more than once. */
static size_t quantifier_min(const char *p, bool *repeats)
{
    *repeats = *p == '*' || *p == '+';
    if (*p != '{')
        return *p == '+' ? 1 : 0;
    size_t n = 0, m = 0;
    for (p++; *p >= '0' && *p <= '9'; p++)
        n = sat_add(sat_mul(n, 10), (size_t)(*p - '0'));
    if (*p != ',') {
        *repeats = n > 1;
        return n;
    }
    if (p[1] == '}') {
        *repeats = true;
        return n;
    }
    for (p++; *p >= '0' && *p <= '9'; p++)
        m = sat_add(sat_mul(m, 10), (size_t)(*p - '0'));
    *repeats = m > 1;
    return n;
}

/* A quantifier on the frame's last item: refused when it repeats an item
 * that can match the empty string or follows another quantifier. */
static int size_quantifier(jsre_in *in, jsre_frame *f, const char *p)
{
    bool repeats;
    size_t min = quantifier_min(p, &repeats);
    if (f->last_quant)
        return in_fail(in, "a quantifier follows a quantifier (nothing to repeat)");
    if (repeats && f->last_null)
        return in_fail(in, "unsupported: a repeated part that can match the empty string (POSIX "
                           "matchers take exponential time on it); write it without the empty match");
    if (min == 0 && !f->last_null && f->last > 0) {
        f->last_null = true;
        f->nonnull--;
    }
    f->last_quant = f->last > 0;
    size_t k = quantifier_copies(p);
    f->total = sat_add(f->total, sat_mul(f->last, k - 1));
    f->last = sat_mul(f->last, k);
    return 0;
}

/* Accounts for the construct at p (before it is translated); -1 with the
 * error when the pattern grows past a limit. */
static int size_step(jsre_in *in, jsre_size *z, const char *p)
{
    jsre_frame *f = &z->f[z->depth];
    if (*p == '(') {
        if (z->depth == JSRE_MAX_DEPTH)
            return in_fail(in, "unsupported: groups nested deeper than %d levels", JSRE_MAX_DEPTH);
        z->f[++z->depth] = (jsre_frame){0};
        return 0;
    }
    if (*p == ')' && z->depth > 0) {
        size_t g = sat_add(f->total, 1); /* the group itself: "()" repeated is copied too */
        bool null = f->alt_null || f->nonnull == 0;
        f = &z->f[--z->depth];
        f->total = sat_add(f->total, g);
        f->last = g;
        f->last_null = null, f->last_quant = false;
        f->nonnull += !null;
    } else if (*p == '*' || *p == '+' || *p == '?' || (*p == '{' && brace_quantifier_len(p))) {
        if (size_quantifier(in, f, p) != 0)
            return -1;
    } else if (*p == '|' || *p == '^' || *p == '$') {
        f->last = 0; /* no atom: nothing for a quantifier to copy */
        f->last_null = true, f->last_quant = false;
        if (*p == '|') {
            f->alt_null = f->alt_null || f->nonnull == 0;
            f->nonnull = 0;
        }
    } else {
        f->total = sat_add(f->total, 1);
        f->last = 1;
        f->last_null = false, f->last_quant = false;
        f->nonnull++;
    }
    size_t all = 0;
    for (int d = 0; d <= z->depth; d++)
        all = sat_add(all, z->f[d].total);
    if (all > JSRE_MAX_ATOMS)
        return in_fail(in, "unsupported: pattern too large, over %d atoms once its repetition "
                           "counts are expanded (POSIX regcomp copies each repeated part); "
                           "use smaller counts", JSRE_MAX_ATOMS);
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one
 * (a stray continuation byte, a truncated sequence, an overlong form, a
 * surrogate or a code point above U+10FFFF). */
static size_t utf8_seq_len(const unsigned char *p)
{
    unsigned char c = p[0];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90))
        return 0;
    return n;
}

char *jsre_translate(const char *pattern, char *err, size_t errlen)
{
    jsre_in in = {pattern, err, errlen, 0};
    jsre_buf out = {0};
    jsre_size z = {.depth = 0};
    /* Literals are copied a whole character at a time: a broken sequence
     * would swallow the metacharacter after it ("\xC2(" as one character). */
    for (const unsigned char *u = (const unsigned char *)pattern; *u;) {
        size_t k = utf8_seq_len(u);
        if (k == 0) {
            in_fail(&in, "unsupported: pattern is not valid UTF-8 (byte 0x%02X at offset %zu)", *u,
                    (size_t)(u - (const unsigned char *)pattern));
            return NULL;
        }
        u += k;
    }
    buf_puts(&out, "");
    while (*in.p && !in.failed) {
        char c = *in.p;
        size_t q;
        if (size_step(&in, &z, in.p) != 0)
            break;
        if (c == '*' || c == '+' || c == '?') {
            buf_putn(&out, in.p, 1);
            in.p++;
            if (*in.p == '?') /* lazy: same match/no-match answer */
                in.p++;
        } else if (c == '{' && (q = brace_quantifier_len(in.p)) > 0) {
            buf_putn(&out, in.p, q);
            in.p += q;
            if (*in.p == '?')
                in.p++;
        } else if (c == '(') {
            if (in.p[1] == '?') {
                if (in.p[2] != ':') {
                    in_fail(&in, "unsupported group \"(?%c\" (lookaround or named group)", in.p[2]);
                    break;
                }
                in.p += 3;
            } else {
                in.p++;
            }
            buf_puts(&out, "(");
        } else if (c == ')' || c == '|' || c == '^' || c == '$' || c == '.') {
            buf_putn(&out, in.p, 1);
            in.p++;
        } else if (c == '[') {
            in.p++;
            translate_class(&in, &out);
        } else if (c == '\\') {
            in.p++;
            if (*in.p == 'b' || *in.p == 'B') {
                in_fail(&in, "unsupported: word boundary \\%c", *in.p);
                break;
            }
            jsre_char ch;
            int k = read_escape(&in, &ch);
            if (k == ESC_CHAR)
                emit_literal(&out, &ch);
            else if (k > 0)
                buf_puts(&out, class_escape_ere(k));
        } else {
            jsre_char ch;
            read_char(&in, &ch);
            emit_literal(&out, &ch);
        }
    }
    if (!in.failed && out.oom)
        in_fail(&in, "out of memory translating a pattern");
    if (in.failed) {
        free(out.s);
        return NULL;
    }
    return out.s;
}

int jsre_compile(regex_t *re, const char *pattern, locale_t loc, char *err, size_t errlen)
{
    char *ere = jsre_translate(pattern, err, errlen);
    if (!ere)
        return -1;
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    int rc = regcomp(re, ere, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[128];
        regerror(rc, re, msg, sizeof msg);
        regfree(re);
        snprintf(err, errlen, "pattern \"%s\" (as POSIX ERE \"%s\") does not compile: %s",
                 pattern, ere, msg);
    }
    if (loc)
        uselocale(old);
    free(ere);
    return rc == 0 ? 0 : -1;
}

int jsre_match(const regex_t *re, const char *s, size_t len, locale_t loc, char *err,
               size_t errlen)
{
    /* regexec is handed a NUL-terminated copy: REG_STARTEND bounds glibc's
     * own reads, but not every reader of the string (the sanitizers'
     * regexec interceptor measures it with strlen), so an unterminated
     * s[0..len) would be read past its end. */
    if (len >= (size_t)INT_MAX) { /* regoff_t is an int: rm_eo could not hold the end */
        snprintf(err, errlen, "cannot match a %zu-byte string: longer than regexec supports", len);
        return -1;
    }
    char small[256], *copy = len < sizeof small ? small : malloc(len + 1);
    if (!copy) {
        snprintf(err, errlen, "out of memory matching a %zu-byte string", len);
        return -1;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    regmatch_t pm[1];
    pm[0].rm_so = 0;
    pm[0].rm_eo = (regoff_t)len;
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    int rc = regexec(re, copy, 1, pm, REG_STARTEND);
    if (loc)
        uselocale(old);
    if (copy != small)
        free(copy);
    if (rc == 0)
        return 1;
    if (rc == REG_NOMATCH)
        return 0;
    char msg[128];
    regerror(rc, re, msg, sizeof msg);
    snprintf(err, errlen, "regexec failed: %s", msg);
    return -1;
}

locale_t jsre_utf8_locale(void)
{
    static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        locale_t l = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (l)
            return l;
    }
    return (locale_t)0;
}
