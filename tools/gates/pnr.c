/* pnr.c — the pnr gate (DESIGN.md §3, §4).
 *
 * nextpnr-ice40 places and routes the synth gate's netlist (ctx->prior
 * "synth" -> "netlist") on the core's device and package (core.yaml fpga.device,
 * fpga.package; default hx8k/ct256) with the bench's pins from
 * <harness>/fpga/pcf/<device>-<package>.pcf and a clock constraint of
 * fpga.clock_mhz (default 50). Seeds 1, 2, 3 (1, 2 in quick mode; from
 * ctx->seed_first instead of 1 when a winner is re-measured) run in
 * parallel (all at once given two cores or more: pnr_workers), each with its own timeout; every
 * figure comes from nextpnr's --report JSON.
 *
 * Result figures: "seeds": [{seed, routed, fmax_mhz, seconds, cause?}],
 * "seeds_routed", "fmax_mhz_median" (what the coremark gate reads),
 * "fmax_mhz_min", "fmax_mhz_max", "seed_spread_pct" = (max-min)/median*100,
 * "lc_used", "lc_available", "utilisation" {resource: {used, available, pct}},
 * "device", "package", "clock_mhz", "nextpnr_version", "cache_key", "cached".
 *
 * Verdicts: at least two routed seeds pass (Fmax = their median). Otherwise
 * "reason": "placement_failed" with "cause":
 *   "does_not_fit" (status fail; "resource", "used", "available" from
 *                   nextpnr's utilisation table — no JSON report is written
 *                   when placement fails, so the log is the only source),
 *   "routing_failed" (fail), "timeout" (status timeout), "crash" (status
 *   error: nextpnr died on a signal), "nextpnr_error" (error: e.g. an
 *   unreadable netlist; the diagnostic quotes nextpnr's ERROR line).
 *
 * Cache: the result is stored in <ctx->build>/pnr-cache/<key>.json, key = git
 * blob id of (netlist bytes, device, package, clock, seeds, pin file, nextpnr
 * version, flags). A hit returns the stored result with "cached": true without
 * running nextpnr. A lock file per key makes a second gate with the same
 * netlist wait for the first instead of placing it again. Only deterministic
 * verdicts (pass, fail) are cached; timeouts and errors are retried.
 */
#include "gates/gate.h"
#include "gates/toolout.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "gates/critpath.h"
#include "lib/blobid.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { PNR_MAX_SEEDS = 3, PNR_MIN_ROUTED = 2 };
/* fpga/rtl/fpga_top.sv instantiates the core as u_core: the prefix of every
 * core net in nextpnr's names. */
#define PNR_CORE_PREFIX "u_core."
static const double PNR_SEED_TIMEOUT_S = 600;   /* when ctx->timeout_s is 0 */
static const double PNR_VERSION_TIMEOUT_S = 30;
static const double PNR_DEFAULT_MHZ = 50;

typedef struct {
    int seed;
    char *log, *report;
    proc_result res;
    bool routed;
    double fmax;          /* MHz, when routed */
    const char *cause;    /* why it did not route; NULL when routed */
    char detail[768];     /* one line for the diagnostic */
    char resource[64];    /* does_not_fit: the cell type that ran out */
    long used, available; /* does_not_fit: its utilisation */
    json_t *util;         /* routed: {resource: {used, available, pct}} (toolout.h) */
} pnr_seed;

typedef struct {
    const gate_ctx *ctx;
    const char *device, *package;
    double mhz;
    char *netlist, *pcf, *dir, *log, *cache_dir;
    char version[160];
    char key[BLOBID_HEX + 1];
    int nseeds;
    pnr_seed seeds[PNR_MAX_SEEDS];
    double seed_timeout;
    pthread_mutex_t mu;   /* guards next */
    int next;             /* next seed for a worker to take */
    char diag[2048];
} pnr_job;

