/* exec.c — agents_exec(): the one way a provider runs an agent process
 * (the cmd: provider in agent.c and the claude/codex CLIs in providers.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/agents.h"
#include "lib/fsx.h"
#include "lib/proc.h"

int agents_exec(const char *const *argv, const agent_request *req, agent_result *res,
               char *err, size_t n)
{
    char round[32], slot[32];
    snprintf(round, sizeof round, "%d", req->round);
    snprintf(slot, sizeof slot, "%d", req->slot);
    char *env[] = {
        fsx_fmt("EVO_TARGET=%s", req->target ? req->target : ""),
        fsx_fmt("EVO_CORE_DIR=%s", req->core_dir ? req->core_dir : ""),
        fsx_fmt("EVO_HYPOTHESIS=%s", req->hypothesis_path ? req->hypothesis_path : ""),
        fsx_fmt("EVO_ID=%s", req->id ? req->id : ""),
        fsx_fmt("EVO_PHASE=%s", req->phase == AGENT_HYPOTHESIS ? "hypothesis" : "implement"),
        fsx_fmt("EVO_ROUND=%s", round),
        fsx_fmt("EVO_SLOT=%s", slot),
        fsx_fmt("EVO_PROMPT=%s", req->prompt_path ? req->prompt_path : ""),
        NULL,
    };
    size_t ne = sizeof env / sizeof env[0] - 1;
    int rc = 0;
    for (size_t i = 0; i < ne; i++)
        if (!env[i]) {
            snprintf(err, n, "out of memory");
            rc = -1;
        }
    if (rc == 0) {
        proc_spec spec = {.argv = argv, .cwd = req->cwd, .log_path = req->transcript,
                          .stdin_path = req->prompt_path, .env = (const char *const *)env,
                          .timeout_s = req->timeout_s, .confine = req->confine};
        proc_result pr;
        proc_run(&spec, &pr);
        res->exit_code = pr.exit_code;
        res->term_signal = pr.term_signal;
        res->timed_out = pr.timed_out;
        res->cancelled = pr.cancelled;
        res->spawn_failed = pr.spawn_failed;
        res->err = pr.err;
        res->seconds = pr.seconds;
        if (pr.spawn_failed) {
            /* Say it in the transcript too: that is what the log entry shows. */
            char *msg = fsx_fmt("%s could not be started%s: %s\n", argv[0],
                                req->confine && req->confine->enabled ? " in its sandbox (bwrap)" : "",
                                strerror(pr.err));
            if (msg)
                fsx_append(req->transcript, msg, strlen(msg));
            free(msg);
        }
    }
    for (size_t i = 0; i < ne; i++)
        free(env[i]);
    return rc;
}
