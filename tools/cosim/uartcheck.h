/* uartcheck — validates what a fitness program printed on the UART (DESIGN.md §3).
 *
 * Contract:
 *  - UART_CHECK_WORKLOAD: the project workload must print "workload: checksums OK"
 *    and "iterations: N" (N > 0).
 *  - UART_CHECK_COREMARK: EEMBC CoreMark must print "Correct operation validated.",
 *    "Iterations : N" (N > 0, and N == expect_iterations when that is nonzero)
 *    and the 2K performance-run CRCs seedcrc 0xe9f5, [0]crclist 0xe714,
 *    [0]crcmatrix 0x1fd7, [0]crcstate 0x8e3a, [0]crcfinal 0xfcaf.
 *  - UART_CHECK_VM: the interpreter workload (bench/vm) must print "vm: checksums OK"
 *    and "iterations: N" (N > 0).
 *  - UART_CHECK_NONE: nothing to validate (always ok, no iterations).
 *  - The result says ok/not ok, the iteration count (0 when absent) and a one-line
 *    reason naming the first thing missing or wrong. Pure: no I/O.
 */
#ifndef COSIM_UARTCHECK_H
#define COSIM_UARTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { UART_CHECK_NONE, UART_CHECK_WORKLOAD, UART_CHECK_COREMARK, UART_CHECK_VM } uart_check_kind;

typedef struct {
    bool ok;
    uint64_t iterations;
    char reason[160];
} uart_check_result;

/* "none" | "workload" | "coremark" | "vm" -> kind; -1 when unknown. */
int uart_check_parse(const char *name);
const char *uart_check_name(uart_check_kind k);
/* The kind a program's file name implies: coremark*.elf, workload*.elf, vm*.elf, else none. */
uart_check_kind uart_check_for_program(const char *path);

/* text need not be NUL-terminated. */
uart_check_result uart_check(uart_check_kind kind, const char *text, size_t len,
                             uint64_t expect_iterations);

#ifdef __cplusplus
}
#endif

#endif
