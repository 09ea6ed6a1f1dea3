/* rvgen.c — the random program generator; see rvgen.h for the contract.
 *
 * A program is a prologue (every register gets a random or corner-case value),
 * a sequence of "items" and an epilogue (li a0,0; ebreak). An item is either a
 * straight-line snippet (ALU, M, load, store, UART/marker access, fence, an
 * illegal encoding) or a structured control item whose body is itself a list of
 * items:
 *   skip      bcc/jal/jalr forward over a body (the body may be dead code)
 *   loop      li cnt,n; body; addi cnt,cnt,-1; b<cond> cnt -> top (cnt reserved)
 *   backjump  j A; B: body; j C; A: body; jal rd,B; C:
 * Because a body is only ever entered at its first instruction (or skipped
 * whole) and only counted loops branch backwards, every program terminates.
 * Registers: x31 points into the middle of data window 0, x30/x29 are the
 * loop counters of nesting levels 0/1, x28 is the address scratch register;
 * random results go to x0..x27. Sources are drawn mostly from the last four
 * destinations, so hazards at distances 1..4 (and load-use) are frequent.
 *
 * Whole-map layout: top-level items are grouped into segments; every segment
 * body ends in a two-word link (a far jump) to the next one in the chain, and
 * the last ends with the epilogue. Bodies are generated one after another in
 * one buffer; a segment is placed (rvgen_map) as soon as its body is complete,
 * which also fixes the target of the previous link. Only pc-relative code is
 * generated, so a body runs the same at any address; its copies differ only in
 * what auipc/jal write. Data windows are placed first, outside the first
 * 64 KiB where segment 0 (the prologue, entry at 0) goes.
 */
#include "rvgen/rvgen.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rvenc.h"
#include "rvgen/rvgen_map.h"

enum {
    REG_A0 = 10,
    REG_FREE_MAX = 27, /* x1..x27 take random results */
    REG_TMP = 28,
    REG_CNT1 = 29,
    REG_CNT0 = 30,
    REG_DBASE = 31,
    MAX_NEST = 3,      /* structured items inside structured items */
    MAX_LOOP_DEPTH = 2, /* one counter register per level */
    LINK_WORDS = 2,     /* a segment's far jump: jal + filler, or lui/auipc + jalr */
    SEG_MAX_WORDS = 2048, /* a segment body stops growing here (plus one item) */
    MAX_SPLITS = 16,    /* remembered places where a segment may straddle a boundary */
    MAX_COPIES = 4
};

/* Segment 0 (prologue + up to SEG_MAX_WORDS + one item) fits below this; data
 * windows go above it. */
#define LOW_RESERVE 0x10000u

/* One placement of a segment body: body words [start, start + n) of the buffer at
 * base, followed (unless it is the last) by its link to the next placement. */
typedef struct {
    size_t start, n;
    uint32_t base;
    uint32_t link[LINK_WORDS];
    uint32_t link_kind, link_rd;
    bool last;
} gen_place;

typedef struct {
    uint64_t rng;
    uint32_t *text;
    size_t n, cap;
    uint8_t hist[4]; /* the last destinations, hist[0] the most recent */
    unsigned max_loops;
    int loop_depth, nest;
    bool oom;
    rvgen_map map;
    uint32_t win[RVGEN_DATA_WINDOWS]; /* data window bases; win[0] is x31's */
    gen_place *place;
    size_t nplace, place_cap;
    size_t extra_words;            /* link words and copies, on top of n */
    size_t split[MAX_SPLITS];      /* body offsets after a straight-line top-level item */
    unsigned nsplit, nsplit_seen;
    const uint32_t *dict;          /* operand values the design names (rvgen_dict.h) */
    size_t ndict, swept;           /* dict[0..swept) have had their sweep item */
} gen;

/* ---- randomness ---- */

static uint64_t gen_next(gen *g)
{
    /* xorshift64* — small, fast, and identical on every host */
    uint64_t x = g->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static uint32_t gen_below(gen *g, uint32_t n) { return (uint32_t)((gen_next(g) >> 32) % n); }
static bool gen_chance(gen *g, uint32_t num, uint32_t den) { return gen_below(g, den) < num; }
static uint32_t gen_u32(gen *g) { return (uint32_t)(gen_next(g) >> 32); }

static uint64_t gen_seed_mix(uint64_t seed)
{
    /* splitmix64 finaliser: nearby seeds give unrelated streams, never 0 */
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return z ? z : 1;
}

/* A value that is often a corner case for ALU, M and compare logic (or,
 * with a dictionary, one the design itself compares against). */
static uint32_t gen_value(gen *g)
{
    if (g->ndict && gen_chance(g, 1, 2))
        return g->dict[gen_below(g, (uint32_t)g->ndict)];
    static const uint32_t corners[] = {0,          1,          0xFFFFFFFFu, 0x80000000u,
                                       0x7FFFFFFFu, 0x80000001u, 2,          0xFFFFFFFEu,
                                       0x0000FFFFu, 0xFFFF0000u, 0x00008000u, 0x00000080u,
                                       31,          32,          0x55555555u, 0xAAAAAAAAu};
    switch (gen_below(g, 4)) {
    case 0: return corners[gen_below(g, sizeof corners / sizeof corners[0])];
    case 1: return (uint32_t)((int32_t)gen_below(g, 64) - 32);
    default: return gen_u32(g);
    }
}

static int32_t gen_imm12(gen *g)
{
    static const int32_t corners[] = {0, 1, -1, 2047, -2048, 31, 32, -32, 0x7F, 0x80, 0xFF};
    switch (gen_below(g, 4)) {
    case 0: return corners[gen_below(g, sizeof corners / sizeof corners[0])];
    case 1: return (int32_t)gen_below(g, 32) - 16;
    default: return (int32_t)gen_below(g, 4096) - 2048;
    }
}

/* ---- registers ---- */

static void gen_wrote(gen *g, uint32_t rd)
{
    memmove(g->hist + 1, g->hist, sizeof g->hist - 1);
    g->hist[0] = (uint8_t)rd;
}

/* A destination for a random result: x1..x27, sometimes x0. */
static uint32_t gen_dst(gen *g)
{
    uint32_t rd = gen_chance(g, 1, 16) ? 0 : 1 + gen_below(g, REG_FREE_MAX);
    gen_wrote(g, rd);
    return rd;
}

/* A source: usually a recent destination (hazard distance 1..4), else any register. */
static uint32_t gen_src(gen *g)
{
    uint32_t r = gen_below(g, 16);
    if (r < 5) return g->hist[0];
    if (r < 7) return g->hist[1];
    if (r < 8) return g->hist[2];
    if (r < 9) return g->hist[3];
    if (r < 10) return 0;
    return gen_below(g, 32);
}

/* ---- emission ---- */

static size_t gen_emit(gen *g, uint32_t w)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        uint32_t *t = realloc(g->text, cap * sizeof *t);
        if (!t) {
            g->oom = true;
            return g->n;
        }
        g->text = t;
        g->cap = cap;
    }
    g->text[g->n] = w;
    return g->n++;
}

