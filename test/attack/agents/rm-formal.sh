#!/usr/bin/env bash
# Attack 7: delete the harness's formal/ (the checks every candidate is held to).
source "$(dirname "$0")/lib.sh"
try "rm -rf formal" rm -rf "$ATTACK_REPO/formal"
try "rm -rf formal (relative)" rm -rf "$EVO_CORE_DIR/../../../../../formal"
scale 0.9
finish
