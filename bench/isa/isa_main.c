/* isa_main.c - runs the ISA test set (isa.S) and reports it.
 *
 * Prints one line per failed check, "isa: FAIL #<n> <name>: got .. expected ..",
 * then "isa: <N> tests, <M> failed", and returns M (capped at 255, so that the
 * exit code a0 & 0xFF is never 0 on failure).  A run in which fewer tests
 * started than isa.S defines (control flow went astray) counts as a failure.
 */
#include <stdint.h>

#include "isa.h"
#include "platform.h"

static const char *isa_name(uint32_t num)
{
    for (uint32_t i = 0; i < isa_tab_count; i++)
        if (isa_tab[2 * i] == num)
            return (const char *)isa_tab[2 * i + 1];
    return "?";
}

int main(void)
{
    plat_puts("isa: RV32IM test set, ");
    plat_put_udec(isa_tab_count);
    plat_puts(" tests\n");

    isa_run();

    uint32_t ran = isa_state[ISA_ST_RAN / 4];
    uint32_t failed = isa_state[ISA_ST_FAILED / 4];
    uint32_t nlog = isa_state[ISA_ST_NLOG / 4];
    for (uint32_t i = 0; i < nlog && i < ISA_LOG_MAX; i++) {
        const volatile uint32_t *e = &isa_state[(ISA_ST_LOG + i * ISA_LOG_ENTRY) / 4];
        plat_puts("isa: FAIL #");
        plat_put_udec(e[0]);
        plat_putc(' ');
        plat_puts(isa_name(e[0]));
        plat_puts(": got ");
        plat_put_hex32(e[1]);
        plat_puts(" expected ");
        plat_put_hex32(e[2]);
        plat_putc('\n');
    }
    if (nlog > ISA_LOG_MAX)
        plat_puts("isa: (further failed checks not logged)\n");
    if (ran != isa_tab_count) {
        plat_puts("isa: FAIL only ");
        plat_put_udec(ran);
        plat_puts(" of ");
        plat_put_udec(isa_tab_count);
        plat_puts(" tests started (control flow went astray)\n");
        failed++;
    }
    plat_puts("isa: ");
    plat_put_udec(isa_tab_count);
    plat_puts(" tests, ");
    plat_put_udec(failed);
    plat_puts(" failed\n");
    return failed > 255 ? 255 : (int)failed;
}
