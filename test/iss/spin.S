/* spin.S — never ends: rv32sim --max-insns N exits 124. */
    .text
    .globl _start
_start:
    addi    a0, a0, 1
    j       _start
