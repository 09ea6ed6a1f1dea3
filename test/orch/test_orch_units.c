/* test_orch_units — unit tests of the loop's modules (tools/orch):
 * sandbox path and HDL rules (each trick of issue 6), records (log parsing,
 * ids, figures, schema validation, lessons), the accept wiring
 * (records_decide on DESIGN.md §4's worked examples), the scheduler, the
 * pipeline (verdict order under overlap, missing gates, dependencies,
 * cache), the gate cache's MAC check (forged, guessed, moved, non-regular
 * entries; fresh re-verification; a run directory that cannot be written),
 * the cmd: agent runner (prompt on stdin, environment, timeout),
 * repo operations on a scratch repository built with libgit2, the guard, and
 * the sandbox on whole trees: size limits, includes, and the scan after macro
 * expansion (hdlpre, each escape of issue 17; needs verilator).
 * Run from the repository root (it reads schemas/). */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents/agent.h"
#include "check.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/safetext.h"
#include "lib/strbuf.h"
#include "orch/forkcore.h"
#include "orch/gcache.h"
#include "orch/guard.h"
#include "orch/hdlpre.h"
#include "orch/jobprog.h"
#include "orch/parents.h"
#include "orch/pipeline.h"
#include "orch/repo.h"
#include "orch/report.h"
#include "orch/sandbox.h"
#include "orch/sched.h"
#include "records/records.h"
#include "schema/schema.h"

/* ---- sandbox: path rules ---------------------------------------------------- */

static size_t change(sandbox_change k, const char *op, unsigned om, const char *np, unsigned nm,
                     const char *link, char **text)
{
    sandbox_report r = {0};
    sandbox_check_change("demo", k, op, om, np, nm, link, &r);
    size_t c = r.count;
    if (text)
        *text = r.text ? strdup(r.text) : strdup("");
    sandbox_report_free(&r);
    return c;
}

static void test_sandbox_paths(void)
{
    const unsigned F = GIT_FILEMODE_BLOB, X = GIT_FILEMODE_BLOB_EXECUTABLE, L = GIT_FILEMODE_LINK,
                   G = GIT_FILEMODE_COMMIT;
    char *t = NULL;
    CHECK_CASE("sandbox: rtl and test files may be added, modified, deleted") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/new.sv", F, NULL, NULL), 0);
        CHECK_EQ_INT(change(SANDBOX_MODIFIED, "cores/demo/rtl/core.sv", F, "cores/demo/rtl/core.sv", F, NULL, NULL), 0);
        CHECK_EQ_INT(change(SANDBOX_DELETED, "cores/demo/test/tb.sv", F, NULL, 0, NULL, NULL), 0);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/test/sub/deep.sv", F, NULL, NULL), 0);
        CHECK_EQ_INT(change(SANDBOX_RENAMED, "cores/demo/rtl/a.sv", F, "cores/demo/test/a.sv", F, NULL, NULL), 0);
    }
    CHECK_CASE("sandbox: additions outside the core's rtl/test are violations") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "formal/checks2.sv", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "formal/checks2.sv: added outside cores/demo/rtl/");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/other/rtl/x.sv", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/experiments/log.jsonl", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl", F, NULL, NULL), 1); /* a file named rtl */
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo2/rtl/x.sv", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/dem/rtl/x.sv", F, NULL, NULL), 1);
    }
    CHECK_CASE("sandbox: modifications and deletions outside are violations") {
        CHECK_EQ_INT(change(SANDBOX_MODIFIED, "cores/demo/core.yaml", F, "cores/demo/core.yaml", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "modified outside");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_DELETED, "tools/orch/sandbox.c", F, NULL, 0, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "deleted outside");
        free(t);
    }
    CHECK_CASE("sandbox: both ends of a rename are checked") {
        CHECK_EQ_INT(change(SANDBOX_RENAMED, "formal/checks.sv", F, "cores/demo/rtl/checks.sv", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "formal/checks.sv: renamed away");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_RENAMED, "cores/demo/rtl/core.sv", F, "bench/core.sv", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "bench/core.sv: renamed to");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_RENAMED, "fpga/a.sv", F, "fpga/b.sv", F, NULL, NULL), 2);
    }
    CHECK_CASE("sandbox: case tricks are named") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "Cores/demo/rtl/x.sv", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "case variant");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/RTL/x.sv", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "case variant");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/DEMO/rtl/x.sv", F, NULL, NULL), 1);
    }
    CHECK_CASE("sandbox: mode changes and executables") {
        CHECK_EQ_INT(change(SANDBOX_MODIFIED, "cores/demo/rtl/core.sv", F, "cores/demo/rtl/core.sv", X, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "mode change file -> executable file (100644 -> 100755)");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/test/run.sh", X, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "executable file");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_MODIFIED, "cores/demo/rtl/x.sv", X, "cores/demo/rtl/x.sv", F, NULL, NULL), 1);
    }
    CHECK_CASE("sandbox: symlinks anywhere, with outside targets named") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/l.sv", L, "core.sv", &t), 1);
        CHECK_STR_CONTAINS(t, "symlink -> 'core.sv'");
        CHECK(!strstr(t, "outside the tree"));
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/p.sv", L, "/etc/passwd", &t), 1);
        CHECK_STR_CONTAINS(t, "points outside the tree");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/q.sv", L, "../../../formal/x.sv", &t), 1);
        CHECK_STR_CONTAINS(t, "points outside the tree");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_TYPECHANGE, "cores/demo/rtl/core.sv", F, "cores/demo/rtl/core.sv", L, "x", NULL), 1);
        /* outside the sandbox: the path and the symlink are both reported */
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "link", L, "/", NULL), 2);
    }
    CHECK_CASE("sandbox: submodules (gitlinks)") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/sub", G, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "submodule");
        free(t);
    }
    CHECK_CASE("sandbox: .gitattributes, .gitmodules, .gitignore and .git anywhere") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/.gitattributes", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "git metadata file '.gitattributes'");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, ".gitmodules", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_MODIFIED, ".gitignore", F, ".gitignore", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/test/.git/hooks/pre-commit", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/.GITattributes", F, NULL, NULL), 1);
    }
    CHECK_CASE("sandbox: '..', '.', empty components, backslashes, control characters") {
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/../../../formal/x.sv", F, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "'..'");
        free(t);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/./x.sv", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl//x.sv", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/a\\b.sv", F, NULL, NULL), 1);
        CHECK_EQ_INT(change(SANDBOX_ADDED, NULL, 0, "cores/demo/rtl/a\nb.sv", F, NULL, NULL), 1);
    }
}

/* ---- sandbox: HDL content ----------------------------------------------------- */

static bool exists_stub(const char *path, void *ctx)
{
    (void)ctx;
    return strcmp(path, "cores/demo/rtl/rom.hex") == 0 || strcmp(path, "cores/demo/test/vec.hex") == 0 ||
           strcmp(path, "cores/demo/rtl/defs.svh") == 0 || strcmp(path, "cores/demo/test/prog.svh") == 0;
}

static size_t scan(const char *text, char **report)
{
    sandbox_report r = {0};
    sandbox_scan_text("demo", "cores/demo/rtl/x.sv", text, strlen(text), exists_stub, NULL, &r);
    size_t c = r.count;
    if (report)
        *report = r.text ? strdup(r.text) : strdup("");
    sandbox_report_free(&r);
    return c;
}

static void test_sandbox_hdl(void)
{
    char *t = NULL;
    CHECK_CASE("hdl: ordinary RTL passes") {
        size_t v = scan("module x(input logic a, output logic [3:0] y);\n"
                        "  localparam int W = $clog2(16);\n  always_comb y = $signed(a) + $countones(a);\n"
                        "  initial begin $display(\"hi\"); $finish; end\n  // verilator lint_off UNUSED\n"
                        "  /*verilator public*/\n  initial if (!$cast(y, a)) $fatal(1, \"x\");\nendmodule\n", NULL);
        CHECK_EQ_INT(v, 0);
    }
    CHECK_CASE("hdl: $system is rejected with its line") {
        CHECK_EQ_INT(scan("module x;\n\n  initial $system(\"rm -rf /\");\nendmodule\n", &t), 1);
        CHECK_STR_CONTAINS(t, "cores/demo/rtl/x.sv:3: $system (runs a shell command)");
        free(t);
    }
    CHECK_CASE("hdl: comments and strings do not count") {
        CHECK_EQ_INT(scan("// $system(\"x\")\n/* $fopen(\"y\") \n $dumpfile */\ninitial $display(\"$system $fopen\");\n", NULL), 0);
    }
    CHECK_CASE("hdl: file I/O") {
        CHECK_EQ_INT(scan("initial fd = $fopen(\"out.txt\", \"w\");", NULL), 1);
        CHECK_EQ_INT(scan("initial $fwrite(fd, \"x\");", &t), 1);
        CHECK_STR_CONTAINS(t, "descriptor 'fd'");
        free(t);
        CHECK_EQ_INT(scan("initial $fdisplay(32'h8000_0002, \"to stderr\");", NULL), 0);
        CHECK_EQ_INT(scan("initial $fwrite(1, \"to stdout\"); initial $fdisplayh(2, x);", NULL), 0);
        CHECK_EQ_INT(scan("initial $fstrobe(f, x); initial $fmonitor(f, y);", NULL), 2);
        CHECK_EQ_INT(scan("initial r = $fgets(s, f); initial $fclose(f);", NULL), 2);
        CHECK_EQ_INT(scan("initial $fflush;", NULL), 0);
    }
    CHECK_CASE("hdl: $readmem only from the core's own files") {
        CHECK_EQ_INT(scan("initial $readmemh(\"rom.hex\", mem);", NULL), 0);
        CHECK_EQ_INT(scan("initial $readmemh(\"cores/demo/rtl/rom.hex\", mem);", NULL), 0);
        CHECK_EQ_INT(scan("initial $readmemb(\"vec.hex\", mem);", NULL), 0);
        CHECK_EQ_INT(scan("initial $readmemh(\"/etc/passwd\", mem);", &t), 1);
        CHECK_STR_CONTAINS(t, "absolute path");
        free(t);
        CHECK_EQ_INT(scan("initial $readmemh(\"../../../formal/x.hex\", mem);", &t), 1);
        CHECK_STR_CONTAINS(t, "'..'");
        free(t);
        CHECK_EQ_INT(scan("initial $readmemh(\"cores/other/rtl/rom.hex\", mem);", NULL), 1);
        CHECK_EQ_INT(scan("initial $readmemh(\"missing.hex\", mem);", NULL), 1);
        CHECK_EQ_INT(scan("parameter string INIT = \"rom.hex\";\ninitial $readmemh(INIT, mem);", NULL), 0);
        CHECK_EQ_INT(scan("parameter INIT = \"/tmp/x\";\ninitial $readmemh(INIT, mem);", NULL), 1);
        CHECK_EQ_INT(scan("initial $readmemh(name, mem);", &t), 1);
        CHECK_STR_CONTAINS(t, "computed file name");
        free(t);
        CHECK_EQ_INT(scan("initial $writememh(\"rom.hex\", mem);", NULL), 1);
    }
    CHECK_CASE("hdl: waveform dumps") {
        CHECK_EQ_INT(scan("initial begin $dumpfile(\"x.vcd\"); $dumpvars; end", NULL), 2);
    }
    CHECK_CASE("hdl: DPI imports and exports") {
        CHECK_EQ_INT(scan("import \"DPI-C\" function int system(string s);", &t), 1);
        CHECK_STR_CONTAINS(t, "DPI import");
        free(t);
        CHECK_EQ_INT(scan("export   \"DPI\" task t;", NULL), 1);
        CHECK_EQ_INT(scan("import pkg::*;", NULL), 0);
    }
    CHECK_CASE("hdl: DPI in any spelling, and import/export followed by a macro (issue 17)") {
        /* the escape: the DPI string in a macro */
        CHECK_EQ_INT(scan("`define L \"DPI-C\"\nimport `L function integer system(chandle cmd);", &t), 1);
        CHECK_STR_CONTAINS(t, "x.sv:2: import followed by a macro");
        free(t);
        CHECK_EQ_INT(scan("import \"dpi\" function int f();", NULL), 1);
        CHECK_EQ_INT(scan("export \"DPI-SC\" task t;", NULL), 1);
        CHECK_EQ_INT(scan("import /* c */\n  \"DPI-C\" function int f();", NULL), 1);
        CHECK_EQ_INT(scan("export `E;", NULL), 1);
        CHECK_EQ_INT(scan("import core_pkg::*;\nexport core_pkg::*;\nwire important, exported;", NULL), 0);
    }
    CHECK_CASE("hdl: `include names a file of the core's own rtl/ by its plain name (issue 17)") {
        CHECK_EQ_INT(scan("`include \"defs.svh\"", NULL), 0);
        CHECK_EQ_INT(scan("`include \"build/x.svh\"", &t), 1); /* resolved against the tool's cwd */
        CHECK_STR_CONTAINS(t, "plain name");
        free(t);
        CHECK_EQ_INT(scan("`include \"sub/more.svh\"", NULL), 1);
        CHECK_EQ_INT(scan("`include \"nope.svh\"", &t), 1);
        CHECK_STR_CONTAINS(t, "no such file in cores/demo/rtl/");
        free(t);
        CHECK_EQ_INT(scan("`include \"prog.svh\"", NULL), 1); /* a test/ file, from the design */
        CHECK_EQ_INT(scan("`include \"..\"", NULL), 1);
        CHECK_EQ_INT(scan("`include \"../../../formal/checks.svh\"", NULL), 1);
        CHECK_EQ_INT(scan("`include \"/etc/passwd\"", NULL), 1);
        CHECK_EQ_INT(scan("`include <stdio.h>", NULL), 1);
        CHECK_EQ_INT(scan("`include `FILE_NAME", NULL), 1);
        sandbox_report r = {0};
        const char *tb = "`include \"prog.svh\"\n`include \"defs.svh\"\n";
        sandbox_scan_text("demo", "cores/demo/test/tb_x.sv", tb, strlen(tb), exists_stub, NULL, &r);
        CHECK_EQ_INT(r.count, 0); /* a testbench may include from test/ and rtl/ (lint's -I) */
        sandbox_report_free(&r);
    }
    CHECK_CASE("hdl: `line directives and NUL bytes in HDL are refused") {
        CHECK_EQ_INT(scan("`line 1 \"cores/demo/test/tb.sv\" 0\nforce x = 1;", &t), 2);
        CHECK_STR_CONTAINS(t, "`line directive");
        free(t);
        sandbox_report r = {0};
        const char nul[] = {'$', 's', 'y', 's', 't', 'e', 'm', '\0', 'x'};
        sandbox_scan_text("demo", "cores/demo/rtl/x.sv", nul, sizeof nul, NULL, NULL, &r);
        CHECK_EQ_INT(r.count, 1);
        sandbox_report_free(&r);
    }
    CHECK_CASE("hdl: Verilator C++ insertion") {
        CHECK_EQ_INT(scan("initial $c(\"system(\\\"x\\\");\");", &t), 1);
        CHECK_STR_CONTAINS(t, "$c (Verilator C++ insertion)");
        free(t);
        CHECK_EQ_INT(scan("assign y = $c32(\"f()\");", NULL), 1);
        CHECK_EQ_INT(scan("`systemc_header\n#include <cstdlib>\n`verilog\n", NULL), 1);
        CHECK_EQ_INT(scan("`systemc_ctor\n", NULL), 1);
    }
    CHECK_CASE("hdl: macro token pasting is rejected") {
        CHECK_EQ_INT(scan("`define T(a) $sys``a\ninitial `T(tem)(\"x\");", &t), 1);
        CHECK_STR_CONTAINS(t, "token pasting");
        free(t);
    }
    CHECK_CASE("hdl: verification constructs are refused in the design, allowed in tests") {
        CHECK_EQ_INT(scan("always_comb assume (x == 0);", &t), 1);
        CHECK_STR_CONTAINS(t, "'assume' in the design");
        free(t);
        CHECK_EQ_INT(scan("bind formal_check_reg my_mod m();", NULL), 1);
        CHECK_EQ_INT(scan("initial force formal_top.ok = 1'b1;\ninitial release x;", NULL), 2);
        CHECK_EQ_INT(scan("assign y = $root.formal_top.ok;", NULL), 1);
        CHECK_EQ_INT(scan("initial $assertoff;", NULL), 1);
        CHECK_EQ_INT(scan("wire assumed_ok; wire forced_x; // assume nothing", NULL), 0);
        sandbox_report r = {0};
        const char *tb = "initial begin assume (1); force x = 1; end";
        sandbox_scan_text("demo", "cores/demo/test/tb_x.sv", tb, strlen(tb), exists_stub, NULL, &r);
        CHECK_EQ_INT(r.count, 0);
        sandbox_report_free(&r);
    }
    CHECK_CASE("hdl: escaped identifiers are names, not tasks") {
        CHECK_EQ_INT(scan("wire \\$system ;", NULL), 0);
    }
    CHECK_CASE("hdl: every violation is listed") {
        CHECK_EQ_INT(scan("$system(\"a\");\n$fopen(\"b\");\n$dumpfile(\"c\");\n", &t), 3);
        CHECK_STR_CONTAINS(t, ":1: $system");
        CHECK_STR_CONTAINS(t, ":2: $fopen");
        CHECK_STR_CONTAINS(t, ":3: $dumpfile");
        free(t);
    }
    CHECK_CASE("hdl: binary files are not parsed as HDL") {
        sandbox_report r = {0};
        const char bin[] = {'$', 's', 'y', 's', 't', 'e', 'm', '\0', 'x'};
        sandbox_scan_text("demo", "cores/demo/rtl/rom.bin", bin, sizeof bin, NULL, NULL, &r);
        CHECK_EQ_INT(r.count, 0);
        sandbox_report_free(&r);
    }
}

