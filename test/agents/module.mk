# test/agents: tests of the agent providers (tools/agents, issue 7).
#   test_agents_units      rtlparam (parameter lines), knob model on hand-made
#                          logs, scribe format and append-only check, builtin
#                          phases on a scratch core (hypothesis schema-valid)
#   test_agents_providers  the builtin/claude/codex providers; claude and codex
#                          are the stand-ins in test/agents/bin (first on PATH)
#   test_agents_cli.sh     evo-agent-builtin on a copy of cores/baseline
#   test_agents_loop.sh    the builtin agent in the loop (evo-fake, fake gates)
#                          on a scratch repository: every move once, exhaustion
$(eval $(call c_prog,bin/test_agents_units,test/agents/test_agents_units.c,$(AGENTS_LIBS)))
$(eval $(call c_prog,bin/test_agents_providers,test/agents/test_agents_providers.c,$(AGENTS_LIBS)))
UNIT_SUITES += $(BUILD)/bin/test_agents_units $(BUILD)/bin/test_agents_providers
TEST_SUITES += test/agents/test_agents_cli.sh test/agents/test_agents_loop.sh
test-prereqs: $(BUILD)/bin/evo-agent-builtin $(BUILD)/bin/evo-fake
