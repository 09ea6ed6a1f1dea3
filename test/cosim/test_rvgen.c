/* test_rvgen — the random program generator, checked against the reference ISS.
 *
 * Cases: determinism per seed; the ELF writer's output loads back byte-exact;
 * every program of a few hundred seeds halts with exit code 0, no fault and a
 * bounded instruction count; and over those programs the retired stream covers
 * every RV32IM mnemonic, every trap class, hazards at distances 1..4, load-use,
 * division by zero and signed overflow (so the cosim programs really test them);
 * and they reach the whole 1 MiB map: code retires in every 64 KiB block,
 * sequential execution crosses 256 KiB boundaries, jumps go to targets that
 * differ from their PC only in bits 16..19, taken branches/jumps at PCs that
 * differ only in bits 18..19 go to targets that also differ only there (what a
 * predictor comparing few target bits would confuse), and loads and stores
 * reach the top half of RAM.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "iss/iss.h"
#include "lib/fsx.h"
#include "rvgen/rvgen.h"
#include "rvgen/rvgen_dict.h"

enum { N_SEEDS = 300, BUDGET = 2000000 };

typedef struct {
    char mnem[64][12];
    int n_mnem;
    unsigned long haz[5];   /* a source read d retirements after its write, d = 1..4 */
    unsigned long load_use; /* a source read right after a load wrote it */
    unsigned long div0, ovf;
    unsigned long trap_illegal, trap_ld, trap_st, trap_br, trap_jal, trap_jalr;
    unsigned long uart, markers, max_insns;
    unsigned long st_ld;          /* a load from the word a store wrote <= 3 retirements before */
    uint64_t last_st_idx;
    uint32_t last_st_word;
    unsigned blocks;              /* bit b: code retired in 64 KiB block b */
    unsigned long cross_256k;     /* pc -> pc+4 across a multiple of 0x40000 */
    unsigned long jump_high;      /* taken control transfer, target ^ pc only in bits 16..19 */
    unsigned long alias_taken;    /* see alias_note() */
    unsigned long ld_high, st_high; /* RAM accesses at 0x80000 and above */
    uint32_t *alias_pc, *alias_tgt; /* per word index mod 2^16: the last taken transfer */
} cover;

static void cover_mnem(cover *c, uint32_t insn, uint32_t pc)
{
    char buf[96];
    iss_disasm(insn, pc, buf, sizeof buf);
    buf[strcspn(buf, " \t")] = '\0';
    buf[sizeof c->mnem[0] - 1] = '\0';
    for (int i = 0; i < c->n_mnem; i++)
        if (strcmp(c->mnem[i], buf) == 0)
            return;
    if (c->n_mnem < 64)
        memcpy(c->mnem[c->n_mnem++], buf, sizeof c->mnem[0]);
}

/* A taken transfer at pc to target, where an earlier one at an address equal in
 * its low 18 bits but different went to a target equal in its low 18 bits but
 * different: the two collide in a predictor indexed and checked by low bits. */
static void alias_note(cover *c, uint32_t pc, uint32_t target)
{
    size_t k = (pc >> 2) & 0xFFFFu;
    uint32_t ppc = c->alias_pc[k], ptgt = c->alias_tgt[k];
    if (ppc != UINT32_MAX && ppc != pc && ((ppc ^ pc) & 0x3FFFFu) == 0 && ptgt != target &&
        ((ptgt ^ target) & 0x3FFFFu) == 0)
        c->alias_taken++;
    c->alias_pc[k] = pc;
    c->alias_tgt[k] = target;
}

static void cover_map(cover *c, const iss_rvfi *r)
{
    if (r->pc_rdata < ISS_RAM_SIZE)
        c->blocks |= 1u << (r->pc_rdata >> 16);
    uint32_t next = r->pc_wdata, opc = r->insn & 0x7F;
    bool ctl = opc == 0x63 || opc == 0x6F || opc == 0x67;
    if (!r->trap && !ctl && next == r->pc_rdata + 4 && (next & 0x3FFFFu) == 0 && next < ISS_RAM_SIZE)
        c->cross_256k++;
    if (!r->trap && ctl && next != r->pc_rdata + 4) {
        uint32_t d = next ^ r->pc_rdata;
        if ((d & 0xFFFFu) == 0 && d != 0)
            c->jump_high++;
        alias_note(c, r->pc_rdata, next);
    }
    if (r->mem_addr >= 0x80000u && r->mem_addr < ISS_RAM_SIZE) {
        if (r->mem_wmask) c->st_high++;
        else if (r->mem_rmask) c->ld_high++;
    }
}

