#!/usr/bin/env bash
# depfiles.sh — the build never reads a planted dependency file (issue 17,
# item 4): a .d file under build/obj with a $(shell ...) line used to run its
# command on every make, even `make -n`. A generated .d holds no '$'; the top
# Makefile reads only those. The case plants one and runs `make -n all`.
set -u
source test/lib.sh
BUILD=${BUILD:-build}
T=$(mktemp -d /tmp/evo-depfiles.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/build/obj/x"
printf 'x.o: $(shell touch %s/ran)\n' "$T" > "$T/build/obj/x/planted.d"
printf 'y.o: tools/lib/fsx.c tools/lib/fsx.h\n' > "$T/build/obj/x/honest.d"
make -n BUILD="$T/build" all > "$T/out" 2>&1
t_expect "depfiles: a planted \$(shell ...) in a .d file never runs" test ! -e "$T/ran"
# The same planting with the old rule would run it: proves the case can fail.
printf 'include %s/build/obj/x/planted.d\nall:\n\t@true\n' "$T" > "$T/old.mk"
make -s -f "$T/old.mk" > /dev/null 2>&1
t_expect "depfiles: (control) including it blindly does run it" test -e "$T/ran"
exit 0
