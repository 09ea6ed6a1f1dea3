/* vm.c - the interpreter, its assembler and its program (vm.h).
 *
 * Written for this project. The stack machine is deliberately plain: one
 * byte per opcode, operands inline, a switch per instruction, locals in
 * frames, a call stack. Its cost on a core is dominated by what CoreMark's
 * kernels exercise little: an indirect jump per bytecode instruction, short
 * basic blocks, loads of operands from the code bytes, and calls.
 */
#include "vm.h"

enum {
    OP_HALT, OP_PUSH, OP_PUSHU, OP_LDL, OP_STL, OP_LDM, OP_STM, OP_LDB,
    OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHRU,
    OP_LT, OP_EQ, OP_DUP, OP_DROP, OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET
};

/* ------------------------------------------------------------ interpreter */

typedef struct {
    uint32_t ret_pc, lp;
} vm_frame;

static uint32_t vm_u16(const uint8_t *code, uint32_t pc)
{
    return (uint32_t)code[pc] | (uint32_t)code[pc + 1] << 8;
}

/* Signed a < b on 32-bit patterns, without implementation-defined casts. */
static uint32_t vm_lt(uint32_t a, uint32_t b)
{
    return (a ^ 0x80000000u) < (b ^ 0x80000000u);
}

#define VM_SM (VM_STACK - 1)
#define VM_LM (VM_LOCALS - 1)
#define VM_MM (VM_MEM - 1)

/* Runs the code from address 0 with arg on the stack until HALT; returns the
 * top of the stack. Indices wrap (the sizes are powers of two), so a wrong
 * core can compute garbage but the interpreter stays in its arrays. */
static uint32_t vm_exec(vm_ctx *c, uint32_t arg, uint32_t *ops, int *fault)
{
    uint32_t st[VM_STACK], loc[VM_LOCALS];
    vm_frame fr[VM_FRAMES];
    uint32_t sp = 0, lp = 0, top = 0, fp = 0, pc = 0, n = 0;
    const uint8_t *code = c->code;
    st[sp++] = arg;
    for (;;) {
        if (pc + 4 > c->code_len) {
            *fault = 1;
            break;
        }
        uint8_t op = code[pc];
        uint32_t a, b;
        n++;
        switch (op) {
        case OP_HALT:
            *ops += n;
            return st[(sp - 1) & VM_SM];
        case OP_PUSH: /* int16, sign-extended */
            a = vm_u16(code, pc + 1);
            st[sp++ & VM_SM] = a & 0x8000u ? a | 0xFFFF0000u : a;
            pc += 3;
            break;
        case OP_PUSHU:
            st[sp++ & VM_SM] = vm_u16(code, pc + 1);
            pc += 3;
            break;
        case OP_LDL:
            st[sp++ & VM_SM] = loc[(lp + code[pc + 1]) & VM_LM];
            pc += 2;
            break;
        case OP_STL:
            loc[(lp + code[pc + 1]) & VM_LM] = st[--sp & VM_SM];
            pc += 2;
            break;
        case OP_LDM:
            a = st[(sp - 1) & VM_SM];
            st[(sp - 1) & VM_SM] = c->mem[a & VM_MM];
            pc++;
            break;
        case OP_STM:
            b = st[--sp & VM_SM];
            a = st[--sp & VM_SM];
            c->mem[a & VM_MM] = b;
            pc++;
            break;
        case OP_LDB:
            a = st[(sp - 1) & VM_SM];
            st[(sp - 1) & VM_SM] = a < sizeof c->pkt ? c->pkt[a] : 0u;
            pc++;
            break;
/* a binary operator: b popped, a replaced by a OP b */
#define VM_BINOP(OPC, EXPR)                 \
        case OPC:                           \
            b = st[--sp & VM_SM];           \
            a = st[(sp - 1) & VM_SM];       \
            st[(sp - 1) & VM_SM] = (EXPR);  \
            pc++;                           \
            break;
        VM_BINOP(OP_ADD, a + b)
        VM_BINOP(OP_SUB, a - b)
        VM_BINOP(OP_MUL, a * b)
        VM_BINOP(OP_AND, a & b)
        VM_BINOP(OP_OR, a | b)
        VM_BINOP(OP_XOR, a ^ b)
        VM_BINOP(OP_SHL, a << (b & 31u))
        VM_BINOP(OP_SHRU, a >> (b & 31u))
        VM_BINOP(OP_LT, vm_lt(a, b))
        VM_BINOP(OP_EQ, (uint32_t)(a == b))
#undef VM_BINOP
        case OP_DUP:
            st[sp & VM_SM] = st[(sp - 1) & VM_SM];
            sp++;
            pc++;
            break;
        case OP_DROP:
            sp--;
            pc++;
            break;
        case OP_JMP:
            pc = vm_u16(code, pc + 1);
            break;
        case OP_JZ:
        case OP_JNZ:
            a = st[--sp & VM_SM];
            pc = (a == 0) == (op == OP_JZ) ? vm_u16(code, pc + 1) : pc + 3;
            break;
        case OP_CALL: { /* target16, nargs, nlocals */
            uint32_t nargs = code[pc + 3], nloc = code[pc + 4];
            if (fp == VM_FRAMES || nargs > nloc || top + nloc > VM_LOCALS) {
                *fault = 2;
                *ops += n;
                return 0;
            }
            fr[fp].ret_pc = pc + 5;
            fr[fp++].lp = lp;
            lp = top;
            for (uint32_t k = nargs; k-- > 0;)
                loc[lp + k] = st[--sp & VM_SM];
            for (uint32_t k = nargs; k < nloc; k++)
                loc[lp + k] = 0;
            top = lp + nloc;
            pc = vm_u16(code, pc + 1);
            break;
        }
        case OP_RET:
            if (fp == 0) {
                *fault = 3;
                *ops += n;
                return 0;
            }
            top = lp;
            pc = fr[--fp].ret_pc;
            lp = fr[fp].lp;
            break;
        default:
            *fault = 4;
            *ops += n;
            return 0;
        }
    }
    *ops += n;
    return 0;
}

