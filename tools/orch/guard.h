/* guard — notices what an agent did outside its slot worktree.
 *
 * An agent is an ordinary process: nothing stops it from writing through an
 * absolute path into the main checkout (formal/, fpga/ ...), moving branch
 * refs or planting a git hook. guard_take() records, before the agent runs:
 *  - the main checkout's status (every non-ignored change, with size and
 *    mtime), which the gates read as the trusted harness;
 *  - the tips of main and core-<T>;
 *  - the content of <common dir>/config, every file in hooks/, info/attributes,
 *    info/exclude and the slot registration's config.worktree.
 * guard_check() compares after the agent: moved refs and changed git files are
 * put back (and reported); a changed main checkout is reported and flagged
 * as harness_tampered, because the harness can no longer be trusted and only
 * the user can tell which edit was theirs. Each finding is a sandbox
 * violation of the slot. Another slot's agent acting at the same time shows
 * up in every running slot's check: conservative by design.
 */
#ifndef ORCH_GUARD_H
#define ORCH_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "orch/repo.h"
#include "orch/sandbox.h"

typedef struct guard guard;

guard *guard_take(repo *r, const char *target, const char *slot_id, char *err, size_t n);
/* 0 after comparing (findings in rep), -1 when the comparison itself failed. */
int guard_check(repo *r, const guard *g, sandbox_report *rep, bool *harness_tampered,
                char *err, size_t n);
void guard_free(guard *g);

#endif
