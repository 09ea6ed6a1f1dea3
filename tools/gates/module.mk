# tools/gates: the pipeline's gates (lint, synth, formal, cosim, pnr, coremark).
# Each gate's author adds its source file to GATES_SRCS in its own fragment
# (fpga/fpga.mk, formal/formal.mk, test/cosim/module.mk) or here.
GATES_SRCS += tools/gates/gate.c tools/gates/registry.c
