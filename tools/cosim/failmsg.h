/* failmsg — the one-line failure message of a retirement check, shared by the
 * cosim harness and the formal runner so both read the same way.
 *
 * Contract: failmsg_format() writes
 *   "cycle C, order N, PC 0x........, <disasm> (0x........): FIELD expected 0x........, got 0x........"
 * (the instruction disassembled with iss_disasm; "order N" only when the order
 * is known, "expected" only when the reference value is known, "got" only when
 * the core's value is); it never writes more than n bytes and always terminates
 * the string. Returns buf.
 */
#ifndef COSIM_FAILMSG_H
#define COSIM_FAILMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t cycle;
    bool has_order;
    uint64_t order;
    uint32_t pc, insn;
    const char *field;
    bool has_expected, has_got;
    uint32_t expected, got;
} failmsg;

char *failmsg_format(const failmsg *f, char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
