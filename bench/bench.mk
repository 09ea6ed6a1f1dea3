# bench/bench.mk - the bare-metal RISC-V programs (DESIGN.md §2, §3).
#
# ELFs are built once per tree into BENCH_OUT (always build/bench relative to
# the repository root, whatever BUILD is, so the ASan build reuses them):
#   build/bench/selftest.elf    smoke test of C code on a core
#   build/bench/isa.elf         the project's RV32IM ISA test set (exit = failures)
#   build/bench/workload.elf    the project's CoreMark-class fitness workload
#   build/bench/coremark.elf    EEMBC CoreMark, only when COREMARK_DIR is set
#   build/bench/vm.elf          the second fitness workload: a bytecode interpreter
#   build/bench/workload-host   the workload built for the host (reference checksums)
#   build/bench/vm-host         the interpreter built for the host (reference results)
#   build/bench/*-broken.elf    negative controls: they must fail their checks
# Targets: bench-elfs, bench-test (build + run test/bench/programs.sh),
#          coremark-elf (COREMARK_DIR=...), coremark-fetch, bench-disasm.

BENCH_OUT := build/bench
RV_PREFIX ?= riscv64-unknown-elf-
RV_CC := $(RV_PREFIX)gcc
RV_OBJDUMP := $(RV_PREFIX)objdump
RV_ARCH := -march=rv32im -mabi=ilp32
# -O2 unless a directory below asks for the CoreMark settings (-O3).
RV_OPT = -O2
RV_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
RV_CFLAGS = $(RV_ARCH) $(RV_OPT) -g -std=c11 -ffreestanding -fno-common \
            -ffunction-sections -fdata-sections $(RV_WARN) -Ibench/common $(RV_EXTRA)
RV_ASFLAGS = $(RV_ARCH) -g -Ibench/common $(RV_EXTRA)
RV_LDFLAGS := $(RV_ARCH) -nostdlib -nostartfiles -static -T bench/common/link.ld \
              -Wl,--gc-sections -Wl,--no-warn-rwx-segments
RV_LDLIBS := -lgcc
BENCH_LD := bench/common/link.ld

BENCH_COMMON_SRCS := bench/common/crt0.S bench/common/platform.c bench/common/minilibc.c
bench_objs = $(patsubst %,$(BENCH_OUT)/obj/%.o,$(1))
BENCH_COMMON_OBJS := $(call bench_objs,$(BENCH_COMMON_SRCS))

$(BENCH_OUT)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -MMD -MP -c $< -o $@

$(BENCH_OUT)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_ASFLAGS) -MMD -MP -c $< -o $@

# gcc would turn the mini libc's own loops into calls to memset/memcpy.
$(BENCH_OUT)/obj/bench/common/minilibc.c.o: RV_EXTRA = -fno-tree-loop-distribute-patterns
# The fitness workload uses the CoreMark compiler settings.
$(BENCH_OUT)/obj/bench/workload/%.c.o: RV_OPT = -O3

# $(call bench_elf,name,sources): $(BENCH_OUT)/name.elf from sources + common.
define bench_elf
$$(BENCH_OUT)/$(1).elf: $$(BENCH_COMMON_OBJS) $$(call bench_objs,$(2)) $$(BENCH_LD)
	$$(RV_CC) $$(RV_LDFLAGS) -Wl,-Map=$$(BENCH_OUT)/$(1).map -o $$@ \
	    $$(BENCH_COMMON_OBJS) $$(call bench_objs,$(2)) $$(RV_LDLIBS)
endef

$(eval $(call bench_elf,selftest,bench/selftest/selftest.c))
$(eval $(call bench_elf,isa,bench/isa/isa.S bench/isa/isa_main.c))

# The negative control: isa.S with one expected value flipped must fail.
$(BENCH_OUT)/obj/broken/bench/isa/isa.S.o: bench/isa/isa.S
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_ASFLAGS) -DISA_SELFCHECK_BROKEN -MMD -MP -c $< -o $@
$(BENCH_OUT)/isa-broken.elf: $(BENCH_COMMON_OBJS) $(BENCH_OUT)/obj/broken/bench/isa/isa.S.o \
                             $(call bench_objs,bench/isa/isa_main.c) $(BENCH_LD)
	$(RV_CC) $(RV_LDFLAGS) -o $@ $(filter %.o,$^) $(RV_LDLIBS)