/* ---- sandbox on trees: sizes, includes, the scan after macro expansion ------------ */

typedef struct {
    const char *path, *data;
    size_t len; /* 0: strlen(data) */
} tfile;

/* The tree of base with over's files added or replaced: blobs written into
 * g, the tree through an in-memory index. */
static int tree_of(git_repository *g, const tfile *base, size_t nb, const tfile *over, size_t no, git_oid *out)
{
    git_index *idx = NULL;
    int rc = git_index_new(&idx);
    for (size_t i = 0; rc == 0 && i < nb + no; i++) {
        const tfile *f = i < nb ? &base[i] : &over[i - nb];
        git_index_entry e;
        memset(&e, 0, sizeof e);
        e.mode = GIT_FILEMODE_BLOB;
        e.path = f->path;
        rc = git_blob_create_from_buffer(&e.id, g, f->data, f->len ? f->len : strlen(f->data));
        if (rc == 0)
            rc = git_index_add(idx, &e);
    }
    if (rc == 0)
        rc = git_index_write_tree_to(out, idx, g);
    git_index_free(idx);
    return rc;
}

static const tfile slot_base[] = {
    {"cores/demo/rtl/core.sv", "module core(input logic clock, output logic [3:0] y);\n  assign y = 4'd1;\nendmodule\n", 0},
    {"cores/demo/rtl/defs.svh", "`define WIDTH 4\n", 0},
    {"cores/demo/test/tb_core.sv", "module tb_core;\n  initial $display(\"PASS tb\");\nendmodule\n", 0},
    {"cores/demo/core.yaml", "name: demo\n", 0},
};

/* The sandbox's checks of a slot that changes slot_base by over: the tree
 * checks, then hdlpre when scratch is given. Returns the violation count. */
static size_t check_slot(git_repository *g, const tfile *over, size_t no, const char *scratch, char **report)
{
    size_t nb = sizeof slot_base / sizeof slot_base[0];
    git_oid parent, slot;
    char err[1024] = "";
    sandbox_report r = {0};
    if (tree_of(g, slot_base, nb, NULL, 0, &parent) != 0 || tree_of(g, slot_base, nb, over, no, &slot) != 0 ||
        sandbox_check_trees(g, &parent, &slot, "demo", &r, err, sizeof err) != 0 ||
        (scratch && hdlpre_check(g, &slot, "demo", scratch, NULL, &r, err, sizeof err) != 0))
        sandbox_report_add(&r, "(test)", 0, "the check could not run: %s", err);
    size_t c = r.count;
    if (report)
        *report = strdup(r.text ? r.text : "");
    sandbox_report_free(&r);
    return c;
}

static void test_sandbox_sizes(git_repository *g)
{
    char *t = NULL;
    CHECK_CASE("sandbox: a file over SANDBOX_FILE_MAX is refused before it is read (issue 17)") {
        size_t len = SANDBOX_FILE_MAX + 1;
        char *big = malloc(len);
        memset(big, ' ', len);
        tfile f[] = {{"cores/demo/rtl/big.sv", big, len}};
        CHECK_EQ_INT(check_slot(g, f, 1, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "cores/demo/rtl/big.sv: 1048577 bytes");
        CHECK_STR_CONTAINS(t, "SANDBOX_FILE_MAX");
        free(t);
        free(big);
    }
    CHECK_CASE("sandbox: rtl/ and test/ together over SANDBOX_CORE_MAX are refused") {
        char *chunk = malloc(SANDBOX_FILE_MAX);
        memset(chunk, ' ', SANDBOX_FILE_MAX);
        tfile f[9];
        char names[9][64];
        for (int i = 0; i < 9; i++) {
            snprintf(names[i], sizeof names[i], "cores/demo/%s/f%d.sv", i % 2 ? "rtl" : "test", i);
            f[i] = (tfile){names[i], chunk, SANDBOX_FILE_MAX};
        }
        CHECK_EQ_INT(check_slot(g, f, 9, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "cores/demo: rtl/ and test/ hold");
        CHECK_STR_CONTAINS(t, "SANDBOX_CORE_MAX");
        free(t);
        free(chunk);
    }
}

/* Each escape of issue 17 first passes the raw scan (what happened), then is
 * caught by the scan after macro expansion. */
static void expect_expanded(git_repository *g, const char *scratch, const char *core_sv, const char *want)
{
    tfile f[] = {{"cores/demo/rtl/core.sv", core_sv, 0}};
    char *t = NULL;
    CHECK_EQ_INT(check_slot(g, f, 1, NULL, NULL), 0);
    CHECK(check_slot(g, f, 1, scratch, &t) >= 1);
    CHECK_STR_CONTAINS(t, want);
    free(t);
}

static void test_sandbox_expanded(git_repository *g, const char *scratch)
{
    char *t = NULL;
    CHECK_CASE("hdlpre: DPI from macros behind a lower-case `ifndef verilator (Yosys view)") {
        expect_expanded(g, scratch,
                        "`define IMP import\nmodule core(input logic clock, output logic [3:0] y);\n"
                        "`define STR \"DPI-C\"\n`ifndef verilator\n"
                        "  `IMP `STR function integer system(chandle cmd);\n  localparam integer R = system(0);\n"
                        "`endif\n  assign y = 4'd1;\nendmodule\n",
                        "core.sv:5: DPI import \"DPI-C\" (calls host C code) (after macro");
    }
    CHECK_CASE("hdlpre: DPI from macros behind `ifdef verilator3 (Verilator view)") {
        expect_expanded(g, scratch,
                        "`define IMP import\nmodule core(input logic clock, output logic [3:0] y);\n"
                        "`define STR \"DPI-C\"\n`ifdef verilator3\n"
                        "  `IMP `STR function integer system(chandle cmd);\n`endif\n  assign y = 4'd1;\nendmodule\n",
                        "cores/demo/rtl/core.sv:5: DPI import");
    }
    CHECK_CASE("hdlpre: a comment between `ifndef and VERILATOR hides nothing") {
        expect_expanded(g, scratch,
                        "`define IMP import\nmodule core(input logic clock, output logic [3:0] y);\n"
                        "`define STR \"DPI-C\"\n`ifndef /* tools */ VERILATOR\n"
                        "  `IMP `STR function integer system(chandle cmd);\n`endif\n  assign y = 4'd1;\nendmodule\n",
                        "cores/demo/rtl/core.sv:5: DPI import");
    }
    CHECK_CASE("hdlpre: $system assembled from adjacent macros") {
        expect_expanded(g, scratch,
                        "`define S $sys\n`define T tem\nmodule core(input logic clock, output logic [3:0] y);\n"
                        "  initial `S`T(\"touch /tmp/evo-marker\");\n  assign y = 4'd1;\nendmodule\n",
                        "core.sv:4: $system (runs a shell command) (after macro expansion)");
    }
    CHECK_CASE("hdlpre: a macro of an included rtl/ header is expanded at its use") {
        tfile f[] = {{"cores/demo/rtl/defs.svh", "`define S $sys\n`define T tem\n", 0},
                     {"cores/demo/rtl/core.sv", "`include \"defs.svh\"\nmodule core;\n  initial `S`T(\"x\");\nendmodule\n",
                      0}};
        CHECK_EQ_INT(check_slot(g, f, 2, NULL, NULL), 0);
        CHECK_EQ_INT(check_slot(g, f, 2, scratch, &t), 1); /* once, though every view sees it */
        CHECK_STR_CONTAINS(t, "cores/demo/rtl/core.sv:3: $system");
        free(t);
    }
    CHECK_CASE("hdlpre: `include of a file in rtl/ stays allowed") {
        tfile f[] = {{"cores/demo/rtl/core.sv", "`include \"defs.svh\"\nmodule core(output logic [`WIDTH-1:0] y);\n"
                                               "  assign y = '0;\nendmodule\n", 0}};
        CHECK_EQ_INT(check_slot(g, f, 1, scratch, &t), 0);
        free(t);
    }
    CHECK_CASE("hdlpre: `include \"build/x.svh\" is refused, and the preprocessor cannot find it either") {
        tfile f[] = {{"cores/demo/rtl/core.sv", "module core;\n`include \"build/x.svh\"\nendmodule\n", 0}};
        CHECK_EQ_INT(check_slot(g, f, 1, NULL, &t), 1);
        CHECK_STR_CONTAINS(t, "core.sv:2: `include \"build/x.svh\": name a file of the core's");
        free(t);
        CHECK(check_slot(g, f, 1, scratch, &t) >= 2);
        CHECK_STR_CONTAINS(t, "cores/demo/rtl/core.sv:2: the preprocessor refuses it");
        free(t);
    }
    CHECK_CASE("hdlpre: a preprocessor error names the file, the line and Verilator's message") {
        tfile f[] = {{"cores/demo/rtl/core.sv", "module core;\n`ifdef NEVER\nendmodule\n", 0}};
        CHECK(check_slot(g, f, 1, scratch, &t) >= 1);
        CHECK_STR_CONTAINS(t, "cores/demo/rtl/core.sv:5: the preprocessor refuses it");
        CHECK_STR_CONTAINS(t, "lint/cosim view): %Error: cores/demo/rtl/core.sv:5");
        CHECK_STR_CONTAINS(t, "`ifdef not terminated");
        free(t);
    }
    CHECK_CASE("hdlpre: the expanded testbench keeps the design rules for the design's lines") {
        tfile f[] = {{"cores/demo/rtl/defs.svh", "`define F fo\n`define R rce\n", 0},
                     {"cores/demo/test/tb_core.sv", "`include \"defs.svh\"\nmodule tb_core;\n  wire x;\n"
                                                   "  initial `F`R x = 1;\n  initial $display(\"PASS\");\nendmodule\n", 0}};
        CHECK_EQ_INT(check_slot(g, f, 2, scratch, &t), 0); /* force is allowed in a testbench */
        free(t);
    }
}

/* The baseline core, as the agents start from it, passes every view. */
static void test_sandbox_baseline(git_repository *g, const char *scratch)
{
    CHECK_CASE("hdlpre: cores/baseline passes the scan after macro expansion") {
        static const char *const dirs[] = {"rtl", "test"};
        tfile f[64];
        char *bufs[64], *paths[64];
        size_t n = 0;
        for (size_t d = 0; d < 2; d++) {
            char *dir = fsx_fmt("cores/baseline/%s", dirs[d]);
            DIR *dp = opendir(dir);
            for (struct dirent *e; dp && (e = readdir(dp)) && n < 64;) {
                size_t nl = strlen(e->d_name);
                if (e->d_name[0] == '.' || nl < 4 || (strcmp(e->d_name + nl - 3, ".sv") != 0 &&
                                                      strcmp(e->d_name + nl - 4, ".svh") != 0))
                    continue; /* the HDL (the raw scan also reads test/mkprog.sh, as text) */
                char *src = fsx_fmt("%s/%s", dir, e->d_name);
                size_t len = 0;
                if (fsx_read(src, &bufs[n], &len) == 0) {
                    paths[n] = fsx_fmt("cores/demo/%s/%s", dirs[d], e->d_name);
                    f[n] = (tfile){paths[n], bufs[n], len ? len : 1};
                    if (!len)
                        f[n].data = "\n";
                    n++;
                }
                free(src);
            }
            if (dp)
                closedir(dp);
            free(dir);
        }
        CHECK(n > 10);
        char *t = NULL;
        CHECK_EQ_INT(check_slot(g, f, n, scratch, &t), 0);
        if (t && *t)
            printf("# %s\n", t);
        free(t);
        for (size_t i = 0; i < n; i++) {
            free(bufs[i]);
            free(paths[i]);
        }
    }
}

static void test_sandbox_trees(const char *tmp)
{
    char *root = fsx_fmt("%s/trees.git", tmp), *scratch = fsx_fmt("%s/pp", tmp);
    git_repository *g = NULL;
    if (git_repository_init(&g, root, 1) != 0) {
        check_skip("sandbox trees", "cannot create a scratch repository");
    } else {
        test_sandbox_sizes(g);
        if (!proc_have_tool("verilator") || !proc_have_tool("prlimit")) {
            check_skip("hdlpre", "verilator or prlimit is not installed (bash tools/setup.sh)");
        } else {
            test_sandbox_expanded(g, scratch);
            test_sandbox_baseline(g, scratch);
            CHECK_CASE("hdlpre: the scratch directory is removed afterwards") {
                CHECK(access(scratch, F_OK) != 0);
            }
        }
    }
    git_repository_free(g);
    free(root);
    free(scratch);
}

/* ---- records ------------------------------------------------------------------ */

static json_t *load_schema(const char *name)
{
    char path[256], err[512];
    snprintf(path, sizeof path, "schemas/%s", name);
    json_t *s = schema_load(path, err, sizeof err);
    if (!s)
        printf("note: %s\n", err);
    return s;
}

static json_t *entry_with(const char *id, int round, int slot, double fitness, double lut)
{
    json_t *e = records_entry_new(id, "demo", round, slot, "0123456789abcdef0123456789abcdef01234567");
    json_object_set_new(e, "fitness", json_real(fitness));
    json_object_set_new(e, "lut", json_integer((json_int_t)lut));
    return e;
}

/* A log entry for the top-K tests: outcome, fitness, rtl tree ("" for none). */
static json_t *topk_entry(const char *id, const char *outcome, double fitness, const char *tree)
{
    json_t *e = entry_with(id, 1, 1, fitness, 3000);
    json_object_set_new(e, "outcome", json_string(outcome));
    if (*tree)
        records_entry_set_rtl_tree(e, tree);
    return e;
}

static const char *topk_id(const json_t *e) { return json_string_value(json_object_get(e, "id")); }

static void test_records_topk(void)
{
    /* 40-hex trees: "a..a", "b..b"... */
    char t[6][41];
    for (int i = 0; i < 6; i++) {
        memset(t[i], 'a' + i, 40);
        t[i][40] = '\0';
    }
    json_t *v[] = {
        topk_entry("r0", "improvement", 100, t[0]),
        topk_entry("r1", "regression", 90, t[1]),
        topk_entry("r2", "broken", 0, t[2]),
        topk_entry("r3", "regression", 95, t[2]),
        topk_entry("r4", "regression", 95, t[3]),  /* ties r3: the earlier first */
        topk_entry("r5", "regression", 97, t[1]),  /* same tree as r1, better: replaces it */
        topk_entry("r6", "regression", 99, ""),    /* no rtl_tree: left out */
        topk_entry("r7", "improvement", 110, t[4]), /* the champion */
        topk_entry("r8", "regression", 120, t[4]), /* the champion's tree: left out */
        topk_entry("r9", "regression", 80, t[5]),
    };
    records_log log = {v, sizeof v / sizeof v[0], NULL, 0};
    const json_t *out[8];
    CHECK_CASE("records_topk: the champion first, then distinct trees best first, ties by log order") {
        size_t m = records_topk(&log, 4, out);
        CHECK_EQ_INT(m, 4);
        if (m == 4) {
            CHECK(strcmp(topk_id(out[0]), "r7") == 0);
            CHECK(strcmp(topk_id(out[1]), "r5") == 0);
            CHECK(strcmp(topk_id(out[2]), "r3") == 0);
            CHECK(strcmp(topk_id(out[3]), "r4") == 0);
        }
    }
    CHECK_CASE("records_topk: a design's tree appears once, with its best entry") {
        size_t m = records_topk(&log, 8, out);
        CHECK_EQ_INT(m, 5);
        for (size_t i = 0; i < m; i++)
            CHECK(strcmp(topk_id(out[i]), "r1") != 0 && strcmp(topk_id(out[i]), "r6") != 0 &&
                  strcmp(topk_id(out[i]), "r8") != 0 && strcmp(topk_id(out[i]), "r2") != 0);
        if (m == 5)
            CHECK(strcmp(topk_id(out[4]), "r9") == 0);
    }
    CHECK_CASE("records_topk: fewer designs than K, K = 1, and no champion") {
        CHECK_EQ_INT(records_topk(&log, 1, out), 1);
        CHECK(strcmp(topk_id(out[0]), "r7") == 0);
        records_log few = {v, 2, NULL, 0};
        CHECK_EQ_INT(records_topk(&few, 5, out), 2);
        records_log none = {v + 1, 2, NULL, 0};
        CHECK_EQ_INT(records_topk(&none, 5, out), 0);
    }
    CHECK_CASE("records_topk: entries measured on another workload than the champion's are left out") {
        json_object_set_new(v[7], "workload", json_string("coremark"));
        json_object_set_new(v[5], "workload", json_string("workload"));
        size_t m = records_topk(&log, 2, out);
        CHECK_EQ_INT(m, 2);
        if (m == 2)
            CHECK(strcmp(topk_id(out[1]), "r3") == 0);
    }
    CHECK_CASE("parents_pick: slot 1 keeps the champion; slots 2.. rotate over the offered designs") {
        parents_design d[3];
        memset(d, 0, sizeof d);
        d[0].champion = true;
        parents_pool one = {d, 1}, three = {d, 3};
        CHECK(parents_pick(&three, 5, 1, 4) == &d[0]);
        CHECK(parents_pick(&one, 5, 3, 4) == &d[0]);
        /* round 1, 3 slots: offsets 0, 1; round 2: 2, 3 -> 2, 0 */
        CHECK(parents_pick(&three, 1, 2, 3) == &d[0]);
        CHECK(parents_pick(&three, 1, 3, 3) == &d[1]);
        CHECK(parents_pick(&three, 2, 2, 3) == &d[2]);
        CHECK(parents_pick(&three, 2, 3, 3) == &d[0]);
        CHECK(parents_pick(&three, 2, 3, 3) == parents_pick(&three, 2, 3, 3)); /* reproducible */
    }
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        json_decref(v[i]);
}

static void test_records(void)
{
    json_t *schema = load_schema("log_entry.schema.json");
    CHECK_CASE("records: ids match the schema pattern and belong to their core") {
        char *id = records_id("my-core", 7, 2);
        CHECK(id != NULL);
        if (!id)
            break;
        CHECK_STR_CONTAINS(id, "my-core-r007-s2-");
        CHECK_EQ_INT(strlen(id), strlen("my-core-r007-s2-") + 4);
        CHECK(records_id_belongs(id, "my-core"));
        CHECK(!records_id_belongs(id, "my"));
        CHECK(!records_id_belongs(id, "my-core2"));
        CHECK(!records_id_belongs("v1-r001-s1-zzzz", "v1"));
        CHECK(records_id_belongs("v1-r001-s12-0a9f", "v1"));
        CHECK(!records_id_belongs("v1-x-r001-s1-0a9f", "v1"));
        free(id);
    }
    /* Issue 17 item 10: ids once folded '_' into '-' (and case, and cut at
     * 40), so two targets could own the same slots. */
    CHECK_CASE("records: core names map one-to-one onto ids; colliding names are refused") {
        char err[512];
        static const char *const good[] = {"baseline", "demo", "demo2", "v1", "a-b", "mini", "1st",
                                           "a234567890123456789012345678901234567890", NULL};
        static const char *const bad[] = {"a_b", "A-b", "", "-a", "a b", "a/b", "a\x1b[2J",
                                          "a2345678901234567890123456789012345678901", NULL};
        for (const char *const *g = good; *g; g++)
            CHECK_EQ_INT(records_core_name_check(*g, err, sizeof err), 0);
        for (const char *const *b = bad; *b; b++) {
            CHECK_EQ_INT(records_core_name_check(*b, err, sizeof err), -1);
            CHECK_STR_CONTAINS(err, "is not a valid core name");
            CHECK(strchr(err, '\x1b') == NULL); /* the name is quoted escaped */
            CHECK(records_id(*b, 1, 1) == NULL);
        }
        CHECK(records_core_name_check("a_b", err, sizeof err) == -1 && strstr(err, "'_' is not allowed"));
        /* the pair that collided: a loop on a_b recovered a-b's slots */
        char *id = records_id("a-b", 1, 1);
        CHECK(id && records_id_belongs(id, "a-b"));
        CHECK(id && !records_id_belongs(id, "a_b"));
        CHECK(id && !records_id_belongs(id, "a"));
        CHECK(id && !records_id_belongs(id, "A-b"));
        free(id);
        /* a target whose name looks like an id prefix owns nothing of the other */
        CHECK(!records_id_belongs("a-r001-s1-abcd-r001-s1-1234", "a"));
        CHECK(!records_id_belongs("a-r001-s1-1234", "a-r001-s1-abcd"));
        CHECK(records_id_belongs("a-r001-s1-abcd-r001-s1-1234", "a-r001-s1-abcd"));
    }
    /* Issue 17 item 8: the log was appended with "%s", so a NUL byte cut it. */
    CHECK_CASE("records: appending keeps every byte, NULs included") {
        static const char old[] = "{\"a\":1}\n{\"b\":\0 2}\n{\"c\":3}";
        size_t len = 0;
        char *t = records_text_append(old, sizeof old - 1, "{\"d\":4}\n", 8, &len);
        CHECK(t != NULL);
        CHECK_EQ_INT(len, sizeof old - 1 + 1 + 8);
        if (t && len == sizeof old - 1 + 9) {
            CHECK(memcmp(t, old, sizeof old - 1) == 0);
            CHECK(memcmp(t + sizeof old - 1, "\n{\"d\":4}\n", 9) == 0);
        }
        free(t);
        t = records_text_append(NULL, 0, "x\n", 2, &len);
        CHECK(t && len == 2 && memcmp(t, "x\n", 2) == 0);
        free(t);
    }
    CHECK_CASE("records: a NUL byte or invalid UTF-8 makes a line unreadable, named by its number") {
        static const char text[] = "{\"id\":\"a\",\"round\":0,\"outcome\":\"improvement\",\"fitness\":10}\n"
                                   "{\"id\":\"b\0\",\"round\":1}\n"
                                   "{\"id\":\"\xff\",\"round\":1}\n"
                                   "{\"id\":\"c\",\"round\":2,\"outcome\":\"regression\",\"fitness\":5}\n";
        records_log log;
        CHECK_EQ_INT(records_log_parse(text, sizeof text - 1, "log.jsonl", NULL, &log), 0);
        CHECK_EQ_INT(log.n, 2);
        CHECK_EQ_INT(log.nwarn, 2);
        if (log.nwarn == 2) {
            CHECK_STR_CONTAINS(log.warnings[0], "log.jsonl:2: not valid JSON");
            CHECK_STR_CONTAINS(log.warnings[1], "log.jsonl:3: not valid JSON");
            for (size_t i = 0; i < 2; i++)
                for (const char *p = log.warnings[i]; *p; p++)
                    CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
        }
        records_log_free(&log);
    }
    CHECK_CASE("records: a fresh entry validates against log_entry.schema.json") {
        if (!schema) {
            check_fail(__FILE__, __LINE__, "schemas/log_entry.schema.json not loadable");
            break;
        }
        json_t *e = records_entry_new("demo-r001-s1-abcd", "demo", 1, 1, "0123456789abcdef0123456789abcdef01234567");
        json_object_set_new(e, "failed_gate", json_string("lint"));
        char err[512];
        char *line = records_line(e, schema, err, sizeof err);
        CHECK(line != NULL);
        if (line)
            CHECK(strchr(line, '\n') == line + strlen(line) - 1); /* one line, newline-terminated */
        free(line);
        /* broken without a failing gate is invalid: never written */
        json_object_set_new(e, "failed_gate", json_null());
        CHECK(records_line(e, schema, err, sizeof err) == NULL);
        CHECK_STR_CONTAINS(err, "log_entry.schema.json");
        json_decref(e);
    }
    CHECK_CASE("records: corrupted lines are reported with file:line and skipped") {
        const char *text = "{\"id\":\"a\",\"round\":0,\"outcome\":\"improvement\",\"fitness\":10}\n"
                           "not json\n\n"
                           "[1,2]\n"
                           "{\"id\":\"b\",\"round\":3,\"outcome\":\"regression\",\"fitness\":5}\n"
                           "{\"id\":\"c\",\"round\":2,\"outcome\":\"improvement\",\"fitness\":20}";
        records_log log;
        CHECK_EQ_INT(records_log_parse(text, strlen(text), "log.jsonl", NULL, &log), 0);
        CHECK_EQ_INT(log.n, 3);
        CHECK_EQ_INT(log.nwarn, 2);
        if (log.nwarn == 2) {
            CHECK_STR_CONTAINS(log.warnings[0], "log.jsonl:2: not valid JSON");
            CHECK_STR_CONTAINS(log.warnings[1], "log.jsonl:4: not a JSON object");
        }
        CHECK_EQ_INT(records_last_round(&log), 3);
        const json_t *c = records_champion(&log);
        CHECK(c && strcmp(json_string_value(json_object_get(c, "id")), "c") == 0);
        records_log_free(&log);
    }
    CHECK_CASE("records: lines that fail the schema are skipped too") {
        if (!schema)
            break;
        const char *text = "{\"id\":\"x\"}\n";
        records_log log;
        records_log_parse(text, strlen(text), "f", schema, &log);
        CHECK_EQ_INT(log.n, 0);
        CHECK_EQ_INT(log.nwarn, 1);
        if (log.nwarn)
            CHECK_STR_CONTAINS(log.warnings[0], "f:1: does not match log_entry.schema.json");
        records_log_free(&log);
    }
    CHECK_CASE("records: figures come from the right gates") {
        json_error_t je;
        json_t *res = json_loads(
            "{\"synth\":{\"cells\":{\"lut\":2900,\"ff\":812},\"seconds\":20},"
            " \"cosim\":{\"fitness\":{\"workload\":\"coremark\",\"cycles\":450000,\"iterations\":10},\"seconds\":30},"
            " \"pnr\":{\"seeds\":[{\"seed\":1,\"fmax_mhz\":48.5},{\"seed\":2,\"fmax_mhz\":null},{\"seed\":3,\"fmax_mhz\":50.25}],"
            "          \"fmax_mhz_median\":49.375,\"lc_used\":3120,\"seconds\":70,\"cached\":true},"
            " \"formal\":{\"checks\":[{\"name\":\"order\",\"unbounded\":true},{\"name\":\"live\",\"unbounded\":false},"
            "            {\"name\":\"pc_fwd\"},{\"name\":\"Bad-Name\",\"unbounded\":true}],\"seconds\":50},"
            " \"coremark\":{\"fitness\":1097.2,\"coremark_per_mhz\":22.22,\"seconds\":0.1}}", 0, &je);
        json_t *e = records_entry_new("demo-r001-s1-abcd", "demo", 1, 1, "0123456789abcdef0123456789abcdef01234567");
        records_fill_figures(e, res);
        CHECK(fabs(json_number_value(json_object_get(e, "fitness")) - 1097.2) < 1e-9);
        CHECK_EQ_INT(json_integer_value(json_object_get(e, "cycles")), 450000);
        CHECK_EQ_INT(json_integer_value(json_object_get(e, "iterations")), 10);
        CHECK_EQ_INT(json_integer_value(json_object_get(e, "lut")), 3120); /* LCs after P&R */
        CHECK_EQ_INT(json_integer_value(json_object_get(e, "ff")), 812);
        CHECK(strcmp(json_string_value(json_object_get(e, "workload")), "coremark") == 0);
        /* only the checks proved for every cycle, under names the schema allows */
        const json_t *ub = json_object_get(e, "formal_unbounded");
        CHECK(json_array_size(ub) == 1 && strcmp(json_string_value(json_array_get(ub, 0)), "order") == 0);
        const json_t *fm = json_object_get(e, "fmax_mhz");
        CHECK(fabs(json_number_value(json_object_get(fm, "median")) - 49.375) < 1e-9);
        CHECK_EQ_INT(json_array_size(json_object_get(fm, "seeds")), 3);
        CHECK(json_is_null(json_array_get(json_object_get(fm, "seeds"), 1)));
        const json_t *gs = json_object_get(e, "gate_seconds");
        CHECK(fabs(json_number_value(json_object_get(gs, "cosim")) - 30) < 1e-9);
        CHECK(json_number_value(json_object_get(gs, "pnr")) == 0); /* cached: no time spent */
        accept_design d = records_design(e);
        CHECK(fabs(d.perf - 1097.2) < 1e-9 && d.lut == 3120);
        if (schema) {
            json_object_set_new(e, "outcome", json_string("regression"));
            char err[512];
            char *line = records_line(e, schema, err, sizeof err);
            CHECK(line != NULL);
            if (!line)
                printf("note: %s\n", err);
            free(line);
        }
        json_decref(e);
        json_decref(res);
    }
    CHECK_CASE("records: the current: block of a champion") {
        json_t *e = entry_with("demo-r002-s1-abcd", 2, 1, 1500, 3000);
        json_object_set_new(e, "fmax_mhz", json_pack("{s:[f,f,f],s:f}", "seeds", 49.0, 50.0, 51.0, "median", 50.0));
        json_t *c = records_current(e, "0123456789abcdef0123456789abcdef01234567");
        CHECK(strcmp(json_string_value(json_object_get(c, "id")), "demo-r002-s1-abcd") == 0);
        CHECK(json_number_value(json_object_get(c, "fmax_mhz")) == 50.0);
        CHECK(json_number_value(json_object_get(c, "fitness")) == 1500);
        json_t *cs = load_schema("core.schema.json");
        if (cs) {
            json_t *core = json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s,s:i},s:O}", "name", "demo", "description", "d",
                                     "isa", "rv32im", "fpga", "family", "ice40", "device", "hx8k", "package",
                                     "ct256", "clock_mhz", 50, "current", c);
            char err[512];
            CHECK_EQ_INT(schema_validate(cs, core, err, sizeof err), 0);
            json_decref(core);
            json_decref(cs);
        }
        json_decref(c);
        json_decref(e);
    }
    CHECK_CASE("records: the lesson line has the LESSONS.md format") {
        json_t *w = entry_with("demo-r003-s2-abcd", 3, 2, 1100, 3300);
        json_object_set_new(w, "outcome", json_string("improvement"));
        json_object_set_new(w, "delta_pct", json_real(10.0));
        json_object_set_new(w, "lesson", json_string("accepted: cycles -10.0%"));
        char *line = records_lesson_line(w);
        CHECK_STR_CONTAINS(line, " demo-r003-s2-abcd (improvement, +10.0%): accepted: cycles -10.0%");
        CHECK(line[0] == '-' && line[strlen(line) - 1] == '\n');
        free(line);
        json_decref(w);
    }
    json_decref(schema);
}

