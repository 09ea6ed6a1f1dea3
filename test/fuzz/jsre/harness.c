/* jsre — the JSON-Schema pattern translator and matcher (schema patterns
 * of the project's schemas and of any schema the validator is given). The
 * input is a pattern, a NUL, then the subject (NULs allowed); without a NUL
 * the whole input is the pattern and is also matched against itself. The
 * UTF-8 locale is created once per process (read-only). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "schema/jsre.h"

static locale_t utf8(void)
{
    static locale_t loc; /* created once; never changed, freed by exit */
    static int made;
    if (!made) {
        loc = jsre_utf8_locale();
        made = 1;
    }
    return loc;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    const char *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t)(nul - (const char *)data) : size;
    char *pattern = malloc(plen + 1);
    char err[512];
    regex_t re;

    if (!pattern)
        abort();
    memcpy(pattern, data, plen);
    pattern[plen] = '\0';
    char *ere = jsre_translate(pattern, err, sizeof err);
    free(ere);
    if (jsre_compile(&re, pattern, utf8(), err, sizeof err) == 0) {
        if (nul)
            jsre_match(&re, nul + 1, size - plen - 1, utf8(), err, sizeof err);
        else
            jsre_match(&re, pattern, plen, utf8(), err, sizeof err);
        regfree(&re);
    }
    free(pattern);
    return 0;
}
