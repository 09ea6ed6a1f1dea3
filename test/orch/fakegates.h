/* fakegates — fast, deterministic stand-ins for the six gates, so the
 * loop's integration tests and `make bench-orch` run in seconds.
 *
 * Figures come from a marker line in the candidate's RTL
 * (the files in cores/<core>/rtl/, first marker found in name order):
 *     // fake: fmax=50 cycles=200000 lut=3000 ff=900
 * With knob_pct=<p> in the marker, fmax grows by p percent per unit of the
 * values of all "parameter NAME = <integer>" lines of those files, so the
 * builtin agent's knob moves change the fitness.
 * lint fails on the text SYNTAX_ERROR or unbalanced module/endmodule,
 * formal on FORMAL_BUG, cosim on COSIM_BUG (its line coverage: a line with
 * a ';' is coverable, and never ran when it holds UNREACHED); synth cannot run ("error")
 * on SYNTH_CANNOT_RUN; pnr does not place when
 * lut > 7680 (status fail, reason placement_failed); coremark computes
 * fitness = fmax x 10 iterations / cycles x 1e6.
 * lint also writes 8 KiB of "model" into the run directory, as Verilator's
 * testbench build does, and like it reports a write failure as a "fail".
 * EVO_FAKE_LANDSCAPE=<file> replaces the marker's figures by those of a
 * seeded model of the core's knob space (landscape.h), read from the
 * "parameter NAME = <integer>" lines: cycles of each workload, Fmax, LCs,
 * and per placement seed a reproducible noise draw (the median is the
 * gate's Fmax); a knob value the model does not declare fails lint.
 * Environment: EVO_FAKE_SLEEP=<s> makes every gate take that long
 * (interruptible), EVO_FAKE_SLEEP_<GATE>=<s> (EVO_FAKE_SLEEP_COSIM) one gate; EVO_FAKE_LOG=<file> gets one line "<gate> <tree>" per
 * gate run, so tests can tell which gates ran; EVO_FAKE_FILL=<file> makes
 * lint first append to that file until its filesystem is full;
 * EVO_FAKE_TOOLS=<dir> makes each gate look for the tools of its row in
 * that directory first, ending with status "error" and the real gates'
 * "not found: <tool> ..." when one is not there.
 */
#ifndef TEST_ORCH_FAKEGATES_H
#define TEST_ORCH_FAKEGATES_H

#include <stddef.h>

#include "gates/registry.h"

extern const gate_def fakegates_table[];
extern const size_t fakegates_len;

#endif