static int cover_has(const cover *c, const char *m)
{
    for (int i = 0; i < c->n_mnem; i++)
        if (strcmp(c->mnem[i], m) == 0)
            return 1;
    return 0;
}

/* Records what one retirement exercises. last_write[r]: retirement index of the
 * last write of r; last_load_rd: rd of the previous retirement when it was a load. */
static void cover_step(cover *c, const iss_rvfi *r, uint64_t idx, uint64_t *last_write,
                       unsigned *last_load_rd)
{
    uint32_t opc = r->insn & 0x7F, f3 = (r->insn >> 12) & 7, f7 = r->insn >> 25;
    if (r->trap) {
        if (opc == 0x03 && f3 != 3 && f3 < 6) c->trap_ld++;
        else if (opc == 0x23 && f3 < 3) c->trap_st++;
        else if (opc == 0x63 && f3 != 2 && f3 != 3) c->trap_br++;
        else if (opc == 0x6F) c->trap_jal++;
        else if (opc == 0x67 && f3 == 0) c->trap_jalr++;
        else c->trap_illegal++;
    } else {
        cover_mnem(c, r->insn, r->pc_rdata);
    }
    uint8_t srcs[2] = {(r->uses & ISS_USES_RS1) ? r->rs1_addr : 0, (r->uses & ISS_USES_RS2) ? r->rs2_addr : 0};
    for (int k = 0; k < 2; k++) {
        if (srcs[k] == 0)
            continue;
        uint64_t d = idx - last_write[srcs[k]];
        if (last_write[srcs[k]] != UINT64_MAX && d >= 1 && d <= 4)
            c->haz[d]++;
        if (*last_load_rd && srcs[k] == *last_load_rd)
            c->load_use++;
    }
    if (opc == 0x33 && f7 == 1 && f3 >= 4) {
        if (r->rs2_rdata == 0) c->div0++;
        if (r->rs1_rdata == 0x80000000u && r->rs2_rdata == 0xFFFFFFFFu && f3 < 6) c->ovf++;
    }
    if (r->mem_wmask) {
        c->last_st_idx = idx;
        c->last_st_word = r->mem_addr;
    } else if (r->mem_rmask && r->mem_addr == c->last_st_word && idx - c->last_st_idx <= 3) {
        c->st_ld++;
    }
    if (r->mem_wmask && r->mem_addr == ISS_ADDR_UART) c->uart++;
    if (r->mem_wmask && (r->mem_addr == ISS_ADDR_BENCH_START || r->mem_addr == ISS_ADDR_BENCH_STOP)) c->markers++;
    cover_map(c, r);
    *last_load_rd = 0;
    if (r->rd_addr) {
        last_write[r->rd_addr] = idx;
        if (opc == 0x03)
            *last_load_rd = r->rd_addr;
    }
}

static bool same_prog(const rvgen_prog *a, const rvgen_prog *b)
{
    if (a->nregions != b->nregions)
        return false;
    for (size_t i = 0; i < a->nregions; i++)
        if (a->regions[i].addr != b->regions[i].addr || a->regions[i].size != b->regions[i].size ||
            memcmp(a->regions[i].bytes, b->regions[i].bytes, a->regions[i].size) != 0)
            return false;
    return true;
}

static void uart_sink(void *ctx, uint8_t b)
{
    (void)ctx;
    (void)b;
}

/* Runs one program on the ISS; returns NULL when it halted cleanly, else why. */
static const char *run_one(const char *path, cover *c, char *why, size_t n)
{
    iss_t s;
    if (iss_init(&s) != 0)
        return "iss_init failed";
    s.uart_fn = uart_sink;
    char err[200];
    if (iss_load_elf(&s, path, err, sizeof err) != ISS_ELF_OK) {
        snprintf(why, n, "load: %s", err);
        iss_free(&s);
        return why;
    }
    uint64_t last_write[32];
    for (int i = 0; i < 32; i++)
        last_write[i] = UINT64_MAX;
    unsigned last_load_rd = 0;
    memset(c->alias_pc, 0xFF, 0x10000 * sizeof *c->alias_pc);
    iss_rvfi r;
    iss_status st = ISS_RUNNING;
    uint64_t i;
    for (i = 0; i < BUDGET && st == ISS_RUNNING; i++) {
        st = iss_step(&s, &r);
        if (st != ISS_FAULT)
            cover_step(c, &r, i, last_write, &last_load_rd);
    }
    const char *res = NULL;
    if (st == ISS_FAULT)
        snprintf(why, n, "fault: %s at pc 0x%08x addr 0x%08x", s.fault.what, s.fault.pc, s.fault.addr), res = why;
    else if (st != ISS_HALTED)
        snprintf(why, n, "no EBREAK within %d instructions", BUDGET), res = why;
    else if (s.x[10] != 0)
        snprintf(why, n, "exit code %u", s.x[10]), res = why;
    if (i > c->max_insns)
        c->max_insns = i;
    iss_free(&s);
    return res;
}

