#!/usr/bin/env bash
# plant.sh — the gate-cache planting attack of issue 16, for agent.sh's
# "plant" and "plantkey" modes (sourced in the implement phase, cwd = the
# slot worktree). It breaks the design (COSIM_BUG: cosim would fail), works
# out the cache key the orchestrator will use for this candidate exactly as
# judge_cache_key (judge.c) and the pipeline do, and writes "pass"
# results for every gate under that key, copied from the champion's entries
# with the fitness tripled:
#   plant     the copies keep the champion's MAC (which cannot verify), and
#             lint gets a fresh entry with a guessed MAC;
#   plantkey  the attacker also reads <cache>/.key and signs its forgeries
#             (what an agent that can read the cache directory could do):
#             only the fresh re-run of the winner's cosim/coremark stops it.
# Both the unsigned layout (<cache>/<gate>-<git blob sha1>.json) and the
# signed one (<cache>/k-*/<gate>-<sha256>.json) are planted. Every planted
# path is appended to $AGENT_PLANTED. Writes that fail are ignored (an agent
# confined away from the cache has no effect, which is fine).
export LC_ALL=C # lengths in bytes, as the C code counts them
T=$EVO_TARGET
main=$(cd "$(git rev-parse --git-common-dir)/.." && pwd)
cache=$main/build/gate-cache
echo "// COSIM_BUG: the ALU is broken" >> "cores/$T/rtl/core.sv"

toolver() { # as toolver_probe: first line of --version (yosys -V, yosys-abc -c version), 190 bytes max
    command -v "$1" >/dev/null 2>&1 || { printf missing; return; }
    local out
    case $1 in
        yosys) out=$(yosys -V < /dev/null 2>&1) ;;
        yosys-abc) out=$(yosys-abc -c version < /dev/null 2>&1 | sed -e '1{/^ABC command line:/d}') ;;
        *) out=$("$1" --version < /dev/null 2>&1) ;;
    esac
    out=$(printf '%s\n' "$out" | sed -e '/./,$!d' | head -n 1 | sed -e 's/^ *//' | head -c 190)
    printf '%s' "${out:-unknown}"
}
gate_tools() { # pipeline_key_tools over the gates' declarations (gates/registry.c)
    case $1 in
        lint) echo verilator make ;;
        synth) echo yosys verilator make ;;
        formal) echo yosys yosys-abc verilator make ;;
        cosim) echo verilator c++ riscv64-unknown-elf-gcc make ;;
        pnr) echo nextpnr-ice40 yosys verilator make ;;
        coremark) echo verilator c++ riscv64-unknown-elf-gcc make nextpnr-ice40 yosys ;;
    esac
}
candidate_key() { # REV [YAMLREV]: judge_cache_key of the tree REV (core.yaml from YAMLREV)
    local k p id
    local wl=${WORKLOADS:-}
    [ -n "$wl" ] || { [ -n "${COREMARK_DIR:-}" ] && wl=coremark+vm || wl=workload+vm; } # gates/fitset.h's default
    k="harness=$(git -C "$main" rev-parse HEAD)"$'\n'"core=$T"$'\n'"workloads=$wl"$'\n'
    for p in rtl test core.yaml; do
        local rev=$1
        [ "$p" = core.yaml ] && [ -n "${2:-}" ] && rev=$2
        id=$(git rev-parse -q --verify "$rev:cores/$T/$p" 2>/dev/null) || id=none
        k+="$p=$id"$'\n'
    done
    printf '%s' "$k"
}
key_text() { # KEY GATE: the pipeline's full key text (pl_key_text)
    local k="$1"$'\n'"gate=$2"$'\n'"quick=0"$'\n' t
    for t in $(gate_tools "$2"); do k+="$t=$(toolver "$t")"$'\n'; done
    printf '%s' "$k"
}

