/* failmsg.c — see failmsg.h. */
#include "cosim/failmsg.h"

#include <inttypes.h>
#include <stdio.h>

#include "iss/iss.h"

char *failmsg_format(const failmsg *f, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    char dis[96], order[40] = "", exp[40] = "", got[40] = "";
    iss_disasm(f->insn, f->pc, dis, sizeof dis);
    if (f->has_order)
        snprintf(order, sizeof order, ", order %" PRIu64, f->order);
    if (f->has_expected)
        snprintf(exp, sizeof exp, " expected 0x%08" PRIx32, f->expected);
    if (f->has_got)
        snprintf(got, sizeof got, "%s got 0x%08" PRIx32, f->has_expected ? "," : "", f->got);
    snprintf(buf, n, "cycle %" PRIu64 "%s, PC 0x%08" PRIx32 ", %s (0x%08" PRIx32 "): %s%s%s", f->cycle, order,
             f->pc, dis, f->insn, f->field ? f->field : "?", exp, got);
    return buf;
}
