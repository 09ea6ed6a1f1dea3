/* ftable.c — see ftable.h. */
#include "formal/ftable.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"

/* Copies the next whitespace-delimited token of *p into out; 0 or -1. */
static int formal_table_token(const char **p, char *out, size_t n)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strcspn(s, " \t");
    if (len == 0 || len >= n)
        return -1;
    memcpy(out, s, len);
    out[len] = '\0';
    *p = s + len;
    return 0;
}

static int formal_table_name_ok(const char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* Parses one non-comment line into c; returns NULL or a static problem text. */
static const char *formal_table_line(const char *line, formal_check *c)
{
    char mode[16], chan[8], depth[16], tmo[16], engine[16], params[64];
    const char *p = line;
    memset(c, 0, sizeof *c);
    if (formal_table_token(&p, c->name, sizeof c->name) || formal_table_token(&p, mode, sizeof mode) ||
        formal_table_token(&p, chan, sizeof chan) || formal_table_token(&p, c->bad, sizeof c->bad) ||
        formal_table_token(&p, c->cov, sizeof c->cov) || formal_table_token(&p, depth, sizeof depth) ||
        formal_table_token(&p, tmo, sizeof tmo) || formal_table_token(&p, engine, sizeof engine) ||
        formal_table_token(&p, params, sizeof params) || formal_table_token(&p, c->replay, sizeof c->replay))
        return "expected: name mode chan bad cover depth timeout engine params replay description";
    if (!formal_table_name_ok(c->name))
        return "the name may only hold letters, digits and '_'";
    if (strcmp(mode, "fast") == 0)
        c->modes = FORMAL_FAST;
    else if (strcmp(mode, "deep") == 0)
        c->modes = FORMAL_DEEP;
    else if (strcmp(mode, "both") == 0)
        c->modes = FORMAL_FAST | FORMAL_DEEP;
    else
        return "mode must be fast, deep or both";
    if (strcmp(chan, "-") == 0)
        c->chan = -1;
    else if (strcmp(chan, "idle") == 0) {
        c->chan = -1;
        c->idle = 1;
    } else if (strcmp(chan, "0") == 0 || strcmp(chan, "1") == 0)
        c->chan = chan[0] - '0';
    else
        return "chan must be 0, 1, idle or -";
    if (strcmp(c->cov, "-") == 0)
        c->cov[0] = '\0';
    char *end;
    long d = strtol(depth, &end, 10);
    if (*end == '/') {
        long sl = strtol(end + 1, &end, 10);
        if (sl < 1 || sl > 1000)
            return "an adaptive depth is written MAX/+SLACK, e.g. 40/+10";
        c->slack = (int)sl;
    }
    if (*end || d < 1 || d > 1000)
        return "depth must be an integer in 1..1000 (or MAX/+SLACK)";
    c->depth = (int)d;
    c->timeout_s = strtod(tmo, &end);
    if (*end || c->timeout_s <= 0)
        return "timeout must be a positive number of seconds";
    if (strcmp(params, "-") != 0) {
        for (const char *q = params; *q; q++)
            if (!isalnum((unsigned char)*q) && *q != '_' && *q != '=' && *q != ',')
                return "params must look like NAME=VALUE[,NAME=VALUE]";
        snprintf(c->params, sizeof c->params, "%s", params);
    }
    char *plus = strchr(engine, '+');
    if (plus) {
        if (strcmp(plus, "+pdr") != 0)
            return "an engine may only be followed by +pdr (an unbounded proof after the bounded one)";
        *plus = '\0';
        c->induct = 1;
    }
    if (strcmp(engine, "bmc") == 0)
        c->engine = FORMAL_ENGINE_BMC;
    else if (strcmp(engine, "bmcs") == 0)
        c->engine = FORMAL_ENGINE_BMCS;
    else if (strcmp(engine, "sweep") == 0)
        c->engine = FORMAL_ENGINE_SWEEP;
    else
        return "engine must be bmc, bmcs or sweep (optionally +pdr)";
    while (*p == ' ' || *p == '\t')
        p++;
    snprintf(c->desc, sizeof c->desc, "%s", p);
    return NULL;
}

int formal_table_load(const char *path, formal_table *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    char *text;
    if (fsx_read(path, &text, NULL) != 0) {
        snprintf(err, errlen, "cannot read the check table %s: %s (the harness checkout is incomplete?)",
                 path, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    int lineno = 0, rc = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        if (t->n == cap) {
            cap = cap ? cap * 2 : 64;
            formal_check *nv = realloc(t->v, cap * sizeof *nv);
            if (!nv) {
                snprintf(err, errlen, "out of memory reading %s", path);
                rc = -1;
                break;
            }
            t->v = nv;
        }
        const char *why = formal_table_line(s, &t->v[t->n]);
        if (!why && formal_table_find(t, t->v[t->n].name))
            why = "duplicate check name";
        if (why) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
            rc = -1;
            break;
        }
        t->n++;
    }
    free(text);
    if (rc == 0 && t->n == 0) {
        snprintf(err, errlen, "%s holds no checks", path);
        rc = -1;
    }
    if (rc != 0)
        formal_table_free(t);
    return rc;
}

void formal_table_free(formal_table *t)
{
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

const formal_check *formal_table_find(const formal_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    return NULL;
}
