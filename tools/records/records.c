/* records.c — see records.h. */
#include "records/records.h"

#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/strbuf.h"
#include "lib/safetext.h"
#include "lib/utf8clip.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

static int records_push(void ***v, size_t *n, void *item)
{
    void **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    nv[(*n)++] = item;
    *v = nv;
    return 0;
}

static int records_warn(records_log *out, const char *name, int line, const char *why)
{
    /* jansson quotes the bytes near an error, and those may be anything. */
    char *safe = safetext_escape(why, strlen(why), false);
    char *w = safe ? fsx_fmt("%s:%d: %s", name, line, safe) : NULL;
    free(safe);
    return w ? records_push((void ***)&out->warnings, &out->nwarn, w) : -1;
}

int records_log_parse(const char *text, size_t len, const char *name, const json_t *schema,
                      records_log *out)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        line++;
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - start) : len - pos;
        pos += l + (nl ? 1 : 0);
        bool blank = true;
        for (size_t i = 0; i < l && blank; i++)
            blank = isspace((unsigned char)start[i]);
        if (blank)
            continue;
        json_error_t je;
        json_t *e = json_loadb(start, l, JSON_REJECT_DUPLICATES, &je);
        char why[600];
        if (!e) {
            snprintf(why, sizeof why, "not valid JSON (column %d: %s)", je.column, je.text);
        } else if (!json_is_object(e)) {
            snprintf(why, sizeof why, "not a JSON object");
        } else if (schema) {
            char verr[512];
            int vr = schema_validate(schema, e, verr, sizeof verr);
            if (vr == 0)
                why[0] = '\0';
            else
                snprintf(why, sizeof why, "does not match log_entry.schema.json: %s", verr);
        } else {
            why[0] = '\0';
        }
        if (why[0]) {
            json_decref(e);
            if (records_warn(out, name, line, why) != 0)
                return -1;
            continue;
        }
        if (records_push((void ***)&out->v, &out->n, e) != 0) {
            json_decref(e);
            return -1;
        }
    }
    return 0;
}

void records_log_free(records_log *log)
{
    for (size_t i = 0; i < log->n; i++)
        json_decref(log->v[i]);
    for (size_t i = 0; i < log->nwarn; i++)
        free(log->warnings[i]);
    free(log->v);
    free(log->warnings);
    memset(log, 0, sizeof *log);
}

static const char *records_str(const json_t *e, const char *key)
{
    return json_string_value(json_object_get(e, key));
}

const json_t *records_champion(const records_log *log)
{
    for (size_t i = log->n; i-- > 0;) {
        const char *o = records_str(log->v[i], "outcome");
        if (o && strcmp(o, "improvement") == 0)
            return log->v[i];
    }
    return NULL;
}

/* Is a better than b in the top-K order (fitness, then log position)? */
static bool records_topk_better(const json_t *a, size_t ia, const json_t *b, size_t ib)
{
    double fa = json_number_value(json_object_get(a, "fitness")), fb = json_number_value(json_object_get(b, "fitness"));
    return fa != fb ? fa > fb : ia < ib;
}

/* May log entry e join the top K next to the champion c? */
static bool records_topk_candidate(const json_t *e, const json_t *c)
{
    const char *o = records_str(e, "outcome"), *tree = records_str(e, "rtl_tree");
    const char *wl = records_str(e, "workload"), *cwl = records_str(c, "workload");
    const char *ctree = records_str(c, "rtl_tree");
    return o && strcmp(o, "regression") == 0 && json_is_number(json_object_get(e, "fitness")) && tree &&
           !(ctree && strcmp(tree, ctree) == 0) && !(wl && cwl && strcmp(wl, cwl) != 0);
}

size_t records_topk(const records_log *log, size_t k, const json_t **out)
{
    const json_t *c = records_champion(log);
    if (!c || k == 0)
        return 0;
    out[0] = c;
    size_t m = 1;
    size_t *pos = calloc(k, sizeof *pos); /* out[i]'s index in the log */
    if (!pos)
        return m;
    /* Insertion into out[1..m) kept sorted; an entry whose tree is already
     * there replaces it only when better. */
    for (size_t i = 0; i < log->n; i++) {
        const json_t *e = log->v[i];
        if (!records_topk_candidate(e, c))
            continue;
        const char *tree = records_str(e, "rtl_tree");
        size_t same = 0;
        for (size_t j = 1; j < m && !same; j++)
            if (strcmp(records_str(out[j], "rtl_tree"), tree) == 0)
                same = j;
        if (same) {
            if (!records_topk_better(e, i, out[same], pos[same]))
                continue;
            memmove(out + same, out + same + 1, (m - same - 1) * sizeof *out);
            memmove(pos + same, pos + same + 1, (m - same - 1) * sizeof *pos);
            m--;
        }
        size_t at = m;
        while (at > 1 && records_topk_better(e, i, out[at - 1], pos[at - 1]))
            at--;
        if (at >= k)
            continue;
        size_t keep = m < k ? m : k - 1; /* the last one falls out when full */
        memmove(out + at + 1, out + at, (keep - at) * sizeof *out);
        memmove(pos + at + 1, pos + at, (keep - at) * sizeof *pos);
        out[at] = e;
        pos[at] = i;
        m = keep + 1;
    }
    free(pos);
    return m;
}