static void gen_li(gen *g, uint32_t rd, uint32_t v)
{
    uint32_t hi = (v + 0x800u) >> 12;
    int32_t lo = (int32_t)(v - (hi << 12));
    if (hi != 0)
        gen_emit(g, rv_lui(rd, hi));
    if (hi == 0 || lo != 0)
        gen_emit(g, rv_addi(rd, hi ? rd : 0, lo));
}

/* With a dictionary, half the time: a register loaded with one of its values
 * just before use, so that a unit's operand is exactly that value. Without
 * one, rs itself (and no random number is drawn: the programs of a seed stay
 * the same). */
static uint32_t gen_dict_src(gen *g, uint32_t rs, uint32_t keep)
{
    if (!g->ndict || gen_chance(g, 1, 2))
        return rs;
    uint32_t rd = 1 + gen_below(g, REG_FREE_MAX);
    if (rd == keep) /* the other operand, already chosen */
        rd = rd % REG_FREE_MAX + 1;
    gen_wrote(g, rd);
    gen_li(g, rd, g->dict[gen_below(g, (uint32_t)g->ndict)]);
    return rd;
}

/* Leave room for the epilogue and the biggest single item. */
static bool gen_full(const gen *g) { return g->oom || g->n + g->extra_words + 64 >= RVGEN_MAX_WORDS; }

/* ---- straight-line items ---- */

static void it_alu_r(gen *g)
{
    static const uint8_t f[][2] = {{0, 0},    {0x20, 0}, {0, 1}, {0, 2}, {0, 3},
                                   {0, 4},    {0, 5},    {0x20, 5}, {0, 6}, {0, 7}};
    uint32_t k = gen_below(g, 10);
    uint32_t rs1 = gen_src(g), rs2 = gen_src(g);
    rs1 = gen_dict_src(g, rs1, 0);
    rs2 = gen_dict_src(g, rs2, rs1);
    gen_emit(g, rv_r(f[k][0], rs2, rs1, f[k][1], gen_dst(g), RV_OP_OP));
}

static void it_alu_i(gen *g)
{
    uint32_t rs1 = gen_src(g);
    uint32_t f3 = gen_below(g, 8);
    int32_t imm = gen_imm12(g);
    if (f3 == 1)
        imm &= 31; /* slli */
    else if (f3 == 5)
        imm = (imm & 31) | (gen_chance(g, 1, 2) ? 0x400 : 0); /* srli / srai */
    gen_emit(g, rv_i(imm, rs1, f3, gen_dst(g), RV_OP_IMM));
}

static void it_upper(gen *g)
{
    uint32_t imm = gen_chance(g, 1, 4) ? (gen_chance(g, 1, 2) ? 0x80000u : 0xFFFFFu) : gen_u32(g);
    gen_emit(g, rv_u(imm, gen_dst(g), gen_chance(g, 1, 2) ? RV_OP_LUI : RV_OP_AUIPC));
}

static void it_const(gen *g)
{
    gen_li(g, gen_dst(g), gen_value(g));
}

static void it_muldiv(gen *g)
{
    uint32_t f3 = gen_below(g, 8);
    uint32_t rs1, rs2;
    switch (gen_below(g, 8)) {
    case 0: /* division by zero */
        rs1 = gen_src(g);
        rs2 = gen_dst(g);
        gen_emit(g, rv_addi(rs2, 0, 0));
        break;
    case 1: /* the one signed overflow: INT_MIN / -1 */
        rs1 = gen_dst(g);
        gen_emit(g, rv_lui(rs1, 0x80000));
        rs2 = gen_dst(g);
        gen_emit(g, rv_addi(rs2, 0, -1));
        break;
    default:
        rs1 = gen_src(g);
        rs2 = gen_src(g);
        rs1 = gen_dict_src(g, rs1, 0);
        rs2 = gen_dict_src(g, rs2, rs1);
        break;
    }
    gen_emit(g, rv_r(1, rs2, rs1, f3, gen_dst(g), RV_OP_OP));
}

