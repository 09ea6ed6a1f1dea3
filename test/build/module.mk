# test/build: build-configuration suites (clang).
TEST_SUITES += test/build/clang.sh
TEST_SUITES += test/build/depfiles.sh
