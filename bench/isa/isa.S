/* isa.S - the project's RV32IM ISA test set (DESIGN.md §2).
 *
 * Every RV32IM instruction with its edge cases, and every trap case of the
 * platform's trap policy (illegal encodings, ECALL, CSR instructions, xRET,
 * WFI, misaligned loads/stores, misaligned taken branch/JAL/JALR targets:
 * retire, write nothing, continue at pc+4).  isa_run() is called by
 * isa_main.c, which prints the results.
 *
 * Expected values are constants worked out by hand from the RISC-V
 * unprivileged specification (the working is in the comments where it is not
 * obvious).  Code addresses are checked against link-time constants built
 * with lui %hi / addi %lo, which never go through AUIPC or JAL.
 *
 * Framework (registers t4, t5, t6 belong to it; tests never use them, nor sp):
 *   TEST "name"         starts the next test (numbered 1, 2, ... in order)
 *   CHECK reg, value    compares reg with a constant; on mismatch calls
 *                       isa_fail (link in t4, got in t5, expected in t6),
 *                       which logs it in isa_state and counts the test once.
 * Building with -DISA_SELFCHECK_BROKEN flips one expected value, to prove
 * that the set can fail (test/bench/programs.sh runs that variant).
 */
#include "isa.h"

#define SENT 0xBAADF00D

/* No linker relaxation: `la` must stay pc-relative (auipc + addi), never
 * become gp-relative, because one test overwrites gp. */
    .option norelax

    .set .Lisa_num, 0

    .pushsection .rodata.isa_tab, "a"
    .balign 4
    .globl isa_tab
isa_tab:
    .popsection

.macro TEST name
    .set .Lisa_num, .Lisa_num + 1
    .pushsection .rodata.isa_names, "a"
.Lname\@:
    .asciz "\name"
    .popsection
    .pushsection .rodata.isa_tab, "a"
    .word .Lisa_num, .Lname\@
    .popsection
    li t6, .Lisa_num
    la t5, isa_state
    sw t6, ISA_ST_CUR(t5)
    lw t6, ISA_ST_RAN(t5)
    addi t6, t6, 1
    sw t6, ISA_ST_RAN(t5)
.endm

.macro CHECK reg, exp
    mv t5, \reg
    li t6, \exp
    beq t5, t6, .Lok\@
    jal t4, isa_fail
.Lok\@:
.endm

/* reg must hold the link-time address of sym (never computed by AUIPC/JAL). */
.macro CHECK_ADDR reg, sym
    mv t5, \reg
    lui t6, %hi(\sym)
    addi t6, t6, %lo(\sym)
    beq t5, t6, .Lok\@
    jal t4, isa_fail
.Lok\@:
.endm

/* The word at sym+off must be exp. */
.macro CHECK_MEM sym, off, exp
    la t5, \sym
    lw t5, \off(t5)
    li t6, \exp
    beq t5, t6, .Lok\@
    jal t4, isa_fail
.Lok\@:
.endm

/* ---- register-register and register-immediate operations ---- */

.macro T_RR op, a, b, exp
    TEST "\op \a, \b"
    li a1, \a
    li a2, \b
    \op a3, a1, a2
    CHECK a3, \exp
.endm

/* rd == rs1: the source is read before it is overwritten */
.macro T_RR_RD1 op, a, b, exp
    TEST "\op rd=rs1 \a, \b"
    li a1, \a
    li a2, \b
    \op a1, a1, a2
    CHECK a1, \exp
    CHECK a2, \b
.endm

/* rd == rs2 */
.macro T_RR_RD2 op, a, b, exp
    TEST "\op rd=rs2 \a, \b"
    li a1, \a
    li a2, \b
    \op a2, a1, a2
    CHECK a2, \exp
    CHECK a1, \a
.endm

/* rd == rs1 == rs2 */
.macro T_RR_SAME op, a, exp
    TEST "\op rd=rs1=rs2 \a"
    li a1, \a
    \op a1, a1, a1
    CHECK a1, \exp
.endm

.macro T_RI op, a, imm, exp
    TEST "\op \a, \imm"
    li a1, \a
    \op a3, a1, \imm
    CHECK a3, \exp
.endm

.macro T_RI_RD1 op, a, imm, exp
    TEST "\op rd=rs1 \a, \imm"
    li a1, \a
    \op a1, a1, \imm
    CHECK a1, \exp
.endm

/* ---- branches: a3 = 2 when taken, 3 when not taken ---- */

.macro T_BR op, a, b, taken
    TEST "\op \a, \b (forward)"
    li a1, \a
    li a2, \b
    li a3, 0
    \op a1, a2, .Lt\@
    addi a3, a3, 1
.Lt\@:
    addi a3, a3, 2
  .if \taken
    CHECK a3, 2
  .else
    CHECK a3, 3
  .endif
.endm

/* backward branch: a3 = 6 when taken, 3 when not taken */
.macro T_BR_BACK op, a, b, taken
    TEST "\op \a, \b (backward)"
    li a1, \a
    li a2, \b
    li a3, 0
    j .Lb\@
.Lt\@:
    addi a3, a3, 4
    j .Le\@
.Lb\@:
    \op a1, a2, .Lt\@
    addi a3, a3, 1
.Le\@:
    addi a3, a3, 2
  .if \taken
    CHECK a3, 6
  .else
    CHECK a3, 3
  .endif
.endm

/* ---- loads from isa_ldbuf (base register = isa_ldbuf + 4) ---- */

.macro T_LD op, off, exp
    TEST "\op \off(ldbuf+4)"
    la a1, isa_ldbuf + 4
    \op a3, \off(a1)
    CHECK a3, \exp
.endm

/* ---- stores into word 1 of isa_stbuf; words 0 and 2 must not change ---- */

.macro ST_FILL
    la a1, isa_stbuf
    li a2, 0x11223344
    sw a2, 0(a1)
    sw a2, 4(a1)
    sw a2, 8(a1)
.endm

/* offset relative to base isa_stbuf + 8 (so -4..-1 address word 1) */
.macro T_ST op, off, val, exp
    TEST "\op \val, \off(stbuf+8)"
    ST_FILL
    la a1, isa_stbuf + 8
    li a2, \val
    \op a2, \off(a1)
    CHECK_MEM isa_stbuf, 0, 0x11223344
    CHECK_MEM isa_stbuf, 4, \exp
    CHECK_MEM isa_stbuf, 8, 0x11223344
.endm

/* offset relative to base isa_stbuf (so 4..7 address word 1) */
.macro T_STP op, off, val, exp
    TEST "\op \val, \off(stbuf)"
    ST_FILL
    la a1, isa_stbuf
    li a2, \val
    \op a2, \off(a1)
    CHECK_MEM isa_stbuf, 0, 0x11223344
    CHECK_MEM isa_stbuf, 4, \exp
    CHECK_MEM isa_stbuf, 8, 0x11223344
.endm

/* ---- traps: sentinel in a3, the next instruction reads it ----
 * TRAP_END's first instruction is the one right after the trapping one: it
 * computes a4 = a3 + 1, so a4 == SENT + 1 proves both that execution went on
 * at pc+4 (not pc+8, not elsewhere) and that no value of the trapping
 * instruction was written or forwarded into a3. */

.macro TRAP_BEGIN
    li a3, SENT
    li a4, 0
.endm

.macro TRAP_END
    addi a4, a3, 1
    CHECK a4, SENT + 1
    CHECK a3, SENT
.endm

/* A trapping store into word 1 of isa_stbuf: memory must not change. */
.macro TRAP_ST_CHECK
    CHECK_MEM isa_stbuf, 0, 0x11223344
    CHECK_MEM isa_stbuf, 4, 0x11223344
    CHECK_MEM isa_stbuf, 8, 0x11223344
.endm

/* ---- misaligned taken control transfers ----
 * The target is 2 bytes into a landing zone (.Lland) that only a wrong jump
 * reaches: a core that drops the low bits lands there and sets a5.  The
 * instruction after the transfer is the TRAP_END marker, so a core that
 * continues anywhere but pc+4 also fails.  kind: br (op a1, a2), jal (rd a3),
 * jalx0, jalr_imm (a1 = land, imm 2), jalr_rs1 (a1 = land+2), jalr_odd
 * (a1 = land+3: bit 0 is cleared, bit 1 still misaligns). */
