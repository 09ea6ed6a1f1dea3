/* test_fpga_gates — the synth and pnr gates end to end on tiny designs.
 *
 * Runs the real Yosys and nextpnr-ice40 on test/fpga/data/cores/tiny (a
 * contract-shaped design that places in about a second) and fake tools put
 * first on PATH (a hung nextpnr, a crashing one, one that records calls).
 * Figures are checked against sources the gates do not use for them: cell
 * counts against the netlist's own cell list, Fmax against nextpnr's log
 * text, the LC count of a failed placement against the routed one.
 * Work files go to $BUILD/test-fpga (BUILD defaults to "build"); run from the
 * repository root.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "../../fpga/fpga_table.h"
#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"

typedef struct {
    char root[PATH_MAX]; /* repository root = harness */
    char *work;          /* $BUILD/test-fpga, absolute */
    char *tree;          /* test/fpga/data, absolute */
    char *orig_path;     /* PATH at start */
} suite;

static json_t *device_cfg(const char *device, const char *package)
{
    return json_pack("{s{sssssssf}}", "fpga", "family", "ice40", "device", device, "package",
                     package, "clock_mhz", 50.0);
}

static gate_ctx make_ctx(const suite *s, const char *tree, const char *core, const char *name,
                         const json_t *cfg, const json_t *prior, const char *build)
{
    char *rundir = fsx_fmt("%s/runs/%s", s->work, name);
    fsx_remove_tree(rundir);
    fsx_mkdirs(rundir, 0755);
    gate_ctx c = {.tree = tree, .core = core, .harness = s->root, .build = build,
                  .rundir = rundir, .core_cfg = cfg, .prior = prior, .jobs = 2};
    return c;
}

static const char *status_of(const json_t *r)
{
    const char *st = json_string_value(json_object_get(r, "status"));
    return st ? st : "(none)";
}

static const char *str_of(const json_t *r, const char *key)
{
    const char *v = json_string_value(json_object_get(r, key));
    return v ? v : "";
}

/* Writes an executable shell script. */
static void write_script(const char *path, const char *body)
{
    char *text = fsx_fmt("#!/bin/sh\n%s", body);
    fsx_write_atomic(path, text, strlen(text));
    chmod(path, 0755);
    free(text);
}

/* Puts dir first on PATH (NULL restores the original PATH). */
static void path_first(const suite *s, const char *dir)
{
    if (!dir) {
        setenv("PATH", s->orig_path, 1);
        return;
    }
    char *p = fsx_fmt("%s:%s", dir, s->orig_path);
    setenv("PATH", p, 1);
    free(p);
}

/* The absolute path of a tool in the original PATH, or NULL. */
static char *which(const suite *s, const char *tool)
{
    char *copy = fsx_fmt("%s", s->orig_path);
    char *found = NULL;
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char *p = fsx_fmt("%s/%s", d, tool);
        if (access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(copy);
    return found;
}

/* Cell counts by class from the netlist's own cell list (not from stat). */
static void count_netlist_cells(const char *netlist, long *lut, long *ff, long *carry)
{
    *lut = *ff = *carry = -1;
    json_t *n = json_load_file(netlist, 0, NULL);
    json_t *cells = json_object_get(json_object_get(json_object_get(n, "modules"), "fpga_top"),
                                    "cells");
    if (!cells) {
        json_decref(n);
        return;
    }
    *lut = *ff = *carry = 0;
    const char *name;
    json_t *c;
    json_object_foreach(cells, name, c) {
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!type)
            continue;
        *lut += strcmp(type, "SB_LUT4") == 0;
        *ff += strncmp(type, "SB_DFF", 6) == 0;
        *carry += strcmp(type, "SB_CARRY") == 0;
    }
    json_decref(n);
}

/* The last "Max frequency for clock ...: N MHz" of a nextpnr log (the
 * post-route figure), or -1. */
static double log_fmax(const char *log_path)
{
    char *text;
    size_t len;
    if (fsx_read(log_path, &text, &len) != 0)
        return -1;
    double f = -1;
    for (const char *p = strstr(text, "Max frequency for clock"); p;
         p = strstr(p + 1, "Max frequency for clock")) {
        const char *colon = strstr(p, "': ");
        if (colon)
            f = atof(colon + 3);
    }
    free(text);
    return f;
}

