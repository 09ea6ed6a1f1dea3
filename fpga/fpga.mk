# fpga/fpga.mk — the fitness bench (DESIGN.md §4) and its gates.
#   fpga/rtl/fpga_top.sv     the wrapper around `core` that is synthesised and placed
#   fpga/pcf/<dev>-<pkg>.pcf its pins per iCE40 device and package
#   fpga/synth.ys            the Yosys script the synth gate fills in and runs
#   tools/gates/synth.c      gate_synth: Yosys synth_ice40 -> JSON netlist, cell counts
#   tools/gates/pnr.c        gate_pnr: nextpnr-ice40 seeds 1,2,3, Fmax, LCs, cache
#   fpga/fpga_table.c        the human table; fpga/fpga_main.c the `fpga` CLI
# Targets:
#   make fpga TARGET=<core> [COSIM=<results.json>]   synth + pnr + table
#   make bench-fpga TARGET=<core> [RUNS=n]           wall times, cache time, seed spread
#   make bench-fpga-knobs TARGET=<core>              every knob value places (slow)
#   make test-fpga                                   this component's suites only

$(eval $(call c_lib,fpgatable,fpga/fpga_table.c))
$(eval $(call c_prog,bin/fpga,fpga/fpga_main.c,fpgatable gates cosim yamljson xlib))
C_BINS += $(BUILD)/bin/fpga

# Tests: the table arithmetic is a unit suite (normal + sanitizer builds); the
# gate suite runs Yosys and nextpnr on tiny designs (~20 s), once, normal build
# only (`make BUILD=build/asan SAN=1 test-fpga` runs it under the sanitizers).
$(eval $(call c_prog,bin/test_fpga_table,test/fpga/test_fpga_table.c,fpgatable))
UNIT_SUITES += $(BUILD)/bin/test_fpga_table
$(eval $(call c_prog,bin/test_fpga_gates,test/fpga/test_fpga_gates.c,fpgatable gates cosim xlib))
TEST_SUITES += $(BUILD)/bin/test_fpga_gates
test-prereqs: $(BUILD)/bin/test_fpga_gates

.PHONY: fpga bench-fpga bench-fpga-knobs test-fpga
fpga: $(BUILD)/bin/fpga
	@test -n "$(TARGET)" || { echo "usage: make fpga TARGET=<core> [COSIM=<results.json>]" >&2; exit 3; }
	$(BUILD)/bin/fpga --core $(TARGET) $(if $(COSIM),--cosim $(COSIM))

bench-fpga: $(BUILD)/bin/fpga
	@test -n "$(TARGET)" || { echo "usage: make bench-fpga TARGET=<core> [RUNS=n]" >&2; exit 3; }
	BUILD=$(BUILD) bash fpga/bench-fpga.sh $(TARGET) $(or $(RUNS),1)

bench-fpga-knobs: $(BUILD)/bin/fpga
	@test -n "$(TARGET)" || { echo "usage: make bench-fpga-knobs TARGET=<core>" >&2; exit 3; }
	BUILD=$(BUILD) bash fpga/bench-fpga-knobs.sh $(TARGET)

test-fpga: $(BUILD)/bin/test_fpga_table $(BUILD)/bin/test_fpga_gates
	@BUILD=$(BUILD) bash test/run-suites.sh $(BUILD)/bin/test_fpga_table $(BUILD)/bin/test_fpga_gates
