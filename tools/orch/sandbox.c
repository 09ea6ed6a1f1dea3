/* sandbox.c — see sandbox.h. */
#include "orch/sandbox.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsx.h"

enum { SANDBOX_TEXT_MAX = 4096 }; /* the report is a diagnostic, not a dump */

void sandbox_report_add(sandbox_report *r, const char *path, int line, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    char item[1024];
    if (line > 0)
        snprintf(item, sizeof item, "%s:%d: %s", path, line, reason);
    else
        snprintf(item, sizeof item, "%s: %s", path, reason);
    r->count++;
    if (r->len >= SANDBOX_TEXT_MAX)
        return;
    /* "; " + item, and room for the "; ..." that closes a full report. */
    size_t need = r->len + 2 + strlen(item) + sizeof "; ...";
    if (need > r->cap) {
        size_t cap = need * 2;
        char *t = realloc(r->text, cap);
        if (!t)
            return;
        r->text = t;
        r->cap = cap;
    }
    r->len += (size_t)sprintf(r->text + r->len, "%s%s", r->len ? "; " : "", item);
    if (r->len >= SANDBOX_TEXT_MAX)
        r->len += (size_t)sprintf(r->text + r->len, "; ...");
}

void sandbox_report_free(sandbox_report *r)
{
    free(r->text);
    memset(r, 0, sizeof *r);
}

/* ---- path rules ---------------------------------------------------------- */

static bool sandbox_has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* "rtl" or "test" when path is inside cores/<target>/rtl/ or test/. */
static const char *sandbox_area(const char *target, const char *path)
{
    static const char *const areas[] = {"rtl", "test"};
    size_t tl = strlen(target);
    if (!sandbox_has_prefix(path, "cores/") || strncmp(path + 6, target, tl) != 0 || path[6 + tl] != '/')
        return NULL;
    const char *rest = path + 6 + tl + 1;
    for (size_t i = 0; i < 2; i++) {
        size_t al = strlen(areas[i]);
        if (strncmp(rest, areas[i], al) == 0 && rest[al] == '/' && rest[al + 1])
            return areas[i];
    }
    return NULL;
}

/* Same test ignoring case: catches "Cores/", "cores/T/RTL/". */
static bool sandbox_area_nocase(const char *target, const char *path)
{
    size_t tl = strlen(target);
    if (strncasecmp(path, "cores/", 6) != 0 || strncasecmp(path + 6, target, tl) != 0 || path[6 + tl] != '/')
        return false;
    const char *rest = path + 6 + tl + 1;
    return strncasecmp(rest, "rtl/", 4) == 0 || strncasecmp(rest, "test/", 5) == 0;
}

