#!/usr/bin/env bash
# test_crash.sh — the short crash campaign for make test: five kills of
# evo-fake (the agent, followed by the lock files a kill inside a git write
# leaves; a gate; between two commits of a round; the clean-up; one random
# moment of a fixed seed), each checked as crash.sh says; then five kills
# of rounds with PARENT=topk:2 around the refs of kept designs.
# The full campaign: make crash-test [KILLS=20] [SEED=...].
CRASH_PHASES="reflock cosim merged cleanup" bash test/crash/crash.sh 5 7
rc=$?
# PARENT=topk:2, slot 2 winning from the runner-up every other round (the
# agent's topwin mode): kills at a slot's start from the runner-up, at a
# kept design's ref, before the branch moves past such a winner's exact-tree
# commit, after a pruning, and at one random moment.
CRASH_PARENT=topk:2 CRASH_MODES=topwin CRASH_PHASES="overlaid kept publish pruned" bash test/crash/crash.sh 5 11
exit $((rc | $?))
