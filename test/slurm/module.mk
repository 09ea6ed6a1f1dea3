# test/slurm: the slurm executor (tools/orch/executor.h) on a private
# one-node Slurm cluster (slurm-up.sh / slurm-down.sh); skipped when the
# slurm-wlm and munge packages are missing.
TEST_SUITES += test/slurm/test_slurm.sh
test-prereqs: $(BUILD)/bin/evo-fake
# gate_on_slurm: one gate of the real pipeline with its tool runs as Slurm
# jobs, as the loop runs it (test_slurm.sh compares it with a local run).
$(eval $(call c_prog,bin/gate_on_slurm,test/slurm/gate_on_slurm.c,orch gates cosim iss $(ORCH_LIBS)))
test-prereqs: $(BUILD)/bin/gate_on_slurm
# make test-slurm-real: a K=2 round of the real pipeline, local vs Slurm
# (about 20 minutes on 2 cores; not part of make test).
.PHONY: test-slurm-real
test-slurm-real: setup
	@$(MAKE) --no-print-directory c-all test-prereqs
	@BUILD=$(BUILD) bash test/run-suites.sh test/slurm/test_slurm_real.sh
# slurm-jobs: N concurrent tool jobs through the executor (its squeue poller).
$(eval $(call c_prog,bin/slurm-jobs,test/slurm/slurm_jobs.c tools/gates/gate.c tools/gates/fitset.c,$(ORCH_TEST_LIBS)))
test-prereqs: $(BUILD)/bin/slurm-jobs
