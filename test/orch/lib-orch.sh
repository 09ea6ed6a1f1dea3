# test/orch/lib-orch.sh — scratch repositories for the loop's tests (sourced).
# orch_repo DIR [EXTRA_COMMITS]: a git repository with branch main holding
# schemas/ (copied from this project), .gitignore, formal/, tools/ and a core
# "demo" whose rtl/core.sv carries the fake gates' marker. The git CLI is
# used here, in the tests only; evo itself uses libgit2. Also: field (one
# value of a log line) and orch_no_slots_left (nothing of a slot remains).
ORCH_SRC=${ORCH_SRC:-$(pwd)}

# orch_suite_init NAME: the fake-gate loop suites' common start: EVO (evo-fake)
# and AGENT (the scripted agent) as absolute paths and T, a fresh scratch
# directory /tmp/evo-NAME.*; skips the suite (exits) when evo-fake or the git
# CLI is missing. The caller sets its own trap to remove T.
orch_suite_init() {
    BUILD=${BUILD:-build}
    EVO=$(realpath "$BUILD/bin/evo-fake" 2>/dev/null)
    AGENT=$(realpath test/orch/agents/agent.sh)
    if [ -z "$EVO" ] || [ ! -x "$EVO" ]; then
        t_skip "$1" "$BUILD/bin/evo-fake is not built (make $BUILD/bin/evo-fake)"
        exit 0
    fi
    if ! command -v git >/dev/null; then
        t_skip "$1" "the git CLI (used to build scratch repositories) is missing"
        exit 0
    fi
    T=$(mktemp -d "/tmp/evo-$1.XXXXXX")
}

field() { # field JSON-LINE KEY: a string or literal value from a compact JSON line
    grep -o "\"$2\":\(\"[^\"]*\"\|[^,}]*\)" <<<"$1" | head -n1 | cut -d: -f2- | tr -d '"'
}

# orch_no_slots_left REPO [MAX_WORKTREES]: no slot/* branch, no directory
# under .worktrees/.slots, and at most MAX_WORKTREES (default 2: the main
# checkout and one core) worktrees registered.
orch_no_slots_left() {
    [ -z "$(git -C "$1" branch --list 'slot/*')" ] && [ "$(git -C "$1" worktree list | wc -l)" -le "${2:-2}" ] &&
        [ -z "$(ls -A "$1/.worktrees/.slots" 2>/dev/null)" ]
}

orch_git() { git -c user.name=test -c user.email=test@localhost -c commit.gpgsign=false "$@"; }

orch_repo() {
    local d=$1 extra=${2:-0}
    rm -rf "$d"
    mkdir -p "$d"
    git init -q -b main "$d"
    mkdir -p "$d/schemas" "$d/cores/demo/rtl" "$d/cores/demo/test" "$d/formal" "$d/tools"
    cp "$ORCH_SRC"/schemas/*.json "$d/schemas/"
    printf '/build/\n/runs/\n/.worktrees/\n*.o\n' > "$d/.gitignore"
    cat > "$d/cores/demo/core.yaml" <<'YAML'
# the loop's scratch core
name: demo
description: A scratch core for the loop's tests.
isa: rv32im
fpga:
  family: ice40
  device: hx8k
  package: ct256
  clock_mhz: 50
current:
YAML
    cat > "$d/cores/demo/rtl/core.sv" <<'SV'
// fake: fmax=50 cycles=200000 lut=3000 ff=900
module core (
    input  logic        clock,
    input  logic        reset,
    output logic [31:0] count
);
    always_ff @(posedge clock) begin
        if (reset) count <= 32'd0;
        else count <= count + 32'd1;
    end
endmodule
SV
    printf 'module alu (input logic a, output logic y);\n  assign y = a;\nendmodule\n' > "$d/cores/demo/rtl/alu.sv"
    printf 'module tb;\n  initial $display("ok");\nendmodule\n' > "$d/cores/demo/test/tb.sv"
    printf 'Keep it small.\n' > "$d/cores/demo/CORE_PHILOSOPHY.md"
    printf '// harness checks\n' > "$d/formal/checks.sv"
    printf 'int x;\n' > "$d/tools/x.c"
    orch_git -C "$d" add -A
    orch_git -C "$d" commit -qm "scratch project"
    local i
    for ((i = 1; i <= extra; i++)); do
        printf 'int v%d;\n' "$i" > "$d/tools/gen$((i % 50)).c"
        orch_git -C "$d" add -A
        orch_git -C "$d" commit -qm "history $i"
    done
}
