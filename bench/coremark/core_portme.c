/* core_portme.c - CoreMark port layer: seeds, timing markers, init/fini.
 *
 * Timing.  The platform has no timer and no cycle CSR (CSR instructions
 * trap), so the port cannot measure time itself.  start_time() and
 * stop_time() store to the BENCH_START / BENCH_STOP markers; the harness
 * counts the core's cycles between them (and rv32sim --stats the retired
 * instructions), and that count is the benchmark's result:
 * CoreMark/MHz = iterations / cycles * 10^6.
 * core_main.c still wants a duration and rejects runs shorter than 10 s, so
 * get_time() reports a nominal CM_NOMINAL_SECS seconds of ticks for every
 * run: the "Total ticks", "Total time (secs)" and "Iterations/Sec" lines are
 * therefore placeholders, and portable_fini() says so in the output.
 */
#include "coremark.h"
#include "platform.h"

/* The nominal duration every run reports (core_main.c requires >= 10 s). */
#define CM_NOMINAL_SECS 10u

#if defined(VALIDATION_RUN) && VALIDATION_RUN
volatile ee_s32 seed1_volatile = 0x3415;
volatile ee_s32 seed2_volatile = 0x3415;
volatile ee_s32 seed3_volatile = 0x66;
#else /* performance run */
volatile ee_s32 seed1_volatile = 0x0;
volatile ee_s32 seed2_volatile = 0x0;
volatile ee_s32 seed3_volatile = 0x66;
#endif
#ifndef ITERATIONS
#define ITERATIONS 10
#endif
volatile ee_s32 seed4_volatile = ITERATIONS;
volatile ee_s32 seed5_volatile = 0;

ee_u32 default_num_contexts = 1;

static int cm_started, cm_stopped;

void start_time(void)
{
    cm_started = 1;
    bench_start();
}

void stop_time(void)
{
    bench_stop();
    cm_stopped = 1;
}

CORE_TICKS get_time(void)
{
    /* Nominal: a complete start/stop pair counts as CM_NOMINAL_SECS. */
    return (cm_started && cm_stopped) ? CM_NOMINAL_SECS * EE_TICKS_PER_SEC : 0u;
}

secs_ret time_in_secs(CORE_TICKS ticks)
{
    return (secs_ret)(ticks / EE_TICKS_PER_SEC);
}

void portable_init(core_portable *p, int *argc, char *argv[])
{
    (void)argc;
    (void)argv;
    if (sizeof(ee_ptr_int) != sizeof(ee_u8 *))
        ee_printf("ERROR! ee_ptr_int cannot hold a pointer\n");
    if (sizeof(ee_u32) != 4)
        ee_printf("ERROR! ee_u32 is not 32 bits\n");
    p->portable_id = 1;
}

void portable_fini(core_portable *p)
{
    p->portable_id = 0;
    ee_printf("coremark port: no timer on this platform; the ticks, seconds and "
              "iterations/sec above are nominal. The result is the cycle count "
              "between BENCH_START and BENCH_STOP: CoreMark/MHz = %u / cycles * 1e6\n",
              (unsigned)ITERATIONS);
}