/* The setters through which every key of a log entry is written. */
static void test_records_setters(void)
{
    json_t *schema = load_schema("log_entry.schema.json");
    const char *hex = "0123456789abcdef0123456789abcdef01234567";
    CHECK_CASE("records setters: a broken entry with its agent, seconds and cache validates") {
        json_t *e = records_entry_new("demo-r001-s1-abcd", "demo", 1, 1, hex);
        records_entry_set_rundir(e, "/tmp/runs/demo/demo-r001-s1-abcd");
        records_entry_set_agent(e, "cmd:/bin/agent", false, 139, false, "/tmp/t.log");
        CHECK(json_is_null(json_object_get(json_object_get(e, "agent"), "exit")));
        records_entry_set_agent(e, "cmd:/bin/agent", true, 0, false, "/tmp/t.log");
        CHECK(json_integer_value(json_object_get(json_object_get(e, "agent"), "exit")) == 0);
        records_entry_add_seconds(e, "agent", 1.5);
        records_entry_add_seconds(e, "agent", 2.0);
        records_entry_add_seconds(e, "agent", -3.0); /* counts as 0 */
        CHECK(json_real_value(json_object_get(json_object_get(e, "gate_seconds"), "agent")) == 3.5);
        json_t *results = json_pack("{s:{s:b},s:{s:b,s:b},s:{}}", "lint", "cached", 1, "cosim", "cached", 1,
                                    "reverified", 1, "pnr");
        records_entry_set_cache(e, results);
        json_t *gc = json_object_get(e, "gate_cache");
        CHECK(json_object_size(gc) == 2);
        CHECK(strcmp(json_string_value(json_object_get(gc, "lint")), "cached") == 0);
        CHECK(strcmp(json_string_value(json_object_get(gc, "cosim")), "reverified") == 0);
        json_decref(results);
        results = json_pack("{s:{}}", "lint");
        records_entry_set_cache(e, results); /* nothing from the cache: no key */
        CHECK(json_object_get(e, "gate_cache") == NULL);
        json_decref(results);
        records_entry_set_broken(e, "lint", "line 1\n\tline 2\x1b[31m");
        CHECK(strcmp(json_string_value(json_object_get(e, "outcome")), "broken") == 0);
        CHECK(strcmp(json_string_value(json_object_get(e, "failed_gate")), "lint") == 0);
        CHECK(strcmp(json_string_value(json_object_get(e, "diagnostic")), "line 1\n\tline 2 [31m") == 0);
        records_entry_set_failed(e, "placement_failed", "pnr", "too big");
        CHECK(strcmp(json_string_value(json_object_get(e, "outcome")), "placement_failed") == 0);
        records_entry_set_finished(e);
        CHECK(json_string_length(json_object_get(e, "finished")) == 20);
        records_entry_set_lesson(e, "one\ntwo");
        CHECK(strcmp(json_string_value(json_object_get(e, "lesson")), "one two") == 0);
        records_entry_set_verdict(e, NULL, false, NULL);
        CHECK(json_is_false(json_object_get(e, "accepted")));
        CHECK(strcmp(json_string_value(json_object_get(e, "outcome")), "placement_failed") == 0);
        json_t *tools = json_pack("{s:s}", "yosys", "Yosys 0.23");
        records_entry_set_tools(e, tools);
        CHECK(json_object_get(e, "tools") != tools && json_equal(json_object_get(e, "tools"), tools));
        json_decref(tools);
        char err[512] = "";
        char *line = schema ? records_line(e, schema, err, sizeof err) : NULL;
        CHECK(!schema || line != NULL);
        if (!line && schema)
            check_fail(__FILE__, __LINE__, err);
        free(line);
        json_decref(e);
    }
    CHECK_CASE("records setters: texts are cut at a UTF-8 boundary keeping the end") {
        json_t *e = records_entry_new("demo-r001-s1-abcd", "demo", 1, 1, hex);
        size_t len = RECORDS_DIAG_MAX + 101;
        char *big = malloc(len + 1);
        if (!big)
            break;
        memset(big, 'a', len);
        memcpy(big + 100, "\xc3\xa9", 2); /* straddles the cut at byte 101: dropped whole */
        memcpy(big + len - 3, "end", 3);
        big[len] = '\0';
        records_entry_set_diagnostic(e, big);
        const char *d = json_string_value(json_object_get(e, "diagnostic"));
        CHECK(d && strlen(d) == RECORDS_DIAG_MAX - 1 && strcmp(d + strlen(d) - 3, "end") == 0);
        free(big);
        records_entry_set_diagnostic(e, "\xff\xfe not UTF-8");
        CHECK(strcmp(json_string_value(json_object_get(e, "diagnostic")), "(not valid UTF-8)") == 0);
        json_decref(e);
    }
    CHECK_CASE("records setters: the decision of a first measurement and of a conflicted merge") {
        json_t *e = records_entry_new("demo-r000-s0-abcd", "demo", 0, 0, hex);
        records_entry_set_verdict(e, "improvement", true, "first measurement of the core: the initial champion");
        records_entry_set_commit(e, hex);
        records_entry_set_rtl_tree(e, hex);
        CHECK(strcmp(json_string_value(json_object_get(e, "outcome")), "improvement") == 0);
        CHECK(json_is_true(json_object_get(e, "accepted")));
        CHECK(strcmp(json_string_value(json_object_get(e, "commit")), hex) == 0);
        CHECK(strcmp(json_string_value(json_object_get(e, "rtl_tree")), hex) == 0);
        records_entry_set_rtl_tree(e, NULL);
        CHECK(json_is_null(json_object_get(e, "rtl_tree")));
        json_object_set_new(e, "delta_pct", json_real(1.0));
        records_entry_clear_decision(e);
        CHECK(!json_object_get(e, "accept_reason") && !json_object_get(e, "delta_pct"));
        records_entry_set_verdict(e, "regression", false, "merge conflict in\ncores/demo/rtl/core.sv");
        CHECK(strcmp(json_string_value(json_object_get(e, "accept_reason")),
                     "merge conflict in cores/demo/rtl/core.sv") == 0);
        json_decref(e);
    }
    CHECK_CASE("records setters: a hypothesis takes the loop's id, or must already hold it") {
        char err[256] = "";
        json_t *h = json_pack("{s:s}", "title", "t");
        CHECK_EQ_INT(records_hyp_adopt(h, "demo-r001-s1-abcd", err, sizeof err), 0);
        CHECK(strcmp(json_string_value(json_object_get(h, "id")), "demo-r001-s1-abcd") == 0);
        CHECK_EQ_INT(records_hyp_adopt(h, "demo-r001-s1-abcd", err, sizeof err), 0);
        CHECK_EQ_INT(records_hyp_adopt(h, "demo-r001-s2-abcd", err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "id must be 'demo-r001-s2-abcd'");
        json_t *e = records_entry_new("demo-r001-s1-abcd", "demo", 1, 1, hex);
        records_entry_set_hypothesis(e, h);
        CHECK(json_object_get(e, "hypothesis") == h);
        json_decref(e);
        json_decref(h);
        json_t *list = json_pack("[s]", "x");
        CHECK_EQ_INT(records_hyp_adopt(list, "demo-r001-s1-abcd", err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "YAML mapping");
        json_decref(list);
    }
    json_decref(schema);
}

/* ---- agent-written text: control characters (issue 17 item 11) ------------- */

static bool no_control_bytes(const char *s, bool newlines)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t' && !(newlines && c == '\n')) || c == 0x7f)
            return false;
    }
    return s != NULL;
}