static void pnr_log(const pnr_job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pnr_log(const pnr_job *job, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
    line[len++] = '\n';
    fsx_append(job->log, line, len); /* a lost log line must not fail the gate */
}

/* ---- inputs ---- */

static bool pnr_known_device(const char *d)
{
    static const char *const devices[] = {"lp384", "lp1k", "lp4k", "lp8k", "hx1k", "hx4k",
                                           "hx8k", "up3k", "up5k", "u1k", "u2k", "u4k"};
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
        if (strcmp(d, devices[i]) == 0)
            return true;
    return false;
}

static bool pnr_plain_word(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s))
            return false;
    return true;
}

/* Fills device, package, clock, netlist, pin file. Returns a status with
 * diag set when the gate cannot run. */
static const char *pnr_inputs(pnr_job *job)
{
    const gate_ctx *ctx = job->ctx;
    job->device = gate_cfg_str(ctx, "fpga.device", "hx8k");
    job->package = gate_cfg_str(ctx, "fpga.package", "ct256");
    job->mhz = gate_cfg_num(ctx, "fpga.clock_mhz", PNR_DEFAULT_MHZ);
    const json_t *synth = ctx->prior ? json_object_get(ctx->prior, "synth") : NULL;
    const char *netlist = json_string_value(json_object_get(synth, "netlist"));
    if (!netlist) {
        snprintf(job->diag, sizeof job->diag, "no synthesised netlist: the pnr gate needs the "
                 "synth gate's result (\"synth\".\"netlist\") in its prior results");
        return "error";
    }
    job->netlist = fsx_fmt("%s", netlist);
    if (access(netlist, R_OK) != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot read the netlist %s: %s (rerun the synth "
                 "gate)", netlist, strerror(errno));
        return "error";
    }
    if (!pnr_known_device(job->device)) {
        snprintf(job->diag, sizeof job->diag, "core.yaml fpga.device '%s' is not an iCE40 "
                 "device nextpnr-ice40 knows (hx1k, hx4k, hx8k, lp384, lp1k, lp4k, lp8k, up3k, "
                 "up5k, u1k, u2k, u4k)", job->device);
        return "fail";
    }
    if (!pnr_plain_word(job->package)) {
        snprintf(job->diag, sizeof job->diag, "core.yaml fpga.package '%s' is not a package "
                 "name such as ct256", job->package);
        return "fail";
    }
    if (!(job->mhz >= 1 && job->mhz <= 1000)) {
        snprintf(job->diag, sizeof job->diag, "core.yaml fpga.clock_mhz %g is outside 1..1000",
                 job->mhz);
        return "fail";
    }
    job->pcf = fsx_fmt("%s/fpga/pcf/%s-%s.pcf", ctx->harness, job->device, job->package);
    if (access(job->pcf, R_OK) != 0) {
        snprintf(job->diag, sizeof job->diag, "no pin constraints for %s in package %s: %s is "
                 "missing (add one to fpga/pcf/, like hx8k-ct256.pcf)", job->device, job->package,
                 job->pcf);
        return "error";
    }
    return NULL;
}

/* The first line of `nextpnr-ice40 --version`; part of the cache key. */
static const char *pnr_version(pnr_job *job)
{
    char *vlog = fsx_fmt("%s/version.log", job->dir);
    remove(vlog);
    const char *argv[] = {"nextpnr-ice40", "--version", NULL};
    proc_spec spec = {.argv = argv, .log_path = vlog, .timeout_s = PNR_VERSION_TIMEOUT_S, .group = job->ctx->group};
    proc_result res;
    const char *status = NULL;
    char *text = NULL;
    size_t len;
    if (proc_run(&spec, &res) != 0 || fsx_read(vlog, &text, &len) != 0) {
        char what[256];
        proc_describe(&res, "nextpnr-ice40", what, sizeof what);
        snprintf(job->diag, sizeof job->diag, "'nextpnr-ice40 --version' failed: %s (Debian "
                 "package nextpnr-ice40; run 'bash tools/setup.sh')", what);
        status = res.timed_out ? "timeout" : "error";
    } else {
        const char *line = strstr(text, "nextpnr");
        snprintf(job->version, sizeof job->version, "%.*s", (int)strcspn(line ? line : text, "\r\n"),
                 line ? line : text);
    }
    free(text);
    free(vlog);
    return status;
}

/* ---- one seed ---- */

