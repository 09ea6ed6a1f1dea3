# Top-level Makefile: the user's entry points. Each component owns a fragment
# (tools/*/module.mk, bench/bench.mk, test/*/module.mk, fpga/fpga.mk,
# formal/formal.mk) that adds its build rules and registers:
#   C_BINS       binaries `make all` builds (under $(BUILD)/bin)
#   UNIT_SUITES  C test binaries; run in the normal and in the ASan+UBSan build
#   TEST_SUITES  other suites (scripts or binaries), run once
# Suites follow the PASS/FAIL/SKIP protocol of test/unit/check.h.

SHELL := /bin/bash
.DEFAULT_GOAL := all
BUILD ?= build
SAN ?= 0
CC ?= cc
CXX ?= c++
TARGET ?=
# Cores the main test suite exercises, in addition to TARGET.
TEST_CORE ?= baseline

PKGS := libgit2 jansson yaml-0.1 libelf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE $(WARN) -g -Itools -Itest/unit $(PKG_CFLAGS)
ifeq ($(SAN),1)
  OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDSAN := -fsanitize=address,undefined
else
  OPT := -O2
  LDSAN :=
endif
CFLAGS := $(CFLAGS_BASE) $(OPT) $(EXTRA_CFLAGS)
LDFLAGS := $(LDSAN)
LDLIBS := $(PKG_LIBS) -lpthread -lm

C_BINS :=
UNIT_SUITES :=
TEST_SUITES :=

# Generic compile rule; dependency files keep header changes honest.
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# $(call c_lib,name,sources): $(BUILD)/lib/lib<name>.a
define c_lib
$(1)_SRCS := $(2)
$(1)_OBJS := $$(patsubst %.c,$$(BUILD)/obj/%.o,$(2))
$$(BUILD)/lib/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef

# Every library, in layer order (tools/layers.txt): each one uses only those
# after it, so a program links its libraries in this order whatever order its
# fragment lists them in.
LIB_ORDER := orch agents records mutate fpgatable gates cosim rvgen iss schema yamljson accept xlib
# $(call layer_libs,libs): libs in LIB_ORDER's order; a library not in it is an error.
layer_libs = $(if $(filter-out $(LIB_ORDER),$(1)),$(error libraries $(filter-out $(LIB_ORDER),$(1)) \
               are not in LIB_ORDER (Makefile): add them at their layer))$(filter $(1),$(LIB_ORDER))

# $(call c_prog,path-under-build,sources,libs): links a program against libs (in layer order)
define c_prog
$$(BUILD)/$(1): $$(patsubst %.c,$$(BUILD)/obj/%.o,$(2)) $$(foreach l,$$(call layer_libs,$(3)),$$(BUILD)/lib/lib$$(l).a)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef

FRAGMENTS := $(sort $(wildcard tools/*/module.mk)) $(wildcard bench/bench.mk) \
             $(sort $(wildcard test/*/module.mk)) $(wildcard fpga/fpga.mk) \
             $(wildcard formal/formal.mk)
include $(FRAGMENTS)

# Dependency files are generated, so a file that holds a '$' was not
# written by the compiler (issue 17: a planted $(shell ...) ran on every
# make): only the others are read.
-include $(shell find $(BUILD)/obj -name '*.d' -exec grep -L -F '$$' {} + 2>/dev/null)

.PHONY: all setup c-all test test-quick asan clean help
all: setup c-all

c-all: $(C_BINS) $(UNIT_SUITES)

setup:
	@bash tools/setup.sh

# The ASan+UBSan build of every C binary and unit suite.
asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 c-all

ASAN_SUITES = $(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(UNIT_SUITES))

# `make test`: install what is missing, build everything (normal and sanitizer),
# run every suite, close with "N passed, N failed, N skipped".
test: setup
	@bash tools/setup-agents.sh
	@$(MAKE) --no-print-directory c-all test-prereqs
	@$(MAKE) --no-print-directory asan
	@BUILD=$(BUILD) TEST_CORE=$(TEST_CORE) TARGET=$(TARGET) \
	  bash test/run-suites.sh $(UNIT_SUITES) $(ASAN_SUITES) $(TEST_SUITES)

# Unit suites only, normal build: the inner loop while editing C.
test-quick: c-all
	@bash test/run-suites.sh $(UNIT_SUITES)

# `make clean` removes build products; `make clean TARGET=t` instead removes
# t's worktrees (its branch core-t and its records stay).
clean:
	@if [ -n "$(TARGET)" ]; then $(BUILD)/bin/evo clean --target "$(TARGET)"; \
	 else rm -rf $(BUILD); fi

help:
	@echo "make loop TARGET=<core> N=<rounds> [K=<slots>] [BASE=<core>] [AGENT=...]  evolve a core"
	@echo "make test                                                      run every test"
	@echo "make report TARGET=<core>                                      what happened"
	@echo "make mutate TARGET=<core> [MUTANTS=30] [SEED=1]                how strong the gates are on it"
	@echo "cores: $(notdir $(wildcard cores/*))"

# Fragments add prerequisites here (ELFs, Verilator models) that the suites need.
.PHONY: test-prereqs
test-prereqs:
