/* providers.c — the builtin, claude and codex providers (see agents.h). */
#include "agents/agents.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/builtin.h"
#include "lib/fsx.h"
#include "lib/proc.h"

/* ---- builtin ------------------------------------------------------------- */

static int builtin_run(const agent_provider *self, const agent_request *req, agent_result *res, char *err,
                       size_t n)
{
    (void)self;
    double t0 = proc_now();
    FILE *log = fopen(req->transcript, "a");
    if (!log) {
        snprintf(err, n, "builtin agent: cannot open the transcript %s: %s", req->transcript, strerror(errno));
        return -1;
    }
    bool hyp = req->phase == AGENT_HYPOTHESIS;
    builtin_job j = {.core_dir = req->core_dir,
                     .id = req->id,
                     .out_path = hyp ? req->hypothesis_path : NULL,
                     .hypothesis_path = hyp ? NULL : req->hypothesis_path,
                     .prompt = req->prompt,
                     .slot = req->slot > 0 ? req->slot : 1,
                     .seed = builtin_seed_from_env()};
    char *log_schema = req->schema_dir ? fsx_fmt("%s/log_entry.schema.json", req->schema_dir) : NULL;
    char *hyp_schema = req->schema_dir ? fsx_fmt("%s/hypothesis.schema.json", req->schema_dir) : NULL;
    j.log_schema_path = log_schema;
    j.schema_path = hyp_schema;
    fprintf(log, "builtin agent: %s phase for %s (round %d, slot %d, seed %llu) in %s\n",
            hyp ? "hypothesis" : "implementation", req->id ? req->id : "?", req->round, j.slot, j.seed,
            req->core_dir ? req->core_dir : "?");
    int status = hyp ? builtin_hypothesis(&j, log) : builtin_implement(&j, log);
    free(log_schema);
    free(hyp_schema);
    if (fclose(log) != 0 && status == 0)
        status = 1;
    res->exit_code = status;
    res->seconds = proc_now() - t0;
    return 0;
}

static void builtin_destroy(agent_provider *self)
{
    if (!self)
        return;
    free((char *)self->name);
    free(self);
}

int agent_builtin_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n)
{
    *out = NULL;
    if (arg && *arg) {
        snprintf(err, n, "AGENT=%s: the builtin agent takes no argument (its seed comes from EVO_SEED)", spec);
        return -1;
    }
    agent_provider *p = calloc(1, sizeof *p);
    if (!p || !(p->name = strdup("builtin"))) {
        free(p);
        snprintf(err, n, "out of memory");
        return -1;
    }
    p->run = builtin_run;
    p->destroy = builtin_destroy;
    p->in_process = true;
    *out = p;
    return 0;
}

/* ---- claude / codex ------------------------------------------------------ */

enum { CLI_ARGS = 16 };

typedef struct {
    const char *magic;         /* cli_magic: tells agents_cli_argv this is a CLI provider */
    char *model;               /* NULL: the CLI's default */
    const char *argv[2][CLI_ARGS]; /* per phase */
} cli_impl;

static const char cli_magic[] = "agents-cli";

/* Tools Claude Code may use without asking: reading and editing files in
 * its working directory, and in the implementation phase the project's
 * local checks. Nothing else (no network, no git). */
static const char claude_tools_hypothesis[] = "Read,Write,Edit,Glob,Grep";
static const char claude_tools_implement[] =
    "Read,Edit,Write,Glob,Grep,Bash(make lint*),Bash(make cosim*),Bash(verilator --lint-only*)";

/* A model name is a single plain word: never a flag, never whitespace. */
static bool cli_model_ok(const char *m)
{
    if (!m || !*m || m[0] == '-' || strlen(m) > 100)
        return false;
    for (const char *c = m; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("._-:/[]@", *c))
            return false;
    return true;
}

static int cli_run(const agent_provider *self, const agent_request *req, agent_result *res, char *err, size_t n)
{
    const cli_impl *c = self->impl;
    return agents_exec(c->argv[req->phase == AGENT_HYPOTHESIS ? 0 : 1], req, res, err, n);
}

