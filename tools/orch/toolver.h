/* toolver — the versions of the external tools, for the gate cache key and
 * the log entry's "tools" record.
 *
 * Contract: toolver_get() runs "<tool> --version" (yosys: -V) once per tool
 * and process, with a 10 s limit, and returns its first output line, or
 * "missing" when the tool is not installed (cut to 190 characters, as the
 * log schema wants). Thread-safe (one mutex in the toolver object, held
 * while probing); results live until toolver_free().
 */
#ifndef ORCH_TOOLVER_H
#define ORCH_TOOLVER_H

#include <jansson.h>

typedef struct toolver toolver;

toolver *toolver_new(const char *scratch_dir);
void toolver_free(toolver *t);
const char *toolver_get(toolver *t, const char *tool);
/* The tools a gate of the pipeline runs, NULL-terminated (empty for unknown gates). */
const char *const *toolver_gate_tools(const char *gate);
/* {"verilator": "...", ...} for every tool any known gate uses. */
json_t *toolver_all_json(toolver *t);

#endif