static json_t *hyp_with(const char *key, const char *value, size_t len)
{
    json_t *h = json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:f,s:s},s:[{s:s,s:s}],s:{s:i}}", "id", "demo-r001-s1-abcd",
                          "title", "A fine title", "category", "micro_opt",
                          "motivation", "Forty characters of motivation, at the very least.\n\tIndented.",
                          "hypothesis", "Forty characters of hypothesis text, at the very least.",
                          "expected_impact", "fitness_delta_pct", 1.0, "confidence", "low",
                          "changes", "file", "rtl/core.sv", "description", "edit it", "knobs", "MUL_IMPL", 3);
    if (!key)
        return h;
    json_t *v = json_stringn(value, len);
    if (strcmp(key, "description") == 0)
        json_object_set_new(json_array_get(json_object_get(h, "changes"), 0), key, v);
    else if (strcmp(key, "MUL_IMPL") == 0)
        json_object_set_new(json_object_get(h, "knobs"), key, v);
    else
        json_object_set_new(h, key, v);
    return h;
}

static void test_safetext(void)
{
    CHECK_CASE("safetext: escapes control characters and invalid UTF-8, keeps the rest") {
        static const char in[] = "\x1b[2J\x1b[32mALL GATES PASSED\x1b[0m \xc3\xa9\t\xc2\x9b\xff\x7f\n\0end";
        char *e = safetext_escape(in, sizeof in - 1, false);
        CHECK(e && strcmp(e, "\\x1b[2J\\x1b[32mALL GATES PASSED\\x1b[0m \xc3\xa9\t\\xc2\\x9b\\xff\\x7f\\n\\x00end") == 0);
        CHECK(no_control_bytes(e, false));
        free(e);
        e = safetext_escape("a\nb", 3, true);
        CHECK(e && strcmp(e, "a\nb") == 0);
        free(e);
    }
    CHECK_CASE("safetext: one-line and multi-line checks") {
        char why[256];
        CHECK_EQ_INT(safetext_check("plain \xc3\xa9t\xc3\xa9", 11, false, why, sizeof why), 0);
        CHECK_EQ_INT(safetext_check("two\nlines\tok", 12, true, why, sizeof why), 0);
        CHECK_EQ_INT(safetext_check("two\nlines", 9, false, why, sizeof why), -1);
        CHECK_STR_CONTAINS(why, "U+000A at offset 3");
        CHECK_EQ_INT(safetext_check("cr\r", 3, true, why, sizeof why), -1);
        CHECK_EQ_INT(safetext_check("nul\0", 4, true, why, sizeof why), -1);
        CHECK_STR_CONTAINS(why, "U+0000");
        CHECK_EQ_INT(safetext_check("c1 \xc2\x9b", 5, true, why, sizeof why), -1);
        CHECK_EQ_INT(safetext_check("overlong \xc0\xaf", 11, true, why, sizeof why), -1);
        CHECK_STR_CONTAINS(why, "invalid UTF-8");
    }
    CHECK_CASE("hypothesis: control characters are refused in every agent-written field, naming it") {
        static const struct {
            const char *key, *value;
            size_t len;
            const char *field;
        } cases[] = {{"title", "\x1b[2J\x1b[32mALL GATES PASSED", 25, "title: control character U+001B"},
                     {"title", "A title\0 with a NUL", 19, "title: control character U+0000"},
                     {"title", "A title\nwith a line", 19, "title: control character U+000A"},
                     {"motivation", "Forty characters of motivation \x1b[31m at the very least.", 55,
                      "motivation: control character U+001B"},
                     {"hypothesis", "Forty characters of hypothesis \x07 at the very least.", 51,
                      "hypothesis: control character U+0007"},
                     {"description", "edit \x1b]0;pwned\x07", 15, "changes[0].description: control character"},
                     {"MUL_IMPL", "3\x1b[2J", 5, "knobs.MUL_IMPL: control character U+001B"}};
        json_t *schema = load_schema("hypothesis.schema.json");
        char err[1024];
        json_t *ok = hyp_with(NULL, NULL, 0);
        CHECK_EQ_INT(records_hyp_check_text(ok, err, sizeof err), 0);
        if (schema)
            CHECK_EQ_INT(schema_validate(schema, ok, err, sizeof err), 0);
        json_decref(ok);
        /* (invalid UTF-8 never gets this far: jansson refuses it in strings) */
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            json_t *h = hyp_with(cases[i].key, cases[i].value, cases[i].len);
            CHECK_EQ_INT(records_hyp_check_text(h, err, sizeof err), -1);
            CHECK_STR_CONTAINS(err, cases[i].field);
            CHECK(no_control_bytes(err, false));
            /* the schema says it too, for other readers of the file (a NUL
             * cannot be written in its patterns: the code check covers it) */
            if (schema && !memchr(cases[i].value, '\0', cases[i].len))
                CHECK_EQ_INT(schema_validate(schema, h, err, sizeof err), 1);
            json_decref(h);
        }
        json_decref(schema);
    }
}

/* ---- accept wiring: records_decide on §5a ------------------------------------ */

static int decide(const accept_targets *t, double cp, double cl, const double *perf, const double *lut,
                  const bool *passed, size_t k, json_t **out)
{
    json_t *champ = entry_with("demo-r001-s1-aaaa", 1, 1, cp, cl);
    json_t *es[8];
    for (size_t i = 0; i < k; i++) {
        char id[48];
        snprintf(id, sizeof id, "demo-r002-s%zu-bbbb", i + 1);
        es[i] = entry_with(id, 2, (int)i + 1, perf[i], lut[i]);
    }
    int w = records_decide(t, champ, es, passed, k);
    for (size_t i = 0; i < k; i++) {
        if (out)
            out[i] = es[i];
        else
            json_decref(es[i]);
    }
    json_decref(champ);
    return w;
}

static const char *outcome(const json_t *e) { return json_string_value(json_object_get(e, "outcome")); }

static void test_accept_wiring(void)
{
    const accept_targets both = {300, 3000, 0}, none = {0, 0, 0};
    const bool yes[3] = {true, true, true};
    CHECK_CASE("accept wiring: §5a examples through log entries") {
        double p1[] = {290}, l1[] = {5500};
        CHECK_EQ_INT(decide(&both, 200, 5000, p1, l1, yes, 1, NULL), 0);
        double p2[] = {600}, l2[] = {4000};
        CHECK_EQ_INT(decide(&both, 330, 3300, p2, l2, yes, 1, NULL), -1);
        double p3[] = {290}, l3[] = {3000};
        CHECK_EQ_INT(decide(&both, 310, 3300, p3, l3, yes, 1, NULL), 0);
        double p4[] = {340}, l4[] = {2950};
        CHECK_EQ_INT(decide(&both, 320, 2900, p4, l4, yes, 1, NULL), -1);
    }
    CHECK_CASE("accept wiring: one winner, the others regressions with reasons") {
        json_t *es[3];
        double p[] = {1100, 1200, 1010}, l[] = {3000, 3100, 2000};
        int w = decide(&none, 1000, 3000, p, l, yes, 3, es);
        CHECK_EQ_INT(w, 1);
        CHECK(strcmp(outcome(es[1]), "improvement") == 0 && json_is_true(json_object_get(es[1], "accepted")));
        CHECK(strcmp(outcome(es[0]), "regression") == 0);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(es[0], "accept_reason")), "but demo-r002-s2-bbbb won");
        CHECK(strcmp(outcome(es[2]), "regression") == 0); /* +1 % is inside the 2 % margin */
        CHECK(fabs(json_number_value(json_object_get(es[1], "delta_pct")) - 20.0) < 1e-9);
        for (int i = 0; i < 3; i++)
            json_decref(es[i]);
    }
    CHECK_CASE("accept wiring: failed slots never win, ties go to the lower slot") {
        json_t *es[3];
        const bool some[3] = {false, true, true};
        double p[] = {5000, 1200, 1200}, l[] = {100, 3000, 3000};
        CHECK_EQ_INT(decide(&none, 1000, 3000, p, l, some, 3, es), 1);
        CHECK(json_is_false(json_object_get(es[0], "accepted")));
        CHECK(strcmp(outcome(es[0]), "broken") == 0); /* untouched */
        CHECK(strcmp(outcome(es[2]), "regression") == 0);
        for (int i = 0; i < 3; i++)
            json_decref(es[i]);
    }
    CHECK_CASE("accept wiring: the first passing design beats an empty champion") {
        json_t *es[1];
        double p[] = {10}, l[] = {100};
        json_t *e = entry_with("demo-r001-s1-cccc", 1, 1, p[0], l[0]);
        bool y = true;
        es[0] = e;
        CHECK_EQ_INT(records_decide(&none, NULL, es, &y, 1), 0);
        CHECK(json_is_null(json_object_get(e, "delta_pct")));
        json_decref(e);
    }
}

/* ---- P&R noise and re-measured winners (records.h) ------------------------------ */

static json_t *entry_seeds(const char *seeds_json, double per_mhz)
{
    json_t *e = json_pack("{s:{s:o,s:f},s:f,s:f}", "fmax_mhz", "seeds", json_loads(seeds_json, 0, NULL), "median",
                          40.0, "coremark_per_mhz", per_mhz, "fitness", 40.0 * per_mhz);
    return e;
}

static void test_remeasure_records(void)
{
    CHECK_CASE("noise: seed spread is (max - min) / median of the routed seeds") {
        json_t *e = entry_seeds("[40.0, null, 44.0, 42.0]", 2.0);
        CHECK(fabs(records_seed_spread_pct(e) - 100.0 * 4.0 / 42.0) < 1e-9);
        json_t *one = entry_seeds("[40.0, null, null]", 2.0);
        CHECK(records_seed_spread_pct(one) < 0);
        json_decref(e);
        json_decref(one);
    }
    CHECK_CASE("noise: the median spread over the log and the candidate") {
        json_t *v[3] = {entry_seeds("[40, 41, 42]", 1), entry_seeds("[40, 48, 44]", 1), entry_seeds("[40]", 1)};
        records_log log = {.v = v, .n = 3};
        json_t *cand = entry_seeds("[50, 51, 52]", 1);
        int count = 0;
        double noise = records_noise_pct(&log, cand, &count);
        CHECK_EQ_INT(count, 3);
        /* spreads 4.88 %, 18.2 %, 3.92 %: the median is the first's */
        CHECK(fabs(noise - 100.0 * 2.0 / 41.0) < 1e-9);
        records_log empty = {0};
        CHECK(records_noise_pct(&empty, NULL, &count) < 0 && count == 0);
        for (int i = 0; i < 3; i++)
            json_decref(v[i]);
        json_decref(cand);
    }
    CHECK_CASE("remeasure: extra seeds join the median and the fitness follows it") {
        json_t *e = entry_seeds("[44.0, 45.0, 46.0]", 2.0);
        json_object_set_new(json_object_get(e, "fmax_mhz"), "median", json_real(45.0));
        json_object_set_new(e, "fitness", json_real(90.0));
        json_t *extra = json_loads("[{\"seed\":4,\"routed\":true,\"fmax_mhz\":40.0},"
                                   "{\"seed\":5,\"routed\":false},"
                                   "{\"seed\":6,\"routed\":true,\"fmax_mhz\":41.0}]", 0, NULL);
        CHECK_EQ_INT(records_entry_remeasure(e, extra, 2.5, 5.0), 0);
        /* routed: 40 41 44 45 46 -> median 44 */
        CHECK(fabs(json_number_value(json_object_get(json_object_get(e, "fmax_mhz"), "median")) - 44.0) < 1e-9);
        CHECK(fabs(json_number_value(json_object_get(e, "fitness")) - 88.0) < 1e-9);
        CHECK_EQ_INT((int)json_array_size(json_object_get(json_object_get(e, "fmax_mhz"), "seeds")), 6);
        json_t *rm = json_object_get(e, "remeasure");
        CHECK(fabs(json_number_value(json_object_get(rm, "fitness_before")) - 90.0) < 1e-9);
        CHECK(json_is_null(json_array_get(json_object_get(rm, "added_fmax_mhz"), 1)));
        json_t *bare = json_pack("{s:n,s:n}", "fmax_mhz", "fitness");
        CHECK_EQ_INT(records_entry_remeasure(bare, extra, 2.5, 5.0), -1);
        json_decref(bare);
        json_decref(extra);
        json_decref(e);
    }
}

/* ---- workload sets in records and the report ----------------------------------- */

/* An entry measured on set with per-workload fitness wf[0..n) of names nm. */
static json_t *wl_entry(const char *id, int round, const char *outcome, const char *set, const char *const *nm,
                        const double *wf, int n, double delta)
{
    double logs = 0;
    json_t *ws = json_object();
    for (int i = 0; i < n; i++) {
        logs += log(wf[i]);
        json_object_set_new(ws, nm[i], json_pack("{s:I,s:I,s:f,s:f}", "cycles", (json_int_t)1000000, "iterations",
                                                 (json_int_t)10, "per_mhz", wf[i] / 50.0, "fitness", wf[i]));
    }
    json_t *e = entry_with(id, round, 1, exp(logs / n), 3000);
    json_object_set_new(e, "outcome", json_string(outcome));
    json_object_set_new(e, "workload", json_string(set));
    json_object_set_new(e, "workloads", ws);
    if (!isnan(delta))
        json_object_set_new(e, "delta_pct", json_real(delta));
    return e;
}

