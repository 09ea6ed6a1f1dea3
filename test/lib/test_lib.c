/* test_lib — unit tests for tools/lib: the process runner, the file helpers
 * (including the bounded read of untrusted files) and the RTL file listing. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "lib/blobid.h"
#include "lib/dirlist.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"
#include "lib/utf8clip.h"

static char tmpdir[64];

/* A killed grandchild is reparented to init and may linger as a zombie until
 * init reaps it: that is dead for our purpose. */
static int proc_alive(pid_t pid)
{
    char path[64], *stat = NULL;
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if (fsx_read(path, &stat, NULL) != 0)
        return 0;
    const char *paren = strrchr(stat, ')');
    int alive = paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
    if (alive)
        printf("# pid %ld state: %s\n", (long)pid, paren + 2);
    free(stat);
    return alive;
}

static char *tmp_path(const char *name) { return fsx_fmt("%s/%s", tmpdir, name); }

static void test_proc_exit_codes(void)
{
    CHECK_CASE("proc: exit 0, exit 3, output goes to the log") {
        char *log = tmp_path("ok.log");
        const char *ok[] = {"sh", "-c", "echo hello; echo err >&2", NULL};
        proc_result r;
        CHECK_EQ_INT(proc_run(&(proc_spec){.argv = ok, .log_path = log, .timeout_s = 10}, &r), 0);
        CHECK_EQ_INT(r.exit_code, 0);
        char *text = NULL;
        CHECK(fsx_read(log, &text, NULL) == 0);
        CHECK_STR_CONTAINS(text, "hello\nerr\n");
        free(text);
        const char *three[] = {"sh", "-c", "exit 3", NULL};
        CHECK_EQ_INT(proc_run(&(proc_spec){.argv = three, .log_path = log}, &r), -1);
        CHECK_EQ_INT(r.exit_code, 3);
        CHECK(!r.timed_out && !r.spawn_failed);
        free(log);
    }
    CHECK_CASE("proc: a missing tool is spawn_failed with ENOENT and a setup hint") {
        const char *argv[] = {"no-such-tool-xyz", NULL};
        proc_result r;
        CHECK_EQ_INT(proc_run(&(proc_spec){.argv = argv}, &r), -1);
        CHECK(r.spawn_failed);
        CHECK_EQ_INT(r.err, ENOENT);
        char buf[200];
        CHECK_STR_CONTAINS(proc_describe(&r, "no-such-tool-xyz", buf, sizeof buf), "not found");
        CHECK(!proc_have_tool("no-such-tool-xyz"));
        CHECK(proc_have_tool("sh"));
    }
    CHECK_CASE("proc: a crash is reported with its signal") {
        const char *argv[] = {"sh", "-c", "kill -SEGV $$", NULL};
        proc_result r;
        proc_run(&(proc_spec){.argv = argv}, &r);
        CHECK_EQ_INT(r.term_signal, SIGSEGV);
    }
}

static void test_proc_timeout(void)
{
    CHECK_CASE("proc: timeout kills the whole process group, grandchildren too") {
        char *pidfile = tmp_path("grandchild.pid");
        char *script = fsx_fmt("sleep 60 & echo $! > %s; wait", pidfile);
        const char *argv[] = {"sh", "-c", script, NULL};
        proc_result r;
        double t0 = proc_now();
        CHECK_EQ_INT(proc_run(&(proc_spec){.argv = argv, .timeout_s = 0.5}, &r), -1);
        CHECK(r.timed_out);
        CHECK(proc_now() - t0 < 5.0);
        char *text = NULL;
        CHECK(fsx_read(pidfile, &text, NULL) == 0);
        pid_t gc = text ? (pid_t)atol(text) : 0;
        CHECK(gc > 0);
        usleep(100000);
        CHECK(gc > 0 && !proc_alive(gc));
        free(text);
        free(script);
        free(pidfile);
    }
    CHECK_CASE("proc: several children wait in parallel, each with its deadline") {
        const char *fast[] = {"sh", "-c", "sleep 0.2", NULL};
        const char *slow[] = {"sh", "-c", "sleep 30", NULL};
        proc_handle h[2];
        proc_result r[2];
        double t0 = proc_now();
        proc_start(&(proc_spec){.argv = fast, .timeout_s = 10}, &h[0]);
        proc_start(&(proc_spec){.argv = slow, .timeout_s = 0.6}, &h[1]);
        proc_wait_all(h, r, 2);
        CHECK(!r[0].timed_out && r[0].exit_code == 0);
        CHECK(r[1].timed_out);
        CHECK(proc_now() - t0 < 4.0);
    }
}

/* A child that burns about 0.3 s of CPU. */
static const char *const busy_argv[] = {"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done", NULL};

