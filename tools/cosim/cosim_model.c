/* cosim_model.c — see cosim_model.h. */
#include "cosim/cosim_model.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/blobid.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strbuf.h"
#include "lib/strv.h"

/* Flags that change the model or the harness binary are part of the cache keys. */
static const char *const model_flags[] = {
    "--cc", "--build", "-O3", "--x-assign", "fast", "--x-initial", "fast", "-Wno-fatal",
    "-Wno-lint", "-Wno-style", "--top-module", "core",
    "-MAKEFLAGS", "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2", NULL};
/* A coverage build adds its flags to these (cov_model_flags, cov_cxx_flag). */
static const char *const cxx_flags[] = {
    "-std=c++17", "-O2", "-faligned-new", "-DVM_SC=0", "-DVM_TRACE=0",
    "-DVM_TRACE_FST=0", "-DVM_TRACE_VCD=0", NULL};
static const char *const cov_model_flags[3][3] = {
    {NULL}, {"--coverage-line", NULL}, {"--coverage-line", "--coverage-toggle", NULL}};
static const char *const cov_cxx_flag[3] = {"-DVM_COVERAGE=0", "-DVM_COVERAGE=1", "-DVM_COVERAGE=1"};
/* Harness sources under <harness>/, all hashed into the binary's key: the
 * C++ lockstep harness (test/cosim) and the C headers it shares with the
 * gates (tools/cosim, tools/iss), which it includes through -I <harness>/tools. */
static const char *const harness_srcs[] = {
    "test/cosim/lockstep.cpp", "test/cosim/cosim_main.cpp", "test/cosim/lockstep.h",
    "test/cosim/json_out.h",   "tools/cosim/stall.h",       "tools/cosim/uartcheck.h",
    "tools/cosim/verdict.h",   "tools/cosim/failmsg.h",     "tools/iss/iss.h", NULL};
static const char *const harness_cpps[] = {"test/cosim/lockstep.cpp", "test/cosim/cosim_main.cpp", NULL};
static const char *const runtime_cpps[] = {"verilated.cpp", "verilated_threads.cpp", "verilated_cov.cpp", NULL};
/* verilated_cov.cpp only in a coverage build */
static size_t runtime_count(const cosim_model_req *r) { return r->coverage ? 3 : 2; }

typedef struct {
    const cosim_model_req *req;
    char *cache;
    char *vroot;    /* Verilator's root (include/ below it) */
    char *vversion; /* `verilator --version` */
    double deadline;
    char *err;
    size_t errlen;
    bool infra;       /* a launcher could not run a step: nobody judged the RTL */
    bool interrupted; /* a step was cancelled or timed out: likewise */
} model_ctx;

static void model_err(model_ctx *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void model_err(model_ctx *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, m->errlen, fmt, ap);
    va_end(ap);
}

/* ---- hashing: the key's bytes in a strbuf (binary-safe), then their blob id (lib/blobid.h) ---- */

typedef strbuf hbuf;

static void hb_add(hbuf *h, const void *data, size_t n) { strbuf_addn(h, data, n); }
static void hb_str(hbuf *h, const char *s) { hb_add(h, s, strlen(s) + 1); }

static void hb_strs(hbuf *h, const char *const *v)
{
    for (; *v; v++)
        hb_str(h, *v);
}

/* name, length, contents: unambiguous concatenation. */
static int hb_file(hbuf *h, const char *path, const char *name)
{
    char *data;
    size_t len;
    if (fsx_read(path, &data, &len) != 0)
        return -1;
    char hdr[64];
    snprintf(hdr, sizeof hdr, "%zu", len);
    hb_str(h, name);
    hb_str(h, hdr);
    hb_add(h, data, len);
    free(data);
    return 0;
}

int cosim_key(const void *data, size_t len, char out[21])
{
    char hex[BLOBID_HEX + 1];
    if (blobid_hash(data, len, hex) != 0)
        return -1;
    memcpy(out, hex, 20);
    out[20] = '\0';
    return 0;
}

