#!/usr/bin/env bash
# test_results_readme.sh — the README's results table is what `make report`
# prints for the records committed on this commit: for every core that has a
# "## Results: <core>" section, the champion path rows (id, round, fitness,
# delta, median Fmax, CoreMark/MHz, LCs) must be those of
# `evo report --target <core>` run on a clone of HEAD (so a core branch ahead
# of main in a developer's checkout does not count). A hand-edited or stale
# table fails here. Usage: test_results_readme.sh [BUILD_DIR]
set -u
cd "$(dirname "$0")/../.." || exit 1
. test/lib.sh
BUILD=${1:-${BUILD:-build}}
EVO=$(realpath -m "$BUILD/bin/evo")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The champion path rows of a report on stdin, one per line:
# "round id fitness delta fmax cmmhz lcs".
report_rows() {
    awk '/^champion path/ { on = 1; next }
         on && /^ *id / { next }
         on && NF == 0 { exit }
         on { print $2, $1, $3, $4, $5, $6, $7 }'
}

# The rows of the first table under "## Results: $1" in the README file $2,
# in the same form ("41.25 MHz" -> "41.25").
readme_rows() {
    awk -v core="$1" '
        $0 == "## Results: " core { on = 1; next }
        on && /^## / { exit }
        on && /^\| *[0-9]+ *\|/ {
            n = split($0, f, "|")
            for (i = 2; i <= 8; i++) { gsub(/^ +| +$/, "", f[i]); sub(/ MHz$/, "", f[i]) }
            print f[2], f[3], f[4], f[5], f[6], f[7], f[8]; seen = 1; next }
        seen && !/^\|/ { exit }' "$2"
}

cores=$(sed -n 's/^## Results: \([a-z0-9-]*\)$/\1/p' README.md)
if [ -z "$cores" ]; then
    t_skip "results: README tables match make report" "README.md has no '## Results: <core>' section"
    printf '0 passed, 0 failed, 1 skipped\n'
    exit 0
fi
if [ ! -x "$EVO" ]; then
    t_fail "results: README tables match make report" "$EVO is not built (make c-all)"
    exit 1
fi
git clone -q --shared . "$T/repo" 2>"$T/clone.err" || {
    t_fail "results: a clone of HEAD" "$(cat "$T/clone.err")"
    exit 1
}
git -C "$T/repo" checkout -q --detach "$(git rev-parse HEAD)"
git -C "$T/repo" branch -q -f main HEAD

for c in $cores; do
    name="results: README's $c table is make report's champion path"
    (cd "$T/repo" && "$EVO" report --target "$c") > "$T/report.$c" 2>&1
    report_rows < "$T/report.$c" > "$T/want.$c"
    readme_rows "$c" README.md > "$T/got.$c"
    if [ ! -s "$T/want.$c" ]; then
        t_fail "$name" "evo report printed no champion path: $(head -n 3 "$T/report.$c" | tr '\n' ' ')"
    elif diff -u "$T/want.$c" "$T/got.$c" > "$T/diff.$c"; then
        t_pass "$name"
    else
        t_fail "$name" "README differs (-report +README): $(grep '^[-+][^-+]' "$T/diff.$c" | head -n 4 | tr '\n' ' ')"
    fi
    # The comparison itself must see a changed figure.
    sed '/^## Results: '"$c"'$/,/^## /{s/^\(| *[0-9]* *| *[a-z0-9-]* *| *\)[0-9.]*/\19999.9/}' README.md > "$T/README.bad"
    readme_rows "$c" "$T/README.bad" > "$T/bad.$c"
    t_expect "results: a changed figure in $c's table is seen" bash -c "! cmp -s '$T/want.$c' '$T/bad.$c'"
done
