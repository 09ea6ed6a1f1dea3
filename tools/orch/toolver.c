/* toolver.c — see toolver.h. */
#include "orch/toolver.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strbuf.h"

typedef struct {
    char *tool, *version;
} toolver_entry;

struct toolver {
    pthread_mutex_t mu;
    char *scratch;
    toolver_entry *v;
    size_t n;
};

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

/* How a tool says its version, where "<tool> --version" does not work:
 * yosys wants -V; yosys-abc has no flag but a command, and first echoes it. */
typedef struct {
    const char *tool, *args[3];
    const char *echo; /* a first line that is not the version */
} toolver_how;

static const toolver_how toolver_hows[] = {
    {"yosys", {"-V", NULL, NULL}, NULL},
    {"yosys-abc", {"-c", "version", NULL}, "ABC command line:"},
};

static const toolver_how *toolver_how_of(const char *tool)
{
    static const toolver_how dflt = {NULL, {"--version", NULL, NULL}, NULL};
    for (size_t i = 0; i < sizeof toolver_hows / sizeof toolver_hows[0]; i++)
        if (strcmp(toolver_hows[i].tool, tool) == 0)
            return &toolver_hows[i];
    return &dflt;
}

/* The first line of text that is not blank (nor how->echo), cut in place. */
static char *toolver_first_line(char *s, const toolver_how *how)
{
    for (;;) {
        while (*s == '\n' || *s == ' ')
            s++;
        size_t l = strcspn(s, "\n");
        if (!how->echo || strncmp(s, how->echo, strlen(how->echo)) != 0 || !s[l]) {
            s[l] = '\0';
            return s;
        }
        s += l;
    }
}

static char *toolver_probe(const toolver *t, const char *tool)
{
    if (!proc_have_tool(tool))
        return strdup("missing");
    char *log = fsx_fmt("%s/toolver.%ld.%s.txt", t->scratch, (long)getpid(), tool);
    if (!log)
        return NULL;
    unlink(log);
    const toolver_how *how = toolver_how_of(tool);
    const char *argv[] = {tool, how->args[0], how->args[1], how->args[2], NULL};
    proc_spec spec = {.argv = argv, .log_path = log, .timeout_s = 10};
    proc_result res;
    proc_run(&spec, &res);
    char *text = NULL;
    char *out = NULL;
    if (fsx_read(log, &text, NULL) == 0) {
        char *s = toolver_first_line(text, how);
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

enum { TOOLVER_MAX = 64 };

/* Every tool any gate of the table declares (tools, then built_by), each
 * once, in table order; owner[k] is the first gate that declares tool[k]. */
static size_t toolver_list(const gate_def *gates, size_t ngates, const char **tool, const char **owner)
{
    size_t n = 0;
    for (size_t i = 0; i < ngates; i++)
        for (int pass = 0; pass < 2; pass++)
            for (const char *const *p = pass ? gates[i].built_by : gates[i].tools; p && *p; p++) {
                size_t k = 0;
                while (k < n && strcmp(tool[k], *p) != 0)
                    k++;
                if (k == n && n < TOOLVER_MAX) {
                    tool[n] = *p;
                    owner[n++] = gates[i].name;
                }
            }
    return n;
}

json_t *toolver_all_json(toolver *t, const gate_def *gates, size_t ngates)
{
    const char *tool[TOOLVER_MAX], *owner[TOOLVER_MAX];
    size_t n = toolver_list(gates, ngates, tool, owner);
    json_t *o = json_object();
    for (size_t k = 0; k < n; k++)
        json_object_set_new(o, tool[k], json_string(toolver_get(t, tool[k])));
    return o;
}

char *toolver_missing(const gate_def *gates, size_t ngates)
{
    const char *tool[TOOLVER_MAX], *owner[TOOLVER_MAX];
    size_t n = toolver_list(gates, ngates, tool, owner);
    strbuf b = {0};
    for (size_t k = 0; k < n; k++)
        if (!proc_have_tool(tool[k]))
            strbuf_addf(&b, "%s%s (gate %s)", b.len ? ", " : "", tool[k], owner[k]);
    return strbuf_take(&b);
}
