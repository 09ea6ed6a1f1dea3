# test/attack/agents/lib.sh — sourced by every attack agent (a cmd: agent of
# test/attack/attack.sh). It answers the hypothesis phase with a valid
# hypothesis (and exits), so that each attack script only holds its attack.
# The suite passes, through the environment:
#   ATTACK_REPO   the scratch repository's main checkout (absolute)
#   ATTACK_MARK   a prefix for host /tmp markers (/tmp/evo-attack-<uniq>)
#   ATTACK_HOST   a host directory for markers (must stay empty)
#   ATTACK_TAG    a unique string the attack's processes carry (pgrep -f)
# Agents print one "attack <what>: done|refused: <error>" line per attempt on
# stdout (their transcript, runs/<T>/<id>/agent-<phase>.log), which the suite
# reads: the agent is confined, nothing else it writes reaches the host.
set -u
prompt_bytes=$(wc -c)   # the prompt arrives on stdin
printf 'record: %s %s %s %s\n' "$EVO_PHASE" "$EVO_ID" "$prompt_bytes" "$PWD"
RTL=cores/$EVO_TARGET/rtl/core.sv
REFUSED=()

# The hypothesis every attack agent proposes (schemas/hypothesis.schema.json).
write_hypothesis() {
    cat > "$EVO_HYPOTHESIS" <<YAML
id: $EVO_ID
title: Attack $(basename "$0" .sh) in slot $EVO_SLOT
category: micro_opt
motivation: This hypothesis was written by an attack agent of the attack suite (test/attack).
hypothesis: The agent edits the fake marker of core.sv and predicts a small effect on fitness.
expected_impact:
  fitness_delta_pct: 1.5
  confidence: low
changes:
  - file: rtl/core.sv
    description: edit the fake marker
YAML
}

# try LABEL CMD...: one attempt; its result is a line on stdout.
try() {
    local label=$1 out
    shift
    if out=$("$@" 2>&1); then
        printf 'attack %s: done\n' "$label"
    else
        out=$(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)
        printf 'attack %s: refused: %s\n' "$label" "$out"
        REFUSED+=("$label: $out")
    fi
}

# scale F: multiply the fake marker's fmax by F (0.9: a regression, so that
# an improvement can only come from the attack itself).
scale() {
    local cur new
    cur=$(grep -o 'fmax=[0-9.]*' "$RTL" | head -n1 | cut -d= -f2)
    new=$(awk -v c="$cur" -v f="$1" 'BEGIN { printf "%.4f", c * f }')
    sed -i "s/fmax=$cur/fmax=$new/" "$RTL"
}

# finish: like a naive script under set -e, an agent whose write was refused
# stops with the error as its last output; otherwise it exits 0.
finish() {
    if [ "${#REFUSED[@]}" -gt 0 ]; then
        printf 'attack: %d attempt(s) refused: %s\n' "${#REFUSED[@]}" "${REFUSED[*]}"
        exit 1
    fi
    exit 0
}

if [ "$EVO_PHASE" = hypothesis ] && [ "${ATTACK_IN_HYPOTHESIS:-0}" != 1 ]; then
    write_hypothesis
    exit 0
fi
