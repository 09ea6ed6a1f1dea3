/* policy.c — see policy.h. The order of the mounts matters: bubblewrap
 * applies them in turn, so the harness is shown first, then the private
 * places inside it are hidden, then the slot's own files are shown again. */
#include "orch/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What every untrusted process must not read: verdicts, keys, other slots. */
static void policy_hide_private(const policy_paths *pp, confine_policy *p)
{
    confine_add(p, CONFINE_HIDE, pp->commondir);
    confine_add(p, CONFINE_HIDE, pp->cache_dir);
    confine_add(p, CONFINE_HIDE, pp->runs_root);
    confine_add(p, CONFINE_HIDE, pp->wtroot);
}

static void policy_base(const policy_mode *m, const policy_paths *pp, bool agent, confine_policy *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = m->confined;
    p->limits = confine_default_limits(agent);
    /* The checkout may live under /tmp or $HOME, which the sandbox replaces:
     * show it again (read-only) before hiding its private parts. */
    confine_add(p, CONFINE_RO, pp->workdir);
    if (pp->build)
        confine_add(p, CONFINE_RO_TRY, pp->build);
    policy_hide_private(pp, p);
}

void policy_agent(const policy_mode *m, const policy_paths *pp, const char *wt, const char *const *writable,
                  const char *prompt, bool provider_net, confine_policy *out)
{
    policy_base(m, pp, true, out);
    /* A model CLI needs its login under $HOME, which only the caller can
     * read: it keeps the caller's uid (in the sandbox, without capabilities).
     * Any other agent runs as the unprivileged user when the caller is root. */
    out->drop_uid = m->confined && m->drop_uid && !provider_net;
    out->net = provider_net || m->agent_net;
    confine_add(out, CONFINE_RO, wt);
    for (size_t i = 0; i < 3 && provider_net; i++)
        if (m->provider_cfg[i][0])
            confine_add(out, CONFINE_RO_TRY, m->provider_cfg[i]);
    if (prompt)
        confine_add(out, CONFINE_RO, prompt);
    for (const char *const *w = writable; w && *w; w++)
        confine_add(out, CONFINE_RW, *w);
}

void policy_tools(const policy_mode *m, const policy_paths *pp, const char *tree, const char *rundir,
                  confine_policy *out)
{
    policy_base(m, pp, false, out);
    confine_add(out, CONFINE_RO, tree);
    confine_add(out, CONFINE_RW, rundir);
}

static void policy_provider_cfg(policy_mode *m)
{
    static const char *const rel[3] = {".claude", ".claude.json", ".codex"};
    const char *home = getenv("HOME");
    for (size_t i = 0; i < 3; i++)
        m->provider_cfg[i][0] = 0;
    if (!home || home[0] != '/' || strlen(home) > 400)
        return;
    for (size_t i = 0; i < 3; i++)
        snprintf(m->provider_cfg[i], sizeof m->provider_cfg[i], "%s/%s", home, rel[i]);
}

int policy_decide(const policy_paths *pp, bool unconfined, bool agent_in_process, bool agent_net,
                  policy_mode *m, char *err, size_t n)
{
    memset(m, 0, sizeof *m);
    m->agent_net = agent_net;
    policy_provider_cfg(m);
    if (unconfined) {
        snprintf(m->why, sizeof m->why, "CONFINE=off was given");
        return 0;
    }
    m->confined = true;
    confine_policy probe;
    policy_tools(m, pp, pp->workdir, pp->workdir, &probe);
    probe.enabled = true;
    char why[600];
    if (confine_probe(&probe, why, sizeof why) != 0) {
        m->confined = false;
        snprintf(m->why, sizeof m->why, "%s", why);
        if (!agent_in_process) {
            snprintf(err, n, "refusing to run an untrusted agent without confinement: %s", why);
            return -1;
        }
        return 0;
    }
    if (geteuid() == 0) {
        /* Root is exempt from the process limit: agents run as CONFINE_UID,
         * if that user can reach the checkout. */
        probe.drop_uid = true;
        m->drop_uid = confine_probe(&probe, why, sizeof why) == 0;
    }
    return 0;
}

json_t *policy_json(const policy_mode *m, bool agent_in_process, bool provider_net)
{
    json_t *j = json_object();
    json_object_set_new(j, "agent", json_string(agent_in_process ? "in-process" : m->confined ? "bwrap" : "off"));
    json_object_set_new(j, "tools", json_string(m->confined ? "bwrap" : "off"));
    json_object_set_new(j, "network",
                        json_boolean(!agent_in_process && (provider_net || m->agent_net || !m->confined)));
    if (m->confined && m->drop_uid && !agent_in_process && !provider_net)
        json_object_set_new(j, "uid", json_integer(CONFINE_UID));
    if (!m->confined)
        json_object_set_new(j, "why", json_string(m->why));
    return j;
}
