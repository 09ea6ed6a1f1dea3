/* report.c — see report.h. */
#include "orch/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/safetext.h"
#include "records/covgap.h"
#include "lib/strbuf.h"

static const char *report_s(const json_t *e, const char *k)
{
    const char *s = json_string_value(json_object_get(e, k));
    return s ? s : "";
}

static double report_num(const json_t *e, const char *k)
{
    const json_t *v = json_object_get(e, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double report_fmax(const json_t *e)
{
    return report_num(json_object_get(e, "fmax_mhz"), "median");
}

/* The entry's title, escaped: it is agent-written and goes to a terminal. */
static void report_title(const json_t *e, char *buf, size_t n)
{
    const json_t *t = json_object_get(json_object_get(e, "hypothesis"), "title");
    if (!json_is_string(t)) {
        snprintf(buf, n, "%s", json_integer_value(json_object_get(e, "round")) == 0 ? "first measurement"
                                                                                   : "(no hypothesis)");
        return;
    }
    char *safe = safetext_escape(json_string_value(t), json_string_length(t), false);
    snprintf(buf, n, "%s", safe ? safe : "?");
    free(safe);
}

static void report_fig(char *buf, size_t n, double v, const char *fmt)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, fmt, v);
}

static const char *const report_outcomes[] = {"improvement", "regression", "broken", "placement_failed"};

/* One row of the time-per-gate table. */
static void report_gate_time(FILE *out, json_t *tot, json_t *cnt, const char *name)
{
    json_t *t = json_object_get(tot, name);
    if (!t)
        return;
    long long c = (long long)json_integer_value(json_object_get(cnt, name));
    fprintf(out, "  %-17s %10.1f %9.2f %6lld\n", name, json_number_value(t),
            c ? json_number_value(t) / (double)c : 0.0, c);
}

/* The champion's cells by instance, one line each. */
static void report_cells(FILE *out, const json_t *champ)
{
    const json_t *by = json_object_get(champ, "cells_by_instance");
    size_t i;
    const json_t *v;
    if (json_array_size(by) > 0)
        fprintf(out, "\nchampion's cells by instance (synthesis)\n  %-28s %7s %7s %7s %7s\n", "instance", "cells", "LUT4",
                "FF", "carry");
    json_array_foreach(by, i, v) fprintf(out, "  %-28s %7lld %7lld %7lld %7lld\n", report_s(v, "instance"),
                                         (long long)json_integer_value(json_object_get(v, "cells")),
                                         (long long)json_integer_value(json_object_get(v, "lut")),
                                         (long long)json_integer_value(json_object_get(v, "ff")),
                                         (long long)json_integer_value(json_object_get(v, "carry")));
}

/* Which of the champion's formal checks hold for every cycle (the rest hold
 * to their depth); nothing for an entry measured before the gate said. */
static void report_unbounded(FILE *out, const json_t *champ)
{
    const json_t *ub = json_object_get(champ, "formal_unbounded");
    if (!json_is_array(ub))
        return;
    fprintf(out, "\nchampion's formal checks proved for every cycle (pdr): ");
    size_t i;
    const json_t *v;
    json_array_foreach(ub, i, v) fprintf(out, "%s%s", i ? ", " : "", json_string_value(v));
    fprintf(out, "%s\n  the others hold to their bounded depth\n", json_array_size(ub) ? "" : "none");
}

/* Every passing entry's per-workload figures, each against the champion it
 * was judged against, so that a win on the set that lost on one workload
 * (an overfit) shows; nothing for a log measured on single workloads. */
static void report_workloads(FILE *out, const records_log *log)
{
    bool head = false;
    for (size_t i = 0; i < log->n; i++) {
        const json_t *e = log->v[i];
        const char *o = report_s(e, "outcome");
        if (strcmp(o, "improvement") != 0 && strcmp(o, "regression") != 0)
            continue;
        bool loses = false;
        char *per = records_workloads_text(e, records_judged_against(log, e), &loses);
        if (!per)
            continue;
        if (!head)
            fprintf(out, "\nper-workload fitness (against the champion each entry was judged against)\n");
        head = true;
        char delta[32];
        records_delta_str(e, delta, sizeof delta);
        bool beats = report_num(e, "delta_pct") > 0;
        fprintf(out, "  %-24s %-11s %7s  %s [%s]%s\n", report_s(e, "id"), o, delta, per, report_s(e, "workload"),
                beats && loses ? "  <- loses on a workload" : "");
        free(per);
    }
}

