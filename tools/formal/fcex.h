/* fcex — reads a replayed counterexample (the VCD of yosys `sim`) back into
 * the retirement it breaks, so that a formal failure reads like a cosim one.
 *
 * Contract:
 *  - formal_vcd_probe() reads the values of named signals at the first time
 *    step where the trigger signal's bit is 1 (the check's `bad` output):
 *    names are hierarchical below formal_top with '.' ("pc_rdata0",
 *    "reg_grp[1].chk.val"); x/z bits read as 0; values wider than 64 bits keep
 *    their low 64. A probe that is not in the VCD is left with found = 0.
 *    Returns 0, or -1 when the file cannot be read, or the trigger is missing
 *    or never 1.
 *  - formal_cex_describe() turns the first failing f_* assertion of a replay
 *    (fields, comma-separated, as fbmc reports them) into a failmsg line:
 *    "cycle C, order N, PC 0x..., <disasm> (0x...): FIELD[ (xR name)] expected
 *    0x..., got 0x..." where FIELD is every failing assertion, the register is
 *    named for register checks, and expected/got appear where the checker holds
 *    both. Returns 0, or -1 (nothing written) when the VCD does not show a
 *    retirement on the check's channel in the failing cycle.
 */
#ifndef FORMAL_FCEX_H
#define FORMAL_FCEX_H

#include <stddef.h>
#include <stdint.h>

#include "formal/ftable.h"

typedef struct {
    const char *name;
    uint64_t value;
    int found;
} formal_probe;

int formal_vcd_probe(const char *vcd_path, const char *trigger, formal_probe *probes, size_t n);

int formal_cex_describe(const char *vcd_path, const formal_check *chk, const char *fields, int cycle,
                        char *out, size_t n);

#endif
