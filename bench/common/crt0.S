/* crt0.S - start-up code for the bench programs (DESIGN.md §2).
 *
 * Placed at address 0 (the reset PC) through the .text.start section that
 * link.ld keeps first.  It sets the global pointer and the stack pointer (top
 * of the 1 MiB RAM), zeroes .bss word by word (link.ld aligns both ends to 4),
 * calls main(void), and ends the program with EBREAK with main's return value
 * in a0, which the simulator and the harness read as the exit code.
 * .data needs no copy: the ELF loader places it at its link address.
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* gp must be set without relaxation, or the linker would rewrite this very
     * sequence to be gp-relative. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    la      t0, __bss_start
    la      t1, __bss_end
    bgeu    t0, t1, 2f
1:  sw      zero, 0(t0)
    addi    t0, t0, 4
    bltu    t0, t1, 1b
2:
    call    main
    /* main's return value is already in a0 (the ILP32 ABI); stop here. */
    ebreak
    /* EBREAK ends the program; should a core not halt, do not run into
     * whatever follows. */
3:  j       3b
    .size _start, . - _start
