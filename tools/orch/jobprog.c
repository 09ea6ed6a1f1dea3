/* jobprog.c — one gate's tool jobs summed up for the progress lines (jobprog.h). */
#include "orch/jobprog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "lib/proc.h"

enum { JP_SUBMITTED, JP_QUEUED, JP_RUNNING };

typedef struct {
    char *label;
    int state;
    char node[64];    /* where it runs */
    char reason[96];  /* why it waits: Slurm's reason */
} jp_job;

struct jobprog {
    pthread_mutex_t mu;
    char *gate;
    const executor_notify *up;
    executor_notify self;
    jp_job *jobs; /* in flight */
    size_t n, cap;
    int started, done, last_queued;
    double last_sent;
};

static void jp_on_state(void *ctx, const char *label, const char *state);

jobprog *jobprog_new(const char *gate, const executor_notify *up)
{
    jobprog *p = calloc(1, sizeof *p);
    if (!p || !(p->gate = fsx_fmt("%s", gate))) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    p->up = up;
    p->self = (executor_notify){.fn = jp_on_state, .ctx = p};
    p->last_queued = -1;
    return p;
}

void jobprog_free(jobprog *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->jobs[i].label);
    free(p->jobs);
    free(p->gate);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

const executor_notify *jobprog_notifier(jobprog *p) { return p ? &p->self : NULL; }

void jobprog_begin(jobprog *p, const char *label)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    if (p->n == p->cap) {
        size_t cap = p->cap * 2 + 8;
        jp_job *grown = realloc(p->jobs, cap * sizeof *grown);
        if (grown)
            p->jobs = grown, p->cap = cap;
    }
    if (p->n < p->cap) /* out of memory: the job is only counted */
        p->jobs[p->n++] = (jp_job){.label = fsx_fmt("%s", label), .state = JP_SUBMITTED};
    p->started++;
    pthread_mutex_unlock(&p->mu);
}

static jp_job *jp_find(jobprog *p, const char *label)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->jobs[i].label && strcmp(p->jobs[i].label, label) == 0)
            return &p->jobs[i];
    return NULL;
}

void jobprog_end(jobprog *p, const char *label)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    jp_job *j = jp_find(p, label);
    if (j) {
        free(j->label);
        *j = p->jobs[--p->n];
    }
    p->done++;
    pthread_mutex_unlock(&p->mu);
}

/* Adds node to the comma-separated list unless it is there; clips. */
static void jp_add_node(char *list, size_t size, const char *node)
{
    size_t len = strlen(node), have = strlen(list);
    for (const char *s = list; (s = strstr(s, node)) != NULL; s += len)
        if ((s == list || s[-1] == ',') && (s[len] == ',' || s[len] == 0))
            return;
    if (len && have + len + 2 < size)
        snprintf(list + have, size - have, "%s%s", have ? "," : "", node);
}

/* The summary; the caller holds p->mu. *queued gets the number queued. */
static char *jp_summary_locked(const jobprog *p, int *queued)
{
    int q = 0, r = 0;
    char nodes[256] = "";
    const char *why = "";
    for (size_t i = 0; i < p->n; i++) {
        if (p->jobs[i].state != JP_RUNNING) {
            q++;
            if (!why[0])
                why = p->jobs[i].reason;
            continue;
        }
        r++;
        jp_add_node(nodes, sizeof nodes, p->jobs[i].node);
    }
    if (queued)
        *queued = q;
    char reason[128] = "";
    if (why[0])
        snprintf(reason, sizeof reason, " (%s)", why);
    return fsx_fmt("%d jobs: %d queued%s, %d running%s%s, %d done", p->started, q, reason, r,
                   nodes[0] ? " on " : "", nodes, p->done);
}

char *jobprog_summary(jobprog *p)
{
    pthread_mutex_lock(&p->mu);
    char *s = jp_summary_locked(p, NULL);
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void jp_on_state(void *ctx, const char *label, const char *state)
{
    jobprog *p = ctx;
    char *line = NULL;
    const char *as = label;
    pthread_mutex_lock(&p->mu);
    jp_job *j = jp_find(p, label);
    if (j && strncmp(state, "queued", 6) == 0) {
        j->state = JP_QUEUED;
        snprintf(j->reason, sizeof j->reason, "%s", state[6] == ':' && state[7] ? state + 8 : "");
    } else if (j) {
        j->state = JP_RUNNING;
        const char *on = strstr(state, " on ");
        snprintf(j->node, sizeof j->node, "%s", on ? on + 4 : "");
    }
    if (p->started <= JOBPROG_PER_JOB) {
        line = fsx_fmt("%s", state);
    } else {
        int queued;
        char *s = jp_summary_locked(p, &queued);
        /* throttled, except when the queue fills or drains */
        if (s && (proc_now() - p->last_sent >= JOBPROG_SUMMARY_S || (queued > 0) != (p->last_queued > 0))) {
            line = s, as = p->gate;
            p->last_sent = proc_now();
            p->last_queued = queued;
        } else {
            free(s);
        }
    }
    pthread_mutex_unlock(&p->mu);
    if (line && p->up && p->up->fn)
        p->up->fn(p->up->ctx, as, line);
    free(line);
}
