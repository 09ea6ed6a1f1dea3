# tools/lib: process runner, sandbox, file helpers and listing, SHA-256/HMAC,
# growable strings and agent-text checks shared by every tool (the bottom layer).
$(eval $(call c_lib,xlib,tools/lib/proc.c tools/lib/fsx.c tools/lib/confine.c tools/lib/sha256.c \
                         tools/lib/dirlist.c tools/lib/strbuf.c tools/lib/safetext.c))