/* -------------------------------------------------------------- assembler */

enum { L_MAIN, L_FIB, L_CSUM, L_PARSE, L_SORT,
       L_FIB_REC, L_CS_LOOP, L_CS_DONE, L_CS_FOLD, L_CS_FIN,
       L_P_BADDROP, L_P_BAD, L_P_TCP, L_P_UDP, L_P_TEND,
       L_S_OUTER, L_S_INNER, L_S_PLACE, L_S_DONE,
       L_M_PLOOP, L_M_PDONE, L_M_FLOOP, L_M_FDONE, L_COUNT };

enum { VM_FIXUPS = 64 };

typedef struct {
    vm_ctx *c;
    uint32_t pc;
    uint32_t label[L_COUNT];
    uint32_t fix_at[VM_FIXUPS], fix_label[VM_FIXUPS];
    uint32_t nfix;
} vm_asm;

static void a_byte(vm_asm *a, uint32_t v)
{
    if (a->pc < VM_CODE_MAX)
        a->c->code[a->pc] = (uint8_t)v;
    a->pc++;
}

static void a_u16(vm_asm *a, uint32_t v)
{
    a_byte(a, v & 0xFFu);
    a_byte(a, v >> 8 & 0xFFu);
}

static void a_op(vm_asm *a, int op) { a_byte(a, (uint32_t)op); }

static void a_push(vm_asm *a, int32_t v)
{
    a_op(a, OP_PUSH);
    a_u16(a, (uint32_t)v & 0xFFFFu);
}

static void a_pushu(vm_asm *a, uint32_t v)
{
    a_op(a, OP_PUSHU);
    a_u16(a, v);
}

