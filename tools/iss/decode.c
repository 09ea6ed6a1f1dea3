/* decode — RV32IM instruction word -> iss_dec (see iss_internal.h).
 * Written from the RISC-V unprivileged spec (RV32I base, M extension): every
 * field that distinguishes instructions (opcode, funct3, funct7, and the whole
 * word for EBREAK) is checked, and anything else is OP_ILLEGAL. */
#include "iss/iss_internal.h"

/* Sign-extends the low `bits` bits of x using only unsigned arithmetic. */
static uint32_t sext(uint32_t x, unsigned bits)
{
    uint32_t sign = 1u << (bits - 1);
    x &= (sign << 1) - 1u;
    return (x ^ sign) - sign;
}

static uint32_t imm_i(uint32_t w) { return sext(w >> 20, 12); }
static uint32_t imm_s(uint32_t w) { return sext(((w >> 25) << 5) | ((w >> 7) & 0x1Fu), 12); }
static uint32_t imm_b(uint32_t w)
{
    return sext(((w >> 31) << 12) | (((w >> 7) & 1u) << 11) | (((w >> 25) & 0x3Fu) << 5) |
                    (((w >> 8) & 0xFu) << 1),
                13);
}
static uint32_t imm_j(uint32_t w)
{
    return sext(((w >> 31) << 20) | (((w >> 12) & 0xFFu) << 12) | (((w >> 20) & 1u) << 11) |
                    (((w >> 21) & 0x3FFu) << 1),
                21);
}

/* A control-transfer target the fast handlers may use directly. */
static bool target_ok(uint32_t t) { return (t & 3u) == 0 && t < ISS_RAM_SIZE; }

static unsigned decode_op_imm(uint32_t f3, uint32_t f7)
{
    static const unsigned ops[8] = {OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
                                    OP_XORI, OP_SRLI, OP_ORI,  OP_ANDI};
    if (f3 == 1)
        return f7 == 0 ? OP_SLLI : OP_ILLEGAL;
    if (f3 == 5)
        return f7 == 0 ? OP_SRLI : f7 == 0x20 ? OP_SRAI : OP_ILLEGAL;
    return ops[f3];
}

static unsigned decode_op(uint32_t f3, uint32_t f7)
{
    static const unsigned base[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
                                     OP_XOR, OP_SRL, OP_OR,  OP_AND};
    static const unsigned mext[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
                                     OP_DIV, OP_DIVU, OP_REM,    OP_REMU};
    if (f7 == 0)
        return base[f3];
    if (f7 == 1)
        return mext[f3];
    if (f7 == 0x20 && f3 == 0)
        return OP_SUB;
    if (f7 == 0x20 && f3 == 5)
        return OP_SRA;
    return OP_ILLEGAL;
}

void iss_decode(iss_dec *d, uint32_t w, uint32_t pc)
{
    uint32_t f3 = (w >> 12) & 7u, f7 = w >> 25;
    uint32_t rd = (w >> 7) & 0x1Fu;
    unsigned op = OP_ILLEGAL;
    uint32_t imm = 0, t;

    d->rs1 = (uint8_t)((w >> 15) & 0x1Fu);
    d->rs2 = (uint8_t)((w >> 20) & 0x1Fu);
    switch (w & 0x7Fu) {
    case 0x37: /* LUI */
        op = OP_LI, imm = w & 0xFFFFF000u;
        break;
    case 0x17: /* AUIPC */
        op = OP_LI, imm = pc + (w & 0xFFFFF000u);
        break;
    case 0x6F: /* JAL */
        t = pc + imm_j(w);
        if (target_ok(t))
            op = OP_JAL, imm = t >> 2;
        else
            op = OP_JAL_FAR, imm = t;
        break;
    case 0x67: /* JALR */
        if (f3 == 0)
            op = OP_JALR, imm = imm_i(w);
        break;
    case 0x63: /* BRANCH */
        if (f3 == 2 || f3 == 3)
            break;
        t = pc + imm_b(w);
        if (target_ok(t)) {
            static const unsigned ops[8] = {OP_BEQ, OP_BNE, 0, 0, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU};
            op = ops[f3], imm = t >> 2;
        } else {
            op = OP_BRANCH_FAR, imm = t;
            rd = f3; /* the far handler's condition; rd is not written */
        }
        break;
    case 0x03: { /* LOAD */
        static const unsigned ops[8] = {OP_LB, OP_LH, OP_LW, OP_ILLEGAL,
                                        OP_LBU, OP_LHU, OP_ILLEGAL, OP_ILLEGAL};
        op = ops[f3], imm = imm_i(w);
        break;
    }
    case 0x23: { /* STORE */
        static const unsigned ops[8] = {OP_SB, OP_SH, OP_SW, OP_ILLEGAL,
                                        OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL};
        op = ops[f3], imm = imm_s(w);
        break;
    }
    case 0x13: /* OP-IMM; for shifts imm[11:5] is funct7 and imm[4:0] the shamt */
        op = decode_op_imm(f3, f7);
        imm = (f3 == 1 || f3 == 5) ? ((w >> 20) & 0x1Fu) : imm_i(w);
        break;
    case 0x33: /* OP */
        op = decode_op(f3, f7);
        break;
    case 0x0F: /* MISC-MEM: FENCE (000), FENCE.I (001). The spec reserves their
                  other fields and tells implementations to ignore them. */
        if (f3 == 0 || f3 == 1)
            op = OP_FENCE;
        break;
    case 0x73: /* SYSTEM: only EBREAK is legal here */
        if (w == ISS_EBREAK)
            op = OP_EBREAK;
        break;
    default:
        break;
    }
    if (op == OP_ILLEGAL) {
        imm = 0;
        rd = 0;
    }
    d->op = (uint8_t)op;
    d->imm = imm;
    if (iss_op_writes_rd(op) && rd == 0)
        rd = ISS_RD_SINK;
    d->rd = (uint8_t)rd;
}

uint8_t iss_op_uses(unsigned op)
{
    switch (op) {
    case OP_JALR:
    case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU:
    case OP_ADDI: case OP_SLTI: case OP_SLTIU: case OP_XORI: case OP_ORI:
    case OP_ANDI: case OP_SLLI: case OP_SRLI: case OP_SRAI:
        return ISS_USES_RS1;
    case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
    case OP_BRANCH_FAR:
    case OP_SB: case OP_SH: case OP_SW:
    case OP_ADD: case OP_SUB: case OP_SLL: case OP_SLT: case OP_SLTU:
    case OP_XOR: case OP_SRL: case OP_SRA: case OP_OR: case OP_AND:
    case OP_MUL: case OP_MULH: case OP_MULHSU: case OP_MULHU:
    case OP_DIV: case OP_DIVU: case OP_REM: case OP_REMU:
        return ISS_USES_RS1 | ISS_USES_RS2;
    default: /* LUI, AUIPC, JAL, FENCE, EBREAK, illegal */
        return 0;
    }
}

bool iss_op_writes_rd(unsigned op)
{
    switch (op) {
    case OP_LI: case OP_JAL: case OP_JAL_FAR: case OP_JALR:
    case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU:
        return true;
    default:
        return op >= OP_ADDI && op < OP_COUNT;
    }
}
