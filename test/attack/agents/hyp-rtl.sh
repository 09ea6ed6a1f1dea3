#!/usr/bin/env bash
# Attack 13: write the RTL (and the tests) during the hypothesis phase,
# where only the hypotheses directory may be written.
ATTACK_IN_HYPOTHESIS=1
source "$(dirname "$0")/lib.sh"
if [ "$EVO_PHASE" = hypothesis ]; then
    write_hypothesis
    try "rtl in the hypothesis phase" sed -i 's/fmax=[0-9.]*/fmax=999/' "$RTL"
    try "new rtl file" sh -c 'printf "module extra; endmodule // %s\n" "$2" > "$1"' sh "cores/$EVO_TARGET/rtl/extra.sv" "$ATTACK_TAG"
    try "new test file" sh -c 'printf "// %s\n" "$2" > "$1"' sh "cores/$EVO_TARGET/test/extra.sv" "$ATTACK_TAG"
    finish
fi
scale 0.9
exit 0
