/* synth.c — the synth gate (DESIGN.md §3, §4).
 *
 * Yosys `synth_ice40` of the fitness bench: the trusted wrapper
 * <harness>/fpga/rtl/fpga_top.sv around <tree>/cores/<core>/rtl/ (.sv files),
 * by the script <harness>/fpga/synth.ys, written as a JSON netlist for the
 * pnr gate. Result figures:
 *   "netlist"       path of <rundir>/synth/netlist.json
 *   "netlist_sha1"  git blob id of the netlist (`git hash-object` gives the same)
 *   "cells"         {lut, ff, carry, bram, dsp}: SB_LUT4, every SB_DFF* kind,
 *                   SB_CARRY, SB_RAM40_4K*, SB_MAC16 — read from Yosys's
 *                   `stat -json`, never from its text log
 *   "cells_by_type" Yosys's own per-type counts
 *   "cells_by_instance"  where the core's cells are, by instance (netstat.h),
 *                   for the agents' prompts and the report
 * Status: "fail" when Yosys rejects the design, or the RTL conditions code on a
 * tool macro (`ifdef/`ifndef/`elsif/`define/`undef of SYNTHESIS, YOSYS, FORMAL,
 * VERILATOR*, SYSTEMVERILOG, SV_COV_*, COVERAGE*, any case) or uses a hot comment
 * Yosys obeys (translate_off, full_case, parallel_case): then synthesis
 * would not see what simulation verified;
 * "error" when Yosys or a file is missing; "timeout" at the limit.
 *
 * The sources are staged into <rundir>/synth/ and Yosys runs in its empty
 * subdirectory cwd/ with relative paths ("../rtl/x.sv"), so the netlist (whose
 * generated names embed source paths) is byte-identical for identical designs
 * in different worktrees: that is what lets the pnr gate's cache recognise
 * them. The working directory is empty because Yosys resolves an `include
 * against it before the -I directory. read_verilog -nodpi (fpga/synth.ys):
 * Yosys would otherwise call a DPI import while evaluating constants.
 *
 * Knobs need nothing here: a knob move edits the parameter's default in the
 * core's RTL (DESIGN.md §2, Knobs), so the staged sources already carry it.
 */
#include "gates/gate.h"
#include "gates/toolout.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gates/netstat.h"
#include "lib/blobid.h"
#include "lib/dirlist.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"

/* fpga/rtl/fpga_top.sv instantiates the core as u_core; two levels of its
 * instances are reported, the twelve largest. */
#define SYNTH_CORE_PREFIX "u_core."
enum { SYNTH_BY_DEPTH = 2, SYNTH_BY_MAX = 12 };

enum { SYNTH_TIMEOUT_S = 600 };

/* True when the text declares a SystemVerilog package (a line starting with
 * "package "): Yosys must read those files before the files using them. */
static bool synth_declares_package(const char *text)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "package ", 8) == 0)
            return true;
    }
    return false;
}

/* A macro a tool predefines: Verilator 5.006 defines VERILATOR, verilator,
 * verilator3, SYSTEMVERILOG, SV_COV_*, coverage_block_off (and
 * VERILATOR_TIMING with --timing, coverage with --coverage); Yosys 0.23
 * defines YOSYS and SYNTHESIS, or FORMAL. Compared without case and by the
 * "verilator" prefix, so that no spelling a tool knows slips through. */
static bool synth_is_tool_macro(const char *name, size_t len)
{
    static const char *const names[] = {"SYSTEMVERILOG", "COVERAGE", "COVERAGE_BLOCK_OFF", "SYNTHESIS", "YOSYS",
                                        "FORMAL"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0)
            return true;
    return (len >= 9 && strncasecmp(name, "VERILATOR", 9) == 0) || (len > 7 && strncasecmp(name, "SV_COV_", 7) == 0);
}

/* Skips white space (newlines too) and comments: both are allowed between a
 * directive and its macro name. */
static const char *synth_skip_blank(const char *q)
{
    for (;;) {
        if (isspace((unsigned char)*q)) {
            q++;
        } else if (q[0] == '/' && q[1] == '/') {
            q += strcspn(q, "\n");
        } else if (q[0] == '/' && q[1] == '*') {
            const char *e = strstr(q + 2, "*/");
            q = e ? e + 2 : q + strlen(q);
        } else {
            return q;
        }
    }
}

/* A preprocessor conditional on a macro that only one tool defines (or a
 * definition of one: it would change what the harness's own files see), or
 * a synthesis directive Yosys obeys and simulators do not (translate_off
 * hides code; full_case/parallel_case change what an incomplete case
 * means), makes the synthesised design differ from the simulated one.
 * Returns true with the macro or directive in what. */
