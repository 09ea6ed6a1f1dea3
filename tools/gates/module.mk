# tools/gates: the pipeline's gates (lint, synth, formal, cosim, pnr, coremark)
# and everything they run in-process: libgates is listed here, whole.
#   tools/formal/*.c         the formal runner behind gate_formal (it uses gate.h,
#                            so it cannot be a library below the gates)
#   tools/cosim/cosim_model.c  the Verilator model builder of the lint and cosim gates
# Programs that run a gate link `gates cosim iss yamljson xlib`, or the part they use
# (the formal runner names a broken retirement with the cosim message and the ISS disassembler).
GATES_SRCS := tools/gates/gate.c tools/gates/gate_cli.c tools/gates/registry.c \
              tools/gates/lint.c tools/gates/synth.c tools/gates/formal.c tools/gates/cosim.c \
              tools/gates/pnr.c tools/gates/critpath.c tools/gates/netstat.c tools/gates/coremark.c tools/gates/fitset.c tools/gates/toolout.c \
              tools/formal/ftable.c tools/formal/fnet.c tools/formal/fbmc.c tools/formal/fcex.c tools/formal/frun.c \
              tools/cosim/cosim_model.c tools/cosim/covdat.c
$(eval $(call c_lib,gates,$(GATES_SRCS)))

# `gate`: one gate, several, or the whole pipeline on a core outside the loop.
$(eval $(call c_prog,bin/gate,tools/gates/gate_main.c,gates cosim iss yamljson xlib))
C_BINS += $(BUILD)/bin/gate
