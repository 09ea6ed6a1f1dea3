/* fnet.c — see fnet.h. The yosys flow is the bit-level one measured in
 * DESIGN.md §3: everything is bit-blasted once, here, and each check then only
 * selects its output inside ABC, so preparing the netlist is paid once per run. */
#include "formal/fnet.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dirlist.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "lib/strv.h"

/* Sorted paths of dir's files ending in one of the suffixes (NULL-terminated
 * list); -2 with *bad set for a name that cannot go into a Yosys script. */
static int formal_list_sources(const char *dir, const char *const *suffixes, strv *out, char **bad)
{
    char **names;
    int n = dirlist_files(dir, suffixes, &names, bad);
    for (int i = 0; i < n; i++)
        if (strv_push(out, fsx_fmt("%s/%s", dir, names[i])) != 0) {
            dirlist_free(names);
            return -1;
        }
    dirlist_free(names);
    return n < 0 ? n : 0;
}

/* Appends " path" for each entry; returns the new buffer (or NULL). */
static char *formal_join(char *acc, const strv *files)
{
    for (size_t i = 0; acc && i < files->n; i++) {
        char *next = fsx_fmt("%s %s", acc, files->v[i]);
        free(acc);
        acc = next;
    }
    return acc;
}

/* The last yosys "ERROR:" line at the end of log (e.g. the RTL file and line
 * of a syntax error) into out, or "" when there is none. */
