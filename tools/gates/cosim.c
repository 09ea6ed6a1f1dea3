/* cosim.c — the cosim gate (DESIGN.md §3): the candidate's core and the ISS in
 * lockstep over the self-test, the ISA tests, generated random programs and the
 * fitness workload, each under the stall patterns none, std, another seed and
 * bursty. The fitness numbers come out of the same runs (DESIGN.md §3).
 *
 * Flow: build or reuse the harness binary for the RTL (cosim_model.h), write
 * the random programs into the run directory (rvgen), split the (program,
 * pattern) runs into ctx->jobs balanced batches, run one harness process per
 * batch in parallel (each stops at its first failure), then read the JSON lines
 * back. Runs inside a batch go in canonical order (programs as listed, then
 * patterns), so the first failure reported is the first in that order over all
 * batches, whatever the split.
 *
 * Under a cluster executor (ctx->launcher) the model's build steps and each
 * batch are jobs of their own (REMOTE_BATCHES batches, whatever ctx->jobs),
 * so one candidate's programs spread over the nodes; rvgen and the
 * verdict stay here. A job the infrastructure could not run makes the gate
 * an "error" with "infrastructure": true.
 *
 * Coverage ($COSIM_COVERAGE: line by default, off in quick mode, toggle, off): a second model
 * built with Verilator's coverage runs every program's std run (a coverage
 * model simulates about 5x slower with line coverage, about 40x with toggle:
 * the other patterns reach the same logic with other timing, and run on the
 * plain model); its batches write their summed points, read back by covdat.h
 * into the result's "coverage" object. A coverage model that cannot be built
 * is recorded as such ("kind": "off" with "error") and never fails the gate.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cosim/cosim_model.h"
#include "cosim/covdat.h"
#include "cosim/verdict.h"
#include "gates/fitset.h"
#include "gates/gate.h"
#include "gates/toolout.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strbuf.h"

/* Dictionary programs (rvgen_dict.h): each sweeps every literal of the
 * candidate's RTL through every M and ALU operation, so a few suffice. */
enum { RANDOM_FULL = 200, RANDOM_QUICK = 24, DICT_FULL = 8, DICT_QUICK = 2, MAX_BATCHES = 32 };
/* Under a launcher each batch is a one-CPU job: the queue, not ctx->jobs,
 * bounds how many run at once. Eight spread a full run (about 8 CPU
 * minutes on the baseline) over the nodes while each job still runs long
 * enough (a minute) that Slurm's dispatch (0.1 s a job, make bench-slurm)
 * does not count. */
enum { REMOTE_BATCHES = 8 };
/* Random and dictionary programs, and room for the bench programs and every workload. */
enum { MAX_PROGS = RANDOM_FULL + DICT_FULL + 16 };
#define COREMARK_ITERATIONS "10" /* DESIGN.md §3: ITERATIONS=10 */

/* The other seed is arbitrary but fixed; the harness prints it as seed=0x2545f491. */
static const char *const cosim_patterns[] = {"none", "std", "seed=0x2545f491", "bursty"};
enum { N_PATTERNS = 4, PAT_STD = 1 };

typedef struct {
    char *path, *name;
    bool random, fitness;
    double mcycles; /* cost estimate per run, for balancing batches */
} cosim_prog;

typedef struct {
    int prog, pat;
    bool cov; /* runs on the coverage model */
    int batch;
    json_t *result; /* the harness's object, a synthesised one, or NULL (not run) */
} cosim_task;

typedef struct {
    const gate_ctx *ctx;
    double started, deadline;
    char *log;
    cosim_prog progs[MAX_PROGS];
    int nprogs;
    cosim_task *tasks;
    int ntasks;
    unsigned long long seed_fixed, seed_fresh;
    int n_fixed, n_fresh, n_dict;
    fitset set;          /* the workloads measured (gates/fitset.h) */
    cosim_cov_kind cov;  /* what the coverage model collects (COSIM_COV_NONE: no such model) */
    int nb_plain;        /* batches [0, nb_plain) run the plain model, the rest the coverage model */
    char *infra;         /* a batch the launcher could not run: why (the gate has no verdict) */
} cosim_run;

/* A coverage run costs this many plain runs (measured on the baseline). */
static double cosim_cov_weight(cosim_cov_kind k) { return k == COSIM_COV_TOGGLE ? 40 : k == COSIM_COV_LINE ? 5 : 1; }

