/* fbmc.c — see fbmc.h. ABC's `cone -O n -s -a` keeps only output n (with its
 * sequential cone) but every primary input, so the witness that `write_cex -a`
 * prints lines up with the input numbering of all.aim for the replay. */
#include "formal/fbmc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsx.h"
#include "lib/proc.h"

/* Reads what this run wrote to its log (the file was emptied before the run). */
static void formal_bmc_parse(const char *log_path, int depth, formal_bmc_result *r)
{
    char *text;
    if (fsx_read(log_path, &text, NULL) != 0) {
        r->status = FORMAL_BMC_ERROR;
        snprintf(r->msg, sizeof r->msg, "cannot read the ABC log %s", log_path);
        return;
    }
    int frames = -1, cex = -1, last = -1;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int f, n;
        const char *p;
        if ((p = strstr(line, "was asserted in frame ")) && sscanf(p, "was asserted in frame %d", &f) == 1)
            cex = f;
        else if (sscanf(line, "No output asserted in %d frames", &n) == 1 ||
                 sscanf(line, "No output failed in %d frames", &n) == 1)
            frames = n;
        else if (sscanf(line, " %d + :", &f) == 1 || sscanf(line, " %d - :", &f) == 1)
            last = f;
    }
    free(text);
    if (cex >= 0) {
        r->status = FORMAL_BMC_CEX;
        r->frame = cex;
    } else if (frames >= depth) {
        r->status = FORMAL_BMC_SAFE;
        r->frame = frames - 1;
    } else {
        r->status = FORMAL_BMC_ERROR;
        r->frame = last;
        snprintf(r->msg, sizeof r->msg, "ABC reported neither a counterexample nor %d safe frames (see %s)",
                 depth, log_path);
    }
}

/* Clears r and empties the log a run appends to; -1 (r says why) when the
 * log cannot be created. */
static int formal_abc_begin(const char *log_path, formal_bmc_result *r)
{
    memset(r, 0, sizeof *r);
    r->frame = -1;
    if (fsx_write_atomic(log_path, "", 0) == 0)
        return 0;
    r->status = FORMAL_BMC_ERROR;
    snprintf(r->msg, sizeof r->msg, "cannot create %s: %s", log_path, strerror(errno));
    return -1;
}

/* Runs `yosys-abc -c script` (script is freed) through ex with its output
 * in log_path; FORMAL_ABC_NOMEM or FORMAL_ABC_INFRA (r says why) when it
 * could not run, else 0 when it exited with 0, -1 otherwise; r->seconds and
 * *pr filled. */
enum { FORMAL_ABC_NOMEM = -2, FORMAL_ABC_INFRA = -3 };
static int formal_abc_exec(char *script, double timeout_s, const char *log_path, const formal_exec *ex,
                           formal_bmc_result *r, proc_result *pr)
{
    if (!script) {
        r->status = FORMAL_BMC_ERROR;
        snprintf(r->msg, sizeof r->msg, "out of memory");
        return FORMAL_ABC_NOMEM;
    }
    const char *argv[] = {"yosys-abc", "-c", script, NULL};
    proc_spec spec = {.argv = argv, .log_path = log_path, .timeout_s = timeout_s, .group = ex ? ex->group : NULL};
    char why[sizeof r->msg];
    int rc = proc_launch(ex ? ex->launcher : NULL, ex && ex->label ? ex->label : "yosys-abc", &spec, pr, why,
                         sizeof why);
    free(script);
    r->seconds = pr->seconds;
    if (rc != 0) {
        r->status = FORMAL_BMC_ERROR;
        r->infra = 1;
        snprintf(r->msg, sizeof r->msg, "%s", why);
        return FORMAL_ABC_INFRA;
    }
    return proc_ok(pr) ? 0 : -1;
}

void formal_bmc_run(const char *aig, int out_index, int depth, double timeout_s, int bmcs,
                    const char *aiw_path, const char *log_path, const formal_exec *ex, formal_bmc_result *r)
{
    if (formal_abc_begin(log_path, r) != 0)
        return;
    remove(aiw_path);
    char *script = fsx_fmt("read_aiger %s; cone -O %d -s -a; strash; %s -F %d -v; write_cex -a %s",
                           aig, out_index, bmcs ? "&get; &bmcs" : "bmc3", depth, aiw_path);
    proc_result pr;
    int rc = formal_abc_exec(script, timeout_s, log_path, ex, r, &pr);
    if (rc == FORMAL_ABC_NOMEM || rc == FORMAL_ABC_INFRA)
        return;
    if (pr.timed_out || pr.cancelled) {
        formal_bmc_parse(log_path, depth, r);
        r->status = FORMAL_BMC_TIMEOUT;
        if (pr.cancelled)
            snprintf(r->msg, sizeof r->msg, "interrupted");
        return;
    }
    if (rc != 0) {
        char buf[200];
        r->status = FORMAL_BMC_ERROR;
        snprintf(r->msg, sizeof r->msg, "%s (log %s)", proc_describe(&pr, "yosys-abc", buf, sizeof buf), log_path);
        return;
    }
    formal_bmc_parse(log_path, depth, r);
}

