/* fpga_table.c — see fpga_table.h. */
#include "fpga_table.h"

#include <stdbool.h>
#include <string.h>

static long long fpga_table_int(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static const char *fpga_table_str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

int fpga_table_workload(const json_t *cosim, double *cycles, double *iterations)
{
    const char *const where[] = {NULL, "fitness", "workload"};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        const json_t *o = where[i] ? json_object_get(cosim, where[i]) : cosim;
        const json_t *c = json_object_get(o, "cycles"), *n = json_object_get(o, "iterations");
        if (json_is_number(c) && json_is_number(n) && json_number_value(c) > 0) {
            *cycles = json_number_value(c);
            *iterations = json_number_value(n);
            return 1;
        }
    }
    return 0;
}

static void fpga_table_synth(const json_t *synth, FILE *out)
{
    const json_t *c = json_object_get(synth, "cells");
    if (!c) {
        fprintf(out, "  synth     %s: %s\n", fpga_table_str(synth, "status", "?"),
                fpga_table_str(synth, "diagnostic", ""));
        return;
    }
    fprintf(out, "  synth     %lld LUT4, %lld FF, %lld carry, %lld BRAM, %lld DSP  (%.1f s)\n",
            fpga_table_int(c, "lut"), fpga_table_int(c, "ff"), fpga_table_int(c, "carry"),
            fpga_table_int(c, "bram"), fpga_table_int(c, "dsp"),
            json_number_value(json_object_get(synth, "seconds")));
}

static void fpga_table_seeds(const json_t *pnr, FILE *out)
{
    fprintf(out, "  seed   routed   Fmax MHz   seconds\n");
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(pnr, "seeds"), i, s) {
        bool routed = json_is_true(json_object_get(s, "routed"));
        fprintf(out, "  %-6lld %-8s ", fpga_table_int(s, "seed"), routed ? "yes" : "no");
        if (routed)
            fprintf(out, "%8.2f", json_number_value(json_object_get(s, "fmax_mhz")));
        else
            fprintf(out, "%8s", "-");
        fprintf(out, "   %7.1f", json_number_value(json_object_get(s, "seconds")));
        if (!routed)
            fprintf(out, "   %s", fpga_table_str(s, "cause", "unknown"));
        fprintf(out, "\n");
    }
}

static void fpga_table_resource(const json_t *util, const char *name, const char *label, FILE *out)
{
    const json_t *u = json_object_get(util, name);
    if (u)
        fprintf(out, "   %s %lld/%lld", label, fpga_table_int(u, "used"),
                fpga_table_int(u, "available"));
}

static void fpga_table_fitness(const json_t *pnr, const json_t *cosim, FILE *out)
{
    double cycles, iterations;
    if (!cosim || !fpga_table_workload(cosim, &cycles, &iterations))
        return;
    double per_mhz = iterations / cycles * 1e6;
    fprintf(out, "  CoreMark/MHz  %.4f   (%.0f iterations in %.0f cycles)\n", per_mhz, iterations,
            cycles);
    const json_t *f = json_object_get(pnr, "fmax_mhz_median");
    if (json_is_number(f))
        fprintf(out, "  fitness       %.3f iterations/s at %.2f MHz\n",
                json_number_value(f) * per_mhz, json_number_value(f));
}

void fpga_table_print(const json_t *synth, const json_t *pnr, const json_t *cosim, FILE *out)
{
    if (pnr)
        fprintf(out, "fpga: %s/%s, clock target %.0f MHz, %s\n", fpga_table_str(pnr, "device", "?"),
                fpga_table_str(pnr, "package", "?"),
                json_number_value(json_object_get(pnr, "clock_mhz")),
                fpga_table_str(pnr, "nextpnr_version", "nextpnr-ice40"));
    if (synth)
        fpga_table_synth(synth, out);
    if (!pnr) {
        fpga_table_fitness(NULL, cosim, out);
        return;
    }
    fpga_table_seeds(pnr, out);
    const char *status = fpga_table_str(pnr, "status", "?");
    bool cached = json_is_true(json_object_get(pnr, "cached"));
    if (strcmp(status, "pass") == 0) {
        fprintf(out, "  median Fmax   %.2f MHz   seed spread %.1f%%   pnr %.1f s%s\n",
                json_number_value(json_object_get(pnr, "fmax_mhz_median")),
                json_number_value(json_object_get(pnr, "seed_spread_pct")),
                json_number_value(json_object_get(pnr, "seconds")), cached ? " (cached)" : "");
        long long used = fpga_table_int(pnr, "lc_used"), avail = fpga_table_int(pnr, "lc_available");
        fprintf(out, "  LCs           %lld/%lld (%.1f%%)\n", used, avail,
                avail > 0 ? 100.0 * (double)used / (double)avail : 0.0);
        fprintf(out, "  FFs %lld", fpga_table_int(json_object_get(synth, "cells"), "ff"));
        const json_t *util = json_object_get(pnr, "utilisation");
        fpga_table_resource(util, "ICESTORM_RAM", "BRAMs", out);
        fpga_table_resource(util, "ICESTORM_DSP", "DSPs", out);
        if (!json_object_get(util, "ICESTORM_DSP"))
            fprintf(out, "   DSPs 0/0");
        fprintf(out, "\n");
    } else {
        fprintf(out, "  pnr %s: %s\n", status, fpga_table_str(pnr, "diagnostic", ""));
    }
    fpga_table_fitness(pnr, cosim, out);
}