static double cosim_left(const cosim_run *c)
{
    double left = c->deadline - proc_now();
    return left > 5 ? left : 5;
}

static bool cosim_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void cosim_add_prog(cosim_run *c, char *path, const char *name, bool random, bool fitness, double mc)
{
    /* the counts above are constants of this file: running out is a bug here, never input */
    if (c->nprogs >= MAX_PROGS)
        abort();
    cosim_prog *p = &c->progs[c->nprogs++];
    p->path = path;
    p->name = fsx_fmt("%s", name);
    p->random = random;
    p->fitness = fitness;
    p->mcycles = mc;
}

/* The bench ELFs; NULL or an error message (malloc'd) naming what to build. */
static char *cosim_bench_progs(cosim_run *c)
{
    static const struct {
        const char *name;
        double mc;
    } bench[] = {{"selftest.elf", 0.3}, {"isa.elf", 0.05}};
    for (size_t i = 0; i < 2; i++) {
        char *p = fsx_fmt("%s/bench/%s", c->ctx->build, bench[i].name);
        if (!cosim_exists(p)) {
            char *e = fsx_fmt("missing %s: build the bench programs with 'make bench-elfs'", p);
            free(p);
            return e;
        }
        cosim_add_prog(c, p, bench[i].name, false, false, bench[i].mc);
    }
    return NULL;
}

/* A bench ELF, measured (fitness) or not; NULL or an error naming what to build. */
static char *cosim_add_bench(cosim_run *c, const char *elf, bool fitness, const char *how)
{
    char *p = fsx_fmt("%s/bench/%s", c->ctx->build, elf);
    if (!cosim_exists(p)) {
        char *e = fsx_fmt("missing %s: %s", p, how);
        free(p);
        return e;
    }
    cosim_add_prog(c, p, elf, false, fitness, 9);
    return NULL;
}

/* The project workload always runs (as a test when it is not measured),
 * then every other member of the workload set. */
static char *cosim_fitness_progs(cosim_run *c)
{
    char err[320];
    if (fitset_parse(gate_workload(), &c->set, err, sizeof err) != 0)
        return fsx_fmt("%s; WORKLOADS unset measures the default set", err);
    const char *cm = getenv("COREMARK_DIR");
    if (fitset_has(&c->set, "coremark") && !(cm && *cm))
        return fsx_fmt("the workload set %s names coremark but COREMARK_DIR is not set: point it at a CoreMark "
                       "checkout (make coremark-fetch), or leave coremark out of WORKLOADS", gate_workload());
    const char *build = "build the bench programs with 'make bench-elfs'";
    char *e = cosim_add_bench(c, "workload.elf", fitset_has(&c->set, "workload"), build);
    if (!e && fitset_has(&c->set, "vm"))
        e = cosim_add_bench(c, "vm.elf", true, build);
    if (!e && fitset_has(&c->set, "coremark"))
        e = cosim_add_bench(c, "coremark.elf", true, "COREMARK_DIR is set: build it with 'make coremark-elf'");
    return e;
}

/* rvgen --seed S --count N --outdir DIR [--dict-rtl RTL]: DIR/rand-<seed>.elf,
 * or with a dictionary DIR/dict-<seed>.elf. Returns NULL or a malloc'd error. */
static char *cosim_rvgen(cosim_run *c, const char *dir, unsigned long long seed, int n, const char *dict_rtl)
{
    char *rvgen = fsx_fmt("%s/bin/rvgen", c->ctx->build);
    char seed_s[32], n_s[16];
    snprintf(seed_s, sizeof seed_s, "%llu", seed);
    snprintf(n_s, sizeof n_s, "%d", n);
    const char *argv[] = {rvgen, "--seed", seed_s, "--count", n_s, "--outdir", dir,
                          dict_rtl ? "--dict-rtl" : NULL, dict_rtl, NULL};
    const char *kind = dict_rtl ? "dict" : "rand";
    proc_spec spec = {.argv = argv, .log_path = c->log, .timeout_s = 60, .group = c->ctx->group};
    proc_result res;
    char *err = NULL;
    if (!cosim_exists(rvgen)) {
        err = fsx_fmt("missing %s: build it with 'make'", rvgen);
    } else if (proc_run(&spec, &res) != 0) {
        char why[256];
        err = fsx_fmt("generating %s programs: %s", dict_rtl ? "dictionary" : "random",
                      proc_describe(&res, "rvgen", why, sizeof why));
    }
    for (int i = 0; !err && i < n; i++) {
        char *p = fsx_fmt("%s/%s-%llu.elf", dir, kind, seed + (unsigned long long)i);
        char *name = fsx_fmt("%s-%llu.elf", kind, seed + (unsigned long long)i);
        cosim_add_prog(c, p, name, true, false, 0.01);
        free(name);
    }
    free(rvgen);
    return err;
}

