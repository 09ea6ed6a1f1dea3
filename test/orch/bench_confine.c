/* bench_confine — what confinement costs one process start: N runs of
 * /bin/true through proc_run, unconfined and inside the sandboxes the loop
 * builds (tools/orch/policy.h) for a gate's tools and for an agent's
 * implementation phase (with the unprivileged uid when root and reachable),
 * on a scratch checkout. Prints the median of each and the difference; the
 * issue's target is <= 50 ms per start.
 * Usage: bench-confine [N] (default 41). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/confine.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/policy.h"

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median wall time of n starts of /bin/true under pol (NULL: unconfined). */
static double bench_median(const confine_policy *pol, int n)
{
    static const char *const argv[] = {"/bin/true", NULL};
    double *t = calloc((size_t)n, sizeof *t);
    if (!t)
        return -1;
    for (int i = 0; i < n; i++) {
        proc_spec s = {.argv = argv, .confine = pol, .timeout_s = 30};
        proc_result r;
        double t0 = proc_now();
        if (proc_run(&s, &r) != 0) {
            char why[256];
            fprintf(stderr, "bench-confine: a start failed: %s\n", proc_describe(&r, "bwrap", why, sizeof why));
            free(t);
            return -1;
        }
        t[i] = proc_now() - t0;
    }
    qsort(t, (size_t)n, sizeof *t, bench_cmp);
    double m = t[n / 2];
    free(t);
    return m;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 41;
    if (n < 1)
        n = 41;
    char tmpl[] = "/tmp/bench-confine.XXXXXX";
    char *root = mkdtemp(tmpl);
    if (root)
        chmod(root, 0755); /* a checkout the unprivileged agent user can reach, as usual */
    char *dirs[8];
    static const char *const names[8] = {"repo",      "repo/.git",        "repo/build",
                                         "repo/runs", "repo/.worktrees",  "repo/runs/t/id",
                                         "repo/build/gate-cache", "repo/.worktrees/.slots/id/cores/t/rtl"};
    for (int i = 0; i < 8; i++) {
        dirs[i] = fsx_fmt("%s/%s", root ? root : "/tmp", names[i]);
        if (!root || !dirs[i] || fsx_mkdirs(dirs[i], 0755) != 0) {
            fprintf(stderr, "bench-confine: cannot create %s\n", dirs[i] ? dirs[i] : "scratch");
            return 1;
        }
    }
    /* The loop's own policies (tools/orch/policy.h) on a scratch checkout. */
    policy_paths pp = {.workdir = dirs[0], .commondir = dirs[1], .wtroot = dirs[4], .runs_root = dirs[3],
                       .cache_dir = dirs[6], .build = dirs[2]};
    policy_mode m;
    char why[1024];
    if (policy_decide(&pp, false, false, false, &m, why, sizeof why) != 0) {
        printf("bench-confine: skipped: %s\n", why);
        return 0;
    }
    char *wt = fsx_fmt("%s/repo/.worktrees/.slots/id", root);
    const char *const writable[] = {dirs[7], NULL};
    confine_policy tool, agent;
    policy_tools(&m, &pp, dirs[5], dirs[5], &tool);
    policy_agent(&m, &pp, wt, writable, NULL, NULL, NULL, false, &agent);
    double plain = bench_median(NULL, n), tools = bench_median(&tool, n), agents = bench_median(&agent, n);
    fsx_remove_tree(root);
    for (int i = 0; i < 8; i++)
        free(dirs[i]);
    free(wt);
    if (plain < 0 || tools < 0 || agents < 0)
        return 1;
    printf("bench-confine: process start, median of %d: unconfined %.1f ms, tool sandbox %.1f ms, agent sandbox%s "
           "%.1f ms\n", n, plain * 1e3, tools * 1e3, agent.drop_uid ? " (uid 65534)" : "", agents * 1e3);
    double cost = (tools > agents ? tools : agents) - plain;
    printf("confine-start: %.1f ms per confined start (target <= 50 ms: %s)\n", cost * 1e3,
           cost <= 0.050 ? "met" : "NOT met");
    return 0;
}
