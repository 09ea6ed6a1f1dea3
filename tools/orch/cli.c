/* cli.c — see cli.h. */
#include "orch/cli.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gates/gate_cli.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/safetext.h"
#include "mutate/mutrun.h"
#include "orch/report.h"
#include "orch/tournament.h"
#include "schema/schema.h"

enum { CLI_ERR = 4096 };

typedef struct {
    const char *cmd;
    const char *target, *base, *agent, *repo, *wtroot, *build, *out;
    int rounds, slots, cores;
    double lut, coremark, margin, remeasure, agent_timeout, slurm_down;
    int quick, no_cache, no_overlap, agent_net, strict_coverage;
    const char *confine, *executor, *partition, *slurm_args;
    int parent_k; /* --parent: 0 the champion, else topk:K */
} cli_args;

static void cli_usage(FILE *to)
{
    fprintf(to,
            "usage: evo <command> [options]\n"
            "  loop   --target T [--base B] [-n N] [-k K] [--agent A] [--lut X] [--coremark Y] [--margin M]\n"
            "         [--remeasure F]  (F x the seed spread: below it a winner is placed again; 0: never)\n"
            "         [--parent champion|topk:K]  (slots 2.. start from one of the best K designs)\n"
            "         [--strict-coverage]  (a changed RTL line no cosim program ran: broken: cosim)\n"
            "  next   --target T [...]            one round\n"
            "  fork   --target T --base B         fork cores/B as cores/T and measure it\n"
            "  report --target T                  champion path, counts, time per gate, chart\n"
            "  pr     --target T [--out FILE]     pull-request summary of core-T against main\n"
            "  workload --target T                the workload T's champion was measured on\n"
            "                                     (coremark or workload; nothing without records)\n"
            "  clean  --target T                  remove T's worktrees (the branch core-T stays)\n"
            "  list                               cores and their branches\n"
            "  gate   GATES --core C [...]          run gates alone (the `gate` command on this table)\n"
            "options: --repo DIR  --worktrees DIR  --build DIR  --cores N  --agent-timeout S\n"
            "         --quick  --no-cache  --no-overlap  --confine on|off  --agent-net\n"
            "         --executor local|slurm  --partition P  --slurm-args 'ARGS'\n"
            "         --slurm-down S  (a job waiting S s for down/drained nodes is an infrastructure fault)\n"
            "AGENT: builtin (default), claude, codex, cmd:<executable>\n");
}

/* A number option; false on garbage. */
static bool cli_num(const char *v, double *out)
{
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end || d != d)
        return false;
    *out = d;
    return true;
}

static bool cli_int(const char *v, int *out)
{
    double d;
    if (!cli_num(v, &d) || d < 0 || d > 100000 || d != (int)d)
        return false;
    *out = (int)d;
    return true;
}

/* --parent: "champion", or "topk:K" with 1 <= K <= CLI_TOPK_MAX (K = 1 is
 * the champion alone). *k: 0 for the champion. */
