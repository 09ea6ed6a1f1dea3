# test/soak: does a long run leak?
#   make soak [N=30] [K=2] [AGENT=builtin]  one evo loop of N rounds on the fake
#       gates, sampled after every round (soak.sh: fds, threads, RSS, processes,
#       worktrees, branches, disk; a table and a verdict line "soak: ... flat"),
#       then a short loop under the ASan build with LeakSanitizer on
#       (leakcheck.sh); exits non-zero when anything grows or leaks.
#   test_soak.sh  the same, short (4 rounds, then 2 under ASan), in make test
.PHONY: soak
soak: $(BUILD)/bin/evo-fake
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 $(BUILD)/asan/bin/evo-fake
	@BUILD=$(BUILD) N=$(or $(N),30) K=$(or $(K),2) AGENT=$(or $(AGENT),builtin) bash test/soak/soak.sh && \
	  BUILD=$(BUILD) K=$(or $(K),2) AGENT=$(or $(AGENT),builtin) bash test/soak/leakcheck.sh

# The sanitizer build (make asan) brings its own evo-fake for the leak check.
ifeq ($(SAN),1)
c-all: $(BUILD)/bin/evo-fake
endif
TEST_SUITES += test/soak/test_soak.sh