/* Fixed seeds (a regression set, the same every run) and, in full mode, as many
 * fresh ones (new corner cases each run; COSIM_SEED pins them). */
static char *cosim_random_progs(cosim_run *c)
{
    char *dir = gate_path(c->ctx, "cosim-rand");
    int n = c->ctx->quick ? RANDOM_QUICK : RANDOM_FULL;
    c->seed_fixed = 1;
    c->n_fixed = c->ctx->quick ? n : n / 2;
    c->n_fresh = n - c->n_fixed;
    const char *env = getenv("COSIM_SEED");
    c->seed_fresh = env && *env ? strtoull(env, NULL, 0)
                                : 1000000ull + ((unsigned long long)time(NULL) * 1000ull + (unsigned long long)getpid() % 1000ull) % 1000000000000ull;
    char *err = cosim_rvgen(c, dir, c->seed_fixed, c->n_fixed, NULL);
    if (!err && c->n_fresh > 0)
        err = cosim_rvgen(c, dir, c->seed_fresh, c->n_fresh, NULL);
    /* the dictionary is the candidate's own: the same seeds every run */
    char *rtl = gate_core_path(c->ctx, "rtl");
    c->n_dict = c->ctx->quick ? DICT_QUICK : DICT_FULL;
    if (!err && c->n_dict > 0)
        err = cosim_rvgen(c, dir, c->seed_fixed, c->n_dict, rtl);
    free(rtl);
    free(dir);
    return err;
}

static void cosim_make_tasks(cosim_run *c)
{
    c->tasks = calloc((size_t)c->nprogs * N_PATTERNS, sizeof *c->tasks);
    c->ntasks = 0;
    for (int p = 0; c->tasks && p < c->nprogs; p++)
        for (int s = 0; s < N_PATTERNS; s++) {
            /* quick: the fitness runs only where the fitness is measured */
            if (c->ctx->quick && (c->progs[p].fitness || !strcmp(c->progs[p].name, "workload.elf")) && s != PAT_STD)
                continue;
            cosim_task *t = &c->tasks[c->ntasks++];
            t->prog = p;
            t->pat = s;
            t->cov = c->cov != COSIM_COV_NONE && s == PAT_STD;
        }
}

static double cosim_cost(const cosim_run *c, const cosim_task *t)
{
    return c->progs[t->prog].mcycles * (t->cov ? cosim_cov_weight(c->cov) : 1);
}

/* Longest-processing-time-first over the tasks of one model (cov): each to
 * the currently lightest of batches [first, first + nb). */
static int cosim_partition_group(cosim_run *c, bool cov, int first, int nb)
{
    double load[MAX_BATCHES] = {0};
    int *order = malloc((size_t)c->ntasks * sizeof *order), n = 0;
    if (!order)
        return -1;
    for (int i = 0; i < c->ntasks; i++)
        if (c->tasks[i].cov == cov)
            order[n++] = i;
    for (int i = 1; i < n; i++) /* insertion sort by cost, descending; stable */
        for (int j = i; j > 0 && cosim_cost(c, &c->tasks[order[j]]) > cosim_cost(c, &c->tasks[order[j - 1]]); j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        int best = 0;
        for (int b = 1; b < nb; b++)
            if (load[b] < load[best])
                best = b;
        c->tasks[order[i]].batch = first + best;
        load[best] += cosim_cost(c, &c->tasks[order[i]]);
    }
    free(order);
    return n < nb ? n : nb;
}

/* The batches: those of the plain model, then those of the coverage model. */
static int cosim_partition(cosim_run *c)
{
    int nb = c->ctx->launcher ? REMOTE_BATCHES : c->ctx->jobs > 0 ? c->ctx->jobs : 1;
    if (nb > MAX_BATCHES / 2)
        nb = MAX_BATCHES / 2;
    int plain = cosim_partition_group(c, false, 0, nb);
    int cov = plain < 0 ? -1 : cosim_partition_group(c, true, plain, nb);
    if (cov < 0)
        return -1;
    c->nb_plain = plain;
    return plain + cov;
}