static void test_proc_group(void)
{
    CHECK_CASE("proc: a group adds up its children's CPU time; the result carries each one's") {
        proc_group g;
        proc_group_init(&g);
        proc_result r;
        CHECK_EQ_INT(proc_run(&(proc_spec){.argv = busy_argv, .timeout_s = 30, .group = &g}, &r), 0);
        CHECK(r.cpu_s > 0.05);
        CHECK(proc_group_cpu(&g) >= r.cpu_s - 1e-6 && proc_group_cpu(&g) <= r.cpu_s + 1e-6);
        CHECK(proc_group_cpu(NULL) == 0.0);
    }
    confine_policy pol = {.enabled = true};
    char why[256];
    if (confine_probe(&pol, why, sizeof why) != 0) {
        printf("SKIP proc: the CPU time of a confined child (no bubblewrap here: %s)\n", why);
    } else {
        /* bwrap's own init reaps the program and exits unreaped, taking the
         * CPU time with it: without proc's /proc sampling a gate read ~0. */
        CHECK_CASE("proc: the CPU time of a confined child (inside bubblewrap) is counted") {
            proc_group g;
            proc_group_init(&g);
            proc_result r;
            CHECK_EQ_INT(proc_run(&(proc_spec){.argv = busy_argv, .timeout_s = 30, .group = &g, .confine = &pol}, &r), 0);
            CHECK(proc_group_cpu(&g) > 0.05);
        }
    }
    CHECK_CASE("proc: a stopped group kills its running child at once and starts none") {
        proc_group g;
        proc_group_init(&g);
        const char *slow[] = {"sh", "-c", "sleep 30", NULL};
        proc_handle h;
        proc_result r;
        double t0 = proc_now();
        CHECK_EQ_INT(proc_start(&(proc_spec){.argv = slow, .timeout_s = 60, .group = &g}, &h), 0);
        proc_group_stop(&g);
        CHECK(proc_group_stopped(&g));
        proc_wait_all(&h, &r, 1);
        CHECK(r.cancelled);
        CHECK(proc_now() - t0 < 5.0);
        CHECK_EQ_INT(proc_run(&(proc_spec){.argv = slow, .timeout_s = 60, .group = &g}, &r), -1);
        CHECK(r.spawn_failed && r.err == ECANCELED);
        char buf[128];
        CHECK(strstr(proc_describe(&r, "sleep", buf, sizeof buf), "not started") != NULL);
    }
}

static void test_fsx(void)
{
    CHECK_CASE("fsx: atomic write, read back, append, tail at a line boundary") {
        char *p = tmp_path("a/b/c.txt");
        char *dir = tmp_path("a/b");
        CHECK(fsx_mkdirs(dir, 0755) == 0);
        CHECK(fsx_write_atomic(p, "one\ntwo\n", 8) == 0);
        CHECK(fsx_append(p, "three\n", 6) == 0);
        char *text = NULL;
        size_t len = 0;
        CHECK(fsx_read(p, &text, &len) == 0);
        CHECK_EQ_INT(len, 14);
        CHECK(text && strcmp(text, "one\ntwo\nthree\n") == 0);
        free(text);
        char *tail = fsx_tail(p, 9); /* "o\nthree\n" -> starts after the partial line */
        CHECK(tail && strcmp(tail, "three\n") == 0);
        free(tail);
        char *none = fsx_tail("/nonexistent/file", 100);
        CHECK(none && none[0] == '\0');
        free(none);
        none = fsx_tail("/dev/zero", 100); /* a device is not read */
        CHECK(none && none[0] == '\0');
        free(none);
        free(p);
        free(dir);
    }
    CHECK_CASE("fsx: remove_tree removes, and refuses dangerous paths") {
        char *a = tmp_path("a");
        CHECK(fsx_remove_tree(a) == 0);
        struct stat st;
        CHECK(stat(a, &st) != 0);
        CHECK(fsx_remove_tree("/") == -1);
        CHECK(fsx_remove_tree("") == -1);
        CHECK(fsx_remove_tree("/tmp/../etc") == -1);
        free(a);
    }
    CHECK_CASE("fsx: mkdirs of an empty path fails cleanly") {
        CHECK(fsx_mkdirs("", 0755) == -1);
        CHECK_EQ_INT(errno, ENOENT);
    }
    CHECK_CASE("fsx: reading a missing file fails with errno") {
        char *text = (char *)1;
        CHECK(fsx_read("/nonexistent/x", &text, NULL) == -1);
        CHECK(text == NULL);
        CHECK_EQ_INT(errno, ENOENT);
    }
}