int records_last_round(const records_log *log)
{
    int r = -1;
    for (size_t i = 0; i < log->n; i++) {
        json_t *v = json_object_get(log->v[i], "round");
        if (json_is_integer(v) && json_integer_value(v) > r)
            r = (int)json_integer_value(v);
    }
    return r;
}

int records_core_name_check(const char *name, char *err, size_t n)
{
    const char *why = NULL;
    size_t len = name ? strlen(name) : 0;
    if (len == 0)
        why = "it is empty";
    else if (len > 40)
        why = "it is longer than 40 characters (ids are <name>-r<round>-s<slot>-<hex>, at most 64)";
    else if (!islower((unsigned char)name[0]) && !isdigit((unsigned char)name[0]))
        why = "it must start with a lower-case letter or a digit";
    for (size_t i = 0; !why && i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '_')
            why = "'_' is not allowed: slot ids and branches could not tell 'a_b' from 'a-b', and a loop on "
                  "one would remove the live slots of the other";
        else if (!islower(c) && !isdigit(c) && c != '-')
            why = "only lower-case letters, digits and '-' are allowed";
    }
    if (!why)
        return 0;
    char *safe = safetext_escape(name ? name : "", len, false);
    snprintf(err, n, "'%.80s' is not a valid core name: %s; core names match ^[a-z0-9][a-z0-9-]{0,39}$ (to "
             "carry on a core with another name, fork it: make loop TARGET=<new-name> BASE=<old-name>)",
             safe ? safe : "?", why);
    free(safe);
    return -1;
}

static bool records_core_name_ok(const char *name)
{
    char err[512];
    return records_core_name_check(name, err, sizeof err) == 0;
}

char *records_id(const char *target, int round, int slot)
{
    if (!records_core_name_ok(target))
        return NULL;
    unsigned short rnd = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, &rnd, sizeof rnd) != (ssize_t)sizeof rnd)
        rnd = (unsigned short)(time(NULL) ^ getpid() ^ (round << 4) ^ slot);
    if (fd >= 0)
        close(fd);
    return fsx_fmt("%s-r%03d-s%d-%04x", target, round, slot, rnd);
}

bool records_id_belongs(const char *id, const char *target)
{
    if (!records_core_name_ok(target))
        return false;
    size_t cl = strlen(target);
    if (strncmp(id, target, cl) != 0 || strncmp(id + cl, "-r", 2) != 0)
        return false;
    const char *p = id + cl + 2;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    if (strncmp(p, "-s", 2) != 0 || !isdigit((unsigned char)p[2]))
        return false;
    p += 2;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p != '-' || strlen(p + 1) != 4)
        return false;
    for (const char *h = p + 1; *h; h++)
        if (!isxdigit((unsigned char)*h))
            return false;
    return true;
}

void records_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *records_entry_new(const char *id, const char *core, int round, int slot,
                          const char *parent_hex)
{
    char now[32];
    records_now(now, sizeof now);
    json_t *e = json_object();
    json_object_set_new(e, "id", json_string(id));
    json_object_set_new(e, "core", json_string(core));
    json_object_set_new(e, "round", json_integer(round));
    json_object_set_new(e, "slot", json_integer(slot));
    json_object_set_new(e, "parent", json_string(parent_hex));
    json_object_set_new(e, "hypothesis", json_null());
    json_object_set_new(e, "outcome", json_string("broken"));
    json_object_set_new(e, "failed_gate", json_null());
    json_object_set_new(e, "diagnostic", json_string(""));
    static const char *const nulls[] = {"fitness", "fmax_mhz", "cycles", "iterations",
                                        "coremark_per_mhz", "lut", "ff", "workload"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        json_object_set_new(e, nulls[i], json_null());
    json_object_set_new(e, "gate_seconds", json_object());
    json_object_set_new(e, "tools", json_object());
    json_object_set_new(e, "started", json_string(now));
    json_object_set_new(e, "finished", json_string(now));
    json_object_set_new(e, "lesson", json_string(""));
    return e;
}

/* A non-negative number, or NULL. */
static json_t *records_figure(const json_t *v)
{
    if (!json_is_number(v))
        return json_null();
    double d = json_number_value(v);
    return isfinite(d) && d >= 0 ? json_real(d) : json_null();
}

/* A non-negative integer (an integral real is accepted), or NULL. */
static json_t *records_count(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v) >= 0 ? json_integer(json_integer_value(v)) : json_null();
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (isfinite(d) && d >= 0 && d == floor(d) && d < 9.0e15)
            return json_integer((json_int_t)d);
    }
    return json_null();
}