static void test_workload_records(void)
{
    json_t *schema = load_schema("log_entry.schema.json");
    static const char *const two[] = {"workload", "vm"};
    CHECK_CASE("records: the coremark gate's per-workload figures are kept, valid under the schema") {
        json_t *res = json_loads(
            "{\"cosim\":{\"fitness\":{\"workload\":\"workload+vm\",\"cycles\":4000000,\"iterations\":60}},"
            " \"pnr\":{\"seeds\":[{\"fmax_mhz\":30.0}],\"fmax_mhz_median\":30.0,\"lc_used\":3000},"
            " \"coremark\":{\"fitness\":103.9,\"coremark_per_mhz\":3.46,\"workload\":\"workload+vm\","
            "   \"cycles\":4000000,\"iterations\":60,\"workloads\":{"
            "   \"workload\":{\"cycles\":4000000,\"iterations\":60,\"per_mhz\":15.0,\"fitness\":450.0},"
            "   \"vm\":{\"cycles\":5000000,\"iterations\":4,\"per_mhz\":0.8,\"fitness\":24.0},"
            "   \"Bad-Name\":{\"cycles\":1,\"iterations\":1,\"per_mhz\":1,\"fitness\":1}}}}", 0, NULL);
        json_t *e = records_entry_new("demo-r001-s1-abcd", "demo", 1, 1, "0123456789abcdef0123456789abcdef01234567");
        records_fill_figures(e, res);
        const json_t *ws = json_object_get(e, "workloads");
        CHECK_EQ_INT(json_object_size(ws), 2); /* a name the schema does not allow is left out */
        CHECK(fabs(json_number_value(json_object_get(json_object_get(ws, "vm"), "fitness")) - 24.0) < 1e-9);
        CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(ws, "vm"), "cycles")), 5000000);
        CHECK(strcmp(json_string_value(json_object_get(e, "workload")), "workload+vm") == 0);
        CHECK_EQ_INT(json_integer_value(json_object_get(e, "cycles")), 4000000); /* the primary's */
        if (schema) {
            json_object_set_new(e, "outcome", json_string("regression"));
            char err[512];
            char *line = records_line(e, schema, err, sizeof err);
            CHECK(line != NULL);
            if (!line)
                printf("note: %s\n", err);
            free(line);
            /* a member's figures missing a field is refused */
            json_object_del(json_object_get(json_object_get(e, "workloads"), "vm"), "per_mhz");
            line = records_line(e, schema, err, sizeof err);
            CHECK(line == NULL);
            free(line);
        }
        json_decref(e);
        json_decref(res);
    }
    CHECK_CASE("records: a winner placed again gets every workload's fitness at the new Fmax") {
        json_t *e = wl_entry("demo-r002-s1-abcd", 2, "improvement", "workload+vm", two, (double[]){450, 24}, 2, NAN);
        json_object_set_new(e, "fmax_mhz", json_pack("{s:[f,f,f],s:f}", "seeds", 29.0, 30.0, 31.0, "median", 30.0));
        json_object_set_new(e, "coremark_per_mhz", json_real(sqrt(9.0 * 0.48)));
        json_t *extra = json_loads("[{\"routed\":true,\"fmax_mhz\":20.0},{\"routed\":true,\"fmax_mhz\":21.0},"
                                   "{\"routed\":true,\"fmax_mhz\":22.0}]", 0, NULL);
        CHECK_EQ_INT(records_entry_remeasure(e, extra, 2.0, 4.0), 0);
        /* 20 21 22 29 30 31 -> 25.5; vm per MHz 24/50 = 0.48 */
        const json_t *vm = json_object_get(json_object_get(e, "workloads"), "vm");
        CHECK(fabs(json_number_value(json_object_get(vm, "fitness")) - 25.5 * 0.48) < 1e-9);
        json_decref(extra);
        json_decref(e);
    }
    json_t *v[] = {
        wl_entry("demo-r000-s1-aaaa", 0, "improvement", "workload+vm", two, (double[]){400, 20}, 2, NAN),
        /* wins on the set by winning big on workload while losing on vm */
        wl_entry("demo-r001-s1-bbbb", 1, "improvement", "workload+vm", two, (double[]){480, 19}, 2, 9.5),
        wl_entry("demo-r001-s2-cccc", 1, "regression", "workload+vm", two, (double[]){470, 18}, 2, 3.0),
        wl_entry("demo-r002-s1-dddd", 2, "regression", "workload+vm", two, (double[]){480, 18.05}, 2, -2.5),
        /* another set: never compared with the champion */
        wl_entry("demo-r003-s1-eeee", 3, "regression", "workload", two, (double[]){500}, 1, NAN),
    };
    records_log log = {v, sizeof v / sizeof v[0], NULL, 0};
    CHECK_CASE("records: an entry is judged against the last champion of an earlier round") {
        CHECK(records_judged_against(&log, v[0]) == NULL);
        CHECK(records_judged_against(&log, v[1]) == v[0]);
        CHECK(records_judged_against(&log, v[2]) == v[0]); /* its round's winner is not its champion */
        CHECK(records_judged_against(&log, v[3]) == v[1]);
    }
    CHECK_CASE("records: per-workload text with deltas against the same set only, and a lost workload flagged") {
        bool loses = false;
        char *t = records_workloads_text(v[1], v[0], &loses);
        CHECK(t && strcmp(t, "workload 480.00 it/s (+20.0%), vm 19.00 it/s (-5.0%)") == 0);
        CHECK(loses);
        free(t);
        t = records_workloads_text(v[4], v[1], &loses);
        CHECK(t && strcmp(t, "workload 500.00 it/s") == 0 && !loses);
        free(t);
        json_t *old = entry_with("demo-r000-s1-ffff", 0, 1, 88.5, 3000); /* measured before sets */
        CHECK(records_workloads_text(old, v[0], NULL) == NULL);
        json_decref(old);
    }
    CHECK_CASE("records_topk: an entry measured on another workload set than the champion's is left out") {
        char t[4][41];
        for (int i = 0; i < 4; i++) {
            memset(t[i], 'a' + i, 40);
            t[i][40] = '\0';
        }
        records_entry_set_rtl_tree(v[1], t[0]);
        records_entry_set_rtl_tree(v[2], t[3]);
        records_entry_set_rtl_tree(v[3], t[1]);
        records_entry_set_rtl_tree(v[4], t[2]); /* the best fitness, on the set "workload" */
        const json_t *out[4];
        size_t m = records_topk(&log, 4, out);
        CHECK_EQ_INT(m, 3);
        for (size_t i = 0; i < m; i++)
            CHECK(out[i] != v[4]);
    }
    CHECK_CASE("report: per-workload figures under each champion and for every passing entry, overfit wins marked") {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        report_print(f, &log, "demo", NULL, 0);
        fclose(f);
        CHECK_STR_CONTAINS(buf, "per workload: workload 480.00 it/s (+20.0%), vm 19.00 it/s (-5.0%)");
        CHECK_STR_CONTAINS(buf, "per-workload fitness (against the champion each entry was");
        CHECK_STR_CONTAINS(buf, "vm 19.00 it/s (-5.0%) [workload+vm]  <- loses on a workload");
        CHECK_STR_CONTAINS(buf, "vm 18.05 it/s (-5.0%) [workload+vm]\n"); /* a regression is not marked */
        CHECK_STR_CONTAINS(buf, "regression      n/a  workload 500.00 it/s [workload]\n");
        free(buf);
        /* a log from before sets reports as before: no per-workload lines */
        json_t *old = entry_with("demo-r000-s1-ffff", 0, 1, 88.5, 3000);
        json_object_set_new(old, "outcome", json_string("improvement"));
        records_log olog = {&old, 1, NULL, 0};
        f = open_memstream(&buf, &len);
        report_print(f, &olog, "demo", NULL, 0);
        fclose(f);
        CHECK(buf && !strstr(buf, "per workload") && !strstr(buf, "per-workload"));
        free(buf);
        json_decref(old);
    }
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        json_decref(v[i]);
    json_decref(schema);
}

/* ---- scheduler ------------------------------------------------------------------ */

typedef struct {
    sched *s;
    int want;
    atomic_int *busy, *peak;
    int total;
} sched_job;

static void *sched_worker(void *p)
{
    sched_job *j = p;
    for (int i = 0; i < 20; i++) {
        int got = sched_acquire(j->s, j->want);
        int now = atomic_fetch_add(j->busy, got) + got;
        int peak = atomic_load(j->peak);
        while (now > peak && !atomic_compare_exchange_weak(j->peak, &peak, now)) {}
        usleep(200);
        atomic_fetch_sub(j->busy, got);
        sched_release(j->s, got);
    }
    return NULL;
}

static void test_sched(void)
{
    CHECK_CASE("sched: requests are clamped to the machine") {
        sched *s = sched_new(2);
        CHECK_EQ_INT(sched_total(s), 2);
        CHECK_EQ_INT(sched_acquire(s, 5), 2);
        sched_release(s, 2);
        CHECK_EQ_INT(sched_acquire(s, 0), 1);
        sched_release(s, 1);
        sched_free(s);
    }
    CHECK_CASE("sched: never more cores busy than the machine has; nobody starves") {
        sched *s = sched_new(3);
        atomic_int busy = 0, peak = 0;
        sched_job jobs[6];
        pthread_t th[6];
        for (int i = 0; i < 6; i++) {
            jobs[i] = (sched_job){s, i % 3 + 1, &busy, &peak, 3};
            pthread_create(&th[i], NULL, sched_worker, &jobs[i]);
        }
        for (int i = 0; i < 6; i++)
            pthread_join(th[i], NULL);
        CHECK(atomic_load(&peak) <= 3);
        CHECK(atomic_load(&peak) >= 2);
        CHECK_EQ_INT(atomic_load(&busy), 0);
        sched_free(s);
    }
}

/* ---- pipeline -------------------------------------------------------------------- */

static atomic_int calls[8];
static atomic_int order_seen[8];
static atomic_int seq;
static double t_start[8], t_end[8]; /* written by the gate's thread, read after the join */

static double cm_fitness = 100.0; /* what the test coremark gate measures */

static json_t *tgate(const gate_ctx *ctx, int i, const char *name, const char *status, int delay_ms)
{
    double t0 = proc_now();
    atomic_fetch_add(&calls[i], 1);
    order_seen[i] = atomic_fetch_add(&seq, 1);
    t_start[i] = t0;
    usleep((useconds_t)delay_ms * 1000);
    t_end[i] = proc_now();
    json_t *r = gate_result_new(name);
    json_object_set_new(r, "jobs", json_integer(ctx->jobs));
    json_object_set_new(r, "prior_keys", json_integer((json_int_t)json_object_size(ctx->prior)));
    if (strcmp(name, "coremark") == 0)
        json_object_set_new(r, "fitness", json_real(cm_fitness));
    return gate_result_finish(r, status, strcmp(status, "pass") ? "it failed here" : "", NULL, t0);
}

static const char *fail_at = "";
static int slow_formal_ms = 0;
#define TG(idx, nm)                                                                                \
    static json_t *tg_##nm(const gate_ctx *c)                                                        \
    {                                                                                                \
        return tgate(c, idx, #nm, strstr(fail_at, #nm) ? "fail" : "pass",                           \
                     idx == 2 ? slow_formal_ms : 1);                                                 \
    }
TG(0, lint)
TG(1, synth)
TG(2, formal)
TG(3, cosim)
TG(4, pnr)
TG(5, coremark)

/* Fails after 300 ms (while tg_sleeper runs). */
static json_t *tg_slow_fail(const gate_ctx *c)
{
    (void)c;
    double t0 = proc_now();
    usleep(300000);
    return gate_result_finish(gate_result_new("lint"), "fail", "it failed here", NULL, t0);
}

/* Runs a 30-s tool in its gate's process group: a pass unless stopped. */
static json_t *tg_sleeper(const gate_ctx *c)
{
    double t0 = proc_now();
    const char *argv[] = {"sleep", "30", NULL};
    proc_result r;
    int rc = proc_run(&(proc_spec){.argv = argv, .timeout_s = 60, .group = c->group}, &r);
    return gate_result_finish(gate_result_new("synth"), rc == 0 ? "pass" : "fail", "", NULL, t0);
}

#define TL(...) ((const char *const[]){__VA_ARGS__, NULL})
static const gate_def tgates[] = {
    {.name = "lint", .run = tg_lint, .needs = TL(NULL), .tools = TL("tl-lint"), .cpus = 1, .timeout_s = 10},
    {.name = "synth", .run = tg_synth, .needs = TL("lint"), .tools = TL("tl-synth"), .cpus = 1, .timeout_s = 10},
    {.name = "formal", .run = tg_formal, .needs = TL("lint"), .cpus = 2, .timeout_s = 10},
    {.name = "cosim", .run = tg_cosim, .needs = TL("lint"), .built_by = TL("tl-cc"), .cpus = 2, .timeout_s = 10},
    {.name = "pnr", .run = tg_pnr, .needs = TL("synth"), .tools = TL("tl-pnr", "tl-synth"), .cpus = 2,
     .timeout_s = 10, .fail_outcome = "placement_failed"},
    {.name = "coremark", .run = tg_coremark, .needs = TL("cosim", "pnr"), .cpus = 1, .timeout_s = 10}};

static void reset_calls(void)
{
    for (int i = 0; i < 8; i++)
        calls[i] = 0;
    seq = 0;
}

static int pipe_cores = 2;

static unsigned pipe_fresh = 0;

static int run_pipe(const gate_def *g, size_t n, bool overlap, const char *cache_dir, const char *key,
                    pipeline_verdict *v, const char *rundir)
{
    sched *s = sched_new(pipe_cores);
    toolver *tv = toolver_new(rundir);
    gate_ctx base = {.tree = "/nonexistent", .core = "demo", .harness = ".", .build = "build", .rundir = rundir};
    pipeline_opts o = {.gates = g, .ngates = n, .sched = s, .tools = tv, .cache_dir = cache_dir,
                       .cache_key = key, .overlap = overlap, .fresh = pipe_fresh};
    char err[256];
    int rc = pipeline_run(&o, &base, v, err, sizeof err);
    toolver_free(tv);
    sched_free(s);
    return rc;
}

