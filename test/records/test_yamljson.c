/* test_yamljson — YAML <-> JSON: scalar typing, structure, every refusal
 * (malformed YAML, duplicates, anchors/aliases, tags, several documents), the
 * dumper's round trip, and core.yaml's current: rewrite (byte-exact
 * preservation of everything else, refusal without touching the file). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "lib/fsx.h"
#include "yamljson/yamljson.h"

static char err[1024];

static json_t *Y(const char *text)
{
    return yamljson_load_string(text, strlen(text), "t.yaml", err, sizeof err);
}

static json_t *J(const char *text)
{
    json_error_t e;
    return json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
}

/* YAML text parses to exactly (types included) the JSON text. */
static int yaml_is(const char *yaml, const char *json)
{
    json_t *a = Y(yaml), *b = J(json);
    int ok = a && b && json_equal(a, b);
    if (!ok && a) {
        char *d = json_dumps(a, JSON_ENCODE_ANY);
        fprintf(stderr, "yaml_is: got %s\n", d ? d : "?");
        free(d);
    }
    json_decref(a);
    json_decref(b);
    return ok;
}

/* YAML text is refused with an error containing want. */
static int yaml_fails(const char *yaml, const char *want)
{
    err[0] = '\0';
    json_t *a = Y(yaml);
    if (a) {
        json_decref(a);
        return 0;
    }
    if (!strstr(err, want))
        fprintf(stderr, "yaml_fails: '%s' lacks '%s'\n", err, want);
    return strstr(err, want) != NULL;
}

static void test_scalars(void)
{
    CHECK_CASE("yamljson null forms") {
        CHECK(yaml_is("a:\nb: ~\nc: null\nd: Null\ne: NULL\n", "{\"a\":null,\"b\":null,\"c\":null,\"d\":null,\"e\":null}"));
    }
    CHECK_CASE("yamljson booleans (YAML 1.2: yes/no/on/off stay strings)") {
        CHECK(yaml_is("[true, True, TRUE, false, False, FALSE]", "[true,true,true,false,false,false]"));
        CHECK(yaml_is("[yes, no, on, off, y, n]", "[\"yes\",\"no\",\"on\",\"off\",\"y\",\"n\"]"));
    }
    CHECK_CASE("yamljson integers and reals: int only without '.' or exponent") {
        json_t *v = Y("[2, -7, +3, 007, 2.0, 1.5, .5, 2., 1e3, -2.5E-3]");
        CHECK(v && json_array_size(v) == 10);
        for (size_t i = 0; i < 4; i++)
            CHECK(json_is_integer(json_array_get(v, i)));
        CHECK_EQ_INT(json_integer_value(json_array_get(v, 1)), -7);
        CHECK_EQ_INT(json_integer_value(json_array_get(v, 3)), 7);
        for (size_t i = 4; i < 10; i++)
            CHECK(json_is_real(json_array_get(v, i)));
        CHECK(json_real_value(json_array_get(v, 4)) == 2.0);
        CHECK(json_real_value(json_array_get(v, 6)) == 0.5);
        CHECK(json_real_value(json_array_get(v, 8)) == 1000.0);
        CHECK(json_real_value(json_array_get(v, 9)) == -0.0025);
        json_decref(v);
    }
    CHECK_CASE("yamljson number-like text that is not a number stays a string") {
        CHECK(yaml_is("[0x1F, .inf, .nan, 1_000, 1e, 2026-08-22, 1.2.3, '-', v1]",
                      "[\"0x1F\",\".inf\",\".nan\",\"1_000\",\"1e\",\"2026-08-22\",\"1.2.3\",\"-\",\"v1\"]"));
    }
    CHECK_CASE("yamljson quoted, block and !!str scalars are always strings") {
        CHECK(yaml_is("a: '12'\nb: \"true\"\nc: ''\nd: !!str 5\ne: ! 6\nf: |\n  x\n  y\ng: >\n  p\n  q\n",
                      "{\"a\":\"12\",\"b\":\"true\",\"c\":\"\",\"d\":\"5\",\"e\":\"6\",\"f\":\"x\\ny\\n\",\"g\":\"p q\\n\"}"));
    }
    CHECK_CASE("yamljson double-quoted escapes, NUL and UTF-8") {
        json_t *v = Y("s: \"a\\0b\\t\\u00e9\"\n");
        const json_t *s = json_object_get(v, "s");
        CHECK(json_is_string(s) && json_string_length(s) == 6);
        CHECK(s && memcmp(json_string_value(s), "a\0b\t\xc3\xa9", 6) == 0);
        json_decref(v);
    }
    CHECK_CASE("yamljson keys are strings verbatim") {
        CHECK(yaml_is("1: a\ntrue: b\nnull: c\n", "{\"1\":\"a\",\"true\":\"b\",\"null\":\"c\"}"));
    }
    CHECK_CASE("yamljson out-of-range numbers are errors, not silently clamped") {
        CHECK(yaml_fails("n: 99999999999999999999\n", "t.yaml:1:4: integer 99999999999999999999 is out of range"));
        CHECK(yaml_fails("n: 1e999\n", "out of range"));
    }
    CHECK_CASE("yamljson empty input and comment-only input are null") {
        json_t *v = Y("");
        CHECK(json_is_null(v));
        json_decref(v);
        v = Y("# only a comment\n\n");
        CHECK(json_is_null(v));
        json_decref(v);
    }
}