/* First 20 hex digits of SHA-1 (80 bits) into out[21]. */
static int hb_key(const hbuf *h, char out[21])
{
    return h->broken ? -1 : cosim_key(h->s, h->len, out);
}

int cosim_cov_from_env(cosim_cov_kind dflt)
{
    const char *e = getenv("COSIM_COVERAGE");
    if (!e || !*e)
        return (int)dflt;
    for (int k = COSIM_COV_NONE; k <= COSIM_COV_TOGGLE; k++)
        if (strcmp(e, cosim_cov_name((cosim_cov_kind)k)) == 0)
            return k;
    return -1;
}

const char *cosim_cov_name(cosim_cov_kind k)
{
    return k == COSIM_COV_TOGGLE ? "toggle" : k == COSIM_COV_LINE ? "line" : "off";
}

char *cosim_cache_dir(const char *build)
{
    const char *env = getenv("COSIM_MODEL_CACHE");
    return env && *env ? fsx_fmt("%s", env) : fsx_fmt("%s/models", build);
}

/* ---- running tools ---- */

static double model_left(const model_ctx *m)
{
    double left = m->deadline - proc_now();
    return left > 1 ? left : 1;
}

/* Runs argv with output appended to the log (or captured into *out when
 * out != NULL). Under req->launcher a build step (out NULL) is a job of its
 * own, labelled <req->label>-<step>; a probe stays here (it
 * asks this host's Verilator what it is, and the nodes must have the same:
 * README, "Scaling out"). */
static int model_run(model_ctx *m, const char *step, const char *const *argv, const char *cwd, char **out)
{
    char *cap = out ? fsx_fmt("%s/.probe.%ld.%ld.txt", m->cache, (long)getpid(), (long)gettid()) : NULL;
    if (cap)
        unlink(cap);
    confine_policy pol;
    const confine_policy *conf = NULL;
    if (m->req->confine) {
        pol = *m->req->confine;
        fsx_mkdirs(m->cache, 0755); /* a bind mount needs it; a failure shows in the tool's error */
        conf = confine_add(&pol, CONFINE_RW, m->cache) == 0 ? &pol : m->req->confine;
    }
    proc_spec spec = {.argv = argv, .cwd = cwd, .log_path = cap ? cap : m->req->log_path,
                      .timeout_s = model_left(m), .confine = conf, .group = m->req->group};
    proc_result res;
    char label[64], why[700];
    snprintf(label, sizeof label, "%s-%s", m->req->label ? m->req->label : "model", step);
    int rc = 0;
    if (proc_launch(out ? NULL : m->req->launcher, label, &spec, &res, why, sizeof why) != 0) {
        m->infra = true;
        model_err(m, "%s", why);
        rc = -1;
    } else if (!proc_ok(&res)) {
        m->interrupted = m->interrupted || res.cancelled || res.timed_out;
        proc_describe(&res, argv[0], why, sizeof why);
        model_err(m, "%s", why);
        rc = -1;
    }
    if (cap) {
        size_t len;
        if (fsx_read(cap, out, &len) != 0)
            *out = NULL;
        unlink(cap);
        free(cap);
        if (rc == 0 && !*out)
            rc = -1;
    }
    return rc;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static int model_probe_verilator(model_ctx *m)
{
    const char *ver[] = {"verilator", "--version", NULL};
    const char *root[] = {"verilator", "--getenv", "VERILATOR_ROOT", NULL};
    if (model_run(m, "version", ver, NULL, &m->vversion) != 0 || model_run(m, "root", root, NULL, &m->vroot) != 0) {
        size_t n = strlen(m->err);
        snprintf(m->err + n, m->errlen - n, " (probing Verilator; install it with 'bash tools/setup.sh')");
        return -1;
    }
    chomp(m->vversion);
    chomp(m->vroot);
    return 0;
}

/* ---- RTL list ---- */

static int rtl_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    bool px = lx >= 7 && strcmp(x + lx - 7, "_pkg.sv") == 0;
    bool py = ly >= 7 && strcmp(y + ly - 7, "_pkg.sv") == 0;
    if (px != py)
        return px ? -1 : 1;
    return strcmp(x, y);
}

