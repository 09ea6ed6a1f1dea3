#!/usr/bin/env bash
# test_crash.sh — the short crash campaign for make test: five kills of
# evo-fake (the agent, followed by the lock files a kill inside a git write
# leaves; a gate; between two commits of a round; the clean-up; one random
# moment of a fixed seed), each checked as crash.sh says.
# The full campaign: make crash-test [KILLS=20] [SEED=...].
CRASH_PHASES="reflock cosim merged cleanup" exec bash test/crash/crash.sh 5 7
