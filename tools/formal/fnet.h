/* fnet — the shared netlist every check of one run is proved on.
 *
 * Contract:
 *  - formal_net_prepare() runs yosys once: it reads the checker
 *    (the .sv files of <harness>/formal) and the core (the .sv and .v files
 *    of rtl_dir), flattens formal_top around `core`, bit-blasts it to an
 *    and-inverter graph and writes into workdir: shared.il (the AIG-level netlist with the f_* field
 *    assertions, for replaying counterexamples), all.aig + all.aim (the same
 *    netlist without assertions, every formal_top output an AIGER output, and
 *    its symbol map) and ports.json (which outputs are constants).
 *  - formal_net_outputs() reads all.aim and ports.json; formal_net_lookup()
 *    resolves "name[bit]" to an AIGER output index, or to a constant when
 *    yosys folded the output (e.g. a tied-off channel 1).
 *  - yosys runs here, or through o->launcher as a job named o->label
 *    (lib/proc.h); a job the launcher could not run is -3 (err holds its
 *    words), never a verdict on the design.
 *  - Errors come back as -1 (-2: yosys timed out) with a message naming
 *    the file or command.
 */
#ifndef FORMAL_FNET_H
#define FORMAL_FNET_H

#include <stddef.h>

#include "lib/confine.h"
#include "lib/proc.h"

typedef struct {
    const char *harness;   /* harness root: formal/ is read from here */
    const char *rtl_dir;   /* the core's rtl/ */
    const char *workdir;   /* exists; outputs go here */
    const char *log_path;  /* yosys output is appended here */
    const char *params;    /* formal_top parameters "K=V,K=V" (e.g. EXACT_M=1 for the exact M
                            * spec), or "": the defaults of formal/formal_top.sv */
    double timeout_s;
    const confine_policy *confine; /* yosys reads untrusted RTL: its sandbox, or NULL */
    proc_group *group;             /* books yosys's CPU time; NULL: not counted */
    const proc_launcher *launcher; /* NULL: yosys runs here */
    const char *label;             /* the job's name under a launcher ("prep") */
} formal_net_opts;

typedef struct {
    char name[48];
    int bit;
    int index;   /* AIGER output index, or -1 for a constant */
    int konst;   /* the constant (0/1) when index == -1 */
} formal_out;

typedef struct {
    formal_out *v;
    size_t n;
} formal_outputs;

int formal_net_prepare(const formal_net_opts *o, double *seconds, char *err, size_t errlen);
int formal_net_outputs(const char *workdir, formal_outputs *out, char *err, size_t errlen);
void formal_net_outputs_free(formal_outputs *out);
/* spec is "name" or "name[bit]". Returns 0 and sets *index (-1 when constant)
 * and *konst, or -1 when no such output exists. */
int formal_net_lookup(const formal_outputs *out, const char *spec, int *index, int *konst);

#endif
