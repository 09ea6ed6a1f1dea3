/* fakegates.c — see fakegates.h. */
#include "fakegates.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "landscape.h"
#include "gates/critpath.h"
#include "gates/fitset.h"
#include "gates/netstat.h"
#include "gates/toolout.h"
#include "lib/dirlist.h"
#include "lib/fsx.h"
#include "lib/proc.h"

typedef struct {
    double fmax, cycles, lut, ff, knob_pct, knob_sum;
    bool modelled;     /* figures from the EVO_FAKE_LANDSCAPE model (landscape.h) */
    landscape land;    /* ... and the design's configuration in it */
    ls_config cfg;
    char model_err[400]; /* the model could not score the design: lint fails with this */
    double vm;         /* marker vm=<cycles>: the interpreter workload's cycles (default: cycles) */
    double reseed;     /* marker reseed=<f>: seeds from 4 on (a re-measurement) route at fmax x f */
    bool syntax_error, formal_bug, cosim_bug, synth_error;
    int modules, endmodules;
    char crit[64];     /* marker crit=<signal>: the fake critical path runs through it */
    char crit_file[128]; /* the rtl/ file holding the marker */
} fake_design;

static int fake_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void fake_parse_marker(fake_design *d, const char *m)
{
    static const char *const keys[] = {"fmax=", "cycles=", "lut=", "ff=", "knob_pct=", "reseed=", "vm="};
    double *dst[] = {&d->fmax, &d->cycles, &d->lut, &d->ff, &d->knob_pct, &d->reseed, &d->vm};
    for (int i = 0; i < 7; i++) {
        const char *p = strstr(m, keys[i]);
        const char *eol = strchr(m, '\n');
        if (p && (!eol || p < eol))
            *dst[i] = atof(p + strlen(keys[i]));
    }
    const char *c = strstr(m, "crit=");
    const char *eol = strchr(m, '\n');
    if (c && (!eol || c < eol))
        snprintf(d->crit, sizeof d->crit, "%.*s", (int)strcspn(c + 5, " \n"), c + 5);
}

static int fake_count(const char *text, const char *word)
{
    int n = 0;
    size_t l = strlen(word);
    for (const char *p = text; (p = strstr(p, word)); p += l) {
        bool start = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'));
        bool end = !(p[l] == '_' || (p[l] >= 'a' && p[l] <= 'z'));
        n += start && end;
    }
    return n;
}

/* Adds the value of every "parameter NAME = <integer>" line of text. */
static double fake_knob_sum(const char *text)
{
    double sum = 0;
    for (const char *p = text; (p = strstr(p, "parameter ")); p++) {
        const char *eq = strchr(p, '=');
        const char *eol = strchr(p, '\n');
        if (eq && (!eol || eq < eol))
            sum += atof(eq + 1);
    }
    return sum;
}

/* The "parameter NAME = <integer>" lines of text, added to names/vals. */
static void fake_params(const char *text, char names[][LS_NAME], long *vals, int *n, int max)
{
    for (const char *p = text; (p = strstr(p, "parameter ")) && *n < max; p++) {
        const char *nm = p + strlen("parameter ");
        size_t len = strcspn(nm, " =;\n");
        const char *eq = nm + len + strspn(nm + len, " ");
        if (*eq != '=' || len == 0 || len >= LS_NAME)
            continue;
        snprintf(names[*n], LS_NAME, "%.*s", (int)len, nm);
        vals[(*n)++] = strtol(eq + 1, NULL, 10);
    }
}

/* EVO_FAKE_LANDSCAPE: the design's noise-free figures from the model, its
 * knobs read from the parameter lines of the RTL texts. */
