/* svtok.c — see svtok.h. */
#include "mutate/svtok.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, i;
    int line;
} svtok_cursor;

static int svtok_push(svtok_list *l, svtok_kind kind, size_t off, size_t len, int line)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        svtok *t = realloc(l->t, cap * sizeof *t);
        if (!t)
            return -1;
        l->t = t;
        l->cap = cap;
    }
    l->t[l->n++] = (svtok){.kind = kind, .off = off, .len = len, .line = line};
    return 0;
}

static char svtok_at(const svtok_cursor *c, size_t k)
{
    return c->i + k < c->len ? c->s[c->i + k] : '\0';
}

/* Moves one byte, counting lines. */
static void svtok_step(svtok_cursor *c)
{
    if (c->s[c->i] == '\n')
        c->line++;
    c->i++;
}

/* Skips white space, comments and attributes; true when it skipped any. */
static bool svtok_skip_trivia(svtok_cursor *c, bool after_at)
{
    char a = svtok_at(c, 0), b = svtok_at(c, 1);
    if (isspace((unsigned char)a)) {
        svtok_step(c);
        return true;
    }
    if (a == '/' && b == '/') {
        while (c->i < c->len && c->s[c->i] != '\n')
            c->i++;
        return true;
    }
    const char *close = a == '/' && b == '*' ? "*/" : NULL;
    /* (* attr *), but not the (*) of @(*) nor "(*)" */
    if (!close && a == '(' && b == '*' && svtok_at(c, 2) != ')' && !after_at)
        close = "*)";
    if (!close)
        return false;
    c->i += 2;
    while (c->i < c->len && !(c->s[c->i] == close[0] && svtok_at(c, 1) == close[1]))
        svtok_step(c);
    c->i = c->i + 2 > c->len ? c->len : c->i + 2;
    return true;
}

static bool svtok_ident_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '$';
}

/* The digits of a based literal after its base letter (hex digits, x z ? _). */
static void svtok_based_digits(svtok_cursor *c)
{
    while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
        c->i++;
    while (c->i < c->len && (isxdigit((unsigned char)c->s[c->i]) || strchr("xXzZ?_", c->s[c->i])))
        c->i++;
}

/* After a '\'': s? and a base letter, or one of 0 1 x z; true when it was a number. */
static bool svtok_tick_number(svtok_cursor *c)
{
    size_t k = 1;
    if (svtok_at(c, k) == 's' || svtok_at(c, k) == 'S')
        k++;
    if (strchr("bBoOdDhH", svtok_at(c, k)) && svtok_at(c, k) != '\0') {
        c->i += k + 1;
        svtok_based_digits(c);
        return true;
    }
    char u = svtok_at(c, 1);
    if (u != '\0' && strchr("01xXzZ", u) && !svtok_ident_char(svtok_at(c, 2))) {
        c->i += 2;
        return true;
    }
    return false;
}

/* A number starting with a digit: decimal, real, or the size of a based literal. */
static void svtok_number(svtok_cursor *c)
{
    while (c->i < c->len && (isdigit((unsigned char)c->s[c->i]) || c->s[c->i] == '_'))
        c->i++;
    if (svtok_at(c, 0) == '.' && isdigit((unsigned char)svtok_at(c, 1))) {
        c->i++;
        while (c->i < c->len && isdigit((unsigned char)c->s[c->i]))
            c->i++;
    }
    if ((svtok_at(c, 0) == 'e' || svtok_at(c, 0) == 'E') &&
        (isdigit((unsigned char)svtok_at(c, 1)) || strchr("+-", svtok_at(c, 1)))) {
        c->i += 2;
        while (c->i < c->len && isdigit((unsigned char)c->s[c->i]))
            c->i++;
        return;
    }
    size_t save = c->i;
    while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
        c->i++;
    if (!(svtok_at(c, 0) == '\'' && svtok_tick_number(c)))
        c->i = save;
}

static void svtok_string(svtok_cursor *c)
{
    c->i++;
    while (c->i < c->len && c->s[c->i] != '"' && c->s[c->i] != '\n')
        c->i += c->s[c->i] == '\\' && c->i + 1 < c->len ? 2 : 1;
    if (c->i < c->len && c->s[c->i] == '"')
        c->i++;
}

/* `define and the conditional directives take their whole line (with
 * backslash continuations): their bodies are not code to mutate. */