static bool synth_tool_macro(const char *text, char *what, size_t n)
{
    static const char *const directives[] = {"translate_off", "full_case", "parallel_case"};
    for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++)
        if (strcasestr(text, directives[i])) {
            snprintf(what, n, "%s", directives[i]);
            return true;
        }
    static const char *const dirs[] = {"ifdef", "ifndef", "elsif", "define", "undef"};
    for (const char *p = strchr(text, '`'); p; p = strchr(p + 1, '`')) {
        for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
            size_t dl = strlen(dirs[d]);
            if (strncmp(p + 1, dirs[d], dl) != 0 || isalnum((unsigned char)p[1 + dl]) || p[1 + dl] == '_')
                continue;
            const char *q = synth_skip_blank(p + 1 + dl);
            q += *q == '\\'; /* an escaped identifier names the same macro */
            size_t len = 0;
            while (isalnum((unsigned char)q[len]) || q[len] == '_' || q[len] == '$')
                len++;
            if (synth_is_tool_macro(q, len)) {
                snprintf(what, n, "`%s %.*s", dirs[d], (int)len, q);
                return true;
            }
        }
    }
    return false;
}

typedef struct {
    const gate_ctx *ctx;
    char *work;        /* <rundir>/synth: Yosys's working directory */
    char *log;         /* <rundir>/synth.log */
    strv pkgs;   /* staged sources (relative to work) declaring packages */
    strv srcs;   /* the other staged sources */
    char diag[2048];   /* why the gate did not pass (gate.h: <= 2 KiB) */
} synth_job;

/* Copies one file into the staging directory. */
static int synth_copy(const char *from, const char *to, char **text_out)
{
    char *data;
    size_t len;
    if (fsx_read(from, &data, &len) != 0)
        return -1;
    int rc = fsx_write_atomic(to, data, len);
    if (rc == 0 && text_out)
        *text_out = data;
    else
        free(data);
    return rc;
}

/* Stages <tree>/cores/<core>/rtl into <work>/rtl. Returns a gate status on
 * failure ("error" / "fail") with job->diag set, or NULL. */
static const char *synth_stage(synth_job *job)
{
    const gate_ctx *ctx = job->ctx;
    char *rtl = gate_core_path(ctx, "rtl");
    char *dst = fsx_fmt("%s/rtl", job->work);
    const char *status = NULL;
    static const char *const hdl[] = {".sv", ".v", ".svh", ".vh", NULL};
    char **names = NULL, *bad = NULL;
    int nnames = dirlist_files(rtl, hdl, &names, &bad);
    if (nnames == -2) {
        snprintf(job->diag, sizeof job->diag, "RTL file name '%s' in %s: use only letters, "
                 "digits, '_', '.' and '-'", bad, rtl);
        status = "fail";
        free(bad);
        goto out;
    }
    if (nnames < 0) {
        snprintf(job->diag, sizeof job->diag, "cannot read %s: %s (the core's RTL lives in "
                 "cores/<name>/rtl/*.sv)", rtl, strerror(errno));
        status = "error";
        goto out;
    }
    if (fsx_remove_tree(job->work) != 0 && errno != ENOENT) {
        snprintf(job->diag, sizeof job->diag, "cannot clear %s: %s", job->work, strerror(errno));
        status = "error";
        goto out;
    }
    char *cwd = fsx_fmt("%s/cwd", job->work);
    int mk = fsx_mkdirs(dst, 0755) == 0 && cwd ? fsx_mkdirs(cwd, 0755) : -1;
    free(cwd);
    if (mk != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot create %s and cwd/ next to it: %s", dst, strerror(errno));
        status = "error";
        goto out;
    }
    for (int i = 0; i < nnames && !status; i++) {
        char *from = fsx_fmt("%s/%s", rtl, names[i]);
        char *to = fsx_fmt("%s/%s", dst, names[i]);
        char *text = NULL;
        if (synth_copy(from, to, &text) != 0) {
            snprintf(job->diag, sizeof job->diag, "cannot copy %s to %s: %s", from, to,
                     strerror(errno));
            status = "error";
        } else {
            char macro[128];
            bool is_src = dirlist_has_suffix(names[i], ".sv") || dirlist_has_suffix(names[i], ".v");
            if (synth_tool_macro(text, macro, sizeof macro)) {
                snprintf(job->diag, sizeof job->diag, "%s: '%s': synthesis would not see the "
                         "design that simulation verified; remove this tool-specific "
                         "conditional or directive", from, macro);
                status = "fail";
            } else if (is_src) {
                strv *l = synth_declares_package(text) ? &job->pkgs : &job->srcs;
                if (strv_push(l, fsx_fmt("../rtl/%s", names[i])) != 0) {
                    snprintf(job->diag, sizeof job->diag, "out of memory");
                    status = "error";
                }
            }
        }
        free(text);
        free(from);
        free(to);
    }
    if (!status && job->pkgs.n + job->srcs.n == 0) {
        snprintf(job->diag, sizeof job->diag, "no .sv or .v files in %s", rtl);
        status = "error";
    }
out:
    dirlist_free(names);
    free(rtl);
    free(dst);
    return status;
}