/* argv for one batch: its tasks in canonical order, "--stall P" before each change. */
static const char **cosim_batch_argv(const cosim_run *c, const char *binary, const char *out,
                                     const char *cov_out, int b)
{
    const char **argv = calloc((size_t)c->ntasks * 3 + 16, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = binary;
    argv[k++] = "--out";
    argv[k++] = out;
    if (cov_out) {
        argv[k++] = "--coverage";
        argv[k++] = cov_out;
    }
    argv[k++] = "--stop-on-fail";
    argv[k++] = "--expect-iterations";
    argv[k++] = COREMARK_ITERATIONS;
    int cur = -1;
    for (int i = 0; i < c->ntasks; i++) {
        if (c->tasks[i].batch != b)
            continue;
        if (c->tasks[i].pat != cur) {
            cur = c->tasks[i].pat;
            argv[k++] = "--stall";
            argv[k++] = cosim_patterns[cur];
        }
        argv[k++] = c->progs[c->tasks[i].prog].path;
    }
    argv[k] = NULL;
    return argv;
}

/* A result object for a run the harness did not report (crash, timeout). */
static json_t *cosim_synth(const cosim_run *c, const cosim_task *t, const char *verdict, const char *msg)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b}", "program", c->progs[t->prog].path, "stall",
                     cosim_patterns[t->pat], "verdict", verdict, "message", msg, "synthesised", 1);
}

/* Reads a batch's JSON lines into its tasks, in order; handles a dead harness. */
static void cosim_collect(cosim_run *c, int b, const char *out, const proc_result *res)
{
    char *text = NULL;
    size_t len = 0, nb = 0;
    for (int k = 0; k < c->ntasks; k++)
        nb += c->tasks[k].batch == b;
    if (fsx_read(out, &text, &len) != 0)
        len = 0;
    json_t *lines = toolout_cosim_lines(text ? text : "", len, nb);
    size_t next = 0;
    int i = 0;
    for (; i < c->ntasks; i++) {
        cosim_task *t = &c->tasks[i];
        if (t->batch != b)
            continue;
        if (next >= json_array_size(lines))
            break;
        t->result = json_incref(json_array_get(lines, next++));
        if (!json_is_object(t->result)) {
            json_decref(t->result);
            t->result = cosim_synth(c, t, "error", "the harness printed a line that is not a JSON object with a "
                                    "verdict (see the log)");
        }
    }
    json_decref(lines);
    free(text);
    bool died = res->timed_out || res->cancelled || res->term_signal || res->spawn_failed ||
                res->exit_code < 0 || res->exit_code > VERDICT_ERROR;
    if (!died)
        return;
    for (; i < c->ntasks; i++) { /* the run that was in progress */
        cosim_task *t = &c->tasks[i];
        if (t->batch != b || t->result)
            continue;
        char why[256], msg[400];
        proc_describe(res, "the cosim harness", why, sizeof why);
        snprintf(msg, sizeof msg, "%s while running this program%s", why,
                 res->term_signal ? " (a $fatal/$stop/assertion in the RTL, or a harness bug: see the log)" : "");
        t->result = cosim_synth(c, t, res->timed_out || res->cancelled ? "timeout" : "crash", msg);
        break;
    }
}

/* <rundir>/cosim-cov-<b>.dat for a batch of the coverage model, else NULL. */
static char *cosim_cov_path(const cosim_run *c, int b)
{
    if (b < c->nb_plain)
        return NULL;
    char name[48];
    snprintf(name, sizeof name, "cosim-cov-%d.dat", b - c->nb_plain);
    return gate_path(c->ctx, name);
}

/* The coverage batches' points, summed, as the result's "coverage" object. */
static json_t *cosim_coverage(const cosim_run *c, int nb)
{
    covdat *cd = covdat_new();
    int files = 0;
    for (int b = c->nb_plain; cd && b < nb; b++) {
        char *p = cosim_cov_path(c, b), *text = NULL;
        size_t len = 0;
        if (p && fsx_read(p, &text, &len) == 0 && covdat_add(cd, text, len) >= 0)
            files++;
        free(text);
        free(p);
    }
    json_t *r = cd && files == nb - c->nb_plain && files > 0 ? covdat_summary(cd, cosim_cov_name(c->cov)) : NULL;
    covdat_free(cd);
    if (!r)
        return json_pack("{s:s, s:s}", "kind", "off", "error",
                         "the coverage model's runs left no coverage file (see the log)");
    json_object_set_new(r, "runs", json_string("std"));
    return r;
}