/* The P&R noise measured on the core and the winners placed again for it
 * (orch/remeasure.h). */
static void report_noise(FILE *out, const records_log *log)
{
    int n = 0;
    double noise = records_noise_pct(log, NULL, &n);
    if (noise < 0)
        return;
    fprintf(out, "\nplace-and-route noise: median seed spread %.1f%% over %d entries\n", noise, n);
    for (size_t i = 0; i < log->n; i++) {
        const json_t *rm = json_object_get(log->v[i], "remeasure");
        if (json_is_object(rm))
            fprintf(out, "  re-measured %s: fitness %.1f on 3 seeds -> %.1f on %zu (gain under %.1f%%): %s\n",
                    report_s(log->v[i], "id"), json_number_value(json_object_get(rm, "fitness_before")),
                    json_number_value(json_object_get(rm, "fitness_after")),
                    json_array_size(json_object_get(json_object_get(log->v[i], "fmax_mhz"), "seeds")),
                    json_number_value(json_object_get(rm, "threshold_pct")), report_s(log->v[i], "outcome"));
    }
}

/* The champion's coverage figure, then every entry whose changed lines no
 * cosim program exercised, with those lines (records/covgap.h). */
static void report_coverage(FILE *out, const records_log *log)
{
    const json_t *champ = records_champion(log);
    char *t = covgap_text(json_object_get(champ, "coverage"), "  ");
    if (t)
        fprintf(out, "\nchampion's cosim coverage (%s)\n%s", report_s(champ, "id"), t);
    free(t);
    bool any = false;
    for (size_t i = 0; i < log->n; i++) {
        const json_t *c = json_object_get(log->v[i], "coverage");
        if (!json_array_size(json_object_get(c, "unexercised")))
            continue;
        if (!any)
            fprintf(out, "\nchanged RTL lines no cosim program exercised\n");
        any = true;
        char *u = covgap_text(c, "    ");
        const char *nl = u ? strchr(u, '\n') : NULL; /* the figure line is the champion's business */
        fprintf(out, "  %s (%s%s%s)\n%s", report_s(log->v[i], "id"), report_s(log->v[i], "outcome"),
                json_string_value(json_object_get(log->v[i], "failed_gate")) ? ": " : "",
                json_string_value(json_object_get(log->v[i], "failed_gate"))
                    ? json_string_value(json_object_get(log->v[i], "failed_gate")) : "",
                nl ? nl + 1 : "");
        free(u);
    }
}

