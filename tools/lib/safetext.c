/* safetext.c — see safetext.h. */
#include "lib/safetext.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/strbuf.h"

/* Length of the UTF-8 sequence at s (1-4) with its code point in *cp, or 0
 * when the bytes there are not valid UTF-8 (overlong forms, surrogates and
 * code points above U+10FFFF included: a terminal may decode them anyway). */
static size_t safetext_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > len)
        return 0;
    uint32_t v = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

static bool safetext_is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* Whitespace a field of its kind may hold. */
static bool safetext_allowed(uint32_t cp, bool multi_line)
{
    return multi_line && (cp == '\n' || cp == '\t');
}

int safetext_check(const char *s, size_t len, bool multi_line, char *why, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = safetext_decode(u + i, len - i, &cp);
        if (l == 0) {
            snprintf(why, n, "invalid UTF-8 (byte \\x%02x at offset %zu)", u[i], i);
            return -1;
        }
        if (safetext_is_control(cp) && !safetext_allowed(cp, multi_line)) {
            snprintf(why, n, "control character U+%04X at offset %zu (%s)", (unsigned)cp, i,
                     multi_line ? "only newline and tab are allowed in this field"
                                : "a one-line field allows none");
            return -1;
        }
        i += l;
    }
    return 0;
}

static bool safetext_listed(const char *key, const char *const *list)
{
    for (; key && list && *list; list++)
        if (strcmp(key, *list) == 0)
            return true;
    return false;
}

/* Walks v; `path` is the field's path so far (for the message). */
static int safetext_walk(const json_t *v, const char *key, const char *path,
                         const char *const *multi_line, char *why, size_t n)
{
    char sub[256], inner[200];
    if (json_is_string(v)) {
        if (safetext_check(json_string_value(v), json_string_length(v), safetext_listed(key, multi_line), inner,
                           sizeof inner) == 0)
            return 0;
        snprintf(why, n, "%s: %s", *path ? path : "(value)", inner);
        return -1;
    }
    if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (safetext_walk(item, key, sub, multi_line, why, n) != 0)
                return -1;
        }
        return 0;
    }
    const char *k;
    const json_t *item;
    json_object_foreach((json_t *)v, k, item) {
        /* Keys are agent-written too (knob names), and always one line. */
        if (safetext_check(k, strlen(k), false, inner, sizeof inner) != 0) {
            snprintf(why, n, "%s%sa key: %s", path, *path ? ": " : "", inner);
            return -1;
        }
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
        if (safetext_walk(item, k, sub, multi_line, why, n) != 0)
            return -1;
    }
    return 0;
}

int safetext_check_json(const json_t *v, const char *const *multi_line, char *why, size_t n)
{
    return safetext_walk(v, NULL, "", multi_line, why, n);
}

char *safetext_escape(const char *s, size_t len, bool keep_newlines)
{
    strbuf b = {0};
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = safetext_decode(u + i, len - i, &cp);
        if (l == 0) {
            strbuf_addf(&b, "\\x%02x", u[i]);
            i++;
            continue;
        }
        if (cp == '\n' && !keep_newlines)
            strbuf_add(&b, "\\n");
        else if (safetext_is_control(cp) && cp != '\t' && cp != '\n')
            for (size_t j = 0; j < l; j++) /* C1 code points keep both of their bytes visible */
                strbuf_addf(&b, "\\x%02x", u[i + j]);
        else
            strbuf_addn(&b, s + i, l);
        i += l;
    }
    return strbuf_take(&b);
}