.macro XFER kind, op, land
  .ifc \kind,br
    \op a1, a2, \land + 2
  .endif
  .ifc \kind,jal
    jal a3, \land + 2
  .endif
  .ifc \kind,jalx0
    jal x0, \land + 2
  .endif
  .ifc \kind,jalr_imm
    jalr a3, 2(a1)
  .endif
  .ifc \kind,jalr_rs1
    jalr a3, 0(a1)
  .endif
  .ifc \kind,jalr_odd
    jalr a3, 0(a1)
  .endif
.endm

.macro XFER_SETUP kind, land
  .ifc \kind,jalr_imm
    la a1, \land
  .endif
  .ifc \kind,jalr_rs1
    la a1, \land + 2
  .endif
  .ifc \kind,jalr_odd
    la a1, \land + 3
  .endif
.endm

.macro MIS_CHECK
    CHECK a4, SENT + 1
    CHECK a3, SENT
    CHECK a5, 0
.endm

.macro T_MIS_FWD kind, op=none, a=0, b=0
  .ifc \op,none
    TEST "\kind to a misaligned target forward (trap)"
  .else
    TEST "\op \a, \b taken to a misaligned target forward (trap)"
  .endif
    li a1, \a
    li a2, \b
    XFER_SETUP \kind, .Lland\@
    TRAP_BEGIN
    li a5, 0
    XFER \kind, \op, .Lland\@
    addi a4, a3, 1
    j .Lchk\@
.Lland\@:
    addi a5, a5, 1
    addi a5, a5, 1
.Lchk\@:
    MIS_CHECK
.endm

.macro T_MIS_BACK kind, op=none, a=0, b=0
  .ifc \op,none
    TEST "\kind to a misaligned target backward (trap)"
  .else
    TEST "\op \a, \b taken to a misaligned target backward (trap)"
  .endif
    li a1, \a
    li a2, \b
    XFER_SETUP \kind, .Lland\@
    TRAP_BEGIN
    li a5, 0
    j .Lgo\@
.Lland\@:
    addi a5, a5, 1
    j .Lchk\@
.Lgo\@:
    XFER \kind, \op, .Lland\@
    addi a4, a3, 1
.Lchk\@:
    MIS_CHECK
.endm

/* misaligned target but not taken: no trap, plain fall-through */
.macro T_BR_MIS_NT op, a, b
    TEST "\op \a, \b not taken, misaligned target (no trap)"
    li a1, \a
    li a2, \b
    TRAP_BEGIN
    li a5, 0
    \op a1, a2, .Lland\@ + 2
    addi a4, a3, 1
    j .Lchk\@
.Lland\@:
    addi a5, a5, 1
.Lchk\@:
    MIS_CHECK
.endm

    .text
    .globl isa_run
    .type isa_run, @function
isa_run:
    addi sp, sp, -64
    sw ra, 0(sp)
    sw s0, 4(sp)
    sw s1, 8(sp)
    sw s2, 12(sp)
    sw s3, 16(sp)
    sw s4, 20(sp)
    sw s5, 24(sp)
    sw s6, 28(sp)
    sw s7, 32(sp)
    sw s8, 36(sp)
    sw s9, 40(sp)
    sw s10, 44(sp)
    sw s11, 48(sp)
    sw gp, 52(sp)
    sw tp, 56(sp)

/* ================================================================ ADD, SUB */
    TEST "add 1, 1"
    li a1, 1
    li a2, 1
    add a3, a1, a2
#ifdef ISA_SELFCHECK_BROKEN
    CHECK a3, 3     /* deliberately wrong: 1 + 1 is 2 */
#else
    CHECK a3, 2
#endif
    T_RR add, 0x7FFFFFFF, 1, 0x80000000
    T_RR add, 0xFFFFFFFF, 1, 0
    T_RR add, 0x80000000, 0x80000000, 0
    T_RR add, -3, 5, 2
    T_RR add, 0x12345678, 0x87654321, 0x99999999
    T_RR_RD1 add, 100, -1, 99
    T_RR_RD2 add, 100, -1, 99
    T_RR_SAME add, 0x40000001, 0x80000002

    T_RR sub, 0, 1, 0xFFFFFFFF
    T_RR sub, 0x80000000, 1, 0x7FFFFFFF
    T_RR sub, 5, 7, 0xFFFFFFFE
    T_RR sub, 0x12345678, 0x12345678, 0
    T_RR sub, 0, 0x80000000, 0x80000000
    T_RR sub, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000000
    T_RR_RD1 sub, 10, 3, 7
    T_RR_RD2 sub, 10, 3, 7
    T_RR_SAME sub, 0x5555AAAA, 0

/* ==================================================================== ADDI */
    T_RI addi, 0, 0, 0
    T_RI addi, 0x7FFFFFFF, 1, 0x80000000
    T_RI addi, 5, -2048, 0xFFFFF805          /* 5 - 2048 = -2043 */
    T_RI addi, 0xFFFFFFFF, 2047, 0x000007FE  /* -1 + 2047 */
    T_RI addi, 0x80000000, -1, 0x7FFFFFFF
    T_RI addi, 0x12345678, 0x7FF, 0x12345E77 /* 0x5678 + 0x7FF = 0x5E77 */
    T_RI_RD1 addi, 0x1000, -1, 0x00000FFF

/* ======================================================= logic (reg, imm) */
    T_RR xor, 0xFF00FF00, 0x0FF00FF0, 0xF0F0F0F0
    T_RR_SAME xor, 0x12345678, 0
    T_RR or, 0xFF00FF00, 0x0FF00FF0, 0xFFF0FFF0
    T_RR_SAME or, 0x12345678, 0x12345678
    T_RR and, 0xFF00FF00, 0x0FF00FF0, 0x0F000F00
    T_RR_RD2 and, 0xF0F0F0F0, 0x3C3C3C3C, 0x30303030

    T_RI xori, 0x12345678, -1, 0xEDCBA987      /* xori -1 is NOT */
    T_RI xori, 0x00FF00FF, 0x7FF, 0x00FF0700   /* 0x0FF ^ 0x7FF = 0x700 */
    T_RI xori, 0, -2048, 0xFFFFF800            /* imm sign-extended */
    T_RI ori, 0x12340000, -2048, 0xFFFFF800    /* 0xFFFFF800 covers the high bits */
    T_RI ori, 0x12345678, 0x0F0, 0x123456F8
    T_RI andi, 0x12345678, -16, 0x12345670     /* -16 = 0xFFFFFFF0 */
    T_RI andi, 0x12345678, 0x7FF, 0x00000678
    T_RI andi, 0xFFFFFFFF, -2048, 0xFFFFF800
    T_RI_RD1 andi, 0x87654321, 0, 0

