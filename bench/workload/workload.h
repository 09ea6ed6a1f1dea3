/* workload.h - the project's CoreMark-class workload (DESIGN.md §4).
 *
 * Contract: wl_init() fills a wl_ctx from a seed; wl_run() runs `iterations`
 * rounds of three kernels over it - a linked list (find with move-to-front,
 * recursive merge sort by key and back by id), a small int16 x int16 -> int32
 * matrix multiply-accumulate, and a string-scanning tokenizer state machine -
 * and folds every round's results into CRC-16 checksums.  The code is plain
 * portable C (fixed-width types, no pointer values in any checksum, no
 * undefined or implementation-defined behaviour), so a build for the host
 * computes exactly what a correct RV32IM core computes: that is how the
 * frozen WL_EXPECT_* values below were obtained (see workload_host.c).
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stdint.h>

#ifndef WL_ITERATIONS /* overridden only by the negative control, workload-broken.elf */
#define WL_ITERATIONS 60u
#endif
#define WL_SEED 0x2545F491u

#define WL_LIST_N 64
#define WL_MAT_N 14
#define WL_TEXT_LEN 400

typedef struct wl_node {
    struct wl_node *next;
    int16_t key;
    uint16_t id;
} wl_node;

typedef struct {
    uint32_t rng;
    wl_node nodes[WL_LIST_N];
    wl_node *head;
    int16_t a[WL_MAT_N][WL_MAT_N];
    int16_t b[WL_MAT_N][WL_MAT_N];
    int32_t c[WL_MAT_N][WL_MAT_N];
    uint8_t text[WL_TEXT_LEN + 1];
} wl_ctx;

typedef struct {
    uint16_t list, matrix, state, final;
} wl_sums;

/* The checksums of WL_ITERATIONS rounds from WL_SEED, frozen.  Obtained once
 * by running the host build (`make build/bench/workload-host`, then run it:
 * gcc and clang on x86-64 agree) and confirmed on RV32IM by rv32sim with the
 * workload compiled at -O0, -Os, -O2 and -O3.  Never edit them to make a run
 * pass: a mismatch on a core means that core (or the compiler) computes
 * wrongly.  Change them only together with the workload code, WL_SEED or
 * WL_ITERATIONS, by rerunning the host build. */
#define WL_EXPECT_LIST 0x9D02u
#define WL_EXPECT_MATRIX 0x4545u
#define WL_EXPECT_STATE 0x97D0u
#define WL_EXPECT_FINAL 0xCE62u

void wl_init(wl_ctx *ctx, uint32_t seed);
void wl_run(wl_ctx *ctx, uint32_t iterations, wl_sums *out);

/* CRC-16/CCITT (polynomial 0x1021, MSB first), one byte / one 16-bit value. */
uint16_t wl_crc16_u8(uint8_t byte, uint16_t crc);
uint16_t wl_crc16_u16(uint16_t v, uint16_t crc);

#endif /* BENCH_WORKLOAD_H */