/* Why a seed that exited non-zero did not route, from its log. */
static void pnr_classify_failure(const pnr_job *job, pnr_seed *s)
{
    char *log = NULL;
    size_t len;
    if (fsx_read(s->log, &log, &len) != 0) {
        s->cause = "nextpnr_error";
        snprintf(s->detail, sizeof s->detail, "seed %d: nextpnr exited %d and its log %s is "
                 "unreadable", s->seed, s->res.exit_code, s->log);
        return;
    }
    toolout_pnr_failure f;
    toolout_pnr_log(log, len, &f);
    free(log);
    s->cause = f.cause;
    if (strcmp(f.cause, "does_not_fit") == 0) {
        snprintf(s->resource, sizeof s->resource, "%s", f.resource);
        s->used = f.used;
        s->available = f.available;
        if (f.available > 0)
            snprintf(s->detail, sizeof s->detail, "does not fit %s: %s %ld/%ld (%.0f%%)", job->device,
                     f.resource, f.used, f.available, 100.0 * (double)f.used / (double)f.available);
        else
            snprintf(s->detail, sizeof s->detail, "does not fit %s: no %s left (%s)", job->device,
                     f.resource, f.error);
    } else if (strcmp(f.cause, "routing_failed") == 0) {
        snprintf(s->detail, sizeof s->detail, "seed %d: routing failed: %s", s->seed,
                 f.error[0] ? f.error : "(no ERROR line)");
    } else {
        snprintf(s->detail, sizeof s->detail, "seed %d: nextpnr exited %d: %s", s->seed,
                 s->res.exit_code, f.error[0] ? f.error : "(no ERROR line; see log)");
    }
}

static void pnr_judge_seed(const pnr_job *job, pnr_seed *s)
{
    const proc_result *r = &s->res;
    if (r->spawn_failed) {
        s->cause = "nextpnr_error";
        proc_describe(r, "nextpnr-ice40", s->detail, sizeof s->detail);
    } else if (r->timed_out) {
        s->cause = "timeout";
        snprintf(s->detail, sizeof s->detail, "seed %d: nextpnr-ice40 timed out after %.0f s "
                 "and was killed", s->seed, r->seconds);
    } else if (r->cancelled) {
        s->cause = "cancelled";
        snprintf(s->detail, sizeof s->detail, "seed %d: interrupted", s->seed);
    } else if (r->term_signal) {
        s->cause = "crash";
        char *tail = fsx_tail(s->log, 600);
        snprintf(s->detail, sizeof s->detail, "seed %d: nextpnr-ice40 crashed with signal %d "
                 "(%s); log tail:\n%s", s->seed, r->term_signal, strsignal(r->term_signal),
                 tail ? tail : "");
        free(tail);
    } else if (r->exit_code != 0) {
        pnr_classify_failure(job, s);
    } else {
        char *text = NULL, why[200];
        size_t len = 0;
        if (fsx_read(s->report, &text, &len) != 0)
            snprintf(why, sizeof why, "unreadable: %s", strerror(errno));
        else if (toolout_pnr_report(text, len, &s->fmax, &s->util, why, sizeof why) == 0)
            s->routed = true;
        free(text);
        if (!s->routed) {
            s->cause = "nextpnr_error";
            snprintf(s->detail, sizeof s->detail, "seed %d: nextpnr succeeded but its report %s "
                     "has no fmax/utilization (%s)", s->seed, s->report, why);
        }
    }
}

