/* test_formal_table — the formal check table (tools/formal/ftable): the
 * project's formal/checks.tsv loads and says what the runner relies on, and a
 * malformed table is refused with the file and line named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "formal/ftable.h"
#include "lib/fsx.h"

static char tmpdir[64];

/* Loads a one-file table holding text; returns formal_table_load's result. */
static int load_text(const char *text, formal_table *t, char *err, size_t errlen)
{
    char *path = fsx_fmt("%s/checks.tsv", tmpdir);
    int rc = -1;
    if (path && fsx_write_atomic(path, text, strlen(text)) == 0)
        rc = formal_table_load(path, t, err, errlen);
    free(path);
    return rc;
}

/* 1 when a table holding only line is refused with an error that names
 * line 2 of the file and contains want. */
static int refused(const char *line, const char *want)
{
    char *text = fsx_fmt("# header\n%s\n", line);
    formal_table t;
    char err[512] = "";
    int rc = text ? load_text(text, &t, err, sizeof err) : 0;
    free(text);
    if (rc == 0) {
        formal_table_free(&t);
        printf("# accepted: %s\n", line);
        return 0;
    }
    if (!strstr(err, "checks.tsv:2:") || !strstr(err, want)) {
        printf("# error was: %s\n", err);
        return 0;
    }
    return 1;
}

static void test_project_table(void)
{
    formal_table t;
    char err[512];
    CHECK_CASE("formal table: formal/checks.tsv loads")
    {
        CHECK(formal_table_load("formal/checks.tsv", &t, err, sizeof err) == 0);
    }
    if (t.n == 0)
        return;
    CHECK_CASE("formal table: every fast check has a cover, except the idle check")
    {
        for (size_t i = 0; i < t.n; i++)
            if ((t.v[i].modes & FORMAL_FAST) && !t.v[i].idle && !t.v[i].cov[0])
                CHECK(!"a fast check without a cover could pass vacuously");
    }
    CHECK_CASE("formal table: the M checks are adaptive, the exact ones have their own netlists")
    {
        const formal_check *mul = formal_table_find(&t, "ch0_mul");
        const formal_check *div = formal_table_find(&t, "dp_ch0_div");
        CHECK(mul && mul->depth == 40 && mul->slack == 10 && !mul->params[0]);
        CHECK(div && div->engine == FORMAL_ENGINE_SWEEP &&
              strcmp(div->params, "EXACT_M=1,DEEP_ENV=1,DEEP_PROG=1") == 0);
        CHECK(div && div->slack == 0);
    }
    CHECK_CASE("formal table: exact M arithmetic is part of the gate (the fast suite)")
    {
        static const char *const exact[] = {"dp_ch0_mul", "dp_ch0_mulh", "dp_ch0_mulsu", "dp_ch0_div",
                                            "dp_ch1_mul", "dp_ch1_mulh", "dp_ch1_mulsu", "dp_ch1_div"};
        for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
            const formal_check *c = formal_table_find(&t, exact[i]);
            CHECK(c && (c->modes & FORMAL_FAST) && (c->modes & FORMAL_DEEP));
            CHECK(c && strstr(c->params, "EXACT_M=1") && c->timeout_s <= 900);
        }
    }
    CHECK_CASE("formal table: each netlist of channel-1 checks has an idle check")
    {
        for (size_t i = 0; i < t.n; i++) {
            if (t.v[i].chan != 1)
                continue;
            int found = 0;
            for (size_t k = 0; k < t.n; k++)
                found |= t.v[k].idle && (t.v[k].modes & t.v[i].modes) && strcmp(t.v[k].params, t.v[i].params) == 0;
            if (!found)
                printf("# %s has no idle check on its netlist\n", t.v[i].name);
            CHECK(found);
        }
    }
    formal_table_free(&t);
}

