# test/gates: unit tests of the gate command-line layer (tools/gates/gate_cli).
$(eval $(call c_prog,bin/test_gate_cli,test/gates/test_gate_cli.c,gates yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_gate_cli