int cosim_rtl_list(const char *rtl_dir, char ***files)
{
    *files = NULL;
    DIR *d = opendir(rtl_dir);
    if (!d)
        return -1;
    strv v = {0};
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".sv") != 0 || e->d_name[0] == '.')
            continue;
        rc = strv_push(&v, fsx_fmt("%s/%s", rtl_dir, e->d_name));
    }
    closedir(d);
    if (rc == 0 && !v.v) /* no file: still an array, holding only its NULL */
        rc = (v.v = calloc(1, sizeof *v.v)) ? 0 : -1;
    if (rc != 0) {
        strv_free(&v);
        errno = ENOMEM;
        return -1;
    }
    qsort(v.v, v.n, sizeof *v.v, rtl_cmp);
    *files = v.v;
    return (int)v.n;
}

void cosim_rtl_free(char **files)
{
    for (char **p = files; p && *p; p++)
        free(*p);
    free(files);
}

/* ---- the Verilator model ---- */

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* A private directory name: pid, thread (gates run in threads of one process)
 * and monotonic nanoseconds. */
static char *model_tmpdir(const model_ctx *m, const char *what)
{
    return fsx_fmt("%s/.tmp-%s-%ld-%ld-%.0f", m->cache, what, (long)getpid(), (long)gettid(), proc_now() * 1e9);
}

/* Copies the RTL into dir/rtl and hashes exactly those bytes. */
static int model_copy_rtl(model_ctx *m, char **files, const char *dir, hbuf *h, char ***copies)
{
    int n = 0;
    while (files[n])
        n++;
    char **c = calloc((size_t)n + 1, sizeof *c);
    char *rtl = fsx_fmt("%s/rtl", dir);
    if (!c || fsx_mkdirs(rtl, 0755) != 0) {
        model_err(m, "cannot create %s: %s", rtl, strerror(errno));
        free(rtl);
        free(c);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *base = strrchr(files[i], '/') + 1;
        char *data;
        size_t len;
        if (fsx_read(files[i], &data, &len) != 0) {
            model_err(m, "cannot read %s: %s", files[i], strerror(errno));
            cosim_rtl_free(c);
            free(rtl);
            return -1;
        }
        char lenstr[32];
        snprintf(lenstr, sizeof lenstr, "%zu", len);
        hb_str(h, base);
        hb_str(h, lenstr);
        hb_add(h, data, len);
        c[i] = fsx_fmt("%s/%s", rtl, base);
        int rc = fsx_write_atomic(c[i], data, len);
        free(data);
        if (rc != 0) {
            model_err(m, "cannot write %s: %s", c[i], strerror(errno));
            cosim_rtl_free(c);
            free(rtl);
            return -1;
        }
    }
    free(rtl);
    *copies = c;
    return 0;
}

