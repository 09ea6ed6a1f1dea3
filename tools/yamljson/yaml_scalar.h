/* yaml_scalar — how a plain (unquoted) YAML scalar reads as JSON, shared by
 * the loader and the dumper so that what is dumped reads back the same.
 * The rules are those listed in yamljson.h. */
#ifndef YAMLJSON_YAML_SCALAR_H
#define YAMLJSON_YAML_SCALAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The JSON value of plain scalar s[0..n): null, boolean, integer, real or
 * string. NULL with why set when it cannot be represented (an integer or
 * real out of range, invalid UTF-8). */
json_t *yaml_scalar_resolve(const char *s, size_t n, char *why, size_t whylen);

/* True when s[0..n) may be written as a plain scalar and read back as the
 * same string (by this loader and by YAML 1.1 readers). */
bool yaml_scalar_plain_ok(const char *s, size_t n);

/* Writes s[0..n) (valid UTF-8, may hold NULs) to f as a double-quoted YAML
 * scalar, escaping '"', '\\', control characters and YAML line breaks. */
void yaml_scalar_write_quoted(FILE *f, const char *s, size_t n);

#endif
