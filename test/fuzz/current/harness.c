/* current — yamljson_set_current() (core.yaml's current: rewrite after a
 * merge) on an arbitrary core.yaml. The input is the file's bytes up to the
 * first NUL; what follows that NUL, when it is JSON, is the new current:
 * value (else a champion block of the usual shape is used). After a success
 * the file must load and hold exactly that value under current:, as the
 * contract promises. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/fsx.h"
#include "yamljson/yamljson.h"

static json_t *current_value(const uint8_t *rest, size_t n)
{
    json_error_t je;
    json_t *v = n ? json_loadb((const char *)rest, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je) : NULL;
    if (v)
        return v;
    return json_pack("{s:s, s:n, s:f, s:i, s:i, s:s, s:s}", "id", "fuzz-r001-s1-0a0a", "commit",
                     "fitness", 88.5, "cycles", 4880473, "lut", 6044, "workload", "coremark",
                     "updated", "2026-12-06T11:04:18Z");
}

int fuzz_target(const uint8_t *data, size_t size)
{
    char path[512], err[1024];
    const uint8_t *nul = memchr(data, 0, size);
    size_t flen = nul ? (size_t)(nul - data) : size;
    json_t *cur = nul ? current_value(nul + 1, size - flen - 1) : current_value(NULL, 0);

    snprintf(path, sizeof path, "%s/core.yaml", fuzz_scratch_dir());
    if (!cur || fsx_write_atomic(path, data, flen) != 0)
        abort(); /* out of memory or an unwritable scratch directory: a setup error */
    if (yamljson_set_current(path, cur, err, sizeof err) == 0) {
        json_t *back = yamljson_load_file(path, err, sizeof err);
        if (!back || !json_equal(json_object_get(back, "current"), cur)) {
            fprintf(stderr, "current: the rewritten file does not hold the value: %s\n",
                    back ? "current: differs" : err);
            abort();
        }
        json_decref(back);
    }
    json_decref(cur);
    return 0;
}
