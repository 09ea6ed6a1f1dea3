/* test_schema_suite — runs the official JSON-Schema test suite (draft-07 files
 * present in ../shared/testdata/json-schema-test-suite-draft7/, or the
 * directory in $JSON_SCHEMA_TEST_SUITE) through tools/schema: one PASS/FAIL per
 * test case. A group whose schema uses a feature the validator refuses
 * ("unsupported ...") is reported as SKIP with that reason, never as PASS.
 * Run from the repository root. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "schema/schema.h"

#define SUITE_DEFAULT "../shared/testdata/json-schema-test-suite-draft7"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .json files of dir, sorted; *n set. NULL when dir cannot be opened. */
static char **list_json(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn)
                break;
            names = nn;
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, *n, sizeof *names, cmp_names);
    else
        names = calloc(1, sizeof *names);
    return names;
}

static void run_group(const char *file, const json_t *group)
{
    const char *gdesc = json_string_value(json_object_get(group, "description"));
    const json_t *schema = json_object_get(group, "schema");
    const json_t *tests = json_object_get(group, "tests");
    char err[512], name[512];
    int usable = schema_check(schema, err, sizeof err);
    size_t i;
    const json_t *t;
    json_array_foreach(tests, i, t) {
        const char *tdesc = json_string_value(json_object_get(t, "description"));
        snprintf(name, sizeof name, "schema-suite %s: %s: %s", file, gdesc ? gdesc : "?",
                 tdesc ? tdesc : "?");
        if (usable != 0 && strstr(err, "unsupported")) {
            check_skip(name, err);
            continue;
        }
        CHECK_CASE(name) {
            if (usable != 0) {
                check_fail(__FILE__, __LINE__, err);
                continue;
            }
            bool want = json_is_true(json_object_get(t, "valid"));
            int r = schema_validate(schema, json_object_get(t, "data"), err, sizeof err);
            if (r < 0) {
                check_fail(__FILE__, __LINE__, err);
            } else if ((r == 0) != want) {
                char why[700];
                snprintf(why, sizeof why, "expected %s, validator said %s",
                         want ? "valid" : "invalid", r == 0 ? "valid" : err);
                check_fail(__FILE__, __LINE__, why);
            }
        }
        check_close(); /* prints PASS while name is still in scope */
    }
}

int main(void)
{
    const char *dir = getenv("JSON_SCHEMA_TEST_SUITE");
    if (!dir || !*dir)
        dir = SUITE_DEFAULT;
    size_t n = 0;
    char **files = list_json(dir, &n);
    if (!files) {
        check_skip("schema-suite", "../shared/testdata not present (only in the team's workspace)");
        return check_done();
    }
    CHECK_CASE("schema-suite files present") {
        CHECK(n > 0);
    }
    for (size_t f = 0; f < n; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        json_error_t je;
        json_t *groups = json_load_file(path, JSON_ALLOW_NUL, &je);
        char lname[1100];
        snprintf(lname, sizeof lname, "schema-suite load %s", files[f]);
        CHECK_CASE(lname) {
            if (!groups || !json_is_array(groups))
                check_fail(__FILE__, __LINE__, groups ? "not an array of groups" : je.text);
        }
        check_close();
        size_t i;
        json_t *g;
        json_array_foreach(groups, i, g) {
            run_group(files[f], g);
        }
        json_decref(groups);
        free(files[f]);
    }
    free(files);
    return check_done();
}
