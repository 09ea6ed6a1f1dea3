# tools/rvgen: the random RV32IM program generator used by the cosim gate.
#   $(BUILD)/lib/librvgen.a   rvgen_generate / rvgen_special / rvgen_write_elf
#   $(BUILD)/bin/rvgen        CLI: writes programs as ELF files (see rvgen_main.c)
$(eval $(call c_lib,rvgen,tools/rvgen/rvgen.c tools/rvgen/rvgen_map.c tools/rvgen/rvgen_elf.c tools/rvgen/rvgen_dict.c))
$(eval $(call c_prog,bin/rvgen,tools/rvgen/rvgen_main.c,rvgen xlib))
C_BINS += $(BUILD)/bin/rvgen