static void pnr_run_seed(const pnr_job *job, pnr_seed *s)
{
    char *dev = fsx_fmt("--%s", job->device);
    char *mhz = fsx_fmt("%g", job->mhz);
    char *seed = fsx_fmt("%d", s->seed);
    const char *argv[] = {"nextpnr-ice40", dev, "--package", job->package, "--json", job->netlist,
                          "--pcf", job->pcf, "--top", "fpga_top", "--freq", mhz, "--seed", seed,
                          "--timing-allow-fail", "--report", s->report, NULL};
    remove(s->report);
    remove(s->log);
    pnr_log(job, "seed %d: nextpnr-ice40 %s --package %s --json %s --pcf %s --top fpga_top "
            "--freq %s --seed %s --timing-allow-fail --report %s  (log %s, limit %.0f s)",
            s->seed, dev, job->package, job->netlist, job->pcf, mhz, seed, s->report, s->log,
            job->seed_timeout);
    proc_spec spec = {.argv = argv, .log_path = s->log, .timeout_s = job->seed_timeout,
                      .confine = job->ctx->confine, .group = job->ctx->group};
    proc_run(&spec, &s->res);
    pnr_judge_seed(job, s);
    if (s->routed)
        pnr_log(job, "seed %d: routed, Fmax %.2f MHz, %.1f s", s->seed, s->fmax, s->res.seconds);
    else
        pnr_log(job, "seed %d: not routed (%s): %s", s->seed, s->cause, s->detail);
    free(dev);
    free(mhz);
    free(seed);
}

static void *pnr_worker(void *arg)
{
    pnr_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->mu);
        int i = job->next < job->nseeds ? job->next++ : -1;
        pthread_mutex_unlock(&job->mu);
        if (i < 0)
            return NULL;
        pnr_seed *s = &job->seeds[i];
        if (proc_is_cancelled()) {
            s->cause = "cancelled";
            snprintf(s->detail, sizeof s->detail, "seed %d: interrupted before it started", s->seed);
            continue;
        }
        pnr_run_seed(job, s);
    }
}

/* How many seeds run at once. Given two cores or more, every seed starts
 * at once: two at a time on two cores leaves a core idle for the third
 * seed's whole run. Measured in the same hour (make bench-slot, baseline +
 * DIV_IMPL=2, 2 cores): two then one 167-172 s wall for 257-262 s of CPU;
 * all three at once 127-141 s for 242-277 s. One core (CORES=1, a test):
 * one after another. */
static int pnr_workers(const gate_ctx *ctx, int nseeds)
{
    return ctx->jobs >= 2 ? nseeds : 1;
}

/* Runs every seed, pnr_workers at once. */
static void pnr_run_seeds(pnr_job *job)
{
    int workers = pnr_workers(job->ctx, job->nseeds);
    pthread_t tid[PNR_MAX_SEEDS];
    int started = 0;
    for (int i = 1; i < workers; i++)
        if (pthread_create(&tid[started], NULL, pnr_worker, job) == 0)
            started++;
    pnr_worker(job); /* this thread is a worker too */
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

/* ---- verdict ---- */

static int pnr_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static json_t *pnr_seed_json(const pnr_seed *s)
{
    json_t *o = json_pack("{sisbsfss}", "seed", s->seed, "routed", s->routed, "seconds",
                          s->res.seconds, "log", s->log);
    if (s->routed) {
        json_object_set_new(o, "fmax_mhz", json_real(s->fmax));
        json_object_set_new(o, "report", json_string(s->report));
    } else {
        json_object_set_new(o, "fmax_mhz", json_null());
        json_object_set_new(o, "cause", json_string(s->cause ? s->cause : "unknown"));
    }
    return o;
}

/* Fills the figures of a run with enough routed seeds. */
static void pnr_pass(pnr_job *job, json_t *r, const double *fmax, int n, const pnr_seed *first)
{
    double median = gate_fmax_of_seeds(fmax, n);
    double spread = median > 0 ? 100.0 * (fmax[n - 1] - fmax[0]) / median : 0;
    json_object_set_new(r, "fmax_mhz_median", json_real(median));
    json_object_set_new(r, "fmax_mhz_min", json_real(fmax[0]));
    json_object_set_new(r, "fmax_mhz_max", json_real(fmax[n - 1]));
    json_object_set_new(r, "seed_spread_pct", json_real(spread));
    /* Packing is deterministic, so every routed seed reports the same usage. */
    json_t *util = json_deep_copy(first->util);
    const json_t *lc = json_object_get(util, "ICESTORM_LC");
    json_int_t used = json_integer_value(json_object_get(lc, "used"));
    json_int_t avail = json_integer_value(json_object_get(lc, "available"));
    json_object_set_new(r, "lc_used", json_integer(used));
    json_object_set_new(r, "lc_available", json_integer(avail));
    json_object_set_new(r, "utilisation", util);
    int off = snprintf(job->diag, sizeof job->diag, "Fmax %.2f MHz (median of", median);
    for (int i = 0; i < n && off > 0 && (size_t)off < sizeof job->diag; i++)
        off += snprintf(job->diag + off, sizeof job->diag - (size_t)off, " %.2f", fmax[i]);
    if (off > 0 && (size_t)off < sizeof job->diag)
        snprintf(job->diag + off, sizeof job->diag - (size_t)off, "; spread %.1f%%), "
                 "%lld/%lld LCs on %s", spread, (long long)used, (long long)avail, job->device);
}

/* The status of a run with too few routed seeds: the most telling cause. */
static const char *pnr_failure(pnr_job *job, json_t *r)
{
    static const struct {
        const char *cause, *status;
    } order[] = {{"does_not_fit", "fail"}, {"routing_failed", "fail"}, {"timeout", "timeout"},
                 {"crash", "error"}, {"nextpnr_error", "error"}, {"cancelled", "error"}};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        for (int i = 0; i < job->nseeds; i++) {
            const pnr_seed *s = &job->seeds[i];
            if (s->routed || !s->cause || strcmp(s->cause, order[k].cause) != 0)
                continue;
            json_object_set_new(r, "reason", json_string("placement_failed"));
            json_object_set_new(r, "cause", json_string(s->cause));
            if (strcmp(s->cause, "does_not_fit") == 0) {
                json_object_set_new(r, "resource", json_string(s->resource));
                if (s->available > 0) {
                    json_object_set_new(r, "used", json_integer(s->used));
                    json_object_set_new(r, "available", json_integer(s->available));
                }
            }
            snprintf(job->diag, sizeof job->diag, "placement_failed: %s (log %s)", s->detail,
                     s->log);
            return order[k].status;
        }
    }
    snprintf(job->diag, sizeof job->diag, "placement_failed: fewer than %d seeds routed and no "
             "cause found; see %s", PNR_MIN_ROUTED, job->log);
    json_object_set_new(r, "reason", json_string("placement_failed"));
    return "error";
}