static void fake_model(fake_design *d, char *const *texts, size_t n)
{
    const char *path = getenv("EVO_FAKE_LANDSCAPE");
    if (!path || !*path)
        return;
    char names[64][LS_NAME], err[400];
    long vals[64];
    const char *np[64];
    int nn = 0;
    for (size_t i = 0; i < n; i++)
        if (texts[i])
            fake_params(texts[i], names, vals, &nn, 64);
    for (int i = 0; i < nn; i++)
        np[i] = names[i];
    if (landscape_load(path, &d->land, err, sizeof err) != 0 ||
        landscape_config(&d->land, np, vals, nn, &d->cfg, err, sizeof err) != 0) {
        snprintf(d->model_err, sizeof d->model_err, "%%Error: fake gates: %.370s", err);
        return;
    }
    ls_figures f = landscape_eval(&d->land, &d->cfg);
    d->modelled = true;
    d->cycles = f.cyc_w;
    d->vm = f.cyc_vm;
    d->fmax = f.fmax;
    d->lut = f.lut;
}

static void fake_read(const gate_ctx *ctx, fake_design *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->crit, sizeof d->crit, "count");
    d->fmax = 50;
    d->cycles = 200000;
    d->lut = 3000;
    d->ff = 900;
    char *dir = fsx_fmt("%s/cores/%s/rtl", ctx->tree, ctx->core);
    DIR *dd = dir ? opendir(dir) : NULL;
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while (dd && n < 256 && (de = readdir(dd)))
        if (de->d_name[0] != '.')
            names[n++] = strdup(de->d_name);
    if (dd)
        closedir(dd);
    qsort(names, n, sizeof names[0], fake_cmp);
    bool marked = false;
    char *texts[256] = {NULL};
    for (size_t i = 0; i < n; i++) {
        char *p = fsx_fmt("%s/%s", dir, names[i]);
        char *text = NULL;
        if (p && fsx_read(p, &text, NULL) == 0) {
            const char *m = strstr(text, "// fake:");
            if (m && !marked) {
                fake_parse_marker(d, m);
                snprintf(d->crit_file, sizeof d->crit_file, "%s", names[i]);
                marked = true;
            }
            d->syntax_error |= strstr(text, "SYNTAX_ERROR") != NULL;
            d->formal_bug |= strstr(text, "FORMAL_BUG") != NULL;
            d->cosim_bug |= strstr(text, "COSIM_BUG") != NULL;
            d->synth_error |= strstr(text, "SYNTH_CANNOT_RUN") != NULL;
            d->knob_sum += fake_knob_sum(text);
            d->modules += fake_count(text, "module");
            d->endmodules += fake_count(text, "endmodule");
        }
        texts[i] = text;
        free(p);
        free(names[i]);
    }
    free(dir);
    d->fmax *= 1.0 + d->knob_pct / 100.0 * d->knob_sum;
    fake_model(d, texts, n);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
}

/* A tool of the gate's row that is not in EVO_FAKE_TOOLS (a directory),
 * reported as the real gates report a tool they cannot start. */
static json_t *fake_tool_missing(const char *gate, double t0)
{
    const char *dir = getenv("EVO_FAKE_TOOLS");
    for (size_t i = 0; dir && *dir && i < fakegates_len; i++) {
        if (strcmp(fakegates_table[i].name, gate) != 0)
            continue;
        for (const char *const *t = fakegates_table[i].tools; *t; t++) {
            char *path = fsx_fmt("%s/%s", dir, *t);
            bool there = path && access(path, X_OK) == 0;
            free(path);
            if (!there) {
                char msg[300];
                snprintf(msg, sizeof msg, "not found: %s (run 'bash tools/setup.sh' to install the Debian packages)",
                         *t);
                return gate_result_error(gate, msg, t0);
            }
        }
    }
    return NULL;
}

/* Sleeps EVO_FAKE_SLEEP_<GATE> (else EVO_FAKE_SLEEP) seconds unless
 * interrupted; records the run. NULL to go on, else the gate's result
 * (interrupted, or a tool missing). */
