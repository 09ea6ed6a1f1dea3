/* progress — the lines a loop prints while it runs, one per event:
 *     [v1 r2/10 s1/3] lint      pass     3.1 s
 * Contract: progress_say() may be called from any thread; lines never
 * interleave (one mutex) and are flushed at once, so `make loop | tee` shows
 * them live. Round 0 (the first measurement) prints as "r0". Control
 * characters in a message are printed escaped (safetext_escape, a newline as
 * "\n"), so agent-written text cannot act on the terminal or split a line. */
#ifndef ORCH_PROGRESS_H
#define ORCH_PROGRESS_H

#include <stdio.h>

typedef struct progress progress;

progress *progress_new(FILE *out, const char *target, int rounds, int slots);
void progress_free(progress *p);
/* round_idx: 1..rounds within this run (0: the first measurement); slot 0: the round itself. */
void progress_say(progress *p, int round_idx, int slot, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
FILE *progress_out(progress *p);

#endif
