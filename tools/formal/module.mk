# tools/formal: the formal runner (check table, shared netlist, ABC proofs,
# counterexample replay). Its objects live in libgates (listed in
# tools/gates/module.mk) so that gate_formal links wherever the gates do;
# `formal` is its CLI.
$(eval $(call c_prog,bin/formal,tools/formal/formal_main.c,gates cosim iss yamljson xlib))
C_BINS += $(BUILD)/bin/formal
