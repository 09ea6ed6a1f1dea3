/* hdl_scan — the sandbox's HDL content rules on fuzzed text: sandbox_scan_text
 * on a changed file, or hdlpre_scan_output on a preprocessor's output (its
 * `line markers mapped back to the files they name, then
 * sandbox_scan_expanded).
 *
 * Input: byte 0 picks the file (low 2 bits: cores/baseline/rtl/core.sv,
 * rtl/defs.svh, test/tb.sv, rtl/rom.hex) and the scan (bit 2: the
 * preprocessor's output; bit 3: no file-existence callback); the rest is the
 * text. The candidate tree holds rtl/core.sv, rtl/defs.svh, rtl/rom.hex and
 * test/tb.hex.
 * Oracle: in text with no comment, string, escaped identifier, NUL or
 * (preprocessor output) directive to hide it, a $system or $fopen call must
 * be reported. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "orch/hdlpre.h"
#include "orch/sandbox.h"

static bool tree_has(const char *path, void *ctx)
{
    static const char *const files[] = {"cores/baseline/rtl/core.sv", "cores/baseline/rtl/defs.svh",
                                        "cores/baseline/rtl/rom.hex", "cores/baseline/test/tb.hex", NULL};
    (void)ctx;
    for (size_t i = 0; files[i]; i++)
        if (strcmp(path, files[i]) == 0)
            return true;
    return false;
}

static bool ident_char(unsigned char c) { return isalnum(c) || c == '_' || c == '$'; }

/* A forbidden task name standing alone in text that hides nothing. */
static bool plainly_forbidden(const char *t, size_t len)
{
    static const char *const tasks[] = {"$system", "$fopen"};
    if (memchr(t, '\0', len) || memchr(t, '"', len) || memchr(t, '/', len) || memchr(t, '\\', len))
        return false;
    for (size_t k = 0; k < 2; k++) {
        size_t tl = strlen(tasks[k]);
        for (const char *p = memmem(t, len, tasks[k], tl); p;
             p = memmem(p + 1, len - (size_t)(p + 1 - t), tasks[k], tl)) {
            size_t at = (size_t)(p - t);
            if ((at == 0 || !ident_char((unsigned char)t[at - 1])) &&
                (at + tl == len || !ident_char((unsigned char)t[at + tl])))
                return true;
        }
    }
    return false;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"cores/baseline/rtl/core.sv", "cores/baseline/rtl/defs.svh",
                                        "cores/baseline/test/tb.sv", "cores/baseline/rtl/rom.hex"};
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    sandbox_exists_fn exists = sel & 8 ? NULL : tree_has;
    sandbox_report rep = {0};
    bool hidden = false;
    if (sel & 4) {
        char *out = malloc(len + 1); /* the preprocessor's output as fsx_read gives it: NUL-terminated */
        if (!out)
            abort();
        memcpy(out, text, len);
        out[len] = '\0';
        if (hdlpre_scan_output("baseline", "cores/baseline/rtl [fuzz view]", out, len, exists, NULL, &rep) != 0)
            abort();
        free(out);
        hidden = memchr(text, '`', len) != NULL; /* a `line marker is blanked, whatever follows it */
    } else {
        sandbox_scan_text("baseline", paths[sel & 3], text, len, exists, NULL, &rep);
    }
    if (rep.count == 0 && !hidden && plainly_forbidden(text, len))
        abort(); /* a $system/$fopen in plain sight went unreported */
    if (rep.count && !rep.text)
        abort();
    sandbox_report_free(&rep);
    return 0;
}
