/* test_accept — the accept rule (DESIGN.md §4): the four worked examples,
 * scores computed by hand, margin edges, each branch of rule 2, and the
 * round-winner tie-breaks. */
#include <math.h>

#include "accept/accept.h"
#include "check.h"

static accept_design D(double perf, double lut)
{
    accept_design d = {perf, lut};
    return d;
}

static bool near(double a, double b)
{
    return fabs(a - b) < 1e-12;
}

int main(void)
{
    const accept_targets both = {300, 3000, 0};
    const accept_targets perf_only = {300, 0, 0};
    const accept_targets lut_only = {0, 3000, 0};
    const accept_targets none = {0, 0, 0};
    char why[256];

    /* §5a worked examples, COREMARK=300, LUT=3000. */
    CHECK_CASE("accept example 1: (200,5000) -> (290,5500) accept") {
        /* -1/3 - 2/3 = -1  ->  -1/30 - 5/6 = -0.8667 */
        CHECK(near(accept_score(&both, D(200, 5000)), -1.0));
        CHECK(near(accept_score(&both, D(290, 5500)), -10.0 / 300 - 2500.0 / 3000));
        CHECK(accept_beats(&both, D(200, 5000), D(290, 5500), why, sizeof why));
        CHECK_STR_CONTAINS(why, "accept: closer to the targets");
    }
    CHECK_CASE("accept example 2: (330,3300) -> (600,4000) reject") {
        CHECK(near(accept_score(&both, D(330, 3300)), -0.1));
        CHECK(near(accept_score(&both, D(600, 4000)), -1000.0 / 3000));
        CHECK(!accept_beats(&both, D(330, 3300), D(600, 4000), why, sizeof why));
        CHECK_STR_CONTAINS(why, "reject: not closer");
    }
    CHECK_CASE("accept example 3: (310,3300) -> (290,3000) accept") {
        CHECK(near(accept_score(&both, D(290, 3000)), -10.0 / 300));
        CHECK(accept_beats(&both, D(310, 3300), D(290, 3000), why, sizeof why));
    }
    CHECK_CASE("accept example 4: (320,2900) -> (340,2950) reject (not Pareto)") {
        CHECK(accept_score(&both, D(320, 2900)) == 0);
        CHECK(accept_score(&both, D(340, 2950)) == 0);
        CHECK(!accept_beats(&both, D(320, 2900), D(340, 2950), why, sizeof why));
        CHECK_STR_CONTAINS(why, "Pareto");
    }

    CHECK_CASE("accept both targets met: strict Pareto improvements only") {
        CHECK(accept_beats(&both, D(320, 2900), D(340, 2900), NULL, 0));  /* perf up, lut same */
        CHECK(accept_beats(&both, D(320, 2900), D(320, 2800), NULL, 0));  /* lut down, perf same */
        CHECK(accept_beats(&both, D(320, 2900), D(330, 2800), NULL, 0));  /* both better */
        CHECK(!accept_beats(&both, D(320, 2900), D(320, 2900), NULL, 0)); /* identical */
        CHECK(!accept_beats(&both, D(320, 2900), D(310, 2000), NULL, 0)); /* trade-off */
    }
    CHECK_CASE("accept only COREMARK met by both: higher perf wins, LUTs ignored") {
        CHECK(accept_beats(&perf_only, D(310, 1000), D(311, 9000), NULL, 0));
        CHECK(!accept_beats(&perf_only, D(310, 1000), D(310, 900), NULL, 0));
        /* no margin in target mode: 0.1% better is enough */
        CHECK(accept_beats(&perf_only, D(1000, 1000), D(1001, 1000), NULL, 0));
    }
    CHECK_CASE("accept only LUT met by both: fewer LUTs wins, perf ignored") {
        CHECK(accept_beats(&lut_only, D(100, 2900), D(50, 2899), NULL, 0));
        CHECK(!accept_beats(&lut_only, D(100, 2900), D(900, 2900), NULL, 0));
    }
    CHECK_CASE("accept COREMARK only, below target: the closer design wins") {
        CHECK(near(accept_score(&perf_only, D(150, 0)), -0.5));
        CHECK(accept_beats(&perf_only, D(150, 100), D(151, 9999), NULL, 0));
        CHECK(!accept_beats(&perf_only, D(150, 100), D(149, 10), NULL, 0));
        /* reaching the target from below is an improvement */
        CHECK(accept_beats(&perf_only, D(299, 100), D(300, 100), NULL, 0));
    }
    CHECK_CASE("accept target met by champion, missed by candidate: reject") {
        CHECK(!accept_beats(&both, D(300, 3000), D(1000, 3001), NULL, 0));
        CHECK(!accept_beats(&lut_only, D(10, 3000), D(10, 3001), NULL, 0));
    }

    CHECK_CASE("accept no targets: default margin is ACCEPT_DEFAULT_MARGIN") {
        CHECK(near(accept_margin(&none), ACCEPT_DEFAULT_MARGIN));
        CHECK(near(accept_margin(NULL), ACCEPT_DEFAULT_MARGIN));
        CHECK(accept_score(&none, D(1, 1)) == 0);
    }
    CHECK_CASE("accept no targets: margin edges (1000 -> bar 1030 at the default 3%)") {
        CHECK(near(ACCEPT_DEFAULT_MARGIN, 0.03));
        CHECK(!accept_beats(&none, D(1000, 5000), D(1030, 100), why, sizeof why)); /* equal: not > */
        CHECK_STR_CONTAINS(why, "reject");
        CHECK(accept_beats(&none, D(1000, 5000), D(1030.001, 9000), why, sizeof why));
        CHECK_STR_CONTAINS(why, "accept");
        CHECK(!accept_beats(&none, D(1000, 5000), D(1020, 100), NULL, 0)); /* within noise */
        CHECK(!accept_beats(NULL, D(1000, 5000), D(1030, 100), NULL, 0));
        CHECK(accept_beats(NULL, D(1000, 5000), D(1031, 100), NULL, 0));
    }
    CHECK_CASE("accept no targets: configured and disabled margins") {
        accept_targets m10 = {0, 0, 0.10};
        CHECK(!accept_beats(&m10, D(1000, 1), D(1099, 1), NULL, 0));
        CHECK(accept_beats(&m10, D(1000, 1), D(1100.5, 1), NULL, 0));
        accept_targets m0 = {0, 0, ACCEPT_MARGIN_NONE};
        CHECK(near(accept_margin(&m0), 0));
        CHECK(accept_beats(&m0, D(1000, 1), D(1000.001, 1), NULL, 0));
        CHECK(!accept_beats(&m0, D(1000, 1), D(1000, 1), NULL, 0));
    }
    CHECK_CASE("accept invalid candidate figures never win") {
        CHECK(!accept_beats(&none, D(1000, 1), D(NAN, 1), why, sizeof why));
        CHECK_STR_CONTAINS(why, "not valid");
        CHECK(!accept_beats(&none, D(1000, 1), D(INFINITY, 1), NULL, 0));
        CHECK(!accept_beats(&both, D(100, 5000), D(400, NAN), NULL, 0));
        CHECK(!accept_beats(&both, D(100, 5000), D(400, -1), NULL, 0));
    }

    CHECK_CASE("accept pick: none beats the champion -> -1") {
        accept_design c[] = {D(1000, 10), D(1010, 5)};
        CHECK_EQ_INT(accept_pick(&none, D(1000, 10), c, 2), -1);
        CHECK_EQ_INT(accept_pick(&none, D(1000, 10), c, 0), -1);
    }
    CHECK_CASE("accept pick: highest perf among those that beat the champion") {
        accept_design c[] = {D(1100, 10), D(900, 1), D(1300, 99), D(1200, 5)};
        CHECK_EQ_INT(accept_pick(&none, D(1000, 10), c, 4), 2);
    }
    CHECK_CASE("accept pick: equal perf -> fewer LUTs") {
        accept_design c[] = {D(1200, 50), D(1200, 40), D(1200, 45)};
        CHECK_EQ_INT(accept_pick(&none, D(1000, 10), c, 3), 1);
    }
    CHECK_CASE("accept pick: equal perf and LUTs -> lower slot") {
        accept_design c[] = {D(900, 1), D(1200, 40), D(1200, 40)};
        CHECK_EQ_INT(accept_pick(&none, D(1000, 10), c, 3), 1);
    }
    CHECK_CASE("accept pick: only accepted candidates compete (targets)") {
        /* champion (200,5000) score -1.0; the 600-perf slot scores -1.333 and is
         * not accepted, so the 290-perf slot wins despite lower perf. */
        accept_design c[] = {D(600, 7000), D(290, 5500), D(250, 5000)};
        CHECK_EQ_INT(accept_pick(&both, D(200, 5000), c, 3), 1);
    }
    return check_done();
}
