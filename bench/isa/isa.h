/* isa.h - layout shared by the ISA test set (isa.S) and its reporter (isa_main.c).
 *
 * isa.S keeps its bookkeeping in the word array isa_state[]: the number of the
 * test being run, how many tests ran, how many distinct tests failed, and a log
 * of the first ISA_LOG_MAX failed checks as (test number, got, expected).
 * isa_tab[] maps test numbers to names: pairs of words (number, address of a
 * NUL-terminated name); isa_tab_count is the number of pairs and also the
 * number of tests defined.  Usable from C and from the assembler.
 */
#ifndef BENCH_ISA_H
#define BENCH_ISA_H

#define ISA_ST_CUR 0      /* number of the test now running */
#define ISA_ST_RAN 4      /* tests started */
#define ISA_ST_FAILED 8   /* distinct tests with at least one failed check */
#define ISA_ST_LAST 12    /* number of the last failed test */
#define ISA_ST_NLOG 16    /* entries used in the log */
#define ISA_ST_LOG 20     /* log entries start here */
#define ISA_LOG_MAX 64
#define ISA_LOG_ENTRY 12  /* test, got, expected */
#define ISA_STATE_BYTES (ISA_ST_LOG + ISA_LOG_MAX * ISA_LOG_ENTRY)

#ifndef __ASSEMBLER__
#include <stdint.h>
extern volatile uint32_t isa_state[ISA_STATE_BYTES / 4];
extern const uint32_t isa_tab[];
extern const uint32_t isa_tab_count;
/* Runs every test; preserves the callee-saved registers, sp, gp and tp. */
void isa_run(void);
#endif

#endif /* BENCH_ISA_H */
