/* toolout.c — see toolout.h. */
#include "gates/toolout.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim/cpiprof.h"
#include "lib/strbuf.h"

/* ---- nextpnr ---- */

/* A count nextpnr or Yosys reports: an integer in 0..max. */
/* The harness's cycle budget is far below this: a larger count is garbage. */
#define TOOLOUT_CYCLES_MAX ((json_int_t)1 << 50)

static bool toolout_count(const json_t *v, json_int_t max, json_int_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return false;
    *out = json_integer_value(v);
    return true;
}

/* {resource: {used, available, pct}} from a report's "utilization". */
static json_t *toolout_pnr_util(const json_t *util, char *err, size_t n)
{
    json_t *out = json_object();
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)util, name, v) {
        json_int_t used, avail;
        if (!toolout_count(json_object_get(v, "used"), TOOLOUT_CELLS_MAX, &used) ||
            !toolout_count(json_object_get(v, "available"), TOOLOUT_CELLS_MAX, &avail)) {
            snprintf(err, n, "utilization.%.60s: used/available are not counts", name);
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, name, json_pack("{sIsIsf}", "used", used, "available", avail, "pct",
                                                 avail > 0 ? 100.0 * (double)used / (double)avail : 0.0));
    }
    return out;
}

int toolout_pnr_report(const char *text, size_t len, double *fmax_mhz, json_t **util, char *err, size_t n)
{
    json_error_t jerr;
    json_t *rep = json_loadb(text, len, 0, &jerr);
    *fmax_mhz = 0;
    *util = NULL;
    if (!rep) {
        snprintf(err, n, "not JSON: line %d: %s", jerr.line, jerr.text);
        return -1;
    }
    /* The slowest clock (the bench has one). */
    double worst = 0;
    const char *clk;
    json_t *v;
    json_object_foreach(json_object_get(rep, "fmax"), clk, v) {
        double a = json_number_value(json_object_get(v, "achieved"));
        if (a > 0 && (worst == 0 || a < worst))
            worst = a;
    }
    const json_t *u = json_object_get(rep, "utilization");
    if (worst <= 0 || !json_is_object(u)) {
        snprintf(err, n, "no fmax/utilization (fields missing)");
        json_decref(rep);
        return -1;
    }
    *util = toolout_pnr_util(u, err, n);
    json_decref(rep);
    if (!*util)
        return -1;
    *fmax_mhz = worst;
    return 0;
}

/* The utilisation line for a cell type in the last "Device utilisation:"
 * table of the log, e.g. "Info:          ICESTORM_LC:   667/  384   173%". */
static void toolout_pnr_utilisation(const char *log, toolout_pnr_failure *f)
{
    const char *table = NULL;
    for (const char *p = strstr(log, "Device utilisation:"); p; p = strstr(p + 1, "Device utilisation:"))
        table = p;
    if (!table)
        return;
    char pat[80];
    snprintf(pat, sizeof pat, " %s:", f->resource);
    const char *hit = strstr(table, pat);
    const char *end = strstr(table, "\n\n");
    if (!hit || (end && hit > end))
        return;
    long used, avail;
    if (sscanf(hit + strlen(pat), " %9ld / %9ld", &used, &avail) == 2 && used >= 0 && avail > 0) {
        f->used = used;
        f->available = avail;
    }
}

/* Copies the text between the quotes after marker into out. */
static bool toolout_quoted_after(const char *text, const char *marker, char *out, size_t n)
{
    const char *p = strstr(text, marker);
    if (!p)
        return false;
    p += strlen(marker);
    size_t len = strcspn(p, "'\n");
    snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), p);
    return len > 0;
}

