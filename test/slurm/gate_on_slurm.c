/* gate_on_slurm — runs one gate of the real pipeline the way the loop runs a
 * gate with tool_job_cpus under EXECUTOR=slurm (orch/pipeline.c): in this
 * process, each tool run a job of its own through the executor's launcher
 * (orch/executor.h). Prints the gate's result JSON on stdout, so that
 * test_slurm.sh can set it beside the same gate run locally (`cosimctl
 * cosim`) and compare verdicts and figures. After the gate it sweeps and
 * drains the run's jobs, as the loop does at the end of a round.
 *
 *   gate_on_slurm --gate NAME --exe EVO --core CORE --tree TREE --rundir DIR
 *                 [--build DIR] [--partition P] [--jobs N] [--quick]
 *
 * EVO is the program whose `gate exec` runs a tool on a node (build/bin/evo);
 * the harness is the current directory. Exit 0 when a result was printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gates/registry.h"
#include "lib/fsx.h"
#include "orch/executor.h"

typedef struct {
    const char *gate, *exe, *core, *tree, *rundir, *build, *partition;
    int jobs;
    bool quick;
} gos_args;

static int gos_parse(int argc, char **argv, gos_args *a)
{
    *a = (gos_args){.build = "build", .jobs = 2};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(k, "--gate")        ? &a->gate
                            : !strcmp(k, "--exe")       ? &a->exe
                            : !strcmp(k, "--core")      ? &a->core
                            : !strcmp(k, "--tree")      ? &a->tree
                            : !strcmp(k, "--rundir")    ? &a->rundir
                            : !strcmp(k, "--build")     ? &a->build
                            : !strcmp(k, "--partition") ? &a->partition
                                                        : NULL;
        if (!strcmp(k, "--quick")) {
            a->quick = true;
        } else if (!strcmp(k, "--jobs") && v) {
            a->jobs = atoi(v);
            i++;
        } else if (slot && v) {
            *slot = v;
            i++;
        } else {
            return -1;
        }
    }
    return a->gate && a->exe && a->core && a->tree && a->rundir && a->jobs > 0 ? 0 : -1;
}

static void gos_notify(void *ctx, const char *gate, const char *state)
{
    (void)ctx;
    fprintf(stderr, "gate_on_slurm: %s %s\n", gate, state);
}

int main(int argc, char **argv)
{
    gos_args a;
    if (gos_parse(argc, argv, &a) != 0) {
        fprintf(stderr, "usage: %s --gate NAME --exe EVO --core CORE --tree TREE --rundir DIR [--build DIR] "
                        "[--partition P] [--jobs N] [--quick]\n", argv[0]);
        return 2;
    }
    const gate_def *def = gate_find(a.gate);
    char harness[4096], err[512];
    if (!def || def->tool_job_cpus <= 0 || !getcwd(harness, sizeof harness)) {
        fprintf(stderr, "%s: no gate %s with tool jobs in the registry (gates/registry.c)\n", argv[0], a.gate);
        return 2;
    }
    char *prefix = fsx_fmt("evo-gos-%ld", (long)getpid());
    executor_slurm_opts o = {.partition = a.partition, .exe = a.exe, .prefix = prefix, .down_s = 10};
    executor *x = executor_slurm_new(&o, err, sizeof err);
    if (!x || fsx_mkdirs(a.rundir, 0755) != 0) {
        fprintf(stderr, "%s: %s\n", argv[0], x ? "cannot create the run directory" : err);
        executor_free(x);
        free(prefix);
        return 2;
    }
    gate_ctx ctx = {.tree = a.tree, .core = a.core, .harness = harness, .build = a.build, .rundir = a.rundir,
                    .jobs = a.jobs, .timeout_s = def->timeout_s, .quick = a.quick};
    atomic_bool stop = false;
    executor_notify nf = {.fn = gos_notify};
    executor_tools tools;
    executor_tools_init(&tools, x, def, &ctx, "t", &stop, &nf);
    ctx.launcher = &tools.launcher;
    json_t *r = gate_run(def->run, &ctx);
    executor_tools_free(&tools);
    int left = executor_drain(x, NULL, EXECUTOR_DRAIN_S);
    executor_free(x);
    free(prefix);
    if (!r)
        return 1;
    json_dumpf(r, stdout, JSON_INDENT(1));
    putchar('\n');
    json_decref(r);
    if (left)
        fprintf(stderr, "%s: %d jobs still listed by squeue after the drain\n", argv[0], left);
    return left ? 1 : 0;
}
