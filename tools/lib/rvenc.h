/* rvenc — RV32IM instruction encoders (RISC-V unprivileged spec, chapter 2 and 7)
 * for code that builds programs in memory: the random program generator
 * (tools/rvgen), the ISS's synthetic benchmark loop and its unit tests.
 *
 * Contract: pure functions from fields to a 32-bit instruction word. Every
 * field (immediates, registers, funct3/funct7, opcode) is taken modulo its
 * width, so an out-of-range argument never spills into a neighbour (the
 * caller keeps them in range); branch
 * and jump offsets are byte offsets whose bit 0 is dropped, so an offset with
 * bit 1 set encodes a target that is misaligned for a core without C.
 */
#ifndef LIB_RVENC_H
#define LIB_RVENC_H

#include <stdint.h>

enum {
    RV_OP_LOAD = 0x03, RV_OP_MISC_MEM = 0x0F, RV_OP_IMM = 0x13, RV_OP_AUIPC = 0x17,
    RV_OP_STORE = 0x23, RV_OP_OP = 0x33, RV_OP_LUI = 0x37, RV_OP_BRANCH = 0x63,
    RV_OP_JALR = 0x67, RV_OP_JAL = 0x6F, RV_OP_SYSTEM = 0x73
};

static inline uint32_t rv_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3,
                            uint32_t rd, uint32_t op)
{
    return (f7 & 0x7Fu) << 25 | (rs2 & 31u) << 20 | (rs1 & 31u) << 15 | (f3 & 7u) << 12 |
           (rd & 31u) << 7 | (op & 0x7Fu);
}

static inline uint32_t rv_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op)
{
    return ((uint32_t)imm & 0xFFFu) << 20 | (rs1 & 31u) << 15 | (f3 & 7u) << 12 |
           (rd & 31u) << 7 | (op & 0x7Fu);
}

static inline uint32_t rv_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t op)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 5) & 0x7Fu) << 25 | (rs2 & 31u) << 20 | (rs1 & 31u) << 15 |
           (f3 & 7u) << 12 | (u & 31u) << 7 | (op & 0x7Fu);
}

static inline uint32_t rv_b(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 12) & 1u) << 31 | ((u >> 5) & 0x3Fu) << 25 | (rs2 & 31u) << 20 |
           (rs1 & 31u) << 15 | (f3 & 7u) << 12 | ((u >> 1) & 0xFu) << 8 |
           ((u >> 11) & 1u) << 7 | RV_OP_BRANCH;
}

static inline uint32_t rv_u(uint32_t imm20, uint32_t rd, uint32_t op)
{
    return (imm20 & 0xFFFFFu) << 12 | (rd & 31u) << 7 | (op & 0x7Fu);
}

static inline uint32_t rv_j(int32_t off, uint32_t rd)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 20) & 1u) << 31 | ((u >> 1) & 0x3FFu) << 21 | ((u >> 11) & 1u) << 20 |
           ((u >> 12) & 0xFFu) << 12 | (rd & 31u) << 7 | RV_OP_JAL;
}

/* Common instructions. */
static inline uint32_t rv_addi(uint32_t rd, uint32_t rs1, int32_t imm)
{
    return rv_i(imm, rs1, 0, rd, RV_OP_IMM);
}
static inline uint32_t rv_add(uint32_t rd, uint32_t rs1, uint32_t rs2)
{
    return rv_r(0, rs2, rs1, 0, rd, RV_OP_OP);
}
static inline uint32_t rv_lui(uint32_t rd, uint32_t imm20) { return rv_u(imm20, rd, RV_OP_LUI); }
static inline uint32_t rv_jalr(uint32_t rd, uint32_t rs1, int32_t imm)
{
    return rv_i(imm, rs1, 0, rd, RV_OP_JALR);
}

#define RV_EBREAK 0x00100073u
#define RV_ECALL 0x00000073u
#define RV_MRET 0x30200073u
#define RV_WFI 0x10500073u
#define RV_FENCE_I 0x0000100Fu
#define RV_FENCE_TSO 0x8330000Fu

#endif
