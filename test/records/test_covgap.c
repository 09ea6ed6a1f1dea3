/* test_covgap — the changed-line computation (diff hunks -> line numbers of
 * the new side), the unexercised changed lines against a coverage summary,
 * and the coverage-file reader that makes that summary (cosim/covdat.h). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cosim/covdat.h"
#include "records/covgap.h"

/* The changed lines of new against old, as "1,4,5" (empty: none). */
static const char *changed(const char *old, const char *new_text, char *buf, size_t n)
{
    long *lines = NULL;
    long c = covgap_changed_lines(old, old ? strlen(old) : 0, new_text, strlen(new_text), &lines);
    buf[0] = '\0';
    if (c < 0)
        snprintf(buf, n, "error");
    for (long i = 0; i < c; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "%s%ld", i ? "," : "", lines[i]);
    }
    free(lines);
    return buf;
}

int main(void)
{
    char b[256];
    CHECK_CASE("covgap: identical texts change nothing") {
        CHECK(strcmp(changed("a\nb\nc\n", "a\nb\nc\n", b, sizeof b), "") == 0);
    }
    CHECK_CASE("covgap: a line added in the middle is that line") {
        CHECK(strcmp(changed("a\nb\nc\n", "a\nb\nX\nc\n", b, sizeof b), "3") == 0);
    }
    CHECK_CASE("covgap: a changed line is its new line number") {
        CHECK(strcmp(changed("a\nb\nc\nd\n", "a\nB\nc\nd\n", b, sizeof b), "2") == 0);
    }
    CHECK_CASE("covgap: deleted lines change nothing on the new side") {
        CHECK(strcmp(changed("a\nb\nc\nd\n", "a\nd\n", b, sizeof b), "") == 0);
    }
    CHECK_CASE("covgap: two hunks, line numbers shifted by the first") {
        /* hunk 1: +2 lines after a; hunk 2: e -> E */
        CHECK(strcmp(changed("a\nb\nc\nd\ne\nf\n", "a\nx\ny\nb\nc\nd\nE\nf\n", b, sizeof b), "2,3,7") == 0);
    }
    CHECK_CASE("covgap: a file the parent lacks is new in every line") {
        CHECK(strcmp(changed(NULL, "a\nb\nc", b, sizeof b), "1,2,3") == 0);
    }
    CHECK_CASE("covgap: a last line without a newline still counts") {
        CHECK(strcmp(changed("a\nb", "a\nc", b, sizeof b), "2") == 0);
    }
    CHECK_CASE("covgap: moved lines: one side of the move is changed") {
        CHECK(strcmp(changed("a\nb\nc\n", "c\na\nb\n", b, sizeof b), "1") == 0);
    }
    CHECK_CASE("covgap: repeated lines are matched, not all counted") {
        CHECK(strcmp(changed("end\nend\nend\n", "end\nx\nend\nend\n", b, sizeof b), "2") == 0);
    }

    /* A coverage file as the harness writes it: keys separated by \001/\002. */
    const char *dat =
        "# SystemC::Coverage-3\n"
        "C '\001f\002rtl/alu.sv\001l\00210\001n\0025\001page\002v_line/alu\001o\002block\001S\00210-11\001h\002core.u' 7\n"
        "C '\001f\002rtl/alu.sv\001l\00212\001n\0029\001page\002v_branch/alu\001o\002if\001S\00213-14\001h\002core.u' 0\n"
        "C '\001f\002rtl/alu.sv\001l\00212\001n\00210\001page\002v_branch/alu\001o\002else\001h\002core.u' 3\n"
        "C '\001f\002rtl/mul.sv\001l\0025\001n\0023\001page\002v_line/mul\001o\002case\001S\0025\001h\002core.m' 0\n";
    CHECK_CASE("covdat: points, lines and the never-exercised lines per file") {
        covdat *cd = covdat_new();
        CHECK(covdat_add(cd, dat, strlen(dat)) == 4);
        json_t *s = covdat_summary(cd, "line");
        CHECK(json_integer_value(json_object_get(s, "points")) == 4);
        CHECK(json_integer_value(json_object_get(s, "points_hit")) == 2);
        /* alu 10,11 hit; 12 hit (else); 13,14 not; mul 5 not */
        CHECK(json_integer_value(json_object_get(s, "lines")) == 6);
        CHECK(json_integer_value(json_object_get(s, "lines_hit")) == 3);
        char *t = json_dumps(json_object_get(s, "unexercised"), JSON_COMPACT | JSON_SORT_KEYS);
        CHECK(t && strcmp(t, "{\"alu.sv\":[13,14],\"mul.sv\":[5]}") == 0);
        free(t);
        json_decref(s);
        covdat_free(cd);
    }
    CHECK_CASE("covdat: a line is exercised only when every point standing for it counted") {
        /* a one-line if: its if point (S = the line) never counted, its implicit else did */
        const char *one =
            "C '\001f\002rtl/alu.sv\001l\00220\001n\0025\001page\002v_branch/alu\001o\002if\001S\00220\001h\002u' 0\n"
            "C '\001f\002rtl/alu.sv\001l\00220\001n\0026\001page\002v_branch/alu\001o\002else\001h\002u' 9\n"
            "C '\001f\002rtl/alu.sv\001l\00221\001n\0025\001page\002v_line/alu\001o\002block\001S\00221\001h\002u' 9\n";
        covdat *cd = covdat_new();
        CHECK(covdat_add(cd, one, strlen(one)) == 3);
        json_t *s = covdat_summary(cd, "line");
        char *t = json_dumps(json_object_get(s, "unexercised"), JSON_COMPACT);
        CHECK(t && strcmp(t, "{\"alu.sv\":[20]}") == 0);
        CHECK(json_integer_value(json_object_get(s, "lines_hit")) == 1);
        free(t);
        json_decref(s);
        covdat_free(cd);
    }
    CHECK_CASE("covdat: a second batch's counts add to the same points") {
        covdat *cd = covdat_new();
        const char *more = "C '\001f\002rtl/mul.sv\001l\0025\001n\0023\001page\002v_line/mul\001o\002case\001S\0025\001h\002core.m' 2\n";
        CHECK(covdat_add(cd, dat, strlen(dat)) == 4);
        CHECK(covdat_add(cd, more, strlen(more)) == 1);
        json_t *s = covdat_summary(cd, "line");
        CHECK(json_integer_value(json_object_get(s, "points")) == 4);
        CHECK(json_integer_value(json_object_get(s, "points_hit")) == 3);
        CHECK(!json_object_get(json_object_get(s, "unexercised"), "mul.sv"));
        json_decref(s);
        covdat_free(cd);
    }
    CHECK_CASE("covgap: only changed lines the coverage saw unexercised are listed, with their text") {
        covdat *cd = covdat_new();
        covdat_add(cd, dat, strlen(dat));
        json_t *cov = covdat_summary(cd, "line");
        const char *src = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n  x = 1;\nl11\nif (c)\n    y = \x1b 2;  \nl14\n";
        long lines[] = {2, 10, 13, 14};
        json_t *out = json_array();
        covgap_unexercised(cov, "alu.sv", lines, 4, src, strlen(src), out);
        CHECK(json_array_size(out) == 2);
        const json_t *u = json_array_get(out, 0);
        CHECK(strcmp(json_string_value(json_object_get(u, "file")), "rtl/alu.sv") == 0);
        CHECK(json_integer_value(json_object_get(u, "line")) == 13);
        CHECK(strcmp(json_string_value(json_object_get(u, "text")), "y = ? 2;") == 0);
        char *msg = covgap_message(out);
        CHECK_STR_CONTAINS(msg, "2 changed lines no cosim program exercised:");
        CHECK_STR_CONTAINS(msg, " rtl/alu.sv:13 `y = ? 2;`, rtl/alu.sv:14");
        free(msg);
        json_t *none = json_array();
        covgap_unexercised(cov, "mul.sv", lines, 4, src, strlen(src), none); /* mul.sv:5 not changed */
        CHECK(json_array_size(none) == 0);
        CHECK(covgap_message(none) == NULL);
        json_decref(none);
        json_decref(out);
        json_decref(cov);
        covdat_free(cd);
    }
    return check_done();
}