/* Every R-type operation, M and ALU, with v as rs1 and then as rs2, the other
 * operand random: a unit that misbehaves for one operand value the RTL names
 * meets that value in every dictionary program, not by chance. */
static void it_dict_sweep(gen *g, uint32_t v)
{
    static const uint8_t alu[][2] = {{0, 0}, {0x20, 0}, {0, 1}, {0, 2}, {0, 3},
                                     {0, 4}, {0, 5},    {0x20, 5}, {0, 6}, {0, 7}};
    uint32_t ra = 1 + gen_below(g, REG_FREE_MAX), rb = ra % REG_FREE_MAX + 1;
    uint32_t rd = rb % REG_FREE_MAX + 1;
    gen_li(g, ra, v);
    gen_li(g, rb, gen_chance(g, 1, 4) ? gen_value(g) : gen_u32(g));
    for (int k = 0; k < 18; k++) {
        uint32_t f7 = k < 8 ? 1 : alu[k - 8][0], f3 = k < 8 ? (uint32_t)k : alu[k - 8][1];
        gen_emit(g, rv_r(f7, rb, ra, f3, rd, RV_OP_OP));
        gen_emit(g, rv_r(f7, ra, rb, f3, rd, RV_OP_OP));
    }
    gen_wrote(g, ra);
    gen_wrote(g, rb);
    gen_wrote(g, rd);
}

/* Width in bytes of a load/store funct3 (bit 2 is the unsigned flag of loads). */
static uint32_t mem_width(uint32_t f3) { return 1u << (f3 & 3); }

/* Emits the address part of an access into the data region and returns the base
 * register; *imm receives the offset. misalign: the address may be misaligned. */
static uint32_t gen_data_addr(gen *g, uint32_t w, bool misalign, int32_t *imm)
{
    if (gen_chance(g, 1, 2)) {
        /* x31 + constant offset */
        int32_t off = (int32_t)(gen_below(g, RVGEN_DATA_SIZE / w) * w) - (int32_t)(RVGEN_DATA_SIZE / 2);
        if (misalign && w > 1)
            off += 1 + (int32_t)gen_below(g, w - 1);
        if (off > 2047)
            off -= (int32_t)w; /* stay encodable; still in the region */
        *imm = off;
        return REG_DBASE;
    }
    /* data-dependent: x28 = (src & mask) + x31, then a non-positive offset */
    uint32_t mask = misalign ? 0x7FFu : (0x7FFu & ~(w - 1));
    uint32_t src = gen_src(g);
    gen_emit(g, rv_i((int32_t)mask, src, 7, REG_TMP, RV_OP_IMM));
    gen_emit(g, rv_add(REG_TMP, REG_TMP, REG_DBASE));
    gen_wrote(g, REG_TMP);
    *imm = -(int32_t)(gen_below(g, 2048 / w + 1) * w);
    return REG_TMP;
}

static void it_load(gen *g)
{
    static const uint8_t f3s[] = {0, 1, 2, 4, 5};
    uint32_t f3 = f3s[gen_below(g, 5)];
    uint32_t w = mem_width(f3);
    bool misalign = w > 1 && gen_chance(g, 1, 8);
    uint32_t base;
    int32_t imm;
    if (gen_chance(g, 1, 6)) {
        /* anywhere in RAM, code included: x28 = src[19:0] */
        uint32_t src = gen_src(g);
        gen_emit(g, rv_i(12, src, 1, REG_TMP, RV_OP_IMM));
        gen_emit(g, rv_i(12, REG_TMP, 5, REG_TMP, RV_OP_IMM));
        gen_emit(g, rv_i(misalign ? -1 : -(int32_t)w, REG_TMP, 7, REG_TMP, RV_OP_IMM));
        gen_wrote(g, REG_TMP);
        base = REG_TMP;
        imm = 0;
    } else {
        base = gen_data_addr(g, w, misalign, &imm);
    }
    gen_emit(g, rv_i(imm, base, f3, gen_dst(g), RV_OP_LOAD));
}

static void it_store(gen *g)
{
    uint32_t f3 = gen_below(g, 3);
    uint32_t w = mem_width(f3);
    bool misalign = w > 1 && gen_chance(g, 1, 8);
    int32_t imm;
    uint32_t base = gen_data_addr(g, w, misalign, &imm);
    gen_emit(g, rv_s(imm, gen_src(g), base, f3, RV_OP_STORE));
}

/* A store, 0..2 ALU ops, then a load from the same word (any widths, so the
 * load may overlap the stored bytes fully, partly or not at all): exercises
 * store-to-load forwarding and store buffers. */
static void it_store_load(gen *g)
{
    static const uint8_t lf3s[] = {0, 1, 2, 4, 5};
    int32_t word = (int32_t)(gen_below(g, RVGEN_DATA_SIZE / 4) * 4) - (int32_t)(RVGEN_DATA_SIZE / 2);
    uint32_t sf3 = gen_below(g, 3), lf3 = lf3s[gen_below(g, 5)];
    uint32_t sw = mem_width(sf3), lw = mem_width(lf3);
    int32_t soff = word + (int32_t)(gen_below(g, 4 / sw) * sw);
    int32_t loff = word + (int32_t)(gen_below(g, 4 / lw) * lw);
    gen_emit(g, rv_s(soff, gen_src(g), REG_DBASE, sf3, RV_OP_STORE));
    for (uint32_t i = gen_below(g, 3); i > 0; i--)
        it_alu_r(g);
    gen_emit(g, rv_i(loff, REG_DBASE, lf3, gen_dst(g), RV_OP_LOAD));
}