/* The formal checks proved for every cycle (the others hold to their
 * depth): names as the harness's check table spells them, at most 64. */
static void records_fill_unbounded(json_t *e, const json_t *formal)
{
    const json_t *checks = json_object_get(formal, "checks");
    if (!json_is_array(checks))
        return;
    json_t *names = json_array();
    size_t i;
    const json_t *c;
    json_array_foreach(checks, i, c) {
        const char *n = records_str(c, "name");
        if (n && json_is_true(json_object_get(c, "unbounded")) && strlen(n) <= 47 &&
            strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(n) && json_array_size(names) < 64)
            json_array_append_new(names, json_string(n));
    }
    json_object_set_new(e, "formal_unbounded", names);
}

enum { RECORDS_MAX_WORKLOADS = 4 };

/* The coremark gate's per-workload figures (gates/fitset.h), member names
 * as the schema allows them, at most RECORDS_MAX_WORKLOADS; absent when the
 * gate gave none. */
static void records_fill_workloads(json_t *e, const json_t *ws)
{
    if (!json_is_object(ws) || json_object_size(ws) == 0)
        return;
    json_t *out = json_object();
    const char *k;
    const json_t *w;
    json_object_foreach((json_t *)ws, k, w) {
        size_t l = strlen(k);
        if (l == 0 || l > 15 || strspn(k, "abcdefghijklmnopqrstuvwxyz") != l ||
            json_object_size(out) >= RECORDS_MAX_WORKLOADS)
            continue;
        json_object_set_new(out, k, json_pack("{s:o,s:o,s:o,s:o}", "cycles", records_count(json_object_get(w, "cycles")),
                                              "iterations", records_count(json_object_get(w, "iterations")),
                                              "per_mhz", records_figure(json_object_get(w, "per_mhz")),
                                              "fitness", records_figure(json_object_get(w, "fitness"))));
    }
    json_object_set_new(e, "workloads", out);
}

void records_fill_figures(json_t *e, const json_t *results)
{
    const json_t *cm = json_object_get(results, "coremark");
    const json_t *cosim = json_object_get(results, "cosim");
    const json_t *pnr = json_object_get(results, "pnr");
    const json_t *synth = json_object_get(results, "synth");
    const json_t *cfit = json_object_get(cosim, "fitness");

    json_object_set_new(e, "fitness", records_figure(json_object_get(cm, "fitness")));
    json_object_set_new(e, "coremark_per_mhz", records_figure(json_object_get(cm, "coremark_per_mhz")));
    static const char *const counts[] = {"cycles", "iterations"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(cm, counts[i]);
        if (!v)
            v = json_object_get(cfit, counts[i]);
        json_object_set_new(e, counts[i], records_count(v));
    }
    const char *wl = records_str(cm, "workload");
    if (!wl)
        wl = records_str(cfit, "workload");
    json_object_set_new(e, "workload", wl && *wl && strlen(wl) <= 64 ? json_string(wl) : json_null());
    records_fill_workloads(e, json_object_get(cm, "workloads"));

    if (json_is_number(json_object_get(pnr, "fmax_mhz_median"))) {
        json_t *seeds = json_array();
        const json_t *s;
        size_t i;
        json_array_foreach(json_object_get(pnr, "seeds"), i, s) {
            if (i >= 32)
                break;
            json_array_append_new(seeds, json_is_object(s) ? records_figure(json_object_get(s, "fmax_mhz"))
                                                           : records_figure(s));
        }
        json_object_set_new(e, "fmax_mhz", json_pack("{s:o,s:o}", "seeds", seeds, "median",
                                                     records_figure(json_object_get(pnr, "fmax_mhz_median"))));
    }
    /* pnr built it from untrusted names under the log schema's rules
     * (gates/critpath.h); kept only when it is an object. */
    if (json_is_object(json_object_get(pnr, "critical_path")))
        json_object_set(e, "critical_path", json_object_get(pnr, "critical_path"));
    if (json_is_array(json_object_get(synth, "cells_by_instance")))
        json_object_set(e, "cells_by_instance", json_object_get(synth, "cells_by_instance"));
    /* built by the gate from the harness's counts (gates/toolout.h) */
    if (json_is_object(json_object_get(cfit, "cpi_profile")))
        json_object_set(e, "cpi_profile", json_object_get(cfit, "cpi_profile"));
    records_fill_unbounded(e, json_object_get(results, "formal"));
    json_object_set_new(e, "lut", records_count(json_object_get(pnr, "lc_used")));
    json_object_set_new(e, "ff", records_count(json_object_get(json_object_get(synth, "cells"), "ff")));

    /* Time spent in this slot (a result from the gate cache cost nothing),
     * only in an entry (records_entry_new made gate_seconds): the gate
     * cache compares the figures alone (orch/gcache.h). */
    json_t *secs = json_object_get(e, "gate_seconds");
    if (!secs)
        return;
    json_t *cpu = json_object();
    const char *name;
    const json_t *r;
    json_object_foreach((json_t *)results, name, r) {
        bool cached = json_is_true(json_object_get(r, "cached"));
        double s = cached ? 0.0 : json_number_value(json_object_get(r, "seconds"));
        double c = cached ? 0.0 : json_number_value(json_object_get(r, "cpu_seconds"));
        json_object_set_new(secs, name, json_real(isfinite(s) && s > 0 ? s : 0.0));
        json_object_set_new(cpu, name, json_real(isfinite(c) && c > 0 ? c : 0.0));
    }
    json_object_set_new(e, "gate_cpu_seconds", cpu);
}

