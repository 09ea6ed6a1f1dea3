/* jsre — JSON-Schema "pattern" regular expressions on POSIX regex.
 *
 * Contract: JSON Schema patterns are ECMA-262 regular expressions; this module
 * translates the subset below to a POSIX extended regular expression, compiles
 * it with regcomp(REG_EXTENDED | REG_NOSUB) under a UTF-8 LC_CTYPE (so "." and
 * bracket expressions match whole code points), and matches unanchored, like
 * ECMA-262 `test()`. Patterns outside the subset are refused with a message
 * saying which construct is unsupported: never silently approximated.
 *
 * Supported: literals (any UTF-8), ".", "^", "$", "|", groups "(...)" and
 * "(?:...)", quantifiers "* + ? {n} {n,} {n,m}" and their lazy forms (laziness
 * cannot change whether a match exists), "{" that does not start a quantifier
 * as a literal, bracket classes "[...]"/"[^...]" with ranges and escapes,
 * \d \D \w \W \s \S (ASCII meanings; \s is [[:space:]]), \t \n \r \f \v,
 * \xHH, \uHHHH (not surrogates), and "\" before any ASCII punctuation.
 * Refused: lookaround "(?=" "(?!" "(?<", back-references, \b \B, \p{..}, \c,
 * \0, \D \W \S inside a class, "[]" and "[^]", ranges whose endpoints are
 * non-ASCII (glibc rejects them in C.UTF-8) or one of "[ ] ^ -".
 * Known deviation: "." also matches a line feed (POSIX has no flag for
 * "dot excludes newline" without also making ^/$ line anchors).
 */
#ifndef SCHEMA_JSRE_H
#define SCHEMA_JSRE_H

#include <locale.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* Translates an ECMA-262 pattern to POSIX ERE (malloc'd) or returns NULL with
 * err set ("unsupported ..." / "out of memory"). */
char *jsre_translate(const char *pattern, char *err, size_t errlen);

/* Translates and compiles; 0 ok, -1 with err. loc: a UTF-8 LC_CTYPE locale to
 * compile under ((locale_t)0 = the thread's current locale). Free with regfree. */
int jsre_compile(regex_t *re, const char *pattern, locale_t loc, char *err, size_t errlen);

/* 1 when re matches somewhere in s[0..len) (embedded NULs allowed; s need not be
 * NUL-terminated: the bytes are matched from a terminated copy), 0 when not,
 * -1 on a regexec failure (err set). Use the same loc as for jsre_compile. */
int jsre_match(const regex_t *re, const char *s, size_t len, locale_t loc, char *err,
               size_t errlen);

/* A UTF-8 LC_CTYPE locale (C.UTF-8, else en_US.UTF-8), or (locale_t)0 when
 * none is installed (then matching is byte-wise). Free with freelocale. */
locale_t jsre_utf8_locale(void);

#endif
