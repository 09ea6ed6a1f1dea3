# clang.sh — the whole C tree must build warning-clean (-Werror) under clang
# too, not only gcc. Builds into build/clang so it never disturbs build/.
source test/lib.sh
if ! command -v clang >/dev/null; then
    t_skip "clang build" "clang not installed (bash tools/setup.sh installs it)"
    exit 0
fi
log=$(mktemp)
if make --no-print-directory -j2 BUILD=build/clang CC=clang c-all >"$log" 2>&1; then
    t_pass "clang build: every C binary and unit suite, -Wall -Wextra -Werror"
else
    t_fail "clang build" "$(grep -E 'error|warning' "$log" | head -n 5 | tr '\n' ' ')"
fi
rm -f "$log"
