# test/build: build-configuration suites (clang, dependency files, the layer
# order of tools/layers.txt).
TEST_SUITES += test/build/clang.sh
TEST_SUITES += test/build/depfiles.sh
TEST_SUITES += test/build/layers.sh