/* Reason a path is malformed or names git metadata, or NULL. */
static const char *sandbox_bad_component(const char *path, char *buf, size_t n)
{
    for (const unsigned char *c = (const unsigned char *)path; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return "control character in the path";
    if (strchr(path, '\\'))
        return "backslash in the path";
    const char *p = path;
    while (1) {
        size_t len = strcspn(p, "/");
        if (len == 0)
            return "empty path component";
        if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return "'.' or '..' path component";
        if (len >= 4 && strncasecmp(p, ".git", 4) == 0) {
            snprintf(buf, n, "git metadata file '%.*s' (attributes, submodules, ignore rules and hooks are off limits)",
                     (int)len, p);
            return buf;
        }
        if (!p[len])
            break;
        p += len + 1;
    }
    return NULL;
}

static const char *sandbox_mode_name(unsigned mode)
{
    switch (mode) {
    case GIT_FILEMODE_BLOB: return "file";
    case GIT_FILEMODE_BLOB_EXECUTABLE: return "executable file";
    case GIT_FILEMODE_LINK: return "symlink";
    case GIT_FILEMODE_COMMIT: return "submodule (gitlink)";
    case GIT_FILEMODE_TREE: return "directory";
    default: return "unknown mode";
    }
}

/* Checks one end of a change; `role` says which end ("added", "renamed from"). */
static void sandbox_check_end(const char *target, const char *path, const char *role,
                              sandbox_report *rep)
{
    char buf[256];
    const char *bad = sandbox_bad_component(path, buf, sizeof buf);
    if (bad) {
        sandbox_report_add(rep, path, 0, "%s (%s)", role, bad);
        return;
    }
    if (sandbox_area(target, path))
        return;
    if (sandbox_area_nocase(target, path))
        sandbox_report_add(rep, path, 0, "%s outside the sandbox: a case variant of cores/%s/rtl/ or "
                           "cores/%s/test/ (paths are case-sensitive)", role, target, target);
    else
        sandbox_report_add(rep, path, 0, "%s outside cores/%s/rtl/ and cores/%s/test/", role, target, target);
}

static bool sandbox_link_escapes(const char *link_target)
{
    if (!link_target || link_target[0] == '/')
        return true;
    return strstr(link_target, "..") != NULL;
}

void sandbox_check_change(const char *target, sandbox_change kind, const char *old_path,
                          unsigned old_mode, const char *new_path, unsigned new_mode,
                          const char *link_target, sandbox_report *rep)
{
    size_t before = rep->count;
    switch (kind) {
    case SANDBOX_ADDED:
        sandbox_check_end(target, new_path, "added", rep);
        break;
    case SANDBOX_DELETED:
        sandbox_check_end(target, old_path, "deleted", rep);
        return; /* the mode of a deleted file does not matter */
    case SANDBOX_MODIFIED:
        sandbox_check_end(target, new_path, "modified", rep);
        break;
    case SANDBOX_RENAMED:
        sandbox_check_end(target, old_path, "renamed away", rep);
        sandbox_check_end(target, new_path, "renamed to", rep);
        break;
    case SANDBOX_TYPECHANGE:
        sandbox_check_end(target, new_path, "type changed", rep);
        break;
    }
    /* Path violations already describe the change; the mode rules add what
     * is wrong even inside the sandbox. Symlinks and gitlinks are reported
     * wherever they are. */
    const char *path = new_path ? new_path : old_path;
    if (new_mode == GIT_FILEMODE_LINK) {
        sandbox_report_add(rep, path, 0, "symlink -> '%s'%s", link_target ? link_target : "?",
                           sandbox_link_escapes(link_target) ? " (points outside the tree)" : "");
        return;
    }
    if (new_mode == GIT_FILEMODE_COMMIT) {
        sandbox_report_add(rep, path, 0, "submodule (gitlink) entry");
        return;
    }
    if (rep->count != before)
        return;
    if (old_mode && new_mode && old_mode != new_mode)
        sandbox_report_add(rep, path, 0, "mode change %s -> %s (%06o -> %06o)", sandbox_mode_name(old_mode),
                           sandbox_mode_name(new_mode), old_mode, new_mode);
    else if (new_mode != GIT_FILEMODE_BLOB)
        sandbox_report_add(rep, path, 0, "%s (%06o): only plain, non-executable files are allowed",
                           sandbox_mode_name(new_mode), new_mode);
}

/* ---- HDL content scan ---------------------------------------------------- */

typedef struct {
    const char *target, *path;
    const char *text; /* comments blanked out */
    size_t len;
    sandbox_exists_fn exists;
    void *ctx;
    sandbox_report *rep;
    bool design;              /* the file is under rtl/ (raw text) */
    const size_t *nl;         /* offsets of the text's newlines: line numbers by bisection */
    size_t nnl;
    sandbox_origin_fn origin; /* expanded text: where each line came from (else NULL) */
    void *octx;
} sandbox_scan;

/* The offsets of every newline, so that a line number costs a bisection and
 * not a walk from the start (the scan asks for one at every task name). */
static size_t *sandbox_newlines(const char *t, size_t len, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += t[i] == '\n';
    size_t *v = malloc((count + 1) * sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            v[k++] = i;
    *n = count;
    return v;
}

static int sandbox_line_at(const sandbox_scan *s, size_t pos)
{
    size_t lo = 0, hi = s->nnl;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->nl[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int)(lo + 1);
}

/* Reports a violation at a line of the scanned text. In an expanded text the
 * line is mapped back to the file the agent wrote, and a finding that another
 * preprocessed view already reported is not repeated. */
static void sandbox_scan_add(const sandbox_scan *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sandbox_scan_add(const sandbox_scan *s, int line, const char *fmt, ...)
{
    char reason[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (!s->origin) {
        sandbox_report_add(s->rep, s->path, line, "%s", reason);
        return;
    }
    sandbox_origin o = {s->path, line};
    if (!s->origin(line, &o, s->octx)) {
        o.path = s->path;
        o.line = line;
    }
    char item[1024];
    snprintf(item, sizeof item, "%s:%d: %s (after macro expansion)", o.path, o.line, reason);
    if (s->rep->text && strstr(s->rep->text, item))
        return;
    sandbox_report_add(s->rep, o.path, o.line, "%s (after macro expansion)", reason);
}

/* Do the design-only rules apply at this line? In an expanded testbench the
 * design's own lines still count as design; a line of unknown origin gets the
 * stricter rules. */
static bool sandbox_design_at(const sandbox_scan *s, int line)
{
    if (!s->origin)
        return s->design;
    sandbox_origin o;
    if (!s->origin(line, &o, s->octx))
        return true;
    const char *area = sandbox_area(s->target, o.path);
    return !area || strcmp(area, "rtl") == 0;
}

/* Copy of text with // and block comments replaced by spaces (newlines kept
 * for line numbers); string literals are copied as they are. */
static char *sandbox_strip_comments(const char *t, size_t len)
{
    char *o = malloc(len + 1);
    if (!o)
        return NULL;
    size_t i = 0;
    while (i < len) {
        if (t[i] == '"') {
            o[i] = t[i];
            i++;
            while (i < len && t[i] != '"' && t[i] != '\n') {
                if (t[i] == '\\' && i + 1 < len) {
                    o[i] = t[i];
                    i++;
                }
                o[i] = t[i];
                i++;
            }
            if (i < len) {
                o[i] = t[i];
                i++;
            }
        } else if (t[i] == '/' && i + 1 < len && t[i + 1] == '/') {
            while (i < len && t[i] != '\n')
                o[i++] = ' ';
        } else if (t[i] == '/' && i + 1 < len && t[i + 1] == '*') {
            o[i] = o[i + 1] = ' ';
            i += 2;
            while (i < len && !(t[i] == '*' && i + 1 < len && t[i + 1] == '/')) {
                o[i] = t[i] == '\n' ? '\n' : ' ';
                i++;
            }
            if (i < len) {
                o[i] = o[i + 1 < len ? i + 1 : i] = ' ';
                i += 2;
            }
        } else {
            o[i] = t[i] ? t[i] : ' ';
            i++;
        }
    }
    o[len] = '\0';
    return o;
}

static bool sandbox_ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$'; }

static size_t sandbox_skip_ws(const sandbox_scan *s, size_t i)
{
    while (i < s->len && isspace((unsigned char)s->text[i]))
        i++;
    return i;
}

/* Reads a string literal at i into buf; returns the index after it, or 0. */
static size_t sandbox_read_string(const sandbox_scan *s, size_t i, char *buf, size_t n)
{
    if (i >= s->len || s->text[i] != '"')
        return 0;
    size_t o = 0;
    for (i++; i < s->len && s->text[i] != '"' && s->text[i] != '\n'; i++) {
        if (s->text[i] == '\\' && i + 1 < s->len)
            i++;
        if (o + 1 < n)
            buf[o++] = s->text[i];
    }
    buf[o] = '\0';
    return i < s->len && s->text[i] == '"' ? i + 1 : 0;
}

/* Finds `NAME = "literal"` (a parameter or localparam default) in the file. */
static bool sandbox_param_string(const sandbox_scan *s, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + nl < s->len; i++) {
        if (strncmp(s->text + i, name, nl) != 0 || (i > 0 && sandbox_ident_char(s->text[i - 1])) ||
            sandbox_ident_char(s->text[i + nl]))
            continue;
        size_t j = sandbox_skip_ws(s, i + nl);
        if (j < s->len && s->text[j] == '=' && (j + 1 >= s->len || s->text[j + 1] != '=')) {
            j = sandbox_skip_ws(s, j + 1);
            if (sandbox_read_string(s, j, buf, n))
                return true;
        }
    }
    return false;
}

/* A data file the design may read: relative, no "..", inside the core's rtl/
 * or test/ (as "cores/<T>/rtl/x.hex" or relative to those directories). */
static const char *sandbox_data_path_problem(const sandbox_scan *s, const char *p)
{
    if (!*p)
        return "empty path";
    if (p[0] == '/' || p[0] == '~')
        return "absolute path";
    if (strstr(p, "..") || strchr(p, '\\'))
        return "path with '..' or a backslash";
    if (!s->exists)
        return NULL;
    char *cands[4] = {NULL, NULL, NULL, NULL};
    char *rtl = fsx_fmt("cores/%s/rtl/", s->target), *test = fsx_fmt("cores/%s/test/", s->target);
    if (rtl && test && (sandbox_has_prefix(p, rtl) || sandbox_has_prefix(p, test))) {
        cands[0] = fsx_fmt("%s", p);
    } else {
        cands[0] = fsx_fmt("%s%s", rtl ? rtl : "", p);
        cands[1] = fsx_fmt("%s%s", test ? test : "", p);
    }
    bool found = false;
    for (int i = 0; i < 4 && cands[i]; i++)
        found = found || s->exists(cands[i], s->ctx);
    for (int i = 0; i < 4; i++)
        free(cands[i]);
    free(rtl);
    free(test);
    return found ? NULL : "not a file inside the core's rtl/ or test/";
}

static void sandbox_check_readmem(const sandbox_scan *s, size_t i, const char *task, int line)
{
    i = sandbox_skip_ws(s, i);
    if (i >= s->len || s->text[i] != '(') {
        sandbox_scan_add(s, line, "%s without an argument list", task);
        return;
    }
    i = sandbox_skip_ws(s, i + 1);
    char path[512];
    if (s->text[i] == '"') {
        if (!sandbox_read_string(s, i, path, sizeof path)) {
            sandbox_scan_add(s, line, "%s with an unterminated file name", task);
            return;
        }
    } else {
        char ident[128];
        size_t k = 0;
        while (i < s->len && sandbox_ident_char(s->text[i]) && k + 1 < sizeof ident)
            ident[k++] = s->text[i++];
        ident[k] = '\0';
        if (!k || !sandbox_param_string(s, ident, path, sizeof path)) {
            sandbox_scan_add(s, line,
                             "%s with a computed file name (use a string literal or a string parameter)", task);
            return;
        }
    }
    const char *why = sandbox_data_path_problem(s, path);
    if (why)
        sandbox_scan_add(s, line, "%s(\"%s\"): %s", task, path, why);
}

/* First argument of $fwrite and friends must be stdout/stderr. */
static void sandbox_check_fd_task(const sandbox_scan *s, size_t i, const char *task, int line)
{
    i = sandbox_skip_ws(s, i);
    if (i >= s->len || s->text[i] != '(') {
        sandbox_scan_add(s, line, "%s without a descriptor", task);
        return;
    }
    i = sandbox_skip_ws(s, i + 1);
    char arg[64];
    size_t k = 0;
    while (i < s->len && s->text[i] != ',' && s->text[i] != ')' && k + 1 < sizeof arg) {
        char c = s->text[i++];
        if (!isspace((unsigned char)c) && c != '_')
            arg[k++] = (char)tolower((unsigned char)c);
    }
    arg[k] = '\0';
    static const char *const std_fds[] = {"1", "2", "32'h80000001", "32'h80000002", "'h80000001", "'h80000002"};
    for (size_t j = 0; j < sizeof std_fds / sizeof std_fds[0]; j++)
        if (strcmp(arg, std_fds[j]) == 0)
            return;
    sandbox_scan_add(s, line, "%s to descriptor '%s' (only 1/stdout and 2/stderr are allowed)",
                       task, arg);
}

static void sandbox_check_system_task(const sandbox_scan *s, const char *name, size_t after, int line)
{
    static const char *const forbidden[][2] = {
        {"$system", "runs a shell command"},
        {"$fopen", "opens a file"},
        {"$fclose", "file I/O"},
        {"$fgetc", "reads a file"},
        {"$fgets", "reads a file"},
        {"$fscanf", "reads a file"},
        {"$fread", "reads a file"},
        {"$ungetc", "file I/O"},
        {"$fseek", "file I/O"},
        {"$frewind", "file I/O"},
        {"$rewind", "file I/O"},
        {"$ftell", "file I/O"},
        {"$feof", "file I/O"},
        {"$ferror", "file I/O"},
        {"$writememh", "writes a file"},
        {"$writememb", "writes a file"},
        {"$cpure", "Verilator C++ insertion"},
        {"$stacktrace", "Verilator host call"},
    };
    for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
        if (strcmp(name, forbidden[i][0]) == 0) {
            sandbox_scan_add(s, line, "%s (%s)", name, forbidden[i][1]);
            return;
        }
    if (strcmp(name, "$root") == 0) {
        if (sandbox_design_at(s, line))
            sandbox_scan_add(s, line, "'$root' in the design (reaches outside the design's hierarchy)");
        return;
    }
    if (strncmp(name, "$assert", 7) == 0) {
        sandbox_scan_add(s, line, "%s (switches assertions of the verifier)", name);
        return;
    }
    if (strncmp(name, "$dump", 5) == 0) {
        sandbox_scan_add(s, line, "%s (writes a waveform file)", name);
        return;
    }
    if (name[1] == 'c') { /* $c, $c8 ... $c64: Verilator inserts raw C++ */
        bool digits = true;
        for (const char *p = name + 2; *p; p++)
            digits = digits && isdigit((unsigned char)*p);
        if (digits) {
            sandbox_scan_add(s, line, "%s (Verilator C++ insertion)", name);
            return;
        }
    }
    if (strcmp(name, "$readmemh") == 0 || strcmp(name, "$readmemb") == 0) {
        sandbox_check_readmem(s, after, name, line);
        return;
    }
    static const char *const fd_tasks[] = {"$fwrite", "$fdisplay", "$fstrobe", "$fmonitor", "$fflush"};
    for (size_t i = 0; i < sizeof fd_tasks / sizeof fd_tasks[0]; i++) {
        size_t l = strlen(fd_tasks[i]);
        if (strncmp(name, fd_tasks[i], l) == 0 && (!name[l] || strchr("bho", name[l]))) {
            if (strcmp(name, "$fflush") == 0) {
                size_t j = sandbox_skip_ws(s, after);
                if (j >= s->len || s->text[j] != '(' || s->text[sandbox_skip_ws(s, j + 1)] == ')')
                    return; /* $fflush or $fflush(): flushes everything, harmless */
            }
            sandbox_check_fd_task(s, after, name, line);
            return;
        }
    }
}

/* An include names a file of the core's own rtl/ (a testbench: or test/) by
 * its plain name. A directory in the name is refused outright: Verilator looks
 * for it under every -I directory and then under its working directory, so
 * "build/x.svh" found a file of the orchestrator's checkout. */
static void sandbox_check_include(const sandbox_scan *s, size_t after, int line)
{
    size_t i = sandbox_skip_ws(s, after);
    char inc[512];
    if (i < s->len && s->text[i] == '<') {
        sandbox_scan_add(s, line, "`include <...> (system include path)");
        return;
    }
    if (!sandbox_read_string(s, i, inc, sizeof inc)) {
        sandbox_scan_add(s, line, "`include of a computed or unterminated name");
        return;
    }
    bool plain = *inc && inc[0] != '.' && inc[0] != '~' && !strpbrk(inc, "/\\");
    for (const unsigned char *c = (const unsigned char *)inc; plain && *c; c++)
        plain = *c >= 0x20 && *c != 0x7f;
    if (!plain) {
        sandbox_scan_add(s, line, "`include \"%s\": name a file of the core's rtl/ by its plain name (no directory; "
                         "the tools would look for it elsewhere)", inc);
        return;
    }
    if (!s->exists)
        return;
    const char *area = sandbox_area(s->target, s->path);
    bool tb = !s->origin && area && strcmp(area, "test") == 0;
    char *rtl = fsx_fmt("cores/%s/rtl/%s", s->target, inc), *test = fsx_fmt("cores/%s/test/%s", s->target, inc);
    bool found = (rtl && s->exists(rtl, s->ctx)) || (tb && test && s->exists(test, s->ctx));
    if (!found)
        sandbox_scan_add(s, line, "`include \"%s\": no such file in cores/%s/rtl/%s (an include must name one of the "
                         "core's own files)", inc, s->target, tb ? " or test/" : "");
    free(rtl);
    free(test);
}

static void sandbox_check_directive(const sandbox_scan *s, const char *name, size_t after, int line)
{
    if (strncmp(name, "systemc_", 8) == 0)
        sandbox_scan_add(s, line, "`%s (Verilator C++ insertion)", name);
    else if (strcmp(name, "line") == 0)
        sandbox_scan_add(s, line, "`line directive (it makes the tools, and this scan, attribute the code after it "
                         "to another file)");
    else if (strcmp(name, "include") == 0)
        sandbox_check_include(s, after, line);
}

/* Keywords that reach into or weaken the verification around the design. */
static void sandbox_check_keyword(const sandbox_scan *s, const char *word, size_t len, size_t pos)
{
    static const char *const words[][2] = {
        {"assume", "an assumption constrains the formal checks"},
        {"restrict", "a restriction constrains the formal checks"},
        {"bind", "bind inserts logic into other modules"},
        {"force", "force overrides signals, possibly the verifier's"},
        {"release", "release undoes a force"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i][0]) == len && strncmp(word, words[i][0], len) == 0) {
            int line = sandbox_line_at(s, pos);
            if (sandbox_design_at(s, line))
                sandbox_scan_add(s, line, "'%s' in the design (%s)", words[i][0], words[i][1]);
            return;
        }
}

/* import/export followed by a string literal is a DPI declaration whatever
 * the string says ("DPI-C", "dpi", "DPI-SC": tools differ in what they
 * accept), and followed by a macro it may become one; a package import
 * (import pkg::*;) starts with a plain name. */
static void sandbox_check_import(const sandbox_scan *s, const char *kw, size_t after, size_t pos)
{
    size_t q = sandbox_skip_ws(s, after);
    if (q >= s->len)
        return;
    if (s->text[q] == '"') {
        char str[32];
        if (!sandbox_read_string(s, q, str, sizeof str))
            snprintf(str, sizeof str, "...");
        sandbox_scan_add(s, sandbox_line_at(s, pos), "DPI %s \"%s\" (calls host C code)", kw, str);
    } else if (s->text[q] == '`') {
        sandbox_scan_add(s, sandbox_line_at(s, pos), "%s followed by a macro (it could expand to a DPI "
                         "declaration, which calls host C code; write the package name out)", kw);
    }
}

/* The content rules over s->text (comments already blanked). */
static void sandbox_scan_run(const sandbox_scan *s)
{
    const char *code = s->text;
    size_t len = s->len, i = 0;
    while (i < len) {
        char c = code[i];
        if (c == '"') {
            char skip[8];
            size_t j = sandbox_read_string(s, i, skip, sizeof skip);
            i = j ? j : i + 1;
        } else if (c == '\\') { /* escaped identifier: up to white space */
            while (i < len && !isspace((unsigned char)code[i]))
                i++;
        } else if (c == '`' && i + 1 < len && code[i + 1] == '`') {
            sandbox_scan_add(s, sandbox_line_at(s, i),
                             "macro token pasting (``) can assemble a forbidden task; write it out");
            i += 2;
        } else if (c == '`' || c == '$') {
            char name[64];
            size_t k = 0, j = i + 1;
            name[k++] = c;
            while (j < len && (isalnum((unsigned char)code[j]) || code[j] == '_' || (c == '$' && code[j] == '$'))) {
                if (k + 1 < sizeof name)
                    name[k++] = code[j];
                j++;
            }
            name[k] = '\0';
            if (k > 1) {
                if (c == '$')
                    sandbox_check_system_task(s, name, j, sandbox_line_at(s, i));
                else
                    sandbox_check_directive(s, name + 1, j, sandbox_line_at(s, i));
            }
            i = j;
        } else if (sandbox_ident_char(c)) {
            size_t j = i;
            while (j < len && sandbox_ident_char(code[j]))
                j++;
            if (i == 0 || !sandbox_ident_char(code[i - 1])) {
                sandbox_check_keyword(s, code + i, j - i, i);
                if (j - i == 6 && (strncmp(code + i, "import", 6) == 0 || strncmp(code + i, "export", 6) == 0))
                    sandbox_check_import(s, strncmp(code + i, "import", 6) == 0 ? "import" : "export", j, i);
            }
            i = j;
        } else {
            i++;
        }
    }
}

static bool sandbox_is_hdl(const char *path)
{
    static const char *const sfx[] = {".sv", ".v", ".svh", ".vh"};
    size_t pl = strlen(path);
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        size_t l = strlen(sfx[i]);
        if (pl > l && strcmp(path + pl - l, sfx[i]) == 0)
            return true;
    }
    return false;
}

/* Blanks the comments, indexes the lines and runs the rules. */
static void sandbox_scan_all(sandbox_scan *s, const char *text)
{
    char *code = sandbox_strip_comments(text, s->len);
    size_t nnl = 0;
    size_t *nl = code ? sandbox_newlines(code, s->len, &nnl) : NULL;
    if (!code || !nl) {
        sandbox_report_add(s->rep, s->path, 0, "out of memory while scanning");
    } else {
        s->text = code;
        s->nl = nl;
        s->nnl = nnl;
        sandbox_scan_run(s);
    }
    free(nl);
    free(code);
}

void sandbox_scan_text(const char *target, const char *path, const char *text, size_t len,
                       sandbox_exists_fn exists, void *ctx, sandbox_report *rep)
{
    if (memchr(text, '\0', len)) {
        /* binary data (a memory image) is nothing a tool parses as HDL; in a
         * source file a NUL byte would only serve to skip this scan */
        if (sandbox_is_hdl(path))
            sandbox_report_add(rep, path, 0, "NUL byte in an HDL source file");
        return;
    }
    /* The design itself (rtl/) must not carry verification constructs: they
     * would act on the verifier's checks around it. Testbenches may. */
    const char *area = sandbox_area(target, path);
    sandbox_scan s = {.target = target, .path = path, .len = len, .exists = exists, .ctx = ctx, .rep = rep,
                      .design = area && strcmp(area, "rtl") == 0};
    sandbox_scan_all(&s, text);
}

void sandbox_scan_expanded(const char *target, const char *label, const char *text, size_t len,
                           sandbox_origin_fn origin, void *octx, sandbox_exists_fn exists, void *ctx,
                           sandbox_report *rep)
{
    sandbox_scan s = {.target = target, .path = label, .len = len, .exists = exists, .ctx = ctx, .rep = rep,
                      .design = true, .origin = origin, .octx = octx};
    sandbox_scan_all(&s, text);
}

/* ---- whole-tree checks --------------------------------------------------- */

typedef struct {
    git_repository *g;
    git_tree *tree;
} sandbox_tree_ctx;

static bool sandbox_tree_has(const char *path, void *p)
{
    sandbox_tree_ctx *c = p;
    git_tree_entry *e = NULL;
    bool ok = git_tree_entry_bypath(&e, c->tree, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
    git_tree_entry_free(e);
    return ok;
}

/* The size of a blob from its object header, without reading its data. */
static int sandbox_blob_size(git_repository *g, const git_oid *id, size_t *size)
{
    git_odb *odb = NULL;
    git_object_t type;
    int rc = git_repository_odb(&odb, g);
    if (rc == 0)
        rc = git_odb_read_header(size, &type, odb, id);
    git_odb_free(odb);
    return rc;
}

/* A blob's content, NUL-terminated; NULL when it cannot be read or is larger
 * than max (then nothing of it is loaded). */
static char *sandbox_blob_text(git_repository *g, const git_oid *id, size_t max, size_t *len)
{
    size_t sz = 0;
    if (sandbox_blob_size(g, id, &sz) != 0 || sz > max)
        return NULL;
    git_blob *b = NULL;
    if (git_blob_lookup(&b, g, id) != 0)
        return NULL;
    sz = (size_t)git_blob_rawsize(b);
    char *t = sz <= max ? malloc(sz + 1) : NULL;
    if (t) {
        memcpy(t, git_blob_rawcontent(b), sz);
        t[sz] = '\0';
        *len = sz;
    }
    git_blob_free(b);
    return t;
}

typedef struct {
    git_repository *g;
    const char *dir; /* cores/<T>/rtl or cores/<T>/test */
    size_t total;
    sandbox_report *rep;
} sandbox_size_walk;

static int sandbox_size_entry(const char *root, const git_tree_entry *e, void *p)
{
    sandbox_size_walk *w = p;
    size_t sz = 0;
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || sandbox_blob_size(w->g, git_tree_entry_id(e), &sz) != 0)
        return 0;
    w->total += sz;
    if (sz > SANDBOX_FILE_MAX) {
        char *path = fsx_fmt("%s/%s%s", w->dir, root, git_tree_entry_name(e));
        sandbox_report_add(w->rep, path ? path : w->dir, 0, "%zu bytes; a file under the core's rtl/ and test/ may "
                           "have at most %d (SANDBOX_FILE_MAX)", sz, SANDBOX_FILE_MAX);
        free(path);
    }
    return 0;
}

/* The size limits over cores/<T>/rtl and cores/<T>/test of the slot tree,
 * from the object headers only: a 2 GiB file is refused without loading it. */
static int sandbox_check_sizes(git_repository *g, git_tree *tree, const char *target, sandbox_report *rep,
                               char *err, size_t n)
{
    size_t total = 0;
    static const char *const areas[] = {"rtl", "test"};
    for (size_t i = 0; i < 2; i++) {
        char *dir = fsx_fmt("cores/%s/%s", target, areas[i]);
        git_tree_entry *e = NULL;
        git_tree *sub = NULL;
        int rc = 0;
        if (dir && git_tree_entry_bypath(&e, tree, dir) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
            git_tree_lookup(&sub, g, git_tree_entry_id(e)) == 0) {
            sandbox_size_walk w = {g, dir, 0, rep};
            rc = git_tree_walk(sub, GIT_TREEWALK_PRE, sandbox_size_entry, &w);
            total += w.total;
        }
        if (rc != 0)
            snprintf(err, n, "sandbox: walking %s of the slot: %s", dir, git_error_last()->message);
        git_tree_free(sub);
        git_tree_entry_free(e);
        free(dir);
        if (rc != 0)
            return -1;
    }
    if (total > SANDBOX_CORE_MAX) {
        char *dir = fsx_fmt("cores/%s", target);
        sandbox_report_add(rep, dir ? dir : target, 0, "rtl/ and test/ hold %zu bytes together; the limit is %d "
                           "(SANDBOX_CORE_MAX)", total, SANDBOX_CORE_MAX);
        free(dir);
    }
    return 0;
}

int sandbox_check_trees(git_repository *g, const git_oid *parent_tree, const git_oid *slot_tree,
                        const char *target, sandbox_report *rep, char *err, size_t n)
{
    git_tree *a = NULL, *b = NULL;
    git_diff *diff = NULL;
    int rc = -1;
    if (git_tree_lookup(&a, g, parent_tree) != 0 || git_tree_lookup(&b, g, slot_tree) != 0) {
        snprintf(err, n, "sandbox: cannot read the trees to compare: %s", git_error_last()->message);
        goto out;
    }
    /* Sizes first: rename detection reads the blobs it compares. */
    size_t before = rep->count;
    if (sandbox_check_sizes(g, b, target, rep, err, n) != 0)
        goto out;
    bool oversize = rep->count != before;
    git_diff_options dopt;
    git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
    dopt.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
    git_diff_find_options fopt;
    git_diff_find_options_init(&fopt, GIT_DIFF_FIND_OPTIONS_VERSION);
    fopt.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_tree_to_tree(&diff, g, a, b, &dopt) != 0 || (!oversize && git_diff_find_similar(diff, &fopt) != 0)) {
        snprintf(err, n, "sandbox: diffing the slot against its parent: %s", git_error_last()->message);
        goto out;
    }
    sandbox_tree_ctx tc = {g, b};
    size_t nd = git_diff_num_deltas(diff);
    for (size_t i = 0; i < nd; i++) {
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        sandbox_change kind;
        switch (d->status) {
        case GIT_DELTA_ADDED: kind = SANDBOX_ADDED; break;
        case GIT_DELTA_DELETED: kind = SANDBOX_DELETED; break;
        case GIT_DELTA_RENAMED: kind = SANDBOX_RENAMED; break;
        case GIT_DELTA_TYPECHANGE: kind = SANDBOX_TYPECHANGE; break;
        default: kind = SANDBOX_MODIFIED; break;
        }
        const char *op = kind == SANDBOX_ADDED ? NULL : d->old_file.path;
        const char *np = kind == SANDBOX_DELETED ? NULL : d->new_file.path;
        char *link = NULL;
        size_t ll = 0;
        if (np && d->new_file.mode == GIT_FILEMODE_LINK)
            link = sandbox_blob_text(g, &d->new_file.id, 4096, &ll);
        sandbox_check_change(target, kind, op, kind == SANDBOX_ADDED ? 0 : d->old_file.mode, np,
                             kind == SANDBOX_DELETED ? 0 : d->new_file.mode, link, rep);
        free(link);
        if (np && d->new_file.mode == GIT_FILEMODE_BLOB && sandbox_area(target, np)) {
            size_t len = 0;
            size_t sz = 0;
            char *text = NULL;
            if (sandbox_blob_size(g, &d->new_file.id, &sz) == 0 && sz > SANDBOX_FILE_MAX)
                continue; /* reported by sandbox_check_sizes, and not worth reading */
            text = sandbox_blob_text(g, &d->new_file.id, SANDBOX_FILE_MAX, &len);
            if (!text)
                sandbox_report_add(rep, np, 0, "cannot be read for the content scan");
            else
                sandbox_scan_text(target, np, text, len, sandbox_tree_has, &tc, rep);
            free(text);
        }
    }
    rc = 0;
out:
    git_diff_free(diff);
    git_tree_free(a);
    git_tree_free(b);
    return rc;
}