/* An absolute access to any data window (lui x28 + 12-bit offset), sometimes
 * followed by a load from the same address: windows sit anywhere in RAM, often
 * at addresses that differ only in high bits, so a truncated address shows. */
static void it_far_mem(gen *g)
{
    static const uint8_t lf3s[] = {0, 1, 2, 4, 5};
    uint32_t win = g->win[gen_below(g, RVGEN_DATA_WINDOWS)];
    bool store = gen_chance(g, 1, 2);
    uint32_t f3 = store ? gen_below(g, 3) : lf3s[gen_below(g, 5)];
    uint32_t w = mem_width(f3);
    uint32_t addr = win + gen_below(g, RVGEN_DATA_SIZE / w) * w;
    uint32_t hi = (addr + 0x800u) >> 12;
    int32_t lo = (int32_t)(addr - (hi << 12));
    gen_emit(g, rv_lui(REG_TMP, hi));
    gen_wrote(g, REG_TMP);
    if (!store) {
        gen_emit(g, rv_i(lo, REG_TMP, f3, gen_dst(g), RV_OP_LOAD));
        return;
    }
    gen_emit(g, rv_s(lo, gen_src(g), REG_TMP, f3, RV_OP_STORE));
    if (gen_chance(g, 1, 3))
        gen_emit(g, rv_i(lo & ~(int32_t)3, REG_TMP, 2, gen_dst(g), RV_OP_LOAD));
}

/* The UART and the bench markers: stores print/mark, loads read 0. */
static void it_io(gen *g)
{
    gen_emit(g, rv_lui(REG_TMP, 0x10000));
    gen_wrote(g, REG_TMP);
    static const int32_t offs[] = {0, 0x100, 0x104};
    int32_t off = offs[gen_below(g, 3)];
    switch (gen_below(g, 4)) {
    case 0: gen_emit(g, rv_s(off, gen_src(g), REG_TMP, 0, RV_OP_STORE)); break;
    case 1: gen_emit(g, rv_s(off, gen_src(g), REG_TMP, 2, RV_OP_STORE)); break;
    case 2: gen_emit(g, rv_i(off, REG_TMP, 2, gen_dst(g), RV_OP_LOAD)); break;
    default: gen_emit(g, rv_i(off, REG_TMP, 4, gen_dst(g), RV_OP_LOAD)); break;
    }
}

static void it_fence(gen *g)
{
    switch (gen_below(g, 3)) {
    case 0: gen_emit(g, RV_FENCE_I); break;
    case 1: gen_emit(g, RV_FENCE_TSO); break;
    default: gen_emit(g, (gen_below(g, 256) << 20) | RV_OP_MISC_MEM); break; /* pred/succ */
    }
}

/* Encodings the contract makes trap: no write, continue at pc+4. */
static uint32_t gen_illegal_word(gen *g)
{
    static const uint8_t bad_ops[] = {0x07, 0x27, 0x2F, 0x0B, 0x2B, 0x1B, 0x3B, 0x43, 0x47, 0x4B,
                                      0x4F, 0x53, 0x57, 0x5B, 0x6B, 0x77, 0x7B, 0x7F, 0x1F, 0x3F};
    static const uint16_t csrs[] = {0x300, 0x305, 0x341, 0x342, 0x343, 0xC00, 0xC01, 0xC02, 0xF14, 0x7B0};
    uint32_t r = gen_u32(g);
    uint32_t rs1 = gen_below(g, 32), rd = gen_below(g, 32);
    switch (gen_below(g, 15)) {
    case 0: return RV_ECALL;
    case 1: return RV_MRET;
    case 2: return RV_WFI;
    case 3: { /* CSR instructions: funct3 1,2,3,5,6,7 */
        static const uint8_t f3s[] = {1, 2, 3, 5, 6, 7};
        uint32_t csr = gen_chance(g, 1, 4) ? (r >> 20) : csrs[gen_below(g, 10)];
        return rv_i((int32_t)csr, rs1, f3s[gen_below(g, 6)], rd, RV_OP_SYSTEM);
    }
    case 4: { /* any other SYSTEM word (funct3 0 or 4), never EBREAK */
        uint32_t w = (r & ~0x707Fu) | (gen_chance(g, 1, 2) ? 0x4000u : 0) | RV_OP_SYSTEM;
        return w == RV_EBREAK ? RV_ECALL : w;
    }
    case 5: return (r & ~0x7Fu) | bad_ops[gen_below(g, sizeof bad_ops)];
    case 6: return (r & ~3u) | gen_below(g, 3); /* 16-bit (compressed) encodings */
    case 7: { /* OP with a funct7 that names nothing */
        uint32_t f7 = gen_below(g, 128);
        uint32_t f3 = gen_below(g, 8);
        if (f7 == 0 || f7 == 1 || (f7 == 0x20 && (f3 == 0 || f3 == 5)))
            f7 = 0x20, f3 = 1 + gen_below(g, 4);
        return rv_r(f7, gen_below(g, 32), rs1, f3, rd, RV_OP_OP);
    }
    case 8: { /* shift-immediate with bad upper bits */
        uint32_t f3 = gen_chance(g, 1, 2) ? 1 : 5;
        uint32_t f7 = 1 + gen_below(g, 127);
        if (f3 == 5 && f7 == 0x20)
            f7 = 0x21;
        return rv_r(f7, gen_below(g, 32), rs1, f3, rd, RV_OP_IMM);
    }
    case 9: { static const uint8_t f3s[] = {3, 6, 7};
        return rv_i((int32_t)(r >> 20), rs1, f3s[gen_below(g, 3)], rd, RV_OP_LOAD); }
    case 10: return rv_s((int32_t)(r >> 20), rd, rs1, 3 + gen_below(g, 5), RV_OP_STORE);
    case 11: return rv_b((int32_t)(r & 0xFFCu), rd, rs1, 2 + gen_below(g, 2));
    case 12: return rv_i((int32_t)(r >> 20), rs1, 1 + gen_below(g, 7), rd, RV_OP_JALR);
    case 13: return rv_i((int32_t)(r >> 20), 0, 2 + gen_below(g, 6), 0, RV_OP_MISC_MEM);
    default: return gen_chance(g, 1, 2) ? 0x00000000u : 0xFFFFFFFFu;
    }
}

