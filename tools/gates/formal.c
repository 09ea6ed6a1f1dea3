/* formal.c — the formal gate (DESIGN.md §3): the fast suite of the
 * project's RVFI checks on cores/<core>/rtl, proved by tools/formal/frun.c.
 * Checker sources and the check table always come from ctx->harness. The
 * result carries the runner's "checks", "counts", "mode" and "prep_seconds";
 * status is "pass" only when every applicable check passed and none is vacuous.
 * Under a cluster executor (ctx->launcher) each of the runner's tool runs is
 * a job of its own (formal/frun.h); one the infrastructure could not run
 * makes the gate an "error" with "infrastructure": true.
 * core.yaml may raise (never lower) a check's depth: formal: {depth: {reg: 30}}.
 */
#include "gates/gate.h"

#include <stdlib.h>
#include <string.h>

#include "formal/frun.h"
#include "lib/fsx.h"
#include "lib/proc.h"

/* REMOTE_JOBS: the proofs in the queue at once under a launcher (the fast
 * suite's widest phase has about forty). */
enum { GATE_FORMAL_DEFAULT_TIMEOUT = 1500, GATE_FORMAL_REMOTE_JOBS = 48 };

json_t *gate_formal(const gate_ctx *ctx)
{
    double t0 = proc_now();
    char *rtl = gate_core_path(ctx, "rtl");
    char *workdir = gate_path(ctx, "formal");
    char *log = gate_path(ctx, "formal.log");
    if (!rtl || !workdir || !log) {
        free(rtl);
        free(workdir);
        free(log);
        return gate_result_error("formal", "out of memory", t0);
    }
    double limit = ctx->timeout_s > 0 ? ctx->timeout_s : GATE_FORMAL_DEFAULT_TIMEOUT;
    const json_t *formal_cfg = ctx->core_cfg ? json_object_get(ctx->core_cfg, "formal") : NULL;
    /* Under a launcher each tool run is a one-CPU job: the queue, not this
     * machine, bounds how many run at once. */
    int jobs = ctx->launcher ? GATE_FORMAL_REMOTE_JOBS : ctx->jobs > 0 ? ctx->jobs : 1;
    formal_opts o = {.harness = ctx->harness, .rtl_dir = rtl, .workdir = workdir, .log_path = log,
                     .deep = 0, .jobs = jobs, .deadline = t0 + limit,
                     .only = NULL, .depths = formal_cfg ? json_object_get(formal_cfg, "depth") : NULL,
                     .confine = ctx->confine, .group = ctx->group, .launcher = ctx->launcher};
    json_t *fr = formal_run(&o);
    json_t *r = gate_result_new("formal");
    static const char *const keep[] = {"mode", "checks", "counts", "prep_seconds", "infrastructure"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        json_t *v = json_object_get(fr, keep[i]);
        if (v)
            json_object_set(r, keep[i], v);
    }
    const char *status = json_string_value(json_object_get(fr, "status"));
    const char *diag = json_string_value(json_object_get(fr, "diagnostic"));
    gate_result_finish(r, status ? status : "error", diag, log, t0);
    json_decref(fr);
    free(rtl);
    free(workdir);
    free(log);
    return r;
}
