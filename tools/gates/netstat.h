/* netstat — where a synthesised core's cells are, by instance, from the
 * flattened Yosys JSON netlist the synth gate writes (DESIGN.md §3, synth).
 *
 * Contract of netstat_by_instance():
 *  - Flattening names every cell after the instance path it came from
 *    ("u_core.u_muldiv.u_div.q_SB_DFF_Q"); the path is the name up to the
 *    last '.' before the first '$' of its leaf (Yosys's own "$auto$ff.cc"
 *    names hold dots too). Cells of the top module `top` under `prefix`
 *    are counted per path, then summed into every path of at most `depth`
 *    components below the prefix, so an instance's figure includes its
 *    generate blocks and sub-instances.
 *  - Returns [{"instance", "cells", "lut", "ff", "carry"}, ...]: first
 *    "(core)" with the total under the prefix, then the instances by cells,
 *    at most max entries in all. Instance names come from the candidate's
 *    RTL: they keep only [A-Za-z0-9_.[]] and are clipped to 64 bytes.
 *  - NULL when the netlist has no such top module or no cell under prefix. */
#ifndef GATES_NETSTAT_H
#define GATES_NETSTAT_H

#include <jansson.h>
#include <stddef.h>

json_t *netstat_by_instance(const json_t *netlist, const char *top, const char *prefix, int depth, size_t max);

#endif
