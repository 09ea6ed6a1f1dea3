/* rvgen_map — which byte ranges of the 1 MiB RAM a generated program already
 * uses (code placements and data windows), so that no two overlap and no store
 * can reach code.
 *
 * Contract: ranges are half-open [addr, addr + size) inside [0, RVGEN_RAM_SIZE);
 * rvgen_map_take() reserves a range only when it is inside RAM and overlaps no
 * reserved one; rvgen_map_first_fit() finds the lowest free aligned range.
 * Functions return 0, or -1 (errno ENOMEM, or ENOSPC when nothing fits).
 */
#ifndef RVGEN_RVGEN_MAP_H
#define RVGEN_RVGEN_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t lo, hi;
} rvgen_span;

typedef struct {
    rvgen_span *spans;
    size_t n, cap;
} rvgen_map;

bool rvgen_map_is_free(const rvgen_map *m, uint32_t addr, uint32_t size);
int rvgen_map_take(rvgen_map *m, uint32_t addr, uint32_t size);
/* Lowest free range of size bytes at a multiple of align (a power of two). */
int rvgen_map_first_fit(const rvgen_map *m, uint32_t size, uint32_t align, uint32_t *addr);
void rvgen_map_free(rvgen_map *m);

#endif
