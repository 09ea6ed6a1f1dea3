/* safetext — text an agent wrote, checked before it is stored and escaped
 * before it is printed.
 *
 * An agent controls its hypothesis (title, prose, knob values) and, through
 * the files it writes, much of what gates and the loop report. Printed raw, an
 * ESC sequence can clear the screen or paint a fake "ALL GATES PASSED"; stored
 * raw, it ends up in a commit subject and in every later `git log`.
 *
 * Contract:
 *  - A control character is a C0 byte (0x00-0x1f), DEL (0x7f) or a C1 code
 *    point (U+0080-U+009F, which some terminals take as 8-bit CSI).
 *  - safetext_check(): 0 when s[0..len) is valid UTF-8 without control
 *    characters; multi-line text may also hold '\n' and '\t'. Otherwise -1
 *    and `why` says what and at which byte (the offending byte escaped).
 *  - safetext_check_json(): the same over every string (and object key) of a
 *    JSON value; strings under a key listed in `multi_line` are multi-line.
 *    `why` starts with the field's path ("title", "changes[0].description").
 *  - safetext_escape(): a printable copy (malloc'd, NULL when out of memory):
 *    valid UTF-8 printable text unchanged, '\t' kept, '\n' kept when
 *    keep_newlines and written as the two characters "\n" otherwise, every
 *    other control character and every byte of invalid UTF-8 as "\xNN". The
 *    output never holds a control character besides '\t' and that '\n'.
 */
#ifndef LIB_SAFETEXT_H
#define LIB_SAFETEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

int safetext_check(const char *s, size_t len, bool multi_line, char *why, size_t n);
int safetext_check_json(const json_t *v, const char *const *multi_line, char *why, size_t n);
char *safetext_escape(const char *s, size_t len, bool keep_newlines);

#endif