static json_t *fake_begin(const gate_ctx *ctx, const char *gate, double t0)
{
    const char *log = getenv("EVO_FAKE_LOG");
    if (log && *log) {
        char *line = fsx_fmt("%s %s\n", gate, ctx->tree);
        if (line && fsx_append(log, line, strlen(line)) != 0) { /* test aid only */ }
        free(line);
    }
    char var[64];
    snprintf(var, sizeof var, "EVO_FAKE_SLEEP_%s", gate);
    for (char *c = var; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
    const char *s = getenv(var) ? getenv(var) : getenv("EVO_FAKE_SLEEP");
    double until = proc_now() + (s ? atof(s) : 0.0);
    while (proc_now() < until && !proc_is_cancelled())
        usleep(10000);
    if (proc_is_cancelled())
        return gate_result_error(gate, "interrupted", t0);
    return fake_tool_missing(gate, t0);
}

static json_t *fake_finish(json_t *r, const char *status, const char *diag, double t0)
{
    return gate_result_finish(r, status, diag, NULL, t0);
}

/* Appends 64 KiB blocks to path until a write fails: the disk is full. */
static void fake_fill(const char *path)
{
    static const char block[65536];
    for (int i = 0; i < 1 << 16 && fsx_append(path, block, sizeof block) == 0; i++) { /* fill */ }
}

/* Like Verilator's testbench build: 8 KiB of model files in the run
 * directory, and a build that cannot write them is a lint "fail" (that is
 * how the real tool reports it; the pipeline must see through it). */
static bool fake_build_model(const gate_ctx *ctx, char *why, size_t n)
{
    static const char model[8192];
    char *path = gate_path(ctx, "lint-model.bin");
    bool ok = path && fsx_write_atomic(path, model, sizeof model) == 0;
    if (!ok)
        snprintf(why, n, "%%Error: cannot write %s: %s", path ? path : "the model", strerror(errno));
    free(path);
    return ok;
}

static json_t *fake_lint(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *stop = fake_begin(ctx, "lint", t0);
    if (stop)
        return stop;
    const char *fill = getenv("EVO_FAKE_FILL");
    if (fill && *fill)
        fake_fill(fill);
    fake_design d;
    fake_read(ctx, &d);
    json_t *r = gate_result_new("lint");
    char why[600];
    if (!fake_build_model(ctx, why, sizeof why))
        return fake_finish(r, "fail", why, t0);
    if (d.model_err[0])
        return fake_finish(r, "fail", d.model_err, t0);
    if (d.syntax_error)
        return fake_finish(r, "fail", "%Error: core.sv:3: syntax error, unexpected SYNTAX_ERROR", t0);
    if (d.modules != d.endmodules || d.modules == 0)
        return fake_finish(r, "fail", "%Error: module/endmodule do not balance", t0);
    return fake_finish(r, "pass", "", t0);
}

static json_t *fake_synth(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *stop = fake_begin(ctx, "synth", t0);
    if (stop)
        return stop;
    fake_design d;
    fake_read(ctx, &d);
    json_t *r = gate_result_new("synth");
    if (d.synth_error)
        return fake_finish(r, "error", "not found: yosys (fake: the tool could not run)", t0);
    json_object_set_new(r, "cells", json_pack("{s:I,s:I,s:I,s:I,s:I}", "lut", (json_int_t)(d.lut * 0.9), "ff",
                                              (json_int_t)d.ff, "carry", (json_int_t)100, "bram", (json_int_t)4,
                                              "dsp", (json_int_t)0));
    /* A flattened netlist with one LUT in the core and one in an instance
     * named after the critical signal, read by the real counter. */
    char inst[160];
    snprintf(inst, sizeof inst, "u_core.u_%s.x_SB_LUT4_O", d.crit);
    json_t *net = json_pack("{s:{s:{s:{s:{s:s},s:{s:s}}}}}", "modules", "fpga_top", "cells", inst, "type", "SB_LUT4",
                            "u_core.y_SB_DFF_Q", "type", "SB_DFF");
    json_t *by = netstat_by_instance(net, "fpga_top", "u_core.", 2, 12);
    if (by)
        json_object_set_new(r, "cells_by_instance", by);
    json_decref(net);
    return fake_finish(r, "pass", "", t0);
}

/* Under a cluster executor the real P&R's seeds, formal's proofs and
 * cosim's batches are jobs of their own (ctx->launcher): so are the stand-ins', each a `sleep`
 * of EVO_FAKE_SLEEP_<WHAT> seconds (default 0), labelled and logged as the
 * real gate's (log: <rundir>/<logdir><label><logext>). NULL, or the gate's result
 * when a job could not run (infrastructure: what_fmt names it, from its label
 * less skip characters) or was stopped. */
static json_t *fake_tool_jobs(const gate_ctx *ctx, const char *gate, const char *const *labels, const char *logdir,
                              const char *logext, const char *what_fmt, size_t skip, const char *sleep_var, double t0)
{
    const char *secs = getenv(sleep_var) ? getenv(sleep_var) : "0";
    for (size_t i = 0; ctx->launcher && labels[i]; i++) {
        const char *argv[] = {"sleep", secs, NULL};
        char why[1500], what[64];
        char *log = fsx_fmt("%s/%s%s%s", ctx->rundir, logdir, labels[i], logext);
        proc_spec spec = {.argv = argv, .log_path = log, .timeout_s = 60, .confine = ctx->confine};
        proc_result res;
        int rc = log ? gate_run_tool(ctx, labels[i], &spec, &res, why, sizeof why) : -1;
        free(log);
        if (rc != 0) {
            json_t *r = gate_result_new(gate);
            json_object_set_new(r, "infrastructure", json_true());
            snprintf(what, sizeof what, what_fmt, labels[i] + skip);
            char *diag = fsx_fmt("infrastructure: %s%s", what, why);
            fake_finish(r, "error", diag ? diag : why, t0);
            free(diag);
            return r;
        }
        if (res.cancelled || res.exit_code != 0)
            return gate_result_error(gate, "interrupted", t0);
    }
    return NULL;
}

/* The real runner's jobs are named after their checks (formal/frun.h) and
 * log to <rundir>/formal/<label>.log. */
static json_t *fake_formal_proofs(const gate_ctx *ctx, double t0)
{
    static const char *const proofs[] = {"order.cover", "order", NULL};
    char *dir = gate_path(ctx, "formal");
    bool made = dir && fsx_mkdirs(dir, 0755) == 0;
    free(dir);
    if (!made)
        return gate_result_error("formal", "cannot create the formal work directory", t0);
    return fake_tool_jobs(ctx, "formal", proofs, "formal/", ".log", "%.0s", 0, "EVO_FAKE_SLEEP_PROOF", t0);
}

static json_t *fake_formal(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *stop = fake_begin(ctx, "formal", t0);
    if (!stop)
        stop = fake_formal_proofs(ctx, t0);
    if (stop)
        return stop;
    fake_design d;
    fake_read(ctx, &d);
    json_t *r = gate_result_new("formal");
    /* as the real gate reports them: one check proved for every cycle, one to its depth */
    json_object_set_new(r, "checks", json_pack("[{s:s,s:b},{s:s}]", "name", "order", "unbounded", 1, "name", "pc_fwd"));
    return fake_finish(r, d.formal_bug ? "fail" : "pass", d.formal_bug ? "check insn_add: counterexample at step 7" : "", t0);
}

/* Line coverage as the real gate reports it (cosim/covdat.h): every line
 * of rtl/ holding a ';' is coverable; it ran unless it holds UNREACHED. */
static json_t *fake_coverage(const gate_ctx *ctx)
{
    char *dir = fsx_fmt("%s/cores/%s/rtl", ctx->tree, ctx->core);
    static const char *const sv[] = {".sv", NULL};
    char **files = NULL, *bad = NULL;
    json_t *unex = json_object();
    long lines = 0, hit = 0;
    if (dir && dirlist_files(dir, sv, &files, &bad) >= 0) {
        for (char **f = files; *f; f++) {
            char *text = NULL, *path = fsx_fmt("%s/%s", dir, *f);
            int rrc = path ? fsx_read(path, &text, NULL) : -1;
            free(path);
            if (rrc != 0)
                continue;
            json_t *arr = json_array();
            long no = 1;
            for (char *l = text; l && *l; no++) {
                char *e = strchr(l, '\n');
                if (e)
                    *e = '\0';
                if (strchr(l, ';')) {
                    lines++;
                    if (strstr(l, "UNREACHED"))
                        json_array_append_new(arr, json_integer(no));
                    else
                        hit++;
                }
                l = e ? e + 1 : NULL;
            }
            json_object_set_new(unex, *f, arr);
            free(text);
        }
    }
    dirlist_free(files);
    free(bad);
    free(dir);
    return json_pack("{s:s, s:i, s:i, s:I, s:I, s:o, s:s}", "kind", "line", "points", (int)lines, "points_hit",
                     (int)hit, "lines", (json_int_t)lines, "lines_hit", (json_int_t)hit, "unexercised", unex,
                     "runs", "std");
}

/* The real gate's program batches are jobs named batch<n> (its model's
 * build, cached here, has none); two stand for them. */
static json_t *fake_cosim_batches(const gate_ctx *ctx, double t0)
{
    static const char *const batches[] = {"batch0", "batch1", NULL};
    return fake_tool_jobs(ctx, "cosim", batches, "cosim-", ".log", "%s: ", 0, "EVO_FAKE_SLEEP_BATCH", t0);
}

static json_t *fake_cosim(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *stop = fake_begin(ctx, "cosim", t0);
    if (!stop)
        stop = fake_cosim_batches(ctx, t0);
    if (stop)
        return stop;
    fake_design d;
    fake_read(ctx, &d);
    json_t *r = gate_result_new("cosim");
    fitset set;
    char err[400];
    if (fitset_parse(gate_workload(), &set, err, sizeof err) != 0)
        return fake_finish(r, "error", err, t0);
    /* The primary workload takes the marker's cycles, vm its vm= (default:
     * the same, so that a fake's fitness over the set equals its fitness on
     * one workload and a knob that moves cycles moves both alike). */
    json_t *fit = json_pack("{s:s,s:I,s:I}", "workload", gate_workload(), "cycles", (json_int_t)d.cycles,
                            "iterations", (json_int_t)10);
    json_t *ws = json_object();
    for (int i = 0; i < set.n; i++) {
        bool vm = strcmp(set.name[i], "vm") == 0;
        double cy = vm && d.vm > 0 ? d.vm : d.cycles;
        char *out = fsx_fmt("iterations: 10\n%s: checksums OK\n", set.name[i]);
        if (strcmp(set.name[i], "coremark") == 0) { /* what a validated CoreMark prints */
            free(out);
            out = fsx_fmt("seedcrc          : 0xe9f5\n[0]crclist       : 0xe714\n[0]crcmatrix     : 0x1fd7\n"
                          "[0]crcstate      : 0x8e3a\n[0]crcfinal      : 0xfcaf\nCorrect operation validated.\n"
                          "Iterations       : 10\n");
        }
        json_object_set_new(ws, set.name[i], json_pack("{s:s,s:I,s:I,s:b,s:s}", "workload", set.name[i], "cycles",
                                                       (json_int_t)cy, "iterations", (json_int_t)10, "validated", 1,
                                                       "output", out ? out : ""));
        free(out);
    }
    json_object_set_new(fit, "workloads", ws);
    /* Half the cycles are ALU instructions, the rest "other" stalls: through
     * the real copy the cosim gate makes of the harness's profile. */
    json_int_t cy = (json_int_t)d.cycles, n = cy / 2;
    json_t *raw = json_pack("{s:I,s:I,s:{s:[I,I],s:[i,i],s:[i,i],s:[i,i],s:[i,i],s:[i,i],s:[i,i]},"
                            "s:{s:i,s:i,s:i,s:i,s:i,s:I}}", "cycles", cy, "retired", n, "classes", "alu", n, cy,
                            "load", 0, 0, "store", 0, 0, "branch", 0, 0, "jump", 0, 0, "muldiv", 0, 0, "system", 0, 0,
                            "stalls", "muldiv", 0, "dmem", 0, "imem", 0, "redirect", 0, "load_use", 0, "other", cy - n);
    json_t *prof = toolout_cpi_profile(raw);
    json_decref(raw);
    if (prof)
        json_object_set_new(fit, "cpi_profile", prof);
    json_object_set_new(r, "fitness", fit);
    json_object_set_new(r, "coverage", fake_coverage(ctx));
    return fake_finish(r, d.cosim_bug ? "fail" : "pass",
                       d.cosim_bug ? "selftest stall=none order 12 pc 0x40: rd_wdata expected 0x1 got 0x2" : "", t0);
}

/* A critical path as nextpnr would report it for the design, through the
 * marker's crit= signal, read by the real extractor (gates/critpath.h). */
static void fake_critical_path(const fake_design *d, json_t *r)
{
    double ns = d->fmax > 0 ? 1000.0 / d->fmax : 0;
    char net[128];
    snprintf(net, sizeof net, "u_core.%s_SB_LUT4_O[2]", d->crit);
    json_t *rep = json_pack("{s:[{s:s,s:s,s:[{s:s,s:f,s:{s:s}},{s:s,s:f,s:s,s:{s:s}},{s:s,s:f,s:{s:s}}]}]}",
                            "critical_paths", "from", "posedge clk", "to", "posedge clk", "path",
                            "type", "clk-to-q", "delay", ns * 0.1, "to", "cell", "u_core.count_SB_DFF_Q",
                            "type", "routing", "delay", ns * 0.6, "net", net, "to", "cell", "u_core.x_LC",
                            "type", "setup", "delay", ns * 0.3, "to", "cell", "u_core.count_SB_DFF_Q");
    char *log = fsx_fmt("Info: Critical path report for clock 'clk' (posedge -> posedge):\n"
                        "Info:                  ../rtl/%s:7.1-7.9\n", d->crit_file[0] ? d->crit_file : "core.sv");
    json_t *cp = critpath_extract(rep, log, log ? strlen(log) : 0, "u_core.");
    if (cp)
        json_object_set_new(r, "critical_path", cp);
    free(log);
    json_decref(rep);
}

static json_t *fake_pnr_seeds(const gate_ctx *ctx, double t0)
{
    static const char *const seeds[] = {"seed1", "seed2", "seed3", NULL};
    return fake_tool_jobs(ctx, "pnr", seeds, "", "", "seed %s: ", 4, "EVO_FAKE_SLEEP_SEED", t0);
}

static json_t *fake_pnr(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *stop = fake_begin(ctx, "pnr", t0);
    if (!stop)
        stop = fake_pnr_seeds(ctx, t0);
    if (stop)
        return stop;
    fake_design d;
    fake_read(ctx, &d);
    json_t *r = gate_result_new("pnr");
    if (d.lut > 7680) {
        json_object_set_new(r, "reason", json_string("placement_failed"));
        return fake_finish(r, "fail", "placement_failed: design needs more LCs than the hx8k has", t0);
    }
    json_t *seeds = json_array();
    int first = ctx->seed_first > 0 ? ctx->seed_first : 1;
    double later = d.reseed > 0 ? d.reseed : 1;
    double f[3];
    for (int s = first; s < first + 3; s++) {
        f[s - first] = d.modelled ? d.fmax * landscape_seed_factor(&d.land, &d.cfg, s)
                                  : d.fmax * (0.99 + 0.01 * (s - first + 1)) * (s >= 4 ? later : 1);
        json_array_append_new(seeds, json_pack("{s:i,s:b,s:f}", "seed", s, "routed", 1, "fmax_mhz", f[s - first]));
    }
    json_object_set_new(r, "seeds", seeds);
    /* the model's design is placed with noise, and its median is the real gate's */
    double lo = f[0] < f[1] ? f[0] : f[1], hi = f[0] < f[1] ? f[1] : f[0];
    double med = f[2] < lo ? lo : f[2] > hi ? hi : f[2];
    json_object_set_new(r, "fmax_mhz_median", json_real(d.modelled ? med : d.fmax * 1.0));
    json_object_set_new(r, "lc_used", json_integer((json_int_t)d.lut));
    fake_critical_path(&d, r);
    return fake_finish(r, "pass", "", t0);
}

static json_t *fake_coremark(const gate_ctx *ctx)
{
    double t0 = proc_now();
    json_t *stop = fake_begin(ctx, "coremark", t0);
    if (stop)
        return stop;
    const json_t *cosim = json_object_get(ctx->prior, "cosim");
    const json_t *pnr = json_object_get(ctx->prior, "pnr");
    const json_t *fit = json_object_get(cosim, "fitness");
    double cycles = json_number_value(json_object_get(fit, "cycles"));
    double iters = json_number_value(json_object_get(fit, "iterations"));
    double fmax = json_number_value(json_object_get(pnr, "fmax_mhz_median"));
    json_t *r = gate_result_new("coremark");
    if (!(cycles > 0) || !(fmax > 0))
        return fake_finish(r, "error", "coremark needs the cosim and pnr results", t0);
    /* scored by the real combination over the set (gates/fitset.h) */
    fitset set;
    char err[400];
    json_t *score = fitset_parse(gate_workload(), &set, err, sizeof err) == 0
                        ? fitset_score(&set, json_object_get(fit, "workloads"), fmax, err, sizeof err) : NULL;
    if (!score)
        return fake_finish(r, "fail", err, t0);
    json_object_update(r, score);
    json_decref(score);
    json_object_set_new(r, "cycles", json_integer((json_int_t)cycles));
    json_object_set_new(r, "iterations", json_integer((json_int_t)iters));
    json_object_set_new(r, "workload", json_string(gate_workload()));
    return fake_finish(r, "pass", "", t0);
}

/* Each fake declares what the real gate it stands in for declares (needs,
 * tools, resources, outcome: gates/registry.h), so the loop's dependencies,
 * cache keys and outcomes are those of the real pipeline;
 * test/gates/test_gate_tools.c checks that they agree. */
#define FAKE_LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
const gate_def fakegates_table[] = {
    {.name = "lint", .run = fake_lint, .needs = FAKE_LIST(NULL), .tools = FAKE_LIST("verilator", "make"),
     .built_by = FAKE_LIST(NULL), .cpus = 1, .mem_mib = 512, .timeout_s = 60},
    {.name = "synth", .run = fake_synth, .needs = FAKE_LIST(NULL), .tools = FAKE_LIST("yosys"),
     .built_by = FAKE_LIST(NULL), .cpus = 1, .mem_mib = 512, .timeout_s = 60},
    {.name = "formal", .run = fake_formal, .needs = FAKE_LIST("lint"), .tools = FAKE_LIST("yosys", "yosys-abc"),
     .built_by = FAKE_LIST(NULL), .cpus = 2, .mem_mib = 1024, .timeout_s = 60, .tool_job_cpus = 1},
    {.name = "cosim", .run = fake_cosim, .needs = FAKE_LIST("lint"), .tools = FAKE_LIST("verilator", "c++"),
     .built_by = FAKE_LIST("riscv64-unknown-elf-gcc"), .cpus = 2, .mem_mib = 1024, .fitness = true, .timeout_s = 60,
     .tool_job_cpus = 1},
    {.name = "pnr", .run = fake_pnr, .needs = FAKE_LIST("synth"), .tools = FAKE_LIST("nextpnr-ice40"),
     .built_by = FAKE_LIST(NULL), .cpus = 3, .mem_mib = 1024, .timeout_s = 60, .tool_job_cpus = 1,
     .fail_outcome = "placement_failed"},
    {.name = "coremark", .run = fake_coremark, .needs = FAKE_LIST("cosim", "pnr"), .tools = FAKE_LIST(NULL),
     .built_by = FAKE_LIST(NULL), .cpus = 1, .mem_mib = 64, .timeout_s = 60, .fitness = true},
};
const size_t fakegates_len = sizeof fakegates_table / sizeof fakegates_table[0];
