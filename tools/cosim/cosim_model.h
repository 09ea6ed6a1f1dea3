/* cosim_model — builds (or reuses) the cosim harness binary for a core's RTL.
 *
 * Contract:
 *  - Two cache levels under req->cache_dir (default <build>/models):
 *      <cache>/<model key>/obj/          Verilator's C++ model of top `core`
 *                                        (key: Verilator version + flags + every
 *                                        RTL .sv file's name and contents)
 *      <cache>/<model key>/cosim-<h>     the harness linked with that model
 *                                        (h: model key + harness sources +
 *                                        libiss.a + libcosim.a + flags)
 *      <cache>/runtime-<v>/              Verilator's runtime objects, per version
 *    so the same RTL is never verilated twice and a harness change only relinks.
 *  - The RTL is copied (the bytes that were hashed) into the build directory
 *    first, so a tree edited during the build cannot poison the cache.
 *  - Builds go to a private temporary directory renamed into place, so
 *    concurrent gates on the same RTL never see a half-built model.
 *  - Every tool runs through proc (own process group, timeout), or as a
 *    job through req->launcher; output is appended to req->log_path.
 *    Nothing prints.
 *  - Returns COSIM_MODEL_OK, COSIM_MODEL_DESIGN (Verilator rejected the RTL:
 *    the design's fault) or COSIM_MODEL_ERROR (missing tool/file, harness
 *    compile failure, timeout, a job the launcher could not run: the gate
 *    could not run); err says which and what to do.
 */
#ifndef COSIM_COSIM_MODEL_H
#define COSIM_COSIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/confine.h"
#include "lib/proc.h"

/* Which Verilator coverage the model collects. */
typedef enum { COSIM_COV_NONE = 0, COSIM_COV_LINE = 1, COSIM_COV_TOGGLE = 2 /* line and toggle */ } cosim_cov_kind;

typedef struct {
    const char *rtl_dir;   /* <tree>/cores/<core>/rtl */
    const char *harness;   /* trusted checkout root: test/cosim/, tools/cosim/, tools/iss/ */
    const char *build;     /* harness build dir: lib/libiss.a, lib/libcosim.a */
    const char *cache_dir; /* NULL: <build>/models (env COSIM_MODEL_CACHE overrides) */
    const char *log_path;  /* tool output is appended here */
    int jobs;
    double timeout_s;      /* for the whole build; 0 = 600 s */
    /* The tools' sandbox (lib/confine.h); the cache directory is added as
     * writable. NULL: unconfined. */
    const confine_policy *confine;
    proc_group *group;     /* books the tools' CPU time; NULL: not counted */
    /* A coverage build (verilator --coverage-line [--coverage-toggle]): a
     * model of its own in the cache (its flags are in the key) whose harness
     * takes --coverage FILE. */
    cosim_cov_kind coverage;
    /* NULL: the build runs here. Set (a cluster executor's, gates/gate.h):
     * each build step (verilate, compiles, link) is a job of its own,
     * labelled <label>-<step> (label NULL: "model"); the version probes
     * still run here. */
    const proc_launcher *launcher;
    const char *label;
} cosim_model_req;

typedef struct {
    char *binary;       /* the harness executable */
    char *model_key;
    bool model_cached;  /* the Verilator model was reused */
    bool binary_cached; /* the linked harness was reused */
    double verilate_seconds, link_seconds;
    bool infrastructure; /* COSIM_MODEL_ERROR because a launcher could not run a step */
} cosim_model;

enum { COSIM_MODEL_OK = 0, COSIM_MODEL_DESIGN = 1, COSIM_MODEL_ERROR = 2 };

/* The coverage the cosim gate collects: $COSIM_COVERAGE "off", "line" or
 * "toggle" (line and toggle); unset or empty: dflt. -1 for another value. */
int cosim_cov_from_env(cosim_cov_kind dflt);
const char *cosim_cov_name(cosim_cov_kind k);

int cosim_model_get(const cosim_model_req *req, cosim_model *out, char *err, size_t errlen);
void cosim_model_free(cosim_model *m);

/* The cache directory: $COSIM_MODEL_CACHE when set, else <build>/models. malloc'd. */
char *cosim_cache_dir(const char *build);
/* A cache key: the first 20 hex digits of SHA-1 over data, into out[21]. 0 or -1. */
int cosim_key(const void *data, size_t len, char out[21]);

/* The core's RTL files in the order tools should read them: *_pkg.sv first,
 * then the rest, each group sorted by name. Returns the count (0 when none),
 * or -1 when the directory cannot be read. *files is a NULL-terminated
 * malloc'd array of malloc'd full paths; free with cosim_rtl_free. */
int cosim_rtl_list(const char *rtl_dir, char ***files);
void cosim_rtl_free(char **files);

#endif
