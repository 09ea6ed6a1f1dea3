/* schema — the JSON-Schema validator on fuzz-derived JSON, both ways round:
 *  - as an instance against each of the project's four schemas (schemas/,
 *    loaded once per process, read-only): agents' hypotheses and every
 *    record are validated this way;
 *  - as a schema: schema_check(), then, when usable, it validates itself,
 *    and [S, I] (a two-element array) also validates I against S.
 * The input is JSON text (NUL bytes allowed inside strings). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "schema/schema.h"

static const char *const schema_files[] = {
    "schemas/hypothesis.schema.json", "schemas/log_entry.schema.json",
    "schemas/core.schema.json", "schemas/eval_result.schema.json",
};
enum { N_SCHEMAS = sizeof schema_files / sizeof schema_files[0] };

static json_t *const *fixed_schemas(void)
{
    static json_t *loaded[N_SCHEMAS]; /* parsed once; never changed, freed by exit */
    char err[512];
    for (size_t i = 0; i < N_SCHEMAS; i++)
        if (!loaded[i] && !(loaded[i] = schema_load(schema_files[i], err, sizeof err))) {
            fprintf(stderr, "schema: %s (run from the repository root)\n", err);
            abort();
        }
    return loaded;
}

static void as_schema(const json_t *s, const json_t *instance)
{
    char err[512];
    if (schema_check(s, err, sizeof err) == 0)
        schema_validate(s, instance, err, sizeof err);
}

int fuzz_target(const uint8_t *data, size_t size)
{
    json_error_t je;
    char err[512];
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    json_t *const *fixed = fixed_schemas();

    if (!v)
        return 0;
    for (size_t i = 0; i < N_SCHEMAS; i++)
        schema_validate(fixed[i], v, err, sizeof err);
    as_schema(v, v);
    if (json_is_array(v) && json_array_size(v) == 2)
        as_schema(json_array_get(v, 0), json_array_get(v, 1));
    json_decref(v);
    return 0;
}
