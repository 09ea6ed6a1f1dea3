# test/slurm: the slurm executor (tools/orch/executor.h) on a private
# one-node Slurm cluster (slurm-up.sh / slurm-down.sh); skipped when the
# slurm-wlm and munge packages are missing.
TEST_SUITES += test/slurm/test_slurm.sh
test-prereqs: $(BUILD)/bin/evo-fake