static void test_pipeline(const char *tmp)
{
    char *rundir = fsx_fmt("%s/pipe", tmp);
    fsx_mkdirs(rundir, 0755);
    pipeline_verdict v;
    CHECK_CASE("pipeline: dependencies are the table's needs; no list means every gate before") {
        CHECK_EQ_U32(pipeline_deps(tgates, 6, 0), 0);
        CHECK_EQ_U32(pipeline_deps(tgates, 6, 1), 1u);
        CHECK_EQ_U32(pipeline_deps(tgates, 6, 2), 1u);
        CHECK_EQ_U32(pipeline_deps(tgates, 6, 3), 1u);
        CHECK_EQ_U32(pipeline_deps(tgates, 6, 4), 1u << 1);
        CHECK_EQ_U32(pipeline_deps(tgates, 6, 5), (1u << 3) | (1u << 4));
        gate_def odd[] = {{.name = "a", .cpus = 1, .timeout_s = 1}, {.name = "b", .cpus = 1, .timeout_s = 1},
                          {.name = "c", .cpus = 1, .timeout_s = 1}};
        CHECK_EQ_U32(pipeline_deps(odd, 3, 2), 3u);
        odd[2].needs = TL("b", "later", "c");
        CHECK_EQ_U32(pipeline_deps(odd, 3, 2), 2u);
    }
    CHECK_CASE("pipeline: a gate's cache key holds its tools, then those of what it needs, each once") {
        const char *t[PIPELINE_MAX_TOOLS];
        size_t n = pipeline_key_tools(tgates, 6, 5, t, 0, PIPELINE_MAX_TOOLS);
        CHECK_EQ_INT((int)n, 4);
        if (n == 4) {
            CHECK(strcmp(t[0], "tl-cc") == 0);
            CHECK(strcmp(t[1], "tl-lint") == 0);
            CHECK(strcmp(t[2], "tl-pnr") == 0);
            CHECK(strcmp(t[3], "tl-synth") == 0);
        }
        CHECK_EQ_INT((int)pipeline_key_tools(tgates, 6, 0, t, 0, PIPELINE_MAX_TOOLS), 1);
        CHECK_EQ_INT((int)pipeline_key_tools(tgates, 6, 5, t, 0, 2), 2);
    }
    CHECK_CASE("pipeline: all pass; every result and file present; prior passed on") {
        reset_calls();
        fail_at = "";
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.failed_gate == NULL && !v.cancelled);
        CHECK_EQ_INT(json_object_size(v.results), 6);
        CHECK(json_integer_value(json_object_get(json_object_get(v.results, "coremark"), "prior_keys")) >= 5);
        CHECK(json_integer_value(json_object_get(json_object_get(v.results, "formal"), "jobs")) == 2);
        char *p = fsx_fmt("%s/coremark.json", rundir);
        CHECK(access(p, R_OK) == 0);
        free(p);
        pipeline_verdict_free(&v);
    }
    CHECK_CASE("pipeline: the first failure in order decides, whatever finishes first") {
        reset_calls();
        fail_at = "formal+cosim"; /* cosim fails fast, formal fails later */
        slow_formal_ms = 150;
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.failed_gate && strcmp(v.failed_gate, "formal") == 0);
        CHECK(v.diagnostic && strcmp(v.diagnostic, "it failed here") == 0);
        CHECK_EQ_INT(calls[5], 0); /* coremark needs cosim, which failed: never started */
        pipeline_verdict_free(&v);
        slow_formal_ms = 0;
    }
    CHECK_CASE("pipeline: overlap runs synth and cosim while formal does, when cores are free") {
        reset_calls();
        fail_at = "";
        slow_formal_ms = 300;
        pipe_cores = 5; /* formal 2 + cosim 2 + synth 1 fit at once */
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.failed_gate == NULL);
        CHECK(t_start[3] < t_end[2]); /* cosim started before formal ended */
        CHECK(t_start[1] < t_end[2]); /* so did synth */
        CHECK(t_start[4] < t_end[2]); /* and pnr, once synth passed */
        CHECK(t_start[5] >= t_end[3] && t_start[5] >= t_end[4]); /* coremark waits for its inputs */
        CHECK(json_number_value(json_object_get(json_object_get(v.results, "formal"), "seconds")) >= 0.25);
        pipeline_verdict_free(&v);
        pipe_cores = 2;
        reset_calls();
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        /* on 2 cores formal and cosim (2 cores each) never run at the same time */
        CHECK(t_start[3] >= t_end[2] || t_start[2] >= t_end[3]);
        pipeline_verdict_free(&v);
        slow_formal_ms = 0;
    }
    CHECK_CASE("pipeline: without overlap, gates run one by one and stop at the first failure") {
        reset_calls();
        fail_at = "synth";
        CHECK_EQ_INT(run_pipe(tgates, 6, false, NULL, NULL, &v, rundir), 0);
        CHECK(v.failed_gate && strcmp(v.failed_gate, "synth") == 0);
        CHECK_EQ_INT(calls[2] + calls[3] + calls[4] + calls[5], 0);
        pipeline_verdict_free(&v);
    }
    CHECK_CASE("pipeline: once an earlier gate fails, a later gate still running is stopped, not waited for") {
        gate_def g[] = {{.name = "lint", .run = tg_slow_fail, .cpus = 1, .timeout_s = 10},
                        {.name = "synth", .run = tg_sleeper, .needs = TL(NULL), .cpus = 1, .timeout_s = 60}};
        double t0 = proc_now();
        CHECK_EQ_INT(run_pipe(g, 2, true, NULL, NULL, &v, rundir), 0);
        CHECK(proc_now() - t0 < 10.0); /* the sleeper's tool would take 30 s */
        CHECK(v.failed_gate && strcmp(v.failed_gate, "lint") == 0);
        const json_t *sr = json_object_get(v.results, "synth");
        CHECK(json_is_true(json_object_get(sr, "stopped")));
        CHECK(strcmp(json_string_value(json_object_get(sr, "status")), "error") == 0);
        CHECK(json_is_number(json_object_get(sr, "cpu_seconds")) && json_is_number(json_object_get(sr, "end_s")));
        pipeline_verdict_free(&v);
    }
    CHECK_CASE("pipeline: a gate without a function is an error, never a pass") {
        gate_def g[] = {{.name = "lint", .run = tg_lint, .cpus = 1, .timeout_s = 10},
                        {.name = "formal", .cpus = 1, .timeout_s = 10}};
        fail_at = "";
        CHECK_EQ_INT(run_pipe(g, 2, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.failed_gate && strcmp(v.failed_gate, "formal") == 0);
        CHECK(v.failed_status && strcmp(v.failed_status, "error") == 0);
        CHECK_STR_CONTAINS(v.diagnostic, "not built into evo");
        pipeline_verdict_free(&v);
    }
    CHECK_CASE("pipeline: a failure's outcome is its gate's fail_outcome (pnr: placement_failed), else broken") {
        fail_at = "pnr";
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.outcome && strcmp(v.outcome, "placement_failed") == 0);
        pipeline_verdict_free(&v);
        fail_at = "cosim";
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.outcome && strcmp(v.outcome, "broken") == 0);
        pipeline_verdict_free(&v);
        fail_at = "";
        CHECK_EQ_INT(run_pipe(tgates, 6, true, NULL, NULL, &v, rundir), 0);
        CHECK(v.outcome == NULL);
        pipeline_verdict_free(&v);
    }
    CHECK_CASE("pipeline: identical input is served from the cache") {
        char *cache = fsx_fmt("%s/cache", tmp);
        reset_calls();
        fail_at = "";
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=abc\n", &v, rundir), 0);
        pipeline_verdict_free(&v);
        CHECK_EQ_INT(calls[0], 1);
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=abc\n", &v, rundir), 0);
        CHECK_EQ_INT(calls[0], 1); /* no second run */
        CHECK(json_is_true(json_object_get(json_object_get(v.results, "lint"), "cached")));
        pipeline_verdict_free(&v);
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=abd\n", &v, rundir), 0);
        CHECK_EQ_INT(calls[0], 2); /* another tree: runs again */
        pipeline_verdict_free(&v);
        free(cache);
    }
    CHECK_CASE("pipeline: errors are never cached") {
        char *cache = fsx_fmt("%s/cache2", tmp);
        gate_def g[] = {{.name = "lint", .cpus = 1, .timeout_s = 10}};
        CHECK_EQ_INT(run_pipe(g, 1, true, cache, "k\n", &v, rundir), 0);
        pipeline_verdict_free(&v);
        char *probe = fsx_fmt("find %s -name '*.json' 2>/dev/null | grep -q .", cache);
        CHECK(system(probe) != 0);
        free(probe);
        free(cache);
    }
    free(rundir);
}

/* ---- gate cache ---------------------------------------------------------------- */

/* The one entry file of `gate` under cache (k-<id>/<gate>-<hash>.json), or NULL. */
static char *entry_of(const char *cache, const char *gate)
{
    char *pat = fsx_fmt("%s/k-*/%s-*.json", cache, gate);
    glob_t g;
    char *out = NULL;
    if (pat && glob(pat, 0, NULL, &g) == 0) {
        if (g.gl_pathc == 1)
            out = strdup(g.gl_pathv[0]);
        globfree(&g);
    }
    free(pat);
    return out;
}