static void it_illegal(gen *g) { gen_emit(g, gen_illegal_word(g)); }

/* ---- structured control items ---- */

static void gen_items(gen *g, unsigned count);

/* Forward conditional branch over a body; sometimes to a misaligned target. */
static void it_branch_skip(gen *g)
{
    static const uint8_t conds[] = {0, 1, 4, 5, 6, 7};
    uint32_t f3 = conds[gen_below(g, 6)];
    uint32_t rs1 = gen_src(g), rs2 = gen_chance(g, 1, 8) ? rs1 : gen_src(g);
    size_t at = gen_emit(g, 0);
    gen_items(g, gen_below(g, 7));
    int32_t off = (int32_t)((g->n - at) * 4);
    if (gen_chance(g, 1, 12))
        off += 2;
    if (g->oom)
        return;
    g->text[at] = off <= 4094 ? rv_b(off, rs2, rs1, f3) : rv_j(off, 0);
}

/* jal forward over a body, writing a link register. */
static void it_jal_skip(gen *g)
{
    uint32_t rd = gen_chance(g, 1, 3) ? 0 : gen_chance(g, 1, 2) ? 1 : gen_dst(g);
    size_t at = gen_emit(g, 0);
    gen_items(g, gen_below(g, 5));
    int32_t off = (int32_t)((g->n - at) * 4);
    if (gen_chance(g, 1, 12))
        off += 2;
    if (!g->oom)
        g->text[at] = rv_j(off, rd);
}

/* jalr forward over a body, the base register written just before (distance 1).
 * Offsets +1 are legal (bit 0 is cleared); +2 and +3 give a misaligned target. */
static void it_jalr_skip(gen *g)
{
    bool via_auipc = gen_chance(g, 1, 2);
    if (via_auipc)
        gen_emit(g, rv_u(0, REG_TMP, RV_OP_AUIPC));
    else
        gen_emit(g, rv_j(4, REG_TMP)); /* jal x28, next: x28 = address of the jalr */
    gen_wrote(g, REG_TMP);
    size_t base_at = via_auipc ? g->n - 1 : g->n;
    uint32_t rd = gen_chance(g, 1, 3) ? 0 : gen_dst(g);
    size_t at = gen_emit(g, 0);
    gen_items(g, gen_below(g, 5));
    int32_t off = (int32_t)((g->n - base_at) * 4);
    uint32_t r = gen_below(g, 16);
    off += r == 0 ? 1 : r == 1 ? 2 : r == 2 ? 3 : 0;
    if (g->oom)
        return;
    g->text[at] = off <= 2047 ? rv_jalr(rd, REG_TMP, off) : rv_j((int32_t)((g->n - at) * 4), rd);
}

/* Counted loop on the level's reserved counter; the body never writes it. */
static void it_loop(gen *g)
{
    uint32_t cnt = g->loop_depth == 0 ? REG_CNT0 : REG_CNT1;
    uint32_t n = 1 + gen_below(g, g->max_loops);
    gen_emit(g, rv_addi(cnt, 0, (int32_t)n));
    size_t top = g->n;
    g->loop_depth++;
    gen_items(g, 2 + gen_below(g, 7));
    g->loop_depth--;
    uint32_t kind = gen_below(g, 4);
    /* the bge variant runs one extra iteration and exits at cnt = -1 */
    gen_emit(g, rv_addi(cnt, cnt, -1));
    int32_t back = -(int32_t)((g->n - top) * 4);
    if (back >= -4096) {
        switch (kind) {
        case 0: gen_emit(g, rv_b(back, 0, cnt, 1)); break;  /* bne cnt, x0 */
        case 1: gen_emit(g, rv_b(back, cnt, 0, 4)); break;  /* blt x0, cnt */
        case 2: gen_emit(g, rv_b(back, cnt, 0, 6)); break;  /* bltu x0, cnt */
        default: gen_emit(g, rv_b(back, 0, cnt, 5)); break; /* bge cnt, x0 */
        }
    } else {
        gen_emit(g, rv_b(8, 0, cnt, 0)); /* beq cnt, x0, +8 */
        gen_emit(g, rv_j(back - 4, 0));
    }
}

/* j A; B: body; j C; A: body; jal rd, B; C: — a backward jump that runs once. */
static void it_backjump(gen *g)
{
    size_t j_a = gen_emit(g, 0);
    size_t b = g->n;
    gen_items(g, 1 + gen_below(g, 3));
    size_t j_c = gen_emit(g, 0);
    size_t a = g->n;
    gen_items(g, 1 + gen_below(g, 3));
    uint32_t rd = gen_chance(g, 1, 2) ? 0 : gen_dst(g);
    size_t back = gen_emit(g, 0);
    if (g->oom)
        return;
    g->text[back] = rv_j(-(int32_t)((back - b) * 4), rd);
    g->text[j_a] = rv_j((int32_t)((a - j_a) * 4), 0);
    g->text[j_c] = rv_j((int32_t)((g->n - j_c) * 4), gen_chance(g, 1, 2) ? 0 : gen_dst(g));
}