/* The device has DSP blocks (iCE40 UltraPlus). */
static bool synth_device_has_dsp(const char *device)
{
    return strcmp(device, "up5k") == 0 || strcmp(device, "up3k") == 0;
}

/* Replaces the first `key` in *text by value (*text is reallocated). */
static int synth_fill(char **text, const char *key, const char *value)
{
    char *at = strstr(*text, key);
    if (!at)
        return -1;
    char *out = fsx_fmt("%.*s%s%s", (int)(at - *text), *text, value, at + strlen(key));
    if (!out)
        return -1;
    free(*text);
    *text = out;
    return 0;
}

/* The space-separated staged sources, package files first (malloc'd). */
static char *synth_source_list(const synth_job *job)
{
    size_t len = 1;
    for (size_t i = 0; i < job->pkgs.n; i++)
        len += strlen(job->pkgs.v[i]) + 1;
    for (size_t i = 0; i < job->srcs.n; i++)
        len += strlen(job->srcs.v[i]) + 1;
    char *list = calloc(1, len);
    for (size_t i = 0; list && i < job->pkgs.n + job->srcs.n; i++) {
        const char *f = i < job->pkgs.n ? job->pkgs.v[i] : job->srcs.v[i - job->pkgs.n];
        strcat(strcat(list, *list ? " " : ""), f);
    }
    return list;
}

/* Fills the harness's fpga/synth.ys into <work>/synth.ys and stages the
 * bench wrapper. Returns a status with diag set on failure. */
static const char *synth_write_script(synth_job *job)
{
    const gate_ctx *ctx = job->ctx;
    char *wrapper = fsx_fmt("%s/fpga/rtl/fpga_top.sv", ctx->harness);
    char *staged = fsx_fmt("%s/fpga_top.sv", job->work);
    char *tmpl = fsx_fmt("%s/fpga/synth.ys", ctx->harness);
    char *path = fsx_fmt("%s/synth.ys", job->work);
    char *script = NULL, *sources = synth_source_list(job);
    size_t len;
    const char *status = NULL;
    const char *device = gate_cfg_str(ctx, "fpga.device", "hx8k");
    if (synth_copy(wrapper, staged, NULL) != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot copy the fitness bench %s: %s", wrapper,
                 strerror(errno));
        status = "error";
    } else if (fsx_read(tmpl, &script, &len) != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot read the synthesis script %s: %s", tmpl,
                 strerror(errno));
        status = "error";
    } else if (!sources || synth_fill(&script, "@CORE_SOURCES@", sources) != 0 ||
               synth_fill(&script, "@SYNTH_FLAGS@", synth_device_has_dsp(device) ? "-dsp" : "")
                   != 0) {
        snprintf(job->diag, sizeof job->diag, "%s lacks @CORE_SOURCES@ or @SYNTH_FLAGS@", tmpl);
        status = "error";
    } else if (fsx_write_atomic(path, script, strlen(script)) != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot write %s: %s", path, strerror(errno));
        status = "error";
    }
    free(sources);
    free(script);
    free(wrapper);
    free(staged);
    free(tmpl);
    free(path);
    return status;
}

/* Reads the cell counts from <work>/stat.json into r. */
static const char *synth_read_stat(synth_job *job, json_t *r)
{
    char *path = fsx_fmt("%s/stat.json", job->work);
    char *text = NULL, why[300];
    size_t len = 0;
    const char *status = NULL;
    if (fsx_read(path, &text, &len) != 0)
        snprintf(why, sizeof why, "unreadable: %s", strerror(errno));
    if (!text || toolout_synth_stat(text, len, r, why, sizeof why) != 0) {
        snprintf(job->diag, sizeof job->diag, "%s: %s; see %s", path, why, job->log);
        status = "error";
    }
    free(text);
    free(path);
    return status;
}

