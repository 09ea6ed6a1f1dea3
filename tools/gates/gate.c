/* gate.c — result helpers shared by the gates; see gate.h. */
#include "gates/gate.h"
#include "gates/fitset.h"

#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "lib/proc.h"

enum { GATE_DIAG_BYTES = 2048 };

json_t *gate_result_new(const char *gate)
{
    json_t *r = json_object();
    json_object_set_new(r, "gate", json_string(gate));
    json_object_set_new(r, "status", json_string("error"));
    json_object_set_new(r, "pass", json_false());
    return r;
}

json_t *gate_result_finish(json_t *r, const char *status, const char *diag,
                           const char *log_path, double started)
{
    json_object_set_new(r, "status", json_string(status));
    json_object_set_new(r, "pass", json_boolean(strcmp(status, "pass") == 0));
    json_object_set_new(r, "seconds", json_real(proc_now() - started));
    /* json_string rejects invalid UTF-8 (tool logs can hold anything). */
    json_t *d = json_string(diag ? diag : "");
    json_object_set_new(r, "diagnostic", d ? d : json_string("(diagnostic not valid UTF-8)"));
    if (log_path)
        json_object_set_new(r, "log", json_string(log_path));
    return r;
}

json_t *gate_result_error(const char *gate, const char *diag, double started)
{
    return gate_result_finish(gate_result_new(gate), "error", diag, NULL, started);
}

json_t *gate_result_io_error(json_t *r, const char *path, int err, double started)
{
    const char *st = json_string_value(json_object_get(r, "status"));
    if (st && strcmp(st, "pass") != 0 && strcmp(st, "fail") != 0)
        return r;
    char *diag = fsx_fmt("cannot write %s: %s; a verdict without its files says nothing about the design: "
                         "free space on that filesystem (or raise the file-size limit) and run again",
                         path, strerror(err));
    const char *log = json_string_value(json_object_get(r, "log"));
    char *logc = log ? strdup(log) : NULL;
    gate_result_finish(r, "error", diag ? diag : "cannot write a file of the gate", logc, started);
    json_object_set_new(r, "io_error", json_true());
    free(diag);
    free(logc);
    return r;
}

char *gate_log_tail(const char *log_path)
{
    return fsx_tail(log_path, GATE_DIAG_BYTES);
}

char *gate_path(const gate_ctx *ctx, const char *name)
{
    return fsx_fmt("%s/%s", ctx->rundir, name);
}

char *gate_core_path(const gate_ctx *ctx, const char *sub)
{
    return fsx_fmt("%s/cores/%s/%s", ctx->tree, ctx->core, sub);
}

static const json_t *gate_cfg_get(const gate_ctx *ctx, const char *dotted)
{
    const json_t *node = ctx->core_cfg;
    char key[128];
    const char *p = dotted;
    while (node && *p) {
        size_t len = strcspn(p, ".");
        if (len >= sizeof key)
            return NULL;
        memcpy(key, p, len);
        key[len] = '\0';
        node = json_object_get(node, key);
        p += len + (p[len] == '.');
    }
    return node;
}

const char *gate_cfg_str(const gate_ctx *ctx, const char *dotted, const char *dflt)
{
    const json_t *v = gate_cfg_get(ctx, dotted);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

double gate_cfg_num(const gate_ctx *ctx, const char *dotted, double dflt)
{
    const json_t *v = gate_cfg_get(ctx, dotted);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

const char *gate_workload(void)
{
    return fitset_default();
}

json_t *gate_run(gate_fn fn, const gate_ctx *ctx)
{
    proc_group own;
    proc_group_init(&own);
    gate_ctx c = *ctx;
    if (!c.group)
        c.group = &own;
    double before = proc_group_cpu(c.group);
    json_t *r = fn(&c);
    if (json_is_object(r))
        json_object_set_new(r, "cpu_seconds", json_real(proc_group_cpu(c.group) - before));
    return r;
}

int gate_run_tool(const gate_ctx *ctx, const char *label, const proc_spec *spec, proc_result *res, char *why,
                  size_t n)
{
    proc_spec sp = *spec;
    sp.group = ctx->group;
    return proc_launch(ctx->launcher, label, &sp, res, why, n);
}

int gate_tool_status_write(const char *path, const proc_result *res)
{
    json_t *o = json_pack("{si si sb sb sb si sf sf}", "exit_code", res->exit_code, "term_signal",
                          res->term_signal, "timed_out", res->timed_out, "cancelled", res->cancelled,
                          "spawn_failed", res->spawn_failed, "err", res->err, "seconds", res->seconds,
                          "cpu_s", res->cpu_s);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    int rc = text ? fsx_write_atomic(path, text, strlen(text)) : -1;
    free(text);
    json_decref(o);
    return rc;
}

int gate_tool_status_read(const char *path, proc_result *res)
{
    json_t *o = json_load_file(path, 0, NULL);
    int code = 0, sig = 0, to = 0, cancelled = 0, spawn = 0, err = 0;
    double secs = 0, cpu = 0;
    int rc = json_unpack(o, "{s:i, s:i, s:b, s:b, s:b, s:i, s:F, s:F}", "exit_code", &code, "term_signal", &sig,
                         "timed_out", &to, "cancelled", &cancelled, "spawn_failed", &spawn, "err", &err,
                         "seconds", &secs, "cpu_s", &cpu) == 0 ? 0 : -1;
    json_decref(o);
    if (rc == 0)
        *res = (proc_result){.exit_code = code, .term_signal = sig, .timed_out = to, .cancelled = cancelled,
                             .spawn_failed = spawn, .err = err, .seconds = secs, .cpu_s = cpu};
    return rc;
}