/* True when a process with exactly this argv is still alive 2 s from now
 * (a process killed a moment ago may take a few milliseconds to go; a zombie
 * has an empty cmdline). */
static bool process_scan(const char *arg0, const char *arg1);

static bool process_running(const char *arg0, const char *arg1)
{
    for (int i = 0; i < 20; i++) {
        if (!process_scan(arg0, arg1))
            return false;
        usleep(100000);
    }
    return true;
}

static bool process_scan(const char *arg0, const char *arg1)
{
    DIR *d = opendir("/proc");
    bool found = false;
    for (struct dirent *e; d && (e = readdir(d)) && !found;) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char *p = fsx_fmt("/proc/%s/cmdline", e->d_name);
        char *cmd = NULL;
        size_t len = 0;
        if (fsx_read(p, &cmd, &len) == 0 && len > strlen(arg0) + 1 && strcmp(cmd, arg0) == 0 &&
            strcmp(cmd + strlen(arg0) + 1, arg1) == 0)
            found = true;
        free(cmd);
        free(p);
    }
    if (d)
        closedir(d);
    return found;
}

/* A copy of the tiny core named core, with text put before its core.sv. */
static char *make_variant(const suite *s, const char *core, const char *prepend)
{
    char *tree = fsx_fmt("%s/trees/%s", s->work, core);
    char *dir = fsx_fmt("%s/cores/%s/rtl", tree, core);
    fsx_remove_tree(tree);
    fsx_mkdirs(dir, 0755);
    char *src = fsx_fmt("%s/cores/tiny/rtl/core.sv", s->tree);
    char *text = NULL;
    size_t len = 0;
    fsx_read(src, &text, &len);
    char *out = fsx_fmt("%s%s%s", prepend, *prepend ? "\n" : "", text ? text : "");
    char *dst = fsx_fmt("%s/core.sv", dir);
    fsx_write_atomic(dst, out, strlen(out));
    free(src);
    free(text);
    free(out);
    free(dst);
    free(dir);
    return tree;
}

static json_t *test_synth(const suite *s, const json_t *cfg)
{
    json_t *r = NULL;
    CHECK_CASE("synth_tiny_counts_match_netlist") {
        gate_ctx c = make_ctx(s, s->tree, "tiny", "synth", cfg, NULL, NULL);
        r = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r), "pass");
        const json_t *cells = json_object_get(r, "cells");
        long lut, ff, carry;
        count_netlist_cells(str_of(r, "netlist"), &lut, &ff, &carry);
        CHECK(lut > 0 && ff > 0);
        CHECK_EQ_INT(json_integer_value(json_object_get(cells, "lut")), lut);
        CHECK_EQ_INT(json_integer_value(json_object_get(cells, "ff")), ff);
        CHECK_EQ_INT(json_integer_value(json_object_get(cells, "carry")), carry);
        CHECK_EQ_INT(json_integer_value(json_object_get(cells, "bram")), 0);
        CHECK_EQ_INT(strlen(str_of(r, "netlist_sha1")), 40);
        free((char *)c.rundir);
    }
    CHECK_CASE("synth_same_design_other_tree_same_netlist") {
        /* Identical designs must give identical netlists wherever they are
         * checked out, or the pnr cache could never recognise them. */
        char *tree = make_variant(s, "tiny", "");
        gate_ctx c = make_ctx(s, tree, "tiny", "synth-copy", cfg, NULL, NULL);
        json_t *r2 = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r2), "pass");
        CHECK_STR_CONTAINS(str_of(r2, "netlist_sha1"), str_of(r, "netlist_sha1"));
        json_decref(r2);
        free(tree);
        free((char *)c.rundir);
    }
    return r;
}

