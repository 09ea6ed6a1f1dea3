/* sched.c — see sched.h. A waiter list under one mutex; every change of the
 * free count re-runs the grant pass and wakes all waiters (a handful). */
#include "orch/sched.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

enum { SCHED_MAX_PASSES = 4 };

typedef struct sched_waiter {
    int want;
    int passed; /* times a later request was served before this one */
    bool granted;
    struct sched_waiter *next;
} sched_waiter;

struct sched {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int total, free;
    sched_waiter *head, *tail;
};

sched *sched_new(int total)
{
    if (total <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        total = n > 0 ? (int)n : 1;
    }
    sched *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->total = s->free = total;
    return s;
}

void sched_free(sched *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

int sched_total(const sched *s) { return s->total; }

/* Grants what fits, oldest first; stops backfilling once the oldest blocked
 * request has been passed too often. Caller holds the mutex. */
static void sched_dispatch(sched *s)
{
    sched_waiter *blocked = NULL;
    sched_waiter **link = &s->head;
    bool any = false;
    while (*link) {
        sched_waiter *w = *link;
        if (w->want <= s->free && (!blocked || blocked->passed < SCHED_MAX_PASSES)) {
            s->free -= w->want;
            w->granted = true;
            any = true;
            if (blocked)
                blocked->passed++;
            *link = w->next;
            continue;
        }
        if (!blocked)
            blocked = w;
        link = &w->next;
    }
    s->tail = NULL;
    for (sched_waiter *w = s->head; w; w = w->next)
        s->tail = w;
    if (any)
        pthread_cond_broadcast(&s->cv);
}

int sched_acquire(sched *s, int want)
{
    if (want < 1)
        want = 1;
    if (want > s->total)
        want = s->total;
    sched_waiter w = {want, 0, false, NULL};
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = &w;
    else
        s->head = &w;
    s->tail = &w;
    sched_dispatch(s);
    while (!w.granted)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    return want;
}

void sched_release(sched *s, int n)
{
    pthread_mutex_lock(&s->mu);
    s->free += n;
    if (s->free > s->total)
        s->free = s->total;
    sched_dispatch(s);
    pthread_mutex_unlock(&s->mu);
}
