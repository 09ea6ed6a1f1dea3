/* iss — state management, the step API and the fast run loop (iss.h).
 * The instruction semantics live once, in exec.inc, instantiated below for
 * the fast path and for the recording path. */
#include <stdlib.h>
#include <string.h>

#include "iss/iss_internal.h"

#if !defined(__GNUC__)
#error "tools/iss uses GNU C labels-as-values (gcc or clang) for its dispatch loop"
#endif

#define ISS_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Arithmetic shift right without relying on signed >> (implementation-defined). */
static inline uint32_t iss_sra(uint32_t x, uint32_t sh)
{
    uint32_t fill = (x & 0x80000000u) ? ~(0xFFFFFFFFu >> sh) : 0u;
    return (x >> sh) | fill;
}

/* DIV/REM per the M extension: x/0 = -1, x%0 = x, and the one overflowing
 * case -2^31 / -1 = -2^31 with remainder 0. */
static inline uint32_t iss_div(uint32_t a, uint32_t b)
{
    if (b == 0)
        return 0xFFFFFFFFu;
    if (a == 0x80000000u && b == 0xFFFFFFFFu)
        return a;
    return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t iss_rem(uint32_t a, uint32_t b)
{
    if (b == 0)
        return a;
    if (a == 0x80000000u && b == 0xFFFFFFFFu)
        return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}

static void iss_set_fault(iss_t *s, uint32_t pc, uint32_t addr, const char *what)
{
    s->fault.pc = pc;
    s->fault.addr = addr;
    s->fault.what = what;
}

#define EXEC_NAME iss_exec_fast
#define EXEC_RECORD 0
#include "exec.inc"
#undef EXEC_NAME
#undef EXEC_RECORD

#define EXEC_NAME iss_exec_record
#define EXEC_RECORD 1
#include "exec.inc"
#undef EXEC_NAME
#undef EXEC_RECORD

int iss_init(iss_t *s)
{
    iss_priv *p;

    memset(s, 0, sizeof *s);
    s->mem = calloc(ISS_RAM_SIZE, 1);
    p = calloc(1, sizeof *p);
    if (p)
        p->dc = calloc(ISS_NWORDS + 1, sizeof *p->dc);
    if (!s->mem || !p || !p->dc) {
        free(s->mem);
        if (p)
            free(p->dc);
        free(p);
        s->mem = NULL;
        return -1;
    }
    s->priv = p;
    iss_invalidate(s);
    iss_reset(s);
    return 0;
}

void iss_free(iss_t *s)
{
    iss_priv *p = s->priv;

    if (p)
        free(p->dc);
    free(p);
    free(s->mem);
    s->priv = NULL;
    s->mem = NULL;
}

void iss_invalidate(iss_t *s)
{
    iss_priv *p = s->priv;

    memset(p->dc, 0, ISS_NWORDS * sizeof *p->dc);
    p->dc[ISS_NWORDS].op = OP_FETCH_FAULT;
}

void iss_reset(iss_t *s)
{
    memset(s->x, 0, sizeof s->x);
    s->pc = ISS_RESET_PC;
    s->instret = 0;
    s->bench_started = s->bench_stopped = false;
    s->bench_start_insn = s->bench_stop_insn = 0;
    memset(&s->fault, 0, sizeof s->fault);
    iss_invalidate(s); /* RAM is kept but may have been written from outside */
}

/* pc must be a word inside RAM, or the fetch faults. */
static bool iss_fetch_ok(iss_t *s)
{
    if ((s->pc & 3u) == 0 && s->pc < ISS_RAM_SIZE)
        return true;
    iss_set_fault(s, s->pc, s->pc, "fetch");
    return false;
}

iss_status iss_run(iss_t *s, uint64_t max_insns)
{
    if (!iss_fetch_ok(s))
        return ISS_FAULT;
    return iss_exec_fast(s, max_insns, NULL);
}

iss_status iss_step(iss_t *s, iss_rvfi *out)
{
    iss_rvfi tmp;
    iss_rvfi *rec = out ? out : &tmp;
    iss_priv *p = s->priv;
    uint32_t pc = s->pc, insn, rs1, rs2, rd;
    uint64_t order = s->instret;
    iss_dec *d;
    iss_status st;
    unsigned op;
    uint8_t uses;

    memset(rec, 0, sizeof *rec);
    rec->order = order;
    rec->pc_rdata = pc;
    if (!iss_fetch_ok(s))
        return ISS_FAULT;
    memcpy(&insn, s->mem + pc, 4);
    rec->insn = insn;
    /* Decode afresh from RAM so stepping never depends on the cache state. */
    d = &p->dc[pc >> 2];
    iss_decode(d, insn, pc);
    op = d->op; /* a store into its own word resets the entry */
    uses = iss_op_uses(op);
    rs1 = (insn >> 15) & 0x1Fu;
    rs2 = (insn >> 20) & 0x1Fu;
    rd = (insn >> 7) & 0x1Fu;
    /* Operands as read before the instruction runs (rd may equal rs1/rs2). */
    if (uses & ISS_USES_RS1) {
        rec->rs1_addr = (uint8_t)rs1;
        rec->rs1_rdata = s->x[rs1];
    }
    if (uses & ISS_USES_RS2) {
        rec->rs2_addr = (uint8_t)rs2;
        rec->rs2_rdata = s->x[rs2];
    }
    rec->uses = uses;

    st = iss_exec_record(s, 1, rec);
    if (st == ISS_FAULT) {
        /* Nothing retired: report only what identifies the instruction. */
        memset(rec, 0, sizeof *rec);
        rec->order = order;
        rec->pc_rdata = pc;
        rec->insn = insn;
        return ISS_FAULT;
    }
    if (rec->trap) {
        rec->uses = 0;
        rec->rs1_addr = rec->rs2_addr = 0;
        rec->rs1_rdata = rec->rs2_rdata = 0;
        rec->mem_addr = rec->mem_rdata = rec->mem_wdata = 0;
        rec->mem_rmask = rec->mem_wmask = 0;
    } else if (iss_op_writes_rd(op) && rd != 0) {
        rec->rd_addr = (uint8_t)rd;
        rec->rd_wdata = s->x[rd];
    }
    rec->pc_wdata = s->pc;
    return st == ISS_HALTED ? ISS_HALTED : ISS_RUNNING;
}