static void test_synth_failures(const suite *s, const json_t *cfg)
{
    CHECK_CASE("synth_syntax_error_fails_with_yosys_error") {
        char *tree = make_variant(s, "broken", "module oops(;");
        gate_ctx c = make_ctx(s, tree, "broken", "synth-broken", cfg, NULL, NULL);
        json_t *r = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r), "fail");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "ERROR");
        CHECK(json_object_get(r, "netlist") == NULL);
        json_decref(r);
        free(tree);
        free((char *)c.rundir);
    }
    CHECK_CASE("synth_tool_macro_conditional_fails") {
        char *tree = make_variant(s, "macro", "`ifdef VERILATOR\n`endif");
        gate_ctx c = make_ctx(s, tree, "macro", "synth-macro", cfg, NULL, NULL);
        json_t *r = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r), "fail");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "VERILATOR");
        json_decref(r);
        free(tree);
        free((char *)c.rundir);
    }
    CHECK_CASE("synth_tool_macro_any_spelling_fails") {
        /* Issue 17: `ifndef verilator (lower case) hid a block from
         * Verilator that Yosys then read; Verilator also predefines
         * verilator3, and a comment may stand between directive and name. */
        static const char *const spellings[] = {"`ifndef verilator\n`endif", "`ifdef verilator3\n`endif",
                                                "`ifdef /* c */ VERILATOR\n`endif", "`ifdef\n  Yosys\n`endif",
                                                "`ifdef X\n`elsif synthesis\n`endif", "`define SYNTHESIS 1",
                                                "`ifdef VERILATOR_TIMING\n`endif", "`ifdef SV_COV_OK\n`endif"};
        for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
            char *tree = make_variant(s, "spelling", spellings[i]);
            gate_ctx c = make_ctx(s, tree, "spelling", "synth-spelling", cfg, NULL, NULL);
            json_t *r = gate_synth(&c);
            CHECK_STR_CONTAINS(status_of(r), "fail");
            CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "synthesis would not see");
            json_decref(r);
            free(tree);
            free((char *)c.rundir);
        }
    }
    CHECK_CASE("synth_dpi_import_refused_by_yosys_nodpi") {
        /* Even if a DPI import slipped past the sandbox, read_verilog -nodpi
         * makes Yosys refuse it instead of calling it for a constant. */
        char *tree = make_variant(s, "dpi", "module dpi_probe(output logic [31:0] y);\n"
                                            "  import \"DPI-C\" function integer system(chandle c);\n"
                                            "  localparam integer R = system(0);\n"
                                            "  assign y = R;\nendmodule");
        gate_ctx c = make_ctx(s, tree, "dpi", "synth-dpi", cfg, NULL, NULL);
        json_t *r = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r), "fail");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "DPI");
        json_decref(r);
        free(tree);
        free((char *)c.rundir);
    }
    CHECK_CASE("synth_translate_off_fails") {
        /* Yosys drops what follows such a comment; a simulator keeps it. */
        char *tree = make_variant(s, "hidden", "// synopsys translate_off\n"
                                               "// synopsys translate_on");
        gate_ctx c = make_ctx(s, tree, "hidden", "synth-hidden", cfg, NULL, NULL);
        json_t *r = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r), "fail");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "translate_off");
        json_decref(r);
        free(tree);
        free((char *)c.rundir);
    }
    CHECK_CASE("synth_missing_rtl_is_error") {
        gate_ctx c = make_ctx(s, s->tree, "no_such_core", "synth-missing", cfg, NULL, NULL);
        json_t *r = gate_synth(&c);
        CHECK_STR_CONTAINS(status_of(r), "error");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "no_such_core/rtl");
        json_decref(r);
        free((char *)c.rundir);
    }
    CHECK_CASE("synth_hung_yosys_times_out") {
        char *bin = fsx_fmt("%s/fake-hang-yosys", s->work);
        fsx_mkdirs(bin, 0755);
        char *tool = fsx_fmt("%s/yosys", bin);
        write_script(tool, "sleep 7917\n");
        gate_ctx c = make_ctx(s, s->tree, "tiny", "synth-hang", cfg, NULL, NULL);
        c.timeout_s = 1.5;
        path_first(s, bin);
        json_t *r = gate_synth(&c);
        path_first(s, NULL);
        CHECK_STR_CONTAINS(status_of(r), "timeout");
        CHECK(!process_running("sleep", "7917"));
        json_decref(r);
        free(tool);
        free(bin);
        free((char *)c.rundir);
    }
}