void report_print(FILE *out, const records_log *log, const char *target, const gate_def *gates, size_t ngates)
{
    fprintf(out, "core %s: %zu log entries\n\n", target, log->n);
    fprintf(out, "champion path\n");
    fprintf(out, "  %-24s %5s %12s %8s %9s %8s %7s  %s\n", "id", "round", "fitness", "delta", "Fmax MHz",
            "CM/MHz", "LCs", "title");
    double prev = NAN;
    for (size_t i = 0; i < log->n; i++) {
        const json_t *e = log->v[i];
        if (strcmp(report_s(e, "outcome"), "improvement") != 0)
            continue;
        double f = report_num(e, "fitness");
        char fit[32], delta[32], fm[32], cm[32], lc[32];
        report_fig(fit, sizeof fit, f, "%.1f");
        report_fig(delta, sizeof delta, !isnan(prev) && prev > 0 ? (f - prev) / prev * 100.0 : NAN, "%+.1f%%");
        report_fig(fm, sizeof fm, report_fmax(e), "%.2f");
        report_fig(cm, sizeof cm, report_num(e, "coremark_per_mhz"), "%.3f");
        report_fig(lc, sizeof lc, report_num(e, "lut"), "%.0f");
        char title[512];
        report_title(e, title, sizeof title);
        fprintf(out, "  %-24s %5lld %12s %8s %9s %8s %7s  %s\n", report_s(e, "id"),
                (long long)json_integer_value(json_object_get(e, "round")), fit, delta, fm, cm, lc, title);
        /* PARENT=topk: a winner that grew from another design than the
         * previous champion says which. */
        const char *pid = json_string_value(json_object_get(e, "parent_id"));
        if (pid)
            fprintf(out, "  %-24s parent: %s (not the previous champion)\n", "", pid);
        char *per = records_workloads_text(e, records_judged_against(log, e), NULL);
        if (per)
            fprintf(out, "  %-24s per workload: %s\n", "", per);
        free(per);
        prev = f;
    }
    if (isnan(prev))
        fprintf(out, "  (no champion yet)\n");
    char *cp = records_critical_path_text(records_champion(log));
    if (cp)
        fprintf(out, "\nchampion's critical path\n  %s\n", cp);
    free(cp);
    char *cpi = records_cpi_text(records_champion(log));
    if (cpi)
        fprintf(out, "\nwhere the champion's cycles go (fitness run, standard stalls)\n  %s\n", cpi);
    free(cpi);
    report_cells(out, records_champion(log));
    report_unbounded(out, records_champion(log));
    report_coverage(out, log);
    report_workloads(out, log);
    report_noise(out, log);

    fprintf(out, "\noutcomes\n");
    for (size_t k = 0; k < 4; k++) {
        size_t c = 0;
        for (size_t i = 0; i < log->n; i++)
            c += strcmp(report_s(log->v[i], "outcome"), report_outcomes[k]) == 0;
        fprintf(out, "  %-17s %5zu\n", report_outcomes[k], c);
    }

    fprintf(out, "\nfailures by gate\n");
    json_t *fails = json_object();
    for (size_t i = 0; i < log->n; i++) {
        const char *g = json_string_value(json_object_get(log->v[i], "failed_gate"));
        if (g)
            json_object_set_new(fails, g, json_integer(json_integer_value(json_object_get(fails, g)) + 1));
    }
    const char *key;
    json_t *val;
    if (json_object_size(fails) == 0)
        fprintf(out, "  (none)\n");
    json_object_foreach(fails, key, val)
        fprintf(out, "  %-17s %5lld\n", key, (long long)json_integer_value(val));
    json_decref(fails);

    fprintf(out, "\ntime per gate\n  %-17s %10s %9s %6s\n", "gate", "total s", "mean s", "runs");
    json_t *tot = json_object(), *cnt = json_object();
    for (size_t i = 0; i < log->n; i++) {
        json_object_foreach(json_object_get(log->v[i], "gate_seconds"), key, val) {
            json_object_set_new(tot, key, json_real(json_number_value(json_object_get(tot, key)) + json_number_value(val)));
            json_object_set_new(cnt, key, json_integer(json_integer_value(json_object_get(cnt, key)) + 1));
        }
    }
    /* The loop's own steps, then the gates in verdict order. */
    static const char *const steps[] = {"agent", "hypothesis", "sandbox"};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
        report_gate_time(out, tot, cnt, steps[k]);
    for (size_t k = 0; k < ngates; k++)
        report_gate_time(out, tot, cnt, gates[k].name);
    json_decref(tot);
    json_decref(cnt);
}

/* ---- chart --------------------------------------------------------------- */

static int report_gnuplot(const char *script, const char *log, char *err, size_t n)
{
    const char *argv[] = {"gnuplot", script, NULL};
    proc_spec spec = {.argv = argv, .log_path = log, .timeout_s = 60};
    proc_result res;
    if (proc_run(&spec, &res) == 0)
        return 0;
    char why[256];
    proc_describe(&res, "gnuplot", why, sizeof why);
    char *tail = fsx_tail(log, 400);
    snprintf(err, n, "%s%s%s", why, tail && *tail ? ": " : "", tail ? tail : "");
    free(tail);
    return -1;
}

