#!/usr/bin/env bash
# slurm-down.sh DIR — stops the daemons slurm-up.sh DIR started, by the PIDs in
# their PID files (slurmd, slurmctld, then munged), waiting up to 10 s each.
set -u
dir=${1:?usage: slurm-down.sh DIR}
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    rm -f "$pidfile"
done
exit 0
