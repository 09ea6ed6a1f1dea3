/* Unit tests of tools/mutate: the SystemVerilog tokenizer and the mutants
 * found on its tokens (one edit each, the expected single-token change per
 * class, comments/strings/declarations untouched, seeded sampling). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/fsx.h"
#include "mutate/mutgen.h"
#include "mutate/mutrun.h"
#include "mutate/svtok.h"

static mut_sites sites_of(const char *src)
{
    mut_sites s = {0};
    if (mutgen_sites(src, strlen(src), &s) != 0)
        memset(&s, 0, sizeof s);
    return s;
}

/* The mutated text of the first site of class c, or NULL. */
static char *first_of(const char *src, mut_class c)
{
    mut_sites s = sites_of(src);
    char *out = NULL;
    for (size_t i = 0; i < s.n && !out; i++)
        if (s.v[i].cls == c)
            out = mutgen_apply(src, strlen(src), &s.v[i]);
    mutgen_sites_free(&s);
    return out;
}

static int count_of(const char *src, mut_class c)
{
    mut_sites s = sites_of(src);
    int n = 0;
    for (size_t i = 0; i < s.n; i++)
        n += s.v[i].cls == c;
    mutgen_sites_free(&s);
    return n;
}

static void expect(const char *src, mut_class c, const char *want)
{
    char *got = first_of(src, c);
    CHECK(got != NULL);
    if (got && strcmp(got, want) != 0) {
        char m[400];
        snprintf(m, sizeof m, "%s: got '%s', want '%s'", mutgen_class_name(c), got, want);
        check_fail(__FILE__, __LINE__, m);
    }
    free(got);
}

static void test_tokens(void)
{
    CHECK_CASE("svtok: numbers, strings, comments, operators") {
        const char *src = "x = 32'h0 + 4'b1x0z; // a + b\n/* c - d */ y <<<= \"a+b\" 'x '0 (* keep *) @(*) `define F a+b\n";
        svtok_list l;
        CHECK(svtok_scan(src, strlen(src), &l) == 0);
        const char *want[] = {"x", "=", "32'h0", "+", "4'b1x0z", ";", "y", "<<<=", "\"a+b\"", "'x", "'0",
                              "@", "(", "*", ")", "`define F a+b"};
        CHECK_EQ_INT(l.n, sizeof want / sizeof want[0]);
        for (size_t i = 0; i < l.n && i < sizeof want / sizeof want[0]; i++)
            CHECK(svtok_is(src, &l.t[i], want[i]));
        CHECK_EQ_INT(l.t[2].kind, SVT_NUMBER);
        CHECK_EQ_INT(l.t[8].kind, SVT_STRING);
        CHECK_EQ_INT(l.t[6].line, 2);
        svtok_free(&l);
    }
}

static void test_classes(void)
{
    CHECK_CASE("mutgen: one expected change per class") {
        expect("assign y = a + b;", MUT_ARITH, "assign y = a - b;");
        expect("assign y = a & b;", MUT_BITWISE, "assign y = a | b;");
        expect("assign y = a && b;", MUT_LOGICAL, "assign y = a || b;");
        expect("assign y = a == b;", MUT_RELATIONAL, "assign y = a != b;");
        expect("assign y = (a <= b);", MUT_RELATIONAL, "assign y = (a > b);");
        expect("assign y = a << 2;", MUT_SHIFT, "assign y = a >> 2;");
        expect("assign y = !a;", MUT_NEGATION, "assign y = a;");
        expect("assign y = 8'h3f;", MUT_CONSTANT, "assign y = 8'h3e;");
        expect("assign y = '0;", MUT_CONSTANT, "assign y = '1;");
        expect("assign y = a[5];", MUT_BITINDEX, "assign y = a[4];");
        expect("assign y = a[7:4];", MUT_BITINDEX, "assign y = a[6:3];");
        expect("always_ff @(posedge c) if (en) q <= d;", MUT_COND_INVERT, "always_ff @(posedge c) if (!(en)) q <= d;");
        expect("always_ff @(posedge c) if (en && !stall) q <= d;", MUT_ENABLE_DROP,
               "always_ff @(posedge c) if (1'b1) q <= d;");
        expect("always_ff @(posedge c) if (en && !stall) q <= d;", MUT_TERM_DROP,
               "always_ff @(posedge c) if (en ) q <= d;");
        expect("assign y = s ? a[3:0] : {b, c};", MUT_MUX_SWAP, "assign y = s ? {b, c} : a[3:0];");
    }
    CHECK_CASE("mutgen: a term is dropped only where the rest still parses") {
        CHECK_EQ_INT(count_of("assign y = a && b == c;", MUT_TERM_DROP), 0);
        CHECK_EQ_INT(count_of("assign y = a && b[2] && c;", MUT_TERM_DROP), 2);
    }
}

