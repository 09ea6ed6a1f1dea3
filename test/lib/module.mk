# test/lib: unit tests of tools/lib.
$(eval $(call c_prog,bin/test_lib,test/lib/test_lib.c,xlib))
UNIT_SUITES += $(BUILD)/bin/test_lib
# SHA-256 / HMAC-SHA256 against the FIPS 180-4 and RFC 4231 vectors.
$(eval $(call c_prog,bin/test_sha256,test/lib/test_sha256.c,xlib))
UNIT_SUITES += $(BUILD)/bin/test_sha256
