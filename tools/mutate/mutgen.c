/* mutgen.c — see mutgen.h. */
#include "mutate/mutgen.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "lib/strbuf.h"
#include "mutate/svtok.h"

/* What the walk knows about each token. */
typedef struct {
    const char *text;
    const svtok *t;
    size_t n;
    long *match;  /* index of the matching bracket, or -1 */
    bool *skip;   /* in a declaration, a parameter default or a system call */
    bool *range;  /* inside a [..:..] part select */
    int *depth;   /* brackets open before the token */
    mut_sites *out;
} mutgen_walk;

static const char *const mutgen_names[MUT_NCLASS] = {
    "arith", "bitwise", "logical", "relational", "shift", "negation",
    "constant", "bitindex", "cond-invert", "enable-drop", "term-drop", "mux-swap"};

const char *mutgen_class_name(mut_class c)
{
    return c < MUT_NCLASS ? mutgen_names[c] : "?";
}

void mutgen_sites_free(mut_sites *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].repl);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* Takes repl (NULL: out of memory). */
static int mutgen_add(mutgen_walk *w, mut_class c, size_t off, size_t len, char *repl, int line)
{
    if (!repl)
        return -1;
    mut_sites *o = w->out;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        mut_site *v = realloc(o->v, cap * sizeof *v);
        if (!v) {
            free(repl);
            return -1;
        }
        o->v = v;
        o->cap = cap;
    }
    o->v[o->n++] = (mut_site){.cls = c, .off = off, .len = len, .repl = repl, .line = line};
    return 0;
}

static bool mutgen_is(const mutgen_walk *w, size_t i, const char *s)
{
    return i < w->n && svtok_is(w->text, &w->t[i], s);
}

/* The token ends an operand, so an operator after it is binary. */
static bool mutgen_operand_end(const mutgen_walk *w, size_t i)
{
    const svtok *t = &w->t[i];
    if (t->kind == SVT_NUMBER || t->kind == SVT_STRING)
        return true;
    if (t->kind == SVT_IDENT)
        return !svtok_is_keyword(w->text, t);
    return mutgen_is(w, i, ")") || mutgen_is(w, i, "]") || mutgen_is(w, i, "}");
}

static bool mutgen_opener(const mutgen_walk *w, size_t i)
{
    return mutgen_is(w, i, "(") || mutgen_is(w, i, "[") || mutgen_is(w, i, "{");
}

static bool mutgen_closer(const mutgen_walk *w, size_t i)
{
    return mutgen_is(w, i, ")") || mutgen_is(w, i, "]") || mutgen_is(w, i, "}");
}

/* Matching brackets and depths; unbalanced ones match -1. */
static int mutgen_brackets(mutgen_walk *w)
{
    size_t *stack = malloc((w->n + 1) * sizeof *stack);
    if (!stack)
        return -1;
    size_t sp = 0;
    for (size_t i = 0; i < w->n; i++) {
        w->match[i] = -1;
        w->depth[i] = (int)sp;
        if (mutgen_opener(w, i)) {
            stack[sp++] = i;
        } else if (mutgen_closer(w, i) && sp > 0) {
            size_t o = stack[--sp];
            w->match[o] = (long)i;
            w->match[i] = (long)o;
            w->depth[i] = (int)sp;
        }
    }
    free(stack);
    return 0;
}

static bool mutgen_decl_keyword(const mutgen_walk *w, size_t i)
{
    static const char *const kw[] = {"input", "output", "inout", "logic", "wire", "reg", "bit", "int",
                                     "integer", "genvar", "parameter", "localparam", "typedef", "byte",
                                     "shortint", "longint", "var", NULL};
    for (int k = 0; kw[k]; k++)
        if (mutgen_is(w, i, kw[k]))
            return true;
    return false;
}

/* Marks the tokens no mutation may touch, and those inside a part select. */
static void mutgen_mark(mutgen_walk *w)
{
    int decl = -1, param = -1; /* depth where the declaration / parameter began, -1: none */
    long sys_end = -1; /* the last token of a system call's arguments */
    for (size_t i = 0; i < w->n; i++) {
        int d = w->depth[i];
        if (decl >= 0 && d < decl)
            decl = -1;
        if (param >= 0 && d < param)
            param = -1;
        if (mutgen_is(w, i, ";"))
            decl = param = -1;
        if (decl >= 0 && d == decl && mutgen_is(w, i, "="))
            decl = -1;
        if (mutgen_decl_keyword(w, i))
            decl = d;
        if (mutgen_is(w, i, "parameter"))
            param = d;
        if (w->t[i].kind == SVT_SYSNAME && mutgen_is(w, i + 1, "(") && w->match[i + 1] > 0)
            sys_end = w->match[i + 1];
        w->skip[i] = decl >= 0 || param >= 0 || (long)i <= sys_end || w->t[i].kind == SVT_DIRECTIVE;
        if (mutgen_is(w, i, "[") && w->match[i] > 0)
            for (size_t k = i + 1; k < (size_t)w->match[i]; k++)
                if (w->depth[k] == d + 1 && (mutgen_is(w, k, ":") || mutgen_is(w, k, "+:") || mutgen_is(w, k, "-:")))
                    for (size_t m = i + 1; m < (size_t)w->match[i]; m++)
                        w->range[m] = true;
    }
}