/* One item; returns whether it was a structured control item. */
static bool gen_item(gen *g)
{
    if (gen_full(g))
        return false;
    if (g->swept < g->ndict) {
        it_dict_sweep(g, g->dict[g->swept++]);
        return false;
    }
    uint32_t r = gen_below(g, 100);
    bool ctl = g->nest < MAX_NEST;
    if (ctl && r >= 83) {
        g->nest++;
        if (r < 91)
            it_branch_skip(g);
        else if (r < 93)
            it_jal_skip(g);
        else if (r < 95)
            it_jalr_skip(g);
        else if (r < 99 && g->loop_depth < MAX_LOOP_DEPTH)
            it_loop(g);
        else
            it_backjump(g);
        g->nest--;
        return true;
    }
    r %= 83;
    if (r < 18) it_alu_r(g);
    else if (r < 34) it_alu_i(g);
    else if (r < 38) it_upper(g);
    else if (r < 50) it_muldiv(g);
    else if (r < 53) it_const(g);
    else if (r < 64) it_load(g);
    else if (r < 67) it_far_mem(g);
    else if (r < 73) it_store(g);
    else if (r < 77) it_store_load(g);
    else if (r < 78) it_io(g);
    else if (r < 82) it_illegal(g);
    else it_fence(g);
    return false;
}

static void gen_items(gen *g, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        gen_item(g);
}

static void gen_prologue(gen *g)
{
    for (uint32_t r = 1; r <= REG_FREE_MAX; r++)
        gen_li(g, r, gen_value(g));
    gen_li(g, REG_TMP, gen_value(g));
    gen_li(g, REG_CNT1, 0);
    gen_li(g, REG_CNT0, 0);
    gen_li(g, REG_DBASE, g->win[0] + RVGEN_DATA_SIZE / 2); /* a 12-bit offset reaches all of window 0 */
    for (int i = 0; i < 4; i++)
        g->hist[i] = (uint8_t)(1 + gen_below(g, REG_FREE_MAX));
}

/* ---- layout: data windows, segments, links ---- */

/* A random free 4 KiB-aligned window above LOW_RESERVE, preferring near, an
 * address that differs from it only in one of bits 16..19. */
static int gen_window(gen *g, uint32_t near, bool use_near, uint32_t *base)
{
    for (int tries = 0; tries < 64; tries++) {
        uint32_t a = use_near && tries < 8 ? near ^ (1u << (16 + gen_below(g, 4)))
                                           : LOW_RESERVE + gen_below(g, (RVGEN_RAM_SIZE - LOW_RESERVE) / RVGEN_DATA_SIZE) * RVGEN_DATA_SIZE;
        if (a >= LOW_RESERVE && rvgen_map_take(&g->map, a, RVGEN_DATA_SIZE) == 0) {
            *base = a;
            return 0;
        }
    }
    if (rvgen_map_first_fit(&g->map, RVGEN_DATA_SIZE, RVGEN_DATA_SIZE, base) != 0)
        return -1;
    return rvgen_map_take(&g->map, *base, RVGEN_DATA_SIZE);
}

static int gen_data(gen *g, rvgen_prog *out)
{
    for (int w = 0; w < RVGEN_DATA_WINDOWS; w++)
        if (gen_window(g, g->win[0], w > 0, &g->win[w]) != 0)
            return -1;
    out->regions = calloc(RVGEN_DATA_WINDOWS, sizeof *out->regions);
    if (!out->regions)
        return -1;
    for (int w = 0; w < RVGEN_DATA_WINDOWS; w++) {
        rvgen_region *r = &out->regions[out->nregions++];
        r->addr = g->win[w];
        r->size = RVGEN_DATA_SIZE;
        r->bytes = malloc(RVGEN_DATA_SIZE);
        if (!r->bytes)
            return -1;
        for (size_t i = 0; i < RVGEN_DATA_SIZE; i += 4) {
            uint32_t v = gen_chance(g, 1, 4) ? gen_value(g) : gen_u32(g);
            for (int b = 0; b < 4; b++)
                r->bytes[i + (size_t)b] = (uint8_t)(v >> (8 * b));
        }
        out->data_base[w] = g->win[w];
    }
    out->ndata = RVGEN_DATA_WINDOWS;
    return 0;
}

/* Address of the instruction that jumps in a placement's link. */
static uint32_t place_jump_pc(const gen_place *p)
{
    return p->base + 4u * (uint32_t)p->n + (p->link_kind >= 2 ? 4u : 0u);
}

/* Fills p's link so that it jumps to target. */
static void place_link(gen_place *p, uint32_t target)
{
    uint32_t pc = p->base + 4u * (uint32_t)p->n;
    uint32_t v = p->link_kind == 2 ? target : target - pc;
    uint32_t hi = (v + 0x800u) >> 12;
    int32_t lo = (int32_t)(v - (hi << 12));
    switch (p->link_kind) {
    case 0:
    case 1:
        p->link[0] = rv_j((int32_t)(target - pc), p->link_kind ? p->link_rd : 0);
        p->link[1] = 0; /* only ever fetched speculatively */
        break;
    case 2:
        p->link[0] = rv_lui(REG_TMP, hi & 0xFFFFFu);
        p->link[1] = rv_jalr(p->link_rd, REG_TMP, lo);
        break;
    default:
        p->link[0] = rv_u(hi & 0xFFFFFu, REG_TMP, RV_OP_AUIPC);
        p->link[1] = rv_jalr(p->link_rd, REG_TMP, lo);
        break;
    }
}

