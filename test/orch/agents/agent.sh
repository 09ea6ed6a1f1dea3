#!/usr/bin/env bash
# A cmd: agent for the loop's tests. It runs in the slot worktree (its cwd),
# reads the prompt on stdin and behaves according to AGENT_MODES, a comma
# list indexed by EVO_SLOT (slot 1 takes the first mode): improve (Fmax
# x1.2), regress (x0.9), big (x1.5), topwin (x1.5 when the prompt names a
# parent design other than the champion, else x0.9), same (x1.005, inside the noise margin), narrow
# (x1.035: above the margin, inside the seed noise), lucky (as narrow, but
# seeds 4.. route at x0.9: three lucky seeds), noop,
# formal (edits formal/), symlink, system ($system in RTL), syntax (lint
# error), formalbug, gateerror (synth cannot run), bigarea (does not place), harness (writes into the main
# checkout), slow (sleeps AGENT_SLEEP s first), crash (SIGSEGV), ignored
# (leaves an ignored file in rtl/), execbit, coreyaml, gitattr, casetrick,
# badhyp, nohyp, hypcrash, hypextra (writes RTL in the hypothesis phase),
# hypfifo / hypzero / hypbig (a FIFO, a /dev/zero link, 10 MiB as the hypothesis),
# exhausted (nothing left to propose: exit 3 in the hypothesis phase),
# macrodpi (issue 17: a DPI import of system() assembled from macros behind
# a lower-case `ifndef verilator, whose call would touch AGENT_MARKER),
# relinclude (issue 17: `include "build/x.svh", a file of the main checkout).
# spin (a testbench that never ends: the real lint gate runs it).
# ansititle / ansiprose / nultitle / ansiknob (a terminal escape or a NUL in
# the title, the motivation or a knob value: YAML escapes, so the file itself
# stays printable).
# plant / plantkey (break cosim and plant passing gate-cache entries for the
# candidate with the champion's fitness tripled: plant.sh).
set -eu
IFS=, read -ra modes <<<"${AGENT_MODES:-improve}"
mode=${modes[$(( (EVO_SLOT - 1) % ${#modes[@]} ))]}
IFS= read -r -d '' prompt || true # the prompt arrives on stdin (read whole, newlines kept)
prompt_bytes=$(printf '%s' "$prompt" | wc -c)
# One line for the tests on stdout (the transcript): the agent is confined,
# so nothing it writes elsewhere would reach them.
printf 'record: %s %s %s %s %s\n' "$EVO_PHASE" "$EVO_ID" "$EVO_SLOT" "$prompt_bytes" "$PWD"
rtl=cores/$EVO_TARGET/rtl/core.sv

before_endmodule() { # insert the lines of $1 before the endmodule of core.sv
    awk -v add="$1" '/^endmodule/ { print add } { print }' "$rtl" > "$rtl.new" && mv "$rtl.new" "$rtl"
}

scale() { # multiply the fake marker's fmax by $1
    local cur new
    cur=$(grep -o 'fmax=[0-9.]*' "$rtl" | head -n1 | cut -d= -f2)
    new=$(awk -v c="$cur" -v f="$1" 'BEGIN { printf "%.4f", c * f }')
    sed -i "s/fmax=$cur/fmax=$new/" "$rtl"
}

if [ "$EVO_PHASE" = hypothesis ]; then
    case $mode in
        badhyp) printf 'id: %s\ntitle: x\n' "$EVO_ID" > "$EVO_HYPOTHESIS"; exit 0 ;;
        nohyp) exit 0 ;;
        exhausted) echo "design space exhausted from champion $EVO_ID-parent: every move was tried"; exit 3 ;;
        hypcrash) echo "hypothesis agent failing on purpose"; exit 4 ;;
        hypextra) echo "// written during the hypothesis phase" > "cores/$EVO_TARGET/rtl/extra.sv" ;;
        hypfifo) mkfifo "$EVO_HYPOTHESIS"; exit 0 ;;
        hypzero) ln -s /dev/zero "$EVO_HYPOTHESIS"; exit 0 ;;
        hypbig) head -c 10485760 /dev/zero | tr '\0' '#' > "$EVO_HYPOTHESIS"; exit 0 ;;
    esac
    title="Test change '$mode' in slot $EVO_SLOT"
    motivation="This hypothesis was written by the fake agent of the loop's test suite for mode $mode."
    knob=1
    case $mode in
        ansititle) title='\e[2J\e[H\e[32mALL GATES PASSED\e[0m' ;;
        nultitle) title='A title with a \0 NUL byte' ;;
        ansiprose) motivation="$motivation\\n\\e[2J\\e[32mALL GATES PASSED\\e[0m" ;;
        ansiknob) knob='"3\e[2J\e[32mALL GATES PASSED"' ;;
    esac
    cat > "$EVO_HYPOTHESIS" <<YAML
