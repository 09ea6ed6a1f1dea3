/* slurm_jobs — N concurrent tool jobs through the slurm executor
 * (orch/executor.h), as a gate with tool_job_cpus runs them, for
 * test_slurm.sh: each is `sleep SECONDS` run by `EXE gate exec` in a job of
 * its own, all at once, each from a thread of its own.
 *
 *   slurm-jobs EXE DIR N SECONDS [STOP_AFTER]
 *
 * EXE has the `gate exec` command (evo-fake); DIR is on a filesystem the
 * nodes share (logs and status files). With STOP_AFTER the jobs share a
 * proc_group that is stopped after that many seconds: every job must then
 * come back cancelled. Prints each progress line ("notify: ..."), then
 * "jobs: <ok> ok, <cancelled> cancelled, <failed> failed; wall <s> s".
 * Exit 0 when every job ran (or, with STOP_AFTER, was cancelled). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/executor.h"

enum { MAX_JOBS = 256 };

typedef struct {
    executor_tools *tools;
    const char *dir, *secs;
    proc_group *group;
    int index;
    int rc;
    proc_result res;
    char why[1500];
} job;

static pthread_mutex_t print_mu = PTHREAD_MUTEX_INITIALIZER;

static void on_notify(void *ctx, const char *gate, const char *state)
{
    (void)ctx;
    pthread_mutex_lock(&print_mu);
    printf("notify: %s %s\n", gate, state);
    fflush(stdout);
    pthread_mutex_unlock(&print_mu);
}

static void *job_main(void *p)
{
    job *j = p;
    char label[32];
    snprintf(label, sizeof label, "job%d", j->index);
    char *log = fsx_fmt("%s/%s.log", j->dir, label);
    const char *argv[] = {"sleep", j->secs, NULL};
    proc_spec spec = {.argv = argv, .log_path = log, .timeout_s = 120, .group = j->group};
    j->rc = log ? proc_launch(&j->tools->launcher, label, &spec, &j->res, j->why, sizeof j->why) : -1;
    free(log);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: slurm-jobs EXE DIR N SECONDS [STOP_AFTER]\n");
        return 2;
    }
    int n = atoi(argv[3]);
    double stop_after = argc == 6 ? atof(argv[5]) : -1;
    if (n < 1 || n > MAX_JOBS) {
        fprintf(stderr, "slurm-jobs: N must be 1..%d\n", MAX_JOBS);
        return 2;
    }
    char prefix[64], err[512];
    snprintf(prefix, sizeof prefix, "evo-jobs-%ld", (long)getpid());
    executor_slurm_opts o = {.exe = argv[1], .prefix = prefix};
    executor *x = executor_slurm_new(&o, err, sizeof err);
    if (!x) {
        fprintf(stderr, "slurm-jobs: %s\n", err);
        return 2;
    }
    gate_def def = {.name = "poll", .cpus = 1, .mem_mib = 100, .timeout_s = 120, .tool_job_cpus = 1};
    gate_ctx ctx = {.harness = argv[2], .rundir = argv[2]};
    atomic_bool stop = false;
    executor_notify notify = {.fn = on_notify};
    executor_tools tools;
    executor_tools_init(&tools, x, &def, &ctx, "t", &stop, &notify);
    proc_group group;
    proc_group_init(&group);
    static job jobs[MAX_JOBS];
    static pthread_t threads[MAX_JOBS];
    double t0 = proc_now();
    for (int i = 0; i < n; i++) {
        jobs[i] = (job){.tools = &tools, .dir = argv[2], .secs = argv[4], .group = &group, .index = i + 1};
        if (pthread_create(&threads[i], NULL, job_main, &jobs[i]) != 0) {
            fprintf(stderr, "slurm-jobs: cannot start thread %d\n", i + 1);
            return 2;
        }
    }
    if (stop_after >= 0) {
        usleep((useconds_t)(stop_after * 1e6));
        proc_group_stop(&group);
    }
    int ok = 0, cancelled = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        if (jobs[i].rc == 0 && jobs[i].res.cancelled)
            cancelled++;
        else if (jobs[i].rc == 0 && proc_ok(&jobs[i].res))
            ok++;
        else {
            failed++;
            char buf[160];
            fprintf(stderr, "slurm-jobs: job%d: %s\n", i + 1,
                    jobs[i].rc ? jobs[i].why : proc_describe(&jobs[i].res, "sleep", buf, sizeof buf));
        }
    }
    double wall = proc_now() - t0;
    executor_tools_free(&tools);
    executor_free(x);
    printf("jobs: %d ok, %d cancelled, %d failed; wall %.1f s\n", ok, cancelled, failed, wall);
    return failed == 0 && (stop_after >= 0 ? cancelled == n : ok == n) ? 0 : 1;
}
