/* rvenc — encoders for RV32 instruction words (the six base formats of the
 * RISC-V unprivileged spec), for code that builds programs in memory: the
 * ISS unit tests and the synthetic benchmark loop.
 *
 * Contract: pure functions, no checks — the caller passes fields that fit
 * (registers 0..31, immediates in range; B/J offsets even). Immediates are
 * the signed offsets as written in assembly.
 */
#ifndef ISS_RVENC_H
#define ISS_RVENC_H

#include <stdint.h>

static inline uint32_t rvenc_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd,
                               uint32_t opc)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static inline uint32_t rvenc_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc)
{
    return (((uint32_t)imm & 0xFFFu) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static inline uint32_t rvenc_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc)
{
    uint32_t u = (uint32_t)imm;
    return (((u >> 5) & 0x7Fu) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((u & 0x1Fu) << 7) | opc;
}

static inline uint32_t rvenc_b(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc)
{
    uint32_t u = (uint32_t)off;
    return (((u >> 12) & 1u) << 31) | (((u >> 5) & 0x3Fu) << 25) | (rs2 << 20) | (rs1 << 15) |
           (f3 << 12) | (((u >> 1) & 0xFu) << 8) | (((u >> 11) & 1u) << 7) | opc;
}

/* imm20 is the value of bits 31:12 (as in "lui rd, imm20"). */
static inline uint32_t rvenc_u(uint32_t imm20, uint32_t rd, uint32_t opc)
{
    return ((imm20 & 0xFFFFFu) << 12) | (rd << 7) | opc;
}

static inline uint32_t rvenc_j(int32_t off, uint32_t rd, uint32_t opc)
{
    uint32_t u = (uint32_t)off;
    return (((u >> 20) & 1u) << 31) | (((u >> 1) & 0x3FFu) << 21) | (((u >> 11) & 1u) << 20) |
           (((u >> 12) & 0xFFu) << 12) | (rd << 7) | opc;
}

/* Major opcodes. */
#define RV_LUI 0x37u
#define RV_AUIPC 0x17u
#define RV_JAL 0x6Fu
#define RV_JALR 0x67u
#define RV_BRANCH 0x63u
#define RV_LOAD 0x03u
#define RV_STORE 0x23u
#define RV_OP_IMM 0x13u
#define RV_OP 0x33u
#define RV_MISC_MEM 0x0Fu
#define RV_SYSTEM 0x73u

#endif /* ISS_RVENC_H */
