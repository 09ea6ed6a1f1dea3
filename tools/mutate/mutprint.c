/* mutprint.c — mutrun_print (see mutrun.h): the kill matrix, the counts per
 * class, the score line and the survivors, from mutate.json's object. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsx.h"

#include "mutate/mutrun.h"

static const char *mutprint_str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

static json_int_t mutprint_int(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static void mutprint_matrix(const json_t *mutants, FILE *out)
{
    fprintf(out, "kill matrix (kill: the gate rejected it; pass: it did not; -: not run, an earlier step decided;\n"
                 "  lint kill: a core testbench failed, not scored; equiv: the Yosys proof against the original)\n");
    fprintf(out, "  %-5s %-18s %-12s %-10s %-6s %-10s %-6s %s\n", "id", "site", "class", "lint", "cosim", "equiv", "formal",
            "outcome");
    size_t i;
    json_t *m;
    json_array_foreach(mutants, i, m) {
        const json_t *mx = json_object_get(m, "matrix");
        char site[64];
        snprintf(site, sizeof site, "%s:%d", mutprint_str(m, "file", "?"), (int)mutprint_int(m, "line"));
        fprintf(out, "  %-5s %-18s %-12s %-10s %-6s %-10s %-6s %s\n", mutprint_str(m, "id", "?"), site,
                mutprint_str(m, "class", "?"), mutprint_str(mx, "lint", "-"), mutprint_str(mx, "cosim", "-"),
                mutprint_str(json_object_get(m, "equivalence"), "status", "-"), mutprint_str(mx, "formal", "-"),
                mutprint_str(m, "outcome", "?"));
    }
}

static void mutprint_classes(const json_t *classes, FILE *out)
{
    static const char *const cols[] = {"killed", "survived", "equivalent", "stillborn", "error"};
    fprintf(out, "per class:      ");
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        fprintf(out, " %10s", cols[k]);
    fprintf(out, "\n");
    const char *name;
    json_t *c;
    json_object_foreach((json_t *)classes, name, c) {
        fprintf(out, "  %-14s", name);
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            fprintf(out, " %10lld", (long long)mutprint_int(c, cols[k]));
        fprintf(out, "\n");
    }
}

/* The mutants of one outcome, with their reason or diff. */
static void mutprint_list(const json_t *mutants, const char *outcome, bool diff, FILE *out)
{
    size_t i;
    json_t *m;
    json_array_foreach(mutants, i, m) {
        if (strcmp(mutprint_str(m, "outcome", ""), outcome) != 0)
            continue;
        fprintf(out, "  %s %s:%d %s", mutprint_str(m, "id", "?"), mutprint_str(m, "file", "?"),
                (int)mutprint_int(m, "line"), mutprint_str(m, "class", "?"));
        const json_t *eq = json_object_get(m, "equivalence");
        if (!strcmp(outcome, "equivalent") || (diff && eq))
            fprintf(out, ": %s", mutprint_str(eq, "reason", "?"));
        if (!strcmp(outcome, "error") || !strcmp(outcome, "stillborn") || !strcmp(outcome, "killed")) {
            /* the gate that decided: for a kill its diagnostic names cycle, PC, instruction and field */
            const json_t *gates = json_object_get(m, "gates");
            const char *by = mutprint_str(m, "killed_by", "");
            const char *g = *by && json_object_get(gates, by) ? by
                            : json_object_get(gates, "formal") ? "formal"
                            : json_object_get(gates, "cosim") ? "cosim" : "lint";
            const char *d = mutprint_str(json_object_get(gates, g), "diagnostic", "");
            const char *nl = strchr(d, '\n');
            fprintf(out, ": %s: %.*s", g, nl ? (int)(nl - d) : 160, d);
        }
        fprintf(out, "\n");
        if (diff)
            fprintf(out, "%s", mutprint_str(m, "diff", ""));
    }
}

