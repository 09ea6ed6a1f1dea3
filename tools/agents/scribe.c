/* scribe.c — see scribe.h. */
#include "agents/scribe.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/rtlparam.h"
#include "lib/fsx.h"
#include "lib/utf8clip.h"

enum { SCRIBE_DIAG_MAX = 160, SCRIBE_SUBJECT_MAX = 80 };

static const char *sc_str(const json_t *e, const char *k)
{
    return json_string_value(json_object_get(e, k));
}

static double sc_fig(const json_t *e, const char *k)
{
    const json_t *v = json_object_get(e, k);
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    return isfinite(x) && x > 0 ? x : NAN;
}

static double sc_fmax(const json_t *e)
{
    const json_t *v = json_object_get(json_object_get(e, "fmax_mhz"), "median");
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    return isfinite(x) && x > 0 ? x : NAN;
}

/* Copies s[0..len) into dst (size max): whitespace runs and control
 * characters become one space; when it does not fit, it is cut at a UTF-8
 * character boundary and ends with "...". */
static void sc_clean(char *dst, size_t max, const char *s, size_t len)
{
    if (max == 0)
        return;
    size_t o = 0;
    bool space = false, cut = false;
    for (size_t i = 0; i < len && s[i] && !cut; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f) {
            space = o > 0;
            continue;
        }
        if (o + (space ? 2 : 1) >= max) {
            cut = true;
            break;
        }
        if (space)
            dst[o++] = ' ';
        space = false;
        dst[o++] = (char)c;
    }
    if (cut) {
        o = utf8clip_head(dst, o, max > 4 ? max - 4 : 0);
        if (max > 4) {
            memcpy(dst + o, "...", 3);
            o += 3;
        }
    }
    dst[o] = '\0';
}

static bool sc_mentions_error(const char *s, size_t len)
{
    static const char *const words[] = {"error", "fail", "diverge", "mismatch", "assert", "timeout", "timed out"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t wl = strlen(words[w]);
        for (size_t i = 0; i + wl <= len; i++)
            if (strncasecmp(s + i, words[w], wl) == 0)
                return true;
    }
    return false;
}

/* The most telling line of a diagnostic, cleaned and shortened. */
static void sc_diag_line(const char *diag, char *out, size_t n)
{
    out[0] = '\0';
    if (!diag)
        return;
    const char *first = NULL, *chosen = NULL;
    size_t first_len = 0, chosen_len = 0;
    for (const char *p = diag; *p && !chosen;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        bool blank = true;
        for (size_t i = 0; i < l && blank; i++)
            blank = isspace((unsigned char)p[i]);
        if (!blank) {
            if (!first) {
                first = p;
                first_len = l;
            }
            if (sc_mentions_error(p, l)) {
                chosen = p;
                chosen_len = l;
            }
        }
        p = nl ? nl + 1 : p + l;
    }
    if (!chosen) {
        chosen = first;
        chosen_len = first_len;
    }
    if (chosen)
        sc_clean(out, n < SCRIBE_DIAG_MAX + 1 ? n : SCRIBE_DIAG_MAX + 1, chosen, chosen_len);
}

/* "BRANCH_PREDICT=2, BTB_ENTRIES=16" or the title. */
static void sc_subject(const json_t *e, char *out, size_t n)
{
    const json_t *h = json_object_get(e, "hypothesis");
    const json_t *knobs = json_object_get(h, "knobs");
    char buf[SCRIBE_SUBJECT_MAX * 2] = "";
    size_t o = 0;
    if (json_is_object(knobs) && json_object_size(knobs)) {
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)knobs, k, v) {
            char vs[48];
            rtlparam_value_str(v, vs, sizeof vs);
            int w = snprintf(buf + o, sizeof buf - o, "%s%s=%s", o ? ", " : "", k, vs);
            if (w < 0 || (size_t)w >= sizeof buf - o)
                break;
            o += (size_t)w;
        }
    } else if (sc_str(h, "title")) {
        snprintf(buf, sizeof buf, "%s", sc_str(h, "title"));
    } else {
        snprintf(buf, sizeof buf, "%s", json_integer_value(json_object_get(e, "round")) == 0 && !json_is_object(h)
                                            ? "first measurement" : "no hypothesis");
    }
    sc_clean(out, n < SCRIBE_SUBJECT_MAX + 1 ? n : SCRIBE_SUBJECT_MAX + 1, buf, strlen(buf));
}

