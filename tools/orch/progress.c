/* progress.c — see progress.h. */
#include "orch/progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/safetext.h"

struct progress {
    pthread_mutex_t mu;
    FILE *out;
    char *target;
    int rounds, slots;
};

progress *progress_new(FILE *out, const char *target, int rounds, int slots)
{
    progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->mu, NULL);
    p->out = out;
    p->target = strdup(target);
    p->rounds = rounds;
    p->slots = slots;
    return p;
}

void progress_free(progress *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->mu);
    free(p->target);
    free(p);
}

FILE *progress_out(progress *p) { return p->out; }

void progress_say(progress *p, int round_idx, int slot, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char where[96];
    if (round_idx == 0)
        snprintf(where, sizeof where, "[%s r0]", p->target);
    else if (slot == 0)
        snprintf(where, sizeof where, "[%s r%d/%d]", p->target, round_idx, p->rounds);
    else
        snprintf(where, sizeof where, "[%s r%d/%d s%d/%d]", p->target, round_idx, p->rounds, slot, p->slots);
    /* Messages carry agent-written text (titles, diagnostics): a terminal
     * escape in one must show as text, not act on the terminal. */
    char *safe = safetext_escape(msg, strlen(msg), false);
    pthread_mutex_lock(&p->mu);
    fprintf(p->out, "%s %s\n", where, safe ? safe : "(message dropped: out of memory)");
    fflush(p->out);
    pthread_mutex_unlock(&p->mu);
    free(safe);
}