/* The harness's own build directories an agent may leave behind (by running
 * make lint locally): ignored, never read by the gates from the slot. */
static bool sandbox_harness_dir(const char *rel)
{
    return strcmp(rel, "build") == 0 || strcmp(rel, "runs") == 0 || sandbox_has_prefix(rel, "build/") ||
           sandbox_has_prefix(rel, "runs/");
}

typedef struct {
    git_tree *tree;
    sandbox_report *rep;
    int depth;
} sandbox_walk;

static bool sandbox_tree_is_link(git_tree *tree, const char *rel)
{
    git_tree_entry *e = NULL;
    bool link = git_tree_entry_bypath(&e, tree, rel) == 0 && git_tree_entry_filemode(e) == GIT_FILEMODE_LINK;
    git_tree_entry_free(e);
    return link;
}

static void sandbox_walk_dir(sandbox_walk *w, int fd0, const char *rel)
{
    DIR *d = fdopendir(fd0);
    if (!d) {
        close(fd0);
        sandbox_report_add(w->rep, *rel ? rel : ".", 0, "cannot be listed: %s", strerror(errno));
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        char *path = *rel ? fsx_fmt("%s/%s", rel, name) : fsx_fmt("%s", name);
        if (!path)
            continue;
        struct stat st;
        if (!*rel && strcmp(name, ".git") == 0) {
            free(path); /* the worktree link itself, verified by repo_slot_open */
            continue;
        }
        if (sandbox_harness_dir(path) || fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            free(path);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            if (!sandbox_tree_is_link(w->tree, path)) {
                char target[512];
                ssize_t l = readlinkat(dirfd(d), name, target, sizeof target - 1);
                target[l > 0 ? l : 0] = '\0';
                sandbox_report_add(w->rep, path, 0, "symlink -> '%s' left in the work tree%s", target,
                                   sandbox_link_escapes(target) ? " (points outside the tree)" : "");
            }
        } else if (S_ISDIR(st.st_mode)) {
            if (strcmp(name, ".git") == 0) {
                sandbox_report_add(w->rep, path, 0, "nested git repository");
            } else if (w->depth < 64) {
                int fd = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                    w->depth++;
                    sandbox_walk_dir(w, fd, path);
                    w->depth--;
                }
            }
        } else if (S_ISREG(st.st_mode)) {
            if (st.st_nlink > 1)
                sandbox_report_add(w->rep, path, 0, "hard link (shares its data with another file)");
        } else {
            sandbox_report_add(w->rep, path, 0, "special file (fifo, socket or device)");
        }
        free(path);
    }
    closedir(d);
}