/* The critical path of the seed whose Fmax is the median (the lower
 * middle one for an even count): the path the fitness was measured on. */
static void pnr_critical_path(const pnr_job *job, json_t *r, double median)
{
    for (int i = 0; i < job->nseeds; i++) {
        const pnr_seed *s = &job->seeds[i];
        if (!s->routed || s->fmax != median)
            continue;
        json_t *rep = json_load_file(s->report, 0, NULL);
        size_t len = 0;
        char *log = NULL;
        if (fsx_read(s->log, &log, &len) != 0)
            log = NULL, len = 0;
        json_t *cp = critpath_extract(rep, log, len, PNR_CORE_PREFIX);
        if (cp) {
            json_object_set_new(cp, "seed", json_integer(s->seed));
            json_object_set_new(r, "critical_path", cp);
        }
        free(log);
        json_decref(rep);
        return;
    }
}

static const char *pnr_verdict(pnr_job *job, json_t *r)
{
    json_t *seeds = json_array();
    double fmax[PNR_MAX_SEEDS];
    int n = 0;
    const pnr_seed *first = NULL;
    for (int i = 0; i < job->nseeds; i++) {
        const pnr_seed *s = &job->seeds[i];
        json_array_append_new(seeds, pnr_seed_json(s));
        if (s->routed) {
            fmax[n++] = s->fmax;
            first = first ? first : s;
        }
    }
    json_object_set_new(r, "seeds", seeds);
    json_object_set_new(r, "seeds_routed", json_integer(n));
    int need = job->nseeds < PNR_MIN_ROUTED ? job->nseeds : PNR_MIN_ROUTED;
    if (n < need || !first)
        return pnr_failure(job, r);
    qsort(fmax, (size_t)n, sizeof fmax[0], pnr_cmp_double);
    pnr_pass(job, r, fmax, n, first);
    pnr_critical_path(job, r, fmax[(n - 1) / 2]);
    return "pass";
}

/* ---- cache ---- */