static char *mutgen_dup(const char *s)
{
    return fsx_fmt("%s", s);
}

/* Operator swaps: the operator token i, when binary (or a reduction). */
static int mutgen_op(mutgen_walk *w, size_t i)
{
    static const struct {
        const char *from, *to;
        mut_class cls;
        bool binary_only;
    } swaps[] = {
        {"+", "-", MUT_ARITH, true},       {"-", "+", MUT_ARITH, true},
        {"&", "|", MUT_BITWISE, false},    {"|", "&", MUT_BITWISE, false},
        {"^", "&", MUT_BITWISE, false},    {"&&", "||", MUT_LOGICAL, true},
        {"||", "&&", MUT_LOGICAL, true},   {"==", "!=", MUT_RELATIONAL, true},
        {"!=", "==", MUT_RELATIONAL, true}, {"===", "!==", MUT_RELATIONAL, true},
        {"!==", "===", MUT_RELATIONAL, true}, {"<", ">=", MUT_RELATIONAL, true},
        {">=", "<", MUT_RELATIONAL, true}, {">", "<=", MUT_RELATIONAL, true},
        {"<=", ">", MUT_RELATIONAL, true}, {"<<", ">>", MUT_SHIFT, true},
        {">>", "<<", MUT_SHIFT, true},     {">>>", ">>", MUT_SHIFT, true},
        {"<<<", "<<", MUT_SHIFT, true},
    };
    bool binary = i > 0 && mutgen_operand_end(w, i - 1);
    for (size_t k = 0; k < sizeof swaps / sizeof swaps[0]; k++) {
        if (!mutgen_is(w, i, swaps[k].from) || (swaps[k].binary_only && !binary))
            continue;
        /* "<=" outside any bracket is a non-blocking assignment */
        if (strcmp(swaps[k].from, "<=") == 0 && w->depth[i] == 0)
            return 0;
        if (swaps[k].cls == MUT_ARITH && w->range[i])
            return 0; /* would change a part select's width: never compiles clean */
        return mutgen_add(w, swaps[k].cls, w->t[i].off, w->t[i].len, mutgen_dup(swaps[k].to), w->t[i].line);
    }
    if ((mutgen_is(w, i, "!") || mutgen_is(w, i, "~")) && !binary)
        return mutgen_add(w, MUT_NEGATION, w->t[i].off, w->t[i].len, mutgen_dup(""), w->t[i].line);
    return 0;
}

/* The literal with its lowest bit flipped ('0 <-> '1); NULL when it has
 * none to flip (x, z, a real) -- *skip then says so. */
static char *mutgen_flip_literal(const char *s, size_t len, bool *skip)
{
    *skip = true;
    char buf[80];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (strcmp(buf, "'0") == 0 || strcmp(buf, "'1") == 0) {
        *skip = false;
        return mutgen_dup(buf[1] == '0' ? "'1" : "'0");
    }
    if (strpbrk(buf, "xXzZ?.eE") && !strpbrk(buf, "'"))
        return NULL; /* a real */
    char *tick = strchr(buf, '\'');
    char *digits = tick ? tick + 1 + (tick[1] == 's' || tick[1] == 'S' ? 1 : 0) + 1 : buf;
    if (tick && strpbrk(digits, "xXzZ?"))
        return NULL;
    char *last = buf + len - 1;
    while (last > digits && *last == '_')
        last--;
    if (last < digits || !strchr("0123456789abcdefABCDEF", *last))
        return NULL;
    char base = tick ? digits[-1] : 'd';
    if ((base == 'd' || base == 'D') && !tick) {
        unsigned long long v = strtoull(buf, NULL, 10);
        *skip = false;
        return fsx_fmt("%llu", v ^ 1ULL);
    }
    /* every base is a power of two or ten; flipping bit 0 of the last digit
     * flips bit 0 of the value and keeps it in range (9 -> 8, 8 -> 9) */
    int v = *last <= '9' ? *last - '0' : (*last | 0x20) - 'a' + 10;
    v ^= 1;
    *last = (char)(v < 10 ? '0' + v : 'a' + v - 10);
    *skip = false;
    return mutgen_dup(buf);
}