/* Verilates into a private dir, then renames it to <cache>/<key>. */
static int model_verilate(model_ctx *m, char **files, cosim_model *out, char **model_dir)
{
    char *tmp = model_tmpdir(m, "model");
    hbuf h = {0};
    char **copies = NULL;
    int rc = COSIM_MODEL_ERROR;
    hb_str(&h, m->vversion);
    hb_strs(&h, model_flags);
    hb_strs(&h, cov_model_flags[m->req->coverage]);
    if (model_copy_rtl(m, files, tmp, &h, &copies) != 0)
        goto out;
    char key[21];
    if (hb_key(&h, key) != 0) {
        model_err(m, "cannot hash the RTL (out of memory?)");
        goto out;
    }
    out->model_key = fsx_fmt("%s", key);
    *model_dir = fsx_fmt("%s/%s", m->cache, key);
    char *done = fsx_fmt("%s/obj/Vcore__ALL.a", *model_dir);
    bool cached = file_exists(done);
    free(done);
    if (cached) {
        out->model_cached = true;
        rc = COSIM_MODEL_OK;
        goto out;
    }
    /* verilator <flags> -j N -Mdir obj -Irtl <files> */
    size_t nflags = sizeof model_flags / sizeof model_flags[0] - 1, nfiles = 0;
    while (copies[nfiles])
        nfiles++;
    const char **argv = calloc(nflags + nfiles + 10, sizeof *argv);
    char jobs[16];
    snprintf(jobs, sizeof jobs, "%d", m->req->jobs > 0 ? m->req->jobs : 1);
    size_t k = 0;
    argv[k++] = "verilator";
    for (size_t i = 0; i < nflags; i++)
        argv[k++] = model_flags[i];
    for (size_t i = 0; cov_model_flags[m->req->coverage][i]; i++)
        argv[k++] = cov_model_flags[m->req->coverage][i];
    argv[k++] = "-j";
    argv[k++] = jobs;
    argv[k++] = "-Mdir";
    argv[k++] = "obj";
    argv[k++] = "-Irtl";
    for (size_t i = 0; i < nfiles; i++)
        argv[k++] = copies[i] + strlen(tmp) + 1; /* relative: rtl/<name>.sv */
    double t0 = proc_now();
    char *msg = fsx_fmt("== cosim: verilating %zu RTL files into %s\n", nfiles, *model_dir);
    fsx_append(m->req->log_path, msg, strlen(msg));
    free(msg);
    int vrc = model_run(m, "verilate", argv, tmp, NULL);
    free(argv);
    out->verilate_seconds = proc_now() - t0;
    if (vrc != 0) {
        size_t n = strlen(m->err);
        snprintf(m->err + n, m->errlen - n, ": Verilator could not build the core's model (see the log)");
        /* only Verilator's own refusal is the design's fault */
        bool judged = !m->infra && !m->interrupted && !proc_is_cancelled() && proc_now() <= m->deadline;
        rc = judged ? COSIM_MODEL_DESIGN : COSIM_MODEL_ERROR;
        goto out;
    }
    if (rename(tmp, *model_dir) != 0 && !file_exists(*model_dir)) {
        model_err(m, "cannot move %s to %s: %s", tmp, *model_dir, strerror(errno));
        goto out;
    }
    rc = COSIM_MODEL_OK;
out:
    fsx_remove_tree(tmp); /* gone after a successful rename; else a loser's copy */
    free(tmp);
    strbuf_free(&h);
    cosim_rtl_free(copies);
    return rc;
}

/* Verilator's runtime, compiled once per Verilator version. */
static int model_runtime(model_ctx *m, char **rt_dir)
{
    hbuf h = {0};
    size_t nrt = runtime_count(m->req);
    hb_str(&h, m->vversion);
    hb_strs(&h, cxx_flags);
    hb_str(&h, cov_cxx_flag[m->req->coverage]);
    char key[21];
    if (hb_key(&h, key) != 0) {
        strbuf_free(&h);
        model_err(m, "cannot hash (out of memory?)");
        return -1;
    }
    strbuf_free(&h);
    *rt_dir = fsx_fmt("%s/runtime-%s", m->cache, key);
    char *last = fsx_fmt("%s/%.*s.o", *rt_dir, (int)(strlen(runtime_cpps[nrt - 1]) - 4), runtime_cpps[nrt - 1]);
    bool have = file_exists(last);
    free(last);
    if (have)
        return 0;
    char *tmp = model_tmpdir(m, "runtime");
    char *inc = fsx_fmt("%s/include", m->vroot), *std = fsx_fmt("%s/include/vltstd", m->vroot);
    int rc = fsx_mkdirs(tmp, 0755);
    for (size_t i = 0; rc == 0 && i < nrt; i++) {
        char *src = fsx_fmt("%s/%s", inc, runtime_cpps[i]);
        char *obj = fsx_fmt("%s/%.*s.o", tmp, (int)(strlen(runtime_cpps[i]) - 4), runtime_cpps[i]);
        const char *argv[24];
        size_t k = 0;
        argv[k++] = "c++";
        for (size_t j = 0; cxx_flags[j]; j++)
            argv[k++] = cxx_flags[j];
        argv[k++] = cov_cxx_flag[m->req->coverage];
        argv[k++] = "-isystem";
        argv[k++] = inc;
        argv[k++] = "-isystem";
        argv[k++] = std;
        argv[k++] = "-c";
        argv[k++] = src;
        argv[k++] = "-o";
        argv[k++] = obj;
        argv[k] = NULL;
        char step[32];
        snprintf(step, sizeof step, "runtime%zu", i);
        rc = model_run(m, step, argv, NULL, NULL);
        free(src);
        free(obj);
    }
    if (rc == 0 && rename(tmp, *rt_dir) != 0 && !file_exists(*rt_dir)) {
        model_err(m, "cannot move %s to %s: %s", tmp, *rt_dir, strerror(errno));
        rc = -1;
    } else if (rc != 0) {
        size_t n = strlen(m->err);
        snprintf(m->err + n, m->errlen - n, " compiling Verilator's runtime (see the log)");
    }
    fsx_remove_tree(tmp);
    free(tmp);
    free(inc);
    free(std);
    return rc;
}

