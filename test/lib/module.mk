# test/lib: unit tests of tools/lib.
$(eval $(call c_prog,bin/test_lib,test/lib/test_lib.c,xlib))
UNIT_SUITES += $(BUILD)/bin/test_lib
