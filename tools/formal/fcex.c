/* fcex.c — see fcex.h. The VCD is small (a few dozen cycles of formal_top),
 * so it is read whole and scanned once per question. */
#include "formal/fcex.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim/failmsg.h"
#include "iss/iss.h"
#include "lib/fsx.h"

enum { MAX_PROBES = 24, SCOPE_MAX = 512 };

typedef struct {
    char id[32];   /* the VCD's identifier code of the probe ("" unknown) */
    uint64_t cur;  /* value after the last change read */
} vcd_slot;

/* "name[bit]" -> name and bit (bit -1 when there is none). */
static void vcd_split_bit(const char *s, char *name, size_t n, int *bit)
{
    snprintf(name, n, "%s", s);
    *bit = -1;
    char *b = strrchr(name, '[');
    if (b && b[1] >= '0' && b[1] <= '9' && name[strlen(name) - 1] == ']') {
        *bit = atoi(b + 1);
        *b = '\0';
    }
}

/* The full dotted name of a $var below formal_top (its scope path minus the top). */
static void vcd_full_name(const char *scope, const char *ref, char *out, size_t n)
{
    const char *s = scope;
    if (strncmp(s, "formal_top", 10) == 0 && (s[10] == '\0' || s[10] == '.'))
        s += s[10] ? 11 : 10;
    snprintf(out, n, "%s%s%s", s, *s ? "." : "", ref);
}

static uint64_t vcd_bits(const char *s)
{
    uint64_t v = 0;
    for (; *s; s++)
        v = (v << 1) | (*s == '1');
    return v;
}

/* Header: finds the identifier code of every wanted name (slot i for names[i]).
 * Returns a pointer just past $enddefinitions, or NULL. */