static void test_pnr_pass(const suite *s, const json_t *cfg, const json_t *prior, const char *build)
{
    CHECK_CASE("pnr_tiny_figures_match_nextpnr") {
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr", cfg, prior, build);
        json_t *r = gate_pnr(&c);
        CHECK_STR_CONTAINS(status_of(r), "pass");
        CHECK(json_is_false(json_object_get(r, "cached")));
        const json_t *seeds = json_object_get(r, "seeds");
        CHECK_EQ_INT(json_array_size(seeds), 3);
        double f[3] = {0, 0, 0};
        char *table = NULL;
        size_t tlen = 0;
        FILE *tf = open_memstream(&table, &tlen);
        fpga_table_print(json_object_get(prior, "synth"), r, NULL, tf);
        fclose(tf);
        for (size_t i = 0; i < 3 && i < json_array_size(seeds); i++) {
            const json_t *sd = json_array_get(seeds, i);
            CHECK_EQ_INT(json_integer_value(json_object_get(sd, "seed")), (long long)i + 1);
            CHECK(json_is_true(json_object_get(sd, "routed")));
            f[i] = json_number_value(json_object_get(sd, "fmax_mhz"));
            /* nextpnr's own log prints the same post-route Fmax to 2 decimals. */
            double lf = log_fmax(str_of(sd, "log"));
            CHECK(lf > 0 && f[i] > lf - 0.006 && f[i] < lf + 0.006);
            char want[64];
            snprintf(want, sizeof want, "%zu      yes      %8.2f", i + 1, lf);
            CHECK_STR_CONTAINS(table, want);
        }
        /* median of three, by hand */
        double lo = f[0] < f[1] ? f[0] : f[1], hi = f[0] < f[1] ? f[1] : f[0];
        double med = f[2] < lo ? lo : f[2] > hi ? hi : f[2];
        CHECK(json_number_value(json_object_get(r, "fmax_mhz_median")) == med);
        json_t *rep = json_load_file(str_of(json_array_get(seeds, 0), "report"), 0, NULL);
        json_int_t lc = json_integer_value(json_object_get(
            json_object_get(json_object_get(rep, "utilization"), "ICESTORM_LC"), "used"));
        CHECK(lc > 0);
        CHECK_EQ_INT(json_integer_value(json_object_get(r, "lc_used")), lc);
        CHECK_EQ_INT(json_integer_value(json_object_get(r, "lc_available")), 7680);
        char want[64];
        snprintf(want, sizeof want, "LCs           %lld/7680", (long long)lc);
        CHECK_STR_CONTAINS(table, want);
        json_decref(rep);
        free(table);
        json_decref(r);
        free((char *)c.rundir);
    }
}

static void test_pnr_cache(const suite *s, const json_t *cfg, const json_t *prior,
                           const char *build)
{
    CHECK_CASE("pnr_cache_hit_runs_no_nextpnr") {
        char *real = which(s, "nextpnr-ice40");
        char *bin = fsx_fmt("%s/fake-record", s->work);
        char *marker = fsx_fmt("%s/placed", bin);
        fsx_mkdirs(bin, 0755);
        remove(marker);
        char *tool = fsx_fmt("%s/nextpnr-ice40", bin);
        char *body = fsx_fmt("if [ \"$1\" = --version ]; then exec %s --version; fi\n"
                             "touch %s\nexit 1\n", real ? real : "false", marker);
        write_script(tool, body);
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-cached", cfg, prior, build);
        path_first(s, bin);
        json_t *r = gate_pnr(&c);
        path_first(s, NULL);
        CHECK_STR_CONTAINS(status_of(r), "pass");
        CHECK(json_is_true(json_object_get(r, "cached")));
        CHECK(json_is_true(json_object_get(r, "pass")));
        CHECK(access(marker, F_OK) != 0);
        CHECK(json_number_value(json_object_get(r, "fmax_mhz_median")) > 0);
        json_decref(r);
        free(body);
        free(tool);
        free(marker);
        free(bin);
        free(real);
        free((char *)c.rundir);
    }
}

typedef struct {
    gate_ctx ctx;
    json_t *r;
} pnr_thread;

static void *pnr_thread_main(void *arg)
{
    pnr_thread *t = arg;
    t->r = gate_pnr(&t->ctx);
    return NULL;
}

