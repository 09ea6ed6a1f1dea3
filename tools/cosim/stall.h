/* stall — the bus-stall patterns of the cosim gate (DESIGN.md §3).
 *
 * Contract: a pattern is a deterministic function of its name and the cycle
 * number; stall_step() is called once per simulated cycle (after reset) and
 * yields the imem and dmem ready bits of that cycle, whether or not the core
 * requests anything. Patterns:
 *   none        always ready
 *   std         xorshift32 seeded 0xDEADBEEF; each cycle the generator is stepped
 *               once for imem, then once for dmem, ready = (x & 0x7F) < 100
 *               (stall 28/128 = 21.875%)
 *   seed=<n>    the same with seed n (decimal or 0x hex, nonzero)
 *   bursty[=<n>] long stall bursts: per port a two-state Markov chain driven by
 *               the same xorshift32 stream (seed n, default 0xB0257ED5), stepped
 *               imem then dmem each cycle; from ready it enters a stall when
 *               (x & 0xFF) < 8 (p = 1/32, mean ready run 32 cycles), from a stall
 *               it leaves when (x & 0xFF) < 21 (p = 21/256, mean burst 12.2
 *               cycles); long-run stall fraction 27.6%.
 * Header-only hot path (called twice per simulated cycle); parsing in stall.c.
 */
#ifndef COSIM_STALL_H
#define COSIM_STALL_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { STALL_NONE, STALL_RANDOM, STALL_BURSTY } stall_kind;

#define STALL_STD_SEED 0xDEADBEEFu
#define STALL_BURSTY_SEED 0xB0257ED5u

typedef struct {
    stall_kind kind;
    uint32_t seed;
    uint32_t x;                  /* xorshift32 state */
    bool imem_stalled, dmem_stalled; /* bursty: current Markov state */
    char name[32];               /* canonical name, e.g. "seed=0x1234" */
} stall_t;

/* Parses a pattern name; 0 on success, -1 when unknown or the seed is 0. */
int stall_parse(const char *name, stall_t *st);
/* Back to cycle 0. */
void stall_reset(stall_t *st);

static inline uint32_t stall_xorshift32(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

/* One cycle: sets *imem_ready and *dmem_ready. */
static inline void stall_step(stall_t *st, bool *imem_ready, bool *dmem_ready)
{
    switch (st->kind) {
    case STALL_RANDOM:
        st->x = stall_xorshift32(st->x);
        *imem_ready = (st->x & 0x7Fu) < 100u;
        st->x = stall_xorshift32(st->x);
        *dmem_ready = (st->x & 0x7Fu) < 100u;
        return;
    case STALL_BURSTY:
        st->x = stall_xorshift32(st->x);
        st->imem_stalled = st->imem_stalled ? (st->x & 0xFFu) >= 21u : (st->x & 0xFFu) < 8u;
        st->x = stall_xorshift32(st->x);
        st->dmem_stalled = st->dmem_stalled ? (st->x & 0xFFu) >= 21u : (st->x & 0xFFu) < 8u;
        *imem_ready = !st->imem_stalled;
        *dmem_ready = !st->dmem_stalled;
        return;
    default: /* STALL_NONE */
        *imem_ready = *dmem_ready = true;
        return;
    }
}

#ifdef __cplusplus
}
#endif

#endif