/* key = git blob id of a header naming every input, then the netlist. */
static const char *pnr_cache_key(pnr_job *job)
{
    char *net = NULL, *pcf = NULL;
    size_t net_len, pcf_len;
    if (fsx_read(job->netlist, &net, &net_len) != 0 || fsx_read(job->pcf, &pcf, &pcf_len) != 0) {
        snprintf(job->diag, sizeof job->diag, "cannot read %s or %s: %s", job->netlist, job->pcf,
                 strerror(errno));
        free(net);
        free(pcf);
        return "error";
    }
    char seeds[64] = "";
    for (int i = 0; i < job->nseeds; i++)
        snprintf(seeds + strlen(seeds), sizeof seeds - strlen(seeds), " %d", job->seeds[i].seed);
    char *head = fsx_fmt("fitness-bench pnr v1\ndevice %s\npackage %s\nclock_mhz %g\nseeds%s\n"
                         "tool %s\nflags --top fpga_top --timing-allow-fail\npcf %zu\n%s\n"
                         "netlist %zu\n", job->device, job->package, job->mhz, seeds,
                         job->version, pcf_len, pcf, net_len);
    size_t head_len = strlen(head);
    char *buf = malloc(head_len + net_len);
    const char *status = NULL;
    if (!buf) {
        snprintf(job->diag, sizeof job->diag, "out of memory hashing %s", job->netlist);
        status = "error";
    } else {
        memcpy(buf, head, head_len);
        memcpy(buf + head_len, net, net_len);
        if (blobid_hash(buf, head_len + net_len, job->key) != 0) {
            snprintf(job->diag, sizeof job->diag, "cannot hash %s (libgit2)", job->netlist);
            status = "error";
        }
    }
    free(buf);
    free(head);
    free(net);
    free(pcf);
    return status;
}

/* Takes the per-key lock, waiting while another gate places the same netlist.
 * Returns the descriptor, or -1 (no cache then: placing twice beats failing). */
static int pnr_cache_lock(pnr_job *job, double limit)
{
    char *path = fsx_fmt("%s/%s.lock", job->cache_dir, job->key);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(path);
    if (fd < 0)
        return -1;
    double until = proc_now() + limit;
    bool waited = false;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK || proc_now() > until || proc_is_cancelled()) {
            close(fd);
            return -1;
        }
        if (!waited)
            pnr_log(job, "cache %s: another gate is placing this netlist; waiting", job->key);
        waited = true;
        usleep(200000);
    }
    return fd;
}

static json_t *pnr_cache_get(const pnr_job *job)
{
    char *path = fsx_fmt("%s/%s.json", job->cache_dir, job->key);
    json_t *hit = json_load_file(path, 0, NULL);
    free(path);
    const char *key = json_string_value(json_object_get(hit, "cache_key"));
    if (hit && (!json_is_string(json_object_get(hit, "status")) || !key ||
                strcmp(key, job->key) != 0)) {
        json_decref(hit);
        hit = NULL;
    }
    return hit;
}

static void pnr_cache_put(const pnr_job *job, const json_t *r)
{
    char *path = fsx_fmt("%s/%s.json", job->cache_dir, job->key);
    char *text = json_dumps(r, JSON_INDENT(1) | JSON_SORT_KEYS);
    if (!text || fsx_write_atomic(path, text, strlen(text)) != 0)
        pnr_log(job, "cache: cannot write %s: %s", path, strerror(errno));
    free(text);
    free(path);
}

/* ---- the gate ---- */

static void pnr_job_init(pnr_job *job, const gate_ctx *ctx)
{
    memset(job, 0, sizeof *job);
    job->ctx = ctx;
    pthread_mutex_init(&job->mu, NULL);
    job->dir = gate_path(ctx, "pnr");
    job->log = gate_path(ctx, "pnr.log");
    job->cache_dir = ctx->build ? fsx_fmt("%s/pnr-cache", ctx->build) : NULL;
    job->nseeds = ctx->quick ? 2 : PNR_MAX_SEEDS;
    int workers = pnr_workers(ctx, job->nseeds);
    int rounds = (job->nseeds + workers - 1) / workers;
    job->seed_timeout = ctx->timeout_s > 0 ? ctx->timeout_s / rounds : PNR_SEED_TIMEOUT_S;
    for (int i = 0; i < job->nseeds; i++) {
        pnr_seed *s = &job->seeds[i];
        s->seed = (ctx->seed_first > 0 ? ctx->seed_first : 1) + i;
        s->log = fsx_fmt("%s/seed%d.log", job->dir, s->seed);
        s->report = fsx_fmt("%s/seed%d.report.json", job->dir, s->seed);
    }
}