/* ================================================================= shifts */
    /* 0x87654321 = 1000 0111 0110 0101 0100 0011 0010 0001 */
    T_RR sll, 0x87654321, 0, 0x87654321
    T_RR sll, 0x87654321, 1, 0x0ECA8642
    T_RR sll, 0x87654321, 4, 0x76543210
    T_RR sll, 0x87654321, 31, 0x80000000
    T_RR sll, 0x00000001, 31, 0x80000000
    T_RR sll, 0x87654321, 32, 0x87654321       /* only rs2[4:0] counts */
    T_RR sll, 0x87654321, 33, 0x0ECA8642
    T_RR sll, 0x87654321, 0xFFFFFFFF, 0x80000000 /* shamt 31 */
    T_RR sll, 0x87654321, 0xFFFFFFE4, 0x76543210 /* shamt 4 */
    T_RR_RD1 sll, 3, 2, 12
    T_RR_SAME sll, 3, 0x00000018                 /* 3 << 3 */

    T_RR srl, 0x87654321, 0, 0x87654321
    T_RR srl, 0x87654321, 1, 0x43B2A190
    T_RR srl, 0x87654321, 4, 0x08765432
    T_RR srl, 0x87654321, 31, 0x00000001
    T_RR srl, 0x87654321, 36, 0x08765432
    T_RR srl, 0x87654321, 0xFFFFFFFF, 0x00000001
    T_RR srl, 0x80000000, 0xFFFFFFE0, 0x80000000 /* shamt 0 */
    T_RR_RD2 srl, 0xFFFFFFFF, 28, 0x0000000F

    T_RR sra, 0x87654321, 0, 0x87654321
    T_RR sra, 0x87654321, 1, 0xC3B2A190
    T_RR sra, 0x87654321, 4, 0xF8765432
    T_RR sra, 0x87654321, 31, 0xFFFFFFFF
    T_RR sra, 0x80000000, 31, 0xFFFFFFFF
    T_RR sra, 0x80000000, 1, 0xC0000000
    T_RR sra, 0x7FFFFFFF, 31, 0x00000000
    T_RR sra, 0x7FFFFFFF, 1, 0x3FFFFFFF
    T_RR sra, 0x87654321, 0xFFFFFFE1, 0xC3B2A190 /* shamt 1 */
    T_RR sra, 0x87654321, 32, 0x87654321
    T_RR_SAME sra, 0x80000004, 0xF8000000        /* shamt 4: 0x8000_0004 >> 4 */

    T_RI slli, 0x87654321, 0, 0x87654321
    T_RI slli, 0x87654321, 1, 0x0ECA8642
    T_RI slli, 0x87654321, 4, 0x76543210
    T_RI slli, 0x87654321, 31, 0x80000000
    T_RI srli, 0x87654321, 0, 0x87654321
    T_RI srli, 0x87654321, 1, 0x43B2A190
    T_RI srli, 0x87654321, 31, 0x00000001
    T_RI srli, 0xFFFFFFFF, 16, 0x0000FFFF
    T_RI srai, 0x87654321, 0, 0x87654321
    T_RI srai, 0x87654321, 1, 0xC3B2A190
    T_RI srai, 0x87654321, 31, 0xFFFFFFFF
    T_RI srai, 0x7FFFFFFF, 30, 0x00000001
    T_RI srai, 0x80000000, 16, 0xFFFF8000
    T_RI_RD1 srai, 0xF0000000, 4, 0xFF000000

/* ============================================================ comparisons */
    T_RR slt, 0xFFFFFFFF, 1, 1           /* -1 < 1 */
    T_RR slt, 1, 0xFFFFFFFF, 0
    T_RR slt, 0x80000000, 0x7FFFFFFF, 1  /* most negative < most positive */
    T_RR slt, 0x7FFFFFFF, 0x80000000, 0
    T_RR slt, 5, 5, 0
    T_RR slt, 0xFFFFFFFE, 0xFFFFFFFF, 1  /* -2 < -1 */
    T_RR_SAME slt, 0x80000000, 0

    T_RR sltu, 0xFFFFFFFF, 1, 0
    T_RR sltu, 1, 0xFFFFFFFF, 1
    T_RR sltu, 0x80000000, 0x7FFFFFFF, 0
    T_RR sltu, 0x7FFFFFFF, 0x80000000, 1
    T_RR sltu, 5, 5, 0
    T_RR sltu, 0, 1, 1
    T_RR sltu, 1, 0, 0
    TEST "sltu rd, x0, rs2 (snez)"
    li a2, 0x80000000
    sltu a3, x0, a2
    CHECK a3, 1

    T_RI slti, 0xFFFFFFFF, 1, 1
    T_RI slti, 1, -1, 0
    T_RI slti, 0x80000000, -2048, 1
    T_RI slti, -2049, -2048, 1
    T_RI slti, -2048, -2048, 0
    T_RI slti, 0x7FFFFFFF, 2047, 0
    T_RI slti, 2046, 2047, 1

    T_RI sltiu, 0, 1, 1                  /* seqz */
    T_RI sltiu, 1, 1, 0
    T_RI sltiu, 5, -1, 1                 /* imm -1 compares as 0xFFFFFFFF */
    T_RI sltiu, 0xFFFFFFFF, -1, 0
    T_RI sltiu, 0x7FFFFFFF, -2048, 1     /* 0x7FFFFFFF < 0xFFFFF800 */
    T_RI sltiu, 0xFFFFF900, -2048, 0
    T_RI sltiu, 0xFFFFF7FF, -2048, 1
    T_RI sltiu, 0x800, 2047, 0

/* ============================================================= LUI, AUIPC */
    TEST "lui 0xFFFFF"
    lui a3, 0xFFFFF
    CHECK a3, 0xFFFFF000
    TEST "lui 0x80000"
    lui a3, 0x80000
    CHECK a3, 0x80000000
    TEST "lui 0 clears the low bits"
    li a3, -1
    lui a3, 0
    CHECK a3, 0
    TEST "lui 0x12345 + addi -1"
    lui a3, 0x12345
    addi a3, a3, -1
    CHECK a3, 0x12344FFF

    TEST "auipc 0"
.Lauipc0:
    auipc a3, 0
    CHECK_ADDR a3, .Lauipc0
    TEST "auipc 1"
.Lauipc1:
    auipc a3, 1
    CHECK_ADDR a3, .Lauipc1 + 0x1000
    TEST "auipc 0xFFFFF (pc - 0x1000, wraps)"
.Lauipc2:
    auipc a3, 0xFFFFF
    CHECK_ADDR a3, .Lauipc2 - 0x1000
    TEST "auipc 0x80000"
.Lauipc3:
    auipc a3, 0x80000
    CHECK_ADDR a3, .Lauipc3 + 0x80000000

