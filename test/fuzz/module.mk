# test/fuzz: coverage-guided fuzzing of the parsers that read untrusted input.
#   <target>/harness.c  fuzz_target() for one parser (contract: fuzz.h; it
#                       includes "fuzz.h", test/fuzz is on its include path)
#   <target>/corpus/    seed inputs, and every input that once crashed or hung
#   <target>/dict       optional AFL++ dictionary
#   driver.c            main(): replays files/dirs; AFL++ persistent mode under afl-cc
#   $(BUILD)/fuzz/<target>       the replay binary (linked with every library)
#   test_fuzz_replay    unit suite (normal and ASan+UBSan builds): every
#                       corpus file of every target, one PASS line per target
# make fuzz [FUZZ_SECONDS=600] [FUZZ_TARGETS="a b"]   afl-fuzz on each target
#   in turn (test/fuzz/fuzz.sh: AFL++ build in build/afl, findings in
#   build/fuzz-out/<target>); exits non-zero on any crash or hang. Needs the
#   afl++ package (tools/setup.sh); `make test` does not.
FUZZ_TARGETS_ALL := $(sort $(patsubst test/fuzz/%/harness.c,%,$(wildcard test/fuzz/*/harness.c)))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS_ALL))
$(foreach t,$(FUZZ_TARGETS_ALL),$(eval $(call c_prog,fuzz/$(t),test/fuzz/$(t)/harness.c test/fuzz/driver.c,$(LIB_ORDER))))
$(BUILD)/obj/test/fuzz/%.o: CFLAGS += -Itest/fuzz
C_BINS += $(FUZZ_BINS)

$(eval $(call c_prog,bin/test_fuzz_replay,test/fuzz/replay.c,xlib))
UNIT_SUITES += $(BUILD)/bin/test_fuzz_replay
$(BUILD)/bin/test_fuzz_replay: | $(FUZZ_BINS)

FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= $(FUZZ_TARGETS_ALL)
.PHONY: fuzz fuzz-bins
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash test/fuzz/fuzz.sh $(FUZZ_TARGETS)

# The fuzz binaries alone (fuzz.sh calls it with BUILD=build/afl CC=afl-clang-fast SAN=1).
fuzz-bins: $(FUZZ_BINS)