static void svtok_directive(svtok_cursor *c)
{
    static const char *const whole[] = {"define", "ifdef", "ifndef", "elsif", "undef", "include", "timescale", NULL};
    size_t start = ++c->i;
    while (c->i < c->len && svtok_ident_char(c->s[c->i]))
        c->i++;
    size_t n = c->i - start;
    for (int k = 0; whole[k]; k++) {
        if (strlen(whole[k]) == n && strncmp(c->s + start, whole[k], n) == 0) {
            while (c->i < c->len && c->s[c->i] != '\n') {
                if (c->s[c->i] == '\\' && svtok_at(c, 1) == '\n')
                    svtok_step(c);
                c->i++;
            }
            return;
        }
    }
}

/* Longest operator at the cursor. */
static size_t svtok_op_len(const svtok_cursor *c)
{
    static const char *const ops[] = {
        "<<<=", ">>>=", "<<<", ">>>", "===", "!==", "==?", "!=?", "<<=", ">>=", "|->", "|=>", "<->", "->>",
        "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "**", "~&", "~|", "~^", "^~", "+=", "-=", "*=",
        "/=", "%=", "&=", "|=", "^=", "++", "--", "->", "::", "+:", "-:", "##", NULL};
    for (int k = 0; ops[k]; k++) {
        size_t n = strlen(ops[k]);
        if (c->i + n <= c->len && strncmp(c->s + c->i, ops[k], n) == 0)
            return n;
    }
    return 1;
}

/* One token at the cursor (trivia already skipped). */
static svtok_kind svtok_one(svtok_cursor *c)
{
    char a = c->s[c->i];
    if (isalpha((unsigned char)a) || a == '_') {
        while (c->i < c->len && svtok_ident_char(c->s[c->i]))
            c->i++;
        return SVT_IDENT;
    }
    if (a == '\\') { /* escaped identifier: up to white space */
        while (c->i < c->len && !isspace((unsigned char)c->s[c->i]))
            c->i++;
        return SVT_IDENT;
    }
    if (a == '$' && svtok_ident_char(svtok_at(c, 1))) {
        c->i++;
        while (c->i < c->len && svtok_ident_char(c->s[c->i]))
            c->i++;
        return SVT_SYSNAME;
    }
    if (isdigit((unsigned char)a)) {
        svtok_number(c);
        return SVT_NUMBER;
    }
    if (a == '\'' && svtok_tick_number(c))
        return SVT_NUMBER;
    if (a == '"') {
        svtok_string(c);
        return SVT_STRING;
    }
    if (a == '`') {
        svtok_directive(c);
        return SVT_DIRECTIVE;
    }
    c->i += svtok_op_len(c);
    return SVT_OP;
}

int svtok_scan(const char *text, size_t len, svtok_list *out)
{
    memset(out, 0, sizeof *out);
    svtok_cursor c = {.s = text, .len = len, .line = 1};
    while (c.i < c.len) {
        bool after_at = out->n > 0 && svtok_is(text, &out->t[out->n - 1], "@");
        if (svtok_skip_trivia(&c, after_at))
            continue;
        size_t off = c.i;
        int line = c.line;
        svtok_kind k = svtok_one(&c);
        for (size_t j = off; j < c.i; j++) /* lines inside the token (directive continuations) */
            if (text[j] == '\n')
                c.line++;
        if (svtok_push(out, k, off, c.i - off, line) != 0) {
            svtok_free(out);
            return -1;
        }
    }
    return 0;
}

void svtok_free(svtok_list *l)
{
    free(l->t);
    memset(l, 0, sizeof *l);
}

bool svtok_is(const char *text, const svtok *t, const char *s)
{
    return strlen(s) == t->len && strncmp(text + t->off, s, t->len) == 0;
}

bool svtok_is_keyword(const char *text, const svtok *t)
{
    static const char *const kw[] = {
        "module", "endmodule", "input", "output", "inout", "logic", "wire", "reg", "bit", "int", "integer",
        "genvar", "parameter", "localparam", "typedef", "enum", "struct", "packed", "signed", "unsigned",
        "assign", "always", "always_ff", "always_comb", "always_latch", "initial", "begin", "end", "if",
        "else", "case", "casez", "casex", "endcase", "default", "for", "generate", "endgenerate", "function",
        "endfunction", "return", "posedge", "negedge", "or", "and", "not", "package", "endpackage", "import",
        "automatic", "unique", "priority", "var", "byte", "shortint", "longint", "while", "do", "assert",
        "assume", "cover", "property", "task", "endtask", "void", "inside", NULL};
    if (t->kind != SVT_IDENT)
        return false;
    for (int k = 0; kw[k]; k++)
        if (svtok_is(text, t, kw[k]))
            return true;
    return false;
}
