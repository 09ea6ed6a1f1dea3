/* frun — the formal runner: prepares the shared netlist, proves every check of
 * the chosen suite (its property and its cover) in parallel, replays
 * counterexamples, and returns the verdict as JSON.
 *
 * Contract:
 *  - formal_run() never prints; tool output goes to files under o->workdir and
 *    a per-check summary table to o->log_path.
 *  - The result object holds "status" (pass|fail|error|timeout), "mode",
 *    "checks" (one object per check: name, description, channel, depth,
 *    status pass|fail|n/a|vacuous|timeout|error, seconds, proof, cover and, for
 *    a failure, cex {cycle, fields, retirement (cycle, order, PC, instruction,
 *    field, expected, got as read back from the VCD, or null), vcd, witness}), "counts" per status,
 *    "prep_seconds", "seconds" and "diagnostic" (a short text for people).
 *  - "pass" only when every applicable check passed: a vacuous check (its
 *    cover is unreachable within its depth) fails the run; a check that could
 *    not run is "error", one that hit its limit "timeout", never "pass".
 *    Channel-1 checks are "n/a" (never counted as passes) when ch1_idle
 *    proves that channel 1 never retires.
 *  - With o->launcher (a cluster's, lib/proc.h) every tool run (netlist
 *    preparation, each proof, each replay) is a job of its own named after
 *    its part ("prep", "<check>", "<check>.cover", "<check>.pdr", ...), as
 *    many at once as o->jobs; the verdict and figures are those of a local
 *    run, except that once a check has failed (the verdict is known) the
 *    proofs still queued or running are cancelled and their checks are
 *    "cancelled". A tool run the launcher could not run makes the result
 *    "error" with "infrastructure": true (unless a check failed: that
 *    verdict stands). Without a launcher every tool runs here, as always.
 */
#ifndef FORMAL_FRUN_H
#define FORMAL_FRUN_H

#include <jansson.h>

#include "lib/confine.h"
#include "lib/proc.h"

typedef struct {
    const char *harness;     /* harness root (formal/ is read from here) */
    const char *rtl_dir;     /* the core's rtl/ */
    const char *workdir;     /* created if missing; netlists, logs, VCDs */
    const char *log_path;    /* summary log (created) */
    int deep;                /* 0: fast suite, 1: deep suite (exact M) */
    int jobs;                /* parallel proofs (>= 1; with a launcher: jobs at once, at most 64) */
    double deadline;         /* proc_now() limit for the whole run; 0 = none */
    const char *only;        /* comma-separated check names to run, or NULL for all */
    const json_t *depths;    /* {"<check>": N} raising depths (core.yaml formal.depth), or NULL */
    const confine_policy *confine; /* sandbox of the tools that read the RTL (yosys); NULL: none */
    proc_group *group;       /* books the tools' CPU time; NULL: not counted */
    const proc_launcher *launcher; /* NULL: the tools run here */
} formal_opts;

json_t *formal_run(const formal_opts *o);

/* One line per check ("  name  status  depth  seconds  detail") for people. */
char *formal_run_table(const json_t *result);

#endif
