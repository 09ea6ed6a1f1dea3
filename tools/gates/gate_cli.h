/* gate_cli — what the command lines that run gates outside the loop share
 * (bin/gate, bin/formal, bin/fpga, cosimctl): the common options, the set-up
 * of a gate_ctx, Ctrl-C, and writing and grading the result.
 *
 * Contract:
 *  - gate_cli_init() sets the defaults: tree ".", jobs = online CPUs.
 *  - gate_cli_option() takes argv[*i] when it is a common option (--core
 *    --tree --rundir --build --json --jobs --timeout --quick --prior
 *    --confine), moving *i past its value: 1 taken, 0 not a common option
 *    (the caller's own, or unknown), -1 its value is missing or malformed (the
 *    caller prints its usage).
 *  - --prior FILE: a JSON object {"<gate>": result} the gates see as the
 *    results of earlier gates (a gate run alone elsewhere, orch/executor.h).
 *  - --confine KIND:PATH (KIND ro, ro?, rw or hide; repeatable, in order):
 *    the gates' tools run in that sandbox (lib/confine.h) with the default
 *    tool limits of this machine; without it they run unconfined.
 *  - gate_cli_open() makes SIGINT/SIGTERM cancel every running tool (their
 *    process groups), resolves the tree and the harness (the current
 *    directory), creates the run directory (--rundir, or
 *    <harness>/runs/<kind>/<core>[-<unix time>]) and the build directory,
 *    loads <tree>/cores/<core>/core.yaml (a missing file is an error only when
 *    cfg_required) and fills env->ctx. On error it prints one line naming prog
 *    and the file and returns 3, the usage-class exit of every gate CLI.
 *  - gate_cli_close() frees what gate_cli_open() made.
 *  - gate_cli_write() writes j atomically to json_out, or <rundir>/<name> when
 *    json_out is NULL, and prints "results: <path>"; 0 or 2 (cannot write).
 *  - gate_cli_exit() grades one gate result: 0 pass, 1 fail, 2 anything else
 *    (error, timeout, no result).
 *  - gate_cli_main() is the whole `gate` command on a gate table (the
 *    registry's, or a test's stand-ins): usage in gate_main.c. Its `exec`
 *    form runs one tool of a gate on a cluster node and writes the tool's
 *    outcome to a status file (gate.h gate_tool_status_*).
 */
#ifndef GATES_GATE_CLI_H
#define GATES_GATE_CLI_H

#include <limits.h>
#include <stdbool.h>

#include "gates/gate.h"
#include "gates/registry.h"

typedef struct {
    const char *core, *tree, *rundir, *build, *json_out;
    const char *prior;
    int jobs;
    double timeout_s;
    bool quick;
    bool confined;          /* at least one --confine was given */
    confine_policy policy;  /* the --confine mounts; paths borrowed from argv */
} gate_cli_opts;

typedef struct {
    char tree[PATH_MAX];
    char harness[PATH_MAX];
    char *rundir;
    char *build;
    json_t *cfg;   /* core.yaml as JSON, NULL when optional and absent */
    confine_policy policy; /* the tools' sandbox when opts.confined */
    gate_ctx ctx;  /* points into this struct; prior is the caller's */
} gate_cli_env;

void gate_cli_init(gate_cli_opts *o);
int gate_cli_option(gate_cli_opts *o, int argc, char **argv, int *i);
int gate_cli_open(const char *prog, const gate_cli_opts *o, const char *kind, bool stamp, bool cfg_required,
                  gate_cli_env *env);
void gate_cli_close(gate_cli_env *env);
int gate_cli_write(const char *prog, const json_t *j, const char *json_out, const char *rundir, const char *name);
int gate_cli_exit(const json_t *r);
int gate_cli_main(const char *prog, int argc, char **argv, const gate_def *gates, size_t ngates);

#endif
