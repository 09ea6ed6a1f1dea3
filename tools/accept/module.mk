# tools/accept: the accept rule of DESIGN.md §5a (pure functions).
$(eval $(call c_lib,accept,tools/accept/accept.c))
