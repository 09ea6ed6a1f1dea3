/* test_netstat — the synth gate's cells by instance (gates/netstat.h) on a
 * small flattened netlist: paths with generate blocks, Yosys's own "$"
 * names that hold dots, cells outside the core, hostile instance names. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gates/netstat.h"

static const json_t *find(const json_t *by, const char *inst)
{
    size_t i;
    const json_t *v;
    json_array_foreach(by, i, v) if (strcmp(json_string_value(json_object_get(v, "instance")), inst) == 0) return v;
    return NULL;
}

static long long num(const json_t *v, const char *k) { return (long long)json_integer_value(json_object_get(v, k)); }

int main(void)
{
    json_t *net = json_loads(
        "{\"modules\": {\"fpga_top\": {\"cells\": {"
        "\"u_core.u_mul.g_l[0].s_SB_LUT4_O\": {\"type\": \"SB_LUT4\"},"
        "\"u_core.u_mul.g_l[0].c_SB_CARRY_CO\": {\"type\": \"SB_CARRY\"},"
        "\"u_core.u_mul.p_SB_DFFE_Q\": {\"type\": \"SB_DFFE\"},"
        "\"u_core.u_mul.u_deep.x.y_SB_LUT4_O\": {\"type\": \"SB_LUT4\"},"
        "\"u_core.$auto$ff.cc:266:slice$42\": {\"type\": \"SB_DFF\"},"
        "\"u_core.pc_SB_DFFSR_Q\": {\"type\": \"SB_DFFSR\"},"
        "\"u_core.u_evil\\u001b[2J.q_SB_LUT4_O\": {\"type\": \"SB_LUT4\"},"
        "\"uart_SB_LUT4_O\": {\"type\": \"SB_LUT4\"},"
        "\"$abc$1.x\": {\"type\": \"SB_LUT4\"}}}}}",
        0, NULL);
    json_t *by = netstat_by_instance(net, "fpga_top", "u_core.", 2, 12);
    CHECK_CASE("netstat: the core's total first, cells outside u_core not counted") {
        CHECK(by && strcmp(json_string_value(json_object_get(json_array_get(by, 0), "instance")), "(core)") == 0);
        const json_t *c = json_array_get(by, 0);
        CHECK(num(c, "cells") == 7 && num(c, "lut") == 3 && num(c, "ff") == 3 && num(c, "carry") == 1);
    }
    CHECK_CASE("netstat: an instance counts its generate blocks and sub-instances, two levels deep") {
        const json_t *m = find(by, "u_mul");
        CHECK(m && num(m, "cells") == 4 && num(m, "lut") == 2 && num(m, "ff") == 1 && num(m, "carry") == 1);
        const json_t *g = find(by, "u_mul.g_l[0]");
        CHECK(g && num(g, "cells") == 2);
        CHECK(find(by, "u_mul.u_deep") && !find(by, "u_mul.u_deep.x"));
        CHECK(json_array_size(by) == 5); /* (core), u_mul, u_mul.g_l[0], u_mul.u_deep, the evil one */
    }
    CHECK_CASE("netstat: a \"$auto$ff.cc\" name is the core's own cell, not an instance \"$auto$ff\"") {
        CHECK(!find(by, "$auto$ff") && !find(by, "_auto_ff"));
    }
    CHECK_CASE("netstat: hostile instance names keep only [A-Za-z0-9_.[]]") { CHECK(find(by, "u_evil_[2J") != NULL); }
    CHECK_CASE("netstat: at most max entries; NULL without the top module") {
        json_t *two = netstat_by_instance(net, "fpga_top", "u_core.", 2, 2);
        CHECK(json_array_size(two) == 2 && strcmp(json_string_value(json_object_get(json_array_get(two, 1), "instance")),
                                                  "u_mul") == 0);
        json_decref(two);
        CHECK(netstat_by_instance(net, "nosuch", "u_core.", 2, 12) == NULL);
        CHECK(netstat_by_instance(net, "fpga_top", "nothing.", 2, 12) == NULL);
    }
    json_decref(by);
    json_decref(net);
    return check_done();
}
