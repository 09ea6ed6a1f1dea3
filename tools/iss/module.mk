# tools/iss: the reference RV32IM ISS (library `iss`), its benchmark program
# and `make bench-iss` (median MIPS of iss_run over 5 runs of the workload).
ISS_SRCS := tools/iss/iss.c tools/iss/decode.c tools/iss/elf.c tools/iss/disasm.c
$(eval $(call c_lib,iss,$(ISS_SRCS)))

$(eval $(call c_prog,bin/iss-bench,tools/iss/bench.c,iss))
C_BINS += $(BUILD)/bin/iss-bench

# The fitness workload (bench/bench.mk builds it); the bench falls back to a
# synthetic loop, clearly labelled, while it does not exist.
ISS_BENCH_ELF ?= build/bench/workload.elf

.PHONY: bench-iss
bench-iss: $(BUILD)/bin/iss-bench
	@if $(MAKE) --no-print-directory -n $(ISS_BENCH_ELF) >/dev/null 2>&1; then \
	    $(MAKE) -s --no-print-directory $(ISS_BENCH_ELF) || exit 1; fi
	@bash tools/iss/bench-iss.sh $(BUILD)/bin/iss-bench $(ISS_BENCH_ELF)
