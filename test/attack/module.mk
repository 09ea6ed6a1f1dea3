# test/attack: the attack suite (issue 16). Hostile cmd: agents
# (test/attack/agents/) against the loop's confinement on scratch
# repositories, with the fake gates (evo-fake) and the real lint gate
# (evo-fake-lint); ATTACK_CONFINE=off (by hand, not in make test) shows
# that the attacks succeed without the sandbox.
TEST_SUITES += test/attack/attack.sh
test-prereqs: $(BUILD)/bin/evo-fake