accept_design records_design(const json_t *e)
{
    accept_design d = {0, 0};
    if (e) {
        d.perf = json_number_value(json_object_get(e, "fitness"));
        d.lut = json_number_value(json_object_get(e, "lut"));
    }
    return d;
}

int records_decide(const accept_targets *t, const json_t *champion, json_t *const *entries,
                   const bool *passed, size_t k)
{
    accept_design champ = records_design(champion);
    accept_design *cands = calloc(k ? k : 1, sizeof *cands);
    size_t *map = calloc(k ? k : 1, sizeof *map);
    if (!cands || !map) {
        free(cands);
        free(map);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        json_object_set_new(entries[i], "accepted", json_false());
        if (passed[i]) {
            cands[m] = records_design(entries[i]);
            map[m++] = i;
        }
    }
    int pick = m ? accept_pick(t, champ, cands, m) : -1;
    int winner = pick >= 0 ? (int)map[pick] : -1;
    for (size_t j = 0; j < m; j++) {
        json_t *e = entries[map[j]];
        bool won = (int)map[j] == winner;
        char why[480];
        bool beats = accept_beats(t, champ, cands[j], why, sizeof why);
        if (beats && !won) {
            size_t l = strlen(why);
            snprintf(why + l, sizeof why - l, "; but %s won this round",
                     records_str(entries[winner], "id"));
        }
        json_object_set_new(e, "outcome", json_string(won ? "improvement" : "regression"));
        json_object_set_new(e, "accepted", json_boolean(won));
        json_object_set_new(e, "accept_reason", json_string(why));
        /* to 1e-9 %: a fitness that is a geometric mean carries rounding
         * noise far below that, which the record need not keep */
        json_object_set_new(e, "delta_pct", champ.perf > 0
                            ? json_real(round((cands[j].perf - champ.perf) / champ.perf * 1e11) / 1e9) : json_null());
    }
    free(cands);
    free(map);
    return winner;
}

json_t *records_current(const json_t *e, const char *commit_hex)
{
    char now[32];
    records_now(now, sizeof now);
    json_t *c = json_object();
    json_object_set_new(c, "id", json_string(records_str(e, "id")));
    json_object_set_new(c, "commit", commit_hex ? json_string(commit_hex) : json_null());
    static const char *const keys[] = {"fitness", "cycles", "iterations", "coremark_per_mhz", "lut", "ff", "workload",
                                       "rtl_tree"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(e, keys[i]);
        json_object_set_new(c, keys[i], v ? json_deep_copy(v) : json_null());
    }
    json_t *fm = json_object_get(json_object_get(e, "fmax_mhz"), "median");
    json_object_set_new(c, "fmax_mhz", fm ? json_deep_copy(fm) : json_null());
    json_object_set_new(c, "updated", json_string(now));
    return c;
}

void records_delta_str(const json_t *e, char *buf, size_t n)
{
    const json_t *d = json_object_get(e, "delta_pct");
    double v = json_is_number(d) ? json_number_value(d) : NAN;
    if (isfinite(v))
        snprintf(buf, n, "%+.1f%%", fabs(v) < 0.05 ? 0.0 : v); /* never "-0.0%" */
    else
        snprintf(buf, n, "n/a");
}

/* Appends the strings of arr joined by sep. */
static void records_join(strbuf *b, const json_t *arr, const char *sep)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) strbuf_addf(b, "%s%s", i ? sep : "", json_string_value(v) ? json_string_value(v) : "?");
}

