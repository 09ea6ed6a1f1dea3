/* exit300.S — exits with a0 = 300: rv32sim exits with 300 & 0xFF = 44. */
    .text
    .globl _start
_start:
    li      a0, 300
    ebreak
