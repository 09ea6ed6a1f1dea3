# test/cosim: the lockstep harness of the cosim gate and its tests.
#   lockstep.cpp/h, cosim_main.cpp, json_out.h   the C++ harness the gate compiles
#       per core model (tools/cosim/cosim_model.c), with libcosim.a and libiss.a
#   test_cosim_units   C unit suite: stall patterns, UART check, model cache helpers
#   test_rvgen         the random program generator against the ISS
#   test_cosim.sh      the gates on the baseline and on planted bugs (bugs/*.bug)
#
# make bench-cosim            speed of the lockstep harness on the baseline
# make cosim-knobs TARGET=<c> the cosim gate on every knob value of a core
$(eval $(call c_prog,bin/test_rvgen,test/cosim/test_rvgen.c,rvgen iss xlib))
$(eval $(call c_prog,bin/test_cosim_units,test/cosim/test_cosim_units.c,gates cosim iss xlib))
UNIT_SUITES += $(BUILD)/bin/test_rvgen $(BUILD)/bin/test_cosim_units

COSIM_CORE := $(if $(TARGET),$(TARGET),baseline)

.PHONY: bench-cosim cosim-knobs
bench-cosim: cosim-prereqs
	@bash test/cosim/bench-cosim.sh $(COSIM_CORE)

# Every value of every knob of core.yaml through the cosim gate (QUICK=1: quick gate).
cosim-knobs: cosim-prereqs
	@bash test/cosim/cosim-knobs.sh $(COSIM_CORE)

TEST_SUITES += test/cosim/test_cosim.sh
test-prereqs: $(COSIM_RUNTIME)