/* Records the netlist path and its hash. */
static const char *synth_record_netlist(synth_job *job, json_t *r)
{
    char *path = fsx_fmt("%s/netlist.json", job->work);
    char *data = NULL;
    size_t len = 0;
    char id[BLOBID_HEX + 1];
    const char *status = NULL;
    if (fsx_read(path, &data, &len) != 0 || len == 0) {
        snprintf(job->diag, sizeof job->diag, "Yosys finished but wrote no netlist %s; see %s",
                 path, job->log);
        status = "error";
    } else if (blobid_hash(data, len, id) != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot hash %s (libgit2)", path);
        status = "error";
    } else {
        json_object_set_new(r, "netlist", json_string(path));
        json_object_set_new(r, "netlist_sha1", json_string(id));
        json_object_set_new(r, "netlist_bytes", json_integer((json_int_t)len));
        /* Where the cells are, for the agents (a report, never a verdict). */
        json_t *net = json_loadb(data, len, 0, NULL);
        json_t *by = net ? netstat_by_instance(net, "fpga_top", SYNTH_CORE_PREFIX, SYNTH_BY_DEPTH, SYNTH_BY_MAX) : NULL;
        if (by)
            json_object_set_new(r, "cells_by_instance", by);
        json_decref(net);
    }
    free(data);
    free(path);
    return status;
}

/* Runs Yosys; returns a status with diag set on failure. */
static const char *synth_run_yosys(synth_job *job)
{
    double limit = job->ctx->timeout_s > 0 ? job->ctx->timeout_s : SYNTH_TIMEOUT_S;
    const char *argv[] = {"yosys", "-Q", "-s", "../synth.ys", NULL}; /* -Q: no banner */
    char *cwd = fsx_fmt("%s/cwd", job->work);
    proc_spec spec = {.argv = argv, .cwd = cwd, .log_path = job->log, .timeout_s = limit,
                      .confine = job->ctx->confine, .group = job->ctx->group};
    proc_result res;
    int rc = proc_run(&spec, &res);
    free(cwd);
    if (rc == 0)
        return NULL;
    char what[256];
    proc_describe(&res, "yosys", what, sizeof what);
    /* Yosys stops at its first ERROR line: quote it first, then the log's end. */
    char *log = NULL, *tail = fsx_tail(job->log, 800);
    size_t len;
    const char *err = fsx_read(job->log, &log, &len) == 0 ? strstr(log, "ERROR:") : NULL;
    while (err && err > log && err[-1] != '\n') /* keep the file:line before it */
        err--;
    snprintf(job->diag, sizeof job->diag, "%s: %.*s\n(script %s/synth.ys, log %s)\n...%s", what,
             err ? (int)strcspn(err, "\n") : 0, err ? err : "", job->work, job->log,
             tail ? tail : "");
    free(log);
    free(tail);
    if (res.spawn_failed)
        return "error";
    if (res.timed_out)
        return "timeout";
    if (res.cancelled || res.term_signal)
        return "error";
    return "fail";
}

json_t *gate_synth(const gate_ctx *ctx)
{
    double started = proc_now();
    json_t *r = gate_result_new("synth");
    synth_job job = {.ctx = ctx};
    job.work = gate_path(ctx, "synth");
    job.log = gate_path(ctx, "synth.log");
    const char *status = NULL;
    if (!proc_have_tool("yosys")) {
        snprintf(job.diag, sizeof job.diag, "yosys not found in PATH: run 'bash tools/setup.sh' "
                 "(Debian package yosys)");
        status = "error";
    }
    remove(job.log);
    if (!status)
        status = synth_stage(&job);
    if (!status)
        status = synth_write_script(&job);
    json_object_set_new(r, "device", json_string(gate_cfg_str(ctx, "fpga.device", "hx8k")));
    if (!status)
        status = synth_run_yosys(&job);
    if (!status)
        status = synth_read_stat(&job, r);
    if (!status)
        status = synth_record_netlist(&job, r);
    if (!status) {
        const json_t *c = json_object_get(r, "cells");
        snprintf(job.diag, sizeof job.diag, "%lld LUT4, %lld FF, %lld carry, %lld BRAM, %lld DSP",
                 (long long)json_integer_value(json_object_get(c, "lut")),
                 (long long)json_integer_value(json_object_get(c, "ff")),
                 (long long)json_integer_value(json_object_get(c, "carry")),
                 (long long)json_integer_value(json_object_get(c, "bram")),
                 (long long)json_integer_value(json_object_get(c, "dsp")));
        status = "pass";
    }
    gate_result_finish(r, status, job.diag, job.log, started);
    strv_free(&job.pkgs);
    strv_free(&job.srcs);
    free(job.work);
    free(job.log);
    return r;
}
