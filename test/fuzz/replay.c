/* test_fuzz_replay — the fuzz corpora as a unit suite: for every target
 * test/fuzz/<target>/harness.c it runs the target's replay binary
 * (<build>/fuzz/<target>, next to this program's bin/ directory, so the
 * ASan+UBSan build replays with its own binaries) on every file of
 * test/fuzz/<target>/corpus/, and prints one line per target:
 *     PASS fuzz-replay/<target>
 *     FAIL fuzz-replay/<target>: <input>: <what happened>; reproduce: ...
 * A crash, a sanitizer or leak report (non-zero exit) or a run over
 * REPLAY_TIMEOUT_S fails; the failing input is then found by replaying the
 * files one by one. Runs from the repository root, like every suite.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "lib/fsx.h"
#include "lib/proc.h"

/* A corpus replays in well under a second; the margin is for a loaded machine. */
enum { REPLAY_TIMEOUT_S = 20, REPLAY_ONE_TIMEOUT_S = 5 };

#define FUZZ_DIR "test/fuzz"

typedef struct {
    char bin[512];    /* the replay binary */
    char corpus[512]; /* its corpus directory */
    char log[512];    /* scratch log of one run */
} replay_ctx;

/* The last line of the log that names a sanitizer finding (or the last line). */
static void log_summary(const char *log, char *out, size_t n)
{
    char *tail = fsx_tail(log, 8192);
    const char *best = NULL;
    out[0] = '\0';
    if (!tail)
        return;
    for (char *line = strtok(tail, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "SUMMARY:") || strstr(line, "runtime error:") || !best)
            best = line;
        if (strstr(line, "SUMMARY:"))
            break;
    }
    if (best)
        snprintf(out, n, "%.300s", best);
    free(tail);
}

/* Runs bin on one path (a file or the corpus directory). 0 when it passed,
 * else -1 with why set. */
static int replay_run(replay_ctx *c, const char *path, double timeout, char *why, size_t n)
{
    const char *argv[] = {c->bin, path, NULL};
    proc_spec spec = {.argv = argv, .log_path = c->log, .timeout_s = timeout};
    proc_result r;
    char desc[256], last[400];

    if (truncate(c->log, 0) != 0 && errno != ENOENT) {
        snprintf(why, n, "cannot reset %s: %s", c->log, strerror(errno));
        return -1;
    }
    if (proc_run(&spec, &r) == 0)
        return 0;
    proc_describe(&r, c->bin, desc, sizeof desc);
    log_summary(c->log, last, sizeof last);
    snprintf(why, n, "%s%s%s", desc, last[0] ? ": " : "", last);
    return -1;
}

/* After a failing directory run: names the first corpus file that fails alone. */
static void replay_find_culprit(replay_ctx *c, char *why, size_t n)
{
    struct dirent **ents = NULL;
    int k = scandir(c->corpus, &ents, NULL, alphasort);
    int found = 0;
    char one[600];

    for (int i = 0; i < k; i++) {
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", c->corpus, ents[i]->d_name);
        if (!found && ents[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
            replay_run(c, path, REPLAY_ONE_TIMEOUT_S, one, sizeof one) != 0) {
            snprintf(why, n, "%s: %s; reproduce: %s %s", path, one, c->bin, path);
            found = 1;
        }
        free(ents[i]);
    }
    free(ents);
}

static void replay_target(const char *target, const char *bin_dir, const char *log)
{
    replay_ctx c;
    char name[256], why[4096];
    struct stat st;

    snprintf(name, sizeof name, "fuzz-replay/%s", target);
    snprintf(c.bin, sizeof c.bin, "%.450s/%.60s", bin_dir, target);
    snprintf(c.corpus, sizeof c.corpus, FUZZ_DIR "/%.60s/corpus", target);
    snprintf(c.log, sizeof c.log, "%s", log);
    CHECK_CASE(name) {
        if (access(c.bin, X_OK) != 0) {
            snprintf(why, sizeof why, "%s: not built (%s); run make c-all (or make asan)", c.bin,
                     strerror(errno));
            check_fail(__FILE__, __LINE__, why);
        } else if (stat(c.corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(why, sizeof why, "%s: no corpus directory; add seed inputs there", c.corpus);
            check_fail(__FILE__, __LINE__, why);
        } else if (replay_run(&c, c.corpus, REPLAY_TIMEOUT_S, why, sizeof why) != 0) {
            char dirwhy[4096];
            snprintf(dirwhy, sizeof dirwhy, "%s", why);
            snprintf(why, sizeof why, "%s: %.1500s (no single input fails alone)", c.corpus, dirwhy);
            replay_find_culprit(&c, why, sizeof why);
            check_fail(__FILE__, __LINE__, why);
        }
    }
    check_close(); /* prints the PASS line while name still holds this target */
}

/* <dir of this binary>/../fuzz: where the build put the replay binaries. */
static int fuzz_bin_dir(char *out, size_t n)
{
    char self[400];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    if (k <= 0)
        return -1;
    self[k] = '\0';
    char *bin = dirname(self); /* <build>/bin */
    return snprintf(out, n, "%s/../fuzz", bin) < (int)n ? 0 : -1;
}

static int has_harness(const struct dirent *de)
{
    char path[PATH_MAX];
    if (de->d_name[0] == '.')
        return 0;
    snprintf(path, sizeof path, FUZZ_DIR "/%s/harness.c", de->d_name);
    return access(path, R_OK) == 0;
}

int main(void)
{
    char bindir[450], log[] = "/tmp/evo-fuzz-replay.XXXXXX";
    struct dirent **ents = NULL;
    int n, fd;

    CHECK_CASE("fuzz-replay: targets found") {
        CHECK(fuzz_bin_dir(bindir, sizeof bindir) == 0);
        n = scandir(FUZZ_DIR, &ents, has_harness, alphasort);
        CHECK(n > 0); /* run from the repository root, with at least one harness */
        fd = mkstemp(log);
        CHECK(fd >= 0);
    }
    if (fd >= 0)
        close(fd);
    for (int i = 0; i < n; i++) {
        if (fd >= 0)
            replay_target(ents[i]->d_name, bindir, log);
        free(ents[i]);
    }
    free(ents);
    if (fd >= 0)
        unlink(log);
    return check_done();
}
