/* toolver — the versions of the external tools, for the gate cache key and
 * the log entry's "tools" record. Which tools there are is the gate
 * table's declaration (gates/registry.h); this module keeps no list.
 *
 * Contract: toolver_get() runs "<tool> --version" (yosys: -V; yosys-abc:
 * -c version, whose echo of the command is skipped) once per tool and
 * process, with a 10 s limit, and returns its first output line, or
 * "missing" when the tool is not installed (cut to 190 characters, as the
 * log schema wants). Thread-safe (one mutex in the toolver object, held
 * while probing); results live until toolver_free().
 */
#ifndef ORCH_TOOLVER_H
#define ORCH_TOOLVER_H

#include <jansson.h>
#include <stddef.h>

#include "gates/registry.h"

typedef struct toolver toolver;

toolver *toolver_new(const char *scratch_dir);
void toolver_free(toolver *t);
const char *toolver_get(toolver *t, const char *tool);
/* {"verilator": "...", ...}: every tool a gate of the table declares
 * (registry.h tools and built_by), for the log entry's "tools" record. */
json_t *toolver_all_json(toolver *t, const gate_def *gates, size_t ngates);
/* The pre-flight check: "" when every tool the table declares is in PATH,
 * else "make (gate lint), ..." naming each missing one once; NULL when out
 * of memory. Caller frees. */
char *toolver_missing(const gate_def *gates, size_t ngates);

#endif