static void pnr_job_free(pnr_job *job)
{
    for (int i = 0; i < job->nseeds; i++) {
        free(job->seeds[i].log);
        free(job->seeds[i].report);
        json_decref(job->seeds[i].util);
    }
    pthread_mutex_destroy(&job->mu);
    free(job->netlist);
    free(job->pcf);
    free(job->dir);
    free(job->log);
    free(job->cache_dir);
}

static void pnr_describe_run(const pnr_job *job, json_t *r)
{
    json_object_set_new(r, "device", json_string(job->device));
    json_object_set_new(r, "package", json_string(job->package));
    json_object_set_new(r, "clock_mhz", json_real(job->mhz));
    json_object_set_new(r, "netlist", json_string(job->netlist));
    json_object_set_new(r, "nextpnr_version", json_string(job->version));
    json_object_set_new(r, "cache_key", json_string(job->key));
    json_object_set_new(r, "cached", json_false());
}

/* Places and routes (or takes the cached verdict); returns the status. */
static const char *pnr_place(pnr_job *job, json_t **rp, double started)
{
    int lock = -1;
    if (job->cache_dir && fsx_mkdirs(job->cache_dir, 0755) == 0) {
        double limit = job->ctx->timeout_s > 0 ? job->ctx->timeout_s
                                                : PNR_SEED_TIMEOUT_S * job->nseeds;
        lock = pnr_cache_lock(job, limit);
        json_t *hit = lock >= 0 ? pnr_cache_get(job) : NULL;
        if (hit) {
            /* A literal, not the stored string: finishing replaces (frees) that. */
            const char *status = strcmp(json_string_value(json_object_get(hit, "status")),
                                        "pass") == 0 ? "pass" : "fail";
            pnr_log(job, "cache hit %s/%s.json: nextpnr not run (first placed by %s)",
                    job->cache_dir, job->key, json_string_value(json_object_get(hit, "log")));
            snprintf(job->diag, sizeof job->diag, "%s (cached)",
                     json_string_value(json_object_get(hit, "diagnostic")));
            json_object_set(hit, "placed_by", json_object_get(hit, "log"));
            json_object_set_new(hit, "cached", json_true());
            json_decref(*rp);
            *rp = hit;
            close(lock);
            (void)started;
            return status;
        }
    }
    pnr_run_seeds(job);
    const char *status = pnr_verdict(job, *rp);
    if (lock >= 0) {
        if (strcmp(status, "pass") == 0 || strcmp(status, "fail") == 0) {
            json_t *copy = json_deep_copy(*rp);
            gate_result_finish(copy, status, job->diag, job->log, started);
            pnr_cache_put(job, copy);
            json_decref(copy);
        }
        close(lock);
    }
    return status;
}

json_t *gate_pnr(const gate_ctx *ctx)
{
    double started = proc_now();
    json_t *r = gate_result_new("pnr");
    pnr_job job;
    pnr_job_init(&job, ctx);
    const char *status = NULL;
    if (fsx_mkdirs(job.dir, 0755) != 0) {
        snprintf(job.diag, sizeof job.diag, "cannot create %s: %s", job.dir, strerror(errno));
        status = "error";
    }
    remove(job.log);
    if (!status)
        status = pnr_inputs(&job);
    if (!status)
        status = pnr_version(&job);
    if (!status)
        status = pnr_cache_key(&job);
    if (!status) {
        pnr_describe_run(&job, r);
        status = pnr_place(&job, &r, started);
    }
    gate_result_finish(r, status, job.diag, job.log, started);
    pnr_job_free(&job);
    return r;
}
