# tools/cosim: the cosim gate's C parts (DESIGN.md §3).
#   cosim_model.c  builds (or reuses) the Verilator model and the harness binary
#                  of a core (the harness C++ itself is the lockstep harness in
#                  test/cosim, compiled per core model into build/models/<key>/)
#   uartcheck.c    the fitness programs' UART output check (the coremark gate and
#                  the harness), stall.c the harness's bus-stall patterns,
#                  failmsg.c the failure message of a retirement check (the
#                  harness and the formal runner), cpiprof.c the harness's profile
#                  of where the fitness run's cycles go, verdict.h the harness's
#                  verdicts as the gate reads them
#   $(BUILD)/lib/libcosim.a   the C runtime the harness binary links (uartcheck,
#                             stall, failmsg); the gates link it too, for uart_check
#   $(BUILD)/bin/cosimctl     the lint, cosim and coremark gates on one core
#                             (make lint/cosim use it)
# cosim_model.c itself is part of libgates (tools/gates/module.mk): libcosim.a
# is hashed into every harness binary's cache key and must not change with it.
#
# make lint TARGET=<core>     lint + the core's unit tests
# make cosim TARGET=<core>    the full cosim gate (200 random programs x 4 patterns)
$(eval $(call c_lib,cosim,tools/cosim/uartcheck.c tools/cosim/stall.c tools/cosim/failmsg.c tools/cosim/cpiprof.c))

$(eval $(call c_prog,bin/cosimctl,tools/cosim/cosimctl.c,gates cosim yamljson xlib))
C_BINS += $(BUILD)/bin/cosimctl $(BUILD)/lib/libcosim.a

# What the gate needs at run time (the harness is built from these by the gate).
COSIM_RUNTIME := build/lib/libiss.a build/lib/libcosim.a build/bin/rvgen build/bin/cosimctl

.PHONY: lint cosim cosim-prereqs
# With COREMARK_DIR the gates measure CoreMark: its ELF is built too (a fresh
# clone's `COREMARK_DIR=... make loop` once found it missing at the cosim gate).
cosim-prereqs:
	@$(MAKE) --no-print-directory BUILD=build $(COSIM_RUNTIME) bench-elfs $(if $(strip $(COREMARK_DIR)),coremark-elf)

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
