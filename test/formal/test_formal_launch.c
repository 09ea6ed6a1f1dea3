/* test_formal_launch — the formal runner (tools/formal/frun.h) with a
 * launcher (lib/proc.h), on stand-in yosys and yosys-abc scripts: every tool
 * run goes through the launcher named after its part; the verdict equals the
 * local run's; a failed check cancels the proofs still running; a run the
 * launcher could not start makes the result infrastructure, never a verdict.
 * The stand-in ABC reaches every cover at frame 3 and proves every property
 * unless FAKE_ABC_CEX names its output; FAKE_ABC_SLOW outputs take 20 s. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "formal/frun.h"
#include "lib/fsx.h"
#include "lib/proc.h"

static char tmp[64];

static const char FAKE_YOSYS[] =
    "#!/bin/sh\n"
    "if [ \"$1\" = -s ]; then\n"
    "  dir=$(sed -n 's/^write_aiger -zinit -map \\(.*\\)\\/all.aim .*/\\1/p' \"$2\")\n"
    "  printf 'output 0 0 bad_a\\noutput 1 0 cov_a\\noutput 2 0 bad_b\\noutput 3 0 cov_b\\n' > \"$dir/all.aim\"\n"
    "  : > \"$dir/all.aig\"; : > \"$dir/shared.il\"\n"
    "  echo '{\"modules\":{\"formal_top\":{\"ports\":{}}}}' > \"$dir/ports.json\"\n"
    "fi\n"
    "exit 0\n";

static const char FAKE_ABC[] =
    "#!/bin/sh\n"
    "out=$(echo \"$2\" | sed -n 's/.*cone -O \\([0-9]*\\).*/\\1/p')\n"
    "depth=$(echo \"$2\" | sed -n 's/.* -F \\([0-9]*\\).*/\\1/p')\n"
    "aiw=$(echo \"$2\" | sed -n 's/.*write_cex -a \\([^ ;]*\\).*/\\1/p')\n"
    "case \" $FAKE_ABC_SLOW \" in *\" $out \"*) sleep 20;; esac\n"
    "case \" 1 3 $FAKE_ABC_CEX \" in *\" $out \"*)\n"
    "  echo 'Output 0 of miter \"m\" was asserted in frame 3.'; printf '0\\n1\\n1\\n1\\n' > \"$aiw\"; exit 0;; esac\n"
    "echo \"No output asserted in $depth frames.\"\n";

static const char TABLE[] =
    "# two checks, each a property and a cover\n"
    "a fast 0 bad_a cov_a 8 30 bmc - ch0.a. check a\n"
    "b fast 0 bad_b cov_b 8 30 bmc - ch0.b. check b\n";

/* A launcher that runs the tool here, records each label, and refuses one. */
typedef struct {
    pthread_mutex_t mu;
    char seen[1024];
    const char *refuse;
} test_launcher;

static int tl_run(void *data, const char *label, const proc_spec *spec, proc_result *res, char *why, size_t n)
{
    test_launcher *t = data;
    pthread_mutex_lock(&t->mu);
    size_t used = strlen(t->seen);
    snprintf(t->seen + used, sizeof t->seen - used, " %s", label);
    pthread_mutex_unlock(&t->mu);
    if (t->refuse && strcmp(label, t->refuse) == 0) {
        snprintf(why, n, "its Slurm job x-%s: the job waited 3 s for nodes that cannot run it, twice", label);
        return -1;
    }
    proc_run(spec, res);
    return 0;
}

static int write_file(const char *path, const char *text, mode_t mode)
{
    return fsx_write_atomic(path, text, strlen(text)) == 0 && chmod(path, mode) == 0 ? 0 : -1;
}

