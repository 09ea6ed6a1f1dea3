# tools/mutate: the verifier measured on a core. svtok (a SystemVerilog
# tokenizer), mutgen (mutants on its tokens, sampling, diffs), mutrun (each
# mutant through the real gates and a Yosys equivalence proof) and mutprint
# (the kill matrix and score). It runs gates, so it sits on the gates layer's
# side above them (tools/layers.txt).
#   make mutate TARGET=<core> [MUTANTS=30] [SEED=1] [QUICK=1]
$(eval $(call c_lib,mutate,tools/mutate/svtok.c tools/mutate/mutgen.c tools/mutate/mutrun.c tools/mutate/mutprint.c))
$(eval $(call c_prog,bin/mutate,tools/mutate/mutate_main.c,mutate gates cosim iss yamljson xlib))
C_BINS += $(BUILD)/bin/mutate

MUTANTS ?= 30
SEED ?= 1
.PHONY: mutate
# The gates need the bench ELFs and the cosim model's build tree like a loop does.
mutate: setup $(BUILD)/bin/mutate cosim-prereqs
	@test -n "$(TARGET)" || { echo "usage: make mutate TARGET=<core> [MUTANTS=30] [SEED=1] [QUICK=1]" >&2; exit 2; }
	@$(BUILD)/bin/mutate --core "$(TARGET)" --mutants "$(MUTANTS)" --seed "$(SEED)" $(if $(filter 1,$(QUICK)),--quick)
