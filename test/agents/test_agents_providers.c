/* test_agents_providers — the builtin, claude and codex providers through
 * the agent_provider interface, on a scratch worktree. claude and codex are
 * the stand-ins in test/agents/bin, placed first on PATH: they check the
 * argument shape the real CLIs accept and that the prompt arrives on stdin,
 * then write files as an agent would. No network is used. Run from the
 * repository root. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents/agents.h"
#include "check.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

static const char *CORE_YAML =
    "name: t\ndescription: scratch core\nisa: rv32im\n"
    "fpga: {family: ice40, device: hx8k, package: ct256, clock_mhz: 50}\n"
    "knobs:\n"
    "  - {name: A, file: rtl/core.sv, parameter: A, values: [0, 1], default: 0, tradeoff: fewer cycles}\n"
    "  - {name: B, file: rtl/core.sv, parameter: B, values: [0, 1, 2], default: 0, tradeoff: fewer LUTs}\n";
static const char *CORE_SV = "module core;\n  parameter A = 0;\n  parameter B = 0;\nendmodule\n";

static void check_contains(const char *file, int line, const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle))
        return;
    char m[700];
    snprintf(m, sizeof m, "'%.300s' does not contain '%.300s'", hay ? hay : "(null)", needle);
    check_fail(file, line, m);
}
#define CONTAINS(hay, needle) check_contains(__FILE__, __LINE__, (hay), (needle))

typedef struct {
    char root[64];  /* the scratch "worktree" */
    char *core_dir, *hyp, *prompt_path, *transcript, *record;
} scratch;

static int scratch_make(scratch *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->root, sizeof s->root, "/tmp/agents-provXXXXXX");
    if (!mkdtemp(s->root))
        return -1;
    s->core_dir = fsx_fmt("%s/cores/t", s->root);
    s->hyp = fsx_fmt("%s/experiments/hypotheses/t-r001-s1-beef.yaml", s->core_dir);
    s->prompt_path = fsx_fmt("%s/prompt.md", s->root);
    s->transcript = fsx_fmt("%s/agent.log", s->root);
    s->record = fsx_fmt("%s/record", s->root);
    char *rtl = fsx_fmt("%s/rtl", s->core_dir), *y = fsx_fmt("%s/core.yaml", s->core_dir);
    char *sv = fsx_fmt("%s/rtl/core.sv", s->core_dir);
    int rc = fsx_mkdirs(rtl, 0755) | fsx_write_atomic(y, CORE_YAML, strlen(CORE_YAML)) |
             fsx_write_atomic(sv, CORE_SV, strlen(CORE_SV));
    free(rtl);
    free(y);
    free(sv);
    return rc ? -1 : 0;
}

static void scratch_free(scratch *s)
{
    fsx_remove_tree(s->root);
    free(s->core_dir);
    free(s->hyp);
    free(s->prompt_path);
    free(s->transcript);
    free(s->record);
}

/* agent_close() lives in the orchestrator's library; this suite links only agents. */
static void close_p(agent_provider *p)
{
    if (p && p->destroy)
        p->destroy(p);
}

static char *read_all(const char *path)
{
    char *t = NULL;
    return fsx_read(path, &t, NULL) == 0 ? t : NULL;
}

/* Runs one phase the way agent_run does: prompt file first, then the provider. */
static int run_phase(const agent_provider *p, scratch *s, agent_phase ph, const char *prompt, double timeout,
                     agent_result *res)
{
    memset(res, 0, sizeof *res);
    if (fsx_write_atomic(s->prompt_path, prompt, strlen(prompt)) != 0)
        return -1;
    agent_request req = {ph, prompt, s->prompt_path, s->root, s->transcript, timeout, "t", s->core_dir, s->hyp,
                         "t-r001-s1-beef", 1, 1, NULL, NULL};
    char err[512];
    int rc = p->run(p, &req, res, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "run: %s\n", err);
    return rc;
}

static bool ok(const agent_result *r)
{
    return !r->spawn_failed && !r->timed_out && !r->cancelled && r->term_signal == 0 && r->exit_code == 0;
}

static char *hyp_prompt(const scratch *s)
{
    /* A large prompt: providers must never put it in argv. */
    char *pad = malloc(300001);
    memset(pad, 'x', 300000);
    pad[300000] = '\0';
    char *p = fsx_fmt("# Propose one hypothesis\n\nwrite it as YAML to:\n\n    %s\n\n%s\n", s->hyp, pad);
    free(pad);
    return p;
}

