/* rvgen_elf.c — writes a generated program as a minimal ELF32 RISC-V executable:
 * the ELF header, one PT_LOAD program header per region (code R+X, data
 * windows R+W), then the bytes of each region. No sections:
 * loaders only need the program headers. Bytes are written little-endian
 * explicitly so the file does not depend on the host. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "rvgen/rvgen.h"

enum {
    EHDR_SIZE = 52,
    PHDR_SIZE = 32,
    EM_RISCV_ = 243,
    PT_LOAD_ = 1,
    PF_X_ = 1, PF_W_ = 2, PF_R_ = 4
};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_phdr(uint8_t *p, uint32_t off, uint32_t vaddr, uint32_t size, uint32_t flags)
{
    put32(p + 0, PT_LOAD_);
    put32(p + 4, off);
    put32(p + 8, vaddr);  /* p_vaddr */
    put32(p + 12, vaddr); /* p_paddr */
    put32(p + 16, size);  /* p_filesz */
    put32(p + 20, size);  /* p_memsz */
    put32(p + 24, flags);
    put32(p + 28, 4);     /* p_align */
}

int rvgen_write_elf(const char *path, const rvgen_prog *p)
{
    uint32_t nph = (uint32_t)p->nregions;
    size_t hdr = EHDR_SIZE + (size_t)PHDR_SIZE * nph;
    size_t total = (hdr + 15u) & ~(size_t)15u; /* the bytes start 16-byte aligned */
    for (size_t i = 0; i < p->nregions; i++)
        total += (p->regions[i].size + 3u) & ~(size_t)3u;
    uint8_t *img = calloc(1, total);
    if (!img)
        return -1;

    static const uint8_t ident[16] = {0x7F, 'E', 'L', 'F', 1 /* 32-bit */, 1 /* LE */, 1 /* version */};
    memcpy(img, ident, sizeof ident);
    put16(img + 16, 2); /* ET_EXEC */
    put16(img + 18, EM_RISCV_);
    put32(img + 20, 1);            /* e_version */
    put32(img + 24, RVGEN_TEXT_BASE); /* e_entry */
    put32(img + 28, EHDR_SIZE);    /* e_phoff */
    put32(img + 32, 0);            /* e_shoff */
    put32(img + 36, 0);            /* e_flags: no RVC, soft float */
    put16(img + 40, EHDR_SIZE);
    put16(img + 42, PHDR_SIZE);
    put16(img + 44, nph);
    put16(img + 46, 40);           /* e_shentsize */
    put16(img + 48, 0);            /* e_shnum */
    put16(img + 50, 0);            /* e_shstrndx */

    size_t off = (hdr + 15u) & ~(size_t)15u;
    for (size_t i = 0; i < p->nregions; i++) {
        const rvgen_region *r = &p->regions[i];
        put_phdr(img + EHDR_SIZE + (size_t)PHDR_SIZE * i, (uint32_t)off, r->addr, (uint32_t)r->size,
                 r->exec ? PF_R_ | PF_X_ : PF_R_ | PF_W_);
        memcpy(img + off, r->bytes, r->size); /* the generator stores words little-endian */
        off += (r->size + 3u) & ~(size_t)3u;
    }

    int rc = fsx_write_atomic(path, img, total);
    int e = errno;
    free(img);
    errno = e;
    return rc;
}
