/* elf — iss_load_elf(): loads a RISC-V ELF32 executable through libelf.
 *
 * Everything is validated before RAM is touched, so a rejected file leaves
 * the ISS as it was. Checks, in order: the file opens; it is ELF; class 32,
 * little-endian; ET_EXEC for EM_RISCV; the program header table and every
 * PT_LOAD segment's bytes lie inside the file; p_filesz <= p_memsz; the
 * segment's physical and virtual ranges lie inside RAM (overflow-safe); the
 * entry point is the reset PC. Segments are loaded at p_paddr (the load
 * address; equal to p_vaddr for the bench link script) with bss zeroed.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iss/iss_internal.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

__attribute__((format(printf, 5, 6))) static iss_elf_error
elf_fail(iss_elf_error code, const char *path, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!err || errlen == 0)
        return code;
    n = snprintf(err, errlen, "%s: ", path);
    if (n >= 0 && (size_t)n < errlen) {
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* [addr, addr+size) inside RAM, without overflowing. */
static bool range_in_ram(uint64_t addr, uint64_t size)
{
    return addr <= ISS_RAM_SIZE && size <= ISS_RAM_SIZE - addr;
}

typedef struct {
    const char *path;
    char *err;
    size_t errlen;
    Elf *e;
    const uint8_t *image; /* the whole file */
    size_t size;
    size_t phnum;
} elf_ctx;

