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
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpga_table.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "yamljson/yamljson.h"

typedef struct {
    const char *core, *tree, *rundir, *build, *cosim, *json_out, *table, *prior, *kv, *knobs;
    int jobs;
    double timeout_s;
    bool quick;
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
    c->tree = ".";
    c->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    c->jobs = c->jobs < 1 ? 1 : c->jobs;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) {
            c->quick = true;
            continue;
        }
        if (!v)
            return -1;
        if (strcmp(a, "--core") == 0)
            c->core = v;
        else if (strcmp(a, "--tree") == 0)
            c->tree = v;
        else if (strcmp(a, "--rundir") == 0)
            c->rundir = v;
        else if (strcmp(a, "--build") == 0)
            c->build = v;
        else if (strcmp(a, "--cosim") == 0)
            c->cosim = v;
        else if (strcmp(a, "--json") == 0)
            c->json_out = v;
        else if (strcmp(a, "--table") == 0)
            c->table = v;
        else if (strcmp(a, "--prior") == 0)
            c->prior = v;
        else if (strcmp(a, "--kv") == 0)
            c->kv = v;
        else if (strcmp(a, "--knobs") == 0)
            c->knobs = v;
        else if (strcmp(a, "--jobs") == 0)
            c->jobs = atoi(v) > 0 ? atoi(v) : 1;
        else if (strcmp(a, "--timeout") == 0)
            c->timeout_s = atof(v);
        else
            return -1;
        i++;
    }
    return c->core || c->table || c->kv || c->knobs ? 0 : -1;
}

static void fpga_on_signal(int sig)
{
    (void)sig;
    proc_cancel_all();
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

static int fpga_status_code(const json_t *r)
{
    if (json_is_true(json_object_get(r, "pass")))
        return 0;
    const char *s = json_string_value(json_object_get(r, "status"));
    return s && strcmp(s, "fail") == 0 ? 1 : 2;
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
    char tree[PATH_MAX], harness[PATH_MAX];
    if (!realpath(c->tree, tree) || !getcwd(harness, sizeof harness)) {
        fprintf(stderr, "fpga: cannot resolve tree '%s'\n", c->tree);
        return 3;
    }
    char *cfg_path = fsx_fmt("%s/cores/%s/core.yaml", tree, c->core);
    char err[512];
    json_t *cfg = yamljson_load_file(cfg_path, err, sizeof err);
    free(cfg_path);
    if (!cfg) {
        fprintf(stderr, "fpga: %s\n", err);
        return 3;
    }
    char *rundir = c->rundir ? fsx_fmt("%s", c->rundir) : fsx_fmt("%s/runs/fpga/%s", harness, c->core);
    char *build = c->build ? fsx_fmt("%s", c->build) : fsx_fmt("%s/build", harness);
    int rc = 3;
    if (fsx_mkdirs(rundir, 0755) != 0 || fsx_mkdirs(build, 0755) != 0) {
        fprintf(stderr, "fpga: cannot create %s or %s\n", rundir, build);
        goto out;
    }
    gate_ctx ctx = {.tree = tree, .core = c->core, .harness = harness, .build = build,
                    .rundir = rundir, .core_cfg = cfg, .jobs = c->jobs,
                    .timeout_s = c->timeout_s, .quick = c->quick};
    json_t *all = fpga_start(c);
    if (!all)
        goto out;
    ctx.prior = all;
    printf("fpga: core %s, tree %s, logs in %s\n", c->core, tree, rundir);
    fflush(stdout);
    json_t *synth = json_object_get(all, "synth");
    if (!synth) {
        synth = gate_synth(&ctx);
        json_object_set_new(all, "synth", synth);
    }
    rc = fpga_status_code(synth);
    json_t *pnr = NULL;
    if (rc == 0) {
        pnr = gate_pnr(&ctx);
        json_object_set_new(all, "pnr", pnr);
        rc = fpga_status_code(pnr);
    }
    fpga_table_print(synth, pnr, cosim, stdout);
    char *out = c->json_out ? fsx_fmt("%s", c->json_out) : fsx_fmt("%s/gates.json", rundir);
    char *text = json_dumps(all, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!text || fsx_write_atomic(out, text, strlen(text)) != 0) {
        fprintf(stderr, "fpga: cannot write %s\n", out);
        rc = rc ? rc : 2;
    } else {
        printf("results: %s\n", out);
    }
    free(text);
    free(out);
    json_decref(all);
out:
    free(rundir);
    free(build);
    json_decref(cfg);
    return rc;
}

int main(int argc, char **argv)
{
    fpga_cli c;
    if (fpga_parse(argc, argv, &c) != 0) {
        fpga_usage();
        return 3;
    }
    signal(SIGINT, fpga_on_signal);
    signal(SIGTERM, fpga_on_signal);
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
