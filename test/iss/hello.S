/* hello.S — rv32sim end-to-end program: bench markers around a counted loop,
 * a UART message, exit code 42. Instruction counts the CLI test expects, by
 * hand: BENCH_START is retirement 2, BENCH_STOP retirement 14, 122 in all
 * (2 + 1 + 1 + 5*2 + 1 markers/loop, 2 + 1 setup, 20 chars * 5, 2 + 2 end). */
    .text
    .globl _start
_start:
    li      t0, 0x10000100          /* lui + addi: retirements 0, 1 */
    sw      zero, 0(t0)             /* 2: BENCH_START */
    li      t1, 5                   /* 3 */
1:  addi    t1, t1, -1              /* 4..13: 5 iterations of 2 */
    bnez    t1, 1b
    sw      zero, 4(t0)             /* 14: BENCH_STOP */
    la      a1, msg                 /* auipc + addi */
    li      a2, 0x10000000          /* lui */
2:  lbu     a3, 0(a1)               /* 5 per character */
    beqz    a3, 3f
    sb      a3, 0(a2)
    addi    a1, a1, 1
    j       2b
3:  li      a0, 42
    ebreak

    .section .rodata
msg:
    .asciz  "Hello from rv32sim!\n"
