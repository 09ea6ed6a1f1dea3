/* iss_internal — private to tools/iss: the predecoded instruction format
 * shared by the decoder (decode.c), the interpreter (iss.c, exec.inc) and
 * the disassembler (disasm.c).
 *
 * Contract:
 *  - iss_decode() turns one instruction word at a known pc into a dec_t. It is
 *    the only place that decides whether an encoding is legal, so execution
 *    and disassembly always agree.
 *  - The decode cache holds one dec_t per RAM word plus one sentinel past the
 *    end (OP_FETCH_FAULT) for a fall-through off the top of RAM. op OP_DECODE
 *    (0, what calloc/memset give) means "not decoded yet": the interpreter
 *    decodes on first execution, and every RAM store resets the entry of the
 *    word it touches, so the cache can never run stale code written by the
 *    program itself. Writes to s->mem from outside need iss_invalidate().
 */
#ifndef ISS_INTERNAL_H
#define ISS_INTERNAL_H

#include <stdint.h>

#include "iss/iss.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "tools/iss keeps RV32 memory in host byte order: it needs a little-endian host"
#endif

/* Dummy register slot: decode maps rd=x0 here, so handlers write
 * unconditionally and x0 stays 0 without a check. */
#define ISS_RD_SINK 32u

enum iss_op {
    OP_DECODE = 0,  /* not decoded yet (must stay 0) */
    OP_FETCH_FAULT, /* sentinel past the end of RAM */
    OP_ILLEGAL,     /* any encoding outside RV32IM (+EBREAK, FENCE): trap */
    OP_EBREAK,
    OP_FENCE,       /* FENCE, FENCE.I: no-ops */
    OP_LI,          /* LUI and AUIPC: rd = imm (AUIPC's pc+imm folded at decode) */
    OP_JAL,         /* imm = target word index (target aligned and in RAM) */
    OP_JAL_FAR,     /* imm = target address, misaligned or outside RAM */
    OP_JALR,
    OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU, /* imm = target word index */
    OP_BRANCH_FAR,  /* rd = funct3, imm = target address, misaligned or outside RAM */
    OP_LB, OP_LH, OP_LW, OP_LBU, OP_LHU,
    OP_SB, OP_SH, OP_SW,
    OP_ADDI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI,
    OP_ADD, OP_SUB, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_SRA, OP_OR, OP_AND,
    OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU,
    OP_COUNT
};

/* 8 bytes: a cache line holds 8 instructions. rd is ISS_RD_SINK for x0;
 * rs1/rs2 are architectural (x0 reads the always-zero slot 0). */
typedef struct {
    uint8_t op, rd, rs1, rs2;
    uint32_t imm;
} iss_dec;

typedef struct {
    iss_dec *dc; /* ISS_RAM_SIZE/4 + 1 entries */
} iss_priv;

#define ISS_NWORDS (ISS_RAM_SIZE / 4u)

/* Decodes insn fetched at pc (pc is needed to fold AUIPC and branch/JAL targets). */
void iss_decode(iss_dec *d, uint32_t insn, uint32_t pc);

/* ISS_USES_* bits of an op, and whether it writes rd (when it does not trap). */
uint8_t iss_op_uses(unsigned op);
bool iss_op_writes_rd(unsigned op);

#endif /* ISS_INTERNAL_H */