static void test_fsx_untrusted(void)
{
    char err[200];
    char *text = NULL;
    size_t len = 0;
    CHECK_CASE("fsx: read_untrusted reads a small regular file") {
        char *p = tmp_path("u.txt");
        CHECK(fsx_write_atomic(p, "hello\n", 6) == 0);
        CHECK(fsx_read_untrusted(p, 6, &text, &len, err, sizeof err) == 0);
        CHECK(text && strcmp(text, "hello\n") == 0 && len == 6);
        free(text);
        CHECK(fsx_read_untrusted(p, 5, &text, &len, err, sizeof err) == -1);
        CHECK_EQ_INT(errno, EFBIG);
        CHECK_STR_CONTAINS(err, "is 6 bytes, more than the 5 allowed");
        CHECK(text == NULL);
        free(p);
    }
    CHECK_CASE("fsx: read_untrusted refuses a FIFO at once (no writer: it would block)") {
        char *p = tmp_path("u.fifo");
        CHECK(mkfifo(p, 0600) == 0);
        double t0 = proc_now();
        CHECK(fsx_read_untrusted(p, 100, &text, &len, err, sizeof err) == -1);
        CHECK_EQ_INT(errno, EINVAL);
        CHECK_STR_CONTAINS(err, "is a FIFO, not a regular file");
        CHECK(proc_now() - t0 < 1.0);
        free(p);
    }
    CHECK_CASE("fsx: read_untrusted does not follow a symlink (to /dev/zero)") {
        char *p = tmp_path("u.zero");
        CHECK(symlink("/dev/zero", p) == 0);
        CHECK(fsx_read_untrusted(p, 100, &text, &len, err, sizeof err) == -1);
        CHECK_EQ_INT(errno, ELOOP);
        CHECK_STR_CONTAINS(err, "symbolic link");
        free(p);
    }
    CHECK_CASE("fsx: read_untrusted refuses devices and directories, reports a missing file") {
        CHECK(fsx_read_untrusted("/dev/zero", 100, &text, &len, err, sizeof err) == -1);
        CHECK_STR_CONTAINS(err, "character device");
        CHECK(fsx_read_untrusted(tmpdir, 100, &text, &len, err, sizeof err) == -1);
        CHECK_STR_CONTAINS(err, "is a directory, not a regular file");
        CHECK(fsx_read_untrusted("/nonexistent/x", 100, &text, &len, err, sizeof err) == -1);
        CHECK_EQ_INT(errno, ENOENT);
    }
    CHECK_CASE("fsx: read_untrusted stops at the cap of a large file (10 MiB, cap 64 KiB)") {
        char *p = tmp_path("u.big");
        size_t big = 10u << 20;
        char *data = calloc(1, big);
        CHECK(data && fsx_write_atomic(p, data, big) == 0);
        CHECK(fsx_read_untrusted(p, 65536, &text, &len, err, sizeof err) == -1);
        CHECK_EQ_INT(errno, EFBIG);
        CHECK_STR_CONTAINS(err, "10485760 bytes");
        free(data);
        free(p);
    }
    CHECK_CASE("fsx: atomic write replaces a symlink planted at its temporary name, not its target") {
        char *p = tmp_path("w.txt");
        char *victim = tmp_path("victim.txt");
        char *tmp = fsx_fmt("%s.tmp.%ld.%ld", p, (long)getpid(), (long)getpid()); /* main thread: tid == pid */
        CHECK(fsx_write_atomic(victim, "keep", 4) == 0);
        CHECK(symlink(victim, tmp) == 0);
        CHECK(fsx_write_atomic(p, "new", 3) == 0);
        CHECK(fsx_read(victim, &text, &len) == 0 && strcmp(text, "keep") == 0);
        free(text);
        CHECK(fsx_read(p, &text, &len) == 0 && strcmp(text, "new") == 0);
        free(text);
        free(tmp);
        free(victim);
        free(p);
    }
}

/* Creates an empty file dir/name. */
static void touch(const char *dir, const char *name)
{
    char *p = fsx_fmt("%s/%s", dir, name);
    fsx_write_atomic(p, "", 0);
    free(p);
}

