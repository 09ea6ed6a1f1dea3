/* dirlist — the source files of a directory, listed safely for tool scripts
 * (the RTL that synth, formal and the tree check read).
 *
 * Contract:
 *  - dirlist_files(): the files of dir whose names end in one of suffixes
 *    (NULL-terminated list), dot-files skipped, as a sorted NULL-terminated
 *    malloc'd array of names (not paths; free with dirlist_free). Names go
 *    unquoted into Yosys scripts and tools' argument lists, so only
 *    [A-Za-z0-9_.-] not starting with '-' is accepted. Returns the count; -1
 *    when dir cannot be read or memory runs out (errno set); -2 for an unsafe
 *    name, then *bad is that name (caller frees).
 *  - dirlist_has_suffix(): s ends in suffix (a name equal to it included).
 */
#ifndef LIB_DIRLIST_H
#define LIB_DIRLIST_H

#include <stdbool.h>

int dirlist_files(const char *dir, const char *const *suffixes, char ***names, char **bad);
void dirlist_free(char **names);
bool dirlist_has_suffix(const char *s, const char *suffix);

#endif