static void test_untouched(void)
{
    CHECK_CASE("mutgen: comments, strings, declarations, knobs and non-blocking <= untouched") {
        const char *src = "module m #(parameter int K = 3) (input logic [31:0] a, output logic [7:0] y);\n"
                          "  // y = a + 1 & b\n  /* x == 2 */\n  initial $display(\"a+b %d\", a + 1);\n"
                          "  logic [3:0] r [0:15];\n  always_ff @(posedge clk) r[0] <= a[3:0];\nendmodule\n";
        mut_sites s = sites_of(src);
        size_t comment = (size_t)(strstr(src, "// y") - src), decl_end = (size_t)(strstr(src, ");\n") - src);
        size_t disp = (size_t)(strstr(src, "initial") - src), disp_end = (size_t)(strstr(src, "  logic") - src);
        size_t rdecl = disp_end, rdecl_end = (size_t)(strstr(src, "  always_ff") - src);
        for (size_t i = 0; i < s.n; i++) {
            size_t o = s.v[i].off;
            CHECK(o > decl_end);                            /* the header: parameter and port types */
            CHECK(!(o >= comment && o < disp));             /* comments */
            CHECK(!(o >= disp && o < disp_end));            /* a system call and its string */
            CHECK(!(o >= rdecl && o < rdecl_end));          /* a declaration's dimensions */
            CHECK(s.v[i].cls != MUT_RELATIONAL);            /* the <= is an assignment */
        }
        CHECK(s.n > 0); /* r[0] and a[3:0] in the always_ff */
        mutgen_sites_free(&s);
    }
}

static void test_single_edit(void)
{
    CHECK_CASE("mutgen: every mutant is one contiguous edit, and changes the text") {
        const char *src = "module m(input logic a, b, c, input logic [3:0] d, output logic y, z);\n"
                          "  assign y = (a && !b) ? d[1] : (c | d[0]);\n"
                          "  always_comb begin z = 1'b0; if (a || (d == 4'd9)) z = ~c ^ b; end\nendmodule\n";
        mut_sites s = sites_of(src);
        CHECK(s.n >= 12);
        size_t len = strlen(src);
        for (size_t i = 0; i < s.n; i++) {
            char *m = mutgen_apply(src, len, &s.v[i]);
            CHECK(m && strcmp(m, src) != 0);
            /* the same prefix up to off, the same suffix after the edit */
            CHECK(m && strncmp(m, src, s.v[i].off) == 0);
            size_t tail = len - s.v[i].off - s.v[i].len;
            CHECK(m && strcmp(m + strlen(m) - tail, src + len - tail) == 0);
            free(m);
        }
        mutgen_sites_free(&s);
    }
    CHECK_CASE("mutgen: the diff shows the one line") {
        const char *src = "a\nassign y = p + q;\nb\n";
        mut_sites s = sites_of(src);
        CHECK(s.n == 1);
        char *d = s.n ? mutgen_diff("rtl/x.sv", src, strlen(src), &s.v[0]) : NULL;
        CHECK(d && strcmp(d, "--- a/rtl/x.sv\n+++ b/rtl/x.sv\n@@ -2,1 +2,1 @@\n-assign y = p + q;\n+assign y = p - q;\n") == 0);
        free(d);
        mutgen_sites_free(&s);
    }
}

static void test_sample(void)
{
    CHECK_CASE("mutgen: the sample is deterministic per seed, covers the classes, respects the cap") {
        const char *a = "assign y = a + b; assign z = c & d; assign w = e == f; assign v = g ? h : i;\n";
        const char *b = "assign y = a - b; assign z = c | d; assign w = !e; assign v = x[3];\n";
        mut_sites f[2] = {sites_of(a), sites_of(b)};
        mut_pick *p1 = NULL, *p2 = NULL, *p3 = NULL;
        int n1 = mutgen_sample(f, 2, 5, 7, &p1), n2 = mutgen_sample(f, 2, 5, 7, &p2);
        int n3 = mutgen_sample(f, 2, 0, 8, &p3);
        CHECK_EQ_INT(n1, 5);
        CHECK(n1 == n2 && memcmp(p1, p2, (size_t)n1 * sizeof *p1) == 0);
        CHECK_EQ_INT(n3, (int)(f[0].n + f[1].n));
        bool seen[MUT_NCLASS] = {false};
        int distinct = 0;
        for (int i = 0; i < n1; i++) {
            mut_class c = f[p1[i].file].v[p1[i].site].cls;
            distinct += !seen[c];
            seen[c] = true;
        }
        CHECK_EQ_INT(distinct, 5); /* five picks, five classes */
        free(p1);
        free(p2);
        free(p3);
        mutgen_sites_free(&f[0]);
        mutgen_sites_free(&f[1]);
    }
}

static void test_report_line(void)
{
    CHECK_CASE("mutrun: make report's line reads the newest mutate.json of the core") {
        char tmpl[] = "/tmp/test_mutate_XXXXXX";
        char *root = mkdtemp(tmpl);
        char *dir = root ? fsx_fmt("%s/runs/mutate/c-seed3", root) : NULL;
        char *path = dir ? fsx_fmt("%s/mutate.json", dir) : NULL;
        const char *j = "{\"seed\": 3, \"scored\": 4, \"score\": 75.0, \"mutants\": [{}, {}, {}, {}, {}],"
                        " \"counts\": {\"killed\": 3, \"killed_cosim\": 2, \"killed_formal\": 1, \"survived\": 1,"
                        " \"equivalent\": 1, \"stillborn\": 0, \"error\": 0}}";
        CHECK(path && fsx_mkdirs(dir, 0755) == 0 && fsx_write_atomic(path, j, strlen(j)) == 0);
        char *line = root ? mutrun_report_line(root, "c") : NULL;
        CHECK_STR_CONTAINS(line, "score: 75% (3 of 4 killed: cosim 2, formal 1); 1 survived, 1 equivalent");
        CHECK(root && mutrun_report_line(root, "other") == NULL);
        free(line);
        if (root)
            fsx_remove_tree(root);
        free(dir);
        free(path);
    }
}

int main(void)
{
    test_tokens();
    test_classes();
    test_untouched();
    test_single_edit();
    test_sample();
    test_report_line();
    return check_done();
}
