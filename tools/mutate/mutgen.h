/* mutgen — the mutants of SystemVerilog RTL, found on its tokens (svtok.h).
 *
 * Contract:
 *  - mutgen_sites() lists every place of one file where a mutation class
 *    applies, as a single contiguous edit (a byte range and its replacement):
 *    one operator, one operand, one condition or one ternary per mutant,
 *    never two places. Comments, strings, directives, declarations (types,
 *    packed and unpacked dimensions), parameter defaults (the knobs) and the
 *    arguments of system calls ($clog2, $display) are never mutated, nor is
 *    a "<=" at statement level (a non-blocking assignment).
 *  - mutgen_sample() picks at most n of the sites, deterministically from
 *    seed: classes take turns, and within a class the files take turns, so a
 *    small cap still covers every class and file that has sites.
 *  - mutgen_apply() returns the text with one site applied; mutgen_diff() the
 *    unified diff of the lines the site touches. Both malloc (NULL: no memory).
 */
#ifndef MUTATE_MUTGEN_H
#define MUTATE_MUTGEN_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    MUT_ARITH,       /* + <-> - */
    MUT_BITWISE,     /* & <-> |, ^ -> & (binary and reduction) */
    MUT_LOGICAL,     /* && <-> || */
    MUT_RELATIONAL,  /* == <-> !=, < <-> >=, > <-> <= */
    MUT_SHIFT,       /* << <-> >>, >>> -> >> */
    MUT_NEGATION,    /* a unary ! or ~ dropped */
    MUT_CONSTANT,    /* a literal's lowest bit flipped, '0 <-> '1 */
    MUT_BITINDEX,    /* x[N] -> x[N-1] (or +1), x[H:L] shifted by one */
    MUT_COND_INVERT, /* if (c) -> if (!(c)) */
    MUT_ENABLE_DROP, /* if (c) -> if (1'b1): the enable or stall test dropped */
    MUT_TERM_DROP,   /* a && b -> a (also ||, &, |): one term of a condition dropped */
    MUT_MUX_SWAP,    /* c ? a : b -> c ? b : a */
    MUT_NCLASS
} mut_class;

typedef struct {
    mut_class cls;
    size_t off, len; /* the replaced byte range of the file */
    char *repl;      /* its replacement */
    int line;        /* line of off, 1-based */
} mut_site;

typedef struct {
    mut_site *v;
    size_t n, cap;
} mut_sites;

/* Appends the sites of text to out. 0, or -1 when out of memory. */
int mutgen_sites(const char *text, size_t len, mut_sites *out);
void mutgen_sites_free(mut_sites *s);

/* "arith", "bitwise", ... (the names of the report). */
const char *mutgen_class_name(mut_class c);

/* One site of a multi-file sample: which file (an index the caller keeps)
 * and which site of it. */
typedef struct {
    int file;
    size_t site;
} mut_pick;

/* From nfiles files' site lists, at most n picks (n 0: all), into *picks
 * (malloc'd); returns how many, -1 when out of memory. */
int mutgen_sample(const mut_sites *files, int nfiles, int n, uint64_t seed, mut_pick **picks);

char *mutgen_apply(const char *text, size_t len, const mut_site *s);
/* "--- a/<path>\n+++ b/<path>\n@@ -L,n +L,m @@\n-old\n+new\n" */
char *mutgen_diff(const char *path, const char *text, size_t len, const mut_site *s);

#endif
