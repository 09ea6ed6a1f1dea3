/* main.c — evo, the evolution loop's command line, on the real gates of
 * gates/registry.h. Everything else is in cli.c. */
#include "gates/registry.h"
#include "orch/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv, gate_pipeline, gate_pipeline_len, true);
}
