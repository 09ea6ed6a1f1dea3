#!/usr/bin/env bash
# A cmd: agent for the crash campaign: the loop tests' agent
# (test/orch/agents/agent.sh, which reads AGENT_MODES), held first in the
# phase named by CRASH_HOLD (hypothesis or implement): it says
# "crash hold: <phase>" in its transcript and sleeps CRASH_HOLD_S seconds (a
# number unique to the campaign, so that a sleep that outlives evo is found),
# giving the campaign a known moment to kill evo in.
if [ "${CRASH_HOLD:-}" = "$EVO_PHASE" ]; then
    echo "crash hold: $EVO_PHASE"
    sleep "${CRASH_HOLD_S:-600}"
fi
exec bash "$(dirname "$0")/../orch/agents/agent.sh"
