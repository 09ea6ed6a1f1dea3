# tools/orch: the evolution loop: `evo`, its library and make targets.
#   $(BUILD)/lib/liborch.a   repo (libgit2), sandbox, guard, sched, gcache, pipeline,
#                            prompt, forkcore, report, judge, slot, settle, parents, tournament,
#                            cli (the agents
#                            and records it drives are libraries of their own)
#   $(BUILD)/bin/evo         the command line on the real gates (gates/registry.h)
# User targets (each depends on `setup`; TARGET= names the core):
#   make loop TARGET=t [N=] [K=] [AGENT=] [BASE=] [LUT=] [COREMARK=] [MARGIN=] [REMEASURE=] [PARENT=] [WORKTREE=]
#             [STRICT_COVERAGE=1]
#             [CORES=] [AGENT_TIMEOUT=] [CONFINE=on|off] [AGENT_NET=1]
#             [EXECUTOR=local|slurm] [PARTITION=] [SLURM_ARGS=] [SLURM_DOWN=S]  (gates as Slurm jobs)
#             (make loop without TARGET lists the cores)
#   make next TARGET=t ...     one round
#   make report TARGET=t       tables + progress chart
#   make pr TARGET=t           pull-request summary (runs/<t>/PR.md)
#   make bench-orch            orchestrator overhead per slot (fake gates)
#   make bench-search [SEEDS=] [SLOTS=] [BUDGET=]  the builtin agent's slots to the best design
#                              of a seeded model of the baseline's knob space (fake gates)
#   make bench-confine         cost of confinement per process start and per slot
#   make bench-slurm           per-job overhead of EXECUTOR=slurm (private one-node cluster)
ORCH_SRCS := tools/orch/repo.c tools/orch/sandbox.c tools/orch/hdlpre.c tools/orch/guard.c tools/orch/lock.c \
             tools/orch/sched.c tools/orch/toolver.c tools/orch/gcache.c tools/orch/pipeline.c \
             tools/orch/prompt.c tools/orch/forkcore.c \
             tools/orch/report.c tools/orch/progress.c tools/orch/judge.c tools/orch/slot.c \
             tools/orch/settle.c tools/orch/remeasure.c tools/orch/parents.c tools/orch/tournament.c \
             tools/orch/covcheck.c \
             tools/orch/cli.c
# Confinement: the sandbox policies of agents and tools, the committed-tree export.
ORCH_SRCS += tools/orch/policy.c tools/orch/export.c
# Where the gates run: here, or as Slurm jobs.
ORCH_SRCS += tools/orch/executor.c tools/orch/slurmq.c tools/orch/jobprog.c
$(eval $(call c_lib,orch,$(ORCH_SRCS)))


# The libraries below the loop other than the gates' (the fake-gate test
# programs link their own gates); c_prog puts them in layer order.
ORCH_LIBS := agents records mutate schema yamljson accept xlib
$(eval $(call c_prog,bin/evo,tools/orch/main.c,orch gates cosim iss $(ORCH_LIBS)))
C_BINS += $(BUILD)/bin/evo

# make variables -> evo options (empty ones are ignored by evo).
EVO_KNOBS = --target "$(TARGET)" --base "$(BASE)" --agent "$(AGENT)" --lut "$(LUT)" \
            --coremark "$(COREMARK)" --margin "$(MARGIN)" --worktrees "$(WORKTREE)" \
            $(if $(REMEASURE),--remeasure $(REMEASURE)) $(if $(PARENT),--parent "$(PARENT)") \
            $(if $(filter 1 yes on,$(STRICT_COVERAGE)),--strict-coverage) \
            $(if $(K),-k $(K)) $(if $(CORES),--cores $(CORES)) \
            $(if $(AGENT_TIMEOUT),--agent-timeout $(AGENT_TIMEOUT)) \
            $(if $(CONFINE),--confine $(CONFINE)) $(if $(filter 1 yes on,$(AGENT_NET)),--agent-net) \
            $(if $(EXECUTOR),--executor $(EXECUTOR)) $(if $(PARTITION),--partition "$(PARTITION)") \
            $(if $(SLURM_ARGS),--slurm-args "$(SLURM_ARGS)") $(if $(SLURM_DOWN),--slurm-down $(SLURM_DOWN))

# What the gates need built before a loop runs (ELFs, the ISS and cosim
# libraries...); other components add theirs with EVO_RUNTIME_PREREQS += ...
EVO_RUNTIME_PREREQS += $(if $(wildcard tools/cosim/module.mk),cosim-prereqs)