static void test_dirlist(void)
{
    static const char *const hdl[] = {".sv", ".v", NULL};
    char *dir = fsx_fmt("%s/rtl", tmpdir);
    fsx_mkdirs(dir, 0755);
    touch(dir, "b.v");
    touch(dir, "a_1-x.sv");
    touch(dir, ".hidden.sv");
    touch(dir, "notes.txt");
    char **names = NULL, *bad = NULL;
    CHECK_CASE("dirlist: sorted names with the suffixes, dot-files and others left out")
    {
        CHECK(dirlist_files(dir, hdl, &names, &bad) == 2 && !bad);
        CHECK(names && strcmp(names[0], "a_1-x.sv") == 0 && strcmp(names[1], "b.v") == 0 && !names[2]);
        dirlist_free(names);
    }
    CHECK_CASE("dirlist: a name that could inject into a tool script is refused and named")
    {
        const char *evil[] = {"x y.sv", "-Dx.sv", "a;b.sv", "q$(z).v"};
        for (size_t i = 0; i < sizeof evil / sizeof *evil; i++) {
            touch(dir, evil[i]);
            CHECK(dirlist_files(dir, hdl, &names, &bad) == -2 && !names);
            CHECK(bad && strcmp(bad, evil[i]) == 0);
            free(bad);
            char *p = fsx_fmt("%s/%s", dir, evil[i]);
            remove(p);
            free(p);
        }
    }
    CHECK_CASE("dirlist: has_suffix matches the end of a name, a name equal to the suffix too")
    {
        CHECK(dirlist_has_suffix("core_pkg.sv", "_pkg.sv") && dirlist_has_suffix("_pkg.sv", "_pkg.sv"));
        CHECK(!dirlist_has_suffix("pkg.sv", "_pkg.sv") && !dirlist_has_suffix("a.svh", ".sv"));
    }
    CHECK_CASE("dirlist: a directory that does not exist is -1")
    {
        CHECK(dirlist_files("/nonexistent/rtl", hdl, &names, &bad) == -1 && !names && !bad);
    }
    free(dir);
}

static void test_strv(void)
{
    CHECK_CASE("strv: push keeps order and a NULL after the last; free empties") {
        strv s = {0};
        for (int i = 0; i < 40; i++)
            CHECK(strv_push(&s, fsx_fmt("s%d", i)) == 0);
        CHECK(s.n == 40 && s.v[40] == NULL);
        CHECK(strcmp(s.v[0], "s0") == 0 && strcmp(s.v[39], "s39") == 0);
        strv_free(&s);
        CHECK(s.v == NULL && s.n == 0 && s.cap == 0);
    }
    CHECK_CASE("strv: push of NULL fails; add copies; add_unique keeps one of each") {
        strv s = {0};
        CHECK(strv_push(&s, NULL) == -1 && s.n == 0);
        char word[] = "a";
        CHECK(strv_add(&s, word) == 0);
        word[0] = 'b';
        CHECK(strcmp(s.v[0], "a") == 0);
        CHECK(strv_add_unique(&s, "a") == 0 && strv_add_unique(&s, "b") == 0 && strv_add_unique(&s, "b") == 0);
        CHECK(s.n == 2 && strcmp(s.v[1], "b") == 0 && s.v[2] == NULL);
        strv_free(&s);
    }
}

static void test_blobid(void)
{
    CHECK_CASE("blobid: the ids `git hash-object` prints, for bytes and for a file") {
        char id[BLOBID_HEX + 1] = "";
        CHECK(blobid_hash("hello\n", 6, id) == 0);
        CHECK(strcmp(id, "ce013625030ba8dba906f756967f9e9ca394464a") == 0);
        CHECK(blobid_hash(NULL, 0, id) == 0);
        CHECK(strcmp(id, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391") == 0);
        char *path = tmp_path("blob.txt");
        CHECK(fsx_write_atomic(path, "hello\n", 6) == 0);
        CHECK(blobid_file(path, id) == 0);
        CHECK(strcmp(id, "ce013625030ba8dba906f756967f9e9ca394464a") == 0);
        strcpy(id, "kept");
        CHECK(blobid_file(tmpdir, id) == -1 && strcmp(id, "kept") == 0);
        free(path);
    }
}

static void test_utf8clip(void)
{
    /* "a" then U+00E9 (2 bytes) then U+20AC (3 bytes) then "z": 7 bytes */
    static const char s[] = "a\xc3\xa9\xe2\x82\xac" "z";
    CHECK_CASE("utf8clip: a head never ends inside a character") {
        CHECK(utf8clip_head(s, 7, 7) == 7);
        CHECK(utf8clip_head(s, 7, 9) == 7);
        CHECK(utf8clip_head(s, 7, 6) == 6);
        CHECK(utf8clip_head(s, 7, 5) == 3);
        CHECK(utf8clip_head(s, 7, 4) == 3);
        CHECK(utf8clip_head(s, 7, 2) == 1);
        CHECK(utf8clip_head(s, 7, 0) == 0);
    }
    CHECK_CASE("utf8clip: a tail never starts inside a character") {
        CHECK(utf8clip_tail(s, 7, 7) == 0);
        CHECK(utf8clip_tail(s, 7, 6) == 1);
        CHECK(utf8clip_tail(s, 7, 5) == 3);
        CHECK(utf8clip_tail(s, 7, 3) == 6);
        CHECK(utf8clip_tail(s, 7, 1) == 6);
        CHECK(utf8clip_tail(s, 7, 0) == 7);
    }
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_lib.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_proc_exit_codes();
    test_proc_timeout();
    test_proc_group();
    test_fsx();
    test_fsx_untrusted();
    test_dirlist();
    test_strv();
    test_blobid();
    test_utf8clip();
    fsx_remove_tree(tmpdir);
    return check_done();
}