int main(void)
{
    char dir[] = "/tmp/test_rvgen.XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL setup: mkdtemp\n");
        return 0;
    }
    char *path = fsx_fmt("%s/p.elf", dir);

    CHECK_CASE("deterministic per seed")
    {
        rvgen_prog a, b, c;
        CHECK(rvgen_generate(42, NULL, &a) == 0);
        CHECK(rvgen_generate(42, NULL, &b) == 0);
        CHECK(rvgen_generate(43, NULL, &c) == 0);
        CHECK(same_prog(&a, &b));
        CHECK(!same_prog(&a, &c));
        CHECK(rvgen_text_words(&a) > 500 && rvgen_text_words(&a) < RVGEN_MAX_WORDS);
        CHECK(a.nregions > 4 && a.ndata == RVGEN_DATA_WINDOWS);
        for (size_t i = 1; i < a.nregions; i++) /* sorted, disjoint, inside RAM */
            CHECK(a.regions[i - 1].addr + a.regions[i - 1].size <= a.regions[i].addr);
        CHECK(a.regions[a.nregions - 1].addr + a.regions[a.nregions - 1].size <= ISS_RAM_SIZE);
        CHECK(a.regions[0].addr == RVGEN_TEXT_BASE && a.regions[0].exec);
        rvgen_free(&a);
        rvgen_free(&b);
        rvgen_free(&c);
    }

    CHECK_CASE("ELF loads back byte-exact")
    {
        rvgen_prog p;
        CHECK(rvgen_generate(7, NULL, &p) == 0);
        CHECK(rvgen_write_elf(path, &p) == 0);
        iss_t s;
        char err[256] = "";
        CHECK(iss_init(&s) == 0);
        CHECK_EQ_INT(iss_load_elf(&s, path, err, sizeof err), ISS_ELF_OK);
        for (size_t i = 0; i < p.nregions; i++)
            CHECK(memcmp(s.mem + p.regions[i].addr, p.regions[i].bytes, p.regions[i].size) == 0);
        CHECK_EQ_U32(s.pc, 0);
        iss_free(&s);
        rvgen_free(&p);
    }

    CHECK_CASE("special programs: exit3 exits 3, oob-store faults")
    {
        rvgen_prog p;
        iss_t s;
        char err[256];
        CHECK(rvgen_special(RVGEN_EXIT3, &p) == 0 && rvgen_write_elf(path, &p) == 0);
        rvgen_free(&p);
        CHECK(iss_init(&s) == 0 && iss_load_elf(&s, path, err, sizeof err) == ISS_ELF_OK);
        CHECK_EQ_INT(iss_run(&s, 1000), ISS_HALTED);
        CHECK_EQ_U32(s.x[10], 3);
        iss_free(&s);
        CHECK(rvgen_special(RVGEN_OOB_STORE, &p) == 0 && rvgen_write_elf(path, &p) == 0);
        rvgen_free(&p);
        CHECK(iss_init(&s) == 0 && iss_load_elf(&s, path, err, sizeof err) == ISS_ELF_OK);
        CHECK_EQ_INT(iss_run(&s, 1000), ISS_FAULT);
        CHECK_EQ_U32(s.fault.addr, 0x20000000u);
        iss_free(&s);
        CHECK(rvgen_kind_parse("spin") == RVGEN_SPIN && rvgen_kind_parse("nope") == -1);
    }

    cover c;
    memset(&c, 0, sizeof c);
    c.alias_pc = malloc(0x10000 * sizeof *c.alias_pc);
    c.alias_tgt = malloc(0x10000 * sizeof *c.alias_tgt);
    CHECK_CASE("every program halts with exit 0 on the ISS")
    {
        for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
            rvgen_prog p;
            char why[256];
            CHECK(rvgen_generate(seed, NULL, &p) == 0);
            CHECK(rvgen_write_elf(path, &p) == 0);
            rvgen_free(&p);
            const char *bad = run_one(path, &c, why, sizeof why);
            if (bad) {
                char msg[320];
                snprintf(msg, sizeof msg, "seed %llu: %s", (unsigned long long)seed, bad);
                check_fail(__FILE__, __LINE__, msg);
                break;
            }
        }
        CHECK(c.max_insns < BUDGET / 4);
    }

    CHECK_CASE("programs cover every RV32IM mnemonic")
    {
        static const char *const all[] = {
            "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu", "lb", "lh",
            "lw", "lbu", "lhu", "sb", "sh", "sw", "addi", "slti", "sltiu", "xori", "ori", "andi",
            "slli", "srli", "srai", "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or",
            "and", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            if (!cover_has(&c, all[i])) {
                char msg[96];
                snprintf(msg, sizeof msg, "'%s' never retired", all[i]);
                check_fail(__FILE__, __LINE__, msg);
            }
    }

    CHECK_CASE("programs cover traps, hazards and M corner cases")
    {
        CHECK(c.trap_illegal > 100);
        CHECK(c.trap_ld > 20 && c.trap_st > 20);
        CHECK(c.trap_br > 5 && c.trap_jal > 5 && c.trap_jalr > 5);
        for (int d = 1; d <= 4; d++)
            CHECK(c.haz[d] > 1000);
        CHECK(c.load_use > 200);
        CHECK(c.st_ld > 500);
        CHECK(c.div0 > 20 && c.ovf > 5);
        CHECK(c.uart > 5 && c.markers > 5);
    }

    CHECK_CASE("programs reach the whole 1 MiB map")
    {
        CHECK_EQ_U32(c.blocks, 0xFFFFu);
        CHECK(c.cross_256k > N_SEEDS / 4);
        CHECK(c.jump_high > N_SEEDS);
        CHECK(c.alias_taken > N_SEEDS / 2);
        CHECK(c.ld_high > 1000 && c.st_high > 1000);
    }
    CHECK_CASE("dictionary: literals of the RTL, not digits of names, comments or strings")
    {
        static const char rtl[] =
            "module m #(parameter int W = 7) (input logic [31:0] a, output logic y);\n"
            "  // 32'hDEADBEEF in a comment\n /* 1234567 */ localparam S = \"999999\";\n"
            "  logic reg_400; assign y = a == 32'h9E37_79B9 || a[15:0] == 16'hBEEF || a == 'd100000\n"
            "     || a == 8 'sb1010_1010 || a == 40'h1_0000_0000 || a == 32'hxx00_0000 || a == 12345 || a == '1;\n"
            "  \\esc123456 e; always_comb b = 64'd5; 5'd31;\n";
        uint32_t v[64];
        size_t n = 0;
        rvgen_dict_text(rtl, sizeof rtl - 1, v, &n, 64);
        int hit = 0;
        for (size_t i = 0; i < n; i++) {
            CHECK(v[i] != 0xDEADBEEFu && v[i] != 1234567u && v[i] != 999999u && v[i] != 400u && v[i] != 123456u);
            CHECK(v[i] != 31u && v[i] != 7u && v[i] != 5u);
            hit |= (v[i] == 0x9E3779B9u) << 0 | (v[i] == 0x9E3779BAu) << 1 | (v[i] == 0x9E3779B8u) << 2 |
                   (v[i] == ~0x9E3779B9u) << 3 | (v[i] == 0u - 0x9E3779B9u) << 4 | (v[i] == 0xBEEFu) << 5 |
                   (v[i] == 0xBEEF0000u) << 6 | (v[i] == 100000u) << 7 | (v[i] == 0xAAu) << 8 |
                   (v[i] == 12345u) << 9;
        }
        CHECK_EQ_INT(hit, 0x3FF);
        CHECK_EQ_INT((int)n, 2 * 6 + 3 * 5); /* 16'hBEEF, 8'sb..: 6 each; the 32-bit ones: 5 (no top shift) */
        size_t m = 0;
        rvgen_dict_text(rtl, sizeof rtl - 1, v, &m, 3); /* capped, in order of appearance */
        CHECK(m == 3 && v[0] == 0x9E3779B9u && v[1] == 0x9E3779BAu && v[2] == 0x9E3779B8u);
        static const char junk[] = "'h 'sd 'x 99'h 4000 0'b1 \"1000 /* unterminated 5000 8'h";
        m = 0;
        rvgen_dict_text(junk, sizeof junk - 1, v, &m, 64);
        CHECK_EQ_INT((int)m, 0);
        CHECK(rvgen_dict_scan("/nonexistent-rvgen-dict", v, 64) == -1);
    }

    CHECK_CASE("dictionary programs halt, sweep every value through every M op, bias other operands")
    {
        uint32_t dict[] = {0x9E3779B9u, 0x13572468u};
        rvgen_opts o = {.dict = dict, .ndict = 2};
        rvgen_prog a, b;
        CHECK(rvgen_generate(5, NULL, &a) == 0 && rvgen_generate(5, &(rvgen_opts){0}, &b) == 0);
        CHECK(same_prog(&a, &b)); /* no dictionary: the same programs as before */
        rvgen_free(&a);
        rvgen_free(&b);
        unsigned long mul_hits = 0, div_hits = 0, alu_hits = 0;
        for (uint64_t seed = 1; seed <= 8; seed++) {
            rvgen_prog p;
            CHECK(rvgen_generate(seed, &o, &p) == 0 && rvgen_write_elf(path, &p) == 0);
            rvgen_free(&p);
            iss_t s;
            char err[200];
            CHECK(iss_init(&s) == 0 && iss_load_elf(&s, path, err, sizeof err) == ISS_ELF_OK);
            s.uart_fn = uart_sink;
            iss_rvfi r;
            iss_status st = ISS_RUNNING;
            unsigned swept[2][2] = {{0}}; /* [value][as rs1, as rs2]: M funct3s seen */
            for (int i = 0; i < BUDGET && st == ISS_RUNNING; i++) {
                st = iss_step(&s, &r);
                uint32_t opc = r.insn & 0x7F, f7 = r.insn >> 25, f3 = (r.insn >> 12) & 7;
                if (st == ISS_FAULT || opc != 0x33 || r.trap)
                    continue;
                for (int k = 0; k < 2; k++) {
                    if (f7 == 1 && r.rs1_rdata == dict[k])
                        swept[k][0] |= 1u << f3;
                    if (f7 == 1 && r.rs2_rdata == dict[k])
                        swept[k][1] |= 1u << f3;
                }
                if (r.rs1_rdata == dict[0] || r.rs1_rdata == dict[1])
                    (f7 == 1 ? (f3 < 4 ? &mul_hits : &div_hits) : &alu_hits)[0]++;
            }
            CHECK_EQ_INT(st, ISS_HALTED);
            CHECK_EQ_U32(s.x[10], 0);
            for (int k = 0; k < 2; k++)
                CHECK(swept[k][0] == 0xFFu && swept[k][1] == 0xFFu);
            iss_free(&s);
        }
        static uint32_t big[RVGEN_DICT_MAX]; /* the largest dictionary still fits and halts */
        for (size_t i = 0; i < RVGEN_DICT_MAX; i++)
            big[i] = (uint32_t)(i + 1) * 0x9E3779B9u;
        for (uint64_t seed = 1; seed <= 3; seed++) {
            rvgen_prog p;
            char why[256];
            cover cb;
            memset(&cb, 0, sizeof cb);
            cb.alias_pc = malloc(0x10000 * sizeof *cb.alias_pc);
            cb.alias_tgt = malloc(0x10000 * sizeof *cb.alias_tgt);
            CHECK(rvgen_generate(seed, &(rvgen_opts){.dict = big, .ndict = RVGEN_DICT_MAX}, &p) == 0);
            CHECK(rvgen_write_elf(path, &p) == 0);
            rvgen_free(&p);
            const char *bad = run_one(path, &cb, why, sizeof why);
            CHECK(bad == NULL);
            free(cb.alias_pc);
            free(cb.alias_tgt);
        }
        printf("# dictionary programs (8 seeds): rs1 a dictionary value in %lu multiplies, %lu divides, %lu ALU ops\n",
               mul_hits, div_hits, alu_hits);
        CHECK(mul_hits > 50 && div_hits > 50 && alu_hits > 100);
    }

    printf("# rvgen map: blocks 0x%04x, 256K crossings %lu, high-bit jumps %lu, aliasing taken transfers %lu, "
           "loads/stores at >= 0x80000 %lu/%lu\n",
           c.blocks, c.cross_256k, c.jump_high, c.alias_taken, c.ld_high, c.st_high);
    printf("# rvgen over %d seeds: max %lu insns, %d mnemonics, traps il/ld/st/br/jal/jalr "
           "%lu/%lu/%lu/%lu/%lu/%lu, hazards d1..4 %lu/%lu/%lu/%lu, load-use %lu, store-load %lu, div0 %lu, ovf %lu\n",
           N_SEEDS, c.max_insns, c.n_mnem, c.trap_illegal, c.trap_ld, c.trap_st, c.trap_br,
           c.trap_jal, c.trap_jalr, c.haz[1], c.haz[2], c.haz[3], c.haz[4], c.load_use, c.st_ld, c.div0, c.ovf);

    free(c.alias_pc);
    free(c.alias_tgt);
    unlink(path);
    rmdir(dir);
    free(path);
    return check_done();
}
