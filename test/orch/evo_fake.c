/* evo_fake — the evo command line on the fake gates (fakegates.h), for the
 * loop's integration tests and `make bench-orch`. Same options as evo. */
#include "fakegates.h"
#include "orch/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv, fakegates_table, fakegates_len, false);
}