static void test_pnr_no_double_placement(const suite *s, const json_t *cfg, const json_t *prior)
{
    CHECK_CASE("pnr_concurrent_same_netlist_placed_once") {
        char *real = which(s, "nextpnr-ice40");
        char *bin = fsx_fmt("%s/fake-count", s->work);
        char *calls = fsx_fmt("%s/calls", bin);
        fsx_mkdirs(bin, 0755);
        remove(calls);
        char *tool = fsx_fmt("%s/nextpnr-ice40", bin);
        char *body = fsx_fmt("[ \"$1\" = --version ] || echo x >> %s\nexec %s \"$@\"\n", calls,
                             real ? real : "false");
        write_script(tool, body);
        char *build = fsx_fmt("%s/build-concurrent", s->work);
        fsx_remove_tree(build);
        pnr_thread t[2] = {{.ctx = make_ctx(s, s->tree, "tiny", "pnr-conc-a", cfg, prior, build)},
                           {.ctx = make_ctx(s, s->tree, "tiny", "pnr-conc-b", cfg, prior, build)}};
        path_first(s, bin);
        pthread_t tid;
        pthread_create(&tid, NULL, pnr_thread_main, &t[0]);
        pnr_thread_main(&t[1]);
        pthread_join(tid, NULL);
        path_first(s, NULL);
        CHECK_STR_CONTAINS(status_of(t[0].r), "pass");
        CHECK_STR_CONTAINS(status_of(t[1].r), "pass");
        CHECK(json_is_true(json_object_get(t[0].r, "cached")) !=
              json_is_true(json_object_get(t[1].r, "cached")));
        char *text = NULL;
        size_t len = 0;
        fsx_read(calls, &text, &len);
        CHECK_EQ_INT(len, 3 * 2); /* three seeds, "x\n" each: one placement */
        free(text);
        for (int i = 0; i < 2; i++) {
            json_decref(t[i].r);
            free((char *)t[i].ctx.rundir);
        }
        free(build);
        free(body);
        free(tool);
        free(calls);
        free(bin);
        free(real);
    }
}

static void test_pnr_failures(const suite *s, const json_t *prior, const json_t *cfg)
{
    CHECK_CASE("pnr_does_not_fit_names_resource") {
        /* The tiny bench needs ~500 LCs; an LP384 has 384. */
        json_t *small = device_cfg("lp384", "qn32");
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-nofit", small, prior, NULL);
        json_t *r = gate_pnr(&c);
        CHECK_STR_CONTAINS(status_of(r), "fail");
        CHECK_STR_CONTAINS(str_of(r, "reason"), "placement_failed");
        CHECK_STR_CONTAINS(str_of(r, "cause"), "does_not_fit");
        CHECK_STR_CONTAINS(str_of(r, "resource"), "ICESTORM_LC");
        CHECK_EQ_INT(json_integer_value(json_object_get(r, "available")), 384);
        CHECK(json_integer_value(json_object_get(r, "used")) > 384);
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "ICESTORM_LC");
        json_decref(r);
        json_decref(small);
        free((char *)c.rundir);
    }
    CHECK_CASE("pnr_corrupt_netlist_is_clear_error") {
        const char *net = str_of(json_object_get(prior, "synth"), "netlist");
        char *text = NULL;
        size_t len = 0;
        fsx_read(net, &text, &len);
        char *bad = fsx_fmt("%s/corrupt.json", s->work);
        fsx_write_atomic(bad, text, len / 2);
        json_t *p = json_pack("{s{ss}}", "synth", "netlist", bad);
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-corrupt", cfg, p, NULL);
        json_t *r = gate_pnr(&c);
        CHECK_STR_CONTAINS(status_of(r), "error");
        CHECK_STR_CONTAINS(str_of(r, "cause"), "nextpnr_error");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "Failed to parse JSON");
        json_decref(r);
        json_decref(p);
        free(bad);
        free(text);
        free((char *)c.rundir);
    }
    CHECK_CASE("pnr_without_synth_result_is_error") {
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-nosynth", cfg, NULL, NULL);
        json_t *r = gate_pnr(&c);
        CHECK_STR_CONTAINS(status_of(r), "error");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "synth");
        json_decref(r);
        free((char *)c.rundir);
    }
    CHECK_CASE("pnr_unknown_package_is_error_naming_pin_file") {
        json_t *odd = device_cfg("hx8k", "zz99");
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-pkg", odd, prior, NULL);
        json_t *r = gate_pnr(&c);
        CHECK_STR_CONTAINS(status_of(r), "error");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "fpga/pcf/hx8k-zz99.pcf");
        json_decref(r);
        json_decref(odd);
        free((char *)c.rundir);
    }
}