# A core's candidates are measured on the workload set its champion was
# measured on (evo refuses a mismatch; tools/gates/fitset.h). When the user
# gave no WORKLOADS, the loop takes the champion's set (a core measured
# before sets existed keeps its one workload); when that set holds coremark
# and no COREMARK_DIR was given (in the environment or on the command line:
# bench.mk's own default is not exported), it takes third_party/coremark,
# cloning it first (coremark-fetch), so that `make loop TARGET=v1` needs no
# other step. A core with no records gets the default set. $(1): loop or next.
define evo_with_workload
	@if [ -z "$(TARGET)" ]; then $(BUILD)/bin/evo list; exit $(if $(filter next,$(1)),2,0); fi; \
	 cm="$${COREMARK_DIR-}"; wl="$${WORKLOADS-}"; \
	 had=$$($(BUILD)/bin/evo workload --target "$(TARGET)"); \
	 if [ -z "$$wl" ] && [ -n "$$had" ]; then wl=$$had; fi; \
	 case "+$$wl+" in *+coremark+*) want_cm=1;; *) want_cm=;; esac; \
	 if [ -z "$$cm" ] && [ -n "$$want_cm" ]; then \
	   echo "$(1): core $(TARGET) is measured on $$wl, with the EEMBC CoreMark; COREMARK_DIR is not set, so $(COREMARK_FETCH_DIR) is used (make coremark-fetch; never committed)"; \
	   $(MAKE) --no-print-directory coremark-fetch || exit 1; cm=$(COREMARK_FETCH_DIR); \
	 fi; \
	 if [ -n "$$had" ] && [ "$$had" = "$$wl" ] && [ -z "$${WORKLOADS-}" ]; then \
	   echo "$(1): core $(TARGET) was measured on the workload set $$had: its candidates are too (WORKLOADS=$$had)"; \
	 fi; \
	 $(MAKE) --no-print-directory evo-$(1) COREMARK_DIR="$$cm" WORKLOADS="$$wl"
endef

.PHONY: loop next evo-loop evo-next report pr bench-orch bench-confine
loop: setup $(BUILD)/bin/evo
	$(call evo_with_workload,loop)

next: setup $(BUILD)/bin/evo
	$(call evo_with_workload,next)

# The runs themselves, with COREMARK_DIR settled by loop/next.
evo-loop: $(EVO_RUNTIME_PREREQS)
	@$(BUILD)/bin/evo loop $(EVO_KNOBS) -n "$(or $(N),1)"

evo-next: $(EVO_RUNTIME_PREREQS)
	@$(BUILD)/bin/evo next $(EVO_KNOBS)

report: setup $(BUILD)/bin/evo
	@test -n "$(TARGET)" || { echo "usage: make report TARGET=<core>" >&2; exit 2; }
	@$(BUILD)/bin/evo report --target "$(TARGET)" --worktrees "$(WORKTREE)"

pr: setup $(BUILD)/bin/evo
	@test -n "$(TARGET)" || { echo "usage: make pr TARGET=<core>" >&2; exit 2; }
	@$(BUILD)/bin/evo pr --target "$(TARGET)"

# Orchestrator overhead per slot on a scratch repository (fake gates, trivial agent).
bench-orch: setup $(BUILD)/bin/evo-fake
	@bash test/orch/bench-orch.sh $(BUILD)/bin/evo-fake

# The builtin agent against an exhaustive ground truth, on a seeded MODEL of
# the baseline's knob space (test/orch/landscape.h), not measured P&R.
.PHONY: bench-search
bench-search: setup $(BUILD)/bin/evo-fake $(BUILD)/bin/search-landscape
	@BUILD=$(BUILD) SEEDS="$(or $(SEEDS),1 2 3 4 5)" SLOTS="$(or $(SLOTS),3)" BUDGET="$(BUDGET)" bash test/orch/bench-search.sh

bench-confine: setup $(BUILD)/bin/bench-confine $(BUILD)/bin/evo-fake-lint
	@BUILD=$(BUILD) bash test/orch/bench-confine.sh

# make bench-slurm: the slurm executor's cost per gate job (private cluster).
.PHONY: bench-slurm
bench-slurm: setup $(BUILD)/bin/evo-fake $(BUILD)/bin/cosimctl $(BUILD)/bin/evo $(BUILD)/bin/gate_on_slurm
	@bash test/slurm/bench-slurm.sh $(BUILD)/bin/evo-fake

# make bench-slot: one single-knob slot through every real gate, cold (median
# of BENCH_SLOT_RUNS, default 3) and warm; prints `cold: N s` and `warm: N s`.
.PHONY: bench-slot
bench-slot: setup $(BUILD)/bin/evo $(EVO_RUNTIME_PREREQS)
	@bash test/orch/bench-slot.sh $(BUILD)/bin/evo