/* Compiles the harness against the model and links it (the fast level). */
static int model_link(model_ctx *m, const char *model_dir, const char *rt_dir, cosim_model *out)
{
    const cosim_model_req *r = m->req;
    char *libiss = fsx_fmt("%s/lib/libiss.a", r->build), *libcosim = fsx_fmt("%s/lib/libcosim.a", r->build);
    hbuf h = {0};
    int rc = -1;
    hb_str(&h, out->model_key);
    hb_str(&h, m->vversion);
    hb_strs(&h, cxx_flags);
    hb_str(&h, cov_cxx_flag[r->coverage]);
    for (int i = 0; harness_srcs[i]; i++) {
        char *p = fsx_fmt("%s/%s", r->harness, harness_srcs[i]);
        int frc = hb_file(&h, p, harness_srcs[i]);
        if (frc != 0)
            model_err(m, "cannot read the harness source %s: %s", p, strerror(errno));
        free(p);
        if (frc != 0)
            goto out;
    }
    if (hb_file(&h, libiss, "libiss.a") != 0 || hb_file(&h, libcosim, "libcosim.a") != 0) {
        model_err(m, "missing %s or %s: build them first with 'make'", libiss, libcosim);
        goto out;
    }
    char key[21];
    if (hb_key(&h, key) != 0) {
        model_err(m, "cannot hash (out of memory?)");
        goto out;
    }
    out->binary = fsx_fmt("%s/cosim-%s", model_dir, key);
    if (file_exists(out->binary)) {
        out->binary_cached = true;
        rc = 0;
        goto out;
    }
    double t0 = proc_now();
    char *tmp = model_tmpdir(m, "link");
    char *inc = fsx_fmt("%s/include", m->vroot), *std = fsx_fmt("%s/include/vltstd", m->vroot);
    char *obj = fsx_fmt("%s/obj", model_dir), *tools = fsx_fmt("%s/tools", r->harness);
    char *exe = fsx_fmt("%s/cosim", tmp);
    char *objs[4] = {0};
    rc = fsx_mkdirs(tmp, 0755);
    if (rc != 0)
        model_err(m, "cannot create %s: %s", tmp, strerror(errno));
    for (int i = 0; rc == 0 && harness_cpps[i]; i++) {
        char *src = fsx_fmt("%s/%s", r->harness, harness_cpps[i]);
        objs[i] = fsx_fmt("%s/h%d.o", tmp, i);
        const char *argv[32];
        size_t k = 0;
        argv[k++] = "c++";
        for (size_t j = 0; cxx_flags[j]; j++)
            argv[k++] = cxx_flags[j];
        argv[k++] = cov_cxx_flag[r->coverage];
        const char *more[] = {"-isystem", inc, "-isystem", std, "-isystem", obj, "-I", tools, "-c", src,
                              "-o", objs[i]};
        for (size_t j = 0; j < sizeof more / sizeof more[0]; j++)
            argv[k++] = more[j];
        argv[k] = NULL;
        char step[32];
        snprintf(step, sizeof step, "harness%d", i);
        rc = model_run(m, step, argv, NULL, NULL);
        free(src);
    }
    if (rc == 0) {
        char *vall = fsx_fmt("%s/Vcore__ALL.a", obj);
        char *rt1 = fsx_fmt("%s/verilated.o", rt_dir), *rt2 = fsx_fmt("%s/verilated_threads.o", rt_dir);
        char *rt3 = fsx_fmt("%s/verilated_cov.o", rt_dir);
        const char *argv[] = {"c++", "-o", exe, objs[0], objs[1], vall, rt1, rt2, libcosim, libiss,
                              "-lelf", "-lpthread", NULL, NULL};
        if (r->coverage) { /* the runtime's coverage writer, before the libraries */
            memmove(&argv[9], &argv[8], 5 * sizeof *argv);
            argv[8] = rt3;
        }
        rc = model_run(m, "link", argv, NULL, NULL);
        free(vall);
        free(rt1);
        free(rt2);
        free(rt3);
    }
    if (rc == 0 && rename(exe, out->binary) != 0) {
        model_err(m, "cannot move %s to %s: %s", exe, out->binary, strerror(errno));
        rc = -1;
    } else if (rc != 0) {
        size_t n = strlen(m->err);
        snprintf(m->err + n, m->errlen - n, " building the cosim harness (a harness or toolchain problem; see the log)");
    }
    out->link_seconds = proc_now() - t0;
    fsx_remove_tree(tmp);
    for (int i = 0; i < 4; i++)
        free(objs[i]);
    free(tmp);
    free(inc);
    free(std);
    free(obj);
    free(tools);
    free(exe);
out:
    strbuf_free(&h);
    free(libiss);
    free(libcosim);
    return rc;
}