static gen_place *gen_new_place(gen *g)
{
    if (g->nplace == g->place_cap) {
        size_t cap = g->place_cap ? g->place_cap * 2 : 32;
        gen_place *p = realloc(g->place, cap * sizeof *p);
        if (!p) {
            g->oom = true;
            return NULL;
        }
        g->place = p;
        g->place_cap = cap;
    }
    gen_place *p = &g->place[g->nplace++];
    memset(p, 0, sizeof *p);
    return p;
}

/* Where a segment of size bytes might go: right across a 64 KiB-multiple
 * boundary (sequential fetch carries into the high PC bits), at the previous
 * link's PC with one of bits 16..19 flipped, or anywhere. */
static uint32_t gen_candidate(gen *g, uint32_t size)
{
    uint32_t r = gen_below(g, 3);
    if (r == 0 && g->nsplit > 0) {
        uint32_t bound = gen_chance(g, 1, 2) ? 0x40000u * (1 + gen_below(g, 3)) : 0x10000u * (1 + gen_below(g, 15));
        return bound - 4u * (uint32_t)g->split[gen_below(g, g->nsplit)];
    }
    if (r == 1 && g->nplace > 0)
        return place_jump_pc(&g->place[g->nplace - 1]) ^ (1u << (16 + gen_below(g, 4)));
    return gen_below(g, (RVGEN_RAM_SIZE - size) / 4 + 1) * 4;
}

/* Address masks of a segment's copies: one of bits 16..19, or all of bits 18..19. */
static unsigned gen_masks(gen *g, unsigned copies, uint32_t *mask)
{
    mask[0] = 0;
    if (copies == 2) {
        mask[1] = 1u << (16 + gen_below(g, 4));
        return 2;
    }
    for (unsigned i = 1; i < copies; i++)
        mask[i] = 0x40000u * i;
    return copies;
}

static bool gen_fits(const gen *g, uint32_t base, uint32_t size, const uint32_t *mask, unsigned copies)
{
    for (unsigned i = 0; i < copies; i++)
        if (!rvgen_map_is_free(&g->map, base ^ mask[i], size))
            return false;
    for (unsigned i = 0; i < copies; i++) /* the copies must not overlap each other */
        for (unsigned j = i + 1; j < copies; j++)
            if ((base ^ mask[i]) < (base ^ mask[j]) + size && (base ^ mask[j]) < (base ^ mask[i]) + size)
                return false;
    return true;
}

/* Places the segment body [start, g->n) (copies times unless it is the first or
 * the last), links the previous placement to it and its copies in a chain. */
static int gen_place_segment(gen *g, size_t start, unsigned copies, bool last)
{
    size_t n = g->n - start;
    uint32_t size = (uint32_t)(4 * (n + (last ? 0 : LINK_WORDS)));
    uint32_t mask[MAX_COPIES], base = 0;
    bool first = g->nplace == 0;
    copies = first || last ? 1 : gen_masks(g, copies, mask);
    mask[0] = 0;
    bool ok = first && gen_fits(g, 0, size, mask, 1);
    for (int tries = 0; !first && !ok && tries < 64; tries++) {
        base = gen_candidate(g, size) & ~3u;
        ok = gen_fits(g, base, size, mask, copies);
    }
    if (!ok) {
        copies = 1;
        if (first || rvgen_map_first_fit(&g->map, size, 4, &base) != 0) {
            errno = ENOSPC;
            return -1;
        }
    }
    for (unsigned i = 0; i < copies; i++) {
        uint32_t at = base ^ mask[i];
        if (rvgen_map_take(&g->map, at, size) != 0)
            return -1;
        if (g->nplace > 0)
            place_link(&g->place[g->nplace - 1], at);
        gen_place *p = gen_new_place(g);
        if (!p)
            return -1;
        p->start = start;
        p->n = n;
        p->base = at;
        p->last = last;
        p->link_kind = gen_below(g, 4);
        p->link_rd = p->link_kind == 0 ? 0 : gen_chance(g, 1, 2) ? 0 : 1 + gen_below(g, REG_FREE_MAX);
        g->extra_words += (i ? n : 0) + (last ? 0 : LINK_WORDS);
    }
    return 0;
}

/* Up to max top-level items into the current segment, remembering where a
 * straight-line item follows another (a place to straddle a boundary).
 * Returns how many were generated. */
static unsigned gen_segment_items(gen *g, size_t start, unsigned max)
{
    g->nsplit = g->nsplit_seen = 0;
    bool prev_straight = false;
    unsigned done = 0;
    while (done < max && !gen_full(g) && g->n - start < SEG_MAX_WORDS) {
        if (prev_straight) { /* reservoir sampling keeps a uniform choice */
            uint32_t k = g->nsplit_seen++ < MAX_SPLITS ? g->nsplit : gen_below(g, g->nsplit_seen);
            if (k < MAX_SPLITS) {
                g->split[k] = g->n - start;
                if (k == g->nsplit)
                    g->nsplit++;
            }
        }
        prev_straight = !gen_item(g);
        done++;
    }
    return done;
}