void mutrun_print(const json_t *res, FILE *out)
{
    const json_t *mutants = json_object_get(res, "mutants"), *c = json_object_get(res, "counts");
    fprintf(out, "mutate %s: %zu mutants (seed %lld, %lld sites)%s\n", mutprint_str(res, "core", "?"),
            json_array_size(mutants), (long long)mutprint_int(res, "seed"), (long long)mutprint_int(res, "sites"),
            json_is_true(json_object_get(res, "quick")) ? ", gates in quick mode" : "");
    mutprint_matrix(mutants, out);
    mutprint_classes(json_object_get(res, "classes"), out);
    fprintf(out, "killed %lld (cosim %lld, formal %lld), survived %lld, equivalent %lld (excluded), "
                 "stillborn %lld (excluded), error %lld (excluded); core testbenches failed on %lld\n",
            (long long)mutprint_int(c, "killed"), (long long)mutprint_int(c, "killed_cosim"),
            (long long)mutprint_int(c, "killed_formal"), (long long)mutprint_int(c, "survived"),
            (long long)mutprint_int(c, "equivalent"), (long long)mutprint_int(c, "stillborn"),
            (long long)mutprint_int(c, "error"), (long long)mutprint_int(c, "lint_testbench_kills"));
    if (mutprint_int(c, "equivalent")) {
        fprintf(out, "equivalent mutants (excluded from the score):\n");
        mutprint_list(mutants, "equivalent", false, out);
    }
    if (mutprint_int(c, "stillborn") || mutprint_int(c, "error")) {
        fprintf(out, "stillborn and error mutants (excluded):\n");
        mutprint_list(mutants, "stillborn", false, out);
        mutprint_list(mutants, "error", false, out);
    }
    if (mutprint_int(c, "killed")) {
        fprintf(out, "killed, with the first line of the diagnostic that killed each:\n");
        mutprint_list(mutants, "killed", false, out);
    }
    if (mutprint_int(c, "survived")) {
        fprintf(out, "survivors (no gate rejected them):\n");
        mutprint_list(mutants, "survived", true, out);
    }
    const json_t *score = json_object_get(res, "score");
    if (json_is_number(score))
        fprintf(out, "score: %d%% (%lld of %lld non-equivalent, non-stillborn mutants killed by cosim+formal)\n",
                (int)json_number_value(score), (long long)mutprint_int(c, "killed"), (long long)mutprint_int(res, "scored"));
    else
        fprintf(out, "score: n/a (no mutant was scored)\n");
}

/* The newest <dir>/<core>-seed<S>/mutate.json, or NULL. */
static char *mutprint_newest(const char *dir, const char *core)
{
    DIR *d = opendir(dir);
    char *best = NULL;
    time_t best_t = 0;
    char *prefix = fsx_fmt("%s-seed", core);
    for (struct dirent *e; d && prefix && (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char *p = fsx_fmt("%s/%s/mutate.json", dir, e->d_name);
        struct stat st;
        if (p && stat(p, &st) == 0 && S_ISREG(st.st_mode) && (!best || st.st_mtime > best_t)) {
            free(best);
            best = p;
            best_t = st.st_mtime;
        } else {
            free(p);
        }
    }
    if (d)
        closedir(d);
    free(prefix);
    return best;
}

char *mutrun_report_line(const char *harness, const char *core)
{
    char *dir = fsx_fmt("%s/runs/mutate", harness);
    char *path = dir ? mutprint_newest(dir, core) : NULL;
    json_t *j = path ? json_load_file(path, 0, NULL) : NULL;
    char *line = NULL;
    const json_t *c = json_object_get(j, "counts"), *score = json_object_get(j, "score");
    if (json_is_object(c))
        line = fsx_fmt("%s%d%% (%lld of %lld killed: cosim %lld, formal %lld); %lld survived, %lld equivalent, "
                       "%lld stillborn, %lld error, of %zu mutants, seed %lld; %s",
                       json_is_number(score) ? "score: " : "score: n/a ", json_is_number(score) ? (int)json_number_value(score) : 0,
                       (long long)mutprint_int(c, "killed"), (long long)mutprint_int(j, "scored"),
                       (long long)mutprint_int(c, "killed_cosim"), (long long)mutprint_int(c, "killed_formal"),
                       (long long)mutprint_int(c, "survived"), (long long)mutprint_int(c, "equivalent"),
                       (long long)mutprint_int(c, "stillborn"), (long long)mutprint_int(c, "error"),
                       json_array_size(json_object_get(j, "mutants")), (long long)mutprint_int(j, "seed"), path);
    json_decref(j);
    free(path);
    free(dir);
    return line;
}