/* One harness process: its tasks' argv, files and outcome. */
typedef struct {
    cosim_run *c;
    int b;
    const char **argv;
    char *out, *cov; /* its JSON lines; its coverage points (NULL: the plain model) */
    proc_result res;
    bool infra;      /* the launcher could not run it (why says so) */
    char why[700];
} cosim_batch;

static void *cosim_batch_main(void *arg)
{
    cosim_batch *bt = arg;
    char label[32];
    snprintf(label, sizeof label, "batch%d", bt->b);
    proc_spec spec = {.argv = bt->argv, .log_path = bt->c->log, .timeout_s = cosim_left(bt->c),
                      .confine = bt->c->ctx->confine};
    bt->infra = gate_run_tool(bt->c->ctx, label, &spec, &bt->res, bt->why, sizeof bt->why) != 0;
    return NULL;
}

/* Every batch at once, each in a thread of its own waiting for its
 * harness, here or as a job (gate_run_tool). */
static void cosim_run_all(cosim_batch *bt, int nb)
{
    pthread_t tid[MAX_BATCHES];
    bool started[MAX_BATCHES] = {0};
    for (int b = 1; b < nb; b++)
        started[b] = pthread_create(&tid[b], NULL, cosim_batch_main, &bt[b]) == 0;
    cosim_batch_main(&bt[0]);
    for (int b = 1; b < nb; b++) {
        if (started[b])
            pthread_join(tid[b], NULL);
        else
            cosim_batch_main(&bt[b]); /* no thread to be had: in turn, then */
    }
}

static int cosim_run_batches(cosim_run *c, const char *binary, const char *cov_binary, json_t *r)
{
    int nb = cosim_partition(c);
    if (nb <= 0)
        return -1;
    cosim_batch bt[MAX_BATCHES] = {0};
    for (int b = 0; b < nb; b++) {
        char name[48];
        snprintf(name, sizeof name, "cosim-batch-%d.jsonl", b);
        bt[b] = (cosim_batch){.c = c, .b = b, .out = gate_path(c->ctx, name), .cov = cosim_cov_path(c, b)};
        unlink(bt[b].out);
        if (bt[b].cov)
            unlink(bt[b].cov);
        bt[b].argv = cosim_batch_argv(c, bt[b].cov ? cov_binary : binary, bt[b].out, bt[b].cov, b);
    }
    cosim_run_all(bt, nb);
    for (int b = 0; b < nb; b++) {
        if (bt[b].infra && !c->infra)
            c->infra = fsx_fmt("batch %d: %s", b, bt[b].why);
        else if (!bt[b].infra)
            cosim_collect(c, b, bt[b].out, &bt[b].res);
        free(bt[b].out);
        free(bt[b].argv);
    }
    if (c->cov != COSIM_COV_NONE)
        json_object_set_new(r, "coverage", cosim_coverage(c, nb));
    for (int b = 0; b < nb; b++) {
        if (bt[b].cov)
            unlink(bt[b].cov);
        free(bt[b].cov);
    }
    return 0;
}

static const char *cosim_verdict(const cosim_task *t)
{
    const char *v = t->result ? json_string_value(json_object_get(t->result, "verdict")) : NULL;
    return v ? v : "not_run";
}

