# tools/agents: the provider contract (agent.h: the provider table, agent_run,
# the cmd: provider) and the providers of DESIGN.md §6.
#   $(BUILD)/lib/libagents.a   builtin design-space agent (knobmodel, rtlparam,
#                              builtin), the claude and codex CLI providers,
#                              and the scribe (LESSONS.md lines)
#   $(BUILD)/bin/evo-agent-builtin   the builtin agent by hand, or as AGENT=cmd:
# The builtin agent reads the log through records.
AGENTS_SRCS := tools/agents/agent.c tools/agents/exec.c tools/agents/rtlparam.c tools/agents/knobmodel.c \
               tools/agents/builtin.c tools/agents/providers.c tools/agents/scribe.c
$(eval $(call c_lib,agents,$(AGENTS_SRCS)))
AGENTS_LIBS := agents records schema yamljson accept xlib
$(eval $(call c_prog,bin/evo-agent-builtin,tools/agents/builtin_main.c,$(AGENTS_LIBS)))
C_BINS += $(BUILD)/bin/evo-agent-builtin
