/* sched — shares the machine's CPU cores between concurrent gates.
 *
 * Contract: sched_acquire(s, want) blocks until min(want, total) cores are
 * free and returns that count; sched_release gives them back. Requests are
 * served in arrival order, but a smaller request may pass a larger one that
 * does not fit yet ("backfill") at most SCHED_MAX_PASSES times, so a gate
 * that wants every core is never starved by a stream of small ones.
 * Thread-safe; no global state.
 */
#ifndef ORCH_SCHED_H
#define ORCH_SCHED_H

typedef struct sched sched;

/* total <= 0: the number of online CPUs. */
sched *sched_new(int total);
void sched_free(sched *s);
int sched_total(const sched *s);
int sched_acquire(sched *s, int want);
void sched_release(sched *s, int n);

#endif