id: $EVO_ID
title: "$title"
category: micro_opt
motivation: "$motivation"
hypothesis: The fake agent edits the fake marker of core.sv as mode '$mode' says and predicts the effect.
expected_impact:
  fitness_delta_pct: 1.5
  confidence: low
changes:
  - file: rtl/core.sv
    description: edit the fake marker
knobs:
  MUL_IMPL: $knob
YAML
    exit 0
fi

case $mode in
    improve|hypextra|ansititle|ansiprose|nultitle|ansiknob) scale 1.2 ;;
    regress) scale 0.9 ;;
    big) scale 1.5 ;;
    topwin) case $prompt in *"Parent design: "*) scale 1.5 ;; *) scale 0.9 ;; esac ;;
    same) scale 1.005 ;;
    narrow) scale 1.035 ;;
    lucky) scale 1.035; sed -i 's|^// fake: .*|& reseed=0.9|' "$rtl" ;;
    noop) ;;
    formal) echo "// tampered" >> formal/checks.sv; scale 1.2 ;;
    symlink) ln -s /etc/passwd "cores/$EVO_TARGET/rtl/passwd.sv"; scale 1.2 ;;
    system) sed -i 's/^endmodule/  initial $system("echo escaped");\nendmodule/' "$rtl"; scale 1.2 ;;
    syntax) echo "SYNTAX_ERROR" >> "$rtl" ;;
    formalbug) echo "// FORMAL_BUG" >> "$rtl" ;;
    gateerror) echo "// SYNTH_CANNOT_RUN" >> "$rtl" ;;
    bigarea) sed -i 's/lut=[0-9]*/lut=9000/' "$rtl" ;;
    harness) echo "// tampered by an agent" >> "$EVO_CORE_DIR/../../../../../formal/checks.sv"; scale 1.2 ;;
    slow) echo "slow agent: sleeping ${AGENT_SLEEP:-30} s"
          [ -n "${AGENT_PIDFILE:-}" ] && echo $$ > "$AGENT_PIDFILE"
          sleep "${AGENT_SLEEP:-30}"; scale 1.2 ;;
    crash) kill -SEGV $$ ;;
    spin) scale 1.2; printf 'module tb_spin;\n  initial begin\n    forever #1;\n  end\nendmodule\n' > "cores/$EVO_TARGET/test/tb_spin.sv" ;;
    ignored) scale 1.2; echo junk > "cores/$EVO_TARGET/rtl/junk.o" ;;
    execbit) scale 1.2; chmod +x "$rtl" ;;
    coreyaml) scale 1.2; echo "# edited" >> "cores/$EVO_TARGET/core.yaml" ;;
    gitattr) scale 1.2; echo "* text" > "cores/$EVO_TARGET/rtl/.gitattributes" ;;
    plant|plantkey) MODE=$mode bash "$(dirname "$0")/plant.sh" ;;
    casetrick) scale 1.2; mkdir -p "Cores/$EVO_TARGET/rtl"; echo "module x; endmodule" > "Cores/$EVO_TARGET/rtl/x.sv" ;;
    macrodpi) scale 1.2
        before_endmodule "$(printf '%s\n' '`define IMP import' '    wire unused_w;' '`define STR "DPI-C"' \
            '`ifndef verilator' '    `IMP `STR function integer system(string cmd);' \
            "    localparam integer R = system(\"touch ${AGENT_MARKER:-/tmp/evo-agent-marker}\");" '`endif')" ;;
    relinclude) scale 1.2; before_endmodule '`include "build/x.svh"' ;;
    *) echo "agent.sh: unknown mode $mode" >&2; exit 2 ;;
esac
