/* ftable — the formal runner's check table (formal/checks.tsv).
 *
 * Contract: formal_table_load() parses the whitespace-separated table (see the
 * comment at the top of formal/checks.tsv for the columns), rejects malformed
 * lines with a message naming the file, the line and the problem, and never
 * prints. Names are unique; every field is bounded and NUL-terminated.
 */
#ifndef FORMAL_FTABLE_H
#define FORMAL_FTABLE_H

#include <stddef.h>

enum { FORMAL_FAST = 1, FORMAL_DEEP = 2 };

/* How a check's property is proved (its cover always uses bmc). */
typedef enum {
    FORMAL_ENGINE_BMC,   /* ABC bmc3: bounded model checking, frame by frame */
    FORMAL_ENGINE_SWEEP  /* unroll all frames, then ABC iprove (SAT sweeping) */
} formal_engine;

typedef struct {
    char name[48];
    unsigned modes;      /* FORMAL_FAST and/or FORMAL_DEEP */
    int chan;            /* 0 or 1 for per-channel checks, -1 for the others */
    char bad[48];        /* formal_top output "name[bit]" or "name" */
    char cov[48];        /* cover output, "" when the check has none */
    int depth;           /* cycles */
    double timeout_s;    /* per proof */
    formal_engine engine;
    char replay[48];     /* prefix of the f_* assertions that name fields */
    char desc[200];
} formal_check;

typedef struct {
    formal_check *v;
    size_t n;
} formal_table;

int formal_table_load(const char *path, formal_table *t, char *err, size_t errlen);
void formal_table_free(formal_table *t);
/* The check called name, or NULL. */
const formal_check *formal_table_find(const formal_table *t, const char *name);

#endif
