/* test_fitset — fitness over a workload set (tools/gates/fitset.h) and the
 * coremark gate that scores it: set names, the default set, the geometric
 * mean, per-workload scores, and a workload whose self-check failed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gates/fitset.h"
#include "gates/gate.h"

static void test_parse(void)
{
    fitset s;
    char err[400];
    CHECK_CASE("fitset: a set name is its members joined by '+', in order")
    {
        CHECK(fitset_parse("workload+vm", &s, err, sizeof err) == 0);
        CHECK(s.n == 2 && strcmp(s.name[0], "workload") == 0 && strcmp(s.name[1], "vm") == 0);
        CHECK(fitset_has(&s, "vm") && !fitset_has(&s, "coremark"));
        CHECK(fitset_parse("coremark", &s, err, sizeof err) == 0 && s.n == 1); /* a log from before sets */
        CHECK(fitset_parse("coremark+workload+vm", &s, err, sizeof err) == 0 && s.n == 3);
        CHECK(strcmp(fitset_program("vm"), "vm.elf") == 0 && strcmp(fitset_program("coremark"), "coremark.elf") == 0);
    }
    CHECK_CASE("fitset: unknown, repeated and empty members are refused, saying what to use")
    {
        CHECK(fitset_parse("workload+dhrystone", &s, err, sizeof err) == -1);
        CHECK_STR_CONTAINS(err, "'dhrystone' is not a workload (use coremark, workload or vm");
        CHECK(fitset_parse("vm+vm", &s, err, sizeof err) == -1);
        CHECK_STR_CONTAINS(err, "vm is named twice");
        CHECK(fitset_parse("workload+", &s, err, sizeof err) == -1);
        CHECK(fitset_parse("", &s, err, sizeof err) == -1);
        CHECK(fitset_parse("workloadworkloadworkload", &s, err, sizeof err) == -1);
    }
    CHECK_CASE("fitset: the default set is the primary workload and vm; WORKLOADS overrides it")
    {
        unsetenv("WORKLOADS");
        unsetenv("COREMARK_DIR");
        CHECK(strcmp(fitset_default(), "workload+vm") == 0);
        CHECK(strcmp(gate_workload(), "workload+vm") == 0);
        setenv("COREMARK_DIR", "/x/coremark", 1);
        CHECK(strcmp(gate_workload(), "coremark+vm") == 0);
        setenv("WORKLOADS", "coremark", 1);
        CHECK(strcmp(gate_workload(), "coremark") == 0);
        setenv("WORKLOADS", "", 1); /* empty: the default */
        CHECK(strcmp(gate_workload(), "coremark+vm") == 0);
        unsetenv("WORKLOADS");
        unsetenv("COREMARK_DIR");
    }
}

static void test_geomean(void)
{
    CHECK_CASE("fitset_geomean: the geometric mean; nothing for an empty or non-positive list")
    {
        double a[] = {4, 9};
        CHECK(fabs(fitset_geomean(a, 2) - 6) < 1e-12);
        double b[] = {2, 8, 4};
        CHECK(fabs(fitset_geomean(b, 3) - 4) < 1e-12);
        double one[] = {17.5};
        CHECK(fabs(fitset_geomean(one, 1) - 17.5) < 1e-12);
        double z[] = {3, 0};
        CHECK(isnan(fitset_geomean(z, 2)));
        double neg[] = {3, -1};
        CHECK(isnan(fitset_geomean(neg, 2)));
        double inf[] = {3, INFINITY};
        CHECK(isnan(fitset_geomean(inf, 2)));
        CHECK(isnan(fitset_geomean(a, 0)));
    }
    CHECK_CASE("fitset_geomean: a 10% gain on one member and a 10% loss on the other is not a win")
    {
        double before[] = {100, 50}, after[] = {110, 45};
        CHECK(fitset_geomean(after, 2) < fitset_geomean(before, 2));
    }
}

static void test_score(void)
{
    fitset s;
    char err[400];
    fitset_parse("workload+vm", &s, err, sizeof err);
    CHECK_CASE("fitset_score: per member figures and their geometric means, fitness = Fmax x per MHz")
    {
        json_t *runs = json_pack("{s:{s:I,s:I},s:{s:I,s:I}}", "workload", "cycles", (json_int_t)4000000, "iterations",
                                 (json_int_t)60, "vm", "cycles", (json_int_t)5000000, "iterations", (json_int_t)4);
        json_t *r = fitset_score(&s, runs, 30.0, err, sizeof err);
        CHECK(r != NULL);
        if (r) {
            const json_t *ws = json_object_get(r, "workloads");
            double pw = 60.0 / 4e6 * 1e6, pv = 4.0 / 5e6 * 1e6;
            CHECK(fabs(json_number_value(json_object_get(json_object_get(ws, "workload"), "per_mhz")) - pw) < 1e-9);
            CHECK(fabs(json_number_value(json_object_get(json_object_get(ws, "vm"), "fitness")) - 30 * pv) < 1e-9);
            CHECK(fabs(json_number_value(json_object_get(r, "fitness")) - 30 * sqrt(pw * pv)) < 1e-9);
            CHECK(fabs(json_number_value(json_object_get(r, "coremark_per_mhz")) - sqrt(pw * pv)) < 1e-9);
        }
        json_decref(r);
        json_decref(runs);
    }
    CHECK_CASE("fitset_score: a member without a bracketed count is named")
    {
        json_t *runs = json_pack("{s:{s:I,s:I}}", "workload", "cycles", (json_int_t)4000000, "iterations", (json_int_t)60);
        CHECK(fitset_score(&s, runs, 30.0, err, sizeof err) == NULL);
        CHECK_STR_CONTAINS(err, "workload vm has no bracketed cycle and iteration count");
        json_decref(runs);
    }
}

