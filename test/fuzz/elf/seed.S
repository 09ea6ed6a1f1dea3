/* seed.S — the source of corpus/rv32-load-store.elf (a valid RV32IM image, so the fuzzer
 * starts past the ELF header checks). Rebuilt with:
 *   riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 -nostdlib -nostartfiles -Wl,-N \
 *     -Wl,-Ttext=0x0 -Wl,--build-id=none -o e.elf seed.S && riscv64-unknown-elf-strip -R .riscv.attributes e.elf */
    .section .text
    .globl _start
_start:
    li a0, 5
    la a1, data
    lw a2, 0(a1)
    add a0, a0, a2
    sw a0, 4(a1)
    ebreak
    .section .data
data: .word 7, 0
