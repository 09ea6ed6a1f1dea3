/* sandbox_path — the sandbox's rules for one change of the tree diff
 * (sandbox_check_change) on fuzzed paths, modes and kinds.
 *
 * Input: byte 0 picks the kind (SANDBOX_ADDED..TYPECHANGE), bytes 1 and 2 the
 * old and new mode (from the git modes, 0 and an odd one), the rest is
 * "<target>\0<old path>\0<new path>\0<link target>" (missing parts empty; a
 * target that is not a valid core name becomes "baseline", as the loop only
 * runs on valid names). A change the sandbox lets through must be what the
 * contract allows: a regular non-executable file under cores/<T>/rtl/ or
 * cores/<T>/test/ with no ".", "..", ".git*", empty component, backslash or
 * control character; anything else accepted aborts. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "orch/sandbox.h"
#include "records/records.h"

/* The contract's own statement of an allowed path, written independently of
 * sandbox.c. */
static bool allowed_path(const char *target, const char *p)
{
    char rtl[64], test[64];
    snprintf(rtl, sizeof rtl, "cores/%s/rtl/", target);
    snprintf(test, sizeof test, "cores/%s/test/", target);
    size_t skip = strncmp(p, rtl, strlen(rtl)) == 0 ? strlen(rtl) : strncmp(p, test, strlen(test)) == 0 ? strlen(test) : 0;
    if (!skip || !p[skip])
        return false;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '\\')
            return false;
    for (const char *s = p; s; s = strchr(s, '/'), s = s ? s + 1 : NULL) {
        size_t len = strcspn(s, "/");
        if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.') ||
            (len >= 4 && strncasecmp(s, ".git", 4) == 0))
            return false;
    }
    return true;
}

/* The next NUL-terminated part of data[*pos..size), copied. */
static char *next_part(const uint8_t *data, size_t size, size_t *pos)
{
    size_t start = *pos, end = start;
    while (end < size && data[end])
        end++;
    *pos = end < size ? end + 1 : end;
    char *s = malloc(end - start + 1);
    if (!s)
        abort();
    memcpy(s, data + start, end - start);
    s[end - start] = '\0';
    return s;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    static const unsigned modes[] = {0, 0100644, 0100755, 0120000, 0160000, 040000, 0100664, 0777};
    if (size < 3)
        return 0;
    sandbox_change kind = (sandbox_change)(data[0] % 5);
    unsigned old_mode = modes[data[1] % 8], new_mode = modes[data[2] % 8];
    size_t pos = 3;
    char *target = next_part(data, size, &pos), *old_path = next_part(data, size, &pos);
    char *new_path = next_part(data, size, &pos), *link = next_part(data, size, &pos);
    char why[256];
    const char *t = records_core_name_check(target, why, sizeof why) == 0 ? target : "baseline";
    sandbox_report rep = {0};
    sandbox_check_change(t, kind, kind == SANDBOX_ADDED ? NULL : old_path, old_mode,
                         kind == SANDBOX_DELETED ? NULL : new_path, new_mode, link[0] ? link : NULL, &rep);
    if (rep.count == 0) {
        bool ok = true;
        if (kind == SANDBOX_DELETED || kind == SANDBOX_RENAMED) /* a modification's old path is its new one */
            ok = allowed_path(t, old_path);
        if (kind != SANDBOX_DELETED)
            ok = ok && allowed_path(t, new_path) && new_mode == 0100644 && (!old_mode || old_mode == new_mode);
        if (!ok)
            abort(); /* the sandbox let a forbidden change through */
    } else if (!rep.text) {
        abort(); /* a violation is always described */
    }
    sandbox_report_free(&rep);
    free(target);
    free(old_path);
    free(new_path);
    free(link);
    return 0;
}