static const char *IMPL_PROMPT = "# Implement hypothesis t-r001-s1-beef on core t\n\n## The hypothesis\n\n"
                                 "```yaml\nid: t-r001-s1-beef\nknobs:\n  A: 1\n```\n";

static void test_cli(const char *cli, agent_open_fn open_fn, const char *bin_dir)
{
    /* One buffer per case: check.h prints a case's name when the next begins. */
    char names[6][128], err[512];
    int nn = 0;
    const char *path0 = getenv("PATH");
    char *path_with = fsx_fmt("%s:%s", bin_dir, path0 ? path0 : "/usr/bin:/bin");

    snprintf(names[nn], sizeof names[nn], "%s_missing_from_path_is_a_clear_error", cli);
    CHECK_CASE(names[nn++]) {
        setenv("PATH", "/nonexistent", 1);
        agent_provider *p = NULL;
        CHECK_EQ_INT(open_fn(cli, NULL, &p, err, sizeof err), -1);
        char want[200];
        snprintf(want, sizeof want, "%s not found in PATH; install %s or use AGENT=builtin", cli,
                 strcmp(cli, "claude") == 0 ? "Claude Code" : "the Codex CLI");
        CHECK(strcmp(err, want) == 0);
        CHECK(p == NULL);
        setenv("PATH", path_with, 1);
    }
    setenv("PATH", path_with, 1);

    snprintf(names[nn], sizeof names[nn], "%s_argv_shape_and_model", cli);
    CHECK_CASE(names[nn++]) {
        char env[64];
        snprintf(env, sizeof env, "EVO_%s_MODEL", strcmp(cli, "claude") == 0 ? "CLAUDE" : "CODEX");
        setenv(env, "model-from-env", 1);
        agent_provider *p = NULL;
        CHECK_EQ_INT(open_fn(cli, NULL, &p, err, sizeof err), 0);
        const char *const *av = p ? agents_cli_argv(p, AGENT_IMPLEMENT) : NULL;
        char joined[1024] = "";
        size_t o = 0;
        for (size_t i = 0; av && av[i]; i++)
            o += (size_t)snprintf(joined + o, sizeof joined - o, "%s%s", i ? " " : "", av[i]);
        if (strcmp(cli, "claude") == 0)
            CHECK(strcmp(joined, "claude -p --output-format text --permission-mode acceptEdits --model model-from-env "
                                 "--allowedTools Read,Edit,Write,Glob,Grep,Bash(make lint*),Bash(make cosim*),"
                                 "Bash(verilator --lint-only*)") == 0);
        else
            CHECK(strcmp(joined, "codex exec --sandbox workspace-write --color never --model model-from-env -") == 0);
        CHECK(p && strcmp(p->name, cli) == 0); /* the log's agent.provider pattern */
        close_p(p);
        /* The spec's argument wins over the environment. */
        CHECK_EQ_INT(open_fn(cli, "other-model", &p, err, sizeof err), 0);
        av = p ? agents_cli_argv(p, AGENT_HYPOTHESIS) : NULL;
        bool found = false;
        for (size_t i = 0; av && av[i] && av[i + 1]; i++)
            found = found || (strcmp(av[i], "--model") == 0 && strcmp(av[i + 1], "other-model") == 0);
        CHECK(found);
        close_p(p);
        /* A "model" that would be read as a flag is refused. */
        setenv(env, "--dangerously-skip-permissions", 1);
        CHECK_EQ_INT(open_fn(cli, NULL, &p, err, sizeof err), -1);
        CONTAINS(err, "is not a plain model name");
        unsetenv(env);
    }

    snprintf(names[nn], sizeof names[nn], "%s_hypothesis_phase_prompt_on_stdin_writes_valid_yaml", cli);
    CHECK_CASE(names[nn++]) {
        scratch s;
        CHECK(scratch_make(&s) == 0);
        setenv("STANDIN_RECORD", s.record, 1);
        agent_provider *p = NULL;
        CHECK_EQ_INT(open_fn(cli, NULL, &p, err, sizeof err), 0);
        char *prompt = hyp_prompt(&s);
        agent_result r;
        CHECK_EQ_INT(p ? run_phase(p, &s, AGENT_HYPOTHESIS, prompt, 30, &r) : -1, 0);
        char *tr = read_all(s.transcript);
        if (!ok(&r))
            check_fail(__FILE__, __LINE__, tr ? tr : "(no transcript)");
        CONTAINS(tr, "wrote ");
        json_t *h = yamljson_load_file(s.hyp, err, sizeof err);
        CHECK(h != NULL);
        struct stat st;
        if (stat("schemas/hypothesis.schema.json", &st) != 0)
            check_fail(__FILE__, __LINE__, "schemas/hypothesis.schema.json missing (run from the repository root)");
        else if (h && schema_validate_path("schemas/hypothesis.schema.json", h, err, sizeof err) != 0)
            check_fail(__FILE__, __LINE__, err);
        /* The stand-in saw the whole prompt on stdin. */
        char *rec = read_all(s.record);
        char want[64];
        snprintf(want, sizeof want, "%s %zu ", cli, strlen(prompt));
        CONTAINS(rec, want);
        free(rec);
        free(tr);
        json_decref(h);
        free(prompt);
        close_p(p);
        unsetenv("STANDIN_RECORD");
        scratch_free(&s);
    }

    snprintf(names[nn], sizeof names[nn], "%s_implement_phase_edits_the_worktree", cli);
    CHECK_CASE(names[nn++]) {
        scratch s;
        CHECK(scratch_make(&s) == 0);
        agent_provider *p = NULL;
        CHECK_EQ_INT(open_fn(cli, NULL, &p, err, sizeof err), 0);
        agent_result r;
        CHECK_EQ_INT(p ? run_phase(p, &s, AGENT_IMPLEMENT, IMPL_PROMPT, 30, &r) : -1, 0);
        CHECK(ok(&r));
        char *sv = fsx_fmt("%s/rtl/core.sv", s.core_dir);
        char *text = read_all(sv);
        CONTAINS(text, "parameter A = 1;");
        free(text);
        free(sv);
        close_p(p);
        scratch_free(&s);
    }

    snprintf(names[nn], sizeof names[nn], "%s_timeout_kills_the_agent", cli);
    CHECK_CASE(names[nn++]) {
        scratch s;
        CHECK(scratch_make(&s) == 0);
        setenv("STANDIN_SLEEP", "20", 1);
        agent_provider *p = NULL;
        CHECK_EQ_INT(open_fn(cli, NULL, &p, err, sizeof err), 0);
        agent_result r;
        double t0 = proc_now();
        CHECK_EQ_INT(p ? run_phase(p, &s, AGENT_IMPLEMENT, IMPL_PROMPT, 1, &r) : -1, 0);
        CHECK(r.timed_out);
        CHECK(proc_now() - t0 < 10);
        unsetenv("STANDIN_SLEEP");
        close_p(p);
        scratch_free(&s);
    }

    /* The stand-in must be able to say no, or the tests above prove nothing. */
    snprintf(names[nn], sizeof names[nn], "%s_standin_rejects_wrong_shapes", cli);
    CHECK_CASE(names[nn++]) {
        scratch s;
        CHECK(scratch_make(&s) == 0);
        fsx_write_atomic(s.prompt_path, "a prompt\n", 9);
        char *exe = fsx_fmt("%s/%s", bin_dir, cli);
        const char *const claude_bad[][6] = {
            {exe, "-p", "--output-format", "text", "the prompt in argv", NULL},
            {exe, "--output-format", "text", NULL},                /* no -p */
            {exe, "-p", "--permission-mode", "yolo", NULL},
            {exe, "-p", "--no-such-flag", NULL},
        };
        const char *const codex_bad[][6] = {
            {exe, "--sandbox", "workspace-write", "-", NULL},       /* no exec */
            {exe, "exec", "--sandbox", "workspace-write", "the prompt in argv", NULL},
            {exe, "exec", "-", NULL},                               /* read-only sandbox */
            {exe, "exec", "--sandbox", "everything", "-", NULL},
        };
        char *env[] = {"EVO_PHASE=implement", "EVO_TARGET=t", "EVO_ID=t-r001-s1-beef", NULL};
        for (size_t i = 0; i < 4; i++) {
            const char *const *av = strcmp(cli, "claude") == 0 ? claude_bad[i] : codex_bad[i];
            proc_spec ps = {.argv = av, .cwd = s.root, .log_path = s.transcript, .stdin_path = s.prompt_path,
                            .env = (const char *const *)env, .timeout_s = 20};
            proc_result pr;
            if (proc_run(&ps, &pr) == 0) {
                char m[120];
                snprintf(m, sizeof m, "bad shape %zu was accepted", i);
                check_fail(__FILE__, __LINE__, m);
            }
        }
        /* A good shape with an empty stdin is refused too. */
        const char *const claude_ok[] = {exe, "-p", "--output-format", "text", "--permission-mode", "acceptEdits",
                                         "--allowedTools", "Read,Edit", NULL};
        const char *const codex_ok[] = {exe, "exec", "--sandbox", "workspace-write", "-", NULL};
        proc_spec ps = {.argv = strcmp(cli, "claude") == 0 ? claude_ok : codex_ok, .cwd = s.root,
                        .log_path = s.transcript, .stdin_path = NULL, .env = (const char *const *)env,
                        .timeout_s = 20};
        proc_result pr;
        CHECK(proc_run(&ps, &pr) != 0);
        char *tr = read_all(s.transcript);
        CONTAINS(tr, "no prompt on stdin");
        free(tr);
        /* ... and accepted with the prompt, as a control. */
        ps.stdin_path = s.prompt_path;
        CHECK(proc_run(&ps, &pr) == 0);
        free(exe);
        scratch_free(&s);
    }
    check_close(); /* the last case's name is in this frame */
    setenv("PATH", path0 ? path0 : "/usr/bin:/bin", 1);
    free(path_with);
}