static void test_structure(void)
{
    CHECK_CASE("yamljson nested mappings and sequences, block and flow") {
        CHECK(yaml_is("name: baseline\nfpga:\n  device: hx8k\n  clock_mhz: 48\nknobs:\n  - name: MUL\n    values: [0, 1]\n  -\n    name: BP\n    values:\n    - none\n    - bimodal\nempty: {}\nnone: []\n",
                      "{\"name\":\"baseline\",\"fpga\":{\"device\":\"hx8k\",\"clock_mhz\":48},"
                      "\"knobs\":[{\"name\":\"MUL\",\"values\":[0,1]},{\"name\":\"BP\",\"values\":[\"none\",\"bimodal\"]}],"
                      "\"empty\":{},\"none\":[]}"));
    }
    CHECK_CASE("yamljson a top-level scalar or sequence is fine") {
        CHECK(yaml_is("42\n", "42"));
        CHECK(yaml_is("- a\n- b\n", "[\"a\",\"b\"]"));
        CHECK(yaml_is("---\na: 1\n...\n", "{\"a\":1}"));
    }
    CHECK_CASE("yamljson key order is kept") {
        json_t *v = Y("z: 1\na: 2\nm: 3\n");
        char *d = json_dumps(v, JSON_COMPACT);
        CHECK(d && !strcmp(d, "{\"z\":1,\"a\":2,\"m\":3}"));
        free(d);
        json_decref(v);
    }
}