char *records_critical_path_text(const json_t *e)
{
    const json_t *cp = json_object_get(e, "critical_path");
    if (!json_is_object(cp))
        return NULL;
    strbuf b = {0};
    strbuf_addf(&b, "%.1f ns (%.1f logic in %lld levels, %.1f routing", json_number_value(json_object_get(cp, "delay_ns")),
                json_number_value(json_object_get(cp, "logic_ns")),
                (long long)json_integer_value(json_object_get(cp, "levels")),
                json_number_value(json_object_get(cp, "routing_ns")));
    if (json_is_integer(json_object_get(cp, "seed")))
        strbuf_addf(&b, "; seed %lld", (long long)json_integer_value(json_object_get(cp, "seed")));
    strbuf_addf(&b, ") from %s to %s", json_string_value(json_object_get(cp, "from")) ? json_string_value(json_object_get(cp, "from")) : "?",
                json_string_value(json_object_get(cp, "to")) ? json_string_value(json_object_get(cp, "to")) : "?");
    if (json_array_size(json_object_get(cp, "signals"))) {
        strbuf_add(&b, " through ");
        records_join(&b, json_object_get(cp, "signals"), " -> ");
    }
    if (json_array_size(json_object_get(cp, "rtl"))) {
        strbuf_add(&b, "; RTL: ");
        records_join(&b, json_object_get(cp, "rtl"), ", ");
    }
    return strbuf_take(&b);
}

char *records_cpi_text(const json_t *e)
{
    const json_t *p = json_object_get(e, "cpi_profile");
    double cycles = (double)json_integer_value(json_object_get(p, "cycles"));
    double retired = (double)json_integer_value(json_object_get(p, "retired"));
    if (!json_is_object(p) || !(cycles > 0) || !(retired > 0))
        return NULL;
    strbuf b = {0};
    strbuf_addf(&b, "CPI %.2f over %.0f instructions; cycles beyond one per instruction:", cycles / retired, retired);
    const char *k;
    const json_t *v;
    int i = 0;
    json_object_foreach((json_t *)json_object_get(p, "stalls"), k, v)
        strbuf_addf(&b, "%s %s %.1f%%", i++ ? "," : "", k, 100.0 * (double)json_integer_value(v) / cycles);
    strbuf_add(&b, "; by class (share of instructions, cycles per instruction):");
    i = 0;
    json_object_foreach((json_t *)json_object_get(p, "classes"), k, v) {
        double n = (double)json_integer_value(json_array_get(v, 0)), c = (double)json_integer_value(json_array_get(v, 1));
        if (n > 0)
            strbuf_addf(&b, "%s %s %.1f%% x %.2f", i++ ? "," : "", k, 100.0 * n / retired, c / n);
    }
    return strbuf_take(&b);
}

char *records_cells_text(const json_t *e)
{
    const json_t *by = json_object_get(e, "cells_by_instance");
    if (json_array_size(by) < 1)
        return NULL;
    strbuf b = {0};
    size_t i;
    const json_t *v;
    json_array_foreach(by, i, v) {
        strbuf_addf(&b, "%s%s %lld cells (%lld LUT4, %lld FF, %lld carry)", i ? "; " : "",
                    json_string_value(json_object_get(v, "instance")) ? json_string_value(json_object_get(v, "instance"))
                                                                      : "?",
                    (long long)json_integer_value(json_object_get(v, "cells")),
                    (long long)json_integer_value(json_object_get(v, "lut")),
                    (long long)json_integer_value(json_object_get(v, "ff")),
                    (long long)json_integer_value(json_object_get(v, "carry")));
    }
    return strbuf_take(&b);
}

char *records_lesson_line(const json_t *e)
{
    char date[32];
    records_now(date, sizeof date);
    date[10] = '\0';
    char delta[32];
    records_delta_str(e, delta, sizeof delta);
    const char *id = records_str(e, "id"), *outcome = records_str(e, "outcome"), *lesson = records_str(e, "lesson");
    if (lesson && !lesson[strspn(lesson, " ")])
        lesson = NULL; /* the line's format needs a lesson */
    return fsx_fmt("- %s %s (%s, %s): %s\n", date, id ? id : "unknown", outcome ? outcome : "unknown", delta,
                   lesson ? lesson : "no lesson");
}

char *records_line(const json_t *e, const json_t *schema, char *err, size_t n)
{
    if (schema) {
        char verr[512];
        int rc = schema_validate(schema, e, verr, sizeof verr);
        if (rc != 0) {
            snprintf(err, n, "log entry %s does not match schemas/log_entry.schema.json: %s "
                     "(not written; this is a bug in evo)", records_str(e, "id"), verr);
            return NULL;
        }
    }
    char *text = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (!text) {
        snprintf(err, n, "cannot serialise log entry %s", records_str(e, "id"));
        return NULL;
    }
    char *line = fsx_fmt("%s\n", text);
    free(text);
    return line;
}

