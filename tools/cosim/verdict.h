/* verdict — the cosim harness's verdict kinds, their JSON names and exit codes.
 *
 * Contract (shared by the harness, the cosim gate and the tests): a harness run
 * prints one JSON object per (program, stall pattern) with "verdict" set to one
 * of the names below; the process exits with the code of the first non-pass
 * verdict (0 when every run passed).
 *   0 pass        the program halted (EBREAK) in lockstep, exit code 0, output valid
 *   1 divergence  a retirement (or a bus store, or the UART) differs from the ISS
 *   2 hang        no retirement for the hang bound (default 10000 cycles)
 *   3 oob         a data access completed outside RAM, the UART and the markers
 *   4 budget      the cycle budget ran out before EBREAK
 *   5 exit_code   the program halted with a0 != 0 (a self-test reported failure)
 *   6 validation  the fitness program's output did not validate (CRCs, checksums)
 *   7 bus         the model's bus outputs did not settle (a combinational loop
 *                 through the memory), or channel 1 retired without channel 0
 *   8 error       the harness could not run (bad usage, unreadable ELF)
 */
#ifndef COSIM_VERDICT_H
#define COSIM_VERDICT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VERDICT_PASS = 0,
    VERDICT_DIVERGENCE = 1,
    VERDICT_HANG = 2,
    VERDICT_OOB = 3,
    VERDICT_BUDGET = 4,
    VERDICT_EXIT_CODE = 5,
    VERDICT_VALIDATION = 6,
    VERDICT_BUS = 7,
    VERDICT_ERROR = 8
} verdict_kind;

static inline const char *verdict_name(verdict_kind v)
{
    static const char *const names[] = {"pass",      "divergence", "hang", "oob",  "budget",
                                        "exit_code", "validation", "bus",  "error"};
    return (unsigned)v <= VERDICT_ERROR ? names[v] : "error";
}

#ifdef __cplusplus
}
#endif

#endif
