# test/gates: unit tests of the gate command-line layer (tools/gates/gate_cli).
$(eval $(call c_prog,bin/test_gate_cli,test/gates/test_gate_cli.c,gates cosim yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_gate_cli
# test_gate_tools: every gate of the registry starts exactly the tools it
# declares (runs each real gate once on a cut-down baseline: heavy, so a
# TEST_SUITE, normal build only).
$(eval $(call c_prog,bin/test_gate_tools,test/gates/test_gate_tools.c test/orch/fakegates.c test/orch/landscape.c,gates cosim iss yamljson xlib))
TEST_SUITES += $(BUILD)/bin/test_gate_tools
test-prereqs: $(BUILD)/bin/test_gate_tools
# test_critpath: the pnr gate's critical-path extraction on a real report.
$(eval $(call c_prog,bin/test_critpath,test/gates/test_critpath.c,gates cosim yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_critpath
# test_netstat: the synth gate's cells by instance.
$(eval $(call c_prog,bin/test_netstat,test/gates/test_netstat.c,gates cosim yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_netstat
# test_fitset: the workload set, its geometric mean and the coremark gate's scoring.
$(eval $(call c_prog,bin/test_fitset,test/gates/test_fitset.c,gates cosim yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_fitset
