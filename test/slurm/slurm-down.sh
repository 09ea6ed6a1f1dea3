#!/usr/bin/env bash
# slurm-down.sh DIR — stops the daemons slurm-up.sh DIR started, by the PIDs in
# their PID files (slurmd, slurmctld, then munged), waiting up to 10 s each.
# A daemon stopped before it wrote its PID file (slurm-up.sh interrupted) is
# found by its command line, which names DIR, and stopped by that PID.
set -u
dir=${1:?usage: slurm-down.sh DIR}
stop() {   # stop PID: TERM, wait up to 10 s, then KILL
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$1" 2>/dev/null
}
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -s "$pidfile" ] && stop "$(cat "$pidfile")"
    rm -f "$pidfile"
done
for name in slurmd slurmctld munged; do
    for pid in $(pgrep -f "^$name .*$dir/" 2>/dev/null); do stop "$pid"; done
done
exit 0