int cosim_model_get(const cosim_model_req *req, cosim_model *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    model_ctx m = {.req = req, .err = err, .errlen = errlen,
                   .deadline = proc_now() + (req->timeout_s > 0 ? req->timeout_s : 600)};
    err[0] = '\0';
    m.cache = req->cache_dir ? fsx_fmt("%s", req->cache_dir) : cosim_cache_dir(req->build);
    char **files = NULL, *model_dir = NULL, *rt_dir = NULL;
    int rc = COSIM_MODEL_ERROR;
    if (fsx_mkdirs(m.cache, 0755) != 0) {
        model_err(&m, "cannot create the model cache %s: %s", m.cache, strerror(errno));
        goto out;
    }
    int n = cosim_rtl_list(req->rtl_dir, &files);
    if (n <= 0) {
        model_err(&m, "no RTL: %s has no *.sv files%s", req->rtl_dir, n < 0 ? " (cannot read it)" : "");
        rc = n < 0 ? COSIM_MODEL_ERROR : COSIM_MODEL_DESIGN;
        goto out;
    }
    if (model_probe_verilator(&m) != 0)
        goto out;
    rc = model_verilate(&m, files, out, &model_dir);
    if (rc != COSIM_MODEL_OK)
        goto out;
    rc = COSIM_MODEL_ERROR;
    if (model_runtime(&m, &rt_dir) != 0 || model_link(&m, model_dir, rt_dir, out) != 0)
        goto out;
    rc = COSIM_MODEL_OK;
out:
    out->infrastructure = rc != COSIM_MODEL_OK && m.infra;
    cosim_rtl_free(files);
    free(model_dir);
    free(rt_dir);
    free(m.cache);
    free(m.vroot);
    free(m.vversion);
    if (rc != COSIM_MODEL_OK) {
        free(out->binary);
        out->binary = NULL;
    }
    return rc;
}

void cosim_model_free(cosim_model *m)
{
    free(m->binary);
    free(m->model_key);
    memset(m, 0, sizeof *m);
}