enum { CLI_TOPK_MAX = 64 };
static bool cli_parent(const char *v, int *k)
{
    if (strcmp(v, "champion") == 0) {
        *k = 0;
        return true;
    }
    if (strncmp(v, "topk:", 5) != 0 || !v[5])
        return false;
    for (const char *p = v + 5; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    int d;
    if (!cli_int(v + 5, &d) || d < 1 || d > CLI_TOPK_MAX)
        return false;
    *k = d == 1 ? 0 : d;
    return true;
}

static int cli_parse(int argc, char **argv, cli_args *a, char *err, size_t n)
{
    memset(a, 0, sizeof a[0]);
    a->rounds = -1;
    a->slots = 1;
    a->agent_timeout = 1800;
    if (argc < 2) {
        snprintf(err, n, "no command");
        return -1;
    }
    a->cmd = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *k = argv[i];
        if (strcmp(k, "--quick") == 0) {
            a->quick = 1;
            continue;
        }
        if (strcmp(k, "--no-cache") == 0) {
            a->no_cache = 1;
            continue;
        }
        if (strcmp(k, "--agent-net") == 0) {
            a->agent_net = 1;
            continue;
        }
        if (strcmp(k, "--strict-coverage") == 0) {
            a->strict_coverage = 1;
            continue;
        }
        if (strcmp(k, "--no-overlap") == 0) {
            a->no_overlap = 1;
            continue;
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            snprintf(err, n, "%s needs a value", k);
            return -1;
        }
        i++;
        bool ok = true;
        /* Empty values come from unset make variables: they mean "default". */
        if (!*v)
            continue;
        if (strcmp(k, "--target") == 0)
            a->target = v;
        else if (strcmp(k, "--base") == 0)
            a->base = v;
        else if (strcmp(k, "--agent") == 0)
            a->agent = v;
        else if (strcmp(k, "--repo") == 0)
            a->repo = v;
        else if (strcmp(k, "--worktrees") == 0)
            a->wtroot = v;
        else if (strcmp(k, "--build") == 0)
            a->build = v;
        else if (strcmp(k, "--out") == 0)
            a->out = v;
        else if (strcmp(k, "-n") == 0 || strcmp(k, "--rounds") == 0)
            ok = cli_int(v, &a->rounds);
        else if (strcmp(k, "-k") == 0 || strcmp(k, "--slots") == 0)
            ok = cli_int(v, &a->slots) && a->slots >= 1 && a->slots <= 16;
        else if (strcmp(k, "--cores") == 0)
            ok = cli_int(v, &a->cores);
        else if (strcmp(k, "--lut") == 0)
            ok = cli_num(v, &a->lut) && a->lut > 0;
        else if (strcmp(k, "--coremark") == 0)
            ok = cli_num(v, &a->coremark) && a->coremark > 0;
        else if (strcmp(k, "--margin") == 0)
            ok = cli_num(v, &a->margin) && a->margin >= 0 && a->margin < 10;
        else if (strcmp(k, "--remeasure") == 0)
            ok = cli_num(v, &a->remeasure) && a->remeasure >= 0 && a->remeasure <= 100 &&
                 (a->remeasure = a->remeasure == 0 ? -1 : a->remeasure, true); /* 0: never */
        else if (strcmp(k, "--parent") == 0) {
            if (!cli_parent(v, &a->parent_k)) {
                snprintf(err, n, "bad value for --parent (PARENT=): '%s'; use champion (the default: every slot "
                         "starts from the champion) or topk:K with K a whole number from 1 to %d (slots 2.. start "
                         "from one of the best K designs that passed every gate)", v, CLI_TOPK_MAX);
                return -1;
            }
        } else if (strcmp(k, "--confine") == 0)
            ok = strcmp(v, "on") == 0 || strcmp(v, "off") == 0 ? (a->confine = v, true) : false;
        else if (strcmp(k, "--executor") == 0)
            ok = strcmp(v, "local") == 0 || strcmp(v, "slurm") == 0 ? (a->executor = v, true) : false;
        else if (strcmp(k, "--partition") == 0)
            a->partition = v;
        else if (strcmp(k, "--slurm-args") == 0)
            a->slurm_args = v;
        else if (strcmp(k, "--slurm-down") == 0)
            ok = cli_num(v, &a->slurm_down) && a->slurm_down > 0;
        else if (strcmp(k, "--agent-timeout") == 0)
            ok = cli_num(v, &a->agent_timeout) && a->agent_timeout > 0;
        else {
            snprintf(err, n, "unknown option %s", k);
            return -1;
        }
        if (!ok) {
            snprintf(err, n, "bad value for %s: '%s'", k, v);
            return -1;
        }
    }
    return 0;
}

/* A core to fork from: a plain directory name under cores/ (no path
 * tricks). Looser than a target's name (records_core_name_check), so that a
 * core whose name can no longer be a target can still be forked under one. */
static bool cli_base_name(const char *s)
{
    if (!s || !*s || strlen(s) > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-'))
            return false;
    return true;
}

static volatile sig_atomic_t cli_signals;

static void cli_on_signal(int sig)
{
    (void)sig;
    if (cli_signals++ > 0)
        _exit(130); /* a second Ctrl-C: leave now, the next run recovers */
    proc_cancel_all();
    static const char msg[] = "\nevo: interrupted; stopping the tools and discarding the round "
                              "(Ctrl-C again to quit at once)\n";
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
}

static void cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cli_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A full disk or a file-size limit must come back as an error we can
     * report (ENOSPC/EFBIG), not kill the process mid-commit. */
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
}

/* `make report` / `make pr` on a core without records: what exists and the
 * command that starts it. */
static void cli_report_nothing(repo *r, const char *target)
{
    git_oid tip, id;
    char e2[256];
    char *yaml = fsx_fmt("cores/%s/core.yaml", target);
    bool exists = repo_tip(r, "main", &tip, e2, sizeof e2) == 0 && yaml && repo_path_id(r, &tip, yaml, &id) == 0 &&
                  !git_oid_is_zero(&id);
    if (exists)
        printf("core %s has no records yet (no branch core-%s and no cores/%s/experiments/log.jsonl on main).\n"
               "Start it with: make loop TARGET=%s N=1\n", target, target, target, target);
    else
        printf("there is no core '%s' yet, so nothing to report (make loop without TARGET lists the cores).\n"
               "Start one from the baseline with: make loop TARGET=%s BASE=baseline N=1\n", target, target);
    free(yaml);
}