static void a_ldl(vm_asm *a, uint32_t i) { a_op(a, OP_LDL); a_byte(a, i); }
static void a_stl(vm_asm *a, uint32_t i) { a_op(a, OP_STL); a_byte(a, i); }

static void a_ref(vm_asm *a, uint32_t label)
{
    if (a->nfix < VM_FIXUPS) {
        a->fix_at[a->nfix] = a->pc;
        a->fix_label[a->nfix++] = label;
    }
    a_u16(a, 0);
}

static void a_jump(vm_asm *a, int op, uint32_t label)
{
    a_op(a, op);
    a_ref(a, label);
}

static void a_call(vm_asm *a, uint32_t label, uint32_t nargs, uint32_t nloc)
{
    a_op(a, OP_CALL);
    a_ref(a, label);
    a_byte(a, nargs);
    a_byte(a, nloc);
}

static void a_label(vm_asm *a, uint32_t label) { a->label[label] = a->pc; }

/* Loads the local x plus a constant, a packet byte address. */
static void a_ldb_at(vm_asm *a, uint32_t local, int32_t plus)
{
    a_ldl(a, local);
    if (plus) {
        a_push(a, plus);
        a_op(a, OP_ADD);
    }
    a_op(a, OP_LDB);
}

/* fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2). */
static void vm_prog_fib(vm_asm *a)
{
    a_label(a, L_FIB);
    a_ldl(a, 0); a_push(a, 2); a_op(a, OP_LT); a_jump(a, OP_JZ, L_FIB_REC);
    a_ldl(a, 0); a_op(a, OP_RET);
    a_label(a, L_FIB_REC);
    a_ldl(a, 0); a_push(a, 1); a_op(a, OP_SUB); a_call(a, L_FIB, 1, 1);
    a_ldl(a, 0); a_push(a, 2); a_op(a, OP_SUB); a_call(a, L_FIB, 1, 1);
    a_op(a, OP_ADD); a_op(a, OP_RET);
}

/* csum(off, len): the Internet checksum (RFC 1071) of packet bytes
 * [off, off + len): big-endian 16-bit words summed, carries folded back,
 * complemented. Locals: off, len, sum, i. */
static void vm_prog_csum(vm_asm *a)
{
    a_label(a, L_CSUM);
    a_label(a, L_CS_LOOP);
    a_ldl(a, 3); a_ldl(a, 1); a_op(a, OP_LT); a_jump(a, OP_JZ, L_CS_DONE);
    a_ldl(a, 0); a_ldl(a, 3); a_op(a, OP_ADD); a_op(a, OP_LDB); a_push(a, 8); a_op(a, OP_SHL);
    a_ldl(a, 0); a_ldl(a, 3); a_op(a, OP_ADD); a_push(a, 1); a_op(a, OP_ADD); a_op(a, OP_LDB); a_op(a, OP_OR);
    a_ldl(a, 2); a_op(a, OP_ADD); a_stl(a, 2);
    a_ldl(a, 3); a_push(a, 2); a_op(a, OP_ADD); a_stl(a, 3); a_jump(a, OP_JMP, L_CS_LOOP);
    a_label(a, L_CS_DONE);
    a_label(a, L_CS_FOLD);
    a_ldl(a, 2); a_push(a, 16); a_op(a, OP_SHRU); a_op(a, OP_DUP); a_jump(a, OP_JZ, L_CS_FIN);
    a_ldl(a, 2); a_pushu(a, 0xFFFFu); a_op(a, OP_AND); a_op(a, OP_ADD); a_stl(a, 2); a_jump(a, OP_JMP, L_CS_FOLD);
    a_label(a, L_CS_FIN);
    a_op(a, OP_DROP); a_ldl(a, 2); a_pushu(a, 0xFFFFu); a_op(a, OP_XOR); a_op(a, OP_RET);
}