int report_chart(const records_log *log, const char *target, const char *png_path,
                 const char *scratch_dir, char *err, size_t n)
{
    if (log->n == 0) {
        snprintf(err, n, "no log entries to plot");
        return -1;
    }
    if (!proc_have_tool("gnuplot")) {
        snprintf(err, n, "gnuplot not found: install gnuplot-nox (bash tools/setup.sh)");
        return -1;
    }
    if (fsx_mkdirs(scratch_dir, 0755) != 0) {
        snprintf(err, n, "cannot create %s: %s", scratch_dir, strerror(errno));
        return -1;
    }
    char *data = fsx_fmt("%s/chart-%ld.dat", scratch_dir, (long)getpid());
    char *champ = fsx_fmt("%s/chart-%ld.champ", scratch_dir, (long)getpid());
    char *script = fsx_fmt("%s/chart-%ld.gp", scratch_dir, (long)getpid());
    char *glog = fsx_fmt("%s/chart-%ld.log", scratch_dir, (long)getpid());
    strbuf d = {0}, c = {0};
    double best = NAN;
    int last_round = -1;
    for (size_t i = 0; i < log->n; i++) {
        const json_t *e = log->v[i];
        int round = (int)json_integer_value(json_object_get(e, "round"));
        int slot = (int)json_integer_value(json_object_get(e, "slot"));
        double f = report_num(e, "fitness");
        int code = 2;
        for (int k = 0; k < 4; k++)
            if (strcmp(report_s(e, "outcome"), report_outcomes[k]) == 0)
                code = k;
        /* Slots of one round side by side; unmeasured ones on the axis. */
        strbuf_addf(&d, "%.3f %.6g %d\n", round + (slot > 0 ? (slot - 1) * 0.08 : 0.0), isnan(f) ? 0.0 : f, code);
        if (code == 0)
            best = f;
        if (!isnan(best))
            strbuf_addf(&c, "%d %.6g\n", round, best);
        last_round = round;
    }
    if (!isnan(best))
        strbuf_addf(&c, "%.2f %.6g\n", last_round + 0.5, best);
    char *dtext = strbuf_take(&d), *ctext = strbuf_take(&c);
    int rc = -1;
    if (!data || !champ || !script || !glog || !dtext || !ctext ||
        fsx_write_atomic(data, dtext, strlen(dtext)) != 0 || fsx_write_atomic(champ, ctext, strlen(ctext)) != 0) {
        snprintf(err, n, "cannot write the chart data under %s: %s", scratch_dir, strerror(errno));
        goto out;
    }
    static const char *const terms[] = {"pngcairo size 1000,560 font ',10'", "png size 1000,560"};
    for (size_t t = 0; t < 2 && rc != 0; t++) {
        char *gp = fsx_fmt(
            "set terminal %s\nset output '%s'\n"
            "set title 'core %s: fitness by round'\nset xlabel 'round'\n"
            "set ylabel 'fitness (CoreMark iterations/s)'\nset grid\nset key outside right top\n"
            "set yrange [0:*]\nset xrange [-0.5:*]\nset xtics 1\nset mxtics 1\n"
            "plot '%s' using 1:($3==0?$2:1/0) with points pt 7 ps 1.2 lc rgb '#2ca02c' title 'improvement', \\\n"
            "     '%s' using 1:($3==1?$2:1/0) with points pt 7 ps 1.0 lc rgb '#ff7f0e' title 'regression', \\\n"
            "     '%s' using 1:($3==2?$2:1/0) with points pt 2 ps 1.2 lc rgb '#d62728' title 'broken', \\\n"
            "     '%s' using 1:($3==3?$2:1/0) with points pt 6 ps 1.2 lc rgb '#9467bd' title 'placement failed', \\\n"
            "     '%s' using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'champion'\n",
            terms[t], png_path, target, data, data, data, data, champ);
        if (!gp || fsx_write_atomic(script, gp, strlen(gp)) != 0) {
            snprintf(err, n, "cannot write %s", script);
            free(gp);
            break;
        }
        free(gp);
        unlink(glog);
        rc = report_gnuplot(script, glog, err, n);
    }
out:
    if (data)
        unlink(data);
    if (champ)
        unlink(champ);
    if (script)
        unlink(script);
    if (glog)
        unlink(glog);
    free(dtext);
    free(ctext);
    free(data);
    free(champ);
    free(script);
    free(glog);
    return rc;
}

/* ---- pull request -------------------------------------------------------- */