char *records_text_append(const char *old, size_t old_len, const char *add, size_t add_len, size_t *out_len)
{
    bool nl = old_len > 0 && old[old_len - 1] != '\n';
    size_t len = old_len + (nl ? 1 : 0) + add_len;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    if (old_len)
        memcpy(out, old, old_len);
    if (nl)
        out[old_len] = '\n';
    if (add_len)
        memcpy(out + old_len + (nl ? 1 : 0), add, add_len);
    out[len] = '\0';
    *out_len = len;
    return out;
}

int records_hyp_check_text(const json_t *h, char *err, size_t n)
{
    /* The prose fields; every other string is one line (a title becomes a
     * commit subject, a knob value goes into RTL parameters). */
    static const char *const multi_line[] = {"motivation", "hypothesis", "description", NULL};
    char why[400];
    if (safetext_check_json(h, multi_line, why, sizeof why) == 0)
        return 0;
    snprintf(err, n, "%s: agent-written text may not hold control characters (terminal escapes, NUL) or "
             "invalid UTF-8", why);
    return -1;
}

/* ---- Setting an entry's fields (see records.h) ---------------------------- */

/* A copy of s cut to at most max bytes at a UTF-8 boundary, with control
 * characters other than newline and tab (or any, when one_line) made spaces. */
static char *records_clip(const char *s, size_t max, bool one_line)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    /* Keep the end: diagnostics are tails, the last lines matter. */
    char *o = strdup(s + utf8clip_tail(s, len, max));
    if (!o)
        return NULL;
    for (char *p = o; *p; p++)
        if ((unsigned char)*p < 0x20 && (one_line || (*p != '\n' && *p != '\t')))
            *p = ' ';
    return o;
}

static void records_set_text(json_t *e, const char *key, const char *value, size_t max, bool one_line)
{
    char *c = records_clip(value, max, one_line);
    json_t *s = c ? json_string(c) : NULL;
    json_object_set_new(e, key, s ? s : json_string("(not valid UTF-8)"));
    free(c);
}

void records_entry_set_failed(json_t *e, const char *outcome, const char *gate, const char *diagnostic)
{
    json_object_set_new(e, "outcome", json_string(outcome));
    json_object_set_new(e, "failed_gate", json_string(gate));
    records_set_text(e, "diagnostic", diagnostic, RECORDS_DIAG_MAX, false);
}

void records_entry_set_broken(json_t *e, const char *gate, const char *diagnostic)
{
    records_entry_set_failed(e, "broken", gate, diagnostic);
}

void records_entry_set_diagnostic(json_t *e, const char *text)
{
    records_set_text(e, "diagnostic", text, RECORDS_DIAG_MAX, false);
}

void records_entry_add_seconds(json_t *e, const char *phase, double secs)
{
    json_t *gs = json_object_get(e, "gate_seconds");
    double prev = json_number_value(json_object_get(gs, phase));
    json_object_set_new(gs, phase, json_real(prev + (secs > 0 ? secs : 0)));
}

void records_entry_set_cache(json_t *e, const json_t *results)
{
    json_t *gc = json_object();
    const char *name;
    const json_t *r;
    json_object_foreach((json_t *)results, name, r) {
        if (json_is_true(json_object_get(r, "cached")))
            json_object_set_new(gc, name, json_string(json_is_true(json_object_get(r, "reverified"))
                                                          ? "reverified" : "cached"));
    }
    if (json_object_size(gc))
        json_object_set_new(e, "gate_cache", gc);
    else {
        json_object_del(e, "gate_cache");
        json_decref(gc);
    }
}

void records_entry_set_agent(json_t *e, const char *provider, bool exited, int exit_code, bool timed_out,
                             const char *transcript)
{
    json_t *a = json_object();
    json_object_set_new(a, "provider", json_string(provider));
    json_object_set_new(a, "exit", exited ? json_integer(exit_code) : json_null());
    json_object_set_new(a, "timed_out", json_boolean(timed_out));
    json_object_set_new(a, "transcript", json_string(transcript));
    json_object_set_new(e, "agent", a);
}

void records_entry_set_hypothesis(json_t *e, json_t *h)
{
    json_object_set(e, "hypothesis", h);
}

void records_entry_set_rundir(json_t *e, const char *path)
{
    json_object_set_new(e, "rundir", json_string(path));
}

void records_entry_set_finished(json_t *e)
{
    char now[32];
    records_now(now, sizeof now);
    json_object_set_new(e, "finished", json_string(now));
}

void records_entry_set_rtl_tree(json_t *e, const char *hex)
{
    json_object_set_new(e, "rtl_tree", hex ? json_string(hex) : json_null());
}

void records_entry_set_parent_id(json_t *e, const char *id)
{
    json_object_set_new(e, "parent_id", json_string(id));
}

