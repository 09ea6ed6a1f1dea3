/* pnr_report — the readers of nextpnr's output (toolout.h): the --report JSON
 * (Fmax, utilisation) and, on the same bytes, the log a failed run leaves
 * (cause, resource, utilisation line, ERROR line). A report that is read
 * must give a positive finite Fmax and non-negative counts; a failure is
 * always one of the three causes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gates/toolout.h"

static void check_report(const uint8_t *data, size_t size)
{
    double fmax;
    json_t *util;
    char err[256];
    if (toolout_pnr_report((const char *)data, size, &fmax, &util, err, sizeof err) != 0) {
        if (util || !err[0])
            abort();
        return;
    }
    if (!(fmax > 0 && isfinite(fmax)) || !json_is_object(util))
        abort();
    const char *name;
    json_t *v;
    json_object_foreach(util, name, v) {
        if (json_integer_value(json_object_get(v, "used")) < 0 ||
            json_integer_value(json_object_get(v, "available")) < 0 ||
            !isfinite(json_real_value(json_object_get(v, "pct"))))
            abort();
    }
    json_decref(util);
}

static void check_log(const uint8_t *data, size_t size)
{
    toolout_pnr_failure f;
    toolout_pnr_log((const char *)data, size, &f);
    if (!f.cause || (strcmp(f.cause, "does_not_fit") && strcmp(f.cause, "routing_failed") &&
                     strcmp(f.cause, "nextpnr_error")))
        abort();
    if (strlen(f.resource) >= sizeof f.resource || strlen(f.error) >= sizeof f.error || f.used < 0 || f.available < 0)
        abort();
}

int fuzz_target(const uint8_t *data, size_t size)
{
    check_report(data, size);
    check_log(data, size);
    return 0;
}
