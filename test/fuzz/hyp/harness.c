/* hyp — an agent's hypothesis file as the loop takes it (records_hyp_load:
 * YAML, the slot's id, the text check, schemas/hypothesis.schema.json) on
 * arbitrary bytes. A hypothesis the loop takes goes into the slot's log
 * entry, so it must also make a log line that validates against
 * schemas/log_entry.schema.json: a taken hypothesis the log cannot record
 * would stop the loop (records_line's "bug in evo"). The schemas are read
 * from the repository root (the working directory of make and fuzz.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "records/records.h"
#include "schema/schema.h"

static json_t *hyp_schema(const char *path)
{
    char err[512];
    json_t *s = schema_load(path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "hyp harness: %s (run it from the repository root)\n", err);
        abort();
    }
    return s;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    static const char id[] = "baseline-r001-s0-1a2b";
    json_t *hs = hyp_schema("schemas/hypothesis.schema.json");
    char err[2048];
    json_t *h = records_hyp_load((const char *)data, size, "cores/baseline/experiments/hypotheses/x.yaml", id, hs,
                                 err, sizeof err);
    if (h) {
        json_t *ls = hyp_schema("schemas/log_entry.schema.json");
        json_t *e = records_entry_new(id, "baseline", 1, 0, "0123456789abcdef0123456789abcdef01234567");
        records_entry_set_broken(e, "lint", "a lint error");
        records_entry_set_hypothesis(e, h);
        char *line = records_line(e, ls, err, sizeof err);
        if (!line) {
            fprintf(stderr, "hyp harness: a taken hypothesis makes no valid log line: %s\n", err);
            abort();
        }
        free(line);
        json_decref(e);
        json_decref(ls);
        json_decref(h);
    } else if (!err[0]) {
        abort(); /* a refusal always says why */
    }
    json_decref(hs);
    return 0;
}
