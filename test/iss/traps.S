/* traps.S — four trapping instructions that must each retire and fall through
 * (ECALL, a CSR write, MRET, a misaligned load), then exit 7. */
    .text
    .globl _start
_start:
    li      a0, 1
    ecall
    .word   0x34051073              /* csrw mscratch, a0 (Zicsr: not in RV32IM) */
    .word   0x30200073              /* mret */
    lw      a0, 2(zero)
    addi    a0, a0, 6
    ebreak
