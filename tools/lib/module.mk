# tools/lib: process runner, sandbox, file helpers, SHA-256/HMAC, the git blob
# id (blobid, on libgit2), a string list (strv) and UTF-8 cuts (utf8clip),
# shared by every tool; rvenc.h (header only) the RISC-V encoders.
$(eval $(call c_lib,xlib,tools/lib/proc.c tools/lib/fsx.c tools/lib/confine.c tools/lib/sha256.c \
                     tools/lib/blobid.c tools/lib/strv.c tools/lib/utf8clip.c))