static void test_refusals(void)
{
    CHECK_CASE("yamljson tab indentation is refused with a hint and position") {
        CHECK(yaml_fails("a:\n\tb: 1\n", "t.yaml:2:1: "));
        CHECK(yaml_fails("a:\n\tb: 1\n", "tab"));
    }
    CHECK_CASE("yamljson unclosed quotes are refused") {
        CHECK(yaml_fails("a: \"open\nb: 2\n", "t.yaml:"));
        CHECK(yaml_fails("a: \"open\nb: 2\n", "quoted scalar"));
        CHECK(yaml_fails("a: 'open\n", "t.yaml:"));
    }
    CHECK_CASE("yamljson bad indentation is refused") {
        CHECK(yaml_fails("a:\n    b: 1\n  c: 2\n", "t.yaml:3:"));
        CHECK(yaml_fails("a: 1\n b: 2\n", "t.yaml:2:"));
        CHECK(yaml_fails("- a\nb: 1\n", "t.yaml:2:"));
    }
    CHECK_CASE("yamljson duplicate keys are refused, at any depth") {
        CHECK(yaml_fails("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key \"a\""));
        CHECK(yaml_fails("x:\n  k: 1\n  k: 2\n", "t.yaml:3:3: duplicate key \"k\""));
        CHECK(yaml_fails("{a: 1, a: 2}\n", "duplicate key"));
    }
    CHECK_CASE("yamljson anchors and aliases are refused") {
        CHECK(yaml_fails("a: &x 1\nb: *x\n", "t.yaml:1:4: anchor &x"));
        CHECK(yaml_fails("a: &m {k: 1}\n", "anchors and aliases are not accepted"));
        CHECK(yaml_fails("a: &s [1]\n", "anchor &s"));
        CHECK(yaml_fails("a: *undefined\n", "t.yaml:1:4:"));
        CHECK(yaml_fails("b: 1\nc: {<<: *base}\n", "t.yaml:2:"));
    }
    CHECK_CASE("yamljson several documents are refused") {
        CHECK(yaml_fails("a: 1\n---\nb: 2\n", "t.yaml:2:1: a second YAML document"));
    }
    CHECK_CASE("yamljson tags other than !!str are refused") {
        CHECK(yaml_fails("a: !!binary aGk=\n", "unsupported tag tag:yaml.org,2002:binary"));
        CHECK(yaml_fails("a: !custom 1\n", "unsupported tag !custom"));
        CHECK(yaml_fails("a: !!set {x}\n", "unsupported tag"));
    }
    CHECK_CASE("yamljson complex keys are refused") {
        CHECK(yaml_fails("? [a, b]\n: 1\n", "complex keys"));
    }
    CHECK_CASE("yamljson nesting deeper than 256 is refused") {
        char deep[700];
        memset(deep, '[', 300);
        memset(deep + 300, ']', 300);
        deep[600] = '\0';
        CHECK(yaml_fails(deep, "nesting deeper than 256"));
    }
    CHECK_CASE("yamljson invalid UTF-8 is refused") {
        CHECK(yaml_fails("a: \xff\xfe\n", "t.yaml:1:4: "));
    }
    CHECK_CASE("yamljson unreadable file names the file") {
        json_t *v = yamljson_load_file("/nonexistent/core.yaml", err, sizeof err);
        CHECK(!v);
        CHECK_STR_CONTAINS(err, "/nonexistent/core.yaml: cannot read");
    }
}

/* dump(v) reads back equal (types included). */
static int round_trips(const char *json)
{
    json_t *v = J(json);
    char *y = v ? yamljson_dump(v) : NULL;
    json_t *back = y ? Y(y) : NULL;
    int ok = back && json_equal(v, back);
    if (!ok)
        fprintf(stderr, "round trip of %s via\n%s\nfailed: %s\n", json, y ? y : "(null)", err);
    free(y);
    json_decref(v);
    json_decref(back);
    return ok;
}

