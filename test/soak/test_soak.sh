#!/usr/bin/env bash
# test/soak/test_soak.sh — make test's short soak: soak.sh with 4 rounds of 2
# slots (each property a PASS/FAIL line), then leakcheck.sh with 2 rounds
# under the ASan build. `make soak` is the long one.
# Run from the repository root.
set -u
N=${SOAK_N:-4} K=2 bash test/soak/soak.sh | grep -E '^(PASS|FAIL|SKIP) |^soak: '
LEAK_N=2 K=2 bash test/soak/leakcheck.sh
exit 0
