/* rvgen_dict.c — numeric literals of the RTL as operand values (rvgen_dict.h).
 *
 * A small lexer, not a parser: it only has to tell a literal from the digits
 * inside an identifier, a comment or a string, and it must not trust its
 * input (an agent writes the RTL).
 */
#include "rvgen/rvgen_dict.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dirlist.h"
#include "lib/fsx.h"

enum { DICT_MIN_VALUE = 32 };

typedef struct {
    const char *s;
    size_t i, len;
} dict_lex;

static int dict_peek(const dict_lex *x, size_t k) { return x->i + k < x->len ? (unsigned char)x->s[x->i + k] : -1; }

static void dict_add(uint32_t v, uint32_t *out, size_t *n, size_t max)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i] == v)
            return;
    if (*n < max)
        out[(*n)++] = v;
}

/* v and its neighbours: the trigger may be the value, its complement, its
 * negation, one off, or a narrow field compared in the top bits of a word. */
static void dict_add_literal(uint64_t v, unsigned width, uint32_t *out, size_t *n, size_t max)
{
    if (v < DICT_MIN_VALUE || v > UINT32_MAX)
        return;
    uint32_t w = (uint32_t)v;
    dict_add(w, out, n, max);
    if (width > 0 && width < 32)
        dict_add(w << (32 - width), out, n, max);
    dict_add(w + 1, out, n, max);
    dict_add(w - 1, out, n, max);
    dict_add(~w, out, n, max);
    dict_add(0u - w, out, n, max);
}

static int dict_digit(int c, unsigned base)
{
    int d = isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : 99;
    return d < (int)base ? d : -1;
}

/* Digits of base from x->i on ('_' separators allowed). *ok false when an
 * x/z/? digit or an overflow past 32 bits makes the value useless. */
static uint64_t dict_digits(dict_lex *x, unsigned base, bool *ok)
{
    uint64_t v = 0;
    *ok = true;
    for (int c; (c = dict_peek(x, 0)) >= 0; x->i++) {
        if (c == '_')
            continue;
        int d = dict_digit(c, base);
        if (d < 0) {
            if (c == 'x' || c == 'X' || c == 'z' || c == 'Z' || c == '?' || isalnum(c))
                *ok = false;
            else
                break;
            continue;
        }
        v = v * base + (unsigned)d;
        if (v > UINT32_MAX)
            *ok = false, v = 0;
    }
    return v;
}

static void dict_skip_space(dict_lex *x)
{
    while (dict_peek(x, 0) == ' ' || dict_peek(x, 0) == '\t')
        x->i++;
}

/* A based literal's tail after the apostrophe: [s]<base><digits>. */
static void dict_based(dict_lex *x, unsigned width, bool sized, uint32_t *out, size_t *n, size_t max)
{
    x->i++; /* the apostrophe */
    if (dict_peek(x, 0) == 's' || dict_peek(x, 0) == 'S')
        x->i++;
    int b = tolower(dict_peek(x, 0));
    unsigned base = b == 'h' ? 16 : b == 'd' ? 10 : b == 'o' ? 8 : b == 'b' ? 2 : 0;
    if (!base) /* '0, '1, 'x fills or a cast: no value of its own */
        return;
    x->i++;
    dict_skip_space(x);
    bool ok;
    uint64_t v = dict_digits(x, base, &ok);
    if (ok && (!sized || width > 0))
        dict_add_literal(v, sized ? width : 32, out, n, max);
}

static void dict_skip_comment_or_string(dict_lex *x)
{
    int c = dict_peek(x, 0), d = dict_peek(x, 1);
    if (c == '/' && d == '/') {
        while (x->i < x->len && x->s[x->i] != '\n')
            x->i++;
    } else if (c == '/' && d == '*') {
        x->i += 2;
        while (x->i < x->len && !(x->s[x->i] == '*' && dict_peek(x, 1) == '/'))
            x->i++;
        x->i += 2;
    } else { /* a string */
        for (x->i++; x->i < x->len && x->s[x->i] != '"' && x->s[x->i] != '\n'; x->i++)
            if (x->s[x->i] == '\\')
                x->i++;
        x->i++;
    }
}

void rvgen_dict_text(const char *text, size_t len, uint32_t *out, size_t *n, size_t max)
{
    dict_lex x = {.s = text, .i = 0, .len = len};
    while (x.i < x.len) {
        int c = dict_peek(&x, 0), d = dict_peek(&x, 1);
        if ((c == '/' && (d == '/' || d == '*')) || c == '"') {
            dict_skip_comment_or_string(&x);
        } else if (c == '\\') {
            /* an escaped identifier runs to the next white space */
            while (x.i < x.len && !isspace((unsigned char)x.s[x.i]))
                x.i++;
        } else if (isalpha(c) || c == '_' || c == '$' || c == '`') {
            /* an identifier, a system task or a macro: its digits are not literals */
            while (x.i < x.len && (isalnum((unsigned char)x.s[x.i]) || (x.s[x.i] && strchr("_$`", x.s[x.i]))))
                x.i++;
        } else if (isdigit(c)) {
            bool ok;
            uint64_t v = dict_digits(&x, 10, &ok);
            size_t after = x.i;
            dict_skip_space(&x);
            if (dict_peek(&x, 0) == '\'') {
                dict_based(&x, ok && v > 0 && v <= 32 ? (unsigned)v : 0, true, out, n, max);
            } else {
                x.i = after;
                if (ok)
                    dict_add_literal(v, 32, out, n, max);
            }
        } else if (c == '\'') {
            dict_based(&x, 0, false, out, n, max);
        } else {
            x.i++;
        }
    }
}

int rvgen_dict_scan(const char *dir, uint32_t *out, size_t max)
{
    static const char *const suffixes[] = {".sv", ".svh", ".v", NULL};
    char **names = NULL, *bad = NULL;
    int count = dirlist_files(dir, suffixes, &names, &bad);
    if (count < 0) {
        free(bad);
        if (count == -2)
            errno = EINVAL;
        return -1;
    }
    size_t n = 0;
    for (int f = 0; f < count; f++) {
        char *path = fsx_fmt("%s/%s", dir, names[f]);
        char *data = NULL, why[128];
        size_t len = 0;
        /* a file over the limit, a symlink or a FIFO adds nothing (the tree
         * check refuses such RTL before any gate runs) */
        if (path && fsx_read_untrusted(path, RVGEN_DICT_FILE_MAX, &data, &len, why, sizeof why) == 0)
            rvgen_dict_text(data, len, out, &n, max);
        free(data);
        free(path);
    }
    dirlist_free(names);
    return (int)n;
}