void records_entry_set_coverage(json_t *e, const json_t *coverage, long changed, json_t *unexercised)
{
    const char *kind = records_str(coverage, "kind");
    json_t *c = json_pack("{s:s, s:I, s:o}", "kind", kind && strlen(kind) <= 16 ? kind : "off", "changed_lines",
                          (json_int_t)(changed > 0 ? changed : 0), "unexercised",
                          unexercised ? unexercised : json_array());
    static const char *const counts[] = {"lines", "lines_hit"};
    for (size_t i = 0; i < 2; i++)
        if (json_is_integer(json_object_get(coverage, counts[i])))
            json_object_set(c, counts[i], json_object_get(coverage, counts[i]));
    const char *why = records_str(coverage, "error");
    if (why)
        json_object_set_new(c, "error", json_stringn(why, strlen(why) > 400 ? 400 : strlen(why)));
    json_object_set_new(e, "coverage", c);
}

void records_entry_set_commit(json_t *e, const char *hex)
{
    json_object_set_new(e, "commit", hex ? json_string(hex) : json_null());
}

void records_entry_set_lesson(json_t *e, const char *lesson)
{
    records_set_text(e, "lesson", lesson, RECORDS_LESSON_MAX, true);
}

void records_entry_set_verdict(json_t *e, const char *outcome, bool accepted, const char *reason)
{
    if (outcome)
        json_object_set_new(e, "outcome", json_string(outcome));
    json_object_set_new(e, "accepted", json_boolean(accepted));
    if (reason)
        records_set_text(e, "accept_reason", reason, RECORDS_REASON_MAX, true);
}

void records_entry_clear_decision(json_t *e)
{
    json_object_del(e, "accept_reason");
    json_object_del(e, "delta_pct");
}

void records_entry_set_confinement(json_t *e, json_t *c)
{
    json_object_set_new(e, "confinement", c);
}

void records_entry_set_tools(json_t *e, const json_t *tools)
{
    json_object_set_new(e, "tools", json_deep_copy(tools));
}

int records_hyp_adopt(json_t *h, const char *id, char *err, size_t n)
{
    const json_t *have = json_object_get(h, "id");
    if (!json_is_object(h)) {
        snprintf(err, n, "the file must hold a YAML mapping");
        return -1;
    }
    if (!have) {
        json_object_set_new(h, "id", json_string(id));
        return 0;
    }
    if (!json_is_string(have) || strcmp(json_string_value(have), id) != 0) {
        snprintf(err, n, "id must be '%s' (the id the loop assigned)", id);
        return -1;
    }
    return 0;
}

json_t *records_hyp_load(const char *text, size_t len, const char *name, const char *id, const json_t *schema,
                         char *err, size_t n)
{
    char why[900];
    json_t *h = yamljson_load_string(text, len, name, err, n);
    if (!h)
        return NULL;
    /* The text check names the field; it runs before the schema, whose
     * message quotes the offending value. */
    if (records_hyp_adopt(h, id, why, sizeof why) != 0 || records_hyp_check_text(h, why, sizeof why) != 0) {
        snprintf(err, n, "%s: %s", name, why);
        json_decref(h);
        return NULL;
    }
    if (schema_validate(schema, h, why, sizeof why) != 0) {
        snprintf(err, n, "%s: does not match schemas/hypothesis.schema.json: %s", name, why);
        json_decref(h);
        return NULL;
    }
    return h;
}

/* ---- P&R noise and re-measured winners ---- */

static int records_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The positive finite numbers of arr, sorted, into out[0..max); their count. */
static int records_numbers(const json_t *arr, double *out, int max)
{
    int n = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) {
        double d = json_number_value(v);
        if (n < max && json_is_number(v) && isfinite(d) && d > 0)
            out[n++] = d;
    }
    qsort(out, (size_t)n, sizeof *out, records_cmp_double);
    return n;
}

enum { RECORDS_MAX_SEEDS = 32 };

double records_seed_spread_pct(const json_t *e)
{
    double f[RECORDS_MAX_SEEDS];
    int n = records_numbers(json_object_get(json_object_get(e, "fmax_mhz"), "seeds"), f, RECORDS_MAX_SEEDS);
    if (n < 2)
        return -1;
    double med = gate_fmax_of_seeds(f, n);
    return med > 0 ? 100.0 * (f[n - 1] - f[0]) / med : -1;
}

double records_noise_pct(const records_log *log, const json_t *also, int *count)
{
    size_t cap = (log ? log->n : 0) + 1;
    double *sp = calloc(cap, sizeof *sp);
    int n = 0;
    for (size_t i = 0; sp && i < cap; i++) {
        const json_t *e = i < cap - 1 ? log->v[i] : also;
        double s = e ? records_seed_spread_pct(e) : -1;
        if (s >= 0)
            sp[n++] = s;
    }
    double noise = -1;
    if (n > 0) {
        qsort(sp, (size_t)n, sizeof *sp, records_cmp_double);
        noise = gate_fmax_of_seeds(sp, n);
    }
    free(sp);
    if (count)
        *count = n;
    return noise;
}