/* The placements as regions after the data windows, sorted by address. */
static int gen_regions(gen *g, rvgen_prog *out)
{
    rvgen_region *r = realloc(out->regions, (out->nregions + g->nplace) * sizeof *r);
    if (!r)
        return -1;
    out->regions = r;
    for (size_t i = 0; i < g->nplace; i++) {
        const gen_place *p = &g->place[i];
        size_t words = p->n + (p->last ? 0 : LINK_WORDS);
        rvgen_region *d = &out->regions[out->nregions];
        d->addr = p->base;
        d->exec = 1;
        d->size = words * 4;
        d->bytes = malloc(d->size);
        if (!d->bytes)
            return -1;
        out->nregions++;
        for (size_t w = 0; w < words; w++) {
            uint32_t v = w < p->n ? g->text[p->start + w] : p->link[w - p->n];
            for (int b = 0; b < 4; b++)
                d->bytes[4 * w + (size_t)b] = (uint8_t)(v >> (8 * b));
        }
    }
    for (size_t i = 1; i < out->nregions; i++) /* insertion sort: a few dozen regions */
        for (size_t j = i; j > 0 && out->regions[j].addr < out->regions[j - 1].addr; j--) {
            rvgen_region t = out->regions[j];
            out->regions[j] = out->regions[j - 1];
            out->regions[j - 1] = t;
        }
    return 0;
}

/* Segments until items are spent: mostly long ones, and (one in three) short
 * ones copied to 2..4 addresses that differ only in high bits. */
static int gen_segments(gen *g, unsigned items)
{
    size_t start = 0;
    for (;;) {
        unsigned copies = 1, max = 8 + gen_below(g, 73);
        if (g->nplace > 0 && gen_chance(g, 1, 3)) {
            copies = 2 + gen_below(g, 3);
            max = 1 + gen_below(g, 6);
        }
        items -= gen_segment_items(g, start, max < items ? max : items);
        bool last = items == 0 || gen_full(g);
        if (last) {
            gen_emit(g, rv_addi(REG_A0, 0, 0));
            gen_emit(g, RV_EBREAK);
        }
        if (g->oom || gen_place_segment(g, start, copies, last) != 0)
            return -1;
        if (last)
            return 0;
        start = g->n;
    }
}

static void gen_release(gen *g)
{
    free(g->text);
    free(g->place);
    rvgen_map_free(&g->map);
}

int rvgen_generate(uint64_t seed, const rvgen_opts *opts, rvgen_prog *out)
{
    memset(out, 0, sizeof *out);
    gen g = {.rng = gen_seed_mix(seed)};
    if (opts && opts->dict && opts->ndict) {
        g.dict = opts->dict;
        g.ndict = opts->ndict < RVGEN_DICT_SWEEP_MAX ? opts->ndict : RVGEN_DICT_SWEEP_MAX;
    }
    g.max_loops = opts && opts->max_loops ? opts->max_loops : 5;
    unsigned items = (opts && opts->items ? opts->items : 600) + (unsigned)g.ndict; /* the sweep items first */

    int rc = gen_data(&g, out);
    if (rc == 0) {
        gen_prologue(&g);
        rc = gen_segments(&g, items);
    }
    if (rc == 0 && g.oom) {
        errno = ENOMEM;
        rc = -1;
    }
    if (rc == 0)
        rc = gen_regions(&g, out);
    int e = errno;
    gen_release(&g);
    if (rc != 0)
        rvgen_free(out);
    errno = e;
    return rc;
}

size_t rvgen_text_words(const rvgen_prog *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nregions; i++)
        if (p->regions[i].exec)
            n += p->regions[i].size / 4;
    return n;
}

int rvgen_kind_parse(const char *name)
{
    static const char *const names[] = {"oob-store", "oob-load", "spin", "exit3"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int rvgen_special(rvgen_kind kind, rvgen_prog *out)
{
    memset(out, 0, sizeof *out);
    gen g = {.rng = 1};
    gen_li(&g, 5, 0x12345678u);
    gen_li(&g, 6, 0x20000000u);
    switch (kind) {
    case RVGEN_OOB_STORE: gen_emit(&g, rv_s(0, 5, 6, 2, RV_OP_STORE)); break;
    case RVGEN_OOB_LOAD: gen_emit(&g, rv_i(0, 6, 2, 7, RV_OP_LOAD)); break;
    case RVGEN_SPIN: gen_emit(&g, rv_j(0, 0)); break;
    case RVGEN_EXIT3: gen_li(&g, REG_A0, 3); break;
    default: errno = EINVAL; free(g.text); return -1;
    }
    if (kind != RVGEN_EXIT3)
        gen_emit(&g, rv_addi(REG_A0, 0, 0));
    gen_emit(&g, RV_EBREAK);
    out->regions = calloc(1, sizeof *out->regions);
    uint8_t *bytes = g.oom ? NULL : malloc(g.n * 4);
    if (!out->regions || !bytes) {
        free(g.text);
        free(bytes);
        free(out->regions);
        out->regions = NULL;
        errno = ENOMEM;
        return -1;
    }
    for (size_t w = 0; w < g.n; w++)
        for (int b = 0; b < 4; b++)
            bytes[4 * w + (size_t)b] = (uint8_t)(g.text[w] >> (8 * b));
    free(g.text);
    out->nregions = 1;
    out->regions[0] = (rvgen_region){.addr = RVGEN_TEXT_BASE, .bytes = bytes, .size = g.n * 4, .exec = 1};
    return 0;
}

void rvgen_free(rvgen_prog *p)
{
    for (size_t i = 0; i < p->nregions; i++)
        free(p->regions[i].bytes);
    free(p->regions);
    memset(p, 0, sizeof *p);
}
