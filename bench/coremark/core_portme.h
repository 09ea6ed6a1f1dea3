/* core_portme.h - the CoreMark port layer for the bench platform
 * (DESIGN.md §2, §3).  Written for this project from CoreMark's
 * documented port interface; the benchmark sources themselves come from the
 * user's checkout (COREMARK_DIR), never from this tree.
 *
 * Contract with CoreMark's core_main.c / core_util.c:
 *  - the basic types ee_u8..ee_u32, ee_s16/ee_s32, ee_ptr_int, ee_size_t, and
 *    align_mem() rounding a pointer up to a multiple of 4;
 *  - no floating point (HAS_FLOAT 0), no stdio (ee_printf writes to the UART),
 *    one context, data on the stack (MEM_STACK), seeds from volatiles
 *    (SEED_VOLATILE: performance run 0, 0, 0x66 unless VALIDATION_RUN);
 *  - time: start_time()/stop_time() store to BENCH_START/BENCH_STOP.  The
 *    platform has no timer, so CORE_TICKS are nominal (see core_portme.c):
 *    the real time of a run is the cycle count the harness measures between
 *    the two markers.
 */
#ifndef CORE_PORTME_H
#define CORE_PORTME_H

#include <stddef.h>

#define HAS_FLOAT 0
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0

#define MAIN_HAS_NOARGC 1
#define MAIN_HAS_NORETURN 0

#define SEED_METHOD SEED_VOLATILE
#define MEM_METHOD MEM_STACK
#define MEM_LOCATION "STACK"

#define MULTITHREAD 1
#define USE_PTHREAD 0
#define USE_FORK 0
#define USE_SOCKET 0

#if !defined(PERFORMANCE_RUN) && !defined(VALIDATION_RUN)
#define PERFORMANCE_RUN 1
#endif

#ifndef COMPILER_VERSION
#ifdef __GNUC__
#define COMPILER_VERSION "GCC" __VERSION__
#else
#define COMPILER_VERSION "unknown compiler"
#endif
#endif
#ifndef COMPILER_FLAGS
#ifdef FLAGS_STR
#define COMPILER_FLAGS FLAGS_STR
#else
#define COMPILER_FLAGS "(flags not given: build with bench/bench.mk)"
#endif
#endif

typedef signed short ee_s16;
typedef unsigned short ee_u16;
typedef signed int ee_s32;
typedef unsigned int ee_u32;
typedef unsigned char ee_u8;
typedef ee_u32 ee_ptr_int; /* ILP32: a pointer fits in 32 bits */
typedef size_t ee_size_t;

#define align_mem(x) ((void *)(((ee_ptr_int)(x) + 3u) & ~(ee_ptr_int)3u))

/* Nominal ticks: there is no timer (see core_portme.c). */
typedef ee_u32 CORE_TICKS;
#define EE_TICKS_PER_SEC 1000u

typedef struct CORE_PORTABLE_S {
    ee_u8 portable_id;
} core_portable;

extern ee_u32 default_num_contexts;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);

/* printf subset on the UART: %d %i %u %x %X %s %c %p %%, flags '-' and '0',
 * a field width, and the 'l' length modifier.  Returns the bytes written. */
int ee_printf(const char *fmt, ...);

#endif /* CORE_PORTME_H */
