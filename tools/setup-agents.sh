#!/usr/bin/env bash
# setup-agents.sh — installs the real model CLIs (Claude Code, Codex) from
# the npm registry, for the test that runs them confined
# (test/orch/test_confine_cli.sh). Nothing to do when both are there; without
# npm, or when the install fails, it says so and the test skips (never fails
# the build): the loop itself needs neither CLI.
set -u
missing=()
command -v claude >/dev/null || missing+=(@anthropic-ai/claude-code)
command -v codex >/dev/null || missing+=(@openai/codex)
[ "${#missing[@]}" -eq 0 ] && exit 0
if ! command -v npm >/dev/null; then
    echo "setup-agents: npm is not installed: the confined-CLI tests will be skipped" >&2
    exit 0
fi
echo "setup-agents: installing ${missing[*]} (npm install -g)" >&2
timeout 600 npm install -g --no-fund --no-audit "${missing[@]}" >&2 ||
    echo "setup-agents: 'npm install -g ${missing[*]}' failed: the confined-CLI tests will be skipped" >&2
exit 0
