/* rvgen — seeded random RV32IM test-program generator for the cosim gate (DESIGN.md §3, §2).
 *
 * Contract:
 *  - rvgen_generate() is a pure function of (seed, opts): the same inputs give the
 *    same program, byte for byte, on every host.
 *  - Every generated program terminates on a core that follows the contract of
 *    DESIGN.md §2: all backward control flow is a counted loop on a reserved
 *    register or a structured jump pattern, every other jump or branch goes
 *    forward over whole items, and trapping instructions continue at pc+4.
 *    It ends with `li a0, 0; ebreak` (exit code 0).
 *  - Memory use stays inside the map: loads anywhere in RAM or from the UART and
 *    bench-marker words, stores only to the data windows, the UART and the markers.
 *    Nothing is written to code (no self-modifying code).
 *  - Layout: the program uses the whole 1 MiB RAM. Its code is a chain of
 *    segments, each ending in a far jump to the next (jal, lui/auipc + jalr),
 *    placed at random addresses: some straddle a 64 KiB-multiple boundary (so
 *    sequential fetch carries into the high PC bits), some jump to a target that
 *    differs from the jump's own PC only in bits 16..19, and some small ones are
 *    copied to 2..4 addresses that differ only in bits 16..19 (the same branches
 *    at aliasing PCs with targets that differ only in high bits, for predictors).
 *    The first segment starts at RVGEN_TEXT_BASE (entry = reset PC 0). Data lives
 *    in RVGEN_DATA_WINDOWS random-initialised windows of RVGEN_DATA_SIZE bytes
 *    anywhere in RAM (often at addresses that differ only in high bits).
 *  - rvgen_special() builds the tiny programs the harness's own tests need
 *    (an out-of-bounds store/load, a program that never halts).
 *  - Functions return 0, or -1 with errno set; nothing prints.
 */
#ifndef RVGEN_RVGEN_H
#define RVGEN_RVGEN_H

#include <stddef.h>
#include <stdint.h>

#define RVGEN_TEXT_BASE 0x00000000u
#define RVGEN_RAM_SIZE 0x00100000u /* DESIGN.md §2: 1 MiB of RAM at 0 */
#define RVGEN_DATA_SIZE 0x1000u
#define RVGEN_DATA_WINDOWS 3
#define RVGEN_DICT_SWEEP_MAX 512u
#define RVGEN_MAX_WORDS 0x10000u /* 256 KiB of code at most (copies included): a quarter of RAM */

typedef struct {
    unsigned items;     /* top-level items (an item is 1..~60 instructions); 0 = default 600 */
    unsigned max_loops; /* iterations per counted loop, 1..max; 0 = default 5 */
    /* Operand values the design names (rvgen_dict.h), or none. With one, the
     * program first sweeps it (each of its first RVGEN_DICT_SWEEP_MAX values
     * meets every R-type M and ALU operation as rs1 and as rs2, the other
     * operand random), then half of the random values, and half of the ALU
     * and M operands (loaded just before the instruction), come from it. A
     * program is a pure function of (seed, opts, dict); without a dictionary
     * it is what it always was for that seed. */
    const uint32_t *dict;
    size_t ndict;
} rvgen_opts;

/* One loadable range: code (exec) or a data window, size a multiple of 4. */
typedef struct {
    uint32_t addr;
    uint8_t *bytes;
    size_t size;
    int exec;
} rvgen_region;

typedef struct {
    rvgen_region *regions; /* sorted by address, never overlapping */
    size_t nregions;
    uint32_t data_base[RVGEN_DATA_WINDOWS]; /* the data windows (0 when there are none) */
    size_t ndata;                           /* how many of them exist */
} rvgen_prog;

typedef enum {
    RVGEN_OOB_STORE, /* a word store to 0x20000000 */
    RVGEN_OOB_LOAD,  /* a word load from 0x20000000 */
    RVGEN_SPIN,      /* `j .` forever after a few instructions */
    RVGEN_EXIT3      /* halts with exit code 3 */
} rvgen_kind;

int rvgen_generate(uint64_t seed, const rvgen_opts *opts, rvgen_prog *out);
int rvgen_special(rvgen_kind kind, rvgen_prog *out);
/* "oob-store", "oob-load", "spin", "exit3" -> kind; -1 when unknown. */
int rvgen_kind_parse(const char *name);
void rvgen_free(rvgen_prog *p);

/* Instruction words in code regions (counting every copy). */
size_t rvgen_text_words(const rvgen_prog *p);

/* Writes p as an ELF32 RISC-V executable (entry 0, one PT_LOAD per region). */
int rvgen_write_elf(const char *path, const rvgen_prog *p);

#endif
