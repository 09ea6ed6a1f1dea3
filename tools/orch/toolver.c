/* toolver.c — see toolver.h. */
#include "orch/toolver.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"

typedef struct {
    char *tool, *version;
} toolver_entry;

struct toolver {
    pthread_mutex_t mu;
    char *scratch;
    toolver_entry *v;
    size_t n;
};

static const char *const toolver_none[] = {NULL};
static const char *const toolver_lint[] = {"verilator", NULL};
static const char *const toolver_synth[] = {"yosys", NULL};
static const char *const toolver_formal[] = {"yosys", "cvc5", NULL}; /* smtbmc ships with yosys */
static const char *const toolver_cosim[] = {"verilator", "riscv64-unknown-elf-gcc", NULL};
static const char *const toolver_pnr[] = {"nextpnr-ice40", NULL};
static const char *const toolver_every[] = {"verilator", "yosys", "cvc5",
                                            "nextpnr-ice40", "riscv64-unknown-elf-gcc", NULL};

const char *const *toolver_gate_tools(const char *gate)
{
    if (strcmp(gate, "lint") == 0)
        return toolver_lint;
    if (strcmp(gate, "synth") == 0)
        return toolver_synth;
    if (strcmp(gate, "formal") == 0)
        return toolver_formal;
    if (strcmp(gate, "cosim") == 0 || strcmp(gate, "coremark") == 0)
        return toolver_cosim;
    if (strcmp(gate, "pnr") == 0)
        return toolver_pnr;
    return toolver_none;
}

toolver *toolver_new(const char *scratch_dir)
{
    toolver *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->mu, NULL);
    t->scratch = strdup(scratch_dir);
    return t;
}

void toolver_free(toolver *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].tool);
        free(t->v[i].version);
    }
    free(t->v);
    free(t->scratch);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

static char *toolver_probe(const toolver *t, const char *tool)
{
    if (!proc_have_tool(tool))
        return strdup("missing");
    char *log = fsx_fmt("%s/toolver.%ld.%s.txt", t->scratch, (long)getpid(), tool);
    if (!log)
        return NULL;
    unlink(log);
    const char *flag = strcmp(tool, "yosys") == 0 ? "-V" : "--version";
    const char *argv[] = {tool, flag, NULL};
    proc_spec spec = {.argv = argv, .log_path = log, .timeout_s = 10};
    proc_result res;
    proc_run(&spec, &res);
    char *text = NULL;
    char *out = NULL;
    if (fsx_read(log, &text, NULL) == 0) {
        char *s = text;
        while (*s == '\n' || *s == ' ')
            s++;
        s[strcspn(s, "\n")] = '\0';
        if (strlen(s) > 190) /* the log schema caps a version string at 200 */
            s[190] = '\0';
        out = strdup(*s ? s : "unknown");
    } else {
        out = strdup("unknown");
    }
    free(text);
    unlink(log);
    free(log);
    return out;
}

const char *toolver_get(toolver *t, const char *tool)
{
    /* One lock around lookup and probe: two threads never probe the same
     * tool (they would share its scratch file); probes happen once. */
    pthread_mutex_lock(&t->mu);
    const char *res = NULL;
    for (size_t i = 0; i < t->n && !res; i++)
        if (strcmp(t->v[i].tool, tool) == 0)
            res = t->v[i].version;
    if (!res) {
        char *ver = toolver_probe(t, tool);
        toolver_entry *nv = ver ? realloc(t->v, (t->n + 1) * sizeof *nv) : NULL;
        if (nv) {
            t->v = nv;
            t->v[t->n].tool = strdup(tool);
            t->v[t->n].version = ver;
            res = ver;
            t->n++;
        } else {
            free(ver);
            res = "unknown";
        }
    }
    pthread_mutex_unlock(&t->mu);
    return res;
}

json_t *toolver_all_json(toolver *t)
{
    json_t *o = json_object();
    for (const char *const *p = toolver_every; *p; p++)
        json_object_set_new(o, *p, json_string(toolver_get(t, *p)));
    return o;
}
