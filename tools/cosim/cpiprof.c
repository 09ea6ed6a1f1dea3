/* cpiprof.c — see cpiprof.h. */
#include "cosim/cpiprof.h"

#include <string.h>

cpi_class cpiprof_class(uint32_t insn)
{
    switch (insn & 0x7f) {
    case 0x03: return CPI_LOAD;
    case 0x23: return CPI_STORE;
    case 0x63: return CPI_BRANCH;
    case 0x6f: case 0x67: return CPI_JUMP;
    case 0x33: return (insn >> 25) == 1 ? CPI_MULDIV : CPI_ALU;
    case 0x13: case 0x37: case 0x17: return CPI_ALU;
    default: return CPI_SYSTEM; /* FENCE, SYSTEM, and anything that traps */
    }
}

const char *cpiprof_class_name(cpi_class c)
{
    static const char *const names[CPI_NCLASS] = {"alu", "load", "store", "branch", "jump", "muldiv", "system"};
    return c < CPI_NCLASS ? names[c] : "?";
}

const char *cpiprof_cause_name(cpi_cause c)
{
    static const char *const names[CPI_NCAUSE] = {"muldiv", "dmem", "imem", "redirect", "load_use", "other"};
    return c < CPI_NCAUSE ? names[c] : "?";
}

void cpiprof_start(cpiprof *p, uint64_t cycle)
{
    memset(p, 0, sizeof *p);
    p->on = true;
    p->last_cycle = cycle;
}

void cpiprof_stop(cpiprof *p) { p->on = false; }

void cpiprof_cycle(cpiprof *p, bool imem_wait, bool dmem_wait)
{
    if (!p->on)
        return;
    p->total_cycles++;
    p->gap_imem += imem_wait;
    p->gap_dmem += dmem_wait;
}

/* Takes up to *left cycles for cause c, at most `avail`. */
static void cpiprof_charge(cpiprof *p, cpi_cause c, uint64_t avail, uint64_t *left)
{
    uint64_t take = avail < *left ? avail : *left;
    p->stall[c] += take;
    *left -= take;
}

void cpiprof_retire(cpiprof *p, const cpiprof_ret *r)
{
    if (!p->on)
        return;
    cpi_class c = cpiprof_class(r->insn);
    uint64_t gap = r->cycle >= p->last_cycle ? r->cycle - p->last_cycle : 0;
    p->n[c]++;
    p->cycles[c] += gap;
    p->retired++;
    uint64_t left = gap > 1 ? gap - 1 : 0;
    bool reads_loaded = p->last_load && p->last_rd != 0 && (r->rs1_addr == p->last_rd || r->rs2_addr == p->last_rd);
    if (c == CPI_MULDIV)
        cpiprof_charge(p, CPI_MULDIV_BUSY, left, &left);
    cpiprof_charge(p, CPI_DMEM, p->gap_dmem, &left);
    cpiprof_charge(p, CPI_IMEM, p->gap_imem, &left);
    if (p->last_redirect)
        cpiprof_charge(p, CPI_REDIRECT, left, &left);
    if (reads_loaded)
        cpiprof_charge(p, CPI_LOAD_USE, left, &left);
    cpiprof_charge(p, CPI_OTHER, left, &left);
    p->last_cycle = r->cycle;
    p->gap_imem = p->gap_dmem = 0;
    p->last_redirect = !r->trap && r->pc_wdata != r->pc_rdata + 4;
    p->last_load = c == CPI_LOAD && !r->trap;
    p->last_rd = r->rd_addr;
}
