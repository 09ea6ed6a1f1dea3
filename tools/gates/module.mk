# tools/gates: the pipeline's gates (lint, synth, formal, cosim, pnr, coremark).
# Each gate's author adds its source file to GATES_SRCS in its own fragment
# (fpga/fpga.mk, formal/formal.mk, test/cosim/module.mk) or here.
GATES_SRCS += tools/gates/gate.c tools/gates/gate_cli.c tools/gates/registry.c

# `gate`: one gate, several, or the whole pipeline on a core outside the loop.
$(eval $(call c_prog,bin/gate,tools/gates/gate_main.c,gates cosim iss yamljson xlib))
C_BINS += $(BUILD)/bin/gate