/* parse(off): an IPv4-like header at off. Version 4 and IHL >= 5 or it is
 * dropped (0xFFFFFFFF); r = the header's checksum (0 when intact); then by
 * protocol: TCP mixes in the ports and, for SYN, scales r; UDP adds the
 * checksum of its 8-byte header; anything else adds 3 x protocol.
 * Locals: off, ihl (then the L4 offset), proto, r. */
static void vm_prog_parse(vm_asm *a)
{
    a_label(a, L_PARSE);
    a_ldb_at(a, 0, 0); a_op(a, OP_DUP); a_push(a, 4); a_op(a, OP_SHRU); a_push(a, 4); a_op(a, OP_EQ);
    a_jump(a, OP_JZ, L_P_BADDROP);
    a_push(a, 15); a_op(a, OP_AND); a_push(a, 2); a_op(a, OP_SHL); a_stl(a, 1);
    a_ldl(a, 1); a_push(a, 20); a_op(a, OP_LT); a_jump(a, OP_JNZ, L_P_BAD);
    a_ldl(a, 0); a_ldl(a, 1); a_call(a, L_CSUM, 2, 4); a_stl(a, 3);
    a_ldb_at(a, 0, 9); a_stl(a, 2);
    a_ldl(a, 0); a_ldl(a, 1); a_op(a, OP_ADD); a_stl(a, 1);
    a_ldl(a, 2); a_push(a, 6); a_op(a, OP_EQ); a_jump(a, OP_JNZ, L_P_TCP);
    a_ldl(a, 2); a_push(a, 17); a_op(a, OP_EQ); a_jump(a, OP_JNZ, L_P_UDP);
    a_ldl(a, 3); a_ldl(a, 2); a_push(a, 3); a_op(a, OP_MUL); a_op(a, OP_ADD); a_op(a, OP_RET);
    a_label(a, L_P_TCP);
    a_ldb_at(a, 1, 0); a_push(a, 8); a_op(a, OP_SHL); a_ldb_at(a, 1, 1); a_op(a, OP_OR);
    a_ldb_at(a, 1, 2); a_push(a, 8); a_op(a, OP_SHL); a_ldb_at(a, 1, 3); a_op(a, OP_OR);
    a_op(a, OP_XOR); a_ldl(a, 3); a_op(a, OP_ADD); a_stl(a, 3);
    a_ldb_at(a, 1, 13); a_push(a, 2); a_op(a, OP_AND); a_jump(a, OP_JZ, L_P_TEND);
    a_ldl(a, 3); a_push(a, 7); a_op(a, OP_MUL); a_stl(a, 3);
    a_label(a, L_P_TEND);
    a_ldl(a, 3); a_op(a, OP_RET);
    a_label(a, L_P_UDP);
    a_ldl(a, 1); a_push(a, 8); a_call(a, L_CSUM, 2, 4); a_ldl(a, 3); a_op(a, OP_XOR);
    a_push(a, 5); a_op(a, OP_ADD); a_op(a, OP_RET);
    a_label(a, L_P_BADDROP);
    a_op(a, OP_DROP);
    a_label(a, L_P_BAD);
    a_push(a, -1); a_op(a, OP_RET);
}

/* sort(base, n): insertion sort (signed, ascending) of mem[base, base + n);
 * returns mem[base] ^ mem[base + n - 1]. Locals: base, n, i, j, key. */
