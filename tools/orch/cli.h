/* cli — the evo command line (what `make loop/next/report/pr` call).
 *
 *   evo loop   --target T [--base B] [-n N] [-k K] [--agent A]
 *              [--lut X] [--coremark Y] [--margin M] [--parent champion|topk:K]
 *   evo next   --target T [...]      one round (loop -n 1)
 *   evo fork   --target T --base B   fork and measure (round 0), no rounds
 *   evo report --target T            tables + progress chart
 *   evo pr     --target T [--out F]  pull-request summary (markdown)
 *   evo clean  --target T            remove the target's worktrees (branch kept)
 *   evo list                         the cores and their branches
 * Common options: --repo DIR (the main checkout; default: the current
 * directory), --worktrees DIR, --build DIR, --cores N, --agent-timeout S,
 * --quick (gates' test mode), --no-cache, --no-overlap.
 * Exit status: 0 done, 1 error (the message says what to do), 2 bad usage,
 * 130 interrupted (Ctrl-C/SIGTERM; the round in progress is discarded).
 *
 * The gate table is a parameter so that tests run the real command line on
 * fake gates (test/orch/evo_fake.c); tools/orch/main.c passes the pipeline
 * of gates/registry.h.
 */
#ifndef ORCH_CLI_H
#define ORCH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "gates/registry.h"

/* check_tools: refuse to run a loop when a tool a gate needs is missing
 * (the real gates); fake gates for tests need none. */
int cli_main(int argc, char **argv, const gate_def *gates, size_t ngates, bool check_tools);

#endif