static char *vcd_header(char *text, const char *const *names, size_t n, vcd_slot *slots)
{
    char scope[SCOPE_MAX] = "";
    char *save = NULL;
    for (char *t = strtok_r(text, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (strcmp(t, "$enddefinitions") == 0) {
            strtok_r(NULL, " \t\r\n", &save); /* its $end */
            return save;
        }
        if (strcmp(t, "$scope") == 0) {
            strtok_r(NULL, " \t\r\n", &save); /* module / begin / ... */
            const char *name = strtok_r(NULL, " \t\r\n", &save);
            size_t used = strlen(scope);
            if (name)
                snprintf(scope + used, sizeof scope - used, "%s%s", used ? "." : "", name);
        } else if (strcmp(t, "$upscope") == 0) {
            char *dot = strrchr(scope, '.');
            if (dot)
                *dot = '\0';
            else
                scope[0] = '\0';
        } else if (strcmp(t, "$var") == 0) {
            strtok_r(NULL, " \t\r\n", &save); /* type */
            strtok_r(NULL, " \t\r\n", &save); /* width */
            const char *id = strtok_r(NULL, " \t\r\n", &save);
            const char *ref = strtok_r(NULL, " \t\r\n", &save);
            if (!id || !ref)
                return NULL;
            char full[SCOPE_MAX + 128];
            vcd_full_name(scope, ref, full, sizeof full);
            for (size_t i = 0; i < n; i++)
                if (!slots[i].id[0] && strcmp(full, names[i]) == 0)
                    snprintf(slots[i].id, sizeof slots[i].id, "%s", id);
        }
        /* everything else ($timescale, $date, ..., $end, ranges) is skipped */
    }
    return NULL;
}

static void vcd_set(vcd_slot *slots, size_t n, const char *id, uint64_t v)
{
    for (size_t i = 0; i < n; i++)
        if (slots[i].id[0] && strcmp(slots[i].id, id) == 0)
            slots[i].cur = v;
}

int formal_vcd_probe(const char *vcd_path, const char *trigger, formal_probe *probes, size_t n)
{
    if (n + 1 > MAX_PROBES)
        return -1;
    char tname[64];
    int tbit;
    vcd_split_bit(trigger, tname, sizeof tname, &tbit);
    const char *names[MAX_PROBES];
    vcd_slot slots[MAX_PROBES];
    memset(slots, 0, sizeof slots);
    names[0] = tname;
    for (size_t i = 0; i < n; i++)
        names[i + 1] = probes[i].name;
    char *text;
    if (fsx_read(vcd_path, &text, NULL) != 0)
        return -1;
    char *body = vcd_header(text, names, n + 1, slots);
    int rc = -1;
    if (!body || !slots[0].id[0])
        goto out;
    char *save = NULL;
    bool seen_time = false;
    for (char *t = strtok_r(body, " \t\r\n", &save);; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (!t || t[0] == '#') {
            /* the state at the end of a time step: is the check failing? */
            uint64_t tv = slots[0].cur;
            if (seen_time && (tbit < 0 ? tv != 0 : ((tv >> tbit) & 1u))) {
                for (size_t i = 0; i < n; i++) {
                    probes[i].found = slots[i + 1].id[0] != '\0';
                    probes[i].value = slots[i + 1].cur;
                }
                rc = 0;
                break;
            }
            if (!t)
                break;
            seen_time = true;
        } else if (t[0] == 'b' || t[0] == 'B') {
            const char *id = strtok_r(NULL, " \t\r\n", &save);
            if (id)
                vcd_set(slots, n + 1, id, vcd_bits(t + 1));
        } else if (strchr("01xzXZ", t[0]) && t[1]) {
            vcd_set(slots, n + 1, t + 1, t[0] == '1');
        } else if (t[0] == 'r' || t[0] == 'R') {
            strtok_r(NULL, " \t\r\n", &save); /* real values: not used */
        }
    }
out:
    free(text);
    return rc;
}

/* ---- decoding a failing assertion ---- */

/* What a failing assertion compares: the core's value (got), the checker's
 * expectation (expected, a signal or a constant) and the register it reads. */
typedef struct {
    char got[96], expected[96], reg[32];
    bool expected_const;
    uint64_t expected_value;
    int reg_ch, reg_k; /* register checks: channel and operand (1, 2) read; 0 none */
    char prefix[96];   /* the register checker's instance, with its dot */
} cex_plan;

/* The channel of an assertion name: "ch1" anywhere (ch1.load.f_x, f_ch1_rs2,
 * f_fwd_ch1) means channel 1. */
static int cex_channel(const formal_check *chk, const char *field)
{
    if (chk->chan == 0 || chk->chan == 1)
        return chk->chan;
    return strstr(field, "ch1") ? 1 : 0;
}

static void cex_plan_for(const formal_check *chk, const char *field, int ch, cex_plan *p)
{
    memset(p, 0, sizeof *p);
    const char *dot = strrchr(field, '.');
    const char *leaf = dot ? dot + 1 : field;
    int plen = dot ? (int)(dot - field + 1) : 0; /* the instance prefix, with its dot */
    if (chk->chan >= 0 && strncmp(leaf, "f_", 2) == 0) {
        /* formal_fields: f_<field> compares RVFI <field> with the spec's s_<field> */
        snprintf(p->got, sizeof p->got, "%s%d", leaf + 2, ch);
        snprintf(p->expected, sizeof p->expected, "%.*ss_%s", plen, field, leaf + 2);
        return;
    }
    unsigned c, k;
    if (sscanf(leaf, "f_ch%u_rs%u", &c, &k) == 2 && c < 2 && (k == 1 || k == 2)) {
        snprintf(p->got, sizeof p->got, "rs%u_rdata%u", k, c);
        snprintf(p->reg, sizeof p->reg, "rs%u_addr%u", k, c);
        snprintf(p->prefix, sizeof p->prefix, "%.*s", plen, field);
        p->reg_ch = (int)c;
        p->reg_k = (int)k; /* the expectation is rebuilt from the checker's state: cex_reg_expected */
    } else if (strcmp(leaf, "f_x0") == 0) {
        snprintf(p->reg, sizeof p->reg, "=0"); /* x0: which operand broke is in the field name */
        p->expected_const = true;
    } else if (strcmp(leaf, "f_fwd_ch0") == 0) {
        snprintf(p->got, sizeof p->got, "pc_rdata0");
        snprintf(p->expected, sizeof p->expected, "%.*slast_pc", plen, field);
    } else if (strcmp(leaf, "f_fwd_ch1") == 0) {
        snprintf(p->got, sizeof p->got, "pc_rdata1");
        snprintf(p->expected, sizeof p->expected, "pc_wdata0");
    } else if (strcmp(leaf, "f_bwd_reset") == 0) {
        snprintf(p->got, sizeof p->got, "pc_rdata0");
        p->expected_const = true;
    }
}

/* The value a register check expected the operand to read. Yosys keeps the
 * checker's state (val, known) and the RVFI fields but folds its intermediate
 * values away, so they are rebuilt here the way formal_check_reg.sv defines
 * them: channel 0 sees the shadowed value (rs2 also agrees with an rs1 read of
 * the same retirement); channel 1 sees it after channel 0's read or write. */
static int cex_reg_expected(const char *vcd, const formal_check *chk, const cex_plan *p, uint32_t *exp)
{
    enum { VAL, KNOWN, IDX, V0, RS1A, RS2A, RDA, RS1D, RS2D, RDD, RS1D1, N };
    char names[N][128];
    static const char *const own[] = {"val", "known", "idx"};
    static const char *const top[] = {"valid0", "rs1_addr0", "rs2_addr0", "rd_addr0", "rs1_rdata0",
                                      "rs2_rdata0", "rd_wdata0", "rs1_rdata1"};
    formal_probe pr[N];
    for (int i = 0; i < N; i++) {
        if (i < 3)
            snprintf(names[i], sizeof names[i], "%s%s", p->prefix, own[i]);
        else
            snprintf(names[i], sizeof names[i], "%s", top[i - 3]);
        pr[i] = (formal_probe){.name = names[i]};
    }
    if (formal_vcd_probe(vcd, chk->bad, pr, N) != 0)
        return -1;
    for (int i = 0; i < N; i++)
        if (!pr[i].found)
            return -1;
    uint32_t val = (uint32_t)pr[VAL].value, idx = (uint32_t)pr[IDX].value & 31u;
    bool known = pr[KNOWN].value & 1u, v0 = pr[V0].value & 1u;
    bool r1 = v0 && (pr[RS1A].value & 31u) == idx, r2 = v0 && (pr[RS2A].value & 31u) == idx;
    bool w = v0 && (pr[RDA].value & 31u) == idx;
    uint32_t rs1d = (uint32_t)pr[RS1D].value, rs2d = (uint32_t)pr[RS2D].value;
    uint32_t val_a = w ? (uint32_t)pr[RDD].value : known ? val : r1 ? rs1d : rs2d;
    bool known_a = known || r1 || r2 || w;
    if (p->reg_ch == 0)
        *exp = p->reg_k == 1 || known ? val : rs1d;
    else
        *exp = p->reg_k == 1 || known_a ? val_a : (uint32_t)pr[RS1D1].value;
    return 0;
}

int formal_cex_describe(const char *vcd_path, const formal_check *chk, const char *fields, int cycle,
                        char *out, size_t n)
{
    char first[128];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(fields, ","), fields);
    int ch = cex_channel(chk, first);
    cex_plan plan;
    cex_plan_for(chk, first, ch, &plan);
    char nv[16], npc[16], ninsn[16], nord[16];
    snprintf(nv, sizeof nv, "valid%d", ch);
    snprintf(npc, sizeof npc, "pc_rdata%d", ch);
    snprintf(ninsn, sizeof ninsn, "insn%d", ch);
    snprintf(nord, sizeof nord, "order%d", ch);
    bool reg_named = plan.reg[0] && plan.reg[0] != '=';
    formal_probe pr[] = {{.name = nv},
                         {.name = npc},
                         {.name = ninsn},
                         {.name = nord},
                         {.name = plan.got[0] ? plan.got : nv},
                         {.name = plan.expected[0] ? plan.expected : nv},
                         {.name = reg_named ? plan.reg : nv}};
    if (formal_vcd_probe(vcd_path, chk->bad, pr, sizeof pr / sizeof pr[0]) != 0 || !pr[0].found ||
        !pr[0].value || !pr[1].found || !pr[2].found)
        return -1;
    char field[300];
    if (plan.reg[0] && (reg_named ? pr[6].found : true)) {
        unsigned r = reg_named ? (unsigned)pr[6].value & 31u : 0u;
        snprintf(field, sizeof field, "%s (x%u %s)", fields, r, iss_reg_name(r));
    } else {
        snprintf(field, sizeof field, "%s", fields);
    }
    uint32_t reg_exp = 0;
    bool have_reg_exp = plan.reg_k && cex_reg_expected(vcd_path, chk, &plan, &reg_exp) == 0;
    failmsg f = {.cycle = (uint64_t)(cycle < 0 ? 0 : cycle),
                 .has_order = pr[3].found,
                 .order = pr[3].value,
                 .pc = (uint32_t)pr[1].value,
                 .insn = (uint32_t)pr[2].value,
                 .field = field,
                 .has_got = plan.got[0] && pr[4].found,
                 .got = (uint32_t)pr[4].value,
                 .has_expected = have_reg_exp || plan.expected_const || (plan.expected[0] && pr[5].found),
                 .expected = have_reg_exp         ? reg_exp
                             : plan.expected_const ? (uint32_t)plan.expected_value
                                                   : (uint32_t)pr[5].value};
    failmsg_format(&f, out, n);
    return 0;
}
