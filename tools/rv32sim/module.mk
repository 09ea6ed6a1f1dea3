# tools/rv32sim: the command-line simulator over the ISS library.
$(eval $(call c_prog,bin/rv32sim,tools/rv32sim/main.c,iss))
C_BINS += $(BUILD)/bin/rv32sim
