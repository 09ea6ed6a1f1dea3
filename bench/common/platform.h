/* platform.h - the bench programs' view of the platform (DESIGN.md §2).
 *
 * Contract:
 *  - plat_putc() writes one byte to the UART (a word store to PLAT_UART_TX;
 *    the device keeps the low byte).  The plat_put* helpers build on it and
 *    never allocate; "\n" is sent as is (no CR).
 *  - bench_start()/bench_stop() store to the BENCH_START/BENCH_STOP markers;
 *    the harness times (cycles) and the ISS counts (instructions) the region
 *    between the first start and the last stop.  The stores are volatile and
 *    carry a compiler barrier so the timed code cannot move across them.
 *  - There is no timer, no input and no trap handler: a program ends by
 *    returning from main (crt0 executes EBREAK with the return value in a0).
 */
#ifndef BENCH_PLATFORM_H
#define BENCH_PLATFORM_H

#include <stdint.h>

#define PLAT_UART_TX     0x10000000u
#define PLAT_BENCH_START 0x10000100u
#define PLAT_BENCH_STOP  0x10000104u

static inline void plat_store(uint32_t addr, uint32_t value)
{
    __asm__ volatile("" ::: "memory");
    *(volatile uint32_t *)addr = value;
    __asm__ volatile("" ::: "memory");
}

static inline void plat_putc(char c)
{
    plat_store(PLAT_UART_TX, (uint32_t)(unsigned char)c);
}

static inline void bench_start(void) { plat_store(PLAT_BENCH_START, 1u); }
static inline void bench_stop(void) { plat_store(PLAT_BENCH_STOP, 1u); }

/* Writes a NUL-terminated string. */
void plat_puts(const char *s);
/* Writes v as exactly `digits` lower-case hex digits (1..8), no prefix. */
void plat_put_hex(uint32_t v, int digits);
/* Writes "0x" and 8 hex digits. */
void plat_put_hex32(uint32_t v);
/* Writes v in decimal. */
void plat_put_udec(uint32_t v);
void plat_put_dec(int32_t v);

#endif /* BENCH_PLATFORM_H */
