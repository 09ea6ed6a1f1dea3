# tools/lib: process runner and file helpers shared by every tool.
$(eval $(call c_lib,xlib,tools/lib/proc.c tools/lib/fsx.c tools/lib/confine.c))
