/* rtlparam — reads and rewrites the one `parameter NAME = value` line of a
 * knob in a SystemVerilog file (DESIGN.md §2: core.yaml knobs name the file
 * and the parameter they set).
 *
 * Contract:
 *  - A declaration is the identifier NAME followed by '=' (not '==') in code
 *    (comments and string literals are ignored), on a line whose code has the
 *    keyword `parameter` before NAME, with only a type (int, logic [3:0], ...)
 *    or a ',' between the two. `localparam`, port connections `.NAME(x)` and
 *    uses `NAME == 1` are never declarations.
 *  - Exactly one declaration must exist: none, or two and more, is an error
 *    naming the lines, because editing an ambiguous knob would be a guess.
 *  - The value is the text after '=' up to ';', ',' or an unbalanced ')' (or
 *    the end of the line), trimmed. Decimal and based literals (8, 'd8, 4'b1000,
 *    16'h00ff, 1_000) read as integers, "..." as a string, anything else
 *    (an identifier, an expression) as its text.
 *  - Editing replaces only the value's bytes: comments, spacing, the
 *    terminator and every other line stay byte for byte, and the result is
 *    parsed again to prove the edit took.
 * Pure functions except rtlparam_edit_file (reads, writes atomically).
 */
#ifndef AGENTS_RTLPARAM_H
#define AGENTS_RTLPARAM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    size_t line;            /* 1-based */
    size_t vstart, vend;    /* byte offsets of the value text in the file */
} rtlparam_loc;

/* 0 and loc when NAME is declared exactly once; -1 with err otherwise.
 * `file` names the file in messages. */
int rtlparam_find(const char *text, const char *file, const char *name, rtlparam_loc *loc,
                  char *err, size_t n);

/* The value of the declaration as JSON (integer, real or string). NULL with err. */
json_t *rtlparam_get(const char *text, const char *file, const char *name, char *err, size_t n);

/* JSON value of a literal's text (see the contract). Never NULL unless out of memory. */
json_t *rtlparam_parse_value(const char *s, size_t len);

/* Renders v as SystemVerilog: integers in decimal, booleans 1/0, strings as
 * they are when they look like a token or literal, else quoted. `quoted`
 * forces a string literal (the old value was one). -1 when it does not fit or
 * v cannot be a parameter value. */
int rtlparam_render(const json_t *v, bool quoted, char *buf, size_t n);

/* Knob values compare by value: 1 == 1.0 == true, strings by bytes. */
bool rtlparam_value_eq(const json_t *a, const json_t *b);

/* One value as short text for messages ("1", "fast", "true"). */
void rtlparam_value_str(const json_t *v, char *buf, size_t n);

/* The text with NAME's value replaced by v (malloc'd), verified by parsing
 * it again. NULL with err. */
char *rtlparam_set(const char *text, const char *file, const char *name, const json_t *v,
                   char *err, size_t n);

/* rtlparam_set on a file, written atomically with its permission bits kept.
 * *old_out (may be NULL) gets the previous value. 0, or -1 with err. */
int rtlparam_edit_file(const char *path, const char *name, const json_t *v, json_t **old_out,
                       char *err, size_t n);

#endif
