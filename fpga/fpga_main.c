/* fpga — runs the synth and pnr gates on one core and prints the fpga table.
 *
 *   fpga --core NAME [--tree DIR] [--rundir DIR] [--build DIR] [--jobs N]
 *        [--timeout S] [--quick] [--cosim FILE] [--json FILE]
 *   fpga --table GATES_JSON [--cosim FILE]
 *   fpga --kv GATES_JSON
 *   fpga --knobs CORE_YAML
 *
 * The first form is `make fpga TARGET=<n>`: gate_synth then gate_pnr with the
 * harness = the current directory, the design from --tree (default "."),
 * results in --rundir (default runs/fpga/<core>/gates.json) and the pnr cache
 * under --build (default ./build; the benchmark points it at an empty
 * directory to time an uncached run). The second form prints the table from a
 * results file written by this tool or by the generic `gate` CLI.
 * --cosim FILE: a cosim result, or a results file holding one under "cosim",
 * whose fitness-workload cycles and iterations add fitness and CoreMark/MHz.
 * --prior GATES_JSON: take the synth result from that file and run only the
 * pnr gate (the benchmark times the cached path this way).
 * --kv prints the figures of a results file as key=value lines for scripts.
 * --knobs prints one tab-separated line per knob value other than the
 * default: name, file, parameter, default, value (bench-fpga-knobs.sh).
 * Exit: 0 both gates passed, 1 a gate failed, 2 a gate could not run, 3 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpga_table.h"
#include "gates/gate_cli.h"
#include "yamljson/yamljson.h"

typedef struct {
    const char *cosim, *table, *prior, *kv, *knobs;
    gate_cli_opts o;
} fpga_cli;

static void fpga_usage(void)
{
    fprintf(stderr, "usage: fpga --core NAME [--tree DIR] [--rundir DIR] [--build DIR] [--jobs N]\n"
                    "            [--timeout S] [--quick] [--cosim FILE] [--json FILE]\n"
                    "            [--prior GATES_JSON]\n"
                    "       fpga --table GATES_JSON [--cosim FILE]\n"
                    "       fpga --kv GATES_JSON\n"
                    "       fpga --knobs CORE_YAML\n");
}

static int fpga_parse(int argc, char **argv, fpga_cli *c)
{
    memset(c, 0, sizeof *c);
    gate_cli_init(&c->o);
    for (int i = 1; i < argc; i++) {
        int taken = gate_cli_option(&c->o, argc, argv, &i);
        if (taken < 0)
            return -1;
        if (taken)
            continue;
        const char **slot = strcmp(argv[i], "--cosim") == 0   ? &c->cosim
                            : strcmp(argv[i], "--table") == 0 ? &c->table
                            : strcmp(argv[i], "--prior") == 0 ? &c->prior
                            : strcmp(argv[i], "--kv") == 0    ? &c->kv
                            : strcmp(argv[i], "--knobs") == 0 ? &c->knobs
                                                              : NULL;
        if (!slot || i + 1 >= argc)
            return -1;
        *slot = argv[++i];
    }
    return c->o.core || c->table || c->kv || c->knobs ? 0 : -1;
}

/* The cosim result in a file holding either it or a results object with it. */
static json_t *fpga_load_cosim(const char *path)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (!j) {
        fprintf(stderr, "fpga: cannot read cosim results %s: %s\n", path, jerr.text);
        return NULL;
    }
    json_t *inner = json_object_get(j, "cosim");
    if (inner) {
        json_incref(inner);
        json_decref(j);
        return inner;
    }
    return j;
}

static int fpga_print_table(const fpga_cli *c, json_t *cosim)
{
    json_error_t jerr;
    json_t *all = json_load_file(c->table, 0, &jerr);
    if (!all) {
        fprintf(stderr, "fpga: cannot read %s: %s\n", c->table, jerr.text);
        return 3;
    }
    json_t *cs = cosim ? cosim : json_object_get(all, "cosim");
    fpga_table_print(json_object_get(all, "synth"), json_object_get(all, "pnr"), cs, stdout);
    json_decref(all);
    return 0;
}

static const char *fpga_str(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "none";
}

/* key=value lines: synth_seconds, lut, ff, pnr_status, pnr_seconds, cached,
 * fmax_median, spread_pct, lc_used, lc_available, seedN_fmax, seedN_seconds. */