static void test_dump(void)
{
    CHECK_CASE("yamljson dump writes the expected block YAML") {
        json_t *v = J("{\"name\":\"v1\",\"n\":3,\"r\":2.0,\"ok\":true,\"nil\":null,\"s\":\"yes\","
                      "\"list\":[1,{\"a\":\"x\",\"b\":[]},[\"p\",\"q\"]],\"o\":{\"k\":{}}}");
        char *y = yamljson_dump(v);
        const char *want = "name: v1\n\"n\": 3\nr: 2.0\nok: true\nnil: null\ns: \"yes\"\n"
                           "list:\n  - 1\n  - a: x\n    b: []\n  - - p\n    - q\no:\n  k: {}\n";
        CHECK(y && !strcmp(y, want));
        if (y && strcmp(y, want))
            fprintf(stderr, "got:\n%s", y);
        free(y);
        json_decref(v);
    }
    CHECK_CASE("yamljson dump quotes strings that would read back differently") {
        CHECK(round_trips("[\"\",\"yes\",\"No\",\"123\",\"1.5\",\"null\",\"~\",\"true\",\"a: b\",\"a #b\","
                          "\"#c\",\" lead\",\"trail \",\"multi\\nline\",\"tab\\there\",\"-x\",\"- y\",\"key:\","
                          "\"[x]\",\"{y}\",\"*a\",\"&b\",\"!t\",\"|\",\">\",\"'q'\",\"\\\"dq\\\"\",\"%p\",\"@at\","
                          "\"`bt\",\"<<\",\"back\\\\slash\",\"\\u00fc ber\",\"nul\\u0000in\",\"ls\\u2028x\","
                          "\"nel\\u0085x\",\"bom\\ufeff\",\"del\\u007f\",\".inf\",\"0x10\",\"+1\",\"---\",\"...\"]"));
    }
    CHECK_CASE("yamljson dump round-trips numbers exactly") {
        CHECK(round_trips("[0.1, 2.0, 1e20, -0.5, 1.7976931348623157e308, 5e-324, 0, -9223372036854775807, 123456789]"));
    }
    CHECK_CASE("yamljson dump round-trips nested and empty containers and keys") {
        CHECK(round_trips("{\"a\":{\"b\":{\"c\":[[],[{}],[[1,[2]]]]}},\"\":1,\"x y\":2,\"k: v\":3,\"1\":4,\"-\":5}"));
        CHECK(round_trips("[]"));
        CHECK(round_trips("{}"));
        CHECK(round_trips("\"top\""));
        CHECK(round_trips("null"));
    }
}

/* A scratch file holding text; returns its path (static buffer). */
static const char *scratch(const char *dir, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/core.yaml", dir);
    fsx_write_atomic(path, text, strlen(text));
    return path;
}

static char *slurp(const char *path)
{
    char *d = NULL;
    size_t n;
    return fsx_read(path, &d, &n) == 0 ? d : NULL;
}

/* set_current(text, current_json) gives exactly want, and reads back. */
static int set_current_gives(const char *dir, const char *text, const char *cur, const char *want)
{
    const char *p = scratch(dir, text);
    json_t *c = J(cur);
    int rc = yamljson_set_current(p, c, err, sizeof err);
    char *got = slurp(p);
    json_t *back = yamljson_load_file(p, err, sizeof err);
    int ok = rc == 0 && got && !strcmp(got, want) && back &&
             json_equal(json_object_get(back, "current"), c);
    if (!ok)
        fprintf(stderr, "set_current rc=%d err=%s\n--- got:\n%s--- want:\n%s", rc, err, got ? got : "", want);
    free(got);
    json_decref(c);
    json_decref(back);
    return ok;
}

