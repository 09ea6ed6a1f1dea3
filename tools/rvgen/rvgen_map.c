/* rvgen_map.c — reserved ranges of RAM; see rvgen_map.h for the contract.
 * A program has a few dozen ranges at most, so a plain list is enough. */
#include "rvgen/rvgen_map.h"

#include <errno.h>
#include <stdlib.h>

#include "rvgen/rvgen.h"

bool rvgen_map_is_free(const rvgen_map *m, uint32_t addr, uint32_t size)
{
    if (size == 0 || addr >= RVGEN_RAM_SIZE || size > RVGEN_RAM_SIZE - addr)
        return false;
    for (size_t i = 0; i < m->n; i++)
        if (addr < m->spans[i].hi && m->spans[i].lo < addr + size)
            return false;
    return true;
}

int rvgen_map_take(rvgen_map *m, uint32_t addr, uint32_t size)
{
    if (!rvgen_map_is_free(m, addr, size)) {
        errno = ENOSPC;
        return -1;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        rvgen_span *s = realloc(m->spans, cap * sizeof *s);
        if (!s)
            return -1;
        m->spans = s;
        m->cap = cap;
    }
    m->spans[m->n++] = (rvgen_span){addr, addr + size};
    return 0;
}

int rvgen_map_first_fit(const rvgen_map *m, uint32_t size, uint32_t align, uint32_t *addr)
{
    /* Candidates: 0 and the aligned end of every reserved range. */
    for (size_t i = 0; i <= m->n; i++) {
        uint32_t a = i == m->n ? 0 : (m->spans[i].hi + align - 1) & ~(align - 1);
        bool best = rvgen_map_is_free(m, a, size);
        for (size_t j = 0; best && j <= m->n; j++) {
            uint32_t b = j == m->n ? 0 : (m->spans[j].hi + align - 1) & ~(align - 1);
            if (b < a && rvgen_map_is_free(m, b, size))
                best = false;
        }
        if (best) {
            *addr = a;
            return 0;
        }
    }
    errno = ENOSPC;
    return -1;
}

void rvgen_map_free(rvgen_map *m)
{
    free(m->spans);
    m->spans = NULL;
    m->n = m->cap = 0;
}