$(eval $(call bench_elf,workload,bench/workload/workload.c bench/workload/workload_main.c))

# The negative control: one round fewer than the frozen checksums describe.
WL_BROKEN_OBJS := $(BENCH_OUT)/obj/broken/bench/workload/workload.c.o \
                  $(BENCH_OUT)/obj/broken/bench/workload/workload_main.c.o
$(BENCH_OUT)/obj/broken/bench/workload/%.c.o: RV_OPT = -O3
$(BENCH_OUT)/obj/broken/bench/workload/%.c.o: bench/workload/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -DWL_ITERATIONS=59u -MMD -MP -c $< -o $@
$(BENCH_OUT)/workload-broken.elf: $(BENCH_COMMON_OBJS) $(WL_BROKEN_OBJS) $(BENCH_LD)
	$(RV_CC) $(RV_LDFLAGS) -o $@ $(filter %.o,$^) $(RV_LDLIBS)

# The second fitness workload (bench/vm): same settings, and its negative
# control runs one round fewer than its frozen results describe.
$(BENCH_OUT)/obj/bench/vm/%.c.o: RV_OPT = -O3
$(eval $(call bench_elf,vm,bench/vm/vm.c bench/vm/vm_main.c))
VM_BROKEN_OBJS := $(BENCH_OUT)/obj/broken/bench/vm/vm.c.o $(BENCH_OUT)/obj/broken/bench/vm/vm_main.c.o
$(BENCH_OUT)/obj/broken/bench/vm/%.c.o: RV_OPT = -O3
$(BENCH_OUT)/obj/broken/bench/vm/%.c.o: bench/vm/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) -DVM_ITERATIONS=$(VM_BROKEN_ITERATIONS) -MMD -MP -c $< -o $@
VM_BROKEN_ITERATIONS := 3u
$(BENCH_OUT)/vm-broken.elf: $(BENCH_COMMON_OBJS) $(VM_BROKEN_OBJS) $(BENCH_LD)
	$(RV_CC) $(RV_LDFLAGS) -o $@ $(filter %.o,$^) $(RV_LDLIBS)

BENCH_ELFS := $(BENCH_OUT)/selftest.elf $(BENCH_OUT)/isa.elf $(BENCH_OUT)/isa-broken.elf \
              $(BENCH_OUT)/workload.elf $(BENCH_OUT)/workload-broken.elf \
              $(BENCH_OUT)/vm.elf $(BENCH_OUT)/vm-broken.elf

# The workload compiled for the host: the reference for its frozen checksums.
WORKLOAD_HOST_SRCS := bench/workload/workload.c bench/workload/workload_host.c
$(BENCH_OUT)/workload-host: $(WORKLOAD_HOST_SRCS) bench/workload/workload.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) -o $@ $(WORKLOAD_HOST_SRCS)
test-prereqs: $(BENCH_OUT)/workload-host
VM_HOST_SRCS := bench/vm/vm.c bench/vm/vm_host.c
$(BENCH_OUT)/vm-host: $(VM_HOST_SRCS) bench/vm/vm.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) -o $@ $(VM_HOST_SRCS)
test-prereqs: $(BENCH_OUT)/vm-host

TEST_SUITES += test/bench/programs.sh

.PHONY: bench-elfs bench-disasm
bench-elfs: $(BENCH_ELFS)
test-prereqs: $(BENCH_ELFS)

# ---------------------------------------------------------------- CoreMark
# The EEMBC sources come from COREMARK_DIR (a checkout made by the user, or
# by `make coremark-fetch` into the gitignored third_party/coremark, which is
# used when COREMARK_DIR is not given).  Settings of DESIGN.md §3.
COREMARK_FETCH_DIR := third_party/coremark
ifeq ($(strip $(COREMARK_DIR)),)
  ifneq ($(wildcard $(COREMARK_FETCH_DIR)/core_main.c),)
    COREMARK_DIR := $(COREMARK_FETCH_DIR)
  endif
endif
CM_OPT := -O3 -march=rv32im -mabi=ilp32
CM_DEFS := -DPERFORMANCE_RUN=1 -DITERATIONS=10 -DTOTAL_DATA_SIZE=2000
CM_SRCS := core_list_join.c core_main.c core_matrix.c core_state.c core_util.c
CM_OBJ := $(BENCH_OUT)/obj/coremark
CM_CFLAGS := $(CM_OPT) -g $(CM_DEFS) -DFLAGS_STR='"$(CM_OPT)"' -Ibench/coremark -Ibench/common

