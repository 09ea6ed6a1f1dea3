# test/exhaust: the loop when a resource runs out: a full disk
# (the worktrees or the run directory on a small tmpfs, an agent filling it),
# gigabytes of sparse files, a read-only repository, a tool that disappears
# between rounds. Each case checks the error names what ran out and where,
# and that the repository is consistent (test_exhaust.sh).
TEST_SUITES += test/exhaust/test_exhaust.sh
test-prereqs: $(BUILD)/bin/evo-fake
