// lockstep — one cosim run: the Verilator model of `core` and the C ISS in lockstep.
//
// Contract:
//  - run() simulates one program under one stall pattern and returns one JSON
//    object (one line) with the verdict (see verdict.h) and the run's figures.
//  - Memory: one unified 1 MiB RAM filled by the ISS's ELF loader (the harness
//    copies the ISS's RAM: one loader); imem/dmem read data are combinational in
//    the address and valid only with Ready (without it the harness drives the
//    word's complement, so a core that ignores Ready reads garbage); a store
//    takes effect in a cycle with WEn != 0 && Ready; the UART byte and the bench
//    markers are recorded; a data access that completes outside RAM/UART/markers
//    is out of bounds. Speculative fetches outside RAM read 0 and are no fault.
//  - Checking: every retirement on RVFI channel 0 then 1 is compared with one
//    iss_step(), field by field (rs1/rs2 only where the ISS says they are read,
//    memory data under the masks); every store the core puts on the bus must
//    match, in order, the stores it retires. With check=false (the speed
//    baseline) the ISS is not stepped and only halt/hang/budget/OOB are judged.
//  - No per-retirement formatting, files or pipes: text is built only for the
//    final verdict.
#ifndef COSIM_LOCKSTEP_H
#define COSIM_LOCKSTEP_H

#include <cstdint>
#include <string>

extern "C" {
#include "cosim/cpiprof.h"
#include "cosim/stall.h"
#include "cosim/uartcheck.h"
#include "cosim/verdict.h"
}

struct LockstepOptions {
    uint64_t max_cycles = 200000000; // cycle budget per run
    uint64_t hang_cycles = 10000;    // no retirement for this long = hang
    uint64_t drain_cycles = 2000;    // after EBREAK, cycles allowed for pending stores
    unsigned reset_cycles = 5;
    bool check = true;               // false: model only, no ISS (speed baseline)
    int validate = -1;               // uart_check_kind, or -1: from the program name
    uint64_t expect_iterations = 0;  // CoreMark: required iteration count (0 = any)
};

struct LockstepResult {
    verdict_kind verdict = VERDICT_ERROR;
    std::string json; // one JSON object, no newline
};

LockstepResult lockstep_run(const char *elf_path, const stall_t &stall, const LockstepOptions &opt);

#endif
