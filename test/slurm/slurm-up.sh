#!/usr/bin/env bash
# slurm-up.sh DIR — starts a private one-node Slurm cluster on 127.0.0.1 for the
# tests: munged, slurmctld and slurmd with a generated config, all state, logs,
# sockets and PID files under DIR. Prints the environment a client needs
# (SLURM_CONF=...) on stdout. slurm-down.sh DIR stops what this started, by PID.
# SLURM_UP_CPUS=N advertises N CPUs instead of the machine's (slurmd is told
# to trust the config), so tests of many cheap jobs need not queue them.
# Exit 0 when `sinfo` shows the node idle; 1 with the reason otherwise;
# 77 when the Slurm or munge packages are missing (the caller skips).
set -u
dir=${1:?usage: slurm-up.sh DIR}
for exe in munged slurmctld slurmd sinfo; do
    command -v "$exe" >/dev/null 2>&1 || [ -x "/usr/sbin/$exe" ] ||
        { echo "slurm-up: $exe is not installed (Debian packages slurm-wlm and munge)" >&2; exit 77; }
done
PATH=$PATH:/usr/sbin
mkdir -p "$dir"/{state,spool,log,munge} || exit 1
dir=$(cd "$dir" && pwd)
user=$(id -un)
cpus=${SLURM_UP_CPUS:-$(nproc)}
overrides=
[ "$cpus" != "$(nproc)" ] && overrides=SlurmdParameters=config_overrides
# Leave the node 1 GiB below what the kernel reports so slurmd accepts the config.
mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))
# Ports of our own, derived from the directory, so two clusters (or a system
# Slurm) on one machine do not collide.
base=$(( 20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 20000 ))

key=$dir/munge/munge.key
[ -s "$key" ] || { head -c 1024 /dev/urandom > "$key" && chmod 600 "$key"; } || exit 1
munged --key-file="$key" --socket="$dir/munge/munge.sock" --pid-file="$dir/munge/munged.pid" \
       --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" --force ||
    { echo "slurm-up: munged did not start; see $dir/log/munged.log" >&2; exit 1; }

cat > "$dir/slurm.conf" <<CONF
ClusterName=evotest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=$user
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=30
$overrides
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=evo Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF" || { echo "slurm-up: slurmctld did not start; see $dir/log/slurmctld.log" >&2; exit 1; }
slurmd -f "$SLURM_CONF" || { echo "slurm-up: slurmd did not start; see $dir/log/slurmd.log" >&2; exit 1; }
for _ in $(seq 1 60); do
    state=$(sinfo -h -n localhost -o %t 2>/dev/null)
    case $state in idle*|mix*|alloc*) echo "SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
    sleep 0.5
done
echo "slurm-up: the node did not come up (state '${state:-none}'); see $dir/log/" >&2
exit 1
