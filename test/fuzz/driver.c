/* driver — main() of every fuzz target (fuzz.h): replays corpus files, or
 * runs AFL++'s persistent mode when built with afl-cc and given no argument.
 *
 * Replay: each argument is a file or a directory (its regular files, sorted
 * by name, dot-files skipped, not recursive); every file is handed to
 * fuzz_target() in a buffer of exactly its size, so a read past the end is
 * a sanitizer report and not a silent read of the next byte. Exit 0 when
 * every input ran, 2 when an argument cannot be read. A crash or sanitizer
 * report ends the process, as it should.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "lib/fsx.h"

/* The contract gives harnesses no context argument, so the scratch
 * directory is the driver's one process-wide value: created on first use
 * (each AFL++ child then has its own), removed when main returns. */
static struct {
    char path[PATH_MAX];
    int made;
} scratch;

const char *fuzz_scratch_dir(void)
{
    if (scratch.made)
        return scratch.path;
    const char *base = getenv("FUZZ_SCRATCH");
    if (!base || !*base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    if (snprintf(scratch.path, sizeof scratch.path, "%s/evo-fuzz.XXXXXX", base) >=
            (int)sizeof scratch.path ||
        !mkdtemp(scratch.path)) {
        fprintf(stderr, "fuzz: cannot create a scratch directory under %s: %s; "
                        "set FUZZ_SCRATCH to a writable directory\n", base, strerror(errno));
        abort();
    }
    scratch.made = 1;
    return scratch.path;
}

static void scratch_remove(void)
{
    if (scratch.made)
        fsx_remove_tree(scratch.path);
    scratch.made = 0;
}

/* Runs one input in a malloc'd copy of exactly size bytes. */
static void run_one(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        fprintf(stderr, "fuzz: out of memory for a %zu-byte input\n", size);
        abort();
    }
    if (size)
        memcpy(copy, data, size);
    fuzz_target(copy, size);
    free(copy);
}

static int replay_file(const char *path)
{
    char *text = NULL;
    size_t len = 0;

    if (fsx_read(path, &text, &len) != 0) {
        fprintf(stderr, "fuzz: %s: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    run_one((const uint8_t *)text, len);
    free(text);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (!d) {
        fprintf(stderr, "fuzz: %s: cannot open the directory: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **g = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
            if (!g)
                abort();
            names = g;
        }
        if (!(names[n++] = strdup(de->d_name)))
            abort();
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static int replay(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "fuzz: %s: %s\n", argv[i], strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc |= replay_dir(argv[i]);
        } else {
            rc |= replay_file(argv[i]);
        }
    }
    return rc;
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();

/* AFL++ persistent mode: many test cases per process, read from shared memory. */
static int afl_loop(void)
{
    __AFL_INIT();
    const uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000))
        run_one(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
    return 0;
}
#endif

int main(int argc, char **argv)
{
    int rc;

    if (argc > 1) {
        rc = replay(argc, argv) ? 2 : 0;
    } else {
#ifdef __AFL_FUZZ_TESTCASE_LEN
        rc = afl_loop();
#else
        fprintf(stderr, "usage: %s FILE|DIR...  (replays each input; built with afl-cc "
                        "and run by afl-fuzz without arguments it fuzzes)\n", argv[0]);
        rc = 2;
#endif
    }
    scratch_remove();
    return rc;
}