int sandbox_check_worktree(git_repository *slot, const char *wt_path, const git_oid *slot_tree,
                           sandbox_report *rep, char *err, size_t n)
{
    git_tree *tree = NULL;
    if (git_tree_lookup(&tree, slot, slot_tree) != 0) {
        snprintf(err, n, "sandbox: reading the slot tree: %s", git_error_last()->message);
        return -1;
    }
    int fd = open(wt_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, n, "sandbox: opening %s: %s", wt_path, strerror(errno));
        git_tree_free(tree);
        return -1;
    }
    sandbox_walk w = {tree, rep, 0};
    sandbox_walk_dir(&w, fd, "");

    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_INCLUDE_IGNORED;
    git_status_list *sl = NULL;
    int rc = 0;
    if (git_status_list_new(&sl, slot, &so) != 0) {
        snprintf(err, n, "sandbox: reading the status of %s: %s", wt_path, git_error_last()->message);
        rc = -1;
    } else {
        size_t cnt = git_status_list_entrycount(sl);
        for (size_t i = 0; i < cnt; i++) {
            const git_status_entry *e = git_status_byindex(sl, i);
            const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
            const char *p = d ? (d->new_file.path ? d->new_file.path : d->old_file.path) : "?";
            if (sandbox_harness_dir(p))
                continue;
            if (e->status & GIT_STATUS_IGNORED)
                sandbox_report_add(rep, p, 0, "ignored file left in the work tree (ignored files are never "
                                   "committed, so it cannot be checked; delete it)");
            else
                sandbox_report_add(rep, p, 0, "not committable (status 0x%x)", (unsigned)e->status);
        }
    }
    git_status_list_free(sl);
    git_tree_free(tree);
    return rc;
}