static int setup(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/test_formal_launch.XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    char *bin = fsx_fmt("%s/bin", tmp), *fdir = fsx_fmt("%s/formal", tmp), *rtl = fsx_fmt("%s/rtl", tmp);
    char *y = fsx_fmt("%s/yosys", bin), *abc = fsx_fmt("%s/yosys-abc", bin), *tsv = fsx_fmt("%s/checks.tsv", fdir);
    char *top = fsx_fmt("%s/formal_top.sv", fdir), *core = fsx_fmt("%s/core.sv", rtl);
    char *path = fsx_fmt("%s:%s", bin, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    int rc = bin && fdir && rtl && y && abc && tsv && top && core && path && fsx_mkdirs(bin, 0755) == 0 &&
                     fsx_mkdirs(fdir, 0755) == 0 && fsx_mkdirs(rtl, 0755) == 0 &&
                     write_file(y, FAKE_YOSYS, 0755) == 0 && write_file(abc, FAKE_ABC, 0755) == 0 &&
                     write_file(tsv, TABLE, 0644) == 0 && write_file(top, "module formal_top; endmodule\n", 0644) == 0 &&
                     write_file(core, "module core; endmodule\n", 0644) == 0 && setenv("PATH", path, 1) == 0
                 ? 0 : -1;
    free(bin), free(fdir), free(rtl), free(y), free(abc), free(tsv), free(top), free(core), free(path);
    return rc;
}

/* One formal run in a fresh work directory (launcher may be NULL). */
static json_t *run(const char *name, const proc_launcher *launcher)
{
    char *work = fsx_fmt("%s/%s", tmp, name), *log = fsx_fmt("%s/%s.log", tmp, name);
    char *rtl = fsx_fmt("%s/rtl", tmp);
    proc_group g;
    proc_group_init(&g);
    formal_opts o = {.harness = tmp, .rtl_dir = rtl, .workdir = work, .log_path = log, .jobs = 4,
                     .group = &g, .launcher = launcher};
    json_t *r = work && log && rtl ? formal_run(&o) : NULL;
    free(work), free(log), free(rtl);
    return r;
}

static const char *status_of(const json_t *r) { return json_string_value(json_object_get(r, "status")); }

/* The status of check name in r, or "". */
static const char *check_status(const json_t *r, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "checks"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
            return json_string_value(json_object_get(c, "status"));
    return "";
}

/* The parts of a result that judge the design: status, counts, and each
 * check's name, status and detail. */
static char *verdict(const json_t *r)
{
    json_t *v = json_pack("{s:O?, s:O?, s:[]}", "status", json_object_get(r, "status"), "counts",
                          json_object_get(r, "counts"), "checks");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "checks"), i, c)
        json_array_append_new(json_object_get(v, "checks"),
                              json_pack("{s:O, s:O, s:O}", "name", json_object_get(c, "name"), "status",
                                        json_object_get(c, "status"), "detail", json_object_get(c, "detail")));
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(v);
    return s;
}

static void test_same_as_local(void)
{
    test_launcher tl = {.mu = PTHREAD_MUTEX_INITIALIZER};
    proc_launcher l = {.run = tl_run, .data = &tl};
    json_t *local = run("local", NULL), *launched = run("launched", &l);
    CHECK_CASE("formal launch: every tool run goes through the launcher, named after its part")
    {
        static const char *const want[] = {" prep", " a.cover", " b.cover", " a", " b"};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            char pat[32];
            snprintf(pat, sizeof pat, "%s ", want[i]);
            char padded[1100];
            snprintf(padded, sizeof padded, "%s ", tl.seen);
            if (!strstr(padded, pat))
                printf("# launched: %s\n", tl.seen);
            CHECK(strstr(padded, pat) != NULL);
        }
    }
    CHECK_CASE("formal launch: a passing run's verdict, counts and checks equal the local run's")
    {
        char *a = verdict(local), *b = verdict(launched);
        CHECK(a && b && strcmp(a, b) == 0);
        CHECK(status_of(local) && strcmp(status_of(local), "pass") == 0);
        if (a && b && strcmp(a, b) != 0)
            printf("# local:    %s\n# launched: %s\n", a, b);
        free(a), free(b);
    }
    json_decref(local);
    json_decref(launched);
}

