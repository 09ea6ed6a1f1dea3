# test/mutate: the tokenizer and mutant finder (unit), and a fixed sample of
# baseline mutants through the real gates (heavy: a TEST_SUITE).
$(eval $(call c_prog,bin/test_mutate_units,test/mutate/test_mutate_units.c,mutate gates cosim iss yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_mutate_units
TEST_SUITES += test/mutate/test_mutate.sh
test-prereqs: $(BUILD)/bin/mutate
