# test/core: a core's own acceptance checks (lint for every knob value, its RTL
# testbenches, synthesis fit). `make core-test TARGET=<core>` runs them for one
# core; `make core-sweep TARGET=<core>` synthesises every knob value (slow).
TEST_SUITES += test/core/run.sh

CORE_TEST_CORE = $(if $(TARGET),$(TARGET),baseline)

.PHONY: core-test core-sweep
core-test:
	@TEST_CORE=$(CORE_TEST_CORE) TARGET= BUILD=$(BUILD) bash test/run-suites.sh test/core/run.sh

core-sweep:
	@BUILD=$(BUILD) PNR=$(PNR) bash test/core/sweep.sh $(CORE_TEST_CORE)
