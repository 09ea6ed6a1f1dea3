/* blobid.c — see blobid.h. */
#include "lib/blobid.h"

#include <git2.h>

int blobid_hash(const void *data, size_t len, char out[BLOBID_HEX + 1])
{
    git_oid oid;
    git_libgit2_init();
    int rc = git_odb_hash(&oid, data ? data : "", len, GIT_OBJECT_BLOB);
    git_libgit2_shutdown();
    if (rc != 0)
        return -1;
    git_oid_tostr(out, BLOBID_HEX + 1, &oid);
    return 0;
}

int blobid_file(const char *path, char out[BLOBID_HEX + 1])
{
    git_oid oid;
    git_libgit2_init();
    int rc = git_odb_hashfile(&oid, path, GIT_OBJECT_BLOB);
    git_libgit2_shutdown();
    if (rc != 0)
        return -1;
    git_oid_tostr(out, BLOBID_HEX + 1, &oid);
    return 0;
}
