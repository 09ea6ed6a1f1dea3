# test/cosim: the lockstep co-simulation gate (DESIGN.md §5.4), its harness and tests.
#
#   $(BUILD)/lib/libcosim.a   C parts the Verilator harness links (stall patterns,
#                             output validation); the harness C++ itself is compiled
#                             per core model by the gate (test/cosim/cosim_model.c)
#                             into build/models/<key>/cosim-<key>.
#   gates: lint (tools/gates/lint.c), cosim (tools/gates/cosim.c), coremark
#          (tools/gates/coremark.c), added to libgates.
#   $(BUILD)/bin/cosimctl     runs those gates on a core (make lint/cosim use it)
#
# make lint TARGET=<core>     lint + the core's unit tests
# make cosim TARGET=<core>    the full cosim gate (200 random programs x 4 patterns)
# make bench-cosim            speed of the lockstep harness on the baseline
# make cosim-knobs TARGET=<c> the cosim gate on every knob value of a core
COSIM_LIB_SRCS := test/cosim/stall.c test/cosim/uartcheck.c
$(eval $(call c_lib,cosim,$(COSIM_LIB_SRCS)))

COSIM_GATE_SRCS := tools/gates/lint.c tools/gates/cosim.c tools/gates/coremark.c \
                   test/cosim/cosim_model.c test/cosim/uartcheck.c
GATES_SRCS += $(COSIM_GATE_SRCS)
# Headers of this component are included as "cosim/..." (from test/).
$(patsubst %.c,$(BUILD)/obj/%.o,$(COSIM_GATE_SRCS) $(COSIM_LIB_SRCS) test/cosim/cosimctl.c \
    test/cosim/test_cosim_units.c): CFLAGS += -Itest

$(eval $(call c_prog,bin/cosimctl,test/cosim/cosimctl.c,gates yamljson xlib))
C_BINS += $(BUILD)/bin/cosimctl $(BUILD)/lib/libcosim.a

$(eval $(call c_prog,bin/test_rvgen,test/cosim/test_rvgen.c,rvgen iss xlib))
$(eval $(call c_prog,bin/test_cosim_units,test/cosim/test_cosim_units.c,gates cosim xlib))
UNIT_SUITES += $(BUILD)/bin/test_rvgen $(BUILD)/bin/test_cosim_units

# What the gate needs at run time (the harness is built from these by the gate).
COSIM_RUNTIME := build/lib/libiss.a build/lib/libcosim.a build/bin/rvgen build/bin/cosimctl
COSIM_CORE := $(if $(TARGET),$(TARGET),baseline)

.PHONY: lint cosim bench-cosim cosim-knobs cosim-prereqs
cosim-prereqs:
	@$(MAKE) --no-print-directory BUILD=build $(COSIM_RUNTIME) bench-elfs

# One run directory per invocation: runs/manual/<core>-<gate>-<time>/ (logs, result.json).
COSIM_RUNDIR = $(CURDIR)/runs/manual/$(TARGET)-$(1)-$(shell date +%Y%m%d-%H%M%S)
lint: cosim-prereqs
	@test -n "$(TARGET)" || { echo "usage: make lint TARGET=<core>"; exit 2; }
	@d=$(call COSIM_RUNDIR,lint); mkdir -p $$d && \
	  build/bin/cosimctl lint --core $(TARGET) --rundir $$d --json $$d/result.json $(if $(JOBS),--jobs $(JOBS))

cosim: cosim-prereqs
	@test -n "$(TARGET)" || { echo "usage: make cosim TARGET=<core>"; exit 2; }
	@d=$(call COSIM_RUNDIR,cosim); mkdir -p $$d && \
	  build/bin/cosimctl cosim --core $(TARGET) --rundir $$d --json $$d/result.json $(if $(JOBS),--jobs $(JOBS))

bench-cosim: cosim-prereqs
	@bash test/cosim/bench-cosim.sh $(COSIM_CORE)

# Every value of every knob of core.yaml through the cosim gate (QUICK=1: quick gate).
cosim-knobs: cosim-prereqs
	@bash test/cosim/cosim-knobs.sh $(COSIM_CORE)

TEST_SUITES += test/cosim/test_cosim.sh
test-prereqs: $(COSIM_RUNTIME)
