# smoke.S — program for tb_core.sv (regenerate smoke_prog.svh with mkprog.sh).
# Self-checking: every CHECK compares a register with a value worked out by
# hand; a mismatch adds 1 to s1. At the end it stores 0x600D0000 + s1 to
# RESULT and executes EBREAK. One section runs a loop again from its alias
# 16 KiB higher: it needs a memory that wraps at 16 KiB (tb_core's does; to
# run it elsewhere, copy the first 16 KiB to 0x4000). It also contains exactly 8 instructions that must
# trap (illegal, ECALL, CSR, misaligned load/store/JALR/branch/JAL); none may
# write a register or memory. Memory map of the testbench: 16 KiB at 0.
        .equ DATA, 0x2000
        .equ RESULT, 0x3000
        .equ CANARY, 0x3004

        .macro CHECK reg, val
        li      t6, \val
        beq     \reg, t6, 1f
        addi    s1, s1, 1
1:
        .endm

        .text
        .globl _start
_start:
        li      s0, DATA
        li      s1, 0
        # ---- forwarding at distance 1, 2, 3 and through x0
        li      t0, 5
        addi    t1, t0, 1
        addi    t2, t0, 2
        addi    t3, t0, 3
        add     t4, t1, t2
        add     t4, t4, t3
        CHECK   t4, 21
        addi    zero, zero, 7
        add     t4, zero, t0
        CHECK   t4, 5
        lui     t0, 0x80000
        srai    t1, t0, 4
        CHECK   t1, 0xf8000000
        sltu    t2, t0, t1
        CHECK   t2, 1
        slt     t2, t0, t1
        CHECK   t2, 1
        auipc   t3, 0
        jal     t4, 1f
1:      sub     t4, t4, t3
        CHECK   t4, 8
        # ---- stores, loads, load-use, store-to-load
        li      t0, 0x8badf00d
        sw      t0, 0(s0)
        lw      t1, 0(s0)
        addi    t1, t1, 1
        CHECK   t1, 0x8badf00e
        lb      t2, 3(s0)
        CHECK   t2, 0xffffff8b
        lbu     t2, 3(s0)
        CHECK   t2, 0x8b
        lh      t2, 2(s0)
        CHECK   t2, 0xffff8bad
        lhu     t2, 0(s0)
        CHECK   t2, 0xf00d
        li      t0, 0x1234
        sh      t0, 6(s0)
        sb      t0, 4(s0)
        lw      t1, 4(s0)
        srli    t2, t1, 16
        CHECK   t2, 0x1234
        andi    t2, t1, 0xff
        CHECK   t2, 0x34
        # ---- branches right behind memory accesses: the branch waits in EX
        #      while the access waits in MEM (bus stalls)
        li      t3, 0
        li      t4, 3
9:      lw      t0, 0(s0)
        bnez    t0, 10f             # taken, uses the load at once
        addi    s1, s1, 1
10:     sw      t0, 8(s0)
        beqz    zero, 11f           # taken right behind a store
        addi    s1, s1, 1
11:     lw      t1, 8(s0)
        bne     t1, t0, 12f         # not taken, uses the load at once
        addi    t3, t3, 1
12:     addi    t4, t4, -1
        bnez    t4, 9b
        CHECK   t3, 3
        # ---- M extension, results used at once
        li      t0, -7
        li      t1, 3
        mul     t2, t0, t1
        addi    t2, t2, 1
        CHECK   t2, -20
        mulh    t2, t0, t1
        CHECK   t2, -1
        mulhu   t2, t0, t1
        CHECK   t2, 2
        mulhsu  t2, t0, t1
        CHECK   t2, -1
        div     t2, t0, t1
        CHECK   t2, -2
        rem     t2, t0, t1
        CHECK   t2, -1
        divu    t2, t0, t1
        CHECK   t2, 0x55555553
        remu    t2, t0, t1
        CHECK   t2, 0
        div     t2, t0, zero
        CHECK   t2, -1
        remu    t2, t0, zero
        CHECK   t2, -7
        li      t0, 0x80000000
        li      t1, -1
        div     t2, t0, t1
        CHECK   t2, 0x80000000
        rem     t2, t0, t1
        CHECK   t2, 0
        lw      t0, 0(s0)
        mul     t2, t0, t0
        CHECK   t2, 0x70aa60a9
        # ---- loops and branches: sum 1..10, nested with a call
        li      t0, 10
        li      t1, 0
2:      add     t1, t1, t0
        addi    t0, t0, -1
        bnez    t0, 2b
        CHECK   t1, 55
        li      t3, 0
        li      t0, 4
3:      jal     ra, square_add
        addi    t0, t0, -1
        bgtz    t0, 3b
        CHECK   t3, 30
        li      t0, -1
        li      t1, 1
        li      t2, 0
        blt     t0, t1, 4f
        addi    t2, t2, 1
4:      bltu    t0, t1, 5f
        addi    t2, t2, 2
5:      bge     t0, t1, 6f
        addi    t2, t2, 4
6:      bgeu    t0, t1, 7f
        addi    t2, t2, 8
7:      CHECK   t2, 6
        # ---- the same loop at two addresses 16 KiB apart (the testbench memory
        #      wraps at 16 KiB): a small BTB trained on the first copy hits on
        #      the second with the first copy's target, which must be refused
        li      t5, 2
alias_top:
        li      t0, 3
        li      t1, 0
13:     addi    t1, t1, 1
        addi    t0, t0, -1
        bnez    t0, 13b
        CHECK   t1, 3
        addi    t5, t5, -1
        beqz    t5, 14f
        lui     t2, %hi(alias_top + 0x4000)
        addi    t2, t2, %lo(alias_top + 0x4000)
        jr      t2                  # second pass, 16 KiB higher
14:     lui     t2, %hi(alias_back)
        addi    t2, t2, %lo(alias_back)
        jr      t2                  # back to the real addresses
alias_back:
        # ---- traps: nothing written, execution continues at pc+4
        li      t0, 0x11
        li      t1, 0x22
        la      t2, CANARY
        li      t3, 0x5a5a5a5a
        sw      t3, 0(t2)
        .word   0                   # illegal
        ecall
        csrrs   t0, mcycle, zero
        lw      t0, 1(s0)           # misaligned load
        sh      t1, 1(t2)           # misaligned store (over the canary)
        la      t4, 8f
        jalr    t1, 2(t4)           # misaligned jump target
8:      beq     zero, zero, .+6     # misaligned taken branch target
        .word   0x0060006f | (5 << 7)   # jal t0, .+6 (misaligned)
        CHECK   t0, 0x11
        CHECK   t1, 0x22
        lw      t3, 0(t2)
        CHECK   t3, 0x5a5a5a5a
        # ---- done
        li      t0, 0x600d0000
        add     t0, t0, s1
        li      t1, RESULT
        sw      t0, 0(t1)
        ebreak
        # never executed: a store after EBREAK must not happen
        sw      zero, 0(t1)
        ebreak

square_add:                          # t3 += t0 * t0
        mul     t5, t0, t0
        add     t3, t3, t5
        ret
