/* validate — checks files against a JSON Schema from the shell:
 *     validate SCHEMA FILE...
 * FILE may be JSON, YAML (.yaml/.yml) or JSON Lines (.jsonl: every non-blank
 * line is one instance, e.g. cores/<n>/experiments/log.jsonl). Prints one
 * "<file>[:<line>]: <error>" per invalid instance and a closing count.
 * Exit 0 all valid, 1 something invalid or unreadable, 2 usage or an unusable
 * schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* 0 valid, 1 invalid, -1 schema unusable; prints the problem. */
static int check_one(const json_t *schema, const json_t *v, const char *where)
{
    char err[1024];
    int r = schema_validate(schema, v, err, sizeof err);
    if (r != 0)
        fprintf(r < 0 ? stderr : stdout, "%s: %s\n", where, err);
    return r;
}

/* Validates every line of a JSON Lines file; counts valid and invalid lines. */
static int check_jsonl(const json_t *schema, const char *path, int *ok, int *bad)
{
    char *text;
    size_t len;
    if (fsx_read(path, &text, &len) != 0) {
        printf("%s: cannot read\n", path);
        (*bad)++;
        return 0;
    }
    int line = 0;
    for (char *p = text, *next; p && *p; p = next) {
        char *nl = strchr(p, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        line++;
        if (strspn(p, " \t\r") == strlen(p))
            continue;
        char where[1200];
        snprintf(where, sizeof where, "%s:%d", path, line);
        json_error_t je;
        json_t *v = json_loads(p, 0, &je);
        if (!v) {
            printf("%s: not valid JSON (corrupted line?): %s\n", where, je.text);
            (*bad)++;
            continue;
        }
        int r = check_one(schema, v, where);
        json_decref(v);
        if (r < 0) {
            free(text);
            return -1;
        }
        *(r ? bad : ok) += 1;
    }
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SCHEMA FILE...   (JSON, YAML .yaml/.yml, or JSON Lines .jsonl)\n", argv[0]);
        return 2;
    }
    char err[1024];
    json_t *schema = schema_load(argv[1], err, sizeof err);
    if (!schema) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int ok = 0, bad = 0, unusable = 0;
    for (int i = 2; i < argc && !unusable; i++) {
        const char *f = argv[i];
        if (ends_with(f, ".jsonl")) {
            unusable = check_jsonl(schema, f, &ok, &bad) < 0;
            continue;
        }
        json_t *v;
        if (ends_with(f, ".yaml") || ends_with(f, ".yml")) {
            v = yamljson_load_file(f, err, sizeof err);
        } else {
            json_error_t je;
            v = json_load_file(f, 0, &je);
            if (!v)
                snprintf(err, sizeof err, "%s:%d:%d: not valid JSON: %s", f, je.line, je.column, je.text);
        }
        if (!v) {
            printf("%s\n", err);
            bad++;
            continue;
        }
        int r = check_one(schema, v, f);
        json_decref(v);
        unusable = r < 0;
        if (r >= 0)
            *(r ? &bad : &ok) += 1;
    }
    json_decref(schema);
    if (unusable)
        return 2;
    printf("%d valid, %d invalid\n", ok, bad);
    return bad ? 1 : 0;
}
