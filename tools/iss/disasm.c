/* disasm — iss_disasm(): one RV32IM instruction as text with ABI register
 * names, operands as the GNU assembler writes them without aliases
 * ("addi a0, a0, 1", "lw a0, 8(sp)", "beq a0, a1, 0x1c" with the absolute
 * target). Legality comes from iss_decode(), so the text agrees with what
 * the ISS executes; illegal words print as "illegal 0x........", except the
 * SYSTEM instructions that trap here (ecall, mret, csr*), which keep their
 * names so a trace shows what the program attempted. */
#include <inttypes.h>
#include <stdio.h>

#include "iss/iss_internal.h"

static const char *const reg_name[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *iss_reg_name(unsigned r)
{
    return r < 32 ? reg_name[r] : "?";
}

static const char *op_name(unsigned op, uint32_t insn)
{
    static const char *const names[OP_COUNT] = {
        [OP_EBREAK] = "ebreak", [OP_JAL] = "jal", [OP_JAL_FAR] = "jal", [OP_JALR] = "jalr",
        [OP_BEQ] = "beq", [OP_BNE] = "bne", [OP_BLT] = "blt", [OP_BGE] = "bge",
        [OP_BLTU] = "bltu", [OP_BGEU] = "bgeu",
        [OP_LB] = "lb", [OP_LH] = "lh", [OP_LW] = "lw", [OP_LBU] = "lbu", [OP_LHU] = "lhu",
        [OP_SB] = "sb", [OP_SH] = "sh", [OP_SW] = "sw",
        [OP_ADDI] = "addi", [OP_SLTI] = "slti", [OP_SLTIU] = "sltiu", [OP_XORI] = "xori",
        [OP_ORI] = "ori", [OP_ANDI] = "andi", [OP_SLLI] = "slli", [OP_SRLI] = "srli",
        [OP_SRAI] = "srai", [OP_ADD] = "add", [OP_SUB] = "sub", [OP_SLL] = "sll",
        [OP_SLT] = "slt", [OP_SLTU] = "sltu", [OP_XOR] = "xor", [OP_SRL] = "srl",
        [OP_SRA] = "sra", [OP_OR] = "or", [OP_AND] = "and", [OP_MUL] = "mul",
        [OP_MULH] = "mulh", [OP_MULHSU] = "mulhsu", [OP_MULHU] = "mulhu", [OP_DIV] = "div",
        [OP_DIVU] = "divu", [OP_REM] = "rem", [OP_REMU] = "remu",
    };
    static const char *const branch[8] = {"beq", "bne", "?", "?", "blt", "bge", "bltu", "bgeu"};

    if (op == OP_LI)
        return (insn & 0x7Fu) == 0x37 ? "lui" : "auipc";
    if (op == OP_FENCE)
        return ((insn >> 12) & 7u) ? "fence.i" : "fence";
    if (op == OP_BRANCH_FAR)
        return branch[(insn >> 12) & 7u];
    return op < OP_COUNT ? names[op] : NULL;
}

/* Names the SYSTEM encodings that this ISS traps on; NULL for other words. */
static char *disasm_system(uint32_t insn, char *buf, size_t n)
{
    static const char *const csr[8] = {NULL, "csrrw", "csrrs", "csrrc",
                                       NULL, "csrrwi", "csrrsi", "csrrci"};
    uint32_t f3 = (insn >> 12) & 7u, rd = (insn >> 7) & 0x1Fu, rs1 = (insn >> 15) & 0x1Fu;

    if ((insn & 0x7Fu) != 0x73)
        return NULL;
    if (insn == 0x00000073u)
        snprintf(buf, n, "ecall");
    else if (insn == 0x30200073u)
        snprintf(buf, n, "mret");
    else if (insn == 0x10500073u)
        snprintf(buf, n, "wfi");
    else if (csr[f3] && f3 < 4)
        snprintf(buf, n, "%s %s, 0x%03" PRIx32 ", %s", csr[f3], reg_name[rd], insn >> 20,
                 reg_name[rs1]);
    else if (csr[f3])
        snprintf(buf, n, "%s %s, 0x%03" PRIx32 ", %" PRIu32, csr[f3], reg_name[rd], insn >> 20,
                 rs1);
    else
        return NULL;
    return buf;
}

char *iss_disasm(uint32_t insn, uint32_t pc, char *buf, size_t n)
{
    iss_dec d;
    unsigned op;
    const char *name, *rd, *rs1, *rs2;
    int32_t simm;
    uint32_t target;

    if (!buf || n == 0)
        return buf;
    iss_decode(&d, insn, pc);
    op = d.op;
    name = op_name(op, insn);
    rd = reg_name[(insn >> 7) & 0x1Fu];
    rs1 = reg_name[d.rs1];
    rs2 = reg_name[d.rs2];
    simm = (int32_t)d.imm;
    target = (op == OP_JAL || (op >= OP_BEQ && op <= OP_BGEU)) ? d.imm << 2 : d.imm;

    if (op == OP_ILLEGAL) {
        if (!disasm_system(insn, buf, n))
            snprintf(buf, n, "illegal 0x%08" PRIx32, insn);
        return buf;
    }
    switch (op) {
    case OP_EBREAK:
    case OP_FENCE:
        snprintf(buf, n, "%s", name);
        break;
    case OP_LI:
        snprintf(buf, n, "%s %s, 0x%" PRIx32, name, rd, insn >> 12);
        break;
    case OP_JAL:
    case OP_JAL_FAR:
        snprintf(buf, n, "%s %s, 0x%" PRIx32, name, rd, target);
        break;
    case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
    case OP_BRANCH_FAR:
        snprintf(buf, n, "%s %s, %s, 0x%" PRIx32, name, rs1, rs2, target);
        break;
    case OP_JALR:
    case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU:
        snprintf(buf, n, "%s %s, %" PRId32 "(%s)", name, rd, simm, rs1);
        break;
    case OP_SB: case OP_SH: case OP_SW:
        snprintf(buf, n, "%s %s, %" PRId32 "(%s)", name, rs2, simm, rs1);
        break;
    case OP_ADDI: case OP_SLTI: case OP_SLTIU: case OP_XORI: case OP_ORI: case OP_ANDI:
    case OP_SLLI: case OP_SRLI: case OP_SRAI:
        snprintf(buf, n, "%s %s, %s, %" PRId32, name, rd, rs1, simm);
        break;
    default: /* register-register */
        snprintf(buf, n, "%s %s, %s, %s", name, rd, rs1, rs2);
        break;
    }
    return buf;
}
