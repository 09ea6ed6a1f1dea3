/* fault.S — loads from 0x20000000, outside the memory map: rv32sim exits 125. */
    .text
    .globl _start
_start:
    li      a1, 0x20000000
    lw      a0, 0(a1)
    ebreak