static void vm_prog_sort(vm_asm *a)
{
    a_label(a, L_SORT);
    a_push(a, 1); a_stl(a, 2);
    a_label(a, L_S_OUTER);
    a_ldl(a, 2); a_ldl(a, 1); a_op(a, OP_LT); a_jump(a, OP_JZ, L_S_DONE);
    a_ldl(a, 0); a_ldl(a, 2); a_op(a, OP_ADD); a_op(a, OP_LDM); a_stl(a, 4);
    a_ldl(a, 2); a_push(a, 1); a_op(a, OP_SUB); a_stl(a, 3);
    a_label(a, L_S_INNER);
    a_ldl(a, 3); a_push(a, 0); a_op(a, OP_LT); a_jump(a, OP_JNZ, L_S_PLACE);
    a_ldl(a, 4); a_ldl(a, 0); a_ldl(a, 3); a_op(a, OP_ADD); a_op(a, OP_LDM); a_op(a, OP_LT);
    a_jump(a, OP_JZ, L_S_PLACE);
    a_ldl(a, 0); a_ldl(a, 3); a_op(a, OP_ADD); a_push(a, 1); a_op(a, OP_ADD);
    a_ldl(a, 0); a_ldl(a, 3); a_op(a, OP_ADD); a_op(a, OP_LDM); a_op(a, OP_STM);
    a_ldl(a, 3); a_push(a, 1); a_op(a, OP_SUB); a_stl(a, 3); a_jump(a, OP_JMP, L_S_INNER);
    a_label(a, L_S_PLACE);
    a_ldl(a, 0); a_ldl(a, 3); a_op(a, OP_ADD); a_push(a, 1); a_op(a, OP_ADD); a_ldl(a, 4); a_op(a, OP_STM);
    a_ldl(a, 2); a_push(a, 1); a_op(a, OP_ADD); a_stl(a, 2); a_jump(a, OP_JMP, L_S_OUTER);
    a_label(a, L_S_DONE);
    a_ldl(a, 0); a_op(a, OP_LDM); a_ldl(a, 0); a_ldl(a, 1); a_op(a, OP_ADD); a_push(a, 1); a_op(a, OP_SUB);
    a_op(a, OP_LDM); a_op(a, OP_XOR); a_op(a, OP_RET);
}

/* main(round): acc over the packets (acc * 33 ^ parse), then memory filled
 * from acc and sorted, then fib(10 + round % 4). Locals: round, acc, i. */
static void vm_prog_main(vm_asm *a)
{
    a_label(a, L_MAIN);
    a_label(a, L_M_PLOOP);
    a_ldl(a, 2); a_push(a, VM_PKT_N); a_op(a, OP_LT); a_jump(a, OP_JZ, L_M_PDONE);
    a_ldl(a, 2); a_push(a, VM_PKT_LEN); a_op(a, OP_MUL); a_call(a, L_PARSE, 1, 4);
    a_ldl(a, 1); a_push(a, 33); a_op(a, OP_MUL); a_op(a, OP_XOR); a_stl(a, 1);
    a_ldl(a, 2); a_push(a, 1); a_op(a, OP_ADD); a_stl(a, 2); a_jump(a, OP_JMP, L_M_PLOOP);
    a_label(a, L_M_PDONE);
    a_push(a, 0); a_stl(a, 2);
    a_label(a, L_M_FLOOP);
    a_ldl(a, 2); a_push(a, VM_MEM); a_op(a, OP_LT); a_jump(a, OP_JZ, L_M_FDONE);
    a_ldl(a, 2);
    a_ldl(a, 1); a_ldl(a, 2); a_pushu(a, 40503u); a_op(a, OP_MUL); a_ldl(a, 0); a_op(a, OP_ADD); a_op(a, OP_XOR);
    a_op(a, OP_DUP); a_push(a, 11); a_op(a, OP_SHRU); a_op(a, OP_XOR); a_op(a, OP_STM);
    a_ldl(a, 2); a_push(a, 1); a_op(a, OP_ADD); a_stl(a, 2); a_jump(a, OP_JMP, L_M_FLOOP);
    a_label(a, L_M_FDONE);
    a_push(a, 0); a_push(a, VM_MEM); a_call(a, L_SORT, 2, 5); a_ldl(a, 1); a_op(a, OP_ADD); a_stl(a, 1);
    a_ldl(a, 0); a_push(a, 3); a_op(a, OP_AND); a_push(a, 10); a_op(a, OP_ADD); a_call(a, L_FIB, 1, 1);
    a_ldl(a, 1); a_op(a, OP_XOR); a_op(a, OP_RET);
}

