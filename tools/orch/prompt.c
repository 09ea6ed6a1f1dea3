/* prompt.c — see prompt.h. */
#include "orch/prompt.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsx.h"
#include "lib/strbuf.h"
#include "records/covgap.h"
#include "records/records.h"
#include "yamljson/yamljson.h"

/* Directions for parallel slots, cycled by slot number. */
static const char *const prompt_foci[] = {
    "clock frequency: find the critical path (decode, ALU, forwarding, branch resolution) and shorten it",
    "cycles per instruction: remove stalls and bubbles (forwarding, load-use, branches, multiply/divide latency)",
    "area: fewer logic cells at equal or better fitness (sharing, narrower datapaths, block RAM for arrays)",
    "the memory path: fetch and load/store handling under bus stalls (io_*Ready low)",
    "structure: a different pipeline organisation or a knob combination not tried yet",
};

static void prompt_file(strbuf *b, const char *title, const char *path, size_t max_lines_tail)
{
    char *text = NULL;
    size_t len = 0;
    strbuf_addf(b, "\n## %s\n\n", title);
    if (fsx_read(path, &text, &len) != 0) {
        strbuf_add(b, "(absent)\n");
        return;
    }
    const char *start = text;
    if (max_lines_tail) {
        size_t lines = 0;
        for (const char *p = text + len; p > text; p--)
            if (p[-1] == '\n' && ++lines > max_lines_tail) {
                start = p;
                break;
            }
        if (start != text)
            strbuf_add(b, "(earlier lines omitted)\n");
    }
    strbuf_add(b, "```\n");
    strbuf_add(b, start);
    if (len && text[len - 1] != '\n')
        strbuf_add(b, "\n");
    strbuf_add(b, "```\n");
    free(text);
}

static int prompt_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the regular files in dir. */
static size_t prompt_list(const char *dir, char ***out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char **nv = realloc(*out, (n + 1) * sizeof *nv);
        if (!nv)
            break;
        *out = nv;
        (*out)[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(*out, n, sizeof **out, prompt_cmp);
    return n;
}

/* "module foo" names declared in a file, comma-separated. */
static void prompt_modules(strbuf *b, const char *text)
{
    bool first = true;
    for (const char *p = text; (p = strstr(p, "module")); p += 6) {
        if ((p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) || !isspace((unsigned char)p[6]))
            continue;
        const char *q = p + 6;
        while (isspace((unsigned char)*q))
            q++;
        const char *e = q;
        while (isalnum((unsigned char)*e) || *e == '_')
            e++;
        if (e > q) {
            strbuf_addf(b, "%s%.*s", first ? "" : ", ", (int)(e - q), q);
            first = false;
        }
    }
    if (first)
        strbuf_add(b, "(no module)");
}

static void prompt_rtl(strbuf *b, const prompt_ctx *c)
{
    char *dir = fsx_fmt("%s/cores/%s/rtl", c->wt, c->target);
    char **names = NULL;
    size_t n = dir ? prompt_list(dir, &names) : 0;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        char *p = fsx_fmt("%s/%s", dir, names[i]);
        struct stat st;
        if (p && stat(p, &st) == 0)
            total += (size_t)st.st_size;
        free(p);
    }
    bool inline_all = total <= PROMPT_RTL_INLINE;
    strbuf_addf(b, "\n## The core's RTL (cores/%s/rtl/, %zu files, %zu bytes)\n\n", c->target, n, total);
    if (!inline_all)
        strbuf_add(b, "The RTL is too large to include; here is a map. Read the files you need in "
                      "your working directory before proposing anything.\n\n");
    for (size_t i = 0; i < n; i++) {
        char *p = fsx_fmt("%s/%s", dir, names[i]);
        char *text = NULL;
        size_t len = 0;
        if (p && fsx_read(p, &text, &len) == 0) {
            if (inline_all) {
                strbuf_addf(b, "### %s\n\n```systemverilog\n%s%s```\n\n", names[i], text,
                            len && text[len - 1] != '\n' ? "\n" : "");
            } else {
                strbuf_addf(b, "- %s (%zu bytes): modules ", names[i], len);
                prompt_modules(b, text);
                strbuf_add(b, "\n");
            }
        }
        free(text);
        free(p);
        free(names[i]);
    }
    free(names);
    free(dir);
}

/* An entry's changed lines that no cosim program ran (records/covgap.h):
 * logic the verifier never checked, whether that slot passed or failed. */
