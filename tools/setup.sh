#!/usr/bin/env bash
# setup.sh — makes sure the Debian packages the harness needs (listed below) are installed.
# Fast path: one dpkg-query call, nothing else (well under a second).
# Missing packages: as root, `apt-get update` once then `apt-get install`;
# otherwise print the exact command to run and exit 1.
# afl++ serves `make fuzz` only; no other target needs it.
set -u
PKGS="build-essential pkg-config clang libgit2-dev libyaml-dev libjansson-dev libelf-dev
verilator yosys nextpnr-ice40 fpga-icestorm
gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf
gnuplot-nox git bubblewrap util-linux
slurm-wlm munge jq
afl++"

missing=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PKGS 2>/dev/null |
          awk '$2 == "installed" { ok[$1] = 1 } END { for (p in ok) print p }' |
          sort | comm -13 - <(printf '%s\n' $PKGS | sort))
[ -z "$missing" ] && exit 0

missing=$(echo $missing)
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages; run:  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
fi
echo "setup: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || { echo "setup: 'apt-get update' failed; check the network or apt sources" >&2; exit 1; }
apt-get install -y -q --no-install-recommends $missing >&2 ||
    { echo "setup: 'apt-get install -y $missing' failed; see the apt output above" >&2; exit 1; }
