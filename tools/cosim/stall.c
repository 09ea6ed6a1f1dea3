/* stall.c — pattern names; see stall.h. */
#include "stall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int stall_parse_seed(const char *s, uint32_t *seed)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v == 0 || v > 0xFFFFFFFFull)
        return -1;
    *seed = (uint32_t)v;
    return 0;
}

int stall_parse(const char *name, stall_t *st)
{
    memset(st, 0, sizeof *st);
    if (strcmp(name, "none") == 0) {
        st->kind = STALL_NONE;
        snprintf(st->name, sizeof st->name, "none");
    } else if (strcmp(name, "std") == 0) {
        st->kind = STALL_RANDOM;
        st->seed = STALL_STD_SEED;
        snprintf(st->name, sizeof st->name, "std");
    } else if (strncmp(name, "seed=", 5) == 0) {
        st->kind = STALL_RANDOM;
        if (stall_parse_seed(name + 5, &st->seed) != 0)
            return -1;
        snprintf(st->name, sizeof st->name, "seed=0x%x", (unsigned)st->seed);
    } else if (strcmp(name, "bursty") == 0) {
        st->kind = STALL_BURSTY;
        st->seed = STALL_BURSTY_SEED;
        snprintf(st->name, sizeof st->name, "bursty");
    } else if (strncmp(name, "bursty=", 7) == 0) {
        st->kind = STALL_BURSTY;
        if (stall_parse_seed(name + 7, &st->seed) != 0)
            return -1;
        snprintf(st->name, sizeof st->name, "bursty=0x%x", (unsigned)st->seed);
    } else {
        return -1;
    }
    stall_reset(st);
    return 0;
}

void stall_reset(stall_t *st)
{
    st->x = st->seed;
    st->imem_stalled = st->dmem_stalled = false;
}