char *scribe_lesson(const json_t *e, const json_t *parent)
{
    const char *outcome = sc_str(e, "outcome");
    char subject[SCRIBE_SUBJECT_MAX + 1];
    sc_subject(e, subject, sizeof subject);
    if (!outcome)
        outcome = "?";
    if (strcmp(outcome, "broken") == 0 || strcmp(outcome, "placement_failed") == 0) {
        char d[SCRIBE_DIAG_MAX + 1];
        sc_diag_line(sc_str(e, "diagnostic"), d, sizeof d);
        const char *gate = sc_str(e, "failed_gate");
        if (strcmp(outcome, "placement_failed") == 0)
            return fsx_fmt("%s: did not place (%s)%s%s", subject, gate ? gate : "pnr", *d ? ": " : "", d);
        return fsx_fmt("%s: %s gate failed%s%s", subject, gate ? gate : "a", *d ? ": " : "", *d ? d : "");
    }
    char moves[200] = "";
    size_t o = 0;
    const double now[3] = {sc_fig(e, "cycles"), sc_fmax(e), sc_fig(e, "lut")};
    const double before[3] = {parent ? sc_fig(parent, "cycles") : NAN, parent ? sc_fmax(parent) : NAN,
                              parent ? sc_fig(parent, "lut") : NAN};
    static const char *const label[3] = {"cycles", "Fmax", "LCs"};
    for (int i = 0; i < 3; i++) {
        if (isnan(now[i]) || isnan(before[i]))
            continue;
        double pct = (now[i] - before[i]) / before[i] * 100.0;
        int w = fabs(pct) < 0.05 ? snprintf(moves + o, sizeof moves - o, "%s%s unchanged", o ? ", " : "", label[i])
                                 : snprintf(moves + o, sizeof moves - o, "%s%s %+.1f%%", o ? ", " : "", label[i], pct);
        if (w > 0 && (size_t)w < sizeof moves - o)
            o += (size_t)w;
    }
    if (!parent) {
        /* Nothing to compare with: the figures themselves. */
        char figs[200] = "";
        size_t f = 0;
        const double fit = sc_fig(e, "fitness");
        static const char *const fmt[4] = {"fitness %.1f it/s", "%.0f cycles", "Fmax %.2f MHz", "%.0f LCs"};
        const double val[4] = {fit, now[0], now[1], now[2]};
        for (int i = 0; i < 4; i++) {
            if (isnan(val[i]))
                continue;
            char one[64];
            snprintf(one, sizeof one, fmt[i], val[i]);
            int w = snprintf(figs + f, sizeof figs - f, "%s%s", f ? ", " : "", one);
            if (w > 0 && (size_t)w < sizeof figs - f)
                f += (size_t)w;
        }
        return fsx_fmt("%s: %s (no parent to compare)", subject, f ? figs : "no figures");
    }
    bool won = strcmp(outcome, "improvement") == 0;
    return fsx_fmt("%s: %s vs parent %s; %s", subject, o ? moves : "no comparable figures",
                   sc_str(parent, "id") ? sc_str(parent, "id") : "", won ? "accepted" : "not accepted");
}

static bool sc_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

