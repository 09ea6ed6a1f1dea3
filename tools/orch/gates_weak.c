/* gates_weak.c — stand-ins for gates that are not built into this evo.
 *
 * The pipeline's table (gates/registry.c) names all six gates. A gate whose
 * source is not in GATES_SRCS yet would make evo unlinkable; instead each
 * gate has a weak definition here that returns status "error" (never
 * "pass"), so a loop on an incomplete build stops at that gate with a
 * message saying why. libgates.a is linked with --whole-archive (see
 * tools/orch/module.mk), so every real gate in it overrides its stand-in:
 * a stand-in can only ever run for a gate that does not exist.
 */
#include "gates/gate.h"
#include "lib/proc.h"

#define GATES_WEAK(name)                                                                   \
    __attribute__((weak)) json_t *gate_##name(const gate_ctx *ctx)                         \
    {                                                                                      \
        (void)ctx;                                                                         \
        return gate_result_error(#name, "gate '" #name "' is not built into this evo "     \
                                 "(tools/gates/" #name ".c is missing from GATES_SRCS); "  \
                                 "it can never pass", proc_now());                         \
    }

GATES_WEAK(lint)
GATES_WEAK(synth)
GATES_WEAK(formal)
GATES_WEAK(cosim)
GATES_WEAK(pnr)
GATES_WEAK(coremark)