/* ====================================================================== M */
    T_RR mul, 3, 7, 21
    T_RR mul, -3, 7, 0xFFFFFFEB
    T_RR mul, -3, -7, 21
    T_RR mul, 0x80000000, 0x80000000, 0
    T_RR mul, 0xFFFFFFFF, 0xFFFFFFFF, 1
    T_RR mul, 0x7FFFFFFF, 0x7FFFFFFF, 1          /* 0x3FFFFFFF_00000001 */
    T_RR mul, 0x10000, 0x10000, 0                /* 2^32 wraps */
    T_RR mul, 0xFFFF, 0xFFFF, 0xFFFE0001
    T_RR mul, 0x12345678, 0x9ABCDEF0, 0x242D2080 /* 0x0B00EA4E_242D2080 */
    T_RR mul, 0x80000000, 0xFFFFFFFF, 0x80000000
    T_RR_RD1 mul, 6, 7, 42
    T_RR_SAME mul, 0xFFFF0000, 0

    /* mulh: signed x signed, high word */
    T_RR mulh, 0x80000000, 0x80000000, 0x40000000 /* (-2^31)^2 = 2^62 */
    T_RR mulh, 0xFFFFFFFF, 0xFFFFFFFF, 0          /* 1 */
    T_RR mulh, 0xFFFFFFFF, 1, 0xFFFFFFFF          /* -1 */
    T_RR mulh, 1, 0xFFFFFFFF, 0xFFFFFFFF
    T_RR mulh, 0x7FFFFFFF, 0x7FFFFFFF, 0x3FFFFFFF
    T_RR mulh, 0x80000000, 0x7FFFFFFF, 0xC0000000 /* -2^62 + 2^31 */
    T_RR mulh, 0x80000000, 1, 0xFFFFFFFF
    T_RR mulh, 3, 7, 0
    T_RR mulh, 0x12345678, 0x9ABCDEF0, 0xF8CC93D6 /* mulhu - rs1 = 0x0B00EA4E - 0x12345678 */
    T_RR_SAME mulh, 0x80000000, 0x40000000

    /* mulhu: unsigned x unsigned, high word */
    T_RR mulhu, 0x80000000, 0x80000000, 0x40000000
    T_RR mulhu, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE /* 0xFFFFFFFE_00000001 */
    T_RR mulhu, 0xFFFFFFFF, 1, 0
    T_RR mulhu, 0x80000000, 0xFFFFFFFF, 0x7FFFFFFF /* 2^63 - 2^31 */
    T_RR mulhu, 0x7FFFFFFF, 0x7FFFFFFF, 0x3FFFFFFF
    T_RR mulhu, 0x12345678, 0x9ABCDEF0, 0x0B00EA4E
    T_RR mulhu, 0x00010000, 0x00010000, 1
    T_RR_RD2 mulhu, 0xFFFFFFFF, 2, 1

    /* mulhsu: rs1 signed x rs2 unsigned, high word */
    T_RR mulhsu, 0x80000000, 0x80000000, 0xC0000000 /* -2^31 * 2^31 = -2^62 */
    T_RR mulhsu, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF /* -(2^32-1): 0xFFFFFFFF_00000001 */
    T_RR mulhsu, 0xFFFFFFFF, 1, 0xFFFFFFFF          /* -1 */
    T_RR mulhsu, 1, 0xFFFFFFFF, 0                   /* 2^32 - 1 */
    T_RR mulhsu, 0x80000000, 0xFFFFFFFF, 0x80000000 /* -2^63 + 2^31 */
    T_RR mulhsu, 2, 0x80000000, 1                   /* 2^32 */
    T_RR mulhsu, 0xFFFFFFFE, 3, 0xFFFFFFFF          /* -6 */
    T_RR mulhsu, 0x7FFFFFFF, 0xFFFFFFFF, 0x7FFFFFFE /* 0x7FFFFFFE_80000001 */
    T_RR mulhsu, 0, 0xFFFFFFFF, 0
    T_RR mulhsu, 0x12345678, 0x9ABCDEF0, 0x0B00EA4E /* rs1 positive: as mulhu */
    T_RR mulhsu, 0x9ABCDEF0, 0x12345678, 0xF8CC93D6 /* rs1 negative: as mulh above */

    /* div: signed, rounds towards zero */
    T_RR div, 20, 6, 3
    T_RR div, -20, 6, 0xFFFFFFFD
    T_RR div, 20, -6, 0xFFFFFFFD
    T_RR div, -20, -6, 3
    T_RR div, -1, 2, 0
    T_RR div, 5, 7, 0
    T_RR div, 0, 5, 0
    T_RR div, 0x80000000, 1, 0x80000000
    T_RR div, 0x80000000, 2, 0xC0000000
    T_RR div, 0x80000000, 0xFFFFFFFF, 0x80000000 /* overflow: -2^31 / -1 */
    T_RR div, 7, 0, 0xFFFFFFFF                   /* by zero: -1 */
    T_RR div, -5, 0, 0xFFFFFFFF
    T_RR div, 0, 0, 0xFFFFFFFF
    T_RR_RD1 div, 100, 7, 14
    T_RR_SAME div, -9, 1

    T_RR divu, 20, 6, 3
    T_RR divu, 0xFFFFFFEC, 6, 0x2AAAAAA7  /* 4294967276 / 6 = 715827879 r 2 */
    T_RR divu, 7, 0, 0xFFFFFFFF           /* by zero: all ones */
    T_RR divu, 0, 0, 0xFFFFFFFF
    T_RR divu, 0x80000000, 0xFFFFFFFF, 0
    T_RR divu, 0xFFFFFFFF, 1, 0xFFFFFFFF
    T_RR divu, 0xFFFFFFFF, 0xFFFFFFFF, 1
    T_RR divu, 0x80000000, 2, 0x40000000
    T_RR_RD2 divu, 1000, 10, 100

    T_RR rem, 20, 6, 2
    T_RR rem, -20, 6, 0xFFFFFFFE          /* sign follows the dividend */
    T_RR rem, 20, -6, 2
    T_RR rem, -20, -6, 0xFFFFFFFE
    T_RR rem, -1, 2, 0xFFFFFFFF
    T_RR rem, 7, 0, 7                     /* by zero: the dividend */
    T_RR rem, -5, 0, 0xFFFFFFFB
    T_RR rem, 0x80000000, 0xFFFFFFFF, 0   /* overflow case */
    T_RR rem, 0x80000000, 3, 0xFFFFFFFE   /* -2147483648 = 3 * -715827882 - 2 */
    T_RR_SAME rem, 12345, 0

    T_RR remu, 20, 6, 2
    T_RR remu, 0xFFFFFFEC, 6, 2
    T_RR remu, 7, 0, 7                    /* by zero: the dividend */
    T_RR remu, 0xFFFFFFFB, 0, 0xFFFFFFFB
    T_RR remu, 0x80000000, 0xFFFFFFFF, 0x80000000
    T_RR remu, 0xFFFFFFFF, 0x10, 0x0000000F
    T_RR remu, 0x80000000, 3, 2           /* 2147483648 = 3 * 715827882 + 2 */

/* =============================================================== branches */
    T_BR beq, 5, 5, 1
    T_BR beq, 5, 6, 0
    T_BR beq, 0x80000000, 0x80000000, 1
    T_BR beq, -1, 0xFFFFFFFF, 1
    T_BR beq, 0, 0x80000000, 0
    T_BR_BACK beq, 7, 7, 1
    T_BR_BACK beq, 7, 8, 0

    T_BR bne, 5, 5, 0
    T_BR bne, 5, 6, 1
    T_BR bne, 0, 0x80000000, 1
    T_BR bne, 0xFFFFFFFF, -1, 0
    T_BR_BACK bne, 7, 8, 1
    T_BR_BACK bne, 7, 7, 0

    T_BR blt, -1, 1, 1
    T_BR blt, 1, -1, 0
    T_BR blt, 5, 5, 0
    T_BR blt, 0x80000000, 0x7FFFFFFF, 1
    T_BR blt, 0x7FFFFFFF, 0x80000000, 0
    T_BR blt, -2, -1, 1
    T_BR_BACK blt, -5, 3, 1
    T_BR_BACK blt, 3, -5, 0

    T_BR bge, -1, 1, 0
    T_BR bge, 1, -1, 1
    T_BR bge, 5, 5, 1
    T_BR bge, 0x80000000, 0x7FFFFFFF, 0
    T_BR bge, 0x7FFFFFFF, 0x80000000, 1
    T_BR bge, -1, -1, 1
    T_BR_BACK bge, 3, -5, 1
    T_BR_BACK bge, -5, 3, 0

    T_BR bltu, -1, 1, 0
    T_BR bltu, 1, -1, 1
    T_BR bltu, 5, 5, 0
    T_BR bltu, 0x80000000, 0x7FFFFFFF, 0
    T_BR bltu, 0x7FFFFFFF, 0x80000000, 1
    T_BR bltu, 0, 1, 1
    T_BR_BACK bltu, 3, -5, 1
    T_BR_BACK bltu, -5, 3, 0

    T_BR bgeu, -1, 1, 1
    T_BR bgeu, 1, -1, 0
    T_BR bgeu, 5, 5, 1
    T_BR bgeu, 0x80000000, 0x7FFFFFFF, 1
    T_BR bgeu, 0x7FFFFFFF, 0x80000000, 0
    T_BR bgeu, 0, 0, 1
    T_BR_BACK bgeu, -5, 3, 1
    T_BR_BACK bgeu, 3, -5, 0

    TEST "bge x0, x0 (rs1 = rs2 = x0) taken"
    li a3, 0
    bge x0, x0, 1f
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 2
    TEST "blt a1, a1 not taken"
    li a1, -7
    li a3, 0
    blt a1, a1, 1f
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 3
    TEST "bltz 0x80000000 (blt rs1, x0) taken"
    li a1, 0x80000000
    li a3, 0
    bltz a1, 1f
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 2
    TEST "bgtz -1 (blt x0, rs2) not taken"
    li a1, -1
    li a3, 0
    bgtz a1, 1f
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 3

    /* far branches exercise the high offset bits (imm[11], imm[12]); the
     * gaps are zeros = illegal instructions: a wrong landing point would slide
     * through them (trap, pc+4) and add 4 to a3 */
    TEST "beq forward over 2.5 KiB"
    li a3, 0
    beq x0, x0, .Lfarb1
    addi a3, a3, 1
    .skip 2560, 0
    addi a3, a3, 4
.Lfarb1:
    addi a3, a3, 2
    CHECK a3, 2
    TEST "bne backward over 3 KiB"
    li a3, 0
    li a1, 1
    j .Lfarb2src
.Lfarb2dst:
    addi a3, a3, 8
    j .Lfarb2end
    .skip 3072, 0
.Lfarb2src:
    bne a1, x0, .Lfarb2dst
    addi a3, a3, 1
.Lfarb2end:
    addi a3, a3, 2
    CHECK a3, 10

/* ================================================================ JAL, JALR */
    TEST "jal link and target"
    li a3, 0
    li a2, 0
    jal a2, .Ljal1t
.Ljal1r:
    addi a3, a3, 1
.Ljal1t:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a2, .Ljal1r

    TEST "jal backward link"
    li a3, 0
    j .Ljal2s
.Ljal2t:
    addi a3, a3, 4
    j .Ljal2e
