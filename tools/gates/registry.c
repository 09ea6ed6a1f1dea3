/* registry.c — see registry.h. Timeouts are generous multiples of what the
 * baseline takes on the 2-core reference machine; a gate that hits one is
 * reported as "timeout", never as a pass. Memory: no tool process of any
 * gate went above 270 MB resident on the baseline (test_gate_tools under
 * /usr/bin/time); a gate's figure is that per process it runs at once
 * (cpus, plus formal's netlist preparation) with about 2x headroom for
 * larger candidates. */
#include "gates/registry.h"

#include <string.h>

/* Lists shared by several entries. */
#define GATE_LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

const gate_def gate_pipeline[] = {
    /* verilator --lint-only, then the core's testbenches built with make */
    {.name = "lint", .run = gate_lint, .needs = GATE_LIST(NULL), .tools = GATE_LIST("verilator", "make"),
     .built_by = GATE_LIST(NULL), .cpus = 1, .mem_mib = 512, .timeout_s = 300},
    /* synth and P&R need nothing of lint: they start with it (the path to
     * the verdict is synth -> P&R, the longest), and a lint failure stops
     * them (orch/pipeline.h) */
    {.name = "synth", .run = gate_synth, .needs = GATE_LIST(NULL), .tools = GATE_LIST("yosys"),
     .built_by = GATE_LIST(NULL), .cpus = 1, .mem_mib = 512, .timeout_s = 600},
    /* yosys prepares the netlists, one yosys-abc per proof job; under a
     * cluster each of those runs is a one-CPU job of its own */
    {.name = "formal", .run = gate_formal, .needs = GATE_LIST("lint"), .tools = GATE_LIST("yosys", "yosys-abc"),
     .built_by = GATE_LIST(NULL), .cpus = 2, .mem_mib = 1024, .timeout_s = 1500, .tool_job_cpus = 1},
    /* verilator and c++ build the lockstep harness (unless cached); the
     * programs it runs come from riscv64-unknown-elf-gcc. Under a cluster
     * each build step and each batch of programs is a job of its own */
    {.name = "cosim", .run = gate_cosim, .needs = GATE_LIST("lint"), .tools = GATE_LIST("verilator", "c++"),
     .built_by = GATE_LIST("riscv64-unknown-elf-gcc"), .cpus = 2, .mem_mib = 1024, .fitness = true, .timeout_s = 900,
     .tool_job_cpus = 1, .key_env = GATE_LIST("COSIM_COVERAGE")},
    /* one nextpnr-ice40 per seed (3 seeds); nextpnr's router is single-threaded */
    {.name = "pnr", .run = gate_pnr, .needs = GATE_LIST("synth"), .tools = GATE_LIST("nextpnr-ice40"),
     .built_by = GATE_LIST(NULL), .cpus = 3, .mem_mib = 1024, .timeout_s = 1200, .tool_job_cpus = 1,
     .fail_outcome = "placement_failed"},
    /* computes the fitness from the cosim and pnr results; runs nothing */
    {.name = "coremark", .run = gate_coremark, .needs = GATE_LIST("cosim", "pnr"), .tools = GATE_LIST(NULL),
     .built_by = GATE_LIST(NULL), .cpus = 1, .mem_mib = 64, .timeout_s = 60, .fitness = true},
};
const size_t gate_pipeline_len = sizeof gate_pipeline / sizeof gate_pipeline[0];

const gate_def *gate_find(const char *name)
{
    for (size_t i = 0; i < gate_pipeline_len; i++)
        if (strcmp(gate_pipeline[i].name, name) == 0)
            return &gate_pipeline[i];
    return NULL;
}
