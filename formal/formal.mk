# formal/formal.mk — the formal gate (DESIGN.md §3) and its make targets.
#   make formal TARGET=<core>        the fast suite (the gate), per-check table
#   make formal-deep TARGET=<core>   the deep suite: exact M arithmetic
# FORMAL_ARGS adds runner options, e.g. FORMAL_ARGS="--checks reg,ch0_load".

.PHONY: formal formal-deep
formal: $(BUILD)/bin/formal
	@test -n "$(TARGET)" || { echo "usage: make formal TARGET=<core>" >&2; exit 2; }
	@$(BUILD)/bin/formal --core $(TARGET) $(FORMAL_ARGS)

formal-deep: $(BUILD)/bin/formal
	@test -n "$(TARGET)" || { echo "usage: make formal-deep TARGET=<core>" >&2; exit 2; }
	@$(BUILD)/bin/formal --core $(TARGET) --deep $(FORMAL_ARGS)

# make bench-formal TARGET=<core> [RUNS=3] [DEEP=1]: median wall and per-check
# times of the fast suite (DEEP=1: the deep suite).
.PHONY: bench-formal
bench-formal: $(BUILD)/bin/formal
	@test -n "$(TARGET)" || { echo "usage: make bench-formal TARGET=<core>" >&2; exit 2; }
	@BUILD=$(BUILD) bash formal/bench.sh $(TARGET) $(or $(RUNS),3) $(if $(DEEP),--deep)
