# tools/lib: process runner, sandbox, file helpers and listing, SHA-256/HMAC, the
# git blob id (blobid, on libgit2), growable strings (strbuf) and string lists
# (strv), UTF-8 cuts (utf8clip) and agent-text checks shared by every tool (the
# bottom layer); rvenc.h (header only) the RISC-V encoders.
$(eval $(call c_lib,xlib,tools/lib/proc.c tools/lib/fsx.c tools/lib/confine.c tools/lib/sha256.c \
                         tools/lib/dirlist.c tools/lib/strbuf.c tools/lib/safetext.c \
                         tools/lib/blobid.c tools/lib/strv.c tools/lib/utf8clip.c))