idx=$(mktemp)
GIT_INDEX_FILE=$idx git read-tree HEAD
GIT_INDEX_FILE=$idx git add -A "cores/$T"
# $(...) drops trailing newlines, which are part of the keys: hence the x.
mine=$(candidate_key "$(GIT_INDEX_FILE=$idx git write-tree)"; printf x); mine=${mine%x}
rm -f "$idx"
# The champion's key: its own "<id>: <title>" commit's rtl/ and test/.
cid=$(sed -n 's/^  id: *//p' "cores/$T/core.yaml" | head -n1)
crev=$(git log -1 --format=%H --grep="^$cid: " "core-$T")
# The winner's commit also carries its record (core.yaml current:): the
# core.yaml the gates measured is its parent's.
champ=$(candidate_key "${crev:-core-$T}" "${crev:+$crev^}"; printf x); champ=${champ%x}

plant() { # SRC DST: copy an entry, fitness x3, re-signed in plantkey mode
    local src=$1 dst=$2 kt=$3 gate=$4 body fit
    [ -f "$src" ] || return 0
    if head -c 13 "$src" | grep -q '^evo-gcache-1 '; then body=$(tail -n +2 "$src"); else body=$(cat "$src"); fi
    if [ "$gate" = coremark ]; then
        fit=$(grep -o '"fitness":[0-9.e+]*' <<<"$body" | head -n1 | cut -d: -f2)
        body=${body/\"fitness\":$fit/\"fitness\":$(awk -v f="$fit" 'BEGIN { printf "%.1f", f * 3 }')}
    fi
    if [ "$src" = "${src#"$cache"/k-}" ]; then
        printf '%s' "$body" > "$dst" 2>/dev/null || return 0
    elif [ "$MODE" = plantkey ] && [ -r "$cache/.key" ]; then
        printf 'evo-gcache-1 %s\n%s' "$(sign "$kt" "$gate" "$body")" "$body" > "$dst" 2>/dev/null || return 0
    else
        printf 'evo-gcache-1 %s\n%s' "$(head -n1 "$src" | cut -d' ' -f2)" "$body" > "$dst" 2>/dev/null || return 0
    fi
    echo "planted: $dst"
    [ -n "${AGENT_PLANTED:-}" ] && echo "$dst" >> "$AGENT_PLANTED"
    return 0
}
sign() { # KEYTEXT GATE BODY: gcache_mac with the stolen key
    local hexkey
    hexkey=$(od -An -tx1 -v "$cache/.key" | tr -d ' \n')
    { printf 'evo-gcache-1\n'; perl -e 'print pack("Q>", $ARGV[0])' "${#1}"; printf '%s' "$1"
      perl -e 'print pack("Q>", $ARGV[0])' "${#2}"; printf '%s' "$2"; printf '%s' "$3"; } |
        openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hexkey" | awk '{ print $NF }'
}

for gate in lint synth formal cosim pnr coremark; do
    kt_mine=$(key_text "$mine" "$gate"; printf x); kt_mine=${kt_mine%x}
    kt_champ=$(key_text "$champ" "$gate"; printf x); kt_champ=${kt_champ%x}
    # the unsigned layout: <gate>-<git blob sha1 of the key text>.json
    old_mine=$(printf '%s' "$kt_mine" | git hash-object --stdin)
    old_champ=$(printf '%s' "$kt_champ" | git hash-object --stdin)
    plant "$cache/$gate-$old_champ.json" "$cache/$gate-$old_mine.json" "$kt_mine" "$gate"
    # the signed layout: k-<key id>/<gate>-<sha256 of the key text>.json
    new_mine=$(printf '%s' "$kt_mine" | sha256sum | cut -d' ' -f1)
    new_champ=$(printf '%s' "$kt_champ" | sha256sum | cut -d' ' -f1)
    for d in "$cache"/k-*/; do
        [ -d "$d" ] || continue
        if [ "$gate" = lint ] && [ "$MODE" = plant ]; then
            # a fresh entry with a guessed MAC
            printf 'evo-gcache-1 %s\n{"diagnostic":"","gate":"lint","pass":true,"seconds":1.0,"status":"pass"}' \
                "$(head -c 32 /dev/urandom | od -An -tx1 -v | tr -d ' \n')" > "$d/lint-$new_mine.json" 2>/dev/null &&
                [ -n "${AGENT_PLANTED:-}" ] && echo "$d/lint-$new_mine.json" >> "$AGENT_PLANTED"
        else
            plant "$d/$gate-$new_champ.json" "$d/$gate-$new_mine.json" "$kt_mine" "$gate"
        fi
    done
done
exit 0