/* Replaces the first `from` in the file by `to` (an attacker's edit). */
static int edit_file(const char *path, const char *from, const char *to)
{
    char *text = NULL;
    if (fsx_read(path, &text, NULL) != 0)
        return -1;
    char *at = strstr(text, from);
    char *out = at ? fsx_fmt("%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) : NULL;
    int rc = out ? fsx_write_atomic(path, out, strlen(out)) : -1;
    free(out);
    free(text);
    return rc;
}

static json_t *cm_result(double fitness)
{
    json_t *r = gate_result_new("coremark");
    json_object_set_new(r, "fitness", json_real(fitness));
    return gate_result_finish(r, "pass", "", NULL, proc_now());
}

static void test_gcache(const char *tmp)
{
    char err[512], why[1200];
    char *dir = fsx_fmt("%s/gc", tmp);
    gcache *c = gcache_open(dir, err, sizeof err);
    json_t *hit = NULL;
    CHECK_CASE("gcache: a stored entry comes back verified and marked cached") {
        CHECK(c != NULL);
        json_t *r = cm_result(100);
        CHECK_EQ_INT(gcache_put(c, "tree=a\n", "coremark", r), 0);
        CHECK_EQ_INT(gcache_get(c, "tree=a\n", "coremark", &hit, why, sizeof why), GCACHE_HIT);
        CHECK(json_number_value(json_object_get(hit, "fitness")) == 100.0);
        CHECK(json_is_true(json_object_get(hit, "cached")));
        json_decref(hit);
        CHECK_EQ_INT(gcache_get(c, "tree=b\n", "coremark", &hit, why, sizeof why), GCACHE_MISS);
        json_t *e = gate_result_error("coremark", "no", proc_now());
        CHECK_EQ_INT(gcache_put(c, "tree=e\n", "coremark", e), -1); /* errors are never cached */
        json_decref(e);
        json_decref(r);
    }
    CHECK_CASE("gcache: the key is 32 random bytes, mode 0600, created once; a loose key is refused") {
        char *kp = fsx_fmt("%s/.key", dir);
        struct stat st;
        CHECK(stat(kp, &st) == 0 && st.st_size == 32 && (st.st_mode & 0777) == 0600);
        gcache *c2 = gcache_open(dir, err, sizeof err);
        CHECK(c2 != NULL);
        CHECK_EQ_INT(gcache_get(c2, "tree=a\n", "coremark", &hit, why, sizeof why), GCACHE_HIT);
        json_decref(hit);
        gcache_free(c2);
        chmod(kp, 0644);
        c2 = gcache_open(dir, err, sizeof err);
        CHECK(c2 == NULL);
        CHECK_STR_CONTAINS(err, ".key is readable or writable by other users");
        gcache_free(c2);
        chmod(kp, 0600);
        free(kp);
    }
    CHECK_CASE("gcache: an entry whose figures were edited fails its MAC, is named and deleted") {
        char *path = gcache_path(c, "tree=a\n", "coremark");
        CHECK_EQ_INT(edit_file(path, "\"fitness\":100.0", "\"fitness\":300.0"), 0);
        CHECK_EQ_INT(gcache_get(c, "tree=a\n", "coremark", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK(hit == NULL);
        CHECK_STR_CONTAINS(why, path);
        CHECK_STR_CONTAINS(why, "MAC does not verify");
        CHECK(access(path, F_OK) != 0);
        free(path);
    }
    CHECK_CASE("gcache: a fresh entry with a guessed MAC, an unsigned one and a moved one are planted") {
        json_t *r = cm_result(100);
        char *path = gcache_path(c, "tree=g\n", "coremark");
        const char *guessed = "evo-gcache-1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                              "{\"gate\":\"coremark\",\"status\":\"pass\",\"pass\":true,\"fitness\":900}";
        CHECK_EQ_INT(fsx_write_atomic(path, guessed, strlen(guessed)), 0);
        CHECK_EQ_INT(gcache_get(c, "tree=g\n", "coremark", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK_STR_CONTAINS(why, "MAC does not verify");
        const char *plain = "{\"gate\":\"coremark\",\"status\":\"pass\",\"pass\":true,\"fitness\":900}";
        CHECK_EQ_INT(fsx_write_atomic(path, plain, strlen(plain)), 0);
        CHECK_EQ_INT(gcache_get(c, "tree=g\n", "coremark", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK_STR_CONTAINS(why, "not an evo-gcache-1 entry");
        /* a genuine entry of another candidate, or of another gate, copied into place */
        CHECK_EQ_INT(gcache_put(c, "tree=champion\n", "coremark", r), 0);
        char *champ = gcache_path(c, "tree=champion\n", "coremark");
        char *text = NULL;
        size_t len = 0;
        CHECK(fsx_read(champ, &text, &len) == 0 && fsx_write_atomic(path, text, len) == 0);
        CHECK_EQ_INT(gcache_get(c, "tree=g\n", "coremark", &hit, why, sizeof why), GCACHE_PLANTED);
        char *other = gcache_path(c, "tree=champion\n", "cosim");
        CHECK(fsx_write_atomic(other, text, len) == 0);
        CHECK_EQ_INT(gcache_get(c, "tree=champion\n", "cosim", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK(access(path, F_OK) != 0 && access(other, F_OK) != 0);
        CHECK_EQ_INT(gcache_get(c, "tree=champion\n", "coremark", &hit, why, sizeof why), GCACHE_HIT);
        json_decref(hit);
        free(text);
        free(other);
        free(champ);
        free(path);
        json_decref(r);
    }
    CHECK_CASE("gcache: a FIFO, a symlink, a directory or an oversized file at an entry is planted, at once") {
        char *path = gcache_path(c, "tree=f\n", "lint");
        double t0 = proc_now();
        CHECK(mkfifo(path, 0600) == 0);
        CHECK_EQ_INT(gcache_get(c, "tree=f\n", "lint", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK_STR_CONTAINS(why, "FIFO");
        CHECK(symlink("/dev/zero", path) == 0);
        CHECK_EQ_INT(gcache_get(c, "tree=f\n", "lint", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK_STR_CONTAINS(why, "symbolic link");
        CHECK(mkdir(path, 0755) == 0);
        CHECK_EQ_INT(gcache_get(c, "tree=f\n", "lint", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK(proc_now() - t0 < 2.0);
        FILE *f = fopen(path, "w");
        CHECK(f && ftruncate(fileno(f), GCACHE_MAX + 1) == 0);
        if (f)
            fclose(f);
        CHECK_EQ_INT(gcache_get(c, "tree=f\n", "lint", &hit, why, sizeof why), GCACHE_PLANTED);
        CHECK_STR_CONTAINS(why, "more than the");
        CHECK(access(path, F_OK) != 0);
        free(path);
    }
    CHECK_CASE("gcache: same_verdict allows float noise, not another figure or status") {
        json_t *a = cm_result(100), *b = cm_result(100 * (1 + 1e-12)), *x = cm_result(300);
        CHECK(gcache_same_verdict("coremark", a, b, why, sizeof why));
        CHECK(!gcache_same_verdict("coremark", a, x, why, sizeof why));
        CHECK_STR_CONTAINS(why, "fitness: cached 100, fresh 300");
        json_object_set_new(b, "status", json_string("fail"));
        CHECK(!gcache_same_verdict("coremark", a, b, why, sizeof why));
        json_decref(a);
        json_decref(b);
        json_decref(x);
    }
    gcache_free(c);
    free(dir);
}

static void test_pipeline_cache(const char *tmp)
{
    char *rundir = fsx_fmt("%s/pipe-cache", tmp);
    char *cache = fsx_fmt("%s/cache-p", tmp);
    fsx_mkdirs(rundir, 0755);
    pipeline_verdict v;
    fail_at = "";
    cm_fitness = 100;
    CHECK_CASE("pipeline: planted entries make the verdict 'planted'; every entry of the candidate goes") {
        reset_calls();
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=p\n", &v, rundir), 0);
        pipeline_verdict_free(&v);
        char *lint = entry_of(cache, "lint"), *cm = entry_of(cache, "coremark"), *syn = entry_of(cache, "synth");
        CHECK(lint && cm && syn);
        CHECK_EQ_INT(edit_file(cm, "\"fitness\":100.0", "\"fitness\":300.0"), 0);
        CHECK_EQ_INT(edit_file(lint, "evo-gcache-1 ", "evo-gcache-1 0"), 0);
        reset_calls();
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=p\n", &v, rundir), 0);
        CHECK(v.planted != NULL);
        CHECK_STR_CONTAINS(v.planted, lint);
        CHECK(v.failed_gate && strcmp(v.failed_gate, "lint") == 0);
        CHECK(json_is_true(json_object_get(json_object_get(v.results, "lint"), "planted")));
        CHECK(access(lint, F_OK) != 0 && access(cm, F_OK) != 0); /* coremark never ran, its entry went too */
        CHECK(access(syn, F_OK) != 0); /* and so did the candidate's entries that verify */
        CHECK_EQ_INT(calls[0] + calls[5], 0);
        pipeline_verdict_free(&v);
        free(lint);
        free(cm);
        free(syn);
    }
    CHECK_CASE("pipeline: fresh gates run again and must agree; agreeing ones are marked reverified") {
        reset_calls();
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=p\n", &v, rundir), 0); /* refill */
        pipeline_verdict_free(&v);
        reset_calls();
        pipe_fresh = (1u << 3) | (1u << 5);
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=p\n", &v, rundir), 0);
        CHECK(v.planted == NULL && v.failed_gate == NULL);
        CHECK_EQ_INT(calls[3], 1);
        CHECK_EQ_INT(calls[5], 1);
        CHECK_EQ_INT(calls[0] + calls[1] + calls[2] + calls[4], 0);
        CHECK(json_is_true(json_object_get(json_object_get(v.results, "coremark"), "reverified")));
        CHECK(!json_object_get(json_object_get(v.results, "lint"), "reverified"));
        CHECK_EQ_INT(v.from_cache, 0x3f);
        pipeline_verdict_free(&v);
    }
    CHECK_CASE("pipeline: a fresh run that measures other figures unmasks the cached ones") {
        cm_fitness = 33.3; /* the design really does 33.3; the cache says 100 */
        CHECK_EQ_INT(run_pipe(tgates, 6, true, cache, "tree=p\n", &v, rundir), 0);
        CHECK(v.planted != NULL);
        CHECK_STR_CONTAINS(v.planted, "a fresh run disagrees with it (figures.fitness: cached 100, fresh 33.3)");
        CHECK(v.failed_gate && strcmp(v.failed_gate, "coremark") == 0);
        pipeline_verdict_free(&v);
        char *cm = entry_of(cache, "coremark");
        CHECK(cm == NULL);
        free(cm);
        pipe_fresh = 0;
        cm_fitness = 100;
    }
    CHECK_CASE("gate: a gate that could not write its files turns pass/fail into an io_error, keeps a timeout") {
        json_t *r = gate_result_finish(gate_result_new("lint"), "fail", "%Error: build failed", "/x/lint.log", proc_now());
        r = gate_result_io_error(r, "/x/lint.log", ENOSPC, proc_now());
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "error") == 0);
        CHECK(json_is_true(json_object_get(r, "io_error")) && json_is_false(json_object_get(r, "pass")));
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "diagnostic")),
                           "cannot write /x/lint.log: No space left on device");
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "log")), "/x/lint.log");
        json_decref(r);
        r = gate_result_io_error(gate_result_finish(gate_result_new("lint"), "timeout", "t", NULL, proc_now()),
                                 "/x", EIO, proc_now());
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "timeout") == 0);
        json_decref(r);
    }
    CHECK_CASE("pipeline: a verdict reached while the run directory cannot be written is an error, never cached") {
        char *c2 = fsx_fmt("%s/cache-io", tmp);
        struct rlimit old, lim;
        getrlimit(RLIMIT_FSIZE, &old);
        lim = old;
        lim.rlim_cur = 2048; /* the result files fit; the two-page probe does not */
        void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &lim);
        int rc = run_pipe(tgates, 1, true, c2, "tree=io\n", &v, rundir);
        setrlimit(RLIMIT_FSIZE, &old);
        signal(SIGXFSZ, prev);
        CHECK_EQ_INT(rc, 0);
        const json_t *r = json_object_get(v.results, "lint");
        CHECK(v.failed_status && strcmp(v.failed_status, "error") == 0);
        CHECK(json_is_true(json_object_get(r, "io_error")));
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "diagnostic")), "/.lint.probe: File too large");
        pipeline_verdict_free(&v);
        char *e = entry_of(c2, "lint");
        CHECK(e == NULL);
        free(e);
        reset_calls();
        CHECK_EQ_INT(run_pipe(tgates, 1, true, c2, "tree=io\n", &v, rundir), 0); /* room again: judged anew */
        CHECK(v.failed_gate == NULL && calls[0] == 1);
        pipeline_verdict_free(&v);
        free(c2);
    }
    free(cache);
    free(rundir);
}

/* ---- agent ------------------------------------------------------------------------ */

static void test_agent(const char *tmp)
{
    char *script = fsx_fmt("%s/agent.sh", tmp);
    char *envout = fsx_fmt("%s/agent.env", tmp);
    char *body = fsx_fmt("#!/bin/sh\nwc -c > %s\nenv | grep '^EVO_' | sort >> %s\npwd >> %s\n"
                         "[ \"$EVO_PHASE\" = implement ] && sleep 5\necho done\nexit 0\n", envout, envout, envout);
    fsx_write_atomic(script, body, strlen(body));
    chmod(script, 0755);
    char *spec = fsx_fmt("cmd:%s", script);
    agent_provider *p = NULL;
    char err[512];
    CHECK_CASE("agent: cmd provider gets a 3 MB prompt on stdin and the EVO_* environment") {
        CHECK_EQ_INT(agent_open(spec, &p, err, sizeof err), 0);
        if (!p)
            break;
        size_t big = 3u << 20;
        char *prompt = malloc(big + 1);
        memset(prompt, 'x', big);
        prompt[big] = '\0';
        char *pp = fsx_fmt("%s/prompt.md", tmp), *tr = fsx_fmt("%s/transcript.log", tmp);
        agent_request req = {AGENT_HYPOTHESIS, prompt, pp, tmp, tr, 30, "demo", "/w/cores/demo", "/w/h.yaml",
                             "demo-r001-s1-abcd", 1, 1, NULL, NULL};
        agent_result res;
        CHECK_EQ_INT(agent_run(p, &req, &res, err, sizeof err), 0);
        CHECK(agent_ok(&res));
        CHECK_STR_CONTAINS(res.output_tail, "done");
        char *env = NULL;
        fsx_read(envout, &env, NULL);
        CHECK(env && atol(env) == (long)big);
        CHECK_STR_CONTAINS(env, "EVO_HYPOTHESIS=/w/h.yaml");
        CHECK_STR_CONTAINS(env, "EVO_ID=demo-r001-s1-abcd");
        CHECK_STR_CONTAINS(env, "EVO_PHASE=hypothesis");
        CHECK_STR_CONTAINS(env, "EVO_ROUND=1");
        CHECK_STR_CONTAINS(env, "EVO_SLOT=1");
        CHECK_STR_CONTAINS(env, "EVO_TARGET=demo");
        CHECK_STR_CONTAINS(env, "EVO_CORE_DIR=/w/cores/demo");
        CHECK_STR_CONTAINS(env, tmp); /* cwd */
        json_t *j = agent_result_json(p, &req, &res);
        CHECK(json_integer_value(json_object_get(j, "exit_code")) == 0);
        json_decref(j);
        free(env);
        agent_result_free(&res);
        /* timeout */
        req.phase = AGENT_IMPLEMENT;
        req.prompt = "short";
        req.timeout_s = 0.5;
        CHECK_EQ_INT(agent_run(p, &req, &res, err, sizeof err), 0);
        CHECK(res.timed_out && !agent_ok(&res));
        char how[128];
        agent_describe(&res, how, sizeof how);
        CHECK_STR_CONTAINS(how, "timed out");
        agent_result_free(&res);
        free(prompt);
        free(pp);
        free(tr);
        agent_close(p);
    }
    CHECK_CASE("agent: provider names are checked") {
        CHECK_EQ_INT(agent_open("nosuch", &p, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "unknown provider");
        CHECK_EQ_INT(agent_open("cmd:", &p, err, sizeof err), -1);
        CHECK_EQ_INT(agent_open("cmd:/nonexistent/agent", &p, err, sizeof err), -1);
        char *plain = fsx_fmt("%s/plain.txt", tmp);
        fsx_write_atomic(plain, "x", 1);
        chmod(plain, 0644);
        char *pspec = fsx_fmt("cmd:%s", plain);
        CHECK_EQ_INT(agent_open(pspec, &p, err, sizeof err), -1);
        free(plain);
        free(pspec);
        CHECK_STR_CONTAINS(err, "not an executable");
        /* builtin is the default: opened when tools/agents is built in, else named */
        if (agent_open(NULL, &p, err, sizeof err) == 0) {
            CHECK(strcmp(p->name, "builtin") == 0);
            agent_close(p);
        } else {
            CHECK_STR_CONTAINS(err, "builtin");
        }
    }
    free(script);
    free(envout);
    free(body);
    free(spec);
}

/* ---- repo (libgit2) --------------------------------------------------------------- */

static int write_file(const char *root, const char *rel, const char *text)
{
    char *p = fsx_fmt("%s/%s", root, rel);
    char *dir = strdup(p);
    *strrchr(dir, '/') = '\0';
    int rc = fsx_mkdirs(dir, 0755) == 0 ? fsx_write_atomic(p, text, strlen(text)) : -1;
    free(dir);
    free(p);
    return rc;
}

/* A scratch repository with branch main, built with libgit2. */
static int make_repo(const char *root)
{
    git_repository *g = NULL;
    git_repository_init_options io;
    git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
    io.flags = GIT_REPOSITORY_INIT_MKPATH;
    io.initial_head = "main";
    if (git_repository_init_ext(&g, root, &io) != 0)
        return -1;
    write_file(root, ".gitignore", "/.worktrees/\n/runs/\n/build/\n*.o\n");
    write_file(root, "cores/demo/rtl/core.sv", "module core; endmodule\n");
    write_file(root, "cores/demo/core.yaml", "name: demo\ncurrent:\n");
    write_file(root, "formal/checks.sv", "// checks\n");
    git_index *idx = NULL;
    git_oid tree, commit;
    git_tree *t = NULL;
    git_signature *sig = NULL;
    int rc = git_repository_index(&idx, g) || git_index_add_all(idx, NULL, 0, NULL, NULL) || git_index_write(idx) ||
             git_index_write_tree(&tree, idx) || git_tree_lookup(&t, g, &tree) ||
             git_signature_now(&sig, "t", "t@localhost") ||
             git_commit_create(&commit, g, "HEAD", sig, sig, NULL, "init", t, 0, NULL);
    git_signature_free(sig);
    git_tree_free(t);
    git_index_free(idx);
    git_repository_free(g);
    return rc ? -1 : 0;
}

static void test_repo(const char *tmp)
{
    char *root = fsx_fmt("%s/repo", tmp);
    char err[1024];
    repo *r = NULL;
    CHECK_CASE("repo: scratch repository") {
        CHECK_EQ_INT(make_repo(root), 0);
        CHECK_EQ_INT(repo_open(&r, root, err, sizeof err), 0);
    }
    if (!r) {
        free(root);
        return;
    }
    git_oid main0, tip;
    repo_tip(r, "main", &main0, err, sizeof err);
    char *wtroot = fsx_fmt("%s/.worktrees", root);
    char *core_wt = NULL, *note = NULL;
    CHECK_CASE("repo: core branch from main and its worktree, reused after") {
        CHECK_EQ_INT(repo_core_ensure(r, "demo", wtroot, &core_wt, &note, err, sizeof err), 0);
        CHECK(note == NULL);
        CHECK_EQ_INT(repo_tip(r, "core-demo", &tip, err, sizeof err), 0);
        CHECK(git_oid_equal(&tip, &main0));
        CHECK_STR_CONTAINS(core_wt, "/.worktrees/demo");
        char *again = NULL;
        write_file(core_wt, "cores/demo/rtl/core.sv", "dirty\n");
        CHECK_EQ_INT(repo_core_ensure(r, "demo", wtroot, &again, &note, err, sizeof err), 0);
        CHECK(note && strstr(note, "cores/demo/rtl/core.sv"));
        char *text = NULL;
        char *p = fsx_fmt("%s/cores/demo/rtl/core.sv", core_wt);
        fsx_read(p, &text, NULL);
        CHECK(text && strcmp(text, "module core; endmodule\n") == 0);
        free(text);
        free(p);
        free(note);
        note = NULL;
        free(again);
    }
    git_oid c1;
    CHECK_CASE("repo: commits on core-<t> are compare-and-swap") {
        repo_edit e = {"cores/demo/experiments/log.jsonl", "{}\n", 3, 0};
        CHECK_EQ_INT(repo_commit_edits(r, "core-demo", &tip, &e, 1, "log: x", &c1, err, sizeof err), 0);
        git_oid again;
        /* a stale expected tip must fail and change nothing */
        CHECK_EQ_INT(repo_commit_edits(r, "core-demo", &tip, &e, 1, "log: y", &again, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "moved");
        git_oid now;
        repo_tip(r, "core-demo", &now, err, sizeof err);
        CHECK(git_oid_equal(&now, &c1));
        char *data = NULL;
        CHECK_EQ_INT(repo_read(r, &c1, "cores/demo/experiments/log.jsonl", &data, NULL, err, sizeof err), 0);
        CHECK(data && strcmp(data, "{}\n") == 0);
        free(data);
        CHECK_EQ_INT(repo_read(r, &c1, "nope", &data, NULL, err, sizeof err), 1);
        git_oid m;
        repo_tip(r, "main", &m, err, sizeof err);
        CHECK(git_oid_equal(&m, &main0)); /* main never moves */
    }
    CHECK_CASE("repo: an overlay commit carries a design's rtl/ and test/ exactly, onto's everything else") {
        repo_edit de[] = {{"cores/demo/rtl/core.sv", "module core; wire d; endmodule\n", 31, 0},
                          {"cores/demo/rtl/d.sv", "module d; endmodule\n", 20, 0},
                          {"cores/demo/test/tb.sv", "module tb; endmodule\n", 21, 0}};
        repo_edit te[] = {{"cores/demo/rtl/tip.sv", "module tip; endmodule\n", 22, 0},
                          {"formal/tip.sv", "// tip\n", 7, 0}};
        repo_edit rec = {"cores/demo/experiments/log.jsonl", "{}\n{}\n", 6, 0};
        git_oid d, t2, o;
        const char *dirs[] = {"cores/demo/rtl", "cores/demo/test", NULL};
        CHECK_EQ_INT(repo_commit_edits(r, NULL, &c1, de, 3, "design", &d, err, sizeof err), 0);
        CHECK_EQ_INT(repo_commit_edits(r, NULL, &c1, te, 2, "tip", &t2, err, sizeof err), 0);
        CHECK_EQ_INT(repo_commit_overlay(r, NULL, &t2, &d, dirs, &rec, 1, "merged", &o, err, sizeof err), 0);
        git_oid a, b;
        for (int i = 0; i < 2; i++) {
            repo_path_id(r, &o, dirs[i], &a);
            repo_path_id(r, &d, dirs[i], &b);
            CHECK(git_oid_equal(&a, &b));
        }
        repo_path_id(r, &o, "cores/demo/rtl/tip.sv", &a);
        CHECK(git_oid_is_zero(&a)); /* the tip's own rtl file is not mixed in */
        repo_path_id(r, &o, "formal/tip.sv", &a);
        CHECK(!git_oid_is_zero(&a));
        char *data = NULL;
        CHECK_EQ_INT(repo_read(r, &o, "cores/demo/experiments/log.jsonl", &data, NULL, err, sizeof err), 0);
        CHECK(data && strcmp(data, "{}\n{}\n") == 0);
        free(data);
        git_commit *oc = NULL;
        CHECK(git_commit_lookup(&oc, repo_git(r), &o) == 0 && git_commit_parentcount(oc) == 1 &&
              git_oid_equal(git_commit_parent_id(oc, 0), &t2));
        git_commit_free(oc);
        git_oid now;
        repo_tip(r, "core-demo", &now, err, sizeof err);
        CHECK(git_oid_equal(&now, &c1)); /* nothing published */
    }
    CHECK_CASE("repo: passed-design refs are set, read, listed and dropped") {
        git_oid got;
        CHECK_EQ_INT(repo_passed_get(r, "demo", "demo-r001-s2-abcd", &got, err, sizeof err), 1);
        CHECK_EQ_INT(repo_passed_set(r, "demo", "demo-r001-s2-abcd", &c1, err, sizeof err), 0);
        CHECK_EQ_INT(repo_passed_set(r, "demo2", "demo2-r001-s1-abcd", &c1, err, sizeof err), 0);
        CHECK_EQ_INT(repo_passed_get(r, "demo", "demo-r001-s2-abcd", &got, err, sizeof err), 0);
        CHECK(git_oid_equal(&got, &c1));
        repo_strs ids = {0};
        CHECK_EQ_INT(repo_passed_list(r, "demo", &ids, err, sizeof err), 0);
        CHECK(ids.n == 1 && strcmp(ids.v[0], "demo-r001-s2-abcd") == 0); /* demo2's are its own */
        repo_strs_free(&ids);
        CHECK_EQ_INT(repo_passed_drop(r, "demo", "demo-r001-s2-abcd", err, sizeof err), 0);
        CHECK_EQ_INT(repo_passed_drop(r, "demo", "demo-r001-s2-abcd", err, sizeof err), 0); /* absent: fine */
        CHECK_EQ_INT(repo_passed_drop(r, "demo2", "demo2-r001-s1-abcd", err, sizeof err), 0);
        CHECK_EQ_INT(repo_passed_list(r, "demo", &ids, err, sizeof err), 0);
        CHECK(ids.n == 0);
        repo_strs_free(&ids);
    }
    char *slot_wt = NULL;
    git_oid sc;
    CHECK_CASE("repo: slot worktree, commit of everything, sandbox, removal") {
        CHECK_EQ_INT(repo_slot_add(r, "demo-r001-s1-abcd", &c1, wtroot, "evo test", &slot_wt, err, sizeof err), 0);
        if (!slot_wt)
            break;
        write_file(slot_wt, "cores/demo/rtl/core.sv", "module core; wire a; endmodule\n");
        write_file(slot_wt, "cores/demo/rtl/new.sv", "module n; endmodule\n");
        write_file(slot_wt, "formal/extra.sv", "// sneaky\n");
        write_file(slot_wt, "cores/demo/rtl/junk.o", "ignored\n");
        char *fp = fsx_fmt("%s/formal/checks.sv", slot_wt);
        char *np = fsx_fmt("%s/cores/demo/rtl/checks.sv", slot_wt);
        CHECK_EQ_INT(rename(fp, np), 0); /* a rename out of formal/ */
        free(fp);
        free(np);
        char *lp = fsx_fmt("%s/cores/demo/test", slot_wt);
        fsx_mkdirs(lp, 0755);
        free(lp);
        lp = fsx_fmt("%s/cores/demo/test/link.sv", slot_wt);
        CHECK_EQ_INT(symlink("/etc/passwd", lp), 0);
        free(lp);
        bool changed = false;
        CHECK_EQ_INT(repo_slot_commit(r, "demo-r001-s1-abcd", slot_wt, &c1, 1 << 20, 8 << 20, "slot", &sc, &changed, err,
                                      sizeof err), 0);
        CHECK(changed);
        git_oid pt, st;
        repo_commit_tree(r, &c1, &pt, err, sizeof err);
        repo_commit_tree(r, &sc, &st, err, sizeof err);
        sandbox_report rep = {0};
        CHECK_EQ_INT(sandbox_check_trees(repo_git(r), &pt, &st, "demo", &rep, err, sizeof err), 0);
        CHECK_STR_CONTAINS(rep.text, "formal/extra.sv: added outside");
        CHECK_STR_CONTAINS(rep.text, "formal/checks.sv: renamed away");
        CHECK_STR_CONTAINS(rep.text, "cores/demo/test/link.sv: symlink -> '/etc/passwd'");
        CHECK(!strstr(rep.text, "new.sv"));
        git_repository *w = NULL;
        CHECK_EQ_INT(repo_slot_open(r, "demo-r001-s1-abcd", slot_wt, &w, err, sizeof err), 0);
        sandbox_report rep2 = {0};
        CHECK_EQ_INT(sandbox_check_worktree(w, slot_wt, &st, &rep2, err, sizeof err), 0);
        CHECK_STR_CONTAINS(rep2.text, "cores/demo/rtl/junk.o: ignored file");
        CHECK(!strstr(rep2.text ? rep2.text : "", "link.sv")); /* committed: the tree diff reports it */
        git_repository_free(w);
        sandbox_report_free(&rep);
        sandbox_report_free(&rep2);
        char *list = NULL;
        CHECK_EQ_INT(repo_slot_dirty(r, "demo-r001-s1-abcd", slot_wt, "cores/demo/", &list, err, sizeof err), 0);
        CHECK(list == NULL);
        write_file(slot_wt, "cores/demo/rtl/core.sv", "changed after the sandbox\n");
        CHECK_EQ_INT(repo_slot_dirty(r, "demo-r001-s1-abcd", slot_wt, "cores/demo/", &list, err, sizeof err), 0);
        CHECK(list && strstr(list, "cores/demo/rtl/core.sv"));
        free(list);
    }
    CHECK_CASE("repo: a rewritten .git file in a slot is refused") {
        if (!slot_wt)
            break;
        char *gf = fsx_fmt("%s/.git", slot_wt);
        char *old = NULL;
        fsx_read(gf, &old, NULL);
        fsx_write_atomic(gf, "gitdir: /tmp\n", 13);
        git_repository *w = NULL;
        CHECK_EQ_INT(repo_slot_open(r, "demo-r001-s1-abcd", slot_wt, &w, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "replaced or rewritten");
        fsx_write_atomic(gf, old, strlen(old));
        free(old);
        free(gf);
    }
    /* Issue 17 item 5: the merge and the slot's record are one commit. */
    CHECK_CASE("repo: merge fast-forwards when the tip is the slot's parent, with the record in the same commit") {
        git_oid merged;
        static const char line[] = "{\"id\":\"demo-r001-s1-abcd\"}\n\0kept";
        repo_edit rec[2] = {{"cores/demo/experiments/log.jsonl", line, sizeof line - 1, 0},
                            {"cores/demo/core.yaml", "current:\n  id: demo-r001-s1-abcd\n",
                             strlen("current:\n  id: demo-r001-s1-abcd\n"), 0}};
        CHECK_EQ_INT(repo_merge(r, "core-demo", NULL, &sc, rec, 2, "demo-r001-s1-abcd: title (+1.0%)", &merged, err,
                                sizeof err), 0);
        char *data = NULL;
        size_t dlen = 0;
        CHECK_EQ_INT(repo_read(r, &merged, "cores/demo/experiments/log.jsonl", &data, &dlen, err, sizeof err), 0);
        CHECK(data && dlen == sizeof line - 1 && memcmp(data, line, dlen) == 0);
        free(data);
        git_oid a, b;
        repo_path_id(r, &merged, "cores/demo/rtl", &a);
        repo_path_id(r, &sc, "cores/demo/rtl", &b);
        CHECK(git_oid_equal(&a, &b)); /* the slot's design */
        git_commit *c = NULL;
        git_commit_lookup(&c, repo_git(r), &merged);
        CHECK(c && git_commit_parentcount(c) == 1 && git_oid_equal(git_commit_parent_id(c, 0), &c1));
        CHECK(c && git_oid_equal(git_commit_tree_id(c), &(git_oid){{0}}) == 0);
        CHECK(c && strcmp(git_commit_summary(c), "demo-r001-s1-abcd: title (+1.0%)") == 0);
        git_commit_free(c);
        c1 = merged;
    }
    CHECK_CASE("repo: merge makes a merge commit when core-<t> moved meanwhile") {
        char *wt2 = NULL;
        git_oid s2, moved;
        CHECK_EQ_INT(repo_slot_add(r, "demo-r002-s1-abcd", &c1, wtroot, "evo test", &wt2, err, sizeof err), 0);
        if (!wt2)
            break;
        /* A file over the limit (sparse: no disk needed) is refused before it is read. */
        char *big = fsx_fmt("%s/cores/demo/rtl/big.sv", wt2);
        FILE *bf = fopen(big, "w");
        CHECK(bf && ftruncate(fileno(bf), 2 << 20) == 0);
        if (bf)
            fclose(bf);
        bool ch;
        CHECK_EQ_INT(repo_slot_commit(r, "demo-r002-s1-abcd", wt2, &c1, 1 << 20, 8 << 20, "big", &s2, &ch, err,
                                      sizeof err), -1);
        CHECK_STR_CONTAINS(err, "cores/demo/rtl/big.sv is 2097152 bytes in the slot worktree");
        CHECK_STR_CONTAINS(err, "nothing was staged");
        CHECK_EQ_INT(repo_slot_commit(r, "demo-r002-s1-abcd", wt2, &c1, 4 << 20, 1 << 20, "big", &s2, &ch, err,
                                      sizeof err), -1);
        CHECK_STR_CONTAINS(err, "pass 1048576 bytes at cores/demo/rtl/big.sv");
        unlink(big);
        free(big);
        write_file(wt2, "cores/demo/rtl/other.sv", "module other; endmodule\n");
        CHECK_EQ_INT(repo_slot_commit(r, "demo-r002-s1-abcd", wt2, &c1, 1 << 20, 8 << 20, "slot2", &s2, &ch, err,
                                      sizeof err), 0);
        repo_edit e = {"cores/demo/LESSONS.md", "- x\n", 4, 0};
        CHECK_EQ_INT(repo_commit_edits(r, "core-demo", &c1, &e, 1, "log: y", &moved, err, sizeof err), 0);
        git_oid merged;
        repo_edit rec = {"cores/demo/experiments/log.jsonl", "{}\n{}\n", 6, 0};
        CHECK_EQ_INT(repo_merge(r, "core-demo", NULL, &s2, &rec, 1, "merge", &merged, err, sizeof err), 0);
        git_commit *c = NULL;
        git_commit_lookup(&c, repo_git(r), &merged);
        CHECK(c && git_commit_parentcount(c) == 2);
        git_commit_free(c);
        git_oid id;
        char *data = NULL;
        CHECK_EQ_INT(repo_read(r, &merged, "cores/demo/experiments/log.jsonl", &data, NULL, err, sizeof err), 0);
        CHECK(data && strcmp(data, "{}\n{}\n") == 0);
        free(data);
        repo_path_id(r, &merged, "cores/demo/rtl/other.sv", &id);
        CHECK(!git_oid_is_zero(&id));
        repo_path_id(r, &merged, "cores/demo/LESSONS.md", &id);
        CHECK(!git_oid_is_zero(&id));
        CHECK_EQ_INT(repo_slot_remove(r, "demo-r002-s1-abcd", err, sizeof err), 0);
        free(wt2);
    }
    /* A round's commits are built unpublished and published with one ref
     * update: a kill between two of them leaves the branch where it was. */
    CHECK_CASE("repo: with no branch, merge and commit_edits build commits and move no ref") {
        git_oid before, built, rec2, now;
        CHECK_EQ_INT(repo_tip(r, "core-demo", &before, err, sizeof err), 0);
        repo_edit rec = {"cores/demo/experiments/log.jsonl", "{}\n{}\n{}\n", 9, 0};
        CHECK_EQ_INT(repo_merge(r, NULL, &before, &sc, &rec, 1, "winner", &built, err, sizeof err), 0);
        repo_edit e = {"cores/demo/LESSONS.md", "- x\n- y\n", 8, 0};
        CHECK_EQ_INT(repo_commit_edits(r, NULL, &built, &e, 1, "log: loser", &rec2, err, sizeof err), 0);
        CHECK_EQ_INT(repo_tip(r, "core-demo", &now, err, sizeof err), 0);
        CHECK(git_oid_equal(&now, &before));
        git_commit *c = NULL;
        git_commit_lookup(&c, repo_git(r), &rec2);
        CHECK(c && git_commit_parentcount(c) == 1 && git_oid_equal(git_commit_parent_id(c, 0), &built));
        git_commit_free(c);
        CHECK_EQ_INT(repo_set_tip(r, "core-demo", &before, &rec2, err, sizeof err), 0);
        CHECK_EQ_INT(repo_tip(r, "core-demo", &now, err, sizeof err), 0);
        CHECK(git_oid_equal(&now, &rec2));
        CHECK_EQ_INT(repo_set_tip(r, "core-demo", &rec2, &before, err, sizeof err), 0); /* as it was */
        CHECK_EQ_INT(repo_merge(r, NULL, NULL, &sc, &rec, 1, "winner", &built, err, sizeof err), -1);
    }
    CHECK_CASE("repo: slots are listed and removed completely") {
        repo_strs ids = {0};
        CHECK_EQ_INT(repo_slot_list(r, &ids, err, sizeof err), 0);
        CHECK_EQ_INT(ids.n, 1);
        repo_strs_free(&ids);
        CHECK_EQ_INT(repo_slot_remove(r, "demo-r001-s1-abcd", err, sizeof err), 0);
        CHECK(access(slot_wt, F_OK) != 0);
        CHECK_EQ_INT(repo_slot_list(r, &ids, err, sizeof err), 0);
        CHECK_EQ_INT(ids.n, 0);
        repo_strs_free(&ids);
        git_oid x;
        CHECK_EQ_INT(repo_tip(r, "slot/demo-r001-s1-abcd", &x, err, sizeof err), 1);
        CHECK_EQ_INT(repo_slot_remove(r, "demo-r001-s1-abcd", err, sizeof err), 0); /* idempotent */
    }
    CHECK_CASE("repo: fork copies rtl, test and the philosophy by id") {
        write_file(core_wt, "x", "x");
        git_oid cur, f;
        repo_tip(r, "core-demo", &cur, err, sizeof err);
        char *yaml = forkcore_rename("# c\nname: demo\ncurrent:\n  id: x\n", "mini");
        CHECK(yaml && strcmp(yaml, "# c\nname: mini\ncurrent:\n  id: x\n") == 0);
        free(yaml);
        yaml = forkcore_rename("isa: rv32im\n", "mini");
        CHECK(yaml && strcmp(yaml, "name: mini\nisa: rv32im\n") == 0);
        free(yaml);
        static const char *const entries[] = {"rtl", "test", "CORE_PHILOSOPHY.md", NULL};
        repo_edit e = {"cores/mini/core.yaml", "name: mini\n", 11, 0};
        CHECK_EQ_INT(repo_commit_copy(r, "core-demo", &cur, "cores/demo", "cores/mini", entries, &e, 1, "fork", &f, err,
                                      sizeof err), 0);
        git_oid a, b;
        repo_path_id(r, &f, "cores/mini/rtl", &a);
        repo_path_id(r, &cur, "cores/demo/rtl", &b);
        CHECK(git_oid_equal(&a, &b));
    }
    CHECK_CASE("guard: hooks, config, refs and the main checkout are watched") {
        guard *g = guard_take(r, "demo", NULL, err, sizeof err);
        CHECK(g != NULL);
        if (!g)
            break;
        char *hook = fsx_fmt("%s/hooks/post-checkout", repo_commondir(r));
        char *hooks = fsx_fmt("%s/hooks", repo_commondir(r));
        fsx_mkdirs(hooks, 0755);
        write_file(hooks, "post-checkout", "#!/bin/sh\nrm -rf ~\n");
        char *cfg = fsx_fmt("%s/config", repo_commondir(r));
        char *cfg_before = NULL;
        fsx_read(cfg, &cfg_before, NULL);
        fsx_append(cfg, "[core]\n\thooksPath = /tmp\n", 26);
        git_oid cur, other;
        repo_tip(r, "core-demo", &cur, err, sizeof err);
        repo_tip(r, "main", &other, err, sizeof err);
        repo_set_tip(r, "core-demo", &cur, &other, err, sizeof err);
        write_file(root, "formal/checks.sv", "// weakened\n");
        sandbox_report rep = {0};
        bool tampered = false;
        CHECK_EQ_INT(guard_check(r, g, &rep, &tampered, err, sizeof err), 0);
        CHECK(tampered);
        CHECK_STR_CONTAINS(rep.text, "formal/checks.sv: the main checkout");
        CHECK_STR_CONTAINS(rep.text, "post-checkout: git hook planted by the agent (removed)");
        CHECK_STR_CONTAINS(rep.text, "config: git file changed by the agent (restored)");
        CHECK_STR_CONTAINS(rep.text, "core-demo: branch moved by the agent (restored)");
        CHECK(access(hook, F_OK) != 0);
        char *cfg_after = NULL;
        fsx_read(cfg, &cfg_after, NULL);
        CHECK(cfg_before && cfg_after && strcmp(cfg_before, cfg_after) == 0);
        git_oid now;
        repo_tip(r, "core-demo", &now, err, sizeof err);
        CHECK(git_oid_equal(&now, &cur));
        sandbox_report_free(&rep);
        guard_free(g);
        free(hook);
        free(hooks);
        free(cfg);
        free(cfg_before);
        free(cfg_after);
    }
    free(slot_wt);
    free(core_wt);
    free(wtroot);
    repo_free(r);
    free(root);
}

typedef struct {
    char lines[16][200];
    int n;
} jp_capture;

static void jp_capture_fn(void *ctx, const char *gate, const char *state)
{
    jp_capture *c = ctx;
    if (c->n < 16)
        snprintf(c->lines[c->n++], sizeof c->lines[0], "%s|%s", gate, state);
}

static void test_jobprog(void)
{
    CHECK_CASE("jobprog: a line per job for the first three, then one summary per gate, throttled") {
        jp_capture cap = {0};
        executor_notify up = {.fn = jp_capture_fn, .ctx = &cap};
        jobprog *p = jobprog_new("formal", &up);
        const executor_notify *nf = jobprog_notifier(p);
        jobprog_begin(p, "pnr/seed1");
        nf->fn(nf->ctx, "pnr/seed1", "queued: Resources");
        nf->fn(nf->ctx, "pnr/seed1", "running on node1");
        CHECK_EQ_INT(cap.n, 2);
        CHECK(!strcmp(cap.lines[0], "pnr/seed1|queued: Resources") && !strcmp(cap.lines[1], "pnr/seed1|running on node1"));
        jobprog_begin(p, "b");
        jobprog_begin(p, "c");
        jobprog_end(p, "pnr/seed1");
        jobprog_begin(p, "d"); /* the fourth job: from now on, summaries */
        nf->fn(nf->ctx, "b", "running on node2");
        CHECK_EQ_INT(cap.n, 3);
        CHECK(!strcmp(cap.lines[2], "formal|4 jobs: 2 queued, 1 running on node2, 1 done"));
        nf->fn(nf->ctx, "c", "running on node2"); /* still some queued, within 5 s: not sent */
        CHECK_EQ_INT(cap.n, 3);
        nf->fn(nf->ctx, "d", "queued: Priority"); /* d was submitted, now queued: the count is unchanged */
        CHECK_EQ_INT(cap.n, 3);
        char *s = jobprog_summary(p);
        CHECK(s && !strcmp(s, "4 jobs: 1 queued (Priority), 2 running on node2, 1 done"));
        free(s);
        nf->fn(nf->ctx, "d", "running on node1"); /* nothing queued any more: sent at once */
        CHECK_EQ_INT(cap.n, 4);
        CHECK(!strcmp(cap.lines[3], "formal|4 jobs: 0 queued, 3 running on node2,node1, 1 done"));
        jobprog_free(p);
    }
}

static void test_strbuf(void)
{
    CHECK_CASE("strbuf: appends and formats") {
        strbuf b = {0};
        strbuf_add(&b, "a");
        strbuf_addf(&b, "%d-%s", 42, "x");
        strbuf_addn(&b, "yz!", 2);
        char *s = strbuf_take(&b);
        CHECK(s && strcmp(s, "a42-xyz") == 0);
        free(s);
        s = strbuf_take(&b);
        CHECK(s && *s == '\0');
        free(s);
    }
}

int main(void)
{
    git_libgit2_init();
    char tmpl[] = "/tmp/orch-units.XXXXXX";
    char *tmp = mkdtemp(tmpl);
    test_sandbox_paths();
    test_sandbox_hdl();
    test_records();
    test_records_topk();
    test_records_setters();
    test_safetext();
    test_accept_wiring();
    test_remeasure_records();
    test_workload_records();
    test_sched();
    if (tmp) {
        test_sandbox_trees(tmp);
        test_pipeline(tmp);
        test_gcache(tmp);
        test_pipeline_cache(tmp);
        test_agent(tmp);
        test_repo(tmp);
        fsx_remove_tree(tmp);
    } else {
        check_skip("pipeline/agent/repo", "cannot create a directory under /tmp");
    }
    test_strbuf();
    test_jobprog();
    git_libgit2_shutdown();
    return check_done();
}