static void test_builtin_provider(void)
{
    char err[512];
    CHECK_CASE("builtin_provider_both_phases") {
        scratch s;
        CHECK(scratch_make(&s) == 0);
        agent_provider *p = NULL;
        CHECK_EQ_INT(agent_builtin_open("builtin", NULL, &p, err, sizeof err), 0);
        CHECK(p && strcmp(p->name, "builtin") == 0);
        agent_result r;
        char *prompt = hyp_prompt(&s);
        CHECK_EQ_INT(p ? run_phase(p, &s, AGENT_HYPOTHESIS, prompt, 0, &r) : -1, 0);
        char *tr = read_all(s.transcript);
        if (!ok(&r))
            check_fail(__FILE__, __LINE__, tr ? tr : "(no transcript)");
        CONTAINS(tr, "builtin agent: hypothesis phase for t-r001-s1-beef");
        free(tr);
        char *yaml = read_all(s.hyp);
        json_t *h = yaml ? yamljson_load_string(yaml, strlen(yaml), "h", err, sizeof err) : NULL;
        CHECK(h != NULL);
        /* The implementation phase reads the hypothesis from the prompt
         * (the loop removes the file after validating it). */
        char *impl = fsx_fmt("# Implement hypothesis t-r001-s1-beef on core t\n\n## The hypothesis\n\n```yaml\n%s```\n",
                             yaml ? yaml : "");
        unlink(s.hyp);
        CHECK_EQ_INT(p ? run_phase(p, &s, AGENT_IMPLEMENT, impl, 0, &r) : -1, 0);
        CHECK(ok(&r));
        char *sv = fsx_fmt("%s/rtl/core.sv", s.core_dir);
        char *text = read_all(sv);
        CHECK(text && strcmp(text, CORE_SV) != 0);
        /* Exactly the knob's line changed. */
        const char *knob = NULL;
        json_t *v = NULL;
        json_object_foreach(json_object_get(h, "knobs"), knob, v) {
            char line[64];
            snprintf(line, sizeof line, "  parameter %s = %lld;\n", knob, (long long)json_integer_value(v));
            CONTAINS(text, line);
        }
        free(text);
        free(sv);
        free(impl);
        json_decref(h);
        free(yaml);
        free(prompt);
        close_p(p);
        CHECK_EQ_INT(agent_builtin_open("builtin:x", "x", &p, err, sizeof err), -1);
        CHECK(p == NULL);
        scratch_free(&s);
    }
}

int main(void)
{
    char bin_dir[PATH_MAX];
    if (!realpath("test/agents/bin", bin_dir)) {
        check_skip("agents_providers", "test/agents/bin not found: run from the repository root");
        return check_done();
    }
    test_builtin_provider();
    test_cli("claude", agent_claude_open, bin_dir);
    test_cli("codex", agent_codex_open, bin_dir);
    return check_done();
}
