/* policy.c — see policy.h. The order of the mounts matters: bubblewrap
 * applies them in turn, so the harness is shown first, then the private
 * places inside it are hidden, then the slot's own files are shown again. */
#include "orch/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsx.h"

enum { POLICY_HOME_FILE_MAX = 1 << 20 };

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
                  const char *prompt, const char *home, const char *exe_dir, bool provider_net,
                  confine_policy *out)
{
    policy_base(m, pp, true, out);
    out->drop_uid = m->confined && m->drop_uid;
    out->net = provider_net || m->agent_net;
    confine_add(out, CONFINE_RO, wt);
    if (exe_dir)
        confine_add(out, CONFINE_RO, exe_dir);
    if (home) {
        confine_add(out, CONFINE_RW, home);
        out->home = home;
    }
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

/* Copies one login file, refusing anything but a small regular file (a
 * missing one is skipped: the CLI then asks for a login). */
static int policy_copy(const char *src, const char *dst, char *err, size_t n)
{
    char *buf = NULL, why[256];
    size_t len = 0;
    int rc = -1;
    if (fsx_read_untrusted(src, POLICY_HOME_FILE_MAX, &buf, &len, why, sizeof why) != 0) {
        if (errno == ENOENT)
            rc = 0;
        else
            snprintf(err, n, "%s: %s; the agent's login cannot be copied", src, why);
    } else if (fsx_write_atomic(dst, buf, len) != 0 || chmod(dst, 0600) != 0) {
        snprintf(err, n, "cannot write %s: %s", dst, strerror(errno));
    } else {
        rc = 0;
    }
    free(buf);
    return rc;
}

int policy_home(const policy_mode *m, const char *dir, const char *const *files, char *err, size_t n)
{
    const char *home = getenv("HOME");
    if (mkdir(dir, 0700) != 0) {
        snprintf(err, n, "cannot create the agent's home %s: %s", dir, strerror(errno));
        return -1;
    }
    for (const char *const *f = files; f && *f && home && home[0] == '/'; f++) {
        char *src = fsx_fmt("%s/%s", home, *f), *dst = fsx_fmt("%s/%s", dir, *f);
        char *slash = dst ? strrchr(dst, '/') : NULL;
        int rc = -1;
        if (src && dst && slash) {
            *slash = 0;
            rc = fsx_mkdirs(dst, 0700);
            *slash = '/';
            rc = rc == 0 ? policy_copy(src, dst, err, n) : (snprintf(err, n, "cannot create %s", dst), -1);
        }
        free(src);
        free(dst);
        if (rc != 0)
            return -1;
    }
    if (m->confined && m->drop_uid && confine_chown_tree(dir) != 0) {
        snprintf(err, n, "cannot give %s to the agent's user: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int policy_decide(const policy_paths *pp, bool unconfined, bool agent_in_process, bool agent_net,
                  policy_mode *m, char *err, size_t n)
{
    memset(m, 0, sizeof *m);
    m->agent_net = agent_net;
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
    if (m->confined && m->drop_uid && !agent_in_process)
        json_object_set_new(j, "uid", json_integer(CONFINE_UID));
    if (!m->confined)
        json_object_set_new(j, "why", json_string(m->why));
    return j;
}