static void prompt_coverage_gaps(strbuf *b, const json_t *e)
{
    const json_t *c = json_object_get(e, "coverage");
    if (!json_array_size(json_object_get(c, "unexercised")))
        return;
    char *t = covgap_text(c, "    ");
    const char *nl = t ? strchr(t, '\n') : NULL;
    if (nl)
        strbuf_addf(b, "  %s", nl + 1);
    free(t);
}

static void prompt_figures(strbuf *b, const json_t *e)
{
    strbuf_addf(b, "fitness %.1f it/s, Fmax %.2f MHz, cycles %lld, iterations %lld, CoreMark/MHz %.3f, "
                   "LCs %lld, FFs %lld, workload %s",
                json_number_value(json_object_get(e, "fitness")),
                json_number_value(json_object_get(json_object_get(e, "fmax_mhz"), "median")),
                (long long)json_integer_value(json_object_get(e, "cycles")),
                (long long)json_integer_value(json_object_get(e, "iterations")),
                json_number_value(json_object_get(e, "coremark_per_mhz")),
                (long long)json_integer_value(json_object_get(e, "lut")),
                (long long)json_integer_value(json_object_get(e, "ff")),
                json_string_value(json_object_get(e, "workload")) ? json_string_value(json_object_get(e, "workload"))
                                                                   : "?");
}

static void prompt_rules(strbuf *b, const prompt_ctx *c)
{
    strbuf_add(b, "\n## How designs are judged\n\n"
                  "Gates, in order; the first failure ends the slot as `broken: <gate>`: lint (verilator "
                  "--lint-only -Wall, plus the core's own tests), synth (yosys synth_ice40), formal (RVFI "
                  "checks, bounded model checking; MUL/DIV results are proved exact for all operands, and a "
                  "proof that does not finish in its time limit fails the gate as unproven: see formal/README.md), cosim (lockstep against the ISS on self-test, ISA tests, "
                  "random programs and the fitness workload, under several bus-stall patterns), pnr "
                  "(nextpnr-ice40, seeds 1-3; fewer than two routed seeds is placement_failed), coremark.\n\n"
                  "fitness = median Fmax (MHz) x iterations / bracketed cycles x 10^6 (iterations per second), "
                  "per workload; over a workload set (its name joins the members with '+', e.g. workload+vm: "
                  "the CoreMark-class workload and a bytecode interpreter) fitness is the geometric mean of the "
                  "members' and CoreMark/MHz the geometric mean of their iterations / cycles x 10^6, so a gain "
                  "on one workload paid for by the same loss on another is not a win.\n\n");
    const accept_targets *t = c->targets;
    if (!t || (t->coremark <= 0 && t->lut <= 0)) {
        strbuf_addf(b, "Accept rule: a candidate replaces the champion when its fitness exceeds the "
                       "champion's by more than %.1f%% (noise margin of place and route).\n",
                    accept_margin(t) * 100.0);
    } else {
        strbuf_add(b, "Accept rule with targets:");
        if (t->coremark > 0)
            strbuf_addf(b, " COREMARK=%.1f it/s", t->coremark);
        if (t->lut > 0)
            strbuf_addf(b, " LUT=%.0f logic cells", t->lut);
        strbuf_add(b, ". Each design scores the sum of its relative shortfalls (<= 0); a candidate wins when "
                      "it is closer to the targets; when both meet them, only a Pareto improvement "
                      "(higher fitness and fewer cells, one strictly) wins.\n");
    }
    if (c->champion) {
        strbuf_addf(b, "\nThe champion (%s): ", json_string_value(json_object_get(c->champion, "id")));
        prompt_figures(b, c->champion);
        strbuf_add(b, "\n");
        char *per = records_workloads_text(c->champion, NULL, NULL);
        if (per)
            strbuf_addf(b, "Per workload (the cycles and iterations above are the first one's): %s.\n", per);
        free(per);
        char *cp = records_critical_path_text(c->champion);
        if (cp)
            strbuf_addf(b, "\nCritical path of the champion (place and route, the median seed; it sets Fmax): "
                           "%s.\n", cp);
        free(cp);
        char *cpi = records_cpi_text(c->champion);
        if (cpi)
            strbuf_addf(b, "\nWhere the champion's cycles go (cosim, the fitness run under the standard stalls; "
                           "a cause is charged in the order muldiv, dmem, imem, redirect, load_use, other): %s.\n",
                        cpi);
        free(cpi);
        char *cells = records_cells_text(c->champion);
        if (cells)
            strbuf_addf(b, "\nWhere the champion's logic is (synthesis, by instance, sub-instances included): %s.\n",
                        cells);
        free(cells);
    } else {
        strbuf_add(b, "\nThere is no measured champion yet.\n");
    }
    if (c->parent) {
        const char *pid = json_string_value(json_object_get(c->parent, "id"));
        strbuf_addf(b, "\nParent design: %s\n\nThis slot does NOT start from the champion: the design in your "
                       "worktree (cores/%s/rtl and test) is %s's, which passed every gate but was not accepted. "
                       "Its figures: ", pid, c->target, pid);
        prompt_figures(b, c->parent);
        char d[32];
        records_delta_str(c->parent, d, sizeof d);
        strbuf_addf(b, " (%s against the champion of its round). Your change is still judged against the "
                       "champion above, by the same accept rule.\n", d);
        char *cp = records_critical_path_text(c->parent);
        if (cp)
            strbuf_addf(b, "\nCritical path of the parent design: %s.\n", cp);
        free(cp);
    }
}

