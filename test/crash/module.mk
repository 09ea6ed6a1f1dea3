# test/crash: crash injection (test/crash/crash.sh): rounds of the loop on
# the fake gates killed with SIGKILL in every phase, each followed by
# consistency checks and a run that must recover.
#   test_crash.sh            the short campaign (5 kills), in make test
#   make crash-test [KILLS=20] [SEED=n]   the full campaign: one kill per
#                            named phase, the rest at random moments; ends
#                            with "N kills, N consistent", non-zero on any
#                            inconsistency
TEST_SUITES += test/crash/test_crash.sh
test-prereqs: $(BUILD)/bin/evo-fake $(BUILD)/bin/validate

.PHONY: crash-test
crash-test: $(BUILD)/bin/evo-fake $(BUILD)/bin/validate
	@BUILD=$(BUILD) bash test/crash/crash.sh $(or $(KILLS),20) $(SEED)
