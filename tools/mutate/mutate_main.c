/* mutate — the verifier measured on a core (tools/mutate/mutrun.h).
 *
 *   mutate --core NAME [--mutants N] [--seed S] [--quick] [--jobs N]
 *          [--out DIR] [--pick FILE:LINE:CLASS[:K]]... [--list]
 *   mutate --show DIR/mutate.json
 *
 * Run from the harness checkout. Results go to DIR/mutate.json (default
 * runs/mutate/<core>-seed<S>), and the kill matrix, the counts per class,
 * "score: N%" and the survivors with their diffs to stdout. --list prints
 * the sample (or the picks) with their diffs and runs nothing; --show prints
 * the report of an earlier run again.
 * Exit: 0 done, 2 could not run, 3 usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"
#include "mutate/mutgen.h"
#include "mutate/mutrun.h"

typedef struct {
    mutrun_opts o;
    strv picks;
    bool list;
    char *out;
    const char *show;
} mutate_args;

static void mutate_on_signal(int sig)
{
    (void)sig;
    proc_cancel_all();
}

static void mutate_usage(FILE *to)
{
    fprintf(to, "usage: mutate --core NAME [--mutants N] [--seed S] [--quick] [--jobs N] [--out DIR]\n"
                "              [--pick FILE:LINE:CLASS[:K]]... [--list]\n"
                "       mutate --show DIR/mutate.json\n"
                "classes:");
    for (int c = 0; c < MUT_NCLASS; c++)
        fprintf(to, " %s", mutgen_class_name((mut_class)c));
    fprintf(to, "\n");
}

/* A whole-string unsigned number, or -1. */
static long long mutate_num(const char *v)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    return errno || end == v || *end || n < 0 ? -1 : n;
}

static int mutate_parse(int argc, char **argv, mutate_args *a)
{
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    a->o.jobs = jobs < 1 ? 1 : (int)jobs;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (!strcmp(k, "--quick") || !strcmp(k, "--list")) {
            *(k[2] == 'q' ? &a->o.quick : &a->list) = true;
            continue;
        }
        if (i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        long long n = mutate_num(v);
        if (!strcmp(k, "--core"))
            a->o.core = v;
        else if (!strcmp(k, "--show"))
            a->show = v;
        else if (!strcmp(k, "--out"))
            a->out = fsx_fmt("%s", v);
        else if (!strcmp(k, "--pick") && strv_add(&a->picks, v) == 0)
            continue;
        else if (!strcmp(k, "--mutants") && n >= 0 && n < 1000000)
            a->o.max = (int)n;
        else if (!strcmp(k, "--seed") && n >= 0)
            a->o.seed = (uint64_t)n;
        else if (!strcmp(k, "--jobs") && n >= 1 && n <= 1024)
            a->o.jobs = (int)n;
        else
            return -1;
    }
    return a->show || (a->o.core && strchr(a->o.core, '/') == NULL) ? 0 : -1;
}

/* --list: the selected mutants' diffs, nothing run. */
static int mutate_list(const mutrun_opts *o)
{
    char err[512];
    json_t *sel = mutrun_select_only(o, err, sizeof err);
    if (!sel) {
        fprintf(stderr, "mutate: %s\n", err);
        return 2;
    }
    size_t i;
    json_t *m;
    json_array_foreach(sel, i, m)
        printf("%s %s:%lld %s\n%s", json_string_value(json_object_get(m, "id")), json_string_value(json_object_get(m, "file")),
               (long long)json_integer_value(json_object_get(m, "line")), json_string_value(json_object_get(m, "class")),
               json_string_value(json_object_get(m, "diff")));
    printf("%zu mutants\n", json_array_size(sel));
    json_decref(sel);
    return 0;
}

int main(int argc, char **argv)
{
    mutate_args a = {0};
    if (mutate_parse(argc, argv, &a) != 0) {
        mutate_usage(stderr);
        strv_free(&a.picks);
        free(a.out);
        return 3;
    }
    if (a.show) {
        json_error_t je;
        json_t *res = json_load_file(a.show, 0, &je);
        if (res)
            mutrun_print(res, stdout);
        else
            fprintf(stderr, "mutate: --show %s: %s\n", a.show, je.text);
        json_decref(res);
        strv_free(&a.picks);
        free(a.out);
        return res ? 0 : 2;
    }
    signal(SIGINT, mutate_on_signal);
    signal(SIGTERM, mutate_on_signal);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) {
        fprintf(stderr, "mutate: cannot read the current directory (the harness): %s\n", strerror(errno));
        return 2;
    }
    char *build = fsx_fmt("%s/build", cwd);
    if (!a.out) {
        a.out = fsx_fmt("%s/runs/mutate/%s-seed%llu", cwd, a.o.core, (unsigned long long)a.o.seed);
    } else if (a.out[0] != '/') { /* the gates run tools in other directories */
        char *abs = fsx_fmt("%s/%s", cwd, a.out);
        free(a.out);
        a.out = abs;
    }
    a.o.harness = cwd;
    a.o.build = build;
    a.o.outdir = a.out;
    a.o.picks = a.picks.n ? (const char *const *)a.picks.v : NULL;
    int rc = 0;
    if (a.list) {
        rc = mutate_list(&a.o);
    } else {
        char err[512];
        printf("mutate %s: results in %s/mutate.json\n", a.o.core, a.out);
        fflush(stdout);
        json_t *res = mutrun_run(&a.o, stdout, err, sizeof err);
        if (!res) {
            fprintf(stderr, "mutate: %s\n", err);
            rc = 2;
        } else {
            mutrun_print(res, stdout);
            json_decref(res);
        }
    }
    strv_free(&a.picks);
    free(a.out);
    free(build);
    return rc;
}