static void prompt_sandbox(strbuf *b, const prompt_ctx *c)
{
    strbuf_addf(b, "\n## Sandbox\n\nOnly plain files under cores/%s/rtl/ and cores/%s/test/ may change. "
                   "Anything else (other directories, core.yaml, symlinks, executable bits, .git* files, "
                   "files left ignored or untracked elsewhere) makes the slot broken before any gate runs. "
                   "Forbidden in HDL: $system, $c(...), `systemc_*, $fopen and file reads, $fwrite/$fdisplay "
                   "to anything but stdout/stderr, $dump*, $writemem*, $readmem* of a file outside the core's "
                   "rtl/ or test/, DPI import/export (import/export followed by a string or a macro), "
                   "`include of anything but the plain name of a file in the core's rtl/ (testbenches: or "
                   "test/), `line, and macro token pasting (``); the HDL is also checked after macro "
                   "expansion. Never write outside your working directory.\n",
                c->target, c->target);
}

char *prompt_hypothesis(const prompt_ctx *c)
{
    strbuf b = {0};
    strbuf_addf(&b, "# Propose one hypothesis for core %s (round %d, slot %d of %d)\n\n", c->target, c->round,
                c->slot, c->nslots);
    strbuf_addf(&b, "You are improving an RV32IM CPU core for an iCE40 FPGA. Propose ONE microarchitectural "
                    "change and write it as YAML to:\n\n    %s\n\n(also in $EVO_HYPOTHESIS). Its `id` must be "
                    "`%s`. Do not change any other file in this phase: everything else you write is reverted. "
                    "The YAML must validate against the schema below; `changes` lists files relative to "
                    "cores/%s/.\n",
                c->hypothesis_path, c->id, c->target);
    size_t nf = sizeof prompt_foci / sizeof prompt_foci[0];
    strbuf_addf(&b, "\nYour focus in this slot: %s.%s\n", prompt_foci[(size_t)(c->slot > 0 ? c->slot - 1 : 0) % nf],
                c->nslots > 1 ? " Other slots explore other directions at the same time." : "");
    prompt_rules(&b, c);
    if (c->nrecent) {
        strbuf_add(&b, "\n## Recent log entries (oldest first)\n\n");
        for (size_t i = 0; i < c->nrecent; i++) {
            const json_t *e = c->recent[i];
            const json_t *h = json_object_get(e, "hypothesis");
            strbuf_addf(&b, "- %s: %s", json_string_value(json_object_get(e, "id")),
                        json_string_value(json_object_get(e, "outcome")));
            if (json_is_string(json_object_get(e, "failed_gate")))
                strbuf_addf(&b, " at %s", json_string_value(json_object_get(e, "failed_gate")));
            if (json_is_number(json_object_get(e, "delta_pct")))
                strbuf_addf(&b, " (%+.1f%%)", json_number_value(json_object_get(e, "delta_pct")));
            if (json_is_object(h))
                strbuf_addf(&b, " — %s", json_string_value(json_object_get(h, "title")));
            const char *lesson = json_string_value(json_object_get(e, "lesson"));
            if (lesson && *lesson)
                strbuf_addf(&b, "; lesson: %s", lesson);
            strbuf_add(&b, "\n");
            prompt_coverage_gaps(&b, e);
        }
    }
    char *p = fsx_fmt("%s/cores/%s/core.yaml", c->wt, c->target);
    prompt_file(&b, "core.yaml (identity, FPGA target, knobs)", p, 0);
    free(p);
    p = fsx_fmt("%s/cores/%s/CORE_PHILOSOPHY.md", c->wt, c->target);
    prompt_file(&b, "CORE_PHILOSOPHY.md (the architect's intent)", p, 0);
    free(p);
    p = fsx_fmt("%s/cores/%s/LESSONS.md", c->wt, c->target);
    prompt_file(&b, "LESSONS.md (last lines)", p, 40);
    free(p);
    prompt_file(&b, "schemas/hypothesis.schema.json", c->schema_path, 0);
    prompt_rtl(&b, c);
    prompt_sandbox(&b, c);
    return strbuf_take(&b);
}