void toolout_pnr_log(const char *text, size_t len, toolout_pnr_failure *f)
{
    memset(f, 0, sizeof *f);
    f->cause = "nextpnr_error";
    char *log = strndup(text, len);
    if (!log)
        return;
    const char *err = strstr(log, "ERROR:");
    if (err) {
        size_t el = strcspn(err, "\n");
        snprintf(f->error, sizeof f->error, "%.*s", (int)(el < sizeof f->error ? el : sizeof f->error - 1), err);
    }
    if (toolout_quoted_after(log, "no BELs remaining to implement cell type '", f->resource, sizeof f->resource) ||
        (strstr(log, "Unable to place cell '") &&
         toolout_quoted_after(log, "' of type '", f->resource, sizeof f->resource))) {
        f->cause = "does_not_fit";
        toolout_pnr_utilisation(log, f);
    } else if (strstr(log, "Failed to route") || strstr(log, "Failed to find a route")) {
        f->cause = "routing_failed";
    }
    free(log);
}

/* ---- Yosys ---- */

int toolout_synth_stat(const char *text, size_t len, json_t *r, char *err, size_t n)
{
    json_error_t jerr;
    json_t *stat = json_loadb(text, len, 0, &jerr);
    json_t *by_type = json_object_get(json_object_get(json_object_get(stat, "modules"), "\\fpga_top"),
                                      "num_cells_by_type");
    if (!json_is_object(by_type)) {
        snprintf(err, n, "no cell counts for module fpga_top (%s)",
                 stat ? "missing modules.\\fpga_top.num_cells_by_type" : jerr.text);
        json_decref(stat);
        return -1;
    }
    /* Each count is bounded, so no sum below can overflow. */
    json_int_t lut = 0, ff = 0, carry = 0, bram = 0, dsp = 0;
    const char *type;
    json_t *v;
    json_object_foreach(by_type, type, v) {
        json_int_t k;
        if (!toolout_count(v, TOOLOUT_CELLS_MAX, &k)) {
            snprintf(err, n, "modules.\\fpga_top.num_cells_by_type.%.60s is not a cell count (0..%d)", type,
                     TOOLOUT_CELLS_MAX);
            json_decref(stat);
            return -1;
        }
        if (strcmp(type, "SB_LUT4") == 0)
            lut += k;
        else if (strncmp(type, "SB_DFF", 6) == 0)
            ff += k;
        else if (strcmp(type, "SB_CARRY") == 0)
            carry += k;
        else if (strncmp(type, "SB_RAM40_4K", 11) == 0)
            bram += k;
        else if (strcmp(type, "SB_MAC16") == 0)
            dsp += k;
    }
    json_object_set_new(r, "cells", json_pack("{sIsIsIsIsI}", "lut", lut, "ff", ff, "carry", carry, "bram", bram,
                                              "dsp", dsp));
    json_object_set(r, "cells_by_type", by_type);
    json_t *creator = json_object_get(stat, "creator");
    if (json_is_string(creator))
        json_object_set(r, "yosys_version", creator);
    json_decref(stat);
    return 0;
}

/* ---- the cosim harness ---- */

json_t *toolout_cosim_lines(const char *text, size_t len, size_t max)
{
    json_t *out = json_array();
    size_t i = 0;
    while (out && i < len && json_array_size(out) < max) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t ll = end - i;
        const char *line = text + i;
        i = end + 1;
        if (ll == 0)
            continue;
        /* json_loadb stops at no NUL; a NUL byte in the line makes it invalid JSON. */
        json_t *res = json_loadb(line, ll, 0, NULL);
        const json_t *verdict = json_object_get(res, "verdict");
        if (!json_is_object(res) || !json_is_string(verdict)) {
            json_decref(res);
            res = json_null();
        }
        bool pass = json_is_object(res) && strcmp(json_string_value(json_object_get(res, "verdict")), "pass") == 0;
        json_array_append_new(out, res);
        if (!pass)
            break; /* the harness stopped at its first failure */
    }
    return out;
}