static void vm_assemble(vm_ctx *c)
{
    vm_asm a = {.c = c};
    a_call(&a, L_MAIN, 1, 3); /* address 0: the round number is on the stack */
    a_op(&a, OP_HALT);
    vm_prog_main(&a);
    vm_prog_parse(&a);
    vm_prog_csum(&a);
    vm_prog_sort(&a);
    vm_prog_fib(&a);
    for (uint32_t i = 0; i < a.nfix; i++) {
        uint32_t at = a.fix_at[i], to = a.label[a.fix_label[i]];
        c->code[at] = (uint8_t)(to & 0xFFu);
        c->code[at + 1] = (uint8_t)(to >> 8);
    }
    /* 4 bytes of HALT past the end: the interpreter's bound check reads
     * operands up to pc + 4 */
    for (int i = 0; i < 4; i++)
        a_op(&a, OP_HALT);
    c->code_len = a.pc <= VM_CODE_MAX ? a.pc : 0;
    c->entry = a.label[L_MAIN];
}

/* ---------------------------------------------------------------- packets */

static uint32_t vm_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static uint32_t vm_header_sum(const uint8_t *p, uint32_t len)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    return ~sum & 0xFFFFu;
}

/* Mostly well-formed IPv4 headers (IHL 5, sometimes 6), with some of every
 * kind of flaw the parser branches on: another version, a short IHL, a bad
 * header checksum; TCP, UDP, ICMP and GRE payloads. */
static void vm_packets(vm_ctx *c, uint32_t seed)
{
    static const uint8_t protos[] = {6, 6, 17, 17, 6, 1, 17, 47};
    uint32_t s = seed ? seed : 1u;
    for (uint32_t k = 0; k < VM_PKT_N; k++) {
        uint8_t *p = &c->pkt[k * VM_PKT_LEN];
        for (uint32_t i = 0; i < VM_PKT_LEN; i++)
            p[i] = (uint8_t)(vm_rand(&s) >> 24);
        uint32_t r = vm_rand(&s);
        uint32_t ihl = (r & 7u) == 0 ? 6u : (r & 15u) == 9 ? 3u : 5u;
        uint32_t ver = (r >> 4 & 7u) == 0 ? 6u : 4u;
        p[0] = (uint8_t)(ver << 4 | ihl);
        p[9] = protos[r >> 8 & 7u];
        p[10] = p[11] = 0;
        uint32_t sum = vm_header_sum(p, ihl * 4u);
        if ((r >> 12 & 3u) == 0)
            sum ^= 0x0100u; /* a corrupted header */
        p[10] = (uint8_t)(sum >> 8);
        p[11] = (uint8_t)sum;
    }
}

/* ------------------------------------------------------------------ rounds */

static uint32_t vm_crc32_u32(uint32_t crc, uint32_t v)
{
    for (int i = 0; i < 32; i++) {
        uint32_t bit = (crc ^ v) & 1u;
        crc >>= 1;
        v >>= 1;
        if (bit)
            crc ^= 0xEDB88320u;
    }
    return crc;
}

void vm_init(vm_ctx *ctx, uint32_t seed)
{
    for (uint32_t i = 0; i < VM_CODE_MAX; i++)
        ctx->code[i] = OP_HALT;
    for (uint32_t i = 0; i < VM_MEM; i++)
        ctx->mem[i] = 0;
    vm_assemble(ctx);
    vm_packets(ctx, seed);
}

void vm_run(vm_ctx *ctx, uint32_t iterations, vm_sums *out)
{
    uint32_t crc = 0xFFFFFFFFu, last = 0, ops = 0;
    int fault = 0;
    for (uint32_t r = 0; r < iterations && !fault; r++) {
        last = vm_exec(ctx, r, &ops, &fault);
        crc = vm_crc32_u32(crc, last);
    }
    out->crc = ~crc;
    out->last = last;
    out->ops = ops;
    out->fault = fault;
}
