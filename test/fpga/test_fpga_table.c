/* test_fpga_table — the fpga table's arithmetic and layout, no tools needed.
 * Expected numbers are worked out by hand from DESIGN.md §3:
 * fitness = Fmax x iterations / cycles x 1e6, CoreMark/MHz = iterations / cycles x 1e6. */
#include <stdlib.h>

#include "check.h"
#include "../../fpga/fpga_table.h"

/* Prints into a string (caller frees). */
static char *table_text(const json_t *synth, const json_t *pnr, const json_t *cosim)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fpga_table_print(synth, pnr, cosim, f);
    fclose(f);
    return buf;
}

static json_t *sample_pnr(void)
{
    return json_pack("{ss ss ss sf s[{sisbsfsf}{sisbsfsf}{sisbsnsfss}] sf sf sf sI sI"
                     " s{s{sIsI}s{sIsI}} ss sb}",
                     "status", "pass", "device", "hx8k", "package", "ct256", "clock_mhz", 50.0,
                     "seeds", "seed", 1, "routed", 1, "fmax_mhz", 48.25, "seconds", 61.0,
                     "seed", 2, "routed", 1, "fmax_mhz", 51.75, "seconds", 63.0,
                     "seed", 3, "routed", 0, "fmax_mhz", "seconds", 600.0, "cause", "timeout",
                     "fmax_mhz_median", 50.0, "seed_spread_pct", 7.0, "seconds", 130.0,
                     "lc_used", (json_int_t)5120, "lc_available", (json_int_t)7680,
                     "utilisation", "ICESTORM_LC", "used", (json_int_t)5120, "available",
                     (json_int_t)7680, "ICESTORM_RAM", "used", (json_int_t)4, "available",
                     (json_int_t)32, "nextpnr_version", "nextpnr-ice40 test", "cached", 0);
}

int main(void)
{
    json_t *synth = json_pack("{ss sf s{sIsIsIsIsI}}", "status", "pass", "seconds", 20.0, "cells",
                              "lut", (json_int_t)4000, "ff", (json_int_t)1500, "carry",
                              (json_int_t)300, "bram", (json_int_t)4, "dsp", (json_int_t)0);
    json_t *pnr = sample_pnr();
    CHECK_CASE("table_lists_seeds_median_and_resources") {
        char *t = table_text(synth, pnr, NULL);
        CHECK_STR_CONTAINS(t, "4000 LUT4, 1500 FF, 300 carry, 4 BRAM, 0 DSP");
        CHECK_STR_CONTAINS(t, "1      yes         48.25");
        CHECK_STR_CONTAINS(t, "2      yes         51.75");
        CHECK_STR_CONTAINS(t, "3      no              -     600.0   timeout");
        CHECK_STR_CONTAINS(t, "median Fmax   50.00 MHz   seed spread 7.0%");
        CHECK_STR_CONTAINS(t, "LCs           5120/7680 (66.7%)");
        CHECK_STR_CONTAINS(t, "FFs 1500   BRAMs 4/32   DSPs 0/0");
        CHECK(strstr(t, "fitness") == NULL); /* no cosim figures, no fitness */
        free(t);
    }
    CHECK_CASE("fitness_from_cosim_cycles_and_iterations") {
        /* 10 iterations in 2,000,000 cycles: 5 CoreMark/MHz; at 50 MHz, 250 it/s. */
        json_t *cosim = json_pack("{s{sIsI}}", "fitness", "cycles", (json_int_t)2000000,
                                  "iterations", (json_int_t)10);
        char *t = table_text(synth, pnr, cosim);
        CHECK_STR_CONTAINS(t, "CoreMark/MHz  5.0000");
        CHECK_STR_CONTAINS(t, "fitness       250.000 iterations/s at 50.00 MHz");
        free(t);
        json_decref(cosim);
    }
    CHECK_CASE("workload_found_at_top_level_and_absent_when_zero") {
        double c = 0, n = 0;
        json_t *top = json_pack("{sIsI}", "cycles", (json_int_t)400, "iterations", (json_int_t)2);
        CHECK_EQ_INT(fpga_table_workload(top, &c, &n), 1);
        CHECK(c == 400 && n == 2);
        json_t *zero = json_pack("{sIsI}", "cycles", (json_int_t)0, "iterations", (json_int_t)2);
        CHECK_EQ_INT(fpga_table_workload(zero, &c, &n), 0);
        json_decref(top);
        json_decref(zero);
    }
    CHECK_CASE("failed_pnr_shows_the_diagnostic") {
        json_t *bad = json_pack("{ss ss ss sf s[] ss}", "status", "fail", "device", "lp384",
                                "package", "qn32", "clock_mhz", 50.0, "seeds", "diagnostic",
                                "placement_failed: does not fit lp384: ICESTORM_LC 667/384 (174%)");
        char *t = table_text(synth, bad, NULL);
        CHECK_STR_CONTAINS(t, "pnr fail: placement_failed: does not fit lp384: ICESTORM_LC 667/384");
        CHECK(strstr(t, "median Fmax") == NULL);
        free(t);
        json_decref(bad);
    }
    json_decref(synth);
    json_decref(pnr);
    return check_done();
}