static void report_pr_figures(strbuf *b, const json_t *a, const json_t *z)
{
    static const struct {
        const char *label, *key, *fmt;
        bool fmax;
    } rows[] = {{"fitness (iterations/s)", "fitness", "%.1f", false},
                {"Fmax (MHz, median of seeds)", NULL, "%.2f", true},
                {"CoreMark/MHz", "coremark_per_mhz", "%.3f", false},
                {"cycles", "cycles", "%.0f", false},
                {"logic cells", "lut", "%.0f", false},
                {"flip-flops", "ff", "%.0f", false}};
    strbuf_addf(b, "| | start (`%s`) | now (`%s`) | change |\n|---|---:|---:|---:|\n", report_s(a, "id"),
                report_s(z, "id"));
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double va = rows[i].fmax ? report_fmax(a) : report_num(a, rows[i].key);
        double vz = rows[i].fmax ? report_fmax(z) : report_num(z, rows[i].key);
        char sa[32], sz[32], sd[32];
        report_fig(sa, sizeof sa, va, rows[i].fmt);
        report_fig(sz, sizeof sz, vz, rows[i].fmt);
        report_fig(sd, sizeof sd, va > 0 && !isnan(vz) ? (vz - va) / va * 100.0 : NAN, "%+.1f%%");
        strbuf_addf(b, "| %s | %s | %s | %s |\n", rows[i].label, sa, sz, sd);
    }
}

static int report_pr_diff(strbuf *b, repo *r, const git_oid *base, const git_oid *tip)
{
    git_repository *g = repo_git(r);
    git_commit *cb = NULL, *ct = NULL;
    git_tree *tb = NULL, *tt = NULL;
    git_diff *diff = NULL;
    int rc = -1;
    if (git_commit_lookup(&cb, g, base) || git_commit_lookup(&ct, g, tip) || git_commit_tree(&tb, cb) ||
        git_commit_tree(&tt, ct) || git_diff_tree_to_tree(&diff, g, tb, tt, NULL))
        goto out;
    git_diff_find_options fo;
    git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
    fo.flags = GIT_DIFF_FIND_RENAMES;
    git_diff_find_similar(diff, &fo);
    size_t nd = git_diff_num_deltas(diff);
    strbuf_addf(b, "| file | change | + | - |\n|---|---|---:|---:|\n");
    for (size_t i = 0; i < nd; i++) {
        git_patch *p = NULL;
        size_t add = 0, del = 0;
        if (git_patch_from_diff(&p, diff, i) == 0 && p)
            git_patch_line_stats(NULL, &add, &del, p);
        git_patch_free(p);
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        strbuf_addf(b, "| `%s` | %c | %zu | %zu |\n", d->new_file.path, git_diff_status_char(d->status), add, del);
    }
    rc = 0;
out:
    git_diff_free(diff);
    git_tree_free(tb);
    git_tree_free(tt);
    git_commit_free(cb);
    git_commit_free(ct);
    return rc;
}

static void report_pr_commits(strbuf *b, repo *r, const git_oid *tip, const git_oid *main_tip)
{
    git_revwalk *w = NULL;
    if (git_revwalk_new(&w, repo_git(r)) != 0)
        return;
    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    git_revwalk_simplify_first_parent(w);
    git_revwalk_push(w, tip);
    git_revwalk_hide(w, main_tip);
    git_oid id;
    size_t shown = 0, total = 0;
    while (git_revwalk_next(&id, w) == 0) {
        total++;
        char *s = repo_commit_summary(r, &id);
        /* The log commits are bookkeeping; the design commits are the story. */
        if (s && strncmp(s, "log: ", 5) != 0 && shown < 100) {
            char sh[12];
            repo_short(&id, sh);
            strbuf_addf(b, "- `%s` %s\n", sh, s);
            shown++;
        }
        free(s);
    }
    strbuf_addf(b, "\n(%zu commits on the branch in all, %zu of them bookkeeping `log:` commits.)\n", total,
                total - shown);
    git_revwalk_free(w);
}

