/* verdict — what the cosim gate reads from the harness (toolout.h): a
 * batch's JSON lines into results, the fitness object of a fitness run, the
 * failure diagnostic, and the coremark gate's second validation of the
 * fitness program's UART output (uartcheck.h), on arbitrary bytes.
 * Results stop at the first non-pass verdict and number at most the batch's
 * runs; every one is an object with a string verdict, or null. */
#include <stdlib.h>
#include <string.h>

#include "cosim/uartcheck.h"
#include "fuzz.h"
#include "gates/toolout.h"

enum { RUNS = 16 };

static void check_result(const json_t *res, size_t i)
{
    const char *verdict = json_string_value(json_object_get(res, "verdict"));
    if (!verdict)
        abort();
    bool coremark = i % 2;
    json_t *fit = toolout_cosim_fitness(res, coremark ? "coremark" : "workload", "workload.elf");
    if (!fit)
        abort();
    const char *out = json_string_value(json_object_get(fit, "output"));
    if (!out)
        abort();
    uart_check_result v = uart_check(coremark ? UART_CHECK_COREMARK : UART_CHECK_WORKLOAD, out, strlen(out),
                                     coremark ? 10 : 0);
    if (strlen(v.reason) >= sizeof v.reason || (v.ok && !v.iterations))
        abort();
    json_decref(fit);
    if (strcmp(verdict, "pass") != 0) {
        char *diag = toolout_cosim_failure(res, verdict, "isa.elf", "std", "build/bench/isa.elf");
        if (!diag)
            abort();
        free(diag);
    }
}

int fuzz_target(const uint8_t *data, size_t size)
{
    json_t *lines = toolout_cosim_lines((const char *)data, size, RUNS);
    size_t n = json_array_size(lines);
    if (!lines || n > RUNS)
        abort();
    for (size_t i = 0; i < n; i++) {
        const json_t *res = json_array_get(lines, i);
        bool pass = json_is_object(res) && strcmp(json_string_value(json_object_get(res, "verdict")), "pass") == 0;
        if (!pass && i + 1 != n)
            abort(); /* nothing after the first failure */
        if (json_is_object(res))
            check_result(res, i);
        else if (!json_is_null(res))
            abort();
    }
    json_decref(lines);
    return 0;
}
