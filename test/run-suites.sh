#!/usr/bin/env bash
# run-suites.sh SUITE... — runs each test suite (an executable or a script run with
# bash) from the repository root, streams its PASS/FAIL/SKIP lines, and closes with
# "N passed, N failed, N skipped". Exit 1 on any failure or if no test ran.
# A suite that exits non-zero (a crash, a sanitizer report) counts as one failure.
set -u
pass=0 fail=0 skip=0
failed_names=()
for suite in "$@"; do
    name=${suite#./}
    echo "== $name"
    out=$(mktemp)
    if [[ $suite == *.sh ]]; then runner=(bash "$suite"); else runner=("$suite"); fi
    t0=$SECONDS
    "${runner[@]}" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    echo "-- $name: $((SECONDS - t0)) s"
    p=$(grep -c '^PASS ' "$out"); f=$(grep -c '^FAIL ' "$out"); s=$(grep -c '^SKIP ' "$out")
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    [ "$f" -gt 0 ] && failed_names+=("$name")
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name: suite exited with status $rc"
        fail=$((fail + 1)); failed_names+=("$name (exit $rc)")
    fi
    rm -f "$out"
done
echo
if [ "${#failed_names[@]}" -gt 0 ]; then printf 'failing suites: %s\n' "${failed_names[*]}"; fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
