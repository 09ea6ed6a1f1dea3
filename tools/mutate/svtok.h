/* svtok — a tokenizer of SystemVerilog source, enough to mutate expressions.
 *
 * Contract:
 *  - svtok_scan() splits text into tokens: identifiers and keywords, numbers
 *    (decimal, sized and unsized based literals such as 32'h0 and 4'b1x0z,
 *    unbased '0 '1 'x 'z, reals), strings (escapes included), system names
 *    ($clog2), compiler directives (`define and `ifdef lines whole, with
 *    their continuation lines; other `names as one token) and operators
 *    (longest match: "<<<" before "<<" before "<"). Comments (// and block),
 *    attributes (* ... *) and white space are never tokens: a mutation cannot
 *    touch them. A token is a byte range of the text plus its 1-based line.
 *  - Never fails on odd input: an unterminated string or comment runs to the
 *    end, an unknown byte is a one-byte operator. Returns 0, or -1 when out
 *    of memory. svtok_free releases the list.
 */
#ifndef MUTATE_SVTOK_H
#define MUTATE_SVTOK_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    SVT_IDENT,     /* identifier or keyword (svtok_is_keyword tells) */
    SVT_NUMBER,
    SVT_STRING,
    SVT_SYSNAME,   /* $name */
    SVT_DIRECTIVE, /* `name, or a whole `define/`ifdef... line */
    SVT_OP         /* operator or punctuation */
} svtok_kind;

typedef struct {
    svtok_kind kind;
    size_t off, len; /* byte range in the text */
    int line;        /* 1-based line of its first byte */
} svtok;

typedef struct {
    svtok *t;
    size_t n, cap;
} svtok_list;

int svtok_scan(const char *text, size_t len, svtok_list *out);
void svtok_free(svtok_list *l);

/* True when the token's text equals s. */
bool svtok_is(const char *text, const svtok *t, const char *s);
/* True for a reserved word of SystemVerilog (the subset RTL uses). */
bool svtok_is_keyword(const char *text, const svtok *t);

#endif