static void test_set_current(const char *dir)
{
    const char *head = "# core.yaml of a test core\n"
                       "name: t1   # trailing comment kept\n"
                       "description: >\n  folded text\n  current: not a key here\n"
                       "fpga:\n  device: hx8k\n\n";
    const char *tail = "\n# the knobs follow\n"
                       "knobs:\n  - name: MUL\n    values: [0, 1]\n"
                       "targets: {}\n";
    char text[2048], want[2048];
    CHECK_CASE("yamljson set_current replaces the block, rest byte for byte") {
        snprintf(text, sizeof text, "%scurrent:\n  id: old\n  # a comment inside\n  fitness: 1.5\n%s", head, tail);
        snprintf(want, sizeof want, "%scurrent:\n  id: r1-s1\n  fitness: 123.25\n  lut: 4000\n"
                 "  fmax_mhz: 48.0\n  commit: \"0123abc\"\n%s", head, tail);
        CHECK(set_current_gives(dir, text, "{\"id\":\"r1-s1\",\"fitness\":123.25,\"lut\":4000,\"fmax_mhz\":48.0,\"commit\":\"0123abc\"}", want));
    }
    CHECK_CASE("yamljson set_current appends when there is no current:") {
        snprintf(text, sizeof text, "%s%s", head, tail);
        snprintf(want, sizeof want, "%s%scurrent:\n  id: x1y\n", head, tail);
        CHECK(set_current_gives(dir, text, "{\"id\":\"x1y\"}", want));
        CHECK(set_current_gives(dir, "name: a\nisa: rv32im", "{\"n\":1}", "name: a\nisa: rv32im\ncurrent:\n  \"n\": 1\n"));
    }
    CHECK_CASE("yamljson set_current handles inline, empty and last-line blocks") {
        CHECK(set_current_gives(dir, "name: a\ncurrent: {}\nisa: rv32im\n", "{\"k\":[1,2]}",
                                "name: a\ncurrent:\n  k:\n    - 1\n    - 2\nisa: rv32im\n"));
        CHECK(set_current_gives(dir, "name: a\ncurrent:\n  k: 1", "{}", "name: a\ncurrent: {}\n"));
        CHECK(set_current_gives(dir, "current:   # managed\n  k: 1\nname: a\n", "{\"k\":2}",
                                "current:\n  k: 2\nname: a\n"));
    }
    CHECK_CASE("yamljson set_current takes a column-0 sequence under current:") {
        CHECK(set_current_gives(dir, "current:\n- a\n- b\nname: z\n", "{\"k\":1}", "current:\n  k: 1\nname: z\n"));
    }
    CHECK_CASE("yamljson set_current twice is stable") {
        const char *p = scratch(dir, "name: a\n# c\ncurrent:\n  k: 1\n\n# keep me\nisa: rv32im\n");
        json_t *c = J("{\"k\":2,\"s\":\"yes\"}");
        CHECK_EQ_INT(yamljson_set_current(p, c, err, sizeof err), 0);
        char *first = slurp(p);
        CHECK_EQ_INT(yamljson_set_current(p, c, err, sizeof err), 0);
        char *second = slurp(p);
        CHECK(first && second && !strcmp(first, second));
        CHECK(first && !strcmp(first, "name: a\n# c\ncurrent:\n  k: 2\n  s: \"yes\"\n\n# keep me\nisa: rv32im\n"));
        free(first);
        free(second);
        json_decref(c);
    }
    CHECK_CASE("yamljson set_current refuses and leaves the file untouched") {
        const char *bad = "name: a\ncurrent: [1\n";
        const char *p = scratch(dir, bad);
        json_t *c = J("{\"k\":1}");
        CHECK_EQ_INT(yamljson_set_current(p, c, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "core.yaml:");
        char *now = slurp(p);
        CHECK(now && !strcmp(now, bad));
        free(now);
        /* a quoted "current" key is not the column-0 block: appending would
         * duplicate it, so the rewrite is refused */
        const char *quoted = "\"current\": {k: 0}\nname: a\n";
        p = scratch(dir, quoted);
        CHECK_EQ_INT(yamljson_set_current(p, c, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "refusing to write");
        now = slurp(p);
        CHECK(now && !strcmp(now, quoted));
        free(now);
        p = scratch(dir, "- not\n- a mapping\n");
        CHECK_EQ_INT(yamljson_set_current(p, c, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "not a mapping");
        CHECK_EQ_INT(yamljson_set_current("/nonexistent/core.yaml", c, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "cannot read");
        json_decref(c);
    }
}

int main(void)
{
    test_scalars();
    test_structure();
    test_refusals();
    test_dump();
    char tmpl[] = "/tmp/test_yamljson.XXXXXX";
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/test_yamljson.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir) && !mkdtemp(tmpl)) {
        check_skip("yamljson set_current", "cannot create a scratch directory under $TMPDIR or /tmp");
        return check_done();
    }
    test_set_current(dir);
    fsx_remove_tree(dir);
    return check_done();
}
