/* fuzz — the contract between a fuzz harness (test/fuzz/<target>/harness.c)
 * and the driver (test/fuzz/driver.c) that runs it.
 *
 *  - A harness defines exactly fuzz_target(): it feeds data[0..size) to ONE
 *    untrusted-input parser of tools/, frees everything it got back and
 *    returns 0. It must not leak, exit, print on success, or keep state
 *    between calls (one process runs many inputs, in any order).
 *  - When the parser only takes a path, the harness writes the bytes to a
 *    file under fuzz_scratch_dir() (a private directory that exists for the
 *    whole process and is removed by the driver at exit) and nowhere else.
 *  - The driver replays files and directories given as arguments (the
 *    corpus; deterministic), or, built with afl-cc and given no argument,
 *    runs AFL++'s persistent mode on the shared-memory test case.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_target(const uint8_t *data, size_t size);

/* The process's scratch directory (absolute path, no trailing '/'). */
const char *fuzz_scratch_dir(void);

#endif
