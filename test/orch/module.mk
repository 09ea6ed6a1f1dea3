# test/orch: tests of the evolution loop (tools/orch).
#   test_orch_units   C unit suite: sandbox rules, records, accept wiring,
#                     scheduler, pipeline verdict/overlap/cache, agent runner,
#                     repo (libgit2) operations, guard
#   evo-fake          evo on fast fake gates (fakegates.h), with the crash
#                     campaign's named pauses (crashpoints.c)
#   evo-fake-lint     the same with the real lint gate
#   test_orch_loop.sh integration on scratch repositories with cmd: agents
#   test_orch_topk.sh PARENT=topk:K: parents, kept designs and their pruning, exact-tree merges
#   test_orch_coverage.sh  changed lines no cosim program exercised: record, report, prompt, STRICT_COVERAGE
#   test_results_readme.sh  README's results tables = make report on HEAD's records
#   bench-orch.sh     orchestrator overhead per slot (make bench-orch, tools/orch/module.mk)
#   search-landscape  the seeded design-space model (landscape.h) of make bench-search
#   bench-search.sh   the builtin agent's search on that model (make bench-search);
#   test_bench_search.sh  a tiny run of it, so that it cannot rot
ORCH_TEST_LIBS := orch $(ORCH_LIBS)
$(eval $(call c_prog,bin/evo-fake,test/orch/evo_fake.c test/orch/fakegates.c test/orch/landscape.c test/orch/crashpoints.c tools/gates/gate.c tools/gates/fitset.c tools/gates/gate_cli.c tools/gates/critpath.c tools/gates/netstat.c tools/gates/toolout.c,$(ORCH_TEST_LIBS) cosim))
# evo-fake only: the crash campaign's named pauses (crashpoints.c) wrap these
# repo.h calls; the real evo links them unwrapped.
CRASHPOINT_WRAPS := repo_merge repo_commit_edits repo_set_tip repo_slot_remove repo_worktree_sync \
                    repo_commit_overlay repo_passed_set repo_passed_drop
$(BUILD)/bin/evo-fake: LDFLAGS += $(foreach f,$(CRASHPOINT_WRAPS),-Wl,--wrap=$(f))
$(eval $(call c_prog,bin/test_orch_units,test/orch/test_orch_units.c tools/gates/gate.c tools/gates/fitset.c,$(ORCH_TEST_LIBS)))
UNIT_SUITES += $(BUILD)/bin/test_orch_units
# evo with the real lint gate (verilator) and fake gates for the rest.
ifneq ($(wildcard tools/gates/lint.c),)
$(eval $(call c_prog,bin/evo-fake-lint,test/orch/evo_fake_lint.c test/orch/fakegates.c test/orch/landscape.c,orch gates cosim iss $(ORCH_LIBS)))
test-prereqs: $(BUILD)/bin/evo-fake-lint
endif
TEST_SUITES += test/orch/test_orch_loop.sh test/orch/test_orch_topk.sh test/orch/test_orch_coverage.sh
test-prereqs: $(BUILD)/bin/evo-fake
TEST_SUITES += test/orch/test_confine_cli.sh
# README's results tables against make report on the committed records.
TEST_SUITES += test/orch/test_results_readme.sh
# make bench-confine (tools/orch/module.mk): the cost of one confined start.
$(eval $(call c_prog,bin/bench-confine,test/orch/bench_confine.c,orch xlib))
# make bench-search: the builtin agent's search against an exhaustive ground
# truth on a seeded MODEL of the baseline's knob space (not measured P&R).
$(eval $(call c_prog,bin/search-landscape,test/orch/search_landscape.c test/orch/landscape.c,agents records schema yamljson accept xlib))
test-prereqs: $(BUILD)/bin/search-landscape
TEST_SUITES += test/orch/test_bench_search.sh