char *prompt_implement(const prompt_ctx *c)
{
    strbuf b = {0};
    strbuf_addf(&b, "# Implement hypothesis %s on core %s\n\n", c->id, c->target);
    strbuf_addf(&b, "Your working directory is a private git worktree of the project. Edit the design in "
                    "cores/%s/rtl/ (and its tests in cores/%s/test/) to implement exactly this hypothesis; "
                    "the loop commits whatever you leave there, then checks and measures it.\n\n",
                c->target, c->target);
    char *yaml = c->hypothesis ? yamljson_dump(c->hypothesis) : NULL;
    strbuf_addf(&b, "## The hypothesis\n\n```yaml\n%s```\n", yaml ? yaml : "(missing)\n");
    free(yaml);
    strbuf_add(&b, "\n## The core contract (must keep holding)\n\n"
                   "Top module `core`, clock `clock`, synchronous active-high `reset`. Ports: io_imemAddr (out 32), "
                   "io_imemData (in 32, combinational: the word at io_imemAddr & ~3 in the same cycle), "
                   "io_imemReady (in 1: 0 stalls the fetch), io_dmemAddr (out 32), io_dmemRData (in 32, same "
                   "cycle), io_dmemWData (out 32, lane-replicated), io_dmemWEn (out 4, byte lanes), io_dmemREn "
                   "(out 1), io_dmemReady (in 1: the access completes this cycle when 1). Ready is sampled every "
                   "cycle; a store takes effect in a cycle with WEn != 0 && Ready.\n"
                   "RVFI on two channels io_rvfi_<field>_0/_1 (valid, order 64, insn, trap, halt, intr, mode=3, "
                   "ixl=1, rs1/rs2 addr+rdata, rd addr+wdata, pc_rdata, pc_wdata, mem addr/rmask/wmask/rdata/"
                   "wdata with word address and lane-shifted masks); channel 0 carries the older retirement, "
                   "order increases by one per retirement, channel 1 is tied to 0 on single-issue cores.\n"
                   "ISA RV32I + M. EBREAK ends a program; ECALL, CSR instructions, MRET and unknown encodings "
                   "retire with trap=1, no register or memory write, pc_wdata = pc+4. FENCE/FENCE.I are no-ops. "
                   "Misaligned loads/stores and misaligned taken branch/jump targets trap the same way. The "
                   "decoder's default is illegal.\n"
                   "Style: one module per file, always_ff/always_comb, no latches; must pass verilator 5.006 "
                   "--lint-only -Wall and Yosys 0.23 read_verilog -sv (no interfaces, no structs in ports). "
                   "Arrays must map to iCE40 block RAM (synchronous read) or stay small.\n");
    strbuf_add(&b, "\n## Coverage of what you change\n\n"
                   "The cosim gate measures which RTL lines its programs (ISA tests, random programs, the "
                   "workload) execute. Every line you add or change that no program executes is listed in the "
                   "log entry and shown to later agents; with STRICT_COVERAGE=1 it makes the slot broken: cosim, "
                   "naming file:line. Write logic the programs reach: no branches for conditions that never "
                   "occur, no dead special cases.\n");
    strbuf_addf(&b, "\n## Checking your work locally\n\n"
                    "    verilator --lint-only -Wall -Icores/%s/rtl --top-module core cores/%s/rtl/*.sv\n\n"
                    "The loop runs every gate itself afterwards; do not leave build products, waveforms or "
                    "temporary files in the tree.\n",
                c->target, c->target);
    prompt_rules(&b, c);
    prompt_sandbox(&b, c);
    return strbuf_take(&b);
}
