/* fitset — fitness over a set of workloads (DESIGN.md §4).
 *
 * A workload set is named by its members joined with '+', in order, e.g.
 * "workload+vm"; the first member is the primary workload (its cycles and
 * iterations stay the entry's "cycles"/"iterations"). A set of one member is
 * named by that member alone ("coremark", "workload"), so records written
 * before sets existed name a one-member set. The name is the set's identity:
 * figures measured on two different names never compare.
 *
 * Members: "coremark" (EEMBC CoreMark, coremark.elf, needs COREMARK_DIR),
 * "workload" (the project's CoreMark-class program, workload.elf), "vm" (the
 * project's bytecode interpreter, vm.elf). Each prints its own self-check
 * (cosim/uartcheck.h).
 *
 * Score: per member w, per_mhz_w = iterations_w / cycles_w x 1e6 and
 * fitness_w = fmax_mhz x per_mhz_w (iterations per second); the set's
 * fitness is the geometric mean of the fitness_w and its coremark_per_mhz
 * the geometric mean of the per_mhz_w, so fitness = fmax x coremark_per_mhz
 * still holds (gates/gate.h gate_fitness) and a ratio of two designs'
 * fitness is the geometric mean of their per-member ratios. Pure: no I/O;
 * the environment is read only by fitset_default.
 */
#ifndef GATES_FITSET_H
#define GATES_FITSET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum { FITSET_MAX = 4, FITSET_NAME = 16 };

typedef struct {
    int n;
    char name[FITSET_MAX][FITSET_NAME];
} fitset;

/* Parses a set name. 0, or -1 with err saying what is wrong (an unknown or
 * repeated member, too many, an empty name). */
int fitset_parse(const char *set, fitset *out, char *err, size_t n);
/* The set this process's gates measure: WORKLOADS when it is set and not
 * empty (unchecked: see fitset_parse), else the primary workload (coremark
 * when COREMARK_DIR is set, else workload) followed by "vm". */
const char *fitset_default(void);
/* The bench program of a member ("vm" -> "vm.elf"). */
const char *fitset_program(const char *member);
/* Is member one of the set's? */
bool fitset_has(const fitset *s, const char *member);
/* Geometric mean of v[0..n); NAN when n is 0 or any value is not a
 * positive finite number. */
double fitset_geomean(const double *v, int n);
/* The score of a set from each member's bracketed {cycles, iterations}
 * (runs: member name -> object) at fmax_mhz: {"fitness", "coremark_per_mhz",
 * "workloads": {member: {cycles, iterations, per_mhz, fitness}}}, or NULL
 * with err naming the member that has no positive cycle or iteration count. */
json_t *fitset_score(const fitset *s, const json_t *runs, double fmax_mhz, char *err, size_t n);

#endif