.Ljal2s:
    jal a2, .Ljal2t
.Ljal2r:
    addi a3, a3, 1
.Ljal2e:
    addi a3, a3, 2
    CHECK a3, 6
    CHECK_ADDR a2, .Ljal2r

    TEST "jal forward over 6.25 KiB (imm[11], imm[12])"
    li a3, 0
    jal a2, .Ljalfar
.Ljalfarr:
    addi a3, a3, 1
    .skip 6400, 0
    addi a3, a3, 4
.Ljalfar:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a2, .Ljalfarr

    TEST "jal backward over 9 KiB (high offset bits, sign)"
    li a3, 0
    j .Ljalbs
.Ljalbt:
    addi a3, a3, 8
    j .Ljalbe
    .skip 9216, 0
.Ljalbs:
    jal a2, .Ljalbt
.Ljalbr:
    addi a3, a3, 1
.Ljalbe:
    addi a3, a3, 2
    CHECK a3, 10
    CHECK_ADDR a2, .Ljalbr

    TEST "jal x0 writes nothing"
    li a3, 0
    jal x0, 1f
    addi a3, a3, 1
1:  addi a3, x0, 0      /* reads x0 right after the jal */
    CHECK a3, 0

    TEST "jalr 0(rs1)"
    li a3, 0
    la a1, .Ljalr1t
    jalr a2, 0(a1)
.Ljalr1r:
    addi a3, a3, 1
.Ljalr1t:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a2, .Ljalr1r

    TEST "jalr negative offset"
    li a3, 0
    la a1, .Ljalr2t + 8
    jalr a2, -8(a1)
.Ljalr2r:
    addi a3, a3, 1
.Ljalr2t:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a2, .Ljalr2r

    TEST "jalr clears bit 0 of rs1+imm (imm odd)"
    li a3, 0
    la a1, .Ljalr3t
    jalr a2, 1(a1)
.Ljalr3r:
    addi a3, a3, 1
.Ljalr3t:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a2, .Ljalr3r

    TEST "jalr clears bit 0 of rs1+imm (rs1 odd)"
    li a3, 0
    la a1, .Ljalr4t + 1
    jalr a2, 0(a1)
.Ljalr4r:
    addi a3, a3, 1
.Ljalr4t:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a2, .Ljalr4r

    TEST "jalr rd = rs1 (target read before the link is written)"
    li a3, 0
    la a1, .Ljalr5t
    jalr a1, 0(a1)
.Ljalr5r:
    addi a3, a3, 1
.Ljalr5t:
    addi a3, a3, 2
    CHECK a3, 2
    CHECK_ADDR a1, .Ljalr5r

    TEST "jalr x0 (ret) writes nothing"
    li a3, 0
    la a1, 1f
    jalr x0, 0(a1)
    addi a3, a3, 1
1:  addi a3, x0, 5
    CHECK a3, 5

    TEST "call and return through ra"
    li a3, 0
    jal ra, isa_leaf       /* isa_leaf: a3 += 40, returns with jalr x0, 0(ra) */
.Lcallr:
    addi a3, a3, 2
    CHECK a3, 42
    CHECK_ADDR ra, .Lcallr

/* ========================================================== loads, stores */
    /* isa_ldbuf: 0x80FF7F01 0x12345678 0xFEDCBA98 (little-endian lanes);
     * the base register points at the second word */
    T_LD lb, -4, 0x00000001
    T_LD lb, -3, 0x0000007F
    T_LD lb, -2, 0xFFFFFFFF
    T_LD lb, -1, 0xFFFFFF80
    T_LD lb, 0, 0x00000078
    T_LD lb, 1, 0x00000056
    T_LD lb, 2, 0x00000034
    T_LD lb, 3, 0x00000012
    T_LD lb, 4, 0xFFFFFF98
    T_LD lb, 5, 0xFFFFFFBA
    T_LD lb, 6, 0xFFFFFFDC
    T_LD lb, 7, 0xFFFFFFFE
    T_LD lbu, -4, 0x00000001
    T_LD lbu, -3, 0x0000007F
    T_LD lbu, -2, 0x000000FF
    T_LD lbu, -1, 0x00000080
    T_LD lbu, 4, 0x00000098
    T_LD lbu, 5, 0x000000BA
    T_LD lbu, 6, 0x000000DC
    T_LD lbu, 7, 0x000000FE
    T_LD lh, -4, 0x00007F01
    T_LD lh, -2, 0xFFFF80FF
    T_LD lh, 0, 0x00005678
    T_LD lh, 2, 0x00001234
    T_LD lh, 4, 0xFFFFBA98
    T_LD lh, 6, 0xFFFFFEDC
    T_LD lhu, -4, 0x00007F01
    T_LD lhu, -2, 0x000080FF
    T_LD lhu, 4, 0x0000BA98
    T_LD lhu, 6, 0x0000FEDC
    T_LD lw, -4, 0x80FF7F01
    T_LD lw, 0, 0x12345678
    T_LD lw, 4, 0xFEDCBA98
    TEST "lw rd = rs1"
    la a1, isa_ldbuf
    lw a1, 8(a1)
    CHECK a1, 0xFEDCBA98

    T_ST sb, -4, 0xFFFFFFAB, 0x112233AB   /* only the low byte is stored */
    T_ST sb, -3, 0xFFFFFFAB, 0x1122AB44
    T_ST sb, -2, 0xFFFFFFAB, 0x11AB3344
    T_ST sb, -1, 0xFFFFFFAB, 0xAB223344
    T_STP sb, 4, 0x12345680, 0x11223380
    T_STP sb, 7, 0x12345680, 0x80223344
    T_ST sh, -4, 0x1234CDEF, 0x1122CDEF   /* only the low half is stored */
    T_ST sh, -2, 0x1234CDEF, 0xCDEF3344
    T_STP sh, 4, 0xFFFF0000, 0x11220000
    T_STP sh, 6, 0x00008001, 0x80013344
    T_ST sw, -4, 0xCAFEBABE, 0xCAFEBABE
    T_STP sw, 4, 0x00000000, 0x00000000

    TEST "sb then lb / lbu of the same byte"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0x000000F0
    sb a2, 5(a1)
    lb a3, 5(a1)
    lbu a4, 5(a1)
    CHECK a3, 0xFFFFFFF0
    CHECK a4, 0x000000F0
    TEST "sh then lw (store-to-load of a partial word)"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0xBEEF
    sh a2, 6(a1)
    lw a3, 4(a1)
    CHECK a3, 0xBEEF3344
    TEST "sw x0 stores zero"
    ST_FILL
    la a1, isa_stbuf
    sw x0, 4(a1)
    CHECK_MEM isa_stbuf, 4, 0
    CHECK_MEM isa_stbuf, 0, 0x11223344

/* ======================================================= x0 is always zero */
    TEST "addi x0 then read x0 (no forwarding of x0)"
    addi x0, x0, 5
    add a3, x0, x0
    CHECK a3, 0
    TEST "lui x0"
    lui x0, 0x12345
    addi a3, x0, 0
    CHECK a3, 0
    TEST "auipc x0"
    auipc x0, 0x12345
    or a3, x0, x0
    CHECK a3, 0
    TEST "lw x0 then use x0 (no load forwarding of x0)"
    la a1, isa_ldbuf
    lw x0, 4(a1)
    add a3, x0, x0
    CHECK a3, 0
    TEST "mul x0 then use x0"
    li a1, 7
    mul x0, a1, a1
    add a3, x0, a1
    CHECK a3, 7
    TEST "div x0 then use x0"
    li a1, 100
    li a2, 3
    div x0, a1, a2
    sub a3, a1, x0
    CHECK a3, 100
    TEST "jalr x0 link discarded, x0 as rs1"
    la a1, 1f
    jalr x0, 0(a1)