static void formal_net_error_line(const char *log, char *out, size_t n)
{
    out[0] = '\0';
    char *tail = fsx_tail(log, 8192);
    if (!tail)
        return;
    for (char *save = NULL, *line = strtok_r(tail, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (strstr(line, "ERROR:"))
            snprintf(out, n, "%s", line);
    free(tail);
}

/* " -chparam K V" for each K=V of params. */
static char *formal_net_chparams(const formal_net_opts *o)
{
    char *acc = fsx_fmt("%s", "");
    char *list = fsx_fmt("%s", o->params ? o->params : "");
    for (char *save = NULL, *kv = list ? strtok_r(list, ",", &save) : NULL; acc && kv;
         kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *next = fsx_fmt("%s -chparam %s %s", acc, kv, eq + 1);
        free(acc);
        acc = next;
    }
    free(list);
    return acc;
}

/* The yosys script. Why each step: async2sync/dffunmap give plain D flip-flops
 * for the AIGER writer; memory_map turns register-file arrays into flip-flops;
 * setundef -anyseq makes undriven nets free inputs; abc -g AND yields the AIG
 * (and does the gate-level clean-up itself: a yosys opt pass over the
 * bit-blasted netlist measured slower for no gain in proof time).
 * shared.il is written before the f_* assertions are removed so that a replay
 * can name the broken field; all.aig is written without them, so the only
 * properties are formal_top's outputs. -nodpi: Yosys would otherwise resolve
 * a DPI import and call it while evaluating constants (the sandbox refuses
 * DPI; this holds even if something slipped past it). */
static char *formal_net_script(const formal_net_opts *o, const strv *chk, const strv *rtl)
{
    char *chk_files = formal_join(fsx_fmt("%s", ""), chk);
    char *rtl_files = formal_join(fsx_fmt("%s", ""), rtl);
    char *chparams = formal_net_chparams(o);
    char *s = NULL;
    if (chk_files && rtl_files && chparams)
        s = fsx_fmt("read_verilog -sv -formal -nodpi -I%s/formal%s\n"
                    "read_verilog -sv -nodpi -I%s%s\n"
                    "hierarchy -check -top formal_top%s\n"
                    "prep -top formal_top\n"
                    "flatten\n"
                    "async2sync\n"
                    "chformal -remove -cover\n"
                    "memory_map\n"
                    "opt -fast\n"
                    "techmap\n"
                    "opt_clean\n"
                    "setundef -undriven -anyseq\n"
                    "dffunmap\n"
                    "abc -g AND -fast\n"
                    "opt_clean\n"
                    "stat\n"
                    "write_rtlil %s/shared.il\n"
                    "chformal -remove\n"
                    "write_aiger -zinit -map %s/all.aim %s/all.aig\n"
                    "delete t:*\n"
                    "opt_clean -purge\n"
                    "write_json %s/ports.json\n",
                    o->harness, chk_files, o->rtl_dir, rtl_files, chparams,
                    o->workdir, o->workdir, o->workdir, o->workdir);
    free(chk_files);
    free(rtl_files);
    free(chparams);
    return s;
}

int formal_net_prepare(const formal_net_opts *o, double *seconds, char *err, size_t errlen)
{
    static const char *const sv_only[] = {".sv", NULL};
    static const char *const hdl[] = {".sv", ".v", NULL};
    strv chk = {0}, rtl = {0};
    int rc = -1;
    char *fdir = fsx_fmt("%s/formal", o->harness);
    char *script_path = fsx_fmt("%s/prep.ys", o->workdir);
    char *script = NULL, *cwd = NULL;
    *seconds = 0;
    if (!fdir || !script_path) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    char *bad = NULL;
    if (formal_list_sources(fdir, sv_only, &chk, &bad) != 0 || chk.n == 0) {
        snprintf(err, errlen, "no checker sources in %s (the harness checkout is incomplete?)", fdir);
        free(bad);
        goto out;
    }
    if (formal_list_sources(o->rtl_dir, hdl, &rtl, &bad) == -2) {
        snprintf(err, errlen, "RTL file name '%s' in %s: use only letters, digits, '_', '.' and '-'", bad,
                 o->rtl_dir);
        free(bad);
        goto out;
    }
    if (rtl.n == 0) {
        snprintf(err, errlen, "no RTL (*.sv, *.v) in %s: a core keeps its design in cores/<name>/rtl", o->rtl_dir);
        goto out;
    }
    script = formal_net_script(o, &chk, &rtl);
    if (!script || fsx_write_atomic(script_path, script, strlen(script)) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", script_path, strerror(errno));
        goto out;
    }
    /* Yosys looks for an `include in its working directory before the -I
     * directories: run it in an empty one. */
    cwd = fsx_fmt("%s/yosys-cwd", o->workdir);
    if (!cwd || fsx_mkdirs(cwd, 0755) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", cwd ? cwd : "yosys-cwd", strerror(errno));
        goto out;
    }
    const char *argv[] = {"yosys", "-s", script_path, NULL};
    proc_spec spec = {.argv = argv, .cwd = cwd, .log_path = o->log_path, .timeout_s = o->timeout_s,
                      .confine = o->confine, .group = o->group};
    proc_result r;
    char launch_why[600];
    if (proc_launch(o->launcher, o->label ? o->label : "prep", &spec, &r, launch_why, sizeof launch_why) != 0) {
        snprintf(err, errlen, "netlist preparation could not run: %s", launch_why);
        rc = -3;
        goto out;
    }
    if (!proc_ok(&r)) {
        char buf[256], why[300];
        formal_net_error_line(o->log_path, why, sizeof why);
        snprintf(err, errlen, "netlist preparation failed: %s%s%s (script %s, log %s)",
                 proc_describe(&r, "yosys", buf, sizeof buf), why[0] ? ": " : "", why, script_path, o->log_path);
        *seconds = r.seconds;
        rc = r.timed_out ? -2 : -1;
        goto out;
    }
    *seconds = r.seconds;
    rc = 0;
out:
    strv_free(&chk);
    strv_free(&rtl);
    free(fdir);
    free(script_path);
    free(script);
    free(cwd);
    return rc;
}

static int formal_out_push(formal_outputs *out, const char *name, int bit, int index, int konst)
{
    if (strlen(name) >= sizeof out->v[0].name)
        return 0; /* not one of ours: formal_top's outputs have short names */
    formal_out *nv = realloc(out->v, (out->n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    out->v = nv;
    formal_out *e = &out->v[out->n++];
    snprintf(e->name, sizeof e->name, "%s", name);
    e->bit = bit;
    e->index = index;
    e->konst = konst;
    return 0;
}

/* Outputs that yosys folded to constants are missing from all.aim; ports.json
 * says which they are and their value. */
static int formal_net_constants(const char *path, formal_outputs *out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        snprintf(err, errlen, "cannot read %s: %s (line %d)", path, je.text, je.line);
        return -1;
    }
    int rc = 0;
    json_t *ports = json_object_get(json_object_get(json_object_get(root, "modules"), "formal_top"), "ports");
    const char *name;
    json_t *port;
    json_object_foreach(ports, name, port) {
        const char *dir = json_string_value(json_object_get(port, "direction"));
        if (!dir || strcmp(dir, "output") != 0)
            continue;
        json_t *bits = json_object_get(port, "bits");
        for (size_t i = 0; i < json_array_size(bits); i++) {
            const char *v = json_string_value(json_array_get(bits, i));
            if (v && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) &&
                formal_out_push(out, name, (int)i, -1, v[0] - '0') != 0)
                rc = -1;
        }
    }
    if (!ports) {
        snprintf(err, errlen, "%s has no formal_top ports", path);
        rc = -1;
    }
    json_decref(root);
    return rc;
}

int formal_net_outputs(const char *workdir, formal_outputs *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *aim = fsx_fmt("%s/all.aim", workdir);
    char *ports = fsx_fmt("%s/ports.json", workdir);
    char *text = NULL;
    int rc = -1;
    if (!aim || !ports || fsx_read(aim, &text, NULL) != 0) {
        snprintf(err, errlen, "cannot read %s: %s", aim ? aim : "all.aim", strerror(errno));
        goto out;
    }
    rc = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        int index, bit;
        char name[128];
        if (sscanf(line, "output %d %d %127s", &index, &bit, name) == 3)
            rc = formal_out_push(out, name, bit, index, 0);
    }
    if (rc == 0)
        rc = formal_net_constants(ports, out, err, errlen);
    else
        snprintf(err, errlen, "out of memory reading %s", aim);
out:
    free(text);
    free(aim);
    free(ports);
    if (rc != 0)
        formal_net_outputs_free(out);
    return rc;
}

void formal_net_outputs_free(formal_outputs *out)
{
    free(out->v);
    out->v = NULL;
    out->n = 0;
}

int formal_net_lookup(const formal_outputs *out, const char *spec, int *index, int *konst)
{
    char name[48];
    int bit = 0;
    size_t len = strcspn(spec, "[");
    if (len >= sizeof name)
        return -1;
    memcpy(name, spec, len);
    name[len] = '\0';
    if (spec[len] == '[' && sscanf(spec + len, "[%d]", &bit) != 1)
        return -1;
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->v[i].name, name) == 0 && out->v[i].bit == bit) {
            *index = out->v[i].index;
            *konst = out->v[i].konst;
            return 0;
        }
    return -1;
}
