/* registry — the pipeline's gates in verdict order (DESIGN §5), in one table
 * that the orchestrator and the `gate` CLI share, so the order, the default
 * timeouts and how many CPU cores each gate wants are stated exactly once. */
#ifndef GATES_REGISTRY_H
#define GATES_REGISTRY_H

#include <stddef.h>

#include "gates/gate.h"

typedef json_t *(*gate_fn)(const gate_ctx *ctx);

typedef struct {
    const char *name;  /* "lint", "synth", ... as in results and logs */
    gate_fn run;
    int cores;         /* CPU cores it can keep busy (the scheduler's unit) */
    double timeout_s;  /* default wall-clock limit for the whole gate */
} gate_def;

extern const gate_def gate_pipeline[];
extern const size_t gate_pipeline_len;

/* The gate called name, or NULL. */
const gate_def *gate_find(const char *name);

#endif