bool scribe_line_valid(const char *s, size_t len)
{
    if (len > SCRIBE_LINE_MAX || len < 20)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    /* "- YYYY-MM-DD " */
    if (strncmp(s, "- ", 2) != 0 || !sc_digits(s + 2, 4) || s[6] != '-' || !sc_digits(s + 7, 2) || s[9] != '-' ||
        !sc_digits(s + 10, 2) || s[12] != ' ')
        return false;
    int mon = (s[7] - '0') * 10 + (s[8] - '0'), day = (s[10] - '0') * 10 + (s[11] - '0');
    if (mon < 1 || mon > 12 || day < 1 || day > 31)
        return false;
    /* "<id> " with the schemas' id pattern ^[a-z0-9][a-z0-9-]{2,63}$ */
    size_t i = 13, id0 = i;
    while (i < len && (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
        i++;
    size_t idl = i - id0;
    if (idl < 3 || idl > 64 || s[id0] == '-' || i >= len || s[i] != ' ')
        return false;
    i++;
    /* "(<outcome>, <delta>): " */
    if (i >= len || s[i++] != '(')
        return false;
    static const char *const outcomes[] = {"improvement", "regression", "broken", "placement_failed"};
    bool ok = false;
    for (size_t k = 0; k < 4 && !ok; k++) {
        size_t ol = strlen(outcomes[k]);
        if (i + ol + 2 <= len && strncmp(s + i, outcomes[k], ol) == 0 && s[i + ol] == ',' && s[i + ol + 1] == ' ') {
            i += ol + 2;
            ok = true;
        }
    }
    if (!ok)
        return false;
    if (i + 3 <= len && strncmp(s + i, "n/a", 3) == 0) {
        i += 3;
    } else {
        if (i >= len || (s[i] != '+' && s[i] != '-'))
            return false;
        i++;
        size_t d0 = i;
        while (i < len && isdigit((unsigned char)s[i]))
            i++;
        if (i == d0)
            return false;
        if (i < len && s[i] == '.') {
            size_t f0 = ++i;
            while (i < len && isdigit((unsigned char)s[i]))
                i++;
            if (i == f0)
                return false;
        }
        if (i >= len || s[i++] != '%')
            return false;
    }
    if (i + 3 > len || strncmp(s + i, "): ", 3) != 0)
        return false;
    i += 3;
    /* A lesson: something that is not only spaces. */
    for (; i < len; i++)
        if (s[i] != ' ')
            return true;
    return false;
}

int scribe_check_append_only(const char *before, const char *after, char *err, size_t n)
{
    if (!before)
        before = "";
    if (!after) {
        snprintf(err, n, "LESSONS.md was deleted; it is append-only");
        return -1;
    }
    size_t bl = strlen(before), al = strlen(after);
    size_t keep = bl;
    if (al < bl || memcmp(after, before, bl) != 0) {
        /* The old text without a final newline may be followed by one. */
        size_t common = 0;
        while (common < bl && common < al && before[common] == after[common])
            common++;
        size_t line = 1;
        for (size_t i = 0; i < common; i++)
            line += before[i] == '\n';
        snprintf(err, n, "LESSONS.md: earlier lines were changed or removed (first difference on line %zu); "
                 "only one new line may be appended", line);
        return -1;
    }
    const char *rest = after + keep;
    size_t rl = al - keep;
    if (bl > 0 && before[bl - 1] != '\n') {
        if (rl == 0 || rest[0] != '\n') {
            snprintf(err, n, "LESSONS.md: the new text continues the last line instead of adding a line");
            return -1;
        }
        rest++;
        rl--;
    }
    if (rl == 0) {
        snprintf(err, n, "LESSONS.md: no line was appended");
        return -1;
    }
    const char *nl = memchr(rest, '\n', rl);
    if (!nl || (size_t)(nl - rest) + 1 != rl) {
        snprintf(err, n, nl ? "LESSONS.md: more than one line was appended"
                            : "LESSONS.md: the appended line does not end with a newline");
        return -1;
    }
    if (!scribe_line_valid(rest, rl - 1)) {
        snprintf(err, n, "LESSONS.md: the appended line does not match '- <YYYY-MM-DD> <id> (<outcome>, "
                 "<delta>): <lesson>': %.*s", (int)(rl - 1 > 200 ? 200 : rl - 1), rest);
        return -1;
    }
    return 0;
}
