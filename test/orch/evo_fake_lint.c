/* evo_fake_lint — evo with the real lint gate (verilator) and the fake
 * gates for the rest: the loop's one end-to-end test through a real tool
 * stays fast (test_orch_loop.sh skips it when verilator is missing). */
#include <string.h>

#include "fakegates.h"
#include "gates/registry.h"
#include "orch/cli.h"

int main(int argc, char **argv)
{
    gate_def table[16];
    size_t n = fakegates_len < 16 ? fakegates_len : 16;
    memcpy(table, fakegates_table, n * sizeof table[0]);
    /* The real gate's entry (function, cores, timeout): on a real core's
     * testbenches (make bench-confine) lint takes a minute. */
    const gate_def *real = gate_find("lint");
    for (size_t i = 0; i < n && real; i++)
        if (strcmp(table[i].name, "lint") == 0)
            table[i] = *real;
    return cli_main(argc, argv, table, n, false);
}