static void test_failure_cancels(void)
{
    setenv("FAKE_ABC_CEX", "0", 1);
    json_t *local = run("local-fail", NULL);
    setenv("FAKE_ABC_SLOW", "2", 1);
    test_launcher tl = {.mu = PTHREAD_MUTEX_INITIALIZER};
    proc_launcher l = {.run = tl_run, .data = &tl};
    double t0 = proc_now();
    json_t *launched = run("launched-fail", &l);
    double took = proc_now() - t0;
    unsetenv("FAKE_ABC_SLOW");
    unsetenv("FAKE_ABC_CEX");
    CHECK_CASE("formal launch: locally a failed check cancels nothing")
    {
        CHECK(strcmp(status_of(local), "fail") == 0);
        CHECK(strcmp(check_status(local, "a"), "fail") == 0 && strcmp(check_status(local, "b"), "pass") == 0);
        CHECK(json_object_get(json_object_get(local, "counts"), "cancelled") == NULL);
    }
    CHECK_CASE("formal launch: a failed check cancels the proofs still running, the verdict stands")
    {
        CHECK(status_of(launched) && strcmp(status_of(launched), "fail") == 0);
        CHECK(strcmp(check_status(launched, "a"), "fail") == 0);
        CHECK(strcmp(check_status(launched, "b"), "cancelled") == 0);
        CHECK(json_integer_value(json_object_get(json_object_get(launched, "counts"), "cancelled")) == 1);
        CHECK(took < 15);
        const char *diag = json_string_value(json_object_get(launched, "diagnostic"));
        CHECK(diag && strncmp(diag, "a fail: ", 8) == 0);
        if (took >= 15 || !diag || strncmp(diag, "a fail: ", 8) != 0)
            printf("# %.1f s; diagnostic: %s\n", took, diag ? diag : "(none)");
    }
    CHECK_CASE("formal launch: the failed check's counterexample is replayed through the launcher")
    {
        CHECK(strstr(tl.seen, " a.replay") != NULL);
    }
    json_decref(local);
    json_decref(launched);
}

static void test_infrastructure(void)
{
    static const char *const refuse[] = {"b.cover", "prep"};
    /* the case names outlive the loop (check.h keeps the pointer) */
    static const char *const cases[] = {"formal launch: a proof job that could not run makes the result infrastructure",
                                        "formal launch: a netlist preparation job that could not run makes the "
                                        "result infrastructure"};
    for (size_t i = 0; i < 2; i++) {
        test_launcher tl = {.mu = PTHREAD_MUTEX_INITIALIZER, .refuse = refuse[i]};
        proc_launcher l = {.run = tl_run, .data = &tl};
        char name[32];
        snprintf(name, sizeof name, "infra%zu", i);
        json_t *r = run(name, &l);
        CHECK_CASE(cases[i])
        {
            const char *diag = json_string_value(json_object_get(r, "diagnostic"));
            CHECK(status_of(r) && strcmp(status_of(r), "error") == 0);
            CHECK(json_is_true(json_object_get(r, "infrastructure")));
            CHECK(diag && strncmp(diag, "infrastructure: ", 16) == 0 && strstr(diag, refuse[i]));
            if (!diag || strncmp(diag, "infrastructure: ", 16) != 0)
                printf("# diagnostic: %s\n", diag ? diag : "(none)");
        }
        json_decref(r);
    }
}

int main(void)
{
    CHECK_CASE("formal launch: stand-in tools and check table")
    {
        CHECK(setup() == 0);
    }
    if (!tmp[0])
        return check_done();
    test_same_as_local();
    test_failure_cancels();
    test_infrastructure();
    char *rm = fsx_fmt("rm -rf %s", tmp);
    if (rm && system(rm) != 0) { /* a leftover temp dir is harmless */ }
    free(rm);
    return check_done();
}