char *report_pr(repo *r, const records_log *log, const char *target, char *err, size_t n)
{
    char *branch = fsx_fmt("core-%s", target);
    git_oid tip, main_tip, base;
    int trc = repo_tip(r, branch, &tip, err, n);
    if (trc == 1)
        snprintf(err, n, "there is no branch %s: run make loop TARGET=%s first", branch, target);
    if (trc != 0 || repo_tip(r, "main", &main_tip, err, n) != 0) {
        free(branch);
        return NULL;
    }
    if (git_merge_base(&base, repo_git(r), &tip, &main_tip) != 0) {
        snprintf(err, n, "%s and main have no common history", branch);
        free(branch);
        return NULL;
    }
    const json_t *first = NULL, *last = NULL;
    size_t counts[4] = {0, 0, 0, 0}, accepted = 0;
    for (size_t i = 0; i < log->n; i++) {
        const json_t *e = log->v[i];
        for (int k = 0; k < 4; k++)
            counts[k] += strcmp(report_s(e, "outcome"), report_outcomes[k]) == 0;
        if (strcmp(report_s(e, "outcome"), "improvement") == 0) {
            if (!first)
                first = e;
            else
                accepted++;
            last = e;
        }
    }
    strbuf b = {0};
    double f0 = first ? report_num(first, "fitness") : NAN, f1 = last ? report_num(last, "fitness") : NAN;
    if (first && f0 > 0)
        strbuf_addf(&b, "# %s: %zu accepted change%s, fitness %.1f -> %.1f it/s (%+.1f%%)\n\n", branch, accepted,
                    accepted == 1 ? "" : "s", f0, f1, (f1 - f0) / f0 * 100.0);
    else
        strbuf_addf(&b, "# %s: %zu accepted change%s\n\n", branch, accepted, accepted == 1 ? "" : "s");
    strbuf_addf(&b, "Evolution of core `%s` by the evo loop. Review with `git diff main...%s`; every design "
                    "commit passed lint, synthesis, formal RVFI checks, lockstep co-simulation, place and "
                    "route and the CoreMark measurement before it was merged.\n\n",
                target, branch);
    if (first && last) {
        strbuf_add(&b, "## Result\n\n");
        report_pr_figures(&b, first, last);
    }
    strbuf_add(&b, "\n## Accepted changes\n\n| id | round | title | fitness | delta |\n|---|---:|---|---:|---:|\n");
    for (size_t i = 0; i < log->n; i++) {
        const json_t *e = log->v[i];
        if (strcmp(report_s(e, "outcome"), "improvement") != 0)
            continue;
        char fit[32], delta[32];
        report_fig(fit, sizeof fit, report_num(e, "fitness"), "%.1f");
        report_fig(delta, sizeof delta, report_num(e, "delta_pct"), "%+.1f%%");
        char title[512];
        report_title(e, title, sizeof title);
        const char *pid = json_string_value(json_object_get(e, "parent_id"));
        strbuf_addf(&b, "| `%s` | %lld | %s%s%s%s | %s | %s |\n", report_s(e, "id"),
                    (long long)json_integer_value(json_object_get(e, "round")), title,
                    pid ? " (from the design of `" : "", pid ? pid : "", pid ? "`)" : "", fit, delta);
    }
    strbuf_addf(&b, "\n## Experiments\n\n%zu slots: %zu improvements, %zu regressions, %zu broken, %zu "
                    "placement failed. The full record is `cores/%s/experiments/log.jsonl`; the chart is "
                    "`cores/%s/experiments/progress.png`.\n",
                log->n, counts[0], counts[1], counts[2], counts[3], target, target);
    strbuf_add(&b, "\n## Files changed since main\n\n");
    if (report_pr_diff(&b, r, &base, &tip) != 0)
        strbuf_add(&b, "(diff unavailable)\n");
    strbuf_add(&b, "\n## Design commits\n\n");
    report_pr_commits(&b, r, &tip, &main_tip);
    free(branch);
    /* Commit subjects and paths come from the branch, which agents fed:
     * the summary is printed and pasted, so nothing in it may be a control
     * character. */
    char *raw = strbuf_take(&b);
    char *text = raw ? safetext_escape(raw, strlen(raw), true) : NULL;
    free(raw);
    if (!text)
        snprintf(err, n, "out of memory");
    return text;
}
