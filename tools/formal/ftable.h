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
    FORMAL_ENGINE_BMCS,  /* ABC &bmcs: the same with its own unfolding (faster on
                          * the register checks, slower on others: measured) */
    FORMAL_ENGINE_SWEEP  /* unroll all frames, then ABC iprove (SAT sweeping) */
} formal_engine;

typedef struct {
    char name[48];
    unsigned modes;      /* FORMAL_FAST and/or FORMAL_DEEP */
    int chan;            /* 0 or 1 for per-channel checks, -1 for the others */
    int idle;            /* proves channel 1 never retires (then chan-1 checks are n/a) */
    char bad[48];        /* formal_top output "name[bit]" or "name" */
    char cov[48];        /* cover output, "" when the check has none */
    int depth;           /* cycles (the most, for an adaptive check) */
    int slack;           /* > 0: adaptive: depth = min(depth, cover frame + slack) */
    double timeout_s;    /* per proof */
    formal_engine engine;
    int induct;          /* engine "<e>+pdr": after a safe bounded proof, ABC pdr
                          * tries to prove the property for every cycle */
    char params[64];     /* extra formal_top parameters "K=V,K=V" ("" none): checks
                          * with different params are proved on different netlists */
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