1:  sltu a3, x0, x0
    CHECK a3, 0
    TEST "x0 as a source reads 0"
    li a1, 0x1234
    add a3, a1, x0
    CHECK a3, 0x1234

    TEST "every register holds its own value"
    la t0, isa_regsave
    sw sp, 0(t0)
    sw gp, 4(t0)
    sw tp, 8(t0)
    sw ra, 12(t0)
    la sp, isa_regbuf
    li x1, 0x01010101
    li x3, 0x03030303
    li x4, 0x04040404
    li x5, 0x05050505
    li x6, 0x06060606
    li x7, 0x07070707
    li x8, 0x08080808
    li x9, 0x09090909
    li x10, 0x0A0A0A0A
    li x11, 0x0B0B0B0B
    li x12, 0x0C0C0C0C
    li x13, 0x0D0D0D0D
    li x14, 0x0E0E0E0E
    li x15, 0x0F0F0F0F
    li x16, 0x10101010
    li x17, 0x11111111
    li x18, 0x12121212
    li x19, 0x13131313
    li x20, 0x14141414
    li x21, 0x15151515
    li x22, 0x16161616
    li x23, 0x17171717
    li x24, 0x18181818
    li x25, 0x19191919
    li x26, 0x1A1A1A1A
    li x27, 0x1B1B1B1B
    li x28, 0x1C1C1C1C
    li x29, 0x1D1D1D1D
    li x30, 0x1E1E1E1E
    li x31, 0x1F1F1F1F
    sw x0, 0(sp)
    sw x1, 4(sp)
    sw x3, 12(sp)
    sw x4, 16(sp)
    sw x5, 20(sp)
    sw x6, 24(sp)
    sw x7, 28(sp)
    sw x8, 32(sp)
    sw x9, 36(sp)
    sw x10, 40(sp)
    sw x11, 44(sp)
    sw x12, 48(sp)
    sw x13, 52(sp)
    sw x14, 56(sp)
    sw x15, 60(sp)
    sw x16, 64(sp)
    sw x17, 68(sp)
    sw x18, 72(sp)
    sw x19, 76(sp)
    sw x20, 80(sp)
    sw x21, 84(sp)
    sw x22, 88(sp)
    sw x23, 92(sp)
    sw x24, 96(sp)
    sw x25, 100(sp)
    sw x26, 104(sp)
    sw x27, 108(sp)
    sw x28, 112(sp)
    sw x29, 116(sp)
    sw x30, 120(sp)
    sw x31, 124(sp)
    la t0, isa_regsave
    lw sp, 0(t0)
    lw gp, 4(t0)
    lw tp, 8(t0)
    lw ra, 12(t0)
    CHECK_MEM isa_regbuf, 0, 0
    CHECK_MEM isa_regbuf, 4, 0x01010101
    CHECK_MEM isa_regbuf, 12, 0x03030303
    CHECK_MEM isa_regbuf, 16, 0x04040404
    CHECK_MEM isa_regbuf, 20, 0x05050505
    CHECK_MEM isa_regbuf, 24, 0x06060606
    CHECK_MEM isa_regbuf, 28, 0x07070707
    CHECK_MEM isa_regbuf, 32, 0x08080808
    CHECK_MEM isa_regbuf, 36, 0x09090909
    CHECK_MEM isa_regbuf, 40, 0x0A0A0A0A
    CHECK_MEM isa_regbuf, 44, 0x0B0B0B0B
    CHECK_MEM isa_regbuf, 48, 0x0C0C0C0C
    CHECK_MEM isa_regbuf, 52, 0x0D0D0D0D
    CHECK_MEM isa_regbuf, 56, 0x0E0E0E0E
    CHECK_MEM isa_regbuf, 60, 0x0F0F0F0F
    CHECK_MEM isa_regbuf, 64, 0x10101010
    CHECK_MEM isa_regbuf, 68, 0x11111111
    CHECK_MEM isa_regbuf, 72, 0x12121212
    CHECK_MEM isa_regbuf, 76, 0x13131313
    CHECK_MEM isa_regbuf, 80, 0x14141414
    CHECK_MEM isa_regbuf, 84, 0x15151515
    CHECK_MEM isa_regbuf, 88, 0x16161616
    CHECK_MEM isa_regbuf, 92, 0x17171717
    CHECK_MEM isa_regbuf, 96, 0x18181818
    CHECK_MEM isa_regbuf, 100, 0x19191919
    CHECK_MEM isa_regbuf, 104, 0x1A1A1A1A
    CHECK_MEM isa_regbuf, 108, 0x1B1B1B1B
    CHECK_MEM isa_regbuf, 112, 0x1C1C1C1C
    CHECK_MEM isa_regbuf, 116, 0x1D1D1D1D
    CHECK_MEM isa_regbuf, 120, 0x1E1E1E1E
    CHECK_MEM isa_regbuf, 124, 0x1F1F1F1F

/* ======================================== dependences (pipeline hazards) */
    TEST "alu -> alu back to back, both operands"
    li a1, 5
    addi a2, a1, 3          /* 8 */
    add a3, a2, a2          /* 16 */
    sub a4, a3, a1          /* 11 */
    xor a5, a4, a3          /* 11 ^ 16 = 27 */
    CHECK a5, 27
    TEST "alu -> alu at distance 1, 2, 3"
    li a1, 1
    li a2, 2
    li a3, 4
    li a4, 8
    add a5, a1, a4          /* distance 1 for a4, 4 for a1 */
    add a5, a5, a3          /* a3 at distance 3 */
    nop
    add a5, a5, a2          /* 15 */
    CHECK a5, 15
    TEST "load -> alu (load-use)"
    la a1, isa_ldbuf
    lw a2, 4(a1)
    addi a3, a2, 1
    CHECK a3, 0x12345679
    TEST "load -> both operands"
    la a1, isa_ldbuf
    lw a2, 4(a1)
    add a3, a2, a2
    CHECK a3, 0x2468ACF0
    TEST "load -> load address (pointer chase)"
    la a1, isa_ptr
    lw a2, 0(a1)            /* &isa_ldbuf[2] */
    lw a3, 0(a2)
    CHECK a3, 0xFEDCBA98
    TEST "load -> store data"
    ST_FILL
    la a1, isa_ldbuf
    la a2, isa_stbuf
    lw a3, 0(a1)
    sw a3, 4(a2)
    lw a4, 4(a2)
    CHECK a4, 0x80FF7F01
    TEST "load -> branch"
    la a1, isa_ldbuf
    li a2, 0x12345678
    li a3, 0
    lw a4, 4(a1)
    bne a4, a2, 1f
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 3
    TEST "load -> jalr target"
    li a3, 0
    la a1, isa_jtarget
    lw a2, 0(a1)
    jalr a4, 0(a2)
    addi a3, a3, 1
.Ljt:
    addi a3, a3, 2
    CHECK a3, 2
    TEST "alu -> store address and data"
    ST_FILL
    la a1, isa_stbuf
    addi a1, a1, 8
    li a2, 0x600DF00D
    addi a2, a2, 1
    sw a2, -4(a1)
    CHECK_MEM isa_stbuf, 4, 0x600DF00E
    TEST "store -> load same address at once"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0x0BADCAFE
    sw a2, 8(a1)
    lw a3, 8(a1)
    CHECK a3, 0x0BADCAFE
    TEST "mul -> use at once"
    li a1, 1000
    li a2, 1000
    mul a3, a1, a2
    addi a3, a3, 1
    CHECK a3, 1000001
    TEST "div -> use at once"
    li a1, 1000001
    li a2, 7
    divu a3, a1, a2         /* 142857 r 2 */
    remu a4, a1, a2
    add a5, a3, a4
    CHECK a5, 142859
    TEST "load then alu write to the same rd (older load must not win)"
    la a1, isa_ldbuf
    lw a3, 4(a1)
    addi a3, x0, 7
    CHECK a3, 7
    TEST "div then alu write to the same rd (older div must not win)"
    li a1, 100
    li a2, 3
    div a3, a1, a2
    addi a3, x0, 9
    CHECK a3, 9
    TEST "mul then alu write to the same rd"
    li a1, 100
    mul a3, a1, a1
    addi a3, x0, 11
    add a4, a3, x0
    CHECK a4, 11
    TEST "two writes to one register, read the younger"
    li a3, 1
    li a3, 2
    add a4, a3, a3
    CHECK a4, 4
    TEST "alu -> branch at once"
    li a1, 3
    li a3, 0
    addi a1, a1, -3
    beq a1, x0, 1f
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 2
    TEST "alu -> jalr target at once"
    li a3, 0
    la a1, 1f - 4
    addi a1, a1, 4
    jalr x0, 0(a1)
    addi a3, a3, 1
