/* gate — runs one or more gates of the pipeline on a core, outside the loop.
 *
 *   gate GATES --core NAME [--tree DIR] [--rundir DIR] [--build DIR] [--jobs N] [--timeout S]
 *        [--quick] [--json FILE]
 *
 * GATES is a gate name, a comma-separated list, or "all" (the whole pipeline in
 * verdict order). Gates run in order, each seeing the results of the earlier
 * ones (the coremark gate needs cosim and pnr); the first failure stops the run.
 * Prints one line per gate on stdout and writes every result as one JSON object
 * to --json FILE (default <rundir>/gates.json).
 * Exit: 0 all passed, 1 a gate failed, 2 a gate could not run, 3 bad usage.
 * --prior FILE gives the results of earlier gates (a gate run alone, as the
 * slurm executor does); --confine KIND:PATH runs the tools in that sandbox
 * (gates/gate_cli.h). This is what `make lint/cosim/formal/fpga TARGET=<n>` call.
 */
#include "gates/gate_cli.h"
#include "gates/registry.h"

int main(int argc, char **argv)
{
    return gate_cli_main("gate", argc, argv, gate_pipeline, gate_pipeline_len);
}
