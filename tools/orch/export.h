/* export — writes a committed tree out of the object store, so that the gates
 * judge exactly what was committed and nothing an agent can still change.
 *
 * Contract: export_tree() writes the subtree `prefix` ("cores/<T>") of
 * commit's tree under dest/prefix, from the blobs themselves (no checkout
 * filters, no attributes, no hooks). dest must not exist yet; it is created
 * 0755 and owned by the caller, so only the orchestrator can write it.
 * Regular files only: a symlink or submodule in the subtree is an error (the
 * sandbox has refused them already; this is the second line). The whole
 * export is bounded by max_bytes. 0, or -1 with err naming the path.
 */
#ifndef ORCH_EXPORT_H
#define ORCH_EXPORT_H

#include <git2.h>
#include <stddef.h>

int export_tree(git_repository *g, const git_oid *commit, const char *prefix, const char *dest,
                size_t max_bytes, char *err, size_t n);

#endif