/* A cosim result as the gate writes it for the set workload+vm. */
static json_t *cosim_result(const char *vm_output, bool vm_validated)
{
    return json_pack("{s:s,s:b,s:{s:s,s:I,s:I,s:{s:{s:I,s:I,s:b,s:s},s:{s:I,s:I,s:b,s:s}}}}", "gate", "cosim", "pass", 1,
                     "fitness", "workload", "workload+vm", "cycles", (json_int_t)4000000, "iterations", (json_int_t)60,
                     "workloads", "workload", "cycles", (json_int_t)4000000, "iterations", (json_int_t)60, "validated", 1,
                     "output", "iterations: 60\nworkload: checksums OK\n", "vm", "cycles", (json_int_t)5000000,
                     "iterations", (json_int_t)4, "validated", vm_validated, "output", vm_output);
}

static json_t *run_coremark(json_t *cosim)
{
    json_t *prior = json_pack("{s:o,s:{s:s,s:b,s:f}}", "cosim", cosim, "pnr", "gate", "pnr", "pass", 1,
                              "fmax_mhz_median", 30.0);
    gate_ctx ctx = {.tree = ".", .core = "x", .harness = ".", .build = "build", .rundir = "/tmp", .prior = prior,
                    .jobs = 1};
    json_t *r = gate_coremark(&ctx);
    json_decref(prior);
    return r;
}

static void test_gate(void)
{
    unsetenv("COREMARK_DIR");
    unsetenv("WORKLOADS");
    CHECK_CASE("coremark gate: scores every workload of the set, fitness their geometric mean")
    {
        json_t *r = run_coremark(cosim_result("iterations: 4\nvm: checksums OK\n", true));
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "pass") == 0);
        double pw = 15.0, pv = 0.8;
        CHECK(fabs(json_number_value(json_object_get(r, "fitness")) - 30 * sqrt(pw * pv)) < 1e-9);
        CHECK(strcmp(json_string_value(json_object_get(r, "workload")), "workload+vm") == 0);
        CHECK_EQ_INT(json_integer_value(json_object_get(r, "cycles")), 4000000); /* the primary's */
        CHECK(json_object_size(json_object_get(r, "workloads")) == 2);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "diagnostic")), "geometric mean over workload+vm");
        json_decref(r);
    }
    CHECK_CASE("coremark gate: a workload whose self-check failed fails the gate, naming it")
    {
        json_t *r = run_coremark(cosim_result("iterations: 4\ncrc : 0x1  MISMATCH, expected 0x0cafafd6\n"
                                              "vm: checksum mismatch: the core or the compiler computes wrongly\n", false));
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "fail") == 0);
        CHECK(!json_is_true(json_object_get(r, "pass")));
        CHECK(json_object_get(r, "fitness") == NULL);
        const char *d = json_string_value(json_object_get(r, "diagnostic"));
        CHECK_STR_CONTAINS(d, "the vm output does not validate (its self-check failed");
        CHECK_STR_CONTAINS(d, "so this core is not measured): vm did not print");
        CHECK_STR_CONTAINS(d, "it printed a checksum mismatch");
        json_decref(r);
        /* validated by the harness but the text says otherwise: still a failure */
        r = run_coremark(cosim_result("iterations: 4\n", true));
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "fail") == 0);
        json_decref(r);
    }
    CHECK_CASE("coremark gate: a cosim run of another workload set is not scored")
    {
        setenv("WORKLOADS", "workload", 1);
        json_t *r = run_coremark(cosim_result("iterations: 4\nvm: checksums OK\n", true));
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "error") == 0);
        CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "diagnostic")),
                           "measured 'workload+vm' but the workload set workload is expected");
        json_decref(r);
        unsetenv("WORKLOADS");
    }
    CHECK_CASE("coremark gate: one workload as measured before sets (no workloads object) still scores")
    {
        setenv("WORKLOADS", "workload", 1);
        json_t *cosim = json_pack("{s:s,s:b,s:{s:s,s:I,s:I,s:b,s:s}}", "gate", "cosim", "pass", 1, "fitness",
                                  "workload", "workload", "cycles", (json_int_t)4000000, "iterations", (json_int_t)60,
                                  "validated", 1, "output", "iterations: 60\nworkload: checksums OK\n");
        json_t *r = run_coremark(cosim);
        CHECK(strcmp(json_string_value(json_object_get(r, "status")), "pass") == 0);
        CHECK(fabs(json_number_value(json_object_get(r, "fitness")) - 30 * 15.0) < 1e-9);
        json_decref(r);
        unsetenv("WORKLOADS");
    }
}

int main(void)
{
    test_parse();
    test_geomean();
    test_score();
    test_gate();
    return check_done();
}