/* The log of a run that ended by itself with status 0 (caller frees); NULL
 * with r set when it timed out (undecided: `undecided` says why), was
 * interrupted, failed or left no readable log. */
static char *formal_abc_output(int rc, const proc_result *pr, const char *log_path, const char *undecided,
                               formal_bmc_result *r)
{
    char buf[200];
    char *text = NULL;
    if (pr->timed_out || pr->cancelled) {
        r->status = FORMAL_BMC_TIMEOUT;
        snprintf(r->msg, sizeof r->msg, "%s", pr->cancelled ? "interrupted" : undecided);
    } else if (rc != 0) {
        r->status = FORMAL_BMC_ERROR;
        snprintf(r->msg, sizeof r->msg, "%s (log %s)", proc_describe(pr, "yosys-abc", buf, sizeof buf), log_path);
    } else if (fsx_read(log_path, &text, NULL) != 0) {
        r->status = FORMAL_BMC_ERROR;
        snprintf(r->msg, sizeof r->msg, "cannot read the ABC log %s", log_path);
        text = NULL;
    }
    return text;
}

void formal_bmc_sweep(const char *aig, int out_index, int depth, double timeout_s,
                      const char *log_path, const formal_exec *ex, formal_bmc_result *r)
{
    if (formal_abc_begin(log_path, r) != 0)
        return;
    /* scleanup drops the logic outside the output's cone before unrolling;
     * frames -i starts from the initial state. */
    char *script = fsx_fmt("read_aiger %s; cone -O %d -s; strash; scleanup; frames -F %d -i; strash; "
                           "orpos; strash; print_stats; iprove -v", aig, out_index, depth);
    proc_result pr;
    int rc = formal_abc_exec(script, timeout_s, log_path, ex, r, &pr);
    if (rc == FORMAL_ABC_NOMEM || rc == FORMAL_ABC_INFRA)
        return;
    char *text = formal_abc_output(rc, &pr, log_path, "", r);
    if (!text) {
        /* r says why */
    } else if (strstr(text, "UNSATISFIABLE")) {
        r->status = FORMAL_BMC_SAFE;
        r->frame = depth - 1;
    } else if (strstr(text, "SATISFIABLE")) {
        r->status = FORMAL_BMC_CEX;
    } else {
        /* iprove gives up without a verdict when its resource limits run out. */
        r->status = FORMAL_BMC_TIMEOUT;
        snprintf(r->msg, sizeof r->msg, "iprove ended undecided (see %s)", log_path);
    }
    free(text);
}

void formal_pdr_run(const char *aig, int out_index, double timeout_s, const char *aiw_path, const char *log_path,
                    const formal_exec *ex, formal_bmc_result *r)
{
    if (formal_abc_begin(log_path, r) != 0)
        return;
    remove(aiw_path);
    int abc_limit = timeout_s > 2 ? (int)timeout_s - 1 : 1;
    char *script = fsx_fmt("read_aiger %s; cone -O %d -s -a; strash; pdr -v -T %d; write_cex -a %s", aig, out_index,
                           abc_limit, aiw_path);
    proc_result pr;
    int rc = formal_abc_exec(script, timeout_s + 2, log_path, ex, r, &pr);
    if (rc == FORMAL_ABC_NOMEM || rc == FORMAL_ABC_INFRA)
        return;
    char *text = formal_abc_output(rc, &pr, log_path, "pdr did not converge", r);
    const char *p;
    int f;
    if (!text) {
        /* r says why */
    } else if (strstr(text, "Property proved")) {
        r->status = FORMAL_BMC_SAFE;
    } else if ((p = strstr(text, "was asserted in frame ")) && sscanf(p, "was asserted in frame %d", &f) == 1) {
        r->status = FORMAL_BMC_CEX;
        r->frame = f;
    } else {
        /* pdr stops undecided at its own time limit. */
        r->status = FORMAL_BMC_TIMEOUT;
        snprintf(r->msg, sizeof r->msg, "pdr did not converge (see %s)", log_path);
    }
    free(text);
}

