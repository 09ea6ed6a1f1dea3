/* mutrun.c — see mutrun.h. */
#include "mutate/mutrun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cosim/cosim_model.h"
#include "gates/gate.h"
#include "gates/registry.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strbuf.h"
#include "mutate/mutgen.h"
#include "yamljson/yamljson.h"

enum { MUTRUN_EQUIV_TIMEOUT = 600 };

typedef struct {
    char **paths;  /* the original RTL files, in reading order */
    int n;
    char **text;
    size_t *len;
    mut_sites *sites;
} mutrun_src;

static const char *mutrun_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void mutrun_src_free(mutrun_src *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->text ? s->text[i] : NULL);
        if (s->sites)
            mutgen_sites_free(&s->sites[i]);
    }
    free(s->text);
    free(s->len);
    free(s->sites);
    cosim_rtl_free(s->paths);
    memset(s, 0, sizeof *s);
}

static int mutrun_src_load(const char *rtl_dir, mutrun_src *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->n = cosim_rtl_list(rtl_dir, &s->paths);
    if (s->n <= 0) {
        snprintf(err, errlen, "no RTL to mutate: %s has no *.sv files (%s)", rtl_dir,
                 s->n < 0 ? strerror(errno) : "empty");
        return -1;
    }
    s->text = calloc((size_t)s->n, sizeof *s->text);
    s->len = calloc((size_t)s->n, sizeof *s->len);
    s->sites = calloc((size_t)s->n, sizeof *s->sites);
    if (!s->text || !s->len || !s->sites) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < s->n; i++) {
        if (fsx_read(s->paths[i], &s->text[i], &s->len[i]) != 0 ||
            mutgen_sites(s->text[i], s->len[i], &s->sites[i]) != 0) {
            snprintf(err, errlen, "cannot read %s: %s", s->paths[i], strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* The site a "FILE:LINE:CLASS[:K]" pick names; false when none. */
static bool mutrun_find_pick(const mutrun_src *s, const char *spec, mut_pick *p)
{
    char file[256], cls[64];
    int line, k = 0;
    if (sscanf(spec, "%255[^:]:%d:%63[^:]:%d", file, &line, cls, &k) < 3)
        return false;
    for (int f = 0; f < s->n; f++) {
        if (strcmp(mutrun_base(s->paths[f]), file) != 0)
            continue;
        int seen = 0;
        for (size_t i = 0; i < s->sites[f].n; i++) {
            const mut_site *m = &s->sites[f].v[i];
            if (m->line == line && strcmp(mutgen_class_name(m->cls), cls) == 0 && seen++ == k) {
                *p = (mut_pick){.file = f, .site = i};
                return true;
            }
        }
    }
    return false;
}

static int mutrun_select(const mutrun_opts *o, const mutrun_src *s, mut_pick **picks, char *err, size_t errlen)
{
    if (!o->picks) {
        int n = mutgen_sample(s->sites, s->n, o->max, o->seed, picks);
        if (n < 0)
            snprintf(err, errlen, "out of memory");
        return n;
    }
    int n = 0;
    while (o->picks[n])
        n++;
    *picks = calloc((size_t)n + 1, sizeof **picks);
    if (!*picks) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (!mutrun_find_pick(s, o->picks[i], &(*picks)[i])) {
            snprintf(err, errlen, "no mutation site matches '%s' (want FILE:LINE:CLASS[:K], e.g. alu.sv:22:arith)",
                     o->picks[i]);
            free(*picks);
            *picks = NULL;
            return -1;
        }
    }
    return n;
}

/* Runs argv with its output in log; 0 when it exited 0. */
static int mutrun_tool(const char *const *argv, const char *cwd, const char *log, double timeout, proc_result *res)
{
    proc_spec spec = {.argv = argv, .cwd = cwd, .log_path = log, .timeout_s = timeout};
    return proc_run(&spec, res);
}

/* <dir>/tree/cores/<core>: a copy of the original core with the mutant's file. */
static char *mutrun_tree(const mutrun_opts *o, const char *dir, const char *file, const char *mutated,
                         char *err, size_t errlen)
{
    char *tree = fsx_fmt("%s/tree", dir);
    char *cores = fsx_fmt("%s/cores", tree);
    char *src = fsx_fmt("%s/cores/%s", o->harness, o->core);
    char *dst = fsx_fmt("%s/%s", cores ? cores : "", o->core);
    char *path = fsx_fmt("%s/rtl/%s", dst ? dst : "", file);
    char *log = fsx_fmt("%s/copy.log", dir);
    const char *argv[] = {"cp", "-R", src, dst, NULL};
    proc_result res;
    bool ok = tree && cores && src && dst && path && log && (fsx_remove_tree(tree) == 0 || errno == ENOENT) &&
              fsx_mkdirs(cores, 0755) == 0 && mutrun_tool(argv, NULL, log, 60, &res) == 0 &&
              fsx_write_atomic(path, mutated, strlen(mutated)) == 0;
    if (!ok) {
        snprintf(err, errlen, "cannot copy %s to %s with the mutant (see %s): %s", src ? src : "the core",
                 dst ? dst : "the mutant tree", log ? log : "", strerror(errno));
        free(tree);
        tree = NULL;
    }
    free(cores);
    free(src);
    free(dst);
    free(path);
    free(log);
    return tree;
}

/* The Yosys script of the equivalence proof: both designs elaborated,
 * flattened and their memories mapped; equiv_make pairs signals by name
 * (a mutant keeps every name), equiv_simple and equiv_induct prove. */
static char *mutrun_equiv_script(char **gold, const char *gold_dir, char **gate, const char *gate_dir)
{
    strbuf b = {0};
    const char *dirs[2] = {gold_dir, gate_dir}, *names[2] = {"gold", "gate"};
    char **files[2] = {gold, gate};
    for (int k = 0; k < 2; k++) {
        strbuf_addf(&b, "read_verilog -sv -nosynthesis -nodpi -I%s", dirs[k]);
        for (char **f = files[k]; *f; f++)
            strbuf_addf(&b, " %s", *f);
        strbuf_addf(&b, "\nhierarchy -check -top core\nproc\nflatten\nasync2sync\nmemory_map\nopt_clean\n"
                        "rename core %s\ndesign -stash %s\n", names[k], names[k]);
    }
    strbuf_add(&b, "design -copy-from gold -as gold gold\ndesign -copy-from gate -as gate gate\n"
                   "equiv_make gold gate equiv\nhierarchy -top equiv\nequiv_struct\nequiv_simple\n"
                   "equiv_induct -seq 1\nequiv_status -assert\n");
    return strbuf_take(&b);
}

/* {"status": "equivalent"|"different"|"unknown", "reason", "seconds"}. */
static json_t *mutrun_equiv(const mutrun_opts *o, const char *dir, const char *tree)
{
    double t0 = proc_now();
    char *gold_dir = fsx_fmt("%s/cores/%s/rtl", o->harness, o->core);
    char *gate_dir = fsx_fmt("%s/cores/%s/rtl", tree, o->core);
    char *ys = fsx_fmt("%s/equiv.ys", dir), *log = fsx_fmt("%s/equiv.log", dir);
    char **gold = NULL, **gate = NULL;
    const char *status = "unknown";
    char *reason = NULL;
    char *script = NULL;
    if (gold_dir && gate_dir && cosim_rtl_list(gold_dir, &gold) > 0 && cosim_rtl_list(gate_dir, &gate) > 0)
        script = mutrun_equiv_script(gold, gold_dir, gate, gate_dir);
    double limit = o->equiv_timeout_s > 0 ? o->equiv_timeout_s : MUTRUN_EQUIV_TIMEOUT;
    if (!script || !ys || !log || fsx_write_atomic(ys, script, strlen(script)) != 0) {
        reason = fsx_fmt("cannot write the Yosys script %s", ys ? ys : "equiv.ys");
    } else {
        const char *argv[] = {"yosys", "-q", "-s", ys, NULL};
        proc_result res;
        char what[160];
        if (mutrun_tool(argv, dir, log, limit, &res) == 0) {
            status = "equivalent";
            reason = fsx_fmt("proven equivalent to the original by Yosys equiv_simple + equiv_induct (%s)", log);
        } else if (!res.timed_out && !res.spawn_failed && res.exit_code == 1 && res.term_signal == 0) {
            char *tail = fsx_tail(log, 400);
            bool unproven = tail && strstr(tail, "unproven $equiv");
            status = unproven ? "different" : "unknown";
            reason = fsx_fmt("%s (%s)", unproven ? "not proven equivalent: unproven $equiv cells" : "yosys failed", log);
            free(tail);
        } else {
            reason = fsx_fmt("no verdict: %s (%s)", proc_describe(&res, "yosys", what, sizeof what), log);
        }
    }
    json_t *j = json_pack("{s:s, s:s, s:f}", "status", status, "reason", reason ? reason : "out of memory",
                          "seconds", proc_now() - t0);
    free(reason);
    free(script);
    cosim_rtl_free(gold);
    cosim_rtl_free(gate);
    free(gold_dir);
    free(gate_dir);
    free(ys);
    free(log);
    return j;
}

/* One gate on the mutant's tree; "error" results when it cannot start. */
static json_t *mutrun_gate(const char *name, gate_ctx *ctx, json_t *prior)
{
    const gate_def *def = gate_find(name);
    if (!def || !def->run)
        return gate_result_error(name, "not in the gate registry", proc_now());
    ctx->prior = prior;
    ctx->timeout_s = def->timeout_s;
    json_t *r = gate_run(def->run, ctx);
    return r ? r : gate_result_error(name, "gate returned no result", proc_now());
}

static const char *mutrun_status(const json_t *r)
{
    const char *s = json_string_value(json_object_get(r, "status"));
    return s ? s : "error";
}

/* A string member, or "". */
static const char *mutrun_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static bool mutrun_killed(const json_t *r)
{
    const char *s = mutrun_status(r);
    return strcmp(s, "fail") == 0 || strcmp(s, "timeout") == 0;
}

/* The gates on one prepared tree: sets "outcome", "killed_by", "matrix". */
static void mutrun_gates(const mutrun_opts *o, const char *dir, const char *tree, json_t *m)
{
    char *rundir = fsx_fmt("%s/run", dir);
    char *cfg_path = fsx_fmt("%s/cores/%s/core.yaml", tree, o->core);
    char cerr[256];
    json_t *cfg = cfg_path ? yamljson_load_file(cfg_path, cerr, sizeof cerr) : NULL;
    json_t *gates = json_object(), *matrix = json_object();
    const char *outcome = "survived", *killed_by = NULL;
    gate_ctx ctx = {.tree = tree, .core = o->core, .harness = o->harness, .build = o->build, .rundir = rundir,
                    .core_cfg = cfg, .jobs = o->jobs, .quick = o->quick};
    if (!rundir || fsx_mkdirs(rundir, 0755) != 0) {
        outcome = "error";
        goto done;
    }
    json_t *lint = mutrun_gate("lint", &ctx, gates);
    json_object_set_new(gates, "lint", lint);
    if (!strcmp(mutrun_status(lint), "error") || (mutrun_killed(lint) && !json_object_get(lint, "testbenches"))) {
        outcome = strcmp(mutrun_status(lint), "error") ? "stillborn" : "error";
        json_object_set_new(matrix, "lint", json_string(outcome));
        goto done;
    }
    json_object_set_new(matrix, "lint", json_string(mutrun_killed(lint) ? "kill" : "pass"));
    json_t *cosim = mutrun_gate("cosim", &ctx, gates);
    json_object_set_new(gates, "cosim", cosim);
    if (mutrun_killed(cosim) || !strcmp(mutrun_status(cosim), "error")) {
        outcome = mutrun_killed(cosim) ? "killed" : "error";
        killed_by = mutrun_killed(cosim) ? "cosim" : NULL;
        json_object_set_new(matrix, "cosim", json_string(mutrun_killed(cosim) ? "kill" : "error"));
        goto done;
    }
    json_object_set_new(matrix, "cosim", json_string("pass"));
    json_t *eq = mutrun_equiv(o, dir, tree);
    json_object_set_new(m, "equivalence", eq);
    if (!strcmp(json_string_value(json_object_get(eq, "status")), "equivalent")) {
        outcome = "equivalent";
        goto done;
    }
    json_t *formal = mutrun_gate("formal", &ctx, gates);
    json_object_set_new(gates, "formal", formal);
    bool fk = mutrun_killed(formal), fe = !strcmp(mutrun_status(formal), "error");
    json_object_set_new(matrix, "formal", json_string(fk ? "kill" : fe ? "error" : "pass"));
    outcome = fk ? "killed" : fe ? "error" : "survived";
    killed_by = fk ? "formal" : NULL;
done:
    json_object_set_new(m, "outcome", json_string(outcome));
    json_object_set_new(m, "killed_by", killed_by ? json_string(killed_by) : json_null());
    json_object_set_new(m, "matrix", matrix);
    json_object_set_new(m, "gates", gates);
    json_decref(cfg);
    free(cfg_path);
    free(rundir);
}

/* The record of one mutant, its gates run. */
static json_t *mutrun_one(const mutrun_opts *o, const mutrun_src *s, const mut_pick *p, int idx, char *err,
                          size_t errlen)
{
    double t0 = proc_now();
    const mut_site *site = &s->sites[p->file].v[p->site];
    const char *file = mutrun_base(s->paths[p->file]);
    char *id = fsx_fmt("m%03d", idx + 1);
    char *dir = fsx_fmt("%s/%s", o->outdir, id ? id : "m");
    char *rel = fsx_fmt("cores/%s/rtl/%s", o->core, file);
    char *mutated = mutgen_apply(s->text[p->file], s->len[p->file], site);
    char *diff = mutgen_diff(rel ? rel : file, s->text[p->file], s->len[p->file], site);
    char *tree = id && dir && rel && mutated && diff && fsx_mkdirs(dir, 0755) == 0
                     ? mutrun_tree(o, dir, file, mutated, err, errlen)
                     : NULL;
    json_t *m = NULL;
    if (tree) {
        m = json_pack("{s:s, s:s, s:i, s:s, s:s}", "id", id, "file", file, "line", site->line, "class",
                      mutgen_class_name(site->cls), "diff", diff);
        mutrun_gates(o, dir, tree, m);
        json_object_set_new(m, "seconds", json_real(proc_now() - t0));
        if (fsx_remove_tree(tree) != 0) /* a full copy per mutant adds up; the logs stay */
            json_object_set_new(m, "cleanup", json_string(strerror(errno)));
    } else if (!*err) {
        snprintf(err, errlen, "cannot prepare mutant %s under %s: %s", id ? id : "?", o->outdir, strerror(errno));
    }
    free(id);
    free(dir);
    free(rel);
    free(mutated);
    free(diff);
    free(tree);
    return m;
}

/* counts, per-class counts and the score, from the mutants. */
static void mutrun_summarise(json_t *res)
{
    json_t *mutants = json_object_get(res, "mutants"), *counts = json_object(), *classes = json_object();
    static const char *const outcomes[] = {"killed", "survived", "equivalent", "stillborn", "error"};
    for (size_t k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++)
        json_object_set_new(counts, outcomes[k], json_integer(0));
    json_object_set_new(counts, "killed_cosim", json_integer(0));
    json_object_set_new(counts, "killed_formal", json_integer(0));
    json_object_set_new(counts, "lint_testbench_kills", json_integer(0));
    size_t i;
    json_t *m;
    json_array_foreach(mutants, i, m) {
        const char *out = json_string_value(json_object_get(m, "outcome"));
        const char *by = json_string_value(json_object_get(m, "killed_by"));
        const char *cls = json_string_value(json_object_get(m, "class"));
        json_t *c = json_object_get(classes, cls);
        if (!c) {
            c = json_object();
            for (size_t k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++)
                json_object_set_new(c, outcomes[k], json_integer(0));
            json_object_set_new(classes, cls, c);
        }
        json_t *keys[3] = {json_object_get(counts, out), json_object_get(c, out),
                           by ? json_object_get(counts, !strcmp(by, "cosim") ? "killed_cosim" : "killed_formal") : NULL};
        for (int k = 0; k < 3; k++)
            if (keys[k])
                json_integer_set(keys[k], json_integer_value(keys[k]) + 1);
        const char *lint = json_string_value(json_object_get(json_object_get(m, "matrix"), "lint"));
        if (lint && !strcmp(lint, "kill")) {
            json_t *t = json_object_get(counts, "lint_testbench_kills");
            json_integer_set(t, json_integer_value(t) + 1);
        }
    }
    json_int_t killed = json_integer_value(json_object_get(counts, "killed"));
    json_int_t base = killed + json_integer_value(json_object_get(counts, "survived"));
    json_object_set_new(res, "counts", counts);
    json_object_set_new(res, "classes", classes);
    json_object_set_new(res, "scored", json_integer(base));
    json_object_set_new(res, "score", base ? json_real(100.0 * (double)killed / (double)base) : json_null());
}

static int mutrun_save(const mutrun_opts *o, json_t *res)
{
    mutrun_summarise(res);
    char *path = fsx_fmt("%s/mutate.json", o->outdir);
    char *text = json_dumps(res, JSON_INDENT(2) | JSON_SORT_KEYS);
    int rc = path && text && fsx_write_atomic(path, text, strlen(text)) == 0 ? 0 : -1;
    free(path);
    free(text);
    return rc;
}

/* The core's RTL and the sample of mutants the options ask for: the
 * number picked, or -1 with err. */
static int mutrun_prepare(const mutrun_opts *o, mutrun_src *s, mut_pick **picks, char *err, size_t errlen)
{
    *err = '\0';
    *picks = NULL;
    memset(s, 0, sizeof *s);
    char *rtl_dir = fsx_fmt("%s/cores/%s/rtl", o->harness, o->core);
    int n = -1;
    if (rtl_dir && mutrun_src_load(rtl_dir, s, err, errlen) == 0)
        n = mutrun_select(o, s, picks, err, errlen);
    free(rtl_dir);
    return n;
}

json_t *mutrun_run(const mutrun_opts *o, FILE *progress, char *err, size_t errlen)
{
    mutrun_src s;
    mut_pick *picks;
    int n = mutrun_prepare(o, &s, &picks, err, errlen);
    if (n < 0 || fsx_mkdirs(o->outdir, 0755) != 0) {
        if (!*err)
            snprintf(err, errlen, "cannot create %s: %s", o->outdir, strerror(errno));
        mutrun_src_free(&s);
        free(picks);
        return NULL;
    }
    size_t total = 0;
    for (int f = 0; f < s.n; f++)
        total += s.sites[f].n;
    json_t *res = json_pack("{s:s, s:I, s:i, s:b, s:I, s:[]}", "core", o->core, "seed", (json_int_t)o->seed, "max",
                            o->max, "quick", o->quick, "sites", (json_int_t)total, "mutants");
    for (int i = 0; i < n && res; i++) {
        json_t *m = mutrun_one(o, &s, &picks[i], i, err, errlen);
        if (!m || proc_is_cancelled()) {
            json_decref(m);
            if (!*err)
                snprintf(err, errlen, "stopped (a signal)");
            json_decref(res);
            res = NULL;
            break;
        }
        if (progress) {
            fprintf(progress, "%s %s:%d %-12s %-10s %s %.0f s\n", json_string_value(json_object_get(m, "id")),
                    json_string_value(json_object_get(m, "file")), (int)json_integer_value(json_object_get(m, "line")),
                    json_string_value(json_object_get(m, "class")), json_string_value(json_object_get(m, "outcome")),
                    mutrun_str(m, "killed_by"), json_number_value(json_object_get(m, "seconds")));
            fflush(progress);
        }
        json_array_append_new(json_object_get(res, "mutants"), m);
        if (mutrun_save(o, res) != 0) {
            snprintf(err, errlen, "cannot write %s/mutate.json: %s", o->outdir, strerror(errno));
            json_decref(res);
            res = NULL;
        }
    }
    if (res && n == 0)
        mutrun_save(o, res);
    mutrun_src_free(&s);
    free(picks);
    return res;
}

json_t *mutrun_select_only(const mutrun_opts *o, char *err, size_t errlen)
{
    mutrun_src s;
    mut_pick *picks;
    int n = mutrun_prepare(o, &s, &picks, err, errlen);
    json_t *out = n >= 0 ? json_array() : NULL;
    for (int i = 0; i < n && out; i++) {
        const mut_site *site = &s.sites[picks[i].file].v[picks[i].site];
        const char *file = mutrun_base(s.paths[picks[i].file]);
        char *rel = fsx_fmt("cores/%s/rtl/%s", o->core, file);
        char *diff = rel ? mutgen_diff(rel, s.text[picks[i].file], s.len[picks[i].file], site) : NULL;
        char id[16];
        snprintf(id, sizeof id, "m%03d", i + 1);
        json_t *m = diff ? json_pack("{s:s, s:s, s:i, s:s, s:s}", "id", id, "file", file, "line", site->line,
                                     "class", mutgen_class_name(site->cls), "diff", diff) : NULL;
        if (!m || json_array_append_new(out, m) != 0) {
            json_decref(out);
            out = NULL;
            snprintf(err, errlen, "out of memory");
        }
        free(rel);
        free(diff);
    }
    mutrun_src_free(&s);
    free(picks);
    return out;
}