static void cli_destroy(agent_provider *self)
{
    if (!self)
        return;
    cli_impl *c = self->impl;
    if (c)
        free(c->model);
    free(c);
    free((char *)self->name);
    free(self);
}

/* Fills one phase's argv: fixed words, the model flag, then the tail. */
static void cli_argv(const char **dst, const char *const *head, const char *model, const char *const *tail)
{
    size_t k = 0;
    for (size_t i = 0; head[i]; i++)
        dst[k++] = head[i];
    if (model) {
        dst[k++] = "--model";
        dst[k++] = model;
    }
    for (size_t i = 0; tail[i]; i++)
        dst[k++] = tail[i];
    dst[k] = NULL;
}

static int cli_open(const char *spec, const char *arg, const char *cli, const char *model_env,
                    const char *install, agent_provider **out, char *err, size_t n)
{
    *out = NULL;
    if (!proc_have_tool(cli)) {
        snprintf(err, n, "%s not found in PATH; install %s or use AGENT=builtin", cli, install);
        return -1;
    }
    const char *model = arg && *arg ? arg : getenv(model_env);
    if (model && !*model)
        model = NULL;
    if (model && !cli_model_ok(model)) {
        snprintf(err, n, "AGENT=%s: model '%s' (from %s) is not a plain model name", spec, model,
                 arg && *arg ? "AGENT" : model_env);
        return -1;
    }
    agent_provider *p = calloc(1, sizeof *p);
    cli_impl *c = calloc(1, sizeof *c);
    if (!p || !c || !(p->name = strdup(cli)) || (model && !(c->model = strdup(model)))) {
        if (p)
            free((char *)p->name);
        free(c);
        free(p);
        snprintf(err, n, "out of memory");
        return -1;
    }
    c->magic = cli_magic;
    if (strcmp(cli, "claude") == 0) {
        static const char *const head[] = {"claude", "-p", "--output-format", "text", "--permission-mode",
                                           "acceptEdits", NULL};
        /* --allowedTools takes a list: it comes last so that nothing
         * after it is read as a tool; the prompt is on stdin. */
        static const char *const tail_h[] = {"--allowedTools", claude_tools_hypothesis, NULL};
        static const char *const tail_i[] = {"--allowedTools", claude_tools_implement, NULL};
        cli_argv(c->argv[0], head, c->model, tail_h);
        cli_argv(c->argv[1], head, c->model, tail_i);
    } else {
        /* `--sandbox workspace-write` lets Codex edit its working directory
         * (the slot worktree) without network; "-" reads the prompt from
         * stdin. */
        static const char *const head[] = {"codex", "exec", "--sandbox", "workspace-write", "--color", "never",
                                           NULL};
        static const char *const tail[] = {"-", NULL};
        cli_argv(c->argv[0], head, c->model, tail);
        cli_argv(c->argv[1], head, c->model, tail);
    }
    p->run = cli_run;
    p->destroy = cli_destroy;
    p->impl = c;
    p->net = true; /* the model is behind an API */
    /* Only what the CLI needs to log in; it writes its session state next
     * to them in the phase's private HOME, which is deleted afterwards. */
    static const char *const claude_home[] = {".claude.json", ".claude/.credentials.json", ".claude/settings.json",
                                              NULL};
    static const char *const codex_home[] = {".codex/auth.json", ".codex/config.toml", NULL};
    p->home_files = strcmp(cli, "claude") == 0 ? claude_home : codex_home;
    *out = p;
    return 0;
}

int agent_claude_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n)
{
    return cli_open(spec, arg, "claude", "EVO_CLAUDE_MODEL", "Claude Code", out, err, n);
}

int agent_codex_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n)
{
    return cli_open(spec, arg, "codex", "EVO_CODEX_MODEL", "the Codex CLI", out, err, n);
}

const char *const *agents_cli_argv(const agent_provider *p, agent_phase phase)
{
    const cli_impl *c = p && p->run == cli_run ? p->impl : NULL;
    if (!c || c->magic != cli_magic)
        return NULL;
    return c->argv[phase == AGENT_HYPOTHESIS ? 0 : 1];
}
