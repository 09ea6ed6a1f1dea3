/* yamljson — YAML (libyaml) to and from jansson values, for core.yaml and
 * agents' hypothesis files (untrusted input).
 *
 * Contract of the loaders:
 *  - One document per input (a second "---" document is an error); an empty
 *    input or one holding only comments is JSON null.
 *  - Mappings become objects (duplicate keys are an error; keys must be
 *    scalars and are taken verbatim as strings), sequences become arrays.
 *  - Plain scalars (YAML 1.2 core schema, decimal only): "", "~", null/Null/NULL
 *    -> null; true/True/TRUE/false/False/FALSE -> booleans; [-+]?[0-9]+ ->
 *    integer (out of range is an error); decimals and exponents such as 1.5,
 *    .5, 2., 1e3, -2.5E-3 -> real (so "2" is an integer and "2.0" a real);
 *    everything else (yes/no/on/off, 0x1F, .inf, dates, ...) -> string.
 *    Quoted and block (| >) scalars are always strings; the tag !!str (or "!")
 *    forces a string; any other explicit tag is an error.
 *  - Anchors and aliases are refused (untrusted input: no "billion laughs"),
 *    as is nesting deeper than 256 levels.
 *  - Errors read "<name>:<line>:<column>: <what is wrong>" (1-based).
 * yamljson_dump writes block-style YAML that these loaders read back to an
 * equal value; yamljson_set_current rewrites one block of a core.yaml.
 */
#ifndef YAMLJSON_YAMLJSON_H
#define YAMLJSON_YAMLJSON_H

#include <jansson.h>
#include <stddef.h>

/* Parses a YAML file. NULL with err on failure (unreadable file included). */
json_t *yamljson_load_file(const char *path, char *err, size_t errlen);

/* Parses text[0..len); name is used in error messages (e.g. the file name). */
json_t *yamljson_load_string(const char *text, size_t len, const char *name, char *err,
                             size_t errlen);

/* Block-style YAML for v, ending in a newline; strings are quoted when a plain
 * scalar would read back as something else. malloc'd; NULL if out of memory. */
char *yamljson_dump(const json_t *v);

/* Rewrites the top-level `current:` block of a core.yaml in place (atomically:
 * temp file + rename), keeping every other line byte for byte, comments
 * included; appends the block when the file has none. The block runs from the
 * column-0 "current:" line to the next column-0 line that is neither a comment
 * nor a "- " sequence item; trailing blank and comment lines stay with what
 * follows. Before writing it re-reads the result and refuses (-1, file
 * untouched) unless `current` reads back equal and every other key is
 * unchanged. 0 on success, -1 with err. */
int yamljson_set_current(const char *core_yaml_path, const json_t *current, char *err,
                         size_t errlen);

#endif