static int fpga_print_kv(const char *path)
{
    json_error_t jerr;
    json_t *all = json_load_file(path, 0, &jerr);
    if (!all) {
        fprintf(stderr, "fpga: cannot read %s: %s\n", path, jerr.text);
        return 3;
    }
    const json_t *synth = json_object_get(all, "synth"), *pnr = json_object_get(all, "pnr");
    const json_t *cells = json_object_get(synth, "cells");
    printf("synth_status=%s\nsynth_seconds=%.3f\nlut=%lld\nff=%lld\nbram=%lld\n",
           fpga_str(synth, "status"),
           json_number_value(json_object_get(synth, "seconds")),
           (long long)json_integer_value(json_object_get(cells, "lut")),
           (long long)json_integer_value(json_object_get(cells, "ff")),
           (long long)json_integer_value(json_object_get(cells, "bram")));
    printf("pnr_status=%s\npnr_seconds=%.3f\ncached=%d\nfmax_median=%.2f\nspread_pct=%.2f\n"
           "lc_used=%lld\nlc_available=%lld\n",
           fpga_str(pnr, "status"),
           json_number_value(json_object_get(pnr, "seconds")),
           json_is_true(json_object_get(pnr, "cached")),
           json_number_value(json_object_get(pnr, "fmax_mhz_median")),
           json_number_value(json_object_get(pnr, "seed_spread_pct")),
           (long long)json_integer_value(json_object_get(pnr, "lc_used")),
           (long long)json_integer_value(json_object_get(pnr, "lc_available")));
    size_t i;
    const json_t *sd;
    json_array_foreach(json_object_get(pnr, "seeds"), i, sd) {
        long long n = (long long)json_integer_value(json_object_get(sd, "seed"));
        printf("seed%lld_fmax=%.2f\nseed%lld_seconds=%.3f\n", n,
               json_number_value(json_object_get(sd, "fmax_mhz")), n,
               json_number_value(json_object_get(sd, "seconds")));
    }
    json_decref(all);
    return 0;
}

/* A knob value as SystemVerilog source text into buf; false if unsupported. */
static bool fpga_knob_text(const json_t *v, char *buf, size_t n)
{
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%g", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, n, "%d", json_is_true(v));
    else if (json_is_string(v))
        snprintf(buf, n, "\"%s\"", json_string_value(v));
    else
        return false;
    return true;
}

static int fpga_print_knobs(const char *path)
{
    char err[512];
    json_t *cfg = yamljson_load_file(path, err, sizeof err);
    if (!cfg) {
        fprintf(stderr, "fpga: %s\n", err);
        return 3;
    }
    size_t i, j;
    const json_t *k, *v;
    json_array_foreach(json_object_get(cfg, "knobs"), i, k) {
        char dflt[128], val[128];
        if (!fpga_knob_text(json_object_get(k, "default"), dflt, sizeof dflt))
            continue;
        json_array_foreach(json_object_get(k, "values"), j, v) {
            if (fpga_knob_text(v, val, sizeof val) && strcmp(val, dflt) != 0)
                printf("%s\t%s\t%s\t%s\t%s\n", fpga_str(k, "name"), fpga_str(k, "file"),
                       fpga_str(k, "parameter"), dflt, val);
        }
    }
    json_decref(cfg);
    return 0;
}

/* The results object to start from: empty, or --prior's synth result. */
static json_t *fpga_start(const fpga_cli *c)
{
    if (!c->prior)
        return json_object();
    json_error_t jerr;
    json_t *p = json_load_file(c->prior, 0, &jerr);
    json_t *synth = json_object_get(p, "synth");
    if (!synth) {
        fprintf(stderr, "fpga: %s has no synth result (%s)\n", c->prior, p ? "key missing" : jerr.text);
        json_decref(p);
        return NULL;
    }
    json_t *all = json_pack("{sO}", "synth", synth);
    json_decref(p);
    return all;
}

static int fpga_run(const fpga_cli *c, json_t *cosim)
{
    gate_cli_env env;
    if (gate_cli_open("fpga", &c->o, "fpga", false, true, &env) != 0)
        return 3;
    json_t *all = fpga_start(c);
    if (!all) {
        gate_cli_close(&env);
        return 3;
    }
    env.ctx.prior = all;
    printf("fpga: core %s, tree %s, logs in %s\n", c->o.core, env.tree, env.rundir);
    fflush(stdout);
    json_t *synth = json_object_get(all, "synth");
    if (!synth) {
        synth = gate_synth(&env.ctx);
        json_object_set_new(all, "synth", synth);
    }
    int rc = gate_cli_exit(synth);
    json_t *pnr = NULL;
    if (rc == 0) {
        pnr = gate_pnr(&env.ctx);
        json_object_set_new(all, "pnr", pnr);
        rc = gate_cli_exit(pnr);
    }
    fpga_table_print(synth, pnr, cosim, stdout);
    int wrc = gate_cli_write("fpga", all, c->o.json_out, env.rundir, "gates.json");
    json_decref(all);
    gate_cli_close(&env);
    return rc ? rc : wrc;
}

int main(int argc, char **argv)
{
    fpga_cli c;
    if (fpga_parse(argc, argv, &c) != 0) {
        fpga_usage();
        return 3;
    }
    json_t *cosim = NULL;
    if (c.cosim && !(cosim = fpga_load_cosim(c.cosim)))
        return 3;
    int rc = c.knobs ? fpga_print_knobs(c.knobs)
             : c.kv  ? fpga_print_kv(c.kv)
             : c.table ? fpga_print_table(&c, cosim)
                       : fpga_run(&c, cosim);
    json_decref(cosim);
    return rc;
}
