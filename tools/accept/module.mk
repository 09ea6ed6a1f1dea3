# tools/accept: the accept rule of DESIGN.md §4 (pure functions).
$(eval $(call c_lib,accept,tools/accept/accept.c))