static void test_pnr_bad_tools(const suite *s, const json_t *prior, const json_t *cfg)
{
    char *bin = fsx_fmt("%s/fake-bad", s->work);
    char *tool = fsx_fmt("%s/nextpnr-ice40", bin);
    fsx_mkdirs(bin, 0755);
    CHECK_CASE("pnr_hung_nextpnr_killed_at_timeout") {
        write_script(tool, "[ \"$1\" = --version ] && { echo fake-hang; exit 0; }\n"
                           "sleep 7919 &\nsleep 7918\n");
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-hang", cfg, prior, NULL);
        c.timeout_s = 3; /* 3 seeds, 2 at a time: 1.5 s each */
        path_first(s, bin);
        double t0 = proc_now();
        json_t *r = gate_pnr(&c);
        double took = proc_now() - t0;
        path_first(s, NULL);
        CHECK_STR_CONTAINS(status_of(r), "timeout");
        CHECK_STR_CONTAINS(str_of(r, "cause"), "timeout");
        CHECK(took < 30);
        CHECK(!process_running("sleep", "7919"));
        CHECK(!process_running("sleep", "7918"));
        json_decref(r);
        free((char *)c.rundir);
    }
    CHECK_CASE("pnr_crashing_nextpnr_reports_signal") {
        write_script(tool, "[ \"$1\" = --version ] && { echo fake-crash; exit 0; }\n"
                           "echo 'Info: about to fall over'\nkill -SEGV $$\n");
        gate_ctx c = make_ctx(s, s->tree, "tiny", "pnr-crash", cfg, prior, NULL);
        path_first(s, bin);
        json_t *r = gate_pnr(&c);
        path_first(s, NULL);
        CHECK_STR_CONTAINS(status_of(r), "error");
        CHECK_STR_CONTAINS(str_of(r, "cause"), "crash");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "signal 11");
        CHECK_STR_CONTAINS(str_of(r, "diagnostic"), "about to fall over");
        json_decref(r);
        free((char *)c.rundir);
    }
    free(tool);
    free(bin);
}

int main(void)
{
    suite s;
    if (!getcwd(s.root, sizeof s.root) || access("fpga/rtl/fpga_top.sv", R_OK) != 0) {
        printf("FAIL test_fpga_gates: run from the repository root\n");
        return 1;
    }
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    s.work = build[0] == '/' ? fsx_fmt("%s/test-fpga", build)
                             : fsx_fmt("%s/%s/test-fpga", s.root, build);
    s.tree = fsx_fmt("%s/test/fpga/data", s.root);
    s.orig_path = fsx_fmt("%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    fsx_remove_tree(s.work);
    fsx_mkdirs(s.work, 0755);
    char *cache_build = fsx_fmt("%s/build", s.work);

    if (!proc_have_tool("yosys") || !proc_have_tool("nextpnr-ice40")) {
        check_skip("fpga_gates", "yosys or nextpnr-ice40 not installed (bash tools/setup.sh)");
        return check_done();
    }
    json_t *cfg = device_cfg("hx8k", "ct256");
    json_t *synth = test_synth(&s, cfg);
    test_synth_failures(&s, cfg);
    if (!json_is_true(json_object_get(synth, "pass"))) {
        check_skip("pnr_*", "the tiny design did not synthesise");
    } else {
        json_t *prior = json_pack("{sO}", "synth", synth);
        test_pnr_pass(&s, cfg, prior, cache_build);
        test_pnr_cache(&s, cfg, prior, cache_build);
        test_pnr_no_double_placement(&s, cfg, prior);
        test_pnr_failures(&s, prior, cfg);
        test_pnr_bad_tools(&s, prior, cfg);
        json_decref(prior);
    }
    json_decref(synth);
    json_decref(cfg);
    free(cache_build);
    free(s.work);
    free(s.tree);
    free(s.orig_path);
    return check_done();
}
