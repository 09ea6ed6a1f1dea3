#!/usr/bin/env bash
# test_confine_cli.sh — the real model CLIs (Claude Code, Codex) run by the
# loop inside their sandbox. No model can be reached from here, so each run
# must end at the CLI's own authentication or network error: the test checks
# that the real binary started in the slot worktree, confined (log entry),
# with a private HOME holding only copies of its login files (the scratch
# HOME of this test is unchanged afterwards and the private one is gone),
# and that the slot ends as broken: agent without touching anything else.
# Skipped, saying why, where a CLI or bubblewrap is missing.
set -u
source test/lib.sh
source test/orch/lib-orch.sh
BUILD=${BUILD:-build}
EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
if [ -z "$EVO" ] || [ ! -x "$EVO" ]; then
    t_skip confine-cli "$BUILD/bin/evo-fake is not built"
    exit 0
fi
if ! bwrap --ro-bind / / --unshare-all true 2>/dev/null; then
    t_skip confine-cli "bubblewrap cannot create namespaces here (install bubblewrap; allow user namespaces)"
    exit 0
fi
T=$(mktemp -d /tmp/evo-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HOME=$T/home
mkdir -p "$HOME/.codex" "$HOME/.claude"
printf 'model = "gpt-test"\n' > "$HOME/.codex/config.toml"
printf '{"theme": "dark"}\n' > "$HOME/.claude/settings.json"
printf 'secret-not-a-login-file\n' > "$HOME/.claude/notes.txt"
home_hash() { (cd "$HOME" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum); }
H0=$(home_hash)

run_cli() { # NAME TIMEOUT PATTERN: one round with AGENT=NAME
    local cli=$1 limit=$2 pattern=$3 R=$T/repo-$1
    if ! command -v "$cli" >/dev/null; then
        t_skip "confine-cli: $cli" "$cli is not installed (npm install -g; make test installs it when npm is present)"
        return
    fi
    orch_repo "$R"
    (cd "$R" && "$EVO" next --target demo --agent "$cli" --agent-timeout "$limit") > "$T/out-$cli" 2>&1
    local rc=$? L
    L=$(git -C "$R" show core-demo:cores/demo/experiments/log.jsonl | tail -n 1)
    local rundir tr
    rundir=$(grep -o '"rundir":"[^"]*"' <<<"$L" | cut -d'"' -f4)
    tr=$(cat "$rundir"/agent-*.log 2>/dev/null)
    t_expect "confine-cli: $cli: the round completes" test "$rc" -eq 0
    t_expect "confine-cli: $cli: the slot is broken: agent" grep -q '"failed_gate":"agent"' <<<"$L"
    t_expect "confine-cli: $cli: the real CLI ran and stopped at its own error ($pattern)" grep -Eqi "$pattern" <<<"$tr"
    local conf
    conf=$(grep -o '"confinement":{[^}]*}' <<<"$L")
    t_expect "confine-cli: $cli: it ran in bubblewrap with the network ($conf)" \
        bash -c "grep -q '\"agent\":\"bwrap\"' <<<'$conf' && grep -q '\"network\":true' <<<'$conf'"
    t_expect "confine-cli: $cli: its private HOME is gone" test -z "$(ls -A "$R/runs/demo/.evo/homes" 2>/dev/null)"
    t_expect "confine-cli: $cli: the user's HOME is unchanged" test "$(home_hash)" = "$H0"
    t_expect "confine-cli: $cli: the main checkout is unchanged" test -z "$(git -C "$R" status --porcelain)"
}
# Claude Code says it is not logged in; Codex, with no network to reach,
# retries until its time is up.
run_cli claude 60 'not logged in|login|api key|authentication'
run_cli codex 15 'reconnecting|failed to lookup|network|auth'
exit 0
