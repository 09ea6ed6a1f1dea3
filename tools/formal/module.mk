# tools/formal: the formal runner (check table, shared netlist, ABC proofs,
# counterexample replay). Its objects live in libgates so that gate_formal
# (tools/gates/formal.c) links wherever the gates do; `formal` is its CLI.
GATES_SRCS += tools/formal/ftable.c tools/formal/fnet.c tools/formal/fbmc.c tools/formal/frun.c
$(eval $(call c_prog,bin/formal,tools/formal/formal_main.c,gates yamljson xlib))
C_BINS += $(BUILD)/bin/formal
