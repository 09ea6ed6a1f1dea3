/* coremark.c — the fitness gate (DESIGN.md §3). It never simulates: the
 * bracketed cycles, iterations and the programs' UART output come from the
 * cosim gate's runs of the workload set (gates/fitset.h) under the standard
 * stall pattern, and Fmax from the pnr gate (median of the routed seeds).
 * Per workload w:
 *   fitness_w = fmax_mhz * iterations_w / cycles_w * 1e6   (iterations per second)
 * and the set's fitness and coremark_per_mhz are the geometric means
 * (fitset_score); "workloads" keeps each member's figures, "cycles" and
 * "iterations" are the primary (first) member's.
 * Every member's output is validated again here (CoreMark: "Correct operation
 * validated.", 10 iterations and the five 2K CRCs; the project's programs:
 * "workload: checksums OK", "vm: checksums OK"), so a cosim result without
 * valid output can never be scored.
 */
#include <stdlib.h>
#include <string.h>

#include "cosim/uartcheck.h"
#include "gates/fitset.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { COREMARK_ITERATIONS = 10 };

static json_t *coremark_error(json_t *r, const char *status, const char *msg, double t0)
{
    return gate_result_finish(r, status, msg, NULL, t0);
}

/* cosim's run of one member: its entry of "workloads", or for a result of
 * one workload without that object, the fitness object itself. */
static const json_t *coremark_member_run(const json_t *fit, const fitset *set, const char *member)
{
    const json_t *w = json_object_get(json_object_get(fit, "workloads"), member);
    if (w)
        return w;
    return set->n == 1 && !json_object_get(fit, "workloads") ? fit : NULL;
}

/* NULL when the member's run validates, else a message (malloc'd). */
static char *coremark_validate(const json_t *run, const char *member)
{
    if (!run)
        return fsx_fmt("the cosim fitness record has no run of the workload %s", member);
    const char *out = json_string_value(json_object_get(run, "output"));
    int kind = uart_check_parse(member);
    uart_check_result v = uart_check(kind < 0 ? UART_CHECK_NONE : (uart_check_kind)kind, out ? out : "",
                                     out ? strlen(out) : 0, strcmp(member, "coremark") == 0 ? COREMARK_ITERATIONS : 0);
    json_int_t iters = json_integer_value(json_object_get(run, "iterations"));
    if (!json_is_true(json_object_get(run, "validated")) || !v.ok || (json_int_t)v.iterations != iters)
        return fsx_fmt("the %s output does not validate (its self-check failed, so this core is not measured): %s",
                       member, v.ok ? "its iteration count differs from the cosim fitness record" : v.reason);
    return NULL;
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
    const char *want = gate_workload();
    fitset set;
    char err[400];
    if (fitset_parse(want, &set, err, sizeof err) != 0)
        return coremark_error(r, "error", err, t0);
    if (!workload || strcmp(workload, want) != 0) {
        char *m = fsx_fmt("the cosim fitness run measured '%s' but the workload set %s is expected (COREMARK_DIR "
                          "%s, WORKLOADS %s)", workload ? workload : "(nothing)", want,
                          getenv("COREMARK_DIR") && *getenv("COREMARK_DIR") ? "is set" : "is not set",
                          getenv("WORKLOADS") && *getenv("WORKLOADS") ? "is set" : "is not set");
        coremark_error(r, "error", m, t0);
        free(m);
        return r;
    }
    json_object_set_new(r, "workload", json_string(workload));
    json_t *runs = json_object();
    for (int i = 0; i < set.n; i++) {
        const json_t *run = coremark_member_run(fit, &set, set.name[i]);
        char *bad = coremark_validate(run, set.name[i]);
        if (bad) {
            json_decref(runs);
            json_object_set_new(r, "validation", json_string(bad));
            coremark_error(r, "fail", bad, t0);
            free(bad);
            return r;
        }
        json_object_set(runs, set.name[i], (json_t *)run);
    }
    json_t *score = fitset_score(&set, runs, fmax, err, sizeof err);
    json_decref(runs);
    if (!score)
        return coremark_error(r, "fail", err, t0);
    const json_t *primary = coremark_member_run(fit, &set, set.name[0]);
    json_object_update(r, score);
    json_decref(score);
    json_object_set_new(r, "validation", json_string("every workload's self-check passed"));
    json_object_set_new(r, "fmax_mhz", json_real(fmax));
    json_object_set_new(r, "cycles", json_integer(json_integer_value(json_object_get(primary, "cycles"))));
    json_object_set_new(r, "iterations", json_integer(json_integer_value(json_object_get(primary, "iterations"))));
    json_object_set_new(r, "instructions", json_integer(json_integer_value(json_object_get(primary, "instructions"))));
    char *per = NULL;
    for (int i = 0; i < set.n; i++) {
        const json_t *w = json_object_get(json_object_get(r, "workloads"), set.name[i]);
        char *next = fsx_fmt("%s%s%s %.2f it/s (%lld iterations / %lld cycles)", per ? per : "", per ? ", " : "",
                             set.name[i], json_number_value(json_object_get(w, "fitness")),
                             (long long)json_integer_value(json_object_get(w, "iterations")),
                             (long long)json_integer_value(json_object_get(w, "cycles")));
        free(per);
        per = next;
    }
    char *diag = fsx_fmt("fitness %.2f iterations/s (geometric mean over %s) at %.2f MHz, %.4f per MHz: %s; every "
                         "workload's self-check passed", json_number_value(json_object_get(r, "fitness")), want, fmax,
                         json_number_value(json_object_get(r, "coremark_per_mhz")), per ? per : "");
    gate_result_finish(r, "pass", diag, NULL, t0);
    free(per);
    free(diag);
    return r;
}
