/* hdlpre — the sandbox's scan of the HDL as the tools read it: after macro
 * expansion, once for each tool's set of predefined macros.
 *
 * Contract: hdlpre_check copies the top-level files of cores/<T>/rtl/ and
 * cores/<T>/test/ of the slot tree into scratch/ (a directory the caller
 * names and owns: emptied first, removed at the end) and runs `verilator -E`
 * over each compilation unit the gates build:
 *   - Verilator lint and cosim: the .sv files of rtl/, *_pkg.sv first;
 *   - each testbench test/tb_*.sv after that RTL, with --timing, as lint
 *     builds it (adds VERILATOR_TIMING; -I rtl and test);
 *   - Yosys synth: the .sv and .v files of rtl/, package files first, with
 *     Verilator's own macros undefined and YOSYS defined;
 *   - Yosys formal: the .sv and .v files of rtl/ by name, YOSYS and SYNTHESIS;
 * and applies sandbox_scan_expanded to every output, so that no macro, and
 * no conditional on a tool's macro, can hide a forbidden construct from the
 * scan. The preprocessor elaborates nothing, so no code of the candidate
 * runs; it runs in an empty directory under scratch/ with -I only on the
 * copies, under HDLPRE_TIMEOUT_S and a file-size limit of
 * SANDBOX_EXPANDED_MAX (prlimit), and writes only under scratch/.
 * A preprocessor error is a violation naming the file and the error line.
 * Call it after sandbox_check_trees found nothing (that check bounds the
 * sizes and the include names this one relies on).
 * Returns 0 (violations in rep), or -1 with err when the check cannot run
 * (verilator or prlimit missing, scratch not writable, git failing).
 */
#ifndef ORCH_HDLPRE_H
#define ORCH_HDLPRE_H

#include <git2.h>
#include <stddef.h>

#include "lib/confine.h"
#include "orch/sandbox.h"

enum { HDLPRE_TIMEOUT_S = 60 }; /* one preprocessor run; typical runs take 50 ms */

/* confine: the sandbox each preprocessor run goes in (lib/confine.h; scratch
 * must be writable in it), or NULL for none. */
int hdlpre_check(git_repository *g, const git_oid *slot_tree, const char *target, const char *scratch,
                 const confine_policy *confine, sandbox_report *rep, char *err, size_t n);

/* The scan of one preprocessor output, hdlpre_check's last step: records the
 * `line markers of text[0..len) (text[len] must be a NUL; the markers are
 * blanked in place, as the scan would see a directive the agent may not
 * write), maps every line back to the file a marker names (a path whose
 * directory is rtl/ or test/ becomes cores/<target>/rtl|test/<file>; any
 * other marker starts lines of unknown origin) and applies
 * sandbox_scan_expanded with exists/ctx. 0, or -1 when out of memory. */
int hdlpre_scan_output(const char *target, const char *label, char *text, size_t len, sandbox_exists_fn exists,
                       void *ctx, sandbox_report *rep);

#endif
