/* registry.c — see registry.h. Timeouts are generous multiples of what the
 * baseline takes on the 2-core reference machine; a gate that hits one is
 * reported as "timeout", never as a pass. */
#include "gates/registry.h"

#include <string.h>

const gate_def gate_pipeline[] = {
    {"lint", gate_lint, 1, 300},
    {"synth", gate_synth, 1, 600},
    {"formal", gate_formal, 2, 900},
    {"cosim", gate_cosim, 2, 900},
    {"pnr", gate_pnr, 2, 1200},
    {"coremark", gate_coremark, 1, 60},
};
const size_t gate_pipeline_len = sizeof gate_pipeline / sizeof gate_pipeline[0];

const gate_def *gate_find(const char *name)
{
    for (size_t i = 0; i < gate_pipeline_len; i++)
        if (strcmp(gate_pipeline[i].name, name) == 0)
            return &gate_pipeline[i];
    return NULL;
}