/* Each member's fitness at a new Fmax (its per_mhz is the design's). */
static void records_workloads_rescale(json_t *ws, double fmax_mhz)
{
    const char *k;
    json_t *w;
    json_object_foreach(ws, k, w) {
        double p = json_number_value(json_object_get(w, "per_mhz"));
        if (p > 0)
            json_object_set_new(w, "fitness", json_real(gate_fitness(fmax_mhz, p)));
    }
}

int records_entry_remeasure(json_t *e, const json_t *extra, double noise_pct, double threshold_pct)
{
    json_t *fm = json_object_get(e, "fmax_mhz");
    json_t *seeds = json_object_get(fm, "seeds");
    double per_mhz = json_number_value(json_object_get(e, "coremark_per_mhz"));
    double before = json_number_value(json_object_get(e, "fitness"));
    if (!json_is_array(seeds) || !(per_mhz > 0) || !(before > 0))
        return -1;
    json_t *added = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach(extra, i, s) {
        if (json_array_size(seeds) >= RECORDS_MAX_SEEDS)
            break;
        bool routed = json_is_true(json_object_get(s, "routed"));
        json_t *f = routed ? records_figure(json_object_get(s, "fmax_mhz")) : json_null();
        json_array_append(seeds, f);
        json_array_append_new(added, f);
    }
    double f[RECORDS_MAX_SEEDS];
    int n = records_numbers(seeds, f, RECORDS_MAX_SEEDS);
    if (n < 1) {
        json_decref(added);
        return -1;
    }
    double med = gate_fmax_of_seeds(f, n);
    double after = gate_fitness(med, per_mhz);
    json_object_set_new(fm, "median", json_real(med));
    json_object_set_new(e, "fitness", json_real(after));
    records_workloads_rescale(json_object_get(e, "workloads"), med);
    json_object_set_new(e, "remeasure", json_pack("{s:o,s:f,s:f,s:f,s:f}", "added_fmax_mhz", added,
                                                  "fitness_before", before, "fitness_after", after,
                                                  "noise_pct", noise_pct, "threshold_pct", threshold_pct));
    return 0;
}

const json_t *records_judged_against(const records_log *log, const json_t *e)
{
    json_int_t round = json_integer_value(json_object_get(e, "round"));
    const json_t *c = NULL;
    for (size_t i = 0; i < log->n && log->v[i] != e; i++) {
        const char *o = records_str(log->v[i], "outcome");
        if (o && strcmp(o, "improvement") == 0 && json_integer_value(json_object_get(log->v[i], "round")) < round)
            c = log->v[i];
    }
    return c;
}

/* One member's figure and its delta against ref's figures rws (may be NULL). */
static void records_workload_add(strbuf *b, const char *k, const json_t *w, const json_t *rws, bool *loses)
{
    double f = json_number_value(json_object_get(w, "fitness"));
    double rf = json_number_value(json_object_get(json_object_get(rws, k), "fitness"));
    strbuf_addf(b, "%s%s %.2f it/s", b->len ? ", " : "", k, f);
    if (rf > 0 && f > 0) {
        double d = (f - rf) / rf * 100.0;
        strbuf_addf(b, " (%+.1f%%)", fabs(d) < 0.05 ? 0.0 : d);
        if (loses && d <= -0.05)
            *loses = true;
    }
}

char *records_workloads_text(const json_t *e, const json_t *ref, bool *loses)
{
    const json_t *ws = json_object_get(e, "workloads");
    if (loses)
        *loses = false;
    if (json_object_size(ws) == 0)
        return NULL;
    const char *wl = records_str(e, "workload"), *rwl = records_str(ref, "workload");
    const json_t *rws = ref && wl && rwl && strcmp(wl, rwl) == 0 ? json_object_get(ref, "workloads") : NULL;
    strbuf b = {0};
    /* in the set's order (its name lists the members), then any other */
    json_t *done = json_object();
    for (const char *p = wl ? wl : ""; *p;) {
        size_t len = strcspn(p, "+");
        char k[32];
        snprintf(k, sizeof k, "%.*s", len < sizeof k ? (int)len : (int)sizeof k - 1, p);
        const json_t *w = json_object_get(ws, k);
        if (w && !json_object_get(done, k)) {
            records_workload_add(&b, k, w, rws, loses);
            json_object_set_new(done, k, json_true());
        }
        p += len + (p[len] == '+');
    }
    const char *k;
    const json_t *w;
    json_object_foreach((json_t *)ws, k, w) {
        if (!json_object_get(done, k))
            records_workload_add(&b, k, w, rws, loses);
    }
    json_decref(done);
    return strbuf_take(&b);
}