static int cli_report(const cli_args *a, const gate_def *gates, size_t ngates, char *err, size_t n)
{
    repo *r = NULL;
    if (repo_open(&r, a->repo, err, n) != 0)
        return 1;
    char *spath = fsx_fmt("%s/schemas/log_entry.schema.json", repo_workdir(r));
    json_t *schema = schema_load(spath, err, n);
    free(spath);
    records_log log;
    int rc = schema ? tour_load_log(r, a->target, schema, &log, stderr, err, n) : -1;
    if (rc != -1 && strcmp(a->cmd, "workload") == 0) {
        /* For make loop: which workload the champion was measured on
         * (gates/gate.h gate_workload's words), nothing when no records. */
        const json_t *c = rc == 0 ? records_champion(&log) : NULL;
        const char *w = c ? json_string_value(json_object_get(c, "workload")) : NULL;
        if (w)
            printf("%s\n", w);
        records_log_free(&log);
        json_decref(schema);
        repo_free(r);
        return 0;
    }
    if (rc == 1) {
        /* Nothing to report is an answer, not an error: say how to start. */
        cli_report_nothing(r, a->target);
        records_log_free(&log);
        json_decref(schema);
        repo_free(r);
        return 0;
    }
    if (rc == 0 && strcmp(a->cmd, "report") == 0) {
        report_print(stdout, &log, a->target, gates, ngates);
        char *ms = mutrun_report_line(repo_workdir(r), a->target);
        printf("\nmutation score (make mutate TARGET=%s)\n  %s\n", a->target, ms ? ms : "(not measured yet)");
        free(ms);
        char *wt = a->wtroot ? fsx_fmt("%s/%s", a->wtroot, a->target) : fsx_fmt("%s/.worktrees/%s", repo_workdir(r), a->target);
        char *dir = fsx_fmt("%s/cores/%s/experiments", wt, a->target);
        char *runs = fsx_fmt("%s/runs/%s", repo_workdir(r), a->target);
        char *scratch = fsx_fmt("%s/.evo", runs);
        bool in_wt = dir && access(dir, W_OK) == 0;
        char *png = in_wt ? fsx_fmt("%s/progress.png", dir) : fsx_fmt("%s/progress.png", runs);
        char cerr[1024];
        if (fsx_mkdirs(scratch, 0755) == 0 && report_chart(&log, a->target, png, scratch, cerr, sizeof cerr) == 0)
            printf("\nchart: %s\n", png);
        else
            printf("\nchart: not written: %s\n", cerr);
        free(wt);
        free(dir);
        free(runs);
        free(scratch);
        free(png);
    } else if (rc == 0) {
        char *md = report_pr(r, &log, a->target, err, n);
        if (!md) {
            rc = -1;
        } else {
            fputs(md, stdout);
            char *path = a->out ? fsx_fmt("%s", a->out) : fsx_fmt("%s/runs/%s/PR.md", repo_workdir(r), a->target);
            char *dir = path ? strdup(path) : NULL;
            if (dir && strrchr(dir, '/'))
                *strrchr(dir, '/') = '\0';
            if (!path || !dir || fsx_mkdirs(dir, 0755) != 0 || fsx_write_atomic(path, md, strlen(md)) != 0) {
                snprintf(err, n, "cannot write %s: %s", path ? path : "PR.md", strerror(errno));
                rc = -1;
            } else {
                fprintf(stderr, "written to %s\n", path);
            }
            free(dir);
            free(path);
            free(md);
        }
    }
    if (rc == 0 || schema)
        records_log_free(&log);
    json_decref(schema);
    repo_free(r);
    return rc == 0 ? 0 : 1;
}

