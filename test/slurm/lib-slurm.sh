# lib-slurm.sh — shared by the Slurm suites (source after test/lib.sh).
# slurm_start NAME DIR [CPUS]: starts a private one-node cluster in DIR
# (slurm-up.sh; CPUS advertised, default the machine's), exports its
# SLURM_CONF and puts /usr/sbin on PATH. Returns 0 when it runs; otherwise
# the suite NAME is reported skipped (the packages are missing) or failed,
# and it returns 1. Stop it with `bash test/slurm/slurm-down.sh DIR`.
slurm_start() {
    local name=$1 dir=$2 cpus=${3:-} up rc
    mkdir -p "$dir"
    up=$(SLURM_UP_CPUS=$cpus bash test/slurm/slurm-up.sh "$dir" 2>"$dir/up.err")
    rc=$?
    if [ "$rc" -eq 77 ]; then
        t_skip "$name" "$(cat "$dir/up.err")"
        return 1
    elif [ "$rc" -ne 0 ]; then
        t_fail "$name: private cluster starts" "$(tail -n 3 "$dir/up.err" | tr '\n' ' ')"
        return 1
    fi
    export "$up"
    PATH=$PATH:/usr/sbin
}

# slurm_verdicts REPO CORE: what judges each design in core-CORE's log, one
# JSON line per entry (keys sorted): its verdict, failed gate, acceptance
# and first diagnostic line (paths masked), and the figures of a design that
# passed. A failed candidate's figures are left out: which later gates had
# started when the deciding gate failed depends on timing, locally too.
slurm_verdicts() {
    git -C "$1" show "core-$2:cores/$2/experiments/log.jsonl" |
        jq -cS '{round, slot, outcome, failed_gate, accepted,
                 diag: ((.diagnostic // "") | (split("\n")[0] // "") | gsub("/[^ ]*"; "<path>"))} +
                (if .failed_gate then {} else {fitness, delta_pct, fmax_mhz, cycles, lut, ff} end)'
}
