/* schema — a JSON-Schema draft-07 validator on jansson.
 *
 * Contract:
 *  - Keywords asserted: type, enum, const, properties, patternProperties,
 *    additionalProperties, required, minProperties, maxProperties,
 *    propertyNames, dependencies, items (schema and array forms),
 *    additionalItems, contains, minItems, maxItems, uniqueItems, minLength,
 *    maxLength (Unicode code points), pattern (see jsre.h for the supported
 *    ECMA-262 subset), minimum, maximum, exclusiveMinimum, exclusiveMaximum
 *    (draft-07 numeric form), multipleOf, allOf, anyOf, oneOf, not,
 *    if/then/else, boolean schemas, and $ref to "#" or "#/<json-pointer>"
 *    inside the same document (per draft-07, siblings of $ref are ignored).
 *  - Not asserted: "format" (an annotation by default in draft-07; the
 *    project's schemas back every format with a "pattern"), content* keywords,
 *    and unknown keywords (ignored, as the specification requires). "$id" and
 *    any $ref that is not a local fragment make the schema unusable (-1):
 *    nothing is fetched from the network.
 *  - Numbers are compared by value: 1 and 1.0 are equal (enum, const,
 *    uniqueItems) and an integral real is an "integer".
 *  - Validation stops at the first error. Error text is
 *    "<json-pointer of the instance location>: <reason>", with "(root)" for
 *    the empty pointer, e.g. "/changes/0/file: \"../x\" does not match pattern ...".
 *  - No global state; safe to call from several threads on shared schemas.
 */
#ifndef SCHEMA_SCHEMA_H
#define SCHEMA_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Loads a schema file and checks it is usable (keyword value types, patterns
 * compile, local $refs resolve). NULL with err ("<path>: ...") on failure. */
json_t *schema_load(const char *path, char *err, size_t errlen);

/* 0 valid; 1 invalid (err = "<json-pointer>: <reason>", the first error);
 * -1 schema unusable (err says why). err may be NULL. */
int schema_validate(const json_t *schema, const json_t *instance, char *err, size_t errlen);

/* 0 when the schema is usable, -1 with err otherwise (what schema_load checks). */
int schema_check(const json_t *schema, char *err, size_t errlen);

/* Loads schema_path, validates instance, frees the schema: 0/1/-1 as above
 * (a schema that cannot be loaded is -1). */
int schema_validate_path(const char *schema_path, const json_t *instance, char *err,
                         size_t errlen);

/* JSON equality as JSON Schema defines it: numbers by value (1 == 1.0), object
 * key order irrelevant, strings by bytes (embedded NULs included). */
bool schema_json_equal(const json_t *a, const json_t *b);

#endif