int cli_main(int argc, char **argv, const gate_def *gates, size_t ngates, bool check_tools)
{
    cli_args a;
    char err[CLI_ERR];
#ifdef M_ARENA_MAX
    /* One malloc arena for every thread: the loop's threads mostly wait on
     * children and git, but glibc gives each new slot thread an arena of its
     * own, and a long loop's resident memory grew about 470 KB a round in
     * `make soak` (30 rounds: 13.6 -> 27.4 MB); with one arena it grows
     * about 85 KB a round, the log it holds in memory. */
    mallopt(M_ARENA_MAX, 1);
#endif
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
        cli_usage(stdout);
        return 0;
    }
    /* What a Slurm job of the loop runs (orch/executor.h): the gate command
     * on this program's own gate table. */
    if (argc >= 2 && strcmp(argv[1], "gate") == 0)
        return gate_cli_main("evo gate", argc - 1, argv + 1, gates, ngates);
    if (cli_parse(argc, argv, &a, err, sizeof err) != 0) {
        fprintf(stderr, "evo: %s\n", err);
        cli_usage(stderr);
        return 2;
    }
    if (!a.repo)
        a.repo = ".";
    static const char *const cmds[] = {"loop", "next", "fork", "report", "pr", "workload", "clean", "list"};
    bool known = false;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        known = known || strcmp(a.cmd, cmds[i]) == 0;
    if (!known) {
        fprintf(stderr, "evo: unknown command '%s'\n", a.cmd);
        cli_usage(stderr);
        return 2;
    }
    git_libgit2_init();
    cli_signals_install();
    setvbuf(stdout, NULL, _IOLBF, 0);
    int rc = 0;
    if (strcmp(a.cmd, "list") == 0 || (strcmp(a.cmd, "loop") == 0 && !a.target)) {
        rc = tour_list(a.repo, stdout, err, sizeof err) == 0 ? 0 : 1;
        goto out;
    }
    if (records_core_name_check(a.target, err, sizeof err) != 0) {
        fprintf(stderr, "evo: --target %s\n", err);
        rc = 2;
        goto out;
    }
    if (a.base && !cli_base_name(a.base)) {
        fprintf(stderr, "evo: --base must name a directory under cores/ (lower case letters, digits, '_', '-'; "
                        "at most 64)\n");
        rc = 2;
        goto out;
    }
    if (strcmp(a.cmd, "report") == 0 || strcmp(a.cmd, "pr") == 0 || strcmp(a.cmd, "workload") == 0) {
        rc = cli_report(&a, gates, ngates, err, sizeof err);
        goto out;
    }
    if (strcmp(a.cmd, "clean") == 0) {
        rc = tour_clean(a.repo, a.target, stdout, err, sizeof err) == 0 ? 0 : 1;
        goto out;
    }
    if (strcmp(a.cmd, "fork") == 0 && !a.base) {
        fprintf(stderr, "evo: fork needs --base <core>\n");
        rc = 2;
        goto out;
    }
    int rounds = strcmp(a.cmd, "next") == 0 ? 1 : strcmp(a.cmd, "fork") == 0 ? 0 : (a.rounds < 0 ? 1 : a.rounds);
    tour_opts o = {.target = a.target, .base = a.base, .rounds = rounds, .slots = a.slots, .agent = a.agent,
                   .lut = a.lut, .coremark = a.coremark, .margin = a.margin, .remeasure = a.remeasure, .wtroot = a.wtroot,
                   .build = a.build, .gates = gates, .ngates = ngates, .cores = a.cores,
                   .agent_timeout = a.agent_timeout, .quick = a.quick != 0, .overlap = !a.no_overlap,
                   .cache = !a.no_cache, .check_tools = check_tools, .out = stdout,
                   .unconfined = a.confine && strcmp(a.confine, "off") == 0, .agent_net = a.agent_net != 0,
                   .strict_coverage = a.strict_coverage != 0,
                   .executor = a.executor, .partition = a.partition, .slurm_args = a.slurm_args,
                   .slurm_down_s = a.slurm_down, .parent_k = a.parent_k};
    char wtabs[PATH_MAX], babs[PATH_MAX];
    /* Relative directories are relative to where evo was started. */
    if (a.wtroot && a.wtroot[0] != '/' && getcwd(wtabs, sizeof wtabs)) {
        size_t l = strlen(wtabs);
        snprintf(wtabs + l, sizeof wtabs - l, "/%s", a.wtroot);
        o.wtroot = wtabs;
    }
    if (a.build && a.build[0] != '/' && getcwd(babs, sizeof babs)) {
        size_t l = strlen(babs);
        snprintf(babs + l, sizeof babs - l, "/%s", a.build);
        o.build = babs;
    }
    int tr = tour_run(a.repo, &o, err, sizeof err);
    rc = tr == 0 ? 0 : tr == 2 ? 130 : 1;
out:
    if (rc == 1 || rc == 130) {
        /* Errors quote diagnostics, which agents can fill. */
        char *safe = safetext_escape(err, strlen(err), true);
        fprintf(stderr, "evo %s: %s\n", a.cmd, safe ? safe : "(message dropped: out of memory)");
        free(safe);
    }
    git_libgit2_shutdown();
    return rc;
}
