# tools/lib: process runner, sandbox, file helpers and SHA-256/HMAC shared by every tool.
$(eval $(call c_lib,xlib,tools/lib/proc.c tools/lib/fsx.c tools/lib/confine.c tools/lib/sha256.c))