/* {selftest.elf: {none: pass, ...}, ..., random: {programs, runs, passed, failed: [...]}} */
static json_t *cosim_verdicts(const cosim_run *c, int *passed, int *failed, int *not_run)
{
    json_t *v = json_object(), *rnd_failed = json_array();
    int rnd_runs = 0, rnd_pass = 0, rnd_progs = 0;
    *passed = *failed = *not_run = 0;
    for (int p = 0; p < c->nprogs; p++)
        rnd_progs += c->progs[p].random;
    for (int i = 0; i < c->ntasks; i++) {
        const cosim_task *t = &c->tasks[i];
        const cosim_prog *p = &c->progs[t->prog];
        const char *verdict = cosim_verdict(t);
        bool pass = strcmp(verdict, "pass") == 0, nr = strcmp(verdict, "not_run") == 0;
        *passed += pass;
        *not_run += nr;
        *failed += !pass && !nr;
        if (p->random) {
            rnd_runs++;
            rnd_pass += pass;
            if (!pass && !nr && json_array_size(rnd_failed) < 20)
                json_array_append_new(rnd_failed, json_pack("{s:s, s:s, s:s}", "program", p->name, "stall",
                                                             cosim_patterns[t->pat], "verdict", verdict));
            continue;
        }
        json_t *per = json_object_get(v, p->name);
        if (!per)
            json_object_set_new(v, p->name, per = json_object());
        json_object_set_new(per, cosim_patterns[t->pat], json_string(verdict));
    }
    json_object_set_new(v, "random", json_pack("{s:i, s:i, s:i, s:o}", "programs", rnd_progs, "runs", rnd_runs,
                                               "passed", rnd_pass, "failed", rnd_failed));
    return v;
}

/* One measured program's run under the std pattern, or NULL. */
static const cosim_task *cosim_std_run(const cosim_run *c, const char *program)
{
    for (int i = 0; i < c->ntasks; i++) {
        const cosim_task *t = &c->tasks[i];
        if (c->progs[t->prog].fitness && t->pat == PAT_STD && t->result &&
            strcmp(c->progs[t->prog].name, program) == 0)
            return t;
    }
    return NULL;
}

/* The fitness object: the primary workload's run under the std pattern, its
 * "workload" the set's name, and "workloads": each member's own (the coremark
 * gate scores and validates each). NULL when a member has no run. */
static json_t *cosim_fitness(const cosim_run *c)
{
    json_t *ws = json_object(), *fit = NULL;
    for (int i = 0; i < c->set.n; i++) {
        const char *prog = fitset_program(c->set.name[i]);
        const cosim_task *t = cosim_std_run(c, prog);
        json_t *f = t ? toolout_cosim_fitness(t->result, c->set.name[i], prog) : NULL;
        if (!f) {
            json_decref(ws);
            json_decref(fit);
            return NULL;
        }
        if (i == 0) {
            fit = json_deep_copy(f);
            json_object_set_new(fit, "workload", json_string(gate_workload()));
        }
        json_object_set_new(ws, c->set.name[i], f);
    }
    if (!fit) {
        json_decref(ws);
        return NULL;
    }
    json_object_set_new(fit, "workloads", ws);
    return fit;
}

/* "workload: 60 iterations in 4135021 cycles under std = 14.510 per MHz,
 * workload validated: ...; vm: ..." */
static char *cosim_fitness_text(const json_t *fit)
{
    strbuf b = {0};
    const char *k;
    const json_t *w;
    json_object_foreach((json_t *)json_object_get(fit, "workloads"), k, w)
        strbuf_addf(&b, "%s%s: %lld iterations in %lld cycles under std = %.3f per MHz, %s", b.len ? "; " : "", k,
                    (long long)json_integer_value(json_object_get(w, "iterations")),
                    (long long)json_integer_value(json_object_get(w, "cycles")),
                    json_real_value(json_object_get(w, "coremark_per_mhz")),
                    json_string_value(json_object_get(w, "validation")));
    return strbuf_take(&b);
}

/* The first failing run in canonical order, or NULL. */
static const cosim_task *cosim_first_failure(const cosim_run *c)
{
    for (int i = 0; i < c->ntasks; i++) {
        const char *v = cosim_verdict(&c->tasks[i]);
        if (strcmp(v, "pass") != 0 && strcmp(v, "not_run") != 0)
            return &c->tasks[i];
    }
    return NULL;
}

static char *cosim_failure_text(const cosim_run *c, const cosim_task *t)
{
    return toolout_cosim_failure(t->result, cosim_verdict(t), c->progs[t->prog].name, cosim_patterns[t->pat],
                                 c->progs[t->prog].path);
}

/* A batch (or a model build step) that a launcher could not run leaves
 * the gate without a verdict: an earlier failure may be in what did not
 * run. Never a design verdict, never cached. */
