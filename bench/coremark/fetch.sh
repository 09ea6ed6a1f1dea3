#!/usr/bin/env bash
# fetch.sh DEST - clones the official EEMBC CoreMark repository into DEST
# (third_party/coremark, gitignored) when the network allows.  Never vendored:
# the checkout stays outside version control and nothing in the build needs it.
# Exit 0 when DEST holds a CoreMark checkout afterwards; 1 with a message
# saying what to do when it cannot be fetched.
set -u
dest=${1:-third_party/coremark}
url=${COREMARK_URL:-https://github.com/eembc/coremark}

if [ -f "$dest/core_main.c" ] && [ -f "$dest/coremark.h" ]; then
    echo "coremark-fetch: $dest already holds CoreMark; build it with: make coremark-elf COREMARK_DIR=$dest"
    exit 0
fi
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
    echo "coremark-fetch: $dest exists but is not a CoreMark checkout (no core_main.c); remove it and retry" >&2
    exit 1
fi
command -v git >/dev/null || { echo "coremark-fetch: git is not installed (apt-get install git)" >&2; exit 1; }

parent=$(dirname "$dest")
made_parent=0
[ -d "$parent" ] || { mkdir -p "$parent" && made_parent=1; }
tmp="$dest.partial.$$"
rm -rf "$tmp"
echo "coremark-fetch: cloning $url into $dest ..."
# No prompts, bounded time: an unreachable host must fail, not hang.
if GIT_TERMINAL_PROMPT=0 timeout 120 git clone --quiet --depth 1 "$url" "$tmp" 2>"$tmp.log"; then
    rm -rf "$dest" "$tmp.log"
    mv "$tmp" "$dest"
    echo "coremark-fetch: done; build it with: make coremark-elf COREMARK_DIR=$dest"
    exit 0
fi
rc=$?
reason=$(tail -n 2 "$tmp.log" 2>/dev/null | tr '\n' ' ')
[ "$rc" -eq 124 ] && reason="timed out after 120 s"
rm -rf "$tmp" "$tmp.log"
[ "$made_parent" -eq 1 ] && rmdir "$parent" 2>/dev/null
cat >&2 <<MSG
coremark-fetch: cannot clone $url (${reason:-git exit $rc}).
  This machine probably has no network access to GitHub. Get a CoreMark
  checkout some other way (git clone on another machine, then copy it here),
  and point the build at it:  make coremark-elf COREMARK_DIR=/path/to/coremark
MSG
exit 1
