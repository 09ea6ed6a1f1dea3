/* coremark.c — the fitness gate (DESIGN.md §3). It never simulates: the
 * bracketed cycles, iterations and the program's UART output come from the
 * cosim gate's run of the fitness workload under the standard stall pattern,
 * and Fmax from the pnr gate (median of the routed seeds).
 *   fitness = fmax_mhz * iterations / cycles * 1e6   (iterations per second)
 *   coremark_per_mhz = iterations / cycles * 1e6
 * The output is validated again here (CoreMark: "Correct operation validated.",
 * 10 iterations and the five 2K CRCs; the project workload: "workload:
 * checksums OK"), so a cosim result without valid output can never be scored.
 */
#include <stdlib.h>
#include <string.h>

#include "cosim/uartcheck.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { COREMARK_ITERATIONS = 10 };

static json_t *coremark_error(json_t *r, const char *status, const char *msg, double t0)
{
    return gate_result_finish(r, status, msg, NULL, t0);
}

json_t *gate_coremark(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *r = gate_result_new("coremark");
    const json_t *cosim = json_object_get(ctx->prior, "cosim");
    const json_t *pnr = json_object_get(ctx->prior, "pnr");
    if (!cosim)
        return coremark_error(r, "error", "no cosim result: run the cosim gate first (the fitness comes from "
                              "its run of the workload; this gate never simulates again)", t0);
    if (!json_is_true(json_object_get(cosim, "pass")))
        return coremark_error(r, "error", "the cosim gate did not pass, so there is no trusted fitness run", t0);
    const json_t *fit = json_object_get(cosim, "fitness");
    if (!json_is_object(fit))
        return coremark_error(r, "error", "the cosim result has no \"fitness\" object", t0);
    if (!pnr || !json_is_true(json_object_get(pnr, "pass")))
        return coremark_error(r, "error", "no passing pnr result: run the pnr gate first (Fmax comes from it)", t0);
    const json_t *fmax_j = json_object_get(pnr, "fmax_mhz_median");
    double fmax = json_number_value(fmax_j);
    if (!json_is_number(fmax_j) || fmax <= 0)
        return coremark_error(r, "error", "the pnr result has no positive \"fmax_mhz_median\"", t0);

    const char *workload = json_string_value(json_object_get(fit, "workload"));
    bool want_coremark = strcmp(gate_workload(), "coremark") == 0;
    if (!workload || strcmp(workload, want_coremark ? "coremark" : "workload") != 0) {
        char *m = fsx_fmt("the cosim fitness run measured '%s' but %s is expected (COREMARK_DIR %s)",
                          workload ? workload : "(nothing)", want_coremark ? "coremark" : "workload",
                          want_coremark ? "is set" : "is not set");
        coremark_error(r, "error", m, t0);
        free(m);
        return r;
    }
    json_int_t cycles = json_integer_value(json_object_get(fit, "cycles"));
    json_int_t iters = json_integer_value(json_object_get(fit, "iterations"));
    const char *out = json_string_value(json_object_get(fit, "output"));
    uart_check_result v = uart_check(want_coremark ? UART_CHECK_COREMARK : UART_CHECK_WORKLOAD, out ? out : "",
                                     out ? strlen(out) : 0, want_coremark ? COREMARK_ITERATIONS : 0);
    json_object_set_new(r, "workload", json_string(workload));
    json_object_set_new(r, "validation", json_string(v.reason));
    if (!json_is_true(json_object_get(fit, "validated")) || !v.ok || (json_int_t)v.iterations != iters) {
        char *m = fsx_fmt("the %s output does not validate: %s", workload,
                          v.ok ? "its iteration count differs from the cosim fitness record" : v.reason);
        coremark_error(r, "fail", m, t0);
        free(m);
        return r;
    }
    if (cycles <= 0 || iters <= 0)
        return coremark_error(r, "fail", "no bracketed cycle count: the workload must store to BENCH_START "
                              "and BENCH_STOP", t0);

    double per_mhz = (double)iters / (double)cycles * 1e6;
    double fitness = gate_fitness(fmax, per_mhz);
    json_object_set_new(r, "fitness", json_real(fitness));
    json_object_set_new(r, "coremark_per_mhz", json_real(per_mhz));
    json_object_set_new(r, "fmax_mhz", json_real(fmax));
    json_object_set_new(r, "cycles", json_integer(cycles));
    json_object_set_new(r, "iterations", json_integer(iters));
    json_object_set_new(r, "instructions", json_integer(json_integer_value(json_object_get(fit, "instructions"))));
    char *diag = fsx_fmt("fitness %.2f iterations/s = %.2f MHz x %lld iterations / %lld cycles (%.4f per MHz); %s",
                         fitness, fmax, (long long)iters, (long long)cycles, per_mhz, v.reason);
    gate_result_finish(r, "pass", diag, NULL, t0);
    free(diag);
    return r;
}
