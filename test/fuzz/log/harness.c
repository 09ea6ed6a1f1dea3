/* log — records_log_parse() (the loop and the report read every
 * cores/<T>/experiments/log.jsonl) on arbitrary text, against the real
 * schemas/log_entry.schema.json, loaded once per process (read-only). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "records/records.h"
#include "schema/schema.h"

#define LOG_SCHEMA "schemas/log_entry.schema.json"

static const json_t *log_schema(void)
{
    static json_t *schema; /* parsed once; never changed, freed by exit */
    char err[512];
    if (!schema && !(schema = schema_load(LOG_SCHEMA, err, sizeof err))) {
        fprintf(stderr, "log: %s (run from the repository root)\n", err);
        abort();
    }
    return schema;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    records_log log;
    if (records_log_parse((const char *)data, size, "log.jsonl", log_schema(), &log) != 0)
        abort(); /* out of memory */
    records_champion(&log);
    records_last_round(&log);
    records_log_free(&log);
    return 0;
}