1:  addi a3, a3, 2
    CHECK a3, 2
    TEST "store in the shadow of a taken jal does not happen"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0x66666666
    j 1f
    sw a2, 4(a1)
    sw a2, 8(a1)
1:  TRAP_ST_CHECK
    TEST "store in the shadow of a taken branch does not happen"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0x77777777
    beq a1, a1, 1f
    sw a2, 4(a1)
    sw a2, 8(a1)
1:  TRAP_ST_CHECK
    TEST "load in the shadow of a taken branch does not write"
    li a3, SENT
    la a1, isa_ldbuf
    bne a1, x0, 1f
    lw a3, 0(a1)
    addi a3, a3, 1
1:  CHECK a3, SENT
    TEST "fence, fence.i and fence.tso execute as no-ops"
    li a4, 0
    fence
    addi a4, a4, 1
    fence rw, rw
    addi a4, a4, 1
    .word 0x0000100F       /* fence.i */
    addi a4, a4, 1
    .word 0x8330000F       /* fence.tso */
    addi a4, a4, 1
    CHECK a4, 4

/* ================================================================= traps */
    /* each: write nothing, go on at pc+4 (see TRAP_BEGIN / TRAP_END) */
    TEST "illegal 0x00000000"
    TRAP_BEGIN
    .word 0x00000000
    TRAP_END

    TEST "illegal 0xFFFFFFFF (rd field = x31)"
    TRAP_BEGIN
    li t6, SENT
    .word 0xFFFFFFFF
    add a4, t6, x0         /* right after it: t6 must still be SENT */
    mv a3, t6
    CHECK a4, SENT
    CHECK a3, SENT

    TEST "illegal 0x00000001 (16-bit encoding, no C extension)"
    TRAP_BEGIN
    .word 0x00000001
    TRAP_END
    TEST "illegal 0x000006B2 (c.slli a3, 12 in the low half; no C extension)"
    TRAP_BEGIN
    .word 0x000006B2
    TRAP_END

    TEST "OP funct7 0x02 (rd=a3)"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 0, 0x02, a3, a1, a2
    TRAP_END
    TEST "OP funct7 0x20 with SLL"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 1, 0x20, a3, a1, a2
    TRAP_END
    TEST "OP funct7 0x20 with AND"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 7, 0x20, a3, a1, a2
    TRAP_END
    TEST "OP funct7 0x21 (MUL with bit 30)"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 0, 0x21, a3, a1, a2
    TRAP_END
    TEST "OP funct7 0x40"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 0, 0x40, a3, a1, a2
    TRAP_END
    TEST "OP funct7 0x60 with funct3 5 (SRA with bit 31)"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 5, 0x60, a3, a1, a2
    TRAP_END
    TEST "OP funct7 0x21 with funct3 5 (SRA and M bits)"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x33, 5, 0x21, a3, a1, a2
    TRAP_END
    TEST "SLLI with funct7 0x20"
    li a1, 3
    TRAP_BEGIN
    .insn i 0x13, 1, a3, a1, 0x401
    TRAP_END
    TEST "SLLI shamt 33 (shamt[5] set, reserved in RV32)"
    li a1, 3
    TRAP_BEGIN
    .insn i 0x13, 1, a3, a1, 0x021
    TRAP_END
    TEST "SRLI with funct7 0x10"
    li a1, 3
    TRAP_BEGIN
    .insn i 0x13, 5, a3, a1, 0x201
    TRAP_END
    TEST "SRAI shamt 33 (shamt[5] set)"
    li a1, 3
    TRAP_BEGIN
    .insn i 0x13, 5, a3, a1, 0x421
    TRAP_END
    TEST "OP-32 (RV64 addw)"
    li a1, 3
    li a2, 4
    TRAP_BEGIN
    .insn r 0x3B, 0, 0, a3, a1, a2
    TRAP_END
    TEST "OP-IMM-32 (RV64 addiw)"
    li a1, 3
    TRAP_BEGIN
    .insn i 0x1B, 0, a3, a1, 1
    TRAP_END
    TEST "custom-0 opcode"
    li a1, 3
    TRAP_BEGIN
    .insn i 0x0B, 0, a3, a1, 0
    TRAP_END

    TEST "LOAD funct3 3 (RV64 ld)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    .insn i 0x03, 3, a3, 0(a1)
    TRAP_END
    TEST "LOAD funct3 6 (RV64 lwu)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    .insn i 0x03, 6, a3, 0(a1)
    TRAP_END
    TEST "LOAD funct3 7"
    la a1, isa_ldbuf
    TRAP_BEGIN
    .insn i 0x03, 7, a3, 0(a1)
    TRAP_END
    TEST "STORE funct3 3 (RV64 sd) writes no memory"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0x99999999
    TRAP_BEGIN
    .insn s 0x23, 3, a2, 4(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "STORE funct3 4 writes no memory"
    ST_FILL
    la a1, isa_stbuf
    li a2, 0x99999999
    TRAP_BEGIN
    .insn s 0x23, 4, a2, 4(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "BRANCH funct3 2 does not branch"
    li a1, 1
    TRAP_BEGIN
    .insn b 0x63, 2, a1, a1, . + 8
    TRAP_END
    TEST "BRANCH funct3 3 does not branch"
    li a1, 1
    TRAP_BEGIN
    .insn b 0x63, 3, a1, a1, . + 8
    TRAP_END
    TEST "JALR funct3 1 neither jumps nor links"
    la a1, 1f
    TRAP_BEGIN
    .insn i 0x67, 1, a3, a1, 0
    addi a4, a3, 1
1:  CHECK a4, SENT + 1
    CHECK a3, SENT
    TEST "LOAD-FP (flw, no F extension)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    .insn i 0x07, 2, a3, 0(a1)
    TRAP_END
    TEST "STORE-FP (fsw) writes no memory"
    ST_FILL
    la a1, isa_stbuf
    TRAP_BEGIN
    .insn s 0x27, 2, a2, 4(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "AMO amoadd.w (no A extension) writes nothing"
    ST_FILL
    la a1, isa_stbuf + 4
    li a2, 0x01010101
    TRAP_BEGIN
    .insn r 0x2F, 2, 0x00, a3, a1, a2
    TRAP_END
    TRAP_ST_CHECK
    TEST "AMO lr.w (no A extension)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    .insn r 0x2F, 2, 0x08, a3, a1, x0
    TRAP_END

    .option push
    .option arch, +zicsr
    TEST "ecall"
    li a0, 0x0A0A0A0A
    li a7, 0x07070707
    TRAP_BEGIN
    ecall
    TRAP_END
    CHECK a0, 0x0A0A0A0A
    CHECK a7, 0x07070707
    TEST "ecall encoding with rd = a3"
    TRAP_BEGIN
    .word 0x000006F3
    TRAP_END
    /* EBREAK is exactly 0x00100073; these near-EBREAK words must trap and
     * not halt.  a0 is set non-zero first so that a wrong halt fails. */
    TEST "ebreak encoding with rd = a3 (not EBREAK: trap)"
    li a0, 0xEE
    TRAP_BEGIN
    .word 0x001006F3
    TRAP_END
    TEST "ebreak encoding with rs1 = a1 (not EBREAK: trap)"
    li a0, 0xEE
    TRAP_BEGIN
    .word 0x00158073
    TRAP_END
    TEST "mret"
    TRAP_BEGIN
    .word 0x30200073
    TRAP_END
    TEST "sret"
    TRAP_BEGIN
    .word 0x10200073
    TRAP_END
    TEST "uret"
    TRAP_BEGIN
    .word 0x00200073
    TRAP_END
    TEST "wfi"
    TRAP_BEGIN
    .word 0x10500073
    TRAP_END
    TEST "csrrw a3, mscratch, a1"
    li a1, 0x12345678
    TRAP_BEGIN
    csrrw a3, mscratch, a1
    TRAP_END
    TEST "csrrs a3, mstatus, x0 (csrr)"
    TRAP_BEGIN
    csrrs a3, mstatus, x0
    TRAP_END
    TEST "csrrc a3, mscratch, a1"
    li a1, -1
    TRAP_BEGIN
    csrrc a3, mscratch, a1
    TRAP_END
    TEST "csrrwi a3, mscratch, 5"
    TRAP_BEGIN
    csrrwi a3, mscratch, 5
    TRAP_END
    TEST "csrrsi a3, mie, 1"
    TRAP_BEGIN
    csrrsi a3, mie, 1
    TRAP_END
    TEST "csrrci a3, mscratch, 31"
    TRAP_BEGIN
    csrrci a3, mscratch, 31
    TRAP_END
    TEST "rdcycle"
    TRAP_BEGIN
    rdcycle a3
    TRAP_END
    TEST "rdinstret"
    TRAP_BEGIN
    rdinstret a3
    TRAP_END
    TEST "rdtime"
    TRAP_BEGIN
    rdtime a3
    TRAP_END
    TEST "csrw then csrr mscratch: nothing written, nothing read"
    li a1, 0x55AA55AA
    csrw mscratch, a1
    TRAP_BEGIN
    csrr a3, mscratch
    TRAP_END
    .option pop

    /* misaligned loads: isa_ldbuf is word aligned */
    TEST "lh at +1 (misaligned)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    lh a3, 1(a1)
    TRAP_END
    TEST "lh at +3 (misaligned, crosses a word)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    lh a3, 3(a1)
    TRAP_END
    TEST "lhu at +1 (misaligned)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    lhu a3, 1(a1)
    TRAP_END
    TEST "lw at +1 (misaligned)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    lw a3, 1(a1)
    TRAP_END
    TEST "lw at +2 (misaligned)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    lw a3, 2(a1)
    TRAP_END
    TEST "lw at +3 (misaligned)"
    la a1, isa_ldbuf
    TRAP_BEGIN
    lw a3, 3(a1)
    TRAP_END
    TEST "lw misaligned via rs1 (rs1 = base+2, imm 0)"
    la a1, isa_ldbuf + 2
    TRAP_BEGIN
    lw a3, 0(a1)
    TRAP_END
    TEST "lw misaligned with rd = rs1 keeps rs1"
    la a1, isa_ldbuf + 1
    lw a1, 0(a1)
    addi a4, a1, 0
    CHECK_ADDR a4, isa_ldbuf + 1
    CHECK_ADDR a1, isa_ldbuf + 1

    /* misaligned stores into word 1 of isa_stbuf: no byte may change */
    TEST "sh at +1 (misaligned) writes no memory"
    ST_FILL
    la a1, isa_stbuf + 4
    li a2, 0xA5A5A5A5
    TRAP_BEGIN
    sh a2, 1(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "sh at +3 (misaligned, crosses a word) writes no memory"
    ST_FILL
    la a1, isa_stbuf + 4
    li a2, 0xA5A5A5A5
    TRAP_BEGIN
    sh a2, 3(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "sw at +1 (misaligned) writes no memory"
    ST_FILL
    la a1, isa_stbuf + 4
    li a2, 0xA5A5A5A5
    TRAP_BEGIN
    sw a2, 1(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "sw at +2 (misaligned) writes no memory"
    ST_FILL
    la a1, isa_stbuf + 4
    li a2, 0xA5A5A5A5
    TRAP_BEGIN
    sw a2, 2(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "sw at +3 (misaligned) writes no memory"
    ST_FILL
    la a1, isa_stbuf + 4
    li a2, 0xA5A5A5A5
    TRAP_BEGIN
    sw a2, 3(a1)
    TRAP_END
    TRAP_ST_CHECK
    TEST "sw at -2 (misaligned, negative offset) writes no memory"
    ST_FILL
    la a1, isa_stbuf + 8
    li a2, 0xA5A5A5A5
    TRAP_BEGIN
    sw a2, -2(a1)
    TRAP_END
    TRAP_ST_CHECK

    /* misaligned taken targets trap; not-taken ones do not matter */
    T_MIS_FWD br, beq, 5, 5
    T_MIS_FWD br, bne, 5, 6
    T_MIS_FWD br, blt, -1, 1
    T_MIS_FWD br, bge, 1, -1
    T_MIS_FWD br, bltu, 1, -1
    T_MIS_FWD br, bgeu, -1, 1
    T_MIS_BACK br, beq, 0, 0
    T_MIS_BACK br, bne, 1, 0
    T_MIS_BACK br, blt, 0x80000000, 0
    T_MIS_BACK br, bge, 0, 0x80000000
    T_MIS_BACK br, bltu, 0, 0x80000000
    T_MIS_BACK br, bgeu, 0x80000000, 0
    T_BR_MIS_NT beq, 5, 6
    T_BR_MIS_NT bltu, -1, 1
    T_MIS_FWD jal
    T_MIS_BACK jal
    T_MIS_FWD jalx0
    T_MIS_BACK jalx0
    T_MIS_FWD jalr_imm
    T_MIS_BACK jalr_imm
    T_MIS_FWD jalr_rs1
    T_MIS_BACK jalr_rs1
    T_MIS_FWD jalr_odd
    T_MIS_BACK jalr_odd

    TEST "jalr misaligned with rd = rs1 keeps rs1"
    la a1, 1f + 2
    li a4, 0
    jalr a1, 0(a1)
    addi a4, a4, 1
    j 2f
1:  addi a4, a4, 100
2:  CHECK a4, 1
    CHECK_ADDR a1, 1b + 2

    TEST "illegal instruction result not forwarded to the next one"
    li a1, 3
    li a2, 4
    li a3, 7
    .insn r 0x33, 0, 0x02, a3, a1, a2
    add a4, a3, a3
    CHECK a4, 14
    TEST "misaligned load result not forwarded"
    la a1, isa_ldbuf
    li a3, 9
    lw a3, 2(a1)
    add a4, a3, x0
    CHECK a4, 9

/* ============================================================== the end */
    lw ra, 0(sp)
    lw s0, 4(sp)
    lw s1, 8(sp)
    lw s2, 12(sp)
    lw s3, 16(sp)
    lw s4, 20(sp)
    lw s5, 24(sp)
    lw s6, 28(sp)
    lw s7, 32(sp)
    lw s8, 36(sp)
    lw s9, 40(sp)
    lw s10, 44(sp)
    lw s11, 48(sp)
    lw gp, 52(sp)
    lw tp, 56(sp)
    addi sp, sp, 64
    ret
    .size isa_run, . - isa_run

/* a3 += 40, return through ra */
    .type isa_leaf, @function
isa_leaf:
    addi a3, a3, 40
    jalr x0, 0(ra)
    .size isa_leaf, . - isa_leaf

/* isa_fail: t4 = return address, t5 = got, t6 = expected.  Logs the failed
 * check and counts the current test once.  Preserves every register but t4. */
    .type isa_fail, @function
isa_fail:
    addi sp, sp, -16
    sw a0, 0(sp)
    sw a1, 4(sp)
    sw a2, 8(sp)
    sw a3, 12(sp)
    la a0, isa_state
    lw a1, ISA_ST_CUR(a0)
    lw a2, ISA_ST_LAST(a0)
    beq a1, a2, 1f
    sw a1, ISA_ST_LAST(a0)
    lw a2, ISA_ST_FAILED(a0)
    addi a2, a2, 1
    sw a2, ISA_ST_FAILED(a0)
1:  lw a2, ISA_ST_NLOG(a0)
    addi a3, a2, 1
    sw a3, ISA_ST_NLOG(a0)
    li a3, ISA_LOG_MAX
    bgeu a2, a3, 2f
    slli a3, a2, 3
    slli a2, a2, 2
    add a3, a3, a2          /* index * 12 */
    add a3, a3, a0
    sw a1, ISA_ST_LOG(a3)
    sw t5, ISA_ST_LOG + 4(a3)
    sw t6, ISA_ST_LOG + 8(a3)
2:  lw a0, 0(sp)
    lw a1, 4(sp)
    lw a2, 8(sp)
    lw a3, 12(sp)
    addi sp, sp, 16
    jr t4
    .size isa_fail, . - isa_fail

    .section .rodata, "a"
    .balign 4
    .globl isa_tab_count
isa_tab_count:
    .word .Lisa_num

    .data
    .balign 4
isa_ldbuf:
    .word 0x80FF7F01, 0x12345678, 0xFEDCBA98, 0x00000000
isa_ptr:
    .word isa_ldbuf + 8
isa_jtarget:
    .word .Ljt

    .bss
    .balign 4
    .globl isa_state
isa_state:
    .skip ISA_STATE_BYTES
isa_stbuf:
    .skip 16
isa_regsave:
    .skip 16
isa_regbuf:
    .skip 128