static json_t *cosim_infrastructure(cosim_run *c, json_t *r, const char *why)
{
    char *diag = fsx_fmt("infrastructure: %s", why);
    json_object_set_new(r, "infrastructure", json_true());
    gate_result_finish(r, "error", diag ? diag : "infrastructure: a Slurm job failed", c->log, c->started);
    free(diag);
    return r;
}

static json_t *cosim_finish(cosim_run *c, json_t *r)
{
    if (c->infra)
        return cosim_infrastructure(c, r, c->infra);
    int passed, failed, not_run;
    json_object_set_new(r, "verdicts", cosim_verdicts(c, &passed, &failed, &not_run));
    json_object_set_new(r, "runs", json_pack("{s:i, s:i, s:i, s:i}", "total", c->ntasks, "passed", passed,
                                             "failed", failed, "not_run", not_run));
    json_object_set_new(r, "random", json_pack("{s:I, s:i, s:I, s:i, s:i}", "fixed_seed", (json_int_t)c->seed_fixed,
                                               "fixed_count", c->n_fixed, "fresh_seed", (json_int_t)c->seed_fresh,
                                               "fresh_count", c->n_fresh, "dictionary_count", c->n_dict));
    json_object_set_new(r, "patterns", json_pack("[s,s,s,s]", cosim_patterns[0], cosim_patterns[1],
                                                 cosim_patterns[2], cosim_patterns[3]));
    double mcycles = 0;
    for (int i = 0; i < c->ntasks; i++)
        if (c->tasks[i].result)
            mcycles += (double)json_integer_value(json_object_get(c->tasks[i].result, "cycles")) / 1e6;
    json_object_set_new(r, "simulated_mcycles", json_real(mcycles));
    const cosim_task *first = cosim_first_failure(c);
    if (first) {
        json_object_set(r, "first_failure", first->result);
        char *diag = cosim_failure_text(c, first);
        const char *v = cosim_verdict(first);
        const char *status = strcmp(v, "timeout") == 0 ? "timeout" : strcmp(v, "error") == 0 ? "error" : "fail";
        gate_result_finish(r, status, diag, c->log, c->started);
        free(diag);
        return r;
    }
    if (not_run > 0)
        return gate_result_finish(r, "error", "some runs produced no result (see the log)", c->log, c->started);
    json_t *fit = cosim_fitness(c);
    char *diag;
    if (fit) {
        json_object_set_new(r, "fitness", fit);
        char *figs = cosim_fitness_text(fit);
        diag = fsx_fmt("%d runs passed (%d programs under up to 4 stall patterns); workload set %s: %s", passed,
                       c->nprogs, gate_workload(), figs ? figs : "");
        free(figs);
    } else {
        diag = fsx_fmt("%d runs passed, but the fitness run gave no bracketed cycle count", passed);
    }
    bool ok = fit != NULL;
    const char *k;
    const json_t *w;
    json_object_foreach(json_object_get(fit, "workloads"), k, w) ok = ok && json_integer_value(json_object_get(w, "cycles")) > 0;
    gate_result_finish(r, ok ? "pass" : "fail", diag, c->log, c->started);
    free(diag);
    if (ok) { /* the programs are reproducible from their seeds: keep only failing runs' */
        char *dir = gate_path(c->ctx, "cosim-rand");
        fsx_remove_tree(dir);
        free(dir);
    }
    return r;
}

static void cosim_free(cosim_run *c)
{
    for (int i = 0; i < c->nprogs; i++) {
        free(c->progs[i].path);
        free(c->progs[i].name);
    }
    for (int i = 0; i < c->ntasks; i++)
        json_decref(c->tasks[i].result);
    free(c->tasks);
    free(c->log);
    free(c->infra);
}

static json_t *cosim_model_json(const cosim_model *m)
{
    return json_pack("{s:s, s:s, s:b, s:b, s:f, s:f}", "key", m->model_key ? m->model_key : "",
                     "binary", m->binary ? m->binary : "", "model_cached", m->model_cached,
                     "binary_cached", m->binary_cached, "verilate_seconds", m->verilate_seconds,
                     "link_seconds", m->link_seconds);
}

/* The coverage model ($COSIM_COVERAGE), into mc; its figures go to
 * "model_coverage". A model that cannot be built leaves coverage off for this
 * run, saying why. -1 (r finished as an error) for an unknown setting, or
 * when a launcher could not run a step of its build. */