static void test_line_forms(void)
{
    formal_table t;
    char err[512];
    CHECK_CASE("formal table: a full line with an adaptive depth and params parses")
    {
        int rc = load_text("x_1 both 1 bad_a[3] cov_a[3] 30/+6 12.5 bmcs A=1,B_2=0 pre. the rest is text\n",
                           &t, err, sizeof err);
        CHECK(rc == 0);
        if (rc == 0) {
            const formal_check *c = &t.v[0];
            CHECK(t.n == 1 && strcmp(c->name, "x_1") == 0 && c->modes == (FORMAL_FAST | FORMAL_DEEP));
            CHECK(c->chan == 1 && !c->idle && c->depth == 30 && c->slack == 6 && c->timeout_s == 12.5);
            CHECK(c->engine == FORMAL_ENGINE_BMCS && strcmp(c->params, "A=1,B_2=0") == 0);
            CHECK(strcmp(c->bad, "bad_a[3]") == 0 && strcmp(c->replay, "pre.") == 0);
            CHECK(strcmp(c->desc, "the rest is text") == 0);
            formal_table_free(&t);
        }
    }
    CHECK_CASE("formal table: '+pdr' after the engine asks for the unbounded proof too")
    {
        int rc = load_text("a fast - bad_a cov_a 10 5 bmc+pdr - pa. d\nb fast - bad_b cov_b 10 5 bmcs - pb. d\n",
                           &t, err, sizeof err);
        CHECK(rc == 0);
        if (rc == 0) {
            CHECK(t.v[0].induct && t.v[0].engine == FORMAL_ENGINE_BMC);
            CHECK(!t.v[1].induct && t.v[1].engine == FORMAL_ENGINE_BMCS);
            formal_table_free(&t);
        }
    }
    CHECK_CASE("formal table: the order, PC and liveness checks try the unbounded proof")
    {
        int rc = formal_table_load("formal/checks.tsv", &t, err, sizeof err);
        CHECK(rc == 0);
        if (rc == 0) {
            for (const char *const *n = (const char *const[]){"order", "pc_bwd", "live", NULL}; *n; n++)
                CHECK(formal_table_find(&t, *n) && formal_table_find(&t, *n)->induct);
            formal_table_free(&t);
        }
    }
    CHECK_CASE("formal table: '-' means no cover, no params, no channel; idle marks the idle check")
    {
        int rc = load_text("a fast - bad_a - 10 5 bmc - pa. d\nb fast idle bad_b - 10 5 bmc - pb. d\n",
                           &t, err, sizeof err);
        CHECK(rc == 0);
        if (rc == 0) {
            CHECK(t.n == 2 && !t.v[0].cov[0] && !t.v[0].params[0] && t.v[0].chan == -1 && !t.v[0].idle);
            CHECK(t.v[1].idle && t.v[1].chan == -1 && t.v[0].slack == 0);
            formal_table_free(&t);
        }
    }
    CHECK_CASE("formal table: malformed lines are refused with file, line and reason")
    {
        CHECK(refused("a fast 0 bad_a cov_a 10 5 bmc -", "expected: name mode"));
        CHECK(refused("a-b fast 0 bad_a cov_a 10 5 bmc - p. d", "name may only"));
        CHECK(refused("a slow 0 bad_a cov_a 10 5 bmc - p. d", "mode must be"));
        CHECK(refused("a fast 2 bad_a cov_a 10 5 bmc - p. d", "chan must be"));
        CHECK(refused("a fast 0 bad_a cov_a 0 5 bmc - p. d", "depth must be"));
        CHECK(refused("a fast 0 bad_a cov_a 10x 5 bmc - p. d", "depth must be"));
        CHECK(refused("a fast 0 bad_a cov_a 40/+0 5 bmc - p. d", "adaptive depth"));
        CHECK(refused("a fast 0 bad_a cov_a 40/ 5 bmc - p. d", "adaptive depth"));
        CHECK(refused("a fast 0 bad_a cov_a 10 -1 bmc - p. d", "timeout must be"));
        CHECK(refused("a fast 0 bad_a cov_a 10 5 pdr - p. d", "engine must be"));
        CHECK(refused("a fast 0 bad_a cov_a 10 5 bmc+ind - p. d", "only be followed by +pdr"));
        CHECK(refused("a fast 0 bad_a cov_a 10 5 +pdr - p. d", "engine must be"));
        CHECK(refused("a fast 0 bad_a cov_a 10 5 bmc A=1;rm p. d", "params must"));
        CHECK(refused("a fast 0 bad_a cov_a 10 5 bmc A=$(x) p. d", "params must"));
    }
    CHECK_CASE("formal table: a duplicate name and an empty table are refused")
    {
        CHECK(load_text("a fast 0 b c 1 1 bmc - p. d\na fast 0 b c 1 1 bmc - p. d\n", &t, err, sizeof err) != 0);
        CHECK(strstr(err, ":2: duplicate check name") != NULL);
        CHECK(load_text("# nothing\n\n", &t, err, sizeof err) != 0 && strstr(err, "holds no checks"));
        CHECK(formal_table_load("/nonexistent/checks.tsv", &t, err, sizeof err) != 0);
        CHECK(strstr(err, "/nonexistent/checks.tsv") != NULL);
    }
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test-ftable.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        printf("FAIL formal table: cannot create a temporary directory\n");
        return 0;
    }
    test_project_table();
    test_line_forms();
    fsx_remove_tree(tmpdir);
    return check_done();
}
