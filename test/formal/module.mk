# test/formal: the formal gate's suites.
#  spec_tb   the ISA spec (formal/isa_spec.sv) against hand-worked vectors and
#            the ISS, through a Verilator model (built here, run once)
#  test_formal_table  formal/checks.tsv and the table parser (C unit suite)
#  formal.sh the gate on the baseline and on planted bugs (test/formal/bugs)
FORMAL_SPEC_DIR := $(BUILD)/formal-spec
FORMAL_SPEC_TB := $(FORMAL_SPEC_DIR)/Vspec_tb_top
FORMAL_SPEC_SV := test/formal/spec_tb_top.sv formal/isa_spec.sv formal/formal_spec_m.sv

$(FORMAL_SPEC_TB): test/formal/spec_tb.cpp $(FORMAL_SPEC_SV) formal/formal_defs.svh $(BUILD)/lib/libiss.a
	@mkdir -p $(FORMAL_SPEC_DIR)
	nice verilator --cc --exe --build -j 2 -Wall -Iformal --top-module spec_tb_top \
	  -Mdir $(FORMAL_SPEC_DIR) -CFLAGS "-I$(abspath tools) -I$(abspath test/unit)" \
	  -LDFLAGS "$(abspath $(BUILD)/lib/libiss.a)" $(FORMAL_SPEC_SV) $(abspath test/formal/spec_tb.cpp) \
	  >$(FORMAL_SPEC_DIR)/build.log 2>&1 || { tail -n 20 $(FORMAL_SPEC_DIR)/build.log; exit 1; }

TEST_SUITES += $(FORMAL_SPEC_TB) test/formal/formal.sh
test-prereqs: $(FORMAL_SPEC_TB) $(BUILD)/bin/formal

# test_formal_table: the check table's format (tools/formal/ftable), in C.
$(eval $(call c_prog,bin/test_formal_table,test/formal/test_formal_table.c,gates cosim xlib))
UNIT_SUITES += $(BUILD)/bin/test_formal_table

# test_formal_cex: a replayed counterexample read back into a failure message (tools/formal/fcex).
$(eval $(call c_prog,bin/test_formal_cex,test/formal/test_formal_cex.c,gates cosim iss xlib))
UNIT_SUITES += $(BUILD)/bin/test_formal_cex

# test_formal_launch: the formal runner through a launcher (one job per tool run), on stand-in tools.
$(eval $(call c_prog,bin/test_formal_launch,test/formal/test_formal_launch.c,gates cosim iss xlib))
UNIT_SUITES += $(BUILD)/bin/test_formal_launch
