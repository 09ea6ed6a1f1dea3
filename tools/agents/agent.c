/* agent.c — see agent.h. */
#include "agents/agent.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents/agents.h"
#include "lib/fsx.h"
#include "lib/proc.h"

enum { AGENT_TAIL_BYTES = 2048 };

/* The provider table: the one place a new provider is registered. */
static const struct {
    const char *name;
    agent_open_fn open;
} agent_providers[] = {
    {"cmd", agent_cmd_open},
    {"builtin", agent_builtin_open},
    {"claude", agent_claude_open},
    {"codex", agent_codex_open},
};

int agent_open(const char *spec, agent_provider **out, char *err, size_t n)
{
    *out = NULL;
    if (!spec || !*spec)
        spec = "builtin";
    size_t nl = strcspn(spec, ":");
    const char *arg = spec[nl] == ':' ? spec + nl + 1 : NULL;
    for (size_t i = 0; i < sizeof agent_providers / sizeof agent_providers[0]; i++) {
        if (strlen(agent_providers[i].name) != nl || strncmp(spec, agent_providers[i].name, nl) != 0)
            continue;
        return agent_providers[i].open(spec, arg, out, err, n);
    }
    snprintf(err, n, "AGENT=%s: unknown provider; use builtin, claude, codex or cmd:<executable>", spec);
    return -1;
}

void agent_close(agent_provider *p)
{
    if (p && p->destroy)
        p->destroy(p);
}

bool agent_ok(const agent_result *res)
{
    return !res->spawn_failed && !res->timed_out && !res->cancelled && res->term_signal == 0 &&
           res->exit_code == 0;
}

void agent_describe(const agent_result *res, char *buf, size_t n)
{
    if (res->spawn_failed)
        snprintf(buf, n, "could not start: %s", strerror(res->err));
    else if (res->timed_out)
        snprintf(buf, n, "timed out after %.0f s and was killed", res->seconds);
    else if (res->cancelled)
        snprintf(buf, n, "interrupted after %.1f s", res->seconds);
    else if (res->term_signal)
        snprintf(buf, n, "killed by signal %d (%s) after %.1f s", res->term_signal, strsignal(res->term_signal),
                 res->seconds);
    else
        snprintf(buf, n, "exited %d after %.1f s", res->exit_code, res->seconds);
}

int agent_run(const agent_provider *p, const agent_request *req, agent_result *res,
              char *err, size_t n)
{
    memset(res, 0, sizeof *res);
    if (fsx_write_atomic(req->prompt_path, req->prompt, strlen(req->prompt)) != 0) {
        snprintf(err, n, "cannot write the agent prompt %s: %s", req->prompt_path, strerror(errno));
        return -1;
    }
    if (p->run(p, req, res, err, n) != 0)
        return -1;
    res->output_tail = fsx_tail(req->transcript, AGENT_TAIL_BYTES);
    return 0;
}

/* ---- cmd:<path> ---------------------------------------------------------- */

typedef struct {
    char *path; /* absolute: the agent runs in another directory */
    char *dir;  /* its directory: the sandbox shows it read-only */
} agent_cmd;

static int agent_cmd_run(const agent_provider *self, const agent_request *req, agent_result *res,
                         char *err, size_t n)
{
    const agent_cmd *c = self->impl;
    const char *argv[] = {c->path, NULL};
    return agents_exec(argv, req, res, err, n);
}

static void agent_cmd_destroy(agent_provider *self)
{
    agent_cmd *c = self->impl;
    if (c) {
        free(c->path);
        free(c->dir);
    }
    free(c);
    free((char *)self->name);
    free(self);
}

int agent_cmd_open(const char *spec, const char *arg, agent_provider **out, char *err, size_t n)
{
    if (!arg || !*arg) {
        snprintf(err, n, "AGENT=%s: give the executable, as cmd:<path>", spec);
        return -1;
    }
    char abs[PATH_MAX];
    if (!realpath(arg, abs)) {
        snprintf(err, n, "AGENT=%s: %s: %s", spec, arg, strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode) || access(abs, X_OK) != 0) {
        snprintf(err, n, "AGENT=%s: %s is not an executable file (chmod +x it?)", spec, abs);
        return -1;
    }
    agent_provider *p = calloc(1, sizeof *p);
    agent_cmd *c = calloc(1, sizeof *c);
    if (!p || !c || !(c->path = strdup(abs)) || !(c->dir = strdup(abs)) || !(p->name = strdup(spec))) {
        if (c) {
            free(c->path);
            free(c->dir);
        }
        free(c);
        free(p);
        snprintf(err, n, "out of memory");
        return -1;
    }
    *strrchr(c->dir, '/') = '\0'; /* realpath: absolute, so there is a slash */
    if (!c->dir[0])
        strcpy(c->dir, "/");
    p->run = agent_cmd_run;
    p->destroy = agent_cmd_destroy;
    p->impl = c;
    p->exe_dir = c->dir;
    *out = p;
    return 0;
}

json_t *agent_result_json(const agent_provider *p, const agent_request *req,
                          const agent_result *res)
{
    json_t *o = json_object();
    json_object_set_new(o, "provider", json_string(p ? p->name : "none"));
    json_object_set_new(o, "phase", json_string(req->phase == AGENT_HYPOTHESIS ? "hypothesis" : "implement"));
    json_object_set_new(o, "exit_code", json_integer(res->exit_code));
    json_object_set_new(o, "signal", json_integer(res->term_signal));
    json_object_set_new(o, "timed_out", json_boolean(res->timed_out));
    json_object_set_new(o, "seconds", json_real(res->seconds));
    json_object_set_new(o, "transcript", json_string(req->transcript));
    json_t *tail = res->output_tail ? json_string(res->output_tail) : NULL;
    json_object_set_new(o, "output_tail", tail ? tail : json_string(""));
    return o;
}

void agent_result_free(agent_result *res)
{
    free(res->output_tail);
    res->output_tail = NULL;
}
