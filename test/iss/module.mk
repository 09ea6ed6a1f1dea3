# test/iss: unit tests of the ISS (C, run in the normal and the ASan build) and
# the rv32sim command-line suite (shell, run once) with its small test ELFs.
$(eval $(call c_prog,bin/test_iss,test/iss/test_iss.c,iss))
$(eval $(call c_prog,bin/test_iss_elf,test/iss/test_iss_elf.c,iss))
UNIT_SUITES += $(BUILD)/bin/test_iss $(BUILD)/bin/test_iss_elf
TEST_SUITES += test/iss/rv32sim.sh

# Test programs: test/iss/*.S -> $(BUILD)/test/iss/*.elf, linked at 0 without
# any runtime (each .S has its own _start); no linker relaxation, so the
# instruction counts the tests expect stay what the source says.
ISS_RV_CC ?= riscv64-unknown-elf-gcc
ISS_TEST_ELFS := $(patsubst test/iss/%.S,$(BUILD)/test/iss/%.elf,$(wildcard test/iss/*.S))
$(BUILD)/test/iss/%.elf: test/iss/%.S
	@mkdir -p $(dir $@)
	$(ISS_RV_CC) -march=rv32im -mabi=ilp32 -nostdlib -nostartfiles -static \
	    -Wl,-Ttext=0 -Wl,-e,_start -Wl,--no-relax -Wl,--no-warn-rwx-segments $< -o $@

.PHONY: iss-test-elfs
iss-test-elfs: $(ISS_TEST_ELFS)
test-prereqs: $(ISS_TEST_ELFS) $(BUILD)/bin/rv32sim
