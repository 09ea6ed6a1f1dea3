/* yaml — yamljson_load_string() (core.yaml, agents' hypothesis files) on
 * arbitrary bytes; a document that loads is also dumped and read back, and
 * must come back equal (yamljson.h promises the round trip). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "yamljson/yamljson.h"

int fuzz_target(const uint8_t *data, size_t size)
{
    char err[512];
    json_t *v = yamljson_load_string((const char *)data, size, "fuzz.yaml", err, sizeof err);
    if (!v)
        return 0;
    char *text = yamljson_dump(v);
    if (text) {
        json_t *back = yamljson_load_string(text, strlen(text), "dump.yaml", err, sizeof err);
        if (!back || !json_equal(v, back))
            abort(); /* the dump of a loaded document must read back equal */
        json_decref(back);
        free(text);
    }
    json_decref(v);
    return 0;
}
