# test/lib.sh — the same PASS/FAIL/SKIP protocol as test/unit/check.h, for shell suites.
# Source it, then:  t_pass NAME | t_fail NAME WHY | t_skip NAME WHY
#                   t_expect NAME CMD...   (passes when CMD exits 0)
t_pass() { printf 'PASS %s\n' "$1"; }
t_fail() { printf 'FAIL %s: %s\n' "$1" "$2"; }
t_skip() { printf 'SKIP %s: %s\n' "$1" "$2"; }
t_expect() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then t_pass "$name"
    else t_fail "$name" "'$*' exited $?: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"; fi
}
