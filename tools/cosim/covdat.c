/* covdat.c — see covdat.h. */
#include "cosim/covdat.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;     /* the point's whole key text: what identifies it */
    char *file;     /* base name of "f" */
    char *lines;    /* "S" or "l" */
    unsigned long long count;
} cov_point;

struct covdat {
    cov_point *p;
    size_t n, cap;
    size_t *slot; /* open-addressing index of p by name: i + 1, 0 = empty */
    size_t nslot; /* a power of two, at least 2 * cap */
};

covdat *covdat_new(void) { return calloc(1, sizeof(covdat)); }

void covdat_free(covdat *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->p[i].name);
        free(c->p[i].file);
        free(c->p[i].lines);
    }
    free(c->p);
    free(c->slot);
    free(c);
}

static size_t cov_hash(const char *s, size_t len)
{
    size_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The value of key k in a point's text ("\001k\002value"), malloc'd, or NULL. */
static char *cov_key(const char *name, size_t len, const char *k)
{
    size_t kl = strlen(k);
    for (size_t i = 0; i + kl + 2 <= len; i++) {
        if (name[i] != '\001' || memcmp(name + i + 1, k, kl) != 0 || name[i + 1 + kl] != '\002')
            continue;
        size_t s = i + kl + 2, e = s;
        while (e < len && name[e] != '\001')
            e++;
        char *v = malloc(e - s + 1);
        if (v) {
            memcpy(v, name + s, e - s);
            v[e - s] = '\0';
        }
        return v;
    }
    return NULL;
}

/* The index slot of name: where it is, or the empty slot where it goes. */
static size_t *cov_slot(const covdat *c, const char *name, size_t len)
{
    size_t i = cov_hash(name, len) & (c->nslot - 1);
    while (c->slot[i]) {
        const cov_point *p = &c->p[c->slot[i] - 1];
        if (strlen(p->name) == len && memcmp(p->name, name, len) == 0)
            break;
        i = (i + 1) & (c->nslot - 1);
    }
    return &c->slot[i];
}

/* Room for one more point, in p and in the index. */
static int cov_grow(covdat *c)
{
    if (c->n < c->cap)
        return 0;
    size_t cap = c->cap ? c->cap * 2 : 256;
    cov_point *np = realloc(c->p, cap * sizeof *np);
    size_t *ns = calloc(cap * 2, sizeof *ns);
    if (np)
        c->p = np;
    if (!np || !ns) {
        free(ns);
        return -1;
    }
    free(c->slot);
    c->slot = ns;
    c->nslot = cap * 2;
    c->cap = cap;
    for (size_t i = 0; i < c->n; i++)
        *cov_slot(c, c->p[i].name, strlen(c->p[i].name)) = i + 1;
    return 0;
}

/* One "C '<name>' <count>" line; 1 when it was a point, 0 when not, -1 on OOM. */
static int cov_line(covdat *c, const char *s, size_t len)
{
    if (len < 6 || memcmp(s, "C '", 3) != 0)
        return 0;
    size_t q = len;
    while (q > 3 && !(s[q - 1] == ' ' && s[q - 2] == '\''))
        q--;
    if (q <= 4)
        return 0;
    const char *name = s + 3;
    size_t nlen = q - 2 - 3;
    unsigned long long n = strtoull(s + q, NULL, 10);
    if (cov_grow(c) != 0)
        return -1;
    size_t *slot = cov_slot(c, name, nlen);
    if (*slot) {
        c->p[*slot - 1].count += n;
        return 1;
    }
    cov_point *p = &c->p[c->n];
    memset(p, 0, sizeof *p);
    p->name = strndup(name, nlen);
    char *f = cov_key(name, nlen, "f");
    p->lines = cov_key(name, nlen, "S");
    if (!p->lines)
        p->lines = cov_key(name, nlen, "l");
    const char *base = f ? strrchr(f, '/') : NULL;
    p->file = f ? strdup(base ? base + 1 : f) : NULL;
    free(f);
    if (!p->name || !p->file || !p->lines) {
        free(p->name);
        free(p->file);
        free(p->lines);
        return p->name ? 0 : -1; /* a point without a place names no line */
    }
    p->count = n;
    *slot = ++c->n;
    return 1;
}

int covdat_add(covdat *c, const char *text, size_t len)
{
    int points = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        int rc = cov_line(c, text + i, e - i);
        if (rc < 0)
            return -1;
        points += rc;
        i = e + 1;
    }
    return points;
}

/* Per file: line -> 0 not coverable, 1 exercised (every point so far
 * counted), 2 not (some point standing for it never counted). */
typedef struct {
    const char *file;
    unsigned char *state;
    long max;
} cov_file;

static cov_file *cov_file_of(cov_file **files, size_t *nf, const char *name)
{
    for (size_t i = 0; i < *nf; i++)
        if (strcmp((*files)[i].file, name) == 0)
            return &(*files)[i];
    cov_file *nfp = realloc(*files, (*nf + 1) * sizeof *nfp);
    if (!nfp)
        return NULL;
    *files = nfp;
    nfp[*nf] = (cov_file){.file = name};
    return &nfp[(*nf)++];
}

static void cov_mark(cov_file *f, long line, bool hit)
{
    if (line <= 0 || line > 1000000)
        return;
    if (line > f->max) {
        unsigned char *ns = realloc(f->state, (size_t)line + 1);
        if (!ns)
            return;
        memset(ns + f->max + 1, 0, (size_t)(line - f->max));
        f->state = ns;
        f->max = line;
    }
    if (!hit)
        f->state[line] = 2;
    else if (f->state[line] == 0)
        f->state[line] = 1;
}

/* "31-32,40" */
static void cov_mark_ranges(cov_file *f, const char *s, bool hit)
{
    while (*s) {
        char *end;
        long a = strtol(s, &end, 10), b = a;
        if (end == s)
            return;
        if (*end == '-')
            b = strtol(end + 1, &end, 10);
        for (long l = a; l <= b && b - a < 100000; l++)
            cov_mark(f, l, hit);
        s = *end == ',' ? end + 1 : end;
        if (*end != ',')
            return;
    }
}

static int cov_name_cmp(const void *a, const void *b)
{
    return strcmp(((const cov_file *)a)->file, ((const cov_file *)b)->file);
}

json_t *covdat_summary(const covdat *c, const char *kind)
{
    cov_file *files = NULL;
    size_t nf = 0, hit = 0;
    for (size_t i = 0; i < c->n; i++) {
        const cov_point *p = &c->p[i];
        hit += p->count > 0;
        cov_file *f = cov_file_of(&files, &nf, p->file);
        if (f)
            cov_mark_ranges(f, p->lines, p->count > 0);
    }
    if (nf > 1)
        qsort(files, nf, sizeof *files, cov_name_cmp);
    json_t *unex = json_object();
    long lines = 0, lines_hit = 0;
    for (size_t i = 0; i < nf; i++) {
        json_t *arr = json_array();
        for (long l = 1; l <= files[i].max; l++) {
            lines += files[i].state[l] != 0;
            lines_hit += files[i].state[l] == 1;
            if (files[i].state[l] == 2 && json_array_size(arr) < COVDAT_MAX_LINES)
                json_array_append_new(arr, json_integer(l));
        }
        if (json_array_size(arr))
            json_object_set_new(unex, files[i].file, arr);
        else
            json_decref(arr);
        free(files[i].state);
    }
    free(files);
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "kind", kind, "points", (json_int_t)c->n, "points_hit",
                     (json_int_t)hit, "lines", (json_int_t)lines, "lines_hit", (json_int_t)lines_hit,
                     "unexercised", unex);
}