json_t *toolout_cpi_profile(const json_t *p)
{
    const json_int_t max = TOOLOUT_CYCLES_MAX;
    const json_t *classes = json_object_get(p, "classes"), *stalls = json_object_get(p, "stalls");
    json_int_t cycles = 0, retired = 0, n = 0, cy = 0;
    if (!toolout_count(json_object_get(p, "cycles"), max, &cycles) ||
        !toolout_count(json_object_get(p, "retired"), max, &retired) || cycles <= 0 || retired <= 0 ||
        !json_is_object(classes) || !json_is_object(stalls))
        return NULL;
    json_t *oc = json_object(), *os = json_object();
    bool ok = true;
    for (int c = 0; c < CPI_NCLASS && ok; c++) {
        const char *name = cpiprof_class_name((cpi_class)c);
        const json_t *pair = json_object_get(classes, name);
        ok = json_array_size(pair) == 2 && toolout_count(json_array_get(pair, 0), max, &n) &&
             toolout_count(json_array_get(pair, 1), max, &cy);
        if (ok)
            json_object_set_new(oc, name, json_pack("[I,I]", n, cy));
    }
    for (int c = 0; c < CPI_NCAUSE && ok; c++) {
        const char *name = cpiprof_cause_name((cpi_cause)c);
        ok = toolout_count(json_object_get(stalls, name), max, &cy);
        if (ok)
            json_object_set_new(os, name, json_integer(cy));
    }
    if (!ok) {
        json_decref(oc);
        json_decref(os);
        return NULL;
    }
    return json_pack("{s:I,s:I,s:o,s:o}", "cycles", cycles, "retired", retired, "classes", oc, "stalls", os);
}

json_t *toolout_cosim_fitness(const json_t *result, const char *workload, const char *program)
{
    const json_t *bench = json_object_get(result, "bench");
    const json_t *val = json_object_get(result, "validation");
    json_int_t cycles = json_integer_value(json_object_get(bench, "cycles"));
    json_int_t iters = json_integer_value(json_object_get(val, "iterations"));
    const char *reason = json_string_value(json_object_get(val, "reason"));
    const char *uart = json_string_value(json_object_get(result, "uart_tail"));
    json_t *f = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:s, s:s}", "workload", workload, "program",
                          program, "stall", "std", "cycles", cycles, "iterations", iters, "instructions",
                          json_integer_value(json_object_get(bench, "instructions")), "total_cycles",
                          json_integer_value(json_object_get(result, "cycles")), "validated",
                          json_is_true(json_object_get(val, "ok")), "validation", reason ? reason : "",
                          /* the coremark gate validates this text again */
                          "output", uart ? uart : "");
    if (f && cycles > 0)
        json_object_set_new(f, "coremark_per_mhz", json_real((double)iters / (double)cycles * 1e6));
    json_t *prof = toolout_cpi_profile(json_object_get(bench, "profile"));
    if (f && prof)
        json_object_set_new(f, "cpi_profile", prof);
    else
        json_decref(prof);
    return f;
}

static const char *toolout_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

char *toolout_cosim_failure(const json_t *result, const char *verdict, const char *program, const char *pattern,
                            const char *path)
{
    const char *msg = json_string_value(json_object_get(result, "message"));
    strbuf b = {0};
    strbuf_addf(&b, "cosim %s: %s under stall pattern %s: %s\n", verdict, program, pattern, msg ? msg : "");
    const json_t *last = json_object_get(result, "last");
    size_t nlast = json_array_size(last);
    if (nlast)
        strbuf_add(&b, "last retirements (core):\n");
    /* The last few are what a reader needs; the harness prints a short ring. */
    for (size_t i = nlast > TOOLOUT_COSIM_LAST ? nlast - TOOLOUT_COSIM_LAST : 0; i < nlast; i++) {
        const json_t *e = json_array_get(last, i);
        const json_t *order = json_object_get(e, "order"); /* a hex string when the core's is out of int64 range */
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(order));
        strbuf_addf(&b, "  #%s  pc %s  %s  %s\n", json_is_string(order) ? json_string_value(order) : num,
                    toolout_str(e, "pc"), toolout_str(e, "insn"), toolout_str(e, "disasm"));
    }
    strbuf_addf(&b, "program: %s\n", path);
    return strbuf_take(&b);
}
