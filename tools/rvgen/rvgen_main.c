/* rvgen — writes random RV32IM test programs as ELF files.
 *
 *   rvgen --seed S --out FILE.elf [--items N] [--loops N]
 *   rvgen --seed S --count N --outdir DIR [--items N] [--loops N]
 *         (writes DIR/rand-<seed>.elf for seeds S .. S+N-1)
 *   rvgen --seed S --count N --outdir DIR --dict-rtl RTLDIR [...]
 *         (operands biased to the literals of RTLDIR's sources, rvgen_dict.h:
 *         writes DIR/dict-<seed>.elf and the values to DIR/dict.txt)
 *   rvgen --kind oob-store|oob-load|spin|exit3 --out FILE.elf
 *   rvgen --seed S --hex        (prints address: instruction word, one per line)
 *
 * Exit: 0 done, 1 could not write, 2 bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "rvgen/rvgen.h"
#include "rvgen/rvgen_dict.h"

typedef struct {
    uint64_t seed;
    unsigned count;
    const char *out, *outdir, *kind, *dict_rtl;
    int hex;
    rvgen_opts opts;
    uint32_t dict[RVGEN_DICT_MAX];
} rvgen_cli;

static void rvgen_usage(void)
{
    fprintf(stderr,
            "usage: rvgen --seed S (--out FILE | --count N --outdir DIR | --hex) [--items N] [--loops N]\n"
            "             [--dict-rtl RTLDIR]\n"
            "       rvgen --kind oob-store|oob-load|spin|exit3 --out FILE\n");
}

static int rvgen_parse_num(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end)
        return -1;
    *v = x;
    return 0;
}

static int rvgen_parse(int argc, char **argv, rvgen_cli *c)
{
    memset(c, 0, sizeof *c);
    c->count = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--hex") == 0) {
            c->hex = 1;
            continue;
        }
        if (i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        uint64_t n = 0;
        if (strcmp(a, "--out") == 0)
            c->out = v;
        else if (strcmp(a, "--outdir") == 0)
            c->outdir = v;
        else if (strcmp(a, "--kind") == 0)
            c->kind = v;
        else if (strcmp(a, "--dict-rtl") == 0)
            c->dict_rtl = v;
        else if (rvgen_parse_num(v, &n) != 0)
            return -1;
        else if (strcmp(a, "--seed") == 0)
            c->seed = n;
        else if (strcmp(a, "--count") == 0 && n > 0 && n <= 1000000)
            c->count = (unsigned)n;
        else if (strcmp(a, "--items") == 0 && n > 0 && n <= 100000)
            c->opts.items = (unsigned)n;
        else if (strcmp(a, "--loops") == 0 && n > 0 && n <= 1000)
            c->opts.max_loops = (unsigned)n;
        else
            return -1;
    }
    int sinks = (c->out != NULL) + (c->outdir != NULL) + c->hex;
    if (sinks != 1 || (c->kind && !c->out) || (c->outdir && c->count == 0))
        return -1;
    return 0;
}

static int rvgen_one(const rvgen_cli *c, uint64_t seed, const char *path)
{
    rvgen_prog p;
    int rc;
    if (c->kind)
        rc = rvgen_special((rvgen_kind)rvgen_kind_parse(c->kind), &p);
    else
        rc = rvgen_generate(seed, &c->opts, &p);
    if (rc != 0) {
        fprintf(stderr, "rvgen: cannot generate seed %" PRIu64 ": %s\n", seed, strerror(errno));
        return 1;
    }
    if (c->hex) {
        for (size_t r = 0; r < p.nregions; r++) {
            const rvgen_region *g = &p.regions[r];
            for (size_t i = 0; g->exec && i + 4 <= g->size; i += 4)
                printf("%08zx: %02x%02x%02x%02x\n", g->addr + i, g->bytes[i + 3], g->bytes[i + 2],
                       g->bytes[i + 1], g->bytes[i]);
        }
    } else if (rvgen_write_elf(path, &p) != 0) {
        fprintf(stderr, "rvgen: cannot write %s: %s (check the directory exists and is writable)\n",
                path, strerror(errno));
        rvgen_free(&p);
        return 1;
    }
    rvgen_free(&p);
    return 0;
}

/* The dictionary of --dict-rtl, also written to <outdir>/dict.txt (one value
 * per line) so that a failure can be read against the values used. */
static int rvgen_load_dict(rvgen_cli *c)
{
    int n = rvgen_dict_scan(c->dict_rtl, c->dict, RVGEN_DICT_MAX);
    if (n < 0) {
        fprintf(stderr, "rvgen: cannot read the RTL in %s: %s (check --dict-rtl names the core's rtl directory)\n",
                c->dict_rtl, strerror(errno));
        return -1;
    }
    c->opts.dict = c->dict;
    c->opts.ndict = (size_t)n;
    if (!c->outdir)
        return 0;
    char *text = calloc((size_t)n + 1, 12), *path = fsx_fmt("%s/dict.txt", c->outdir);
    size_t len = 0;
    for (int i = 0; text && i < n; i++)
        len += (size_t)sprintf(text + len, "0x%08" PRIx32 "\n", c->dict[i]);
    int rc = text && path ? fsx_write_atomic(path, text, len) : -1;
    if (rc != 0)
        fprintf(stderr, "rvgen: cannot write %s: %s\n", path ? path : "dict.txt", strerror(errno));
    free(text);
    free(path);
    return rc;
}

int main(int argc, char **argv)
{
    rvgen_cli c;
    if (rvgen_parse(argc, argv, &c) != 0 || (c.kind && rvgen_kind_parse(c.kind) < 0)) {
        rvgen_usage();
        return 2;
    }
    if (c.outdir && fsx_mkdirs(c.outdir, 0755) != 0) {
        fprintf(stderr, "rvgen: cannot create %s: %s\n", c.outdir, strerror(errno));
        return 1;
    }
    if (c.dict_rtl && rvgen_load_dict(&c) != 0)
        return 1;
    for (unsigned i = 0; i < (c.outdir ? c.count : 1); i++) {
        uint64_t seed = c.seed + i;
        char *path = c.outdir ? fsx_fmt("%s/%s-%" PRIu64 ".elf", c.outdir, c.dict_rtl ? "dict" : "rand", seed) : NULL;
        int rc = rvgen_one(&c, seed, path ? path : c.out);
        free(path);
        if (rc != 0)
            return rc;
    }
    return 0;
}