static int cosim_coverage_model(cosim_run *c, const cosim_model_req *plain, cosim_model *mc, json_t *r)
{
    /* quick (the test suites' gate) leaves it off unless asked: it would
     * double their model builds */
    int kind = cosim_cov_from_env(c->ctx->quick ? COSIM_COV_NONE : COSIM_COV_LINE);
    if (kind < 0) {
        gate_result_finish(r, "error", "COSIM_COVERAGE must be off, line or toggle", c->log, c->started);
        return -1;
    }
    c->cov = (cosim_cov_kind)kind;
    if (c->cov == COSIM_COV_NONE)
        return 0;
    cosim_model_req req = *plain;
    req.coverage = c->cov;
    req.label = "cov-model";
    req.timeout_s = cosim_left(c);
    char merr[1024];
    int rc = cosim_model_get(&req, mc, merr, sizeof merr);
    json_object_set_new(r, "model_coverage", cosim_model_json(mc));
    if (rc != COSIM_MODEL_OK && mc->infrastructure) { /* a local run would have had coverage */
        cosim_infrastructure(c, r, merr);
        return -1;
    }
    if (rc != COSIM_MODEL_OK) {
        json_t *why = json_stringn_nocheck(merr, strnlen(merr, 400));
        json_object_set_new(r, "coverage", json_pack("{s:s, s:o}", "kind", "off", "error", why));
        c->cov = COSIM_COV_NONE;
    }
    return 0;
}

json_t *gate_cosim(const gate_ctx *ctx)
{
    cosim_run c = {.ctx = ctx, .started = proc_now()};
    c.deadline = c.started + (ctx->timeout_s > 0 ? ctx->timeout_s : 900);
    c.log = gate_path(ctx, "cosim.log");
    json_t *r = gate_result_new("cosim");
    char *err = cosim_bench_progs(&c);
    if (!err)
        err = cosim_random_progs(&c);
    if (!err)
        err = cosim_fitness_progs(&c);
    if (err) {
        gate_result_finish(r, "error", err, c.log, c.started);
        free(err);
        cosim_free(&c);
        return r;
    }

    char *rtl = gate_core_path(ctx, "rtl");
    /* Under a launcher Verilator's build is a one-CPU job like every other:
     * a job asking for two CPUs heads the queue of a busy node until two are
     * free at once, and Slurm starts the one-CPU jobs queued behind it only
     * at its next backfill pass (seen as "queued: Priority" behind
     * "queued: Resources" in a real K=2 round). The baseline's model takes
     * a few seconds to build either way. */
    cosim_model_req req = {.rtl_dir = rtl, .harness = ctx->harness, .build = ctx->build,
                           .log_path = c.log, .jobs = ctx->launcher ? 1 : ctx->jobs, .timeout_s = cosim_left(&c),
                           .confine = ctx->confine, .group = ctx->group, .launcher = ctx->launcher,
                           .label = "model"};
    cosim_model m;
    char merr[1024];
    int mrc = cosim_model_get(&req, &m, merr, sizeof merr);
    json_object_set_new(r, "model", cosim_model_json(&m));
    cosim_model mc = {0};
    int crc = mrc == COSIM_MODEL_OK ? cosim_coverage_model(&c, &req, &mc, r) : 0;
    free(rtl);
    if (mrc != COSIM_MODEL_OK) {
        if (m.infrastructure) {
            cosim_infrastructure(&c, r, merr);
        } else {
            char *tail = fsx_tail(c.log, 1024); /* the diagnostic stays under ~2 KiB */
            char *diag = fsx_fmt("%.900s\n%s", merr, tail ? tail : "");
            gate_result_finish(r, mrc == COSIM_MODEL_DESIGN ? "fail" : proc_now() >= c.deadline ? "timeout" : "error",
                               diag, c.log, c.started);
            free(tail);
            free(diag);
        }
        cosim_model_free(&m);
        cosim_free(&c);
        return r;
    }
    if (crc != 0) {
        cosim_model_free(&m);
        cosim_free(&c);
        return r;
    }
    cosim_make_tasks(&c);
    if (!c.tasks || cosim_run_batches(&c, m.binary, mc.binary, r) != 0) {
        gate_result_finish(r, "error", "out of memory planning the cosim runs", c.log, c.started);
    } else {
        cosim_finish(&c, r);
    }
    cosim_model_free(&m);
    cosim_model_free(&mc);
    cosim_free(&c);
    return r;
}
