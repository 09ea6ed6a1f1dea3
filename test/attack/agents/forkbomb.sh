#!/usr/bin/env bash
# Attack 10: start up to 2000 sleeping processes (for at most 15 s); each
# carries ATTACK_TAG-fork in its command line. perl, not bash: bash retries
# a failed fork for half a minute.
source "$(dirname "$0")/lib.sh"
perl -e '
    my ($tag, $n, $t0) = ($ARGV[0], 0, time);
    $| = 1;
    while ($n < 2000 && time - $t0 < 15) {
        my $pid = fork;
        if (!defined $pid) { print "attack fork: failed after $n: $!\n"; exit 1 }
        if ($pid == 0) { exec { "/bin/sleep" } "$tag-fork", "60"; exit 0 }
        $n++;
    }
    print "attack fork: started $n, fork never failed\n";
    exit 0' "$ATTACK_TAG"
rc=$?
[ "$rc" -ne 0 ] && exit "$rc"
scale 0.9
exit 0
