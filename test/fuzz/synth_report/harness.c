/* synth_report — the reader of Yosys's `stat -json` (toolout_synth_stat) on
 * arbitrary bytes. Counts that are read are the sums of bounded,
 * non-negative per-type counts, so every one lies in 0..TOOLOUT_CELLS_MAX
 * times the number of types. */
#include <stdlib.h>

#include "fuzz.h"
#include "gates/toolout.h"

int fuzz_target(const uint8_t *data, size_t size)
{
    json_t *r = json_object();
    char err[256];
    if (toolout_synth_stat((const char *)data, size, r, err, sizeof err) == 0) {
        const json_t *cells = json_object_get(r, "cells");
        const json_t *by_type = json_object_get(r, "cells_by_type");
        json_int_t bound = (json_int_t)TOOLOUT_CELLS_MAX * (json_int_t)json_object_size(by_type);
        static const char *const keys[] = {"lut", "ff", "carry", "bram", "dsp"};
        for (size_t i = 0; i < 5; i++) {
            const json_t *c = json_object_get(cells, keys[i]);
            if (!json_is_integer(c) || json_integer_value(c) < 0 || json_integer_value(c) > bound)
                abort();
        }
    } else if (!err[0] || json_object_size(r) != 0) {
        abort(); /* a refusal says why and sets nothing */
    }
    json_decref(r);
    return 0;
}
