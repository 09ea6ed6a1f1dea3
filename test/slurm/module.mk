# test/slurm: the slurm executor (tools/orch/executor.h) on a private
# one-node Slurm cluster (slurm-up.sh / slurm-down.sh); skipped when the
# slurm-wlm and munge packages are missing.
TEST_SUITES += test/slurm/test_slurm.sh
test-prereqs: $(BUILD)/bin/evo-fake
# slurm-jobs: N concurrent tool jobs through the executor (its squeue poller).
$(eval $(call c_prog,bin/slurm-jobs,test/slurm/slurm_jobs.c tools/gates/gate.c tools/gates/fitset.c,$(ORCH_TEST_LIBS)))
test-prereqs: $(BUILD)/bin/slurm-jobs