static int mutgen_constant(mutgen_walk *w, size_t i)
{
    if (w->range[i] || mutgen_is(w, i + 1, "{"))
        return 0; /* a part-select bound or a replication count: a width change */
    if (i > 0 && mutgen_is(w, i - 1, "[") && mutgen_is(w, i + 1, "]"))
        return 0; /* a bit index: its own class */
    bool skip;
    char *r = mutgen_flip_literal(w->text + w->t[i].off, w->t[i].len, &skip);
    if (skip)
        return 0;
    return mutgen_add(w, MUT_CONSTANT, w->t[i].off, w->t[i].len, r, w->t[i].line);
}

/* A plain decimal token's value, or -1. */
static long mutgen_decimal(const mutgen_walk *w, size_t i)
{
    if (i >= w->n || w->t[i].kind != SVT_NUMBER || w->t[i].len > 9)
        return -1;
    long v = 0;
    for (size_t k = 0; k < w->t[i].len; k++) {
        char c = w->text[w->t[i].off + k];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

/* x[N] and x[H:L] after an operand: the index moved by one. */
static int mutgen_bitindex(mutgen_walk *w, size_t i)
{
    if (i == 0 || !mutgen_operand_end(w, i - 1) || w->match[i] < 0)
        return 0;
    size_t close = (size_t)w->match[i];
    long a = mutgen_decimal(w, i + 1);
    if (a < 0)
        return 0;
    if (close == i + 2) {
        long v = a > 0 ? a - 1 : a + 1;
        return mutgen_add(w, MUT_BITINDEX, w->t[i + 1].off, w->t[i + 1].len, fsx_fmt("%ld", v), w->t[i + 1].line);
    }
    long b = mutgen_decimal(w, i + 3);
    if (close != i + 4 || !mutgen_is(w, i + 2, ":") || b < 0)
        return 0;
    long step = b > 0 ? -1 : 1;
    size_t off = w->t[i + 1].off, end = w->t[i + 3].off + w->t[i + 3].len;
    return mutgen_add(w, MUT_BITINDEX, off, end - off, fsx_fmt("%ld:%ld", a + step, b + step), w->t[i].line);
}

/* if (c): the condition inverted, and replaced by 1'b1. */
static int mutgen_if(mutgen_walk *w, size_t i)
{
    if (!mutgen_is(w, i + 1, "(") || w->match[i + 1] < 0 || (size_t)w->match[i + 1] < i + 3)
        return 0;
    const svtok *first = &w->t[i + 2], *last = &w->t[w->match[i + 1] - 1];
    size_t off = first->off, len = last->off + last->len - off;
    if (mutgen_add(w, MUT_COND_INVERT, off, len, fsx_fmt("!(%.*s)", (int)len, w->text + off), first->line) != 0)
        return -1;
    return mutgen_add(w, MUT_ENABLE_DROP, off, len, mutgen_dup("1'b1"), first->line);
}

/* End (exclusive token index) of the primary starting at i: unary ! ~,
 * then a bracketed group, a number, or a name with its selects. 0: none. */
static size_t mutgen_primary_end(const mutgen_walk *w, size_t i)
{
    while (mutgen_is(w, i, "!") || mutgen_is(w, i, "~"))
        i++;
    if (i >= w->n)
        return 0;
    if (mutgen_is(w, i, "(") || mutgen_is(w, i, "{"))
        return w->match[i] > 0 ? (size_t)w->match[i] + 1 : 0;
    if (w->t[i].kind == SVT_NUMBER)
        return i + 1;
    if (w->t[i].kind != SVT_IDENT || svtok_is_keyword(w->text, &w->t[i]))
        return 0;
    i++;
    for (;;) {
        if ((mutgen_is(w, i, "[") || mutgen_is(w, i, "(")) && w->match[i] > 0)
            i = (size_t)w->match[i] + 1;
        else if (mutgen_is(w, i, ".") && i + 1 < w->n && w->t[i + 1].kind == SVT_IDENT)
            i += 2;
        else
            return i;
    }
}

/* a OP b -> a, when b is a primary and what follows binds no tighter than OP. */
static int mutgen_term_drop(mutgen_walk *w, size_t i)
{
    static const struct {
        const char *op;
        const char *after; /* operators that may follow the dropped term */
    } ops[] = {{"&", " & | ^ && || ? "}, {"|", " | && || ? "}, {"&&", " && || ? "}, {"||", " || ? "}};
    if (i == 0 || !mutgen_operand_end(w, i - 1))
        return 0;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        if (!mutgen_is(w, i, ops[k].op))
            continue;
        size_t end = mutgen_primary_end(w, i + 1);
        if (end == 0 || end >= w->n)
            return 0;
        char next[8];
        snprintf(next, sizeof next, " %.*s ", (int)(w->t[end].len < 4 ? w->t[end].len : 4), w->text + w->t[end].off);
        bool ends = mutgen_closer(w, end) || mutgen_is(w, end, ";") || mutgen_is(w, end, ",") || mutgen_is(w, end, ":");
        if (!ends && !strstr(ops[k].after, next))
            return 0;
        size_t off = w->t[i].off, stop = w->t[end - 1].off + w->t[end - 1].len;
        return mutgen_add(w, MUT_TERM_DROP, off, stop - off, mutgen_dup(""), w->t[i].line);
    }
    return 0;
}

/* The ':' of the ternary whose '?' is i, and the end of its else arm
 * (exclusive token index); false when the structure is not plain. */
static bool mutgen_ternary(const mutgen_walk *w, size_t i, size_t *colon, size_t *end)
{
    int nest = 0;
    size_t k = i + 1;
    for (; k < w->n; k++) {
        if (mutgen_opener(w, k) && w->match[k] > 0)
            k = (size_t)w->match[k];
        else if (mutgen_closer(w, k) || mutgen_is(w, k, ";"))
            return false;
        else if (mutgen_is(w, k, "?"))
            nest++;
        else if (mutgen_is(w, k, ":") && nest-- == 0)
            break;
    }
    if (k >= w->n || k == i + 1)
        return false;
    *colon = k;
    nest = 0;
    for (k++; k < w->n; k++) {
        if (mutgen_opener(w, k) && w->match[k] > 0)
            k = (size_t)w->match[k];
        else if (mutgen_closer(w, k) || mutgen_is(w, k, ";") || mutgen_is(w, k, ",") || svtok_is_keyword(w->text, &w->t[k]))
            break;
        else if (mutgen_is(w, k, "?"))
            nest++;
        else if (mutgen_is(w, k, ":") && nest-- == 0)
            break;
    }
    *end = k;
    return k > *colon + 1;
}

/* c ? a : b -> c ? b : a, as one edit from a's start to b's end. */
static int mutgen_mux(mutgen_walk *w, size_t i)
{
    size_t colon, end;
    if (!mutgen_ternary(w, i, &colon, &end))
        return 0;
    const char *s = w->text;
    size_t a0 = w->t[i + 1].off, a1 = w->t[colon - 1].off + w->t[colon - 1].len;
    size_t b0 = w->t[colon + 1].off, b1 = w->t[end - 1].off + w->t[end - 1].len;
    char *r = fsx_fmt("%.*s%.*s%.*s", (int)(b1 - b0), s + b0, (int)(b0 - a1), s + a1, (int)(a1 - a0), s + a0);
    return mutgen_add(w, MUT_MUX_SWAP, a0, b1 - a0, r, w->t[i + 1].line);
}

static int mutgen_token(mutgen_walk *w, size_t i)
{
    const svtok *t = &w->t[i];
    if (t->kind == SVT_NUMBER)
        return mutgen_constant(w, i);
    if (mutgen_is(w, i, "if"))
        return mutgen_if(w, i);
    if (t->kind != SVT_OP)
        return 0;
    if (mutgen_is(w, i, "[") && mutgen_bitindex(w, i) != 0)
        return -1;
    if (mutgen_is(w, i, "?"))
        return mutgen_mux(w, i);
    if (mutgen_op(w, i) != 0)
        return -1;
    return mutgen_term_drop(w, i);
}

int mutgen_sites(const char *text, size_t len, mut_sites *out)
{
    svtok_list toks;
    if (svtok_scan(text, len, &toks) != 0)
        return -1;
    mutgen_walk w = {.text = text, .t = toks.t, .n = toks.n, .out = out};
    size_t n = toks.n + 1;
    w.match = calloc(n, sizeof *w.match);
    w.skip = calloc(n, sizeof *w.skip);
    w.range = calloc(n, sizeof *w.range);
    w.depth = calloc(n, sizeof *w.depth);
    int rc = w.match && w.skip && w.range && w.depth ? mutgen_brackets(&w) : -1;
    if (rc == 0)
        mutgen_mark(&w);
    for (size_t i = 0; rc == 0 && i < w.n; i++)
        if (!w.skip[i])
            rc = mutgen_token(&w, i);
    free(w.match);
    free(w.skip);
    free(w.range);
    free(w.depth);
    svtok_free(&toks);
    return rc;
}

/* splitmix64: a small, well-mixed generator that is the same everywhere. */
static uint64_t mutgen_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void mutgen_shuffle(mut_pick *p, size_t n, uint64_t *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(mutgen_rand(rng) % i);
        mut_pick t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
}

/* Reorders a class's shuffled picks so that the files take turns. */
static void mutgen_interleave(mut_pick *p, size_t n, int nfiles, mut_pick *tmp)
{
    size_t k = 0;
    bool *used = calloc(n ? n : 1, sizeof *used);
    if (!used)
        return; /* still a valid (shuffled) order */
    while (k < n) {
        for (int f = 0; f < nfiles; f++)
            for (size_t i = 0; i < n; i++)
                if (!used[i] && p[i].file == f) {
                    used[i] = true;
                    tmp[k++] = p[i];
                    break;
                }
    }
    memcpy(p, tmp, n * sizeof *p);
    free(used);
}

int mutgen_sample(const mut_sites *files, int nfiles, int n, uint64_t seed, mut_pick **picks)
{
    size_t total = 0;
    for (int f = 0; f < nfiles; f++)
        total += files[f].n;
    mut_pick *all = malloc((total + 1) * sizeof *all), *tmp = malloc((total + 1) * sizeof *tmp);
    size_t start[MUT_NCLASS + 1] = {0}, fill[MUT_NCLASS] = {0};
    *picks = malloc((total + 1) * sizeof **picks);
    if (!all || !tmp || !*picks) {
        free(all);
        free(tmp);
        free(*picks);
        *picks = NULL;
        return -1;
    }
    for (int f = 0; f < nfiles; f++) /* bucket by class, in file and site order */
        for (size_t i = 0; i < files[f].n; i++)
            start[files[f].v[i].cls + 1]++;
    for (int c = 0; c < MUT_NCLASS; c++)
        start[c + 1] += start[c];
    for (int f = 0; f < nfiles; f++)
        for (size_t i = 0; i < files[f].n; i++) {
            mut_class c = files[f].v[i].cls;
            all[start[c] + fill[c]++] = (mut_pick){.file = f, .site = i};
        }
    uint64_t rng = seed;
    for (int c = 0; c < MUT_NCLASS; c++) {
        mutgen_shuffle(all + start[c], fill[c], &rng);
        mutgen_interleave(all + start[c], fill[c], nfiles, tmp);
    }
    size_t want = n > 0 && (size_t)n < total ? (size_t)n : total, got = 0, taken[MUT_NCLASS] = {0};
    while (got < want)
        for (int c = 0; c < MUT_NCLASS && got < want; c++)
            if (taken[c] < fill[c])
                (*picks)[got++] = all[start[c] + taken[c]++];
    free(all);
    free(tmp);
    return (int)got;
}

char *mutgen_apply(const char *text, size_t len, const mut_site *s)
{
    if (s->off + s->len > len)
        return NULL;
    return fsx_fmt("%.*s%s%s", (int)s->off, text, s->repl, text + s->off + s->len);
}

char *mutgen_diff(const char *path, const char *text, size_t len, const mut_site *s)
{
    if (s->off + s->len > len)
        return NULL;
    size_t a = s->off, b = s->off + s->len;
    while (a > 0 && text[a - 1] != '\n')
        a--;
    while (b < len && text[b] != '\n')
        b++;
    char *mutated = fsx_fmt("%.*s%s%.*s", (int)(s->off - a), text + a, s->repl,
                            (int)(b - s->off - s->len), text + s->off + s->len);
    if (!mutated)
        return NULL;
    strbuf out = {0};
    int nold = 1, nnew = 1;
    for (size_t k = a; k < b; k++)
        nold += text[k] == '\n';
    for (const char *p = mutated; *p; p++)
        nnew += *p == '\n';
    strbuf_addf(&out, "--- a/%s\n+++ b/%s\n@@ -%d,%d +%d,%d @@\n", path, path, s->line, nold, s->line, nnew);
    const char *parts[2] = {NULL, mutated};
    char *old = fsx_fmt("%.*s", (int)(b - a), text + a);
    parts[0] = old;
    for (int k = 0; k < 2 && old; k++) {
        const char *p = parts[k];
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t l = nl ? (size_t)(nl - p) : strlen(p);
            strbuf_addf(&out, "%c%.*s\n", k ? '+' : '-', (int)l, p);
            p += l + (nl ? 1 : 0);
        }
        if (!*parts[k])
            strbuf_addf(&out, "%c\n", k ? '+' : '-');
    }
    free(old);
    free(mutated);
    return strbuf_take(&out);
}