/* Number of latches in the AIGER map (the witness's first line sets them). */
static int formal_bmc_latches(const char *aim_path)
{
    char *text;
    if (fsx_read(aim_path, &text, NULL) != 0)
        return -1;
    int max = -1;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int idx;
        if (sscanf(line, "latch %d", &idx) == 1 && idx > max)
            max = idx;
    }
    free(text);
    return max + 1;
}

/* ABC writes the witness header-less, with "# DONE" glued to the last input
 * line and its own latch count on the first line. yosys `sim` wants one line
 * per frame, the design's latch count (all latches start at 0: the AIGER was
 * written with -zinit) and a closing ".". */
static int formal_bmc_fix_witness(const char *aiw_path, int latches)
{
    char *text;
    if (fsx_read(aiw_path, &text, NULL) != 0)
        return -1;
    size_t cap = strlen(text) + (size_t)latches + 16, n = 0;
    char *out = malloc(cap);
    if (!out) {
        free(text);
        return -1;
    }
    int first = 1;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        line[strspn(line, "01x")] = '\0';
        if (!*line)
            continue;
        if (first) {
            memset(out, '0', (size_t)latches);
            n = (size_t)latches;
            out[n++] = '\n';
            first = 0;
            continue;
        }
        size_t len = strlen(line);
        memcpy(out + n, line, len);
        n += len;
        out[n++] = '\n';
    }
    memcpy(out + n, ".\n", 2);
    n += 2;
    int rc = first ? -1 : fsx_write_atomic(aiw_path, out, n);
    free(out);
    free(text);
    return rc;
}

/* Collects the distinct names of failing assertions under prefix. */
static void formal_bmc_fields(const char *log_path, const char *prefix, char *fields, size_t len)
{
    fields[0] = '\0';
    char *text;
    if (fsx_read(log_path, &text, NULL) != 0)
        return;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        const char *p = strstr(line, "Assert ");
        if (!p || !strstr(line, "failed"))
            continue;
        p += strlen("Assert ");
        if (strncmp(p, "formal_top.", 11) == 0)
            p += 11;
        char name[128];
        size_t n = strcspn(p, " ");
        if (n == 0 || n >= sizeof name || strncmp(p, prefix, strlen(prefix)) != 0)
            continue;
        memcpy(name, p, n);
        name[n] = '\0';
        if (strstr(fields, name))
            continue;
        size_t used = strlen(fields);
        snprintf(fields + used, len - used, "%s%s", used ? "," : "", name);
    }
    free(text);
}

int formal_bmc_replay(const char *workdir, const char *aiw_path, const char *vcd_path,
                      const char *prefix, const char *log_path, double timeout_s, const formal_exec *ex,
                      char *fields, size_t fields_len, char *err, size_t errlen)
{
    fields[0] = '\0';
    char *aim = fsx_fmt("%s/all.aim", workdir);
    char *script = NULL;
    int rc = -1;
    int latches = aim ? formal_bmc_latches(aim) : -1;
    if (latches < 0 || formal_bmc_fix_witness(aiw_path, latches) != 0) {
        snprintf(err, errlen, "cannot read the witness %s or the map %s", aiw_path, aim ? aim : "all.aim");
        goto out;
    }
    script = fsx_fmt("read_rtlil %s/shared.il; sim -clock clock -r %s -map %s -vcd %s",
                     workdir, aiw_path, aim, vcd_path);
    if (!script || fsx_write_atomic(log_path, "", 0) != 0) {
        snprintf(err, errlen, "cannot create %s", log_path);
        goto out;
    }
    const char *argv[] = {"yosys", "-p", script, NULL};
    proc_spec spec = {.argv = argv, .log_path = log_path, .timeout_s = timeout_s, .group = ex ? ex->group : NULL};
    proc_result pr;
    char why[600];
    if (proc_launch(ex ? ex->launcher : NULL, ex && ex->label ? ex->label : "replay", &spec, &pr, why,
                    sizeof why) != 0) {
        snprintf(err, errlen, "replay could not run: %s", why);
        goto out;
    }
    if (!proc_ok(&pr)) {
        char buf[200];
        snprintf(err, errlen, "replay failed: %s (log %s)", proc_describe(&pr, "yosys", buf, sizeof buf), log_path);
        goto out;
    }
    formal_bmc_fields(log_path, prefix, fields, fields_len);
    rc = 0;
out:
    free(aim);
    free(script);
    return rc;
}
