// formal_defs.svh — constants shared by the formal checker modules.
// Instruction groups: bit positions in the spec's one-hot `group` vector.
// Each group is proved as its own check per RVFI channel.
`ifndef FORMAL_DEFS_SVH
`define FORMAL_DEFS_SVH

`define FGRP_ALU_REG   0   // ADD SUB SLT SLTU XOR OR AND
`define FGRP_ALU_IMM   1   // ADDI SLTI SLTIU XORI ORI ANDI
`define FGRP_SHIFT     2   // SLL SRL SRA SLLI SRLI SRAI
`define FGRP_LUI_AUIPC 3   // LUI AUIPC
`define FGRP_BRANCH    4   // BEQ BNE BLT BGE BLTU BGEU
`define FGRP_JUMP      5   // JAL JALR
`define FGRP_LOAD      6   // LB LH LW LBU LHU
`define FGRP_STORE     7   // SB SH SW
`define FGRP_MUL       8   // MUL MULH MULHSU MULHU
`define FGRP_DIV       9   // DIV DIVU REM REMU
`define FGRP_SYSTEM   10   // FENCE FENCE.I EBREAK, and ECALL/CSR*/MRET (which trap)
`define FGRP_ILLEGAL  11   // every other encoding: must trap
`define FGRP_N        12

// Consecutive not-ready cycles the liveness check allows on each bus.
`ifndef FORMAL_FAIR_K
`define FORMAL_FAIR_K 4
`endif
// Cycles without a retirement that the liveness check tolerates.
`ifndef FORMAL_LIVE_BOUND
`define FORMAL_LIVE_BOUND 48
`endif

`endif