static iss_elf_error elf_check_header(elf_ctx *c, GElf_Ehdr *eh)
{
    const char *path = c->path;
    size_t n = 0;
    const char *ident;

    if (elf_kind(c->e) != ELF_K_ELF && c->image && c->size >= SELFMAG &&
        memcmp(c->image, ELFMAG, SELFMAG) == 0)
        return elf_fail(ISS_ELF_NOT_ELF, path, c->err, c->errlen,
                        "truncated ELF file: %zu bytes, shorter than the ELF header", c->size);
    if (elf_kind(c->e) != ELF_K_ELF)
        return elf_fail(ISS_ELF_NOT_ELF, path, c->err, c->errlen,
                        "not an ELF file (no ELF magic); expected a RISC-V ELF32 executable");
    ident = elf_getident(c->e, &n);
    if (!ident || n < EI_NIDENT || c->size < sizeof(Elf32_Ehdr))
        return elf_fail(ISS_ELF_NOT_ELF, path, c->err, c->errlen,
                        "truncated ELF file: %zu bytes, shorter than the ELF header", c->size);
    if (ident[EI_CLASS] != ELFCLASS32)
        return elf_fail(ISS_ELF_WRONG_KIND, path, c->err, c->errlen,
                        "ELF class %d is not ELFCLASS32; build for rv32 (-march=rv32im -mabi=ilp32)",
                        ident[EI_CLASS]);
    if (ident[EI_DATA] != ELFDATA2LSB)
        return elf_fail(ISS_ELF_WRONG_KIND, path, c->err, c->errlen,
                        "ELF data encoding %d is not little-endian (ELFDATA2LSB)", ident[EI_DATA]);
    if (!gelf_getehdr(c->e, eh))
        return elf_fail(ISS_ELF_NOT_ELF, path, c->err, c->errlen, "unreadable ELF header: %s",
                        elf_errmsg(-1));
    if (eh->e_machine != EM_RISCV)
        return elf_fail(ISS_ELF_WRONG_KIND, path, c->err, c->errlen,
                        "e_machine %u is not EM_RISCV (%u)", (unsigned)eh->e_machine, EM_RISCV);
    if (eh->e_type != ET_EXEC)
        return elf_fail(ISS_ELF_WRONG_KIND, path, c->err, c->errlen,
                        "e_type %u is not ET_EXEC (%u); link a static executable",
                        (unsigned)eh->e_type, ET_EXEC);
    if (eh->e_phnum != 0 && (uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize >
                                (uint64_t)c->size)
        return elf_fail(ISS_ELF_NOT_ELF, path, c->err, c->errlen,
                        "truncated ELF file: program headers end at byte %" PRIu64
                        " but the file has %zu bytes",
                        (uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize, c->size);
    if (elf_getphdrnum(c->e, &c->phnum) != 0)
        return elf_fail(ISS_ELF_NOT_ELF, path, c->err, c->errlen,
                        "unreadable program headers: %s", elf_errmsg(-1));
    return ISS_ELF_OK;
}

static iss_elf_error elf_check_segment(elf_ctx *c, size_t i, const GElf_Phdr *ph)
{
    const char *path = c->path;

    if (ph->p_filesz > ph->p_memsz)
        return elf_fail(ISS_ELF_BAD_SEGMENT, path, c->err, c->errlen,
                        "segment %zu: p_filesz 0x%" PRIx64 " exceeds p_memsz 0x%" PRIx64, i,
                        (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
    if (ph->p_offset > c->size || ph->p_filesz > c->size - ph->p_offset)
        return elf_fail(ISS_ELF_BAD_SEGMENT, path, c->err, c->errlen,
                        "truncated: segment %zu needs file bytes up to %" PRIu64
                        " but the file has %zu bytes",
                        i, (uint64_t)ph->p_offset + (uint64_t)ph->p_filesz, c->size);
    if (!range_in_ram(ph->p_paddr, ph->p_memsz) || !range_in_ram(ph->p_vaddr, ph->p_memsz))
        return elf_fail(ISS_ELF_BAD_SEGMENT, path, c->err, c->errlen,
                        "segment %zu (paddr 0x%" PRIx64 ", vaddr 0x%" PRIx64 ", memsz 0x%" PRIx64
                        ") lies outside RAM 0x%08x-0x%08x",
                        i, (uint64_t)ph->p_paddr, (uint64_t)ph->p_vaddr, (uint64_t)ph->p_memsz,
                        ISS_RAM_BASE, ISS_RAM_BASE + ISS_RAM_SIZE - 1u);
    return ISS_ELF_OK;
}

/* Validates (load=false) or loads (load=true) every non-empty PT_LOAD segment. */
static iss_elf_error elf_segments(elf_ctx *c, iss_t *s, bool load, size_t *nload)
{
    *nload = 0;
    for (size_t i = 0; i < c->phnum; i++) {
        GElf_Phdr ph;
        iss_elf_error rc;

        if (!gelf_getphdr(c->e, (int)i, &ph))
            return elf_fail(ISS_ELF_NOT_ELF, c->path, c->err, c->errlen,
                            "unreadable program header %zu: %s", i, elf_errmsg(-1));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        (*nload)++;
        if (!load) {
            if ((rc = elf_check_segment(c, i, &ph)) != ISS_ELF_OK)
                return rc;
            continue;
        }
        memcpy(s->mem + ph.p_paddr, c->image + ph.p_offset, ph.p_filesz);
        memset(s->mem + ph.p_paddr + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
    }
    return ISS_ELF_OK;
}

static iss_elf_error elf_load_open(elf_ctx *c, iss_t *s)
{
    GElf_Ehdr eh;
    iss_elf_error rc;
    size_t nload;

    if ((rc = elf_check_header(c, &eh)) != ISS_ELF_OK)
        return rc;
    if ((rc = elf_segments(c, s, false, &nload)) != ISS_ELF_OK)
        return rc;
    if (nload == 0)
        return elf_fail(ISS_ELF_BAD_SEGMENT, c->path, c->err, c->errlen,
                        "no loadable (PT_LOAD) segment");
    if (eh.e_entry != ISS_RESET_PC)
        return elf_fail(ISS_ELF_BAD_ENTRY, c->path, c->err, c->errlen,
                        "entry point 0x%" PRIx64 " is not the reset PC 0x%08x; "
                        "link with the bench link script so _start is at 0",
                        (uint64_t)eh.e_entry, ISS_RESET_PC);
    if ((rc = elf_segments(c, s, true, &nload)) != ISS_ELF_OK)
        return rc;
    iss_invalidate(s);
    s->pc = (uint32_t)eh.e_entry;
    return ISS_ELF_OK;
}

iss_elf_error iss_load_elf(iss_t *s, const char *path, char *err, size_t errlen)
{
    elf_ctx c = {.path = path, .err = err, .errlen = errlen};
    struct stat st;
    iss_elf_error rc;
    int fd;

    if (err && errlen)
        err[0] = '\0';
    if (elf_version(EV_CURRENT) == EV_NONE)
        return elf_fail(ISS_ELF_IO, path, err, errlen, "libelf initialisation failed: %s",
                        elf_errmsg(-1));
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return elf_fail(ISS_ELF_IO, path, err, errlen, "cannot open: %s", strerror(errno));
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return elf_fail(ISS_ELF_IO, path, err, errlen, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return elf_fail(ISS_ELF_IO, path, err, errlen, "not a regular file");
    }
    c.e = elf_begin(fd, ELF_C_READ, NULL);
    if (!c.e) {
        close(fd);
        return elf_fail(ISS_ELF_NOT_ELF, path, err, errlen, "libelf cannot read it: %s",
                        elf_errmsg(-1));
    }
    c.image = (const uint8_t *)elf_rawfile(c.e, &c.size);
    if (!c.image && st.st_size > 0)
        rc = elf_fail(ISS_ELF_IO, path, err, errlen, "cannot read the file: %s", elf_errmsg(-1));
    else
        rc = elf_load_open(&c, s);
    elf_end(c.e);
    close(fd);
    return rc;
}