.PHONY: coremark-elf coremark-fetch
coremark-fetch:
	@bash bench/coremark/fetch.sh $(COREMARK_FETCH_DIR)

ifeq ($(strip $(COREMARK_DIR)),)
coremark-elf:
	@echo "coremark-elf: COREMARK_DIR is not set. Point it at a checkout of https://github.com/eembc/coremark" >&2
	@echo "  (make coremark-elf COREMARK_DIR=/path/to/coremark), or run 'make coremark-fetch' first." >&2
	@exit 1
else
CM_DIR := $(patsubst %/,%,$(COREMARK_DIR))
ifeq ($(wildcard $(CM_DIR)/core_main.c $(CM_DIR)/coremark.h),)
.PHONY: coremark-bad-dir
coremark-bad-dir:
	@echo "coremark-elf: COREMARK_DIR=$(COREMARK_DIR) is not a CoreMark checkout (no core_main.c / coremark.h there)" >&2
	@exit 1
coremark-elf $(BENCH_OUT)/coremark.elf: coremark-bad-dir
# Asked for CoreMark with a wrong path: the tests must not silently skip it.
test-prereqs: $(BENCH_OUT)/coremark.elf
BENCH_TEST_PREREQS += $(BENCH_OUT)/coremark.elf
else
# Rebuild the objects when COREMARK_DIR or the settings change.
CM_STAMP := $(CM_OBJ)/config.stamp
CM_CONFIG := $(abspath $(CM_DIR)) $(CM_OPT) $(CM_DEFS)
$(shell mkdir -p $(CM_OBJ) && { [ "$$(cat $(CM_STAMP) 2>/dev/null)" = "$(CM_CONFIG)" ] || echo "$(CM_CONFIG)" > $(CM_STAMP); })

$(CM_OBJ)/src/%.o: $(CM_DIR)/%.c $(CM_STAMP) bench/coremark/core_portme.h
	@mkdir -p $(dir $@)
	$(RV_CC) $(CM_CFLAGS) -I$(CM_DIR) -MMD -MP -c $< -o $@

$(CM_OBJ)/port/%.o: bench/coremark/%.c $(CM_STAMP) bench/coremark/core_portme.h
	@mkdir -p $(dir $@)
	$(RV_CC) $(CM_CFLAGS) -ffreestanding $(RV_WARN) -I$(CM_DIR) -MMD -MP -c $< -o $@

CM_OBJS := $(patsubst %.c,$(CM_OBJ)/src/%.o,$(CM_SRCS)) \
           $(CM_OBJ)/port/core_portme.o $(CM_OBJ)/port/ee_printf.o
$(BENCH_OUT)/coremark.elf: $(BENCH_COMMON_OBJS) $(CM_OBJS) $(BENCH_LD)
	$(RV_CC) $(RV_LDFLAGS) -Wl,-Map=$(BENCH_OUT)/coremark.map -o $@ \
	    $(BENCH_COMMON_OBJS) $(CM_OBJS) $(RV_LDLIBS)

coremark-elf: $(BENCH_OUT)/coremark.elf
test-prereqs: $(BENCH_OUT)/coremark.elf
BENCH_TEST_PREREQS += $(BENCH_OUT)/coremark.elf
endif
endif

# `make bench-test`: build the programs and run only their suite.
BENCH_TEST_PREREQS += $(BENCH_ELFS) $(BENCH_OUT)/workload-host $(BENCH_OUT)/vm-host $(BUILD)/bin/rv32sim
.PHONY: bench-test
bench-test: $(BENCH_TEST_PREREQS)
	@BUILD=$(BUILD) bash test/run-suites.sh test/bench/programs.sh

# Disassembly of every ELF, for reading what the compiler produced.
bench-disasm: $(BENCH_ELFS)
	@for e in $(BENCH_ELFS); do $(RV_OBJDUMP) -d $$e > $${e%.elf}.dis && echo "$${e%.elf}.dis"; done

-include $(shell find $(BENCH_OUT)/obj -name '*.d' 2>/dev/null)
