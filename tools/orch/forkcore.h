/* forkcore — `make loop TARGET=mycore BASE=baseline`: a new core as a copy.
 *
 * Contract: on branch core-<target> (tip `tip`), adds cores/<target>/ with
 * the design (rtl/), its tests (test/), CORE_PHILOSOPHY.md when present, and
 * core.yaml with `name:` set to <target> and `current:` emptied; the log,
 * the hypotheses and LESSONS.md are not copied (the fork starts its own
 * history). Files are copied by object id, so contents and modes are exact.
 * One commit "fork <target> from <base>"; the caller measures it (round 0).
 */
#ifndef ORCH_FORKCORE_H
#define ORCH_FORKCORE_H

#include <stddef.h>

#include "orch/repo.h"

int forkcore_copy(repo *r, const char *target, const char *base, const git_oid *tip,
                  const char *scratch_dir, git_oid *out, char *err, size_t n);

/* core.yaml text with its top-level `name:` line set to name (added at the
 * top when missing). malloc'd. */
char *forkcore_rename(const char *yaml, const char *name);

#endif
