#!/usr/bin/env bash
# Attack 9: exhaust memory. The agent prints its limits first; it allocates
# without bound only when its address-space limit is finite and at most
# 8 GiB (the machine must survive the attack); otherwise it says so and
# stops (the suite then fails the case with the limit it measured).
source "$(dirname "$0")/lib.sh"
grep -E '^Max (address space|processes)' /proc/self/limits | sed 's/^/attack limits: /'
as=$(awk '/^Max address space/ { print $4 }' /proc/self/limits)
if [ "$as" = unlimited ] || [ "$as" -gt $((8 << 30)) ]; then
    printf 'attack memory: not allocating: the address-space limit is %s bytes (more than 8 GiB)\n' "$as"
    exit 1
fi
# bytes(n) is calloc'ed: the address space runs out at once, without
# first filling the machine's RAM (the address-space limit counts both).
/usr/bin/python3 -c 'a = []
while True: a.append(bytes(1 << 26))'
rc=$?
printf 'attack memory: the allocation ended with status %s\n' "$rc"
exit "$rc"
