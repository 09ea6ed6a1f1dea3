#!/usr/bin/env bash
# The head of the crash campaign's cmd: agent: crash.sh appends the loop
# tests' agent (test/orch/agents/agent.sh, which reads AGENT_MODES) to it in
# one file, because a confined agent sees its own executable and nothing
# else of the checkout. It holds first in the phase named by CRASH_HOLD
# (hypothesis or implement): it says "crash hold: <phase>" in its transcript
# and sleeps CRASH_HOLD_S seconds (a number unique to the campaign, so that a
# sleep that outlives evo is found), giving the campaign a known moment to
# kill evo in.
if [ "${CRASH_HOLD:-}" = "$EVO_PHASE" ]; then
    echo "crash hold: $EVO_PHASE"
    sleep "${CRASH_HOLD_S:-600}"
fi
