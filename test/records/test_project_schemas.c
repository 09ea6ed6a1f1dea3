/* test_project_schemas — the project's schemas (the JSON files in schemas/) against
 * hand-written instances: a valid hypothesis, log entry, gate result and
 * core.yaml each pass, and each single mutation that breaks a rule of
 * DESIGN.md §5 is caught at the right JSON pointer. Also validates the real
 * cores/baseline/core.yaml when it exists. Run from the repository root. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "schema/schema.h"
#include "yamljson/yamljson.h"

static char err[1024];

typedef struct {
    json_t *hyp, *log, *res, *core;
} schemas;

static const char *HYP_YAML =
    "id: baseline-r003-s1-7f3a\n"
    "title: Two-bit branch predictor in fetch\n"
    "category: predictor\n"
    "motivation: >\n"
    "  Taken branches cost two bubbles today; CoreMark's list and state-machine\n"
    "  loops branch backwards often, so predicting them removes most bubbles.\n"
    "hypothesis: >\n"
    "  A 64-entry bimodal table indexed by pc[7:2] predicts taken backward\n"
    "  branches, cutting cycles by about 8% at a small Fmax cost.\n"
    "expected_impact:\n"
    "  fitness_delta_pct: 6\n"
    "  confidence: medium\n"
    "  cycles_delta_pct: -8.5\n"
    "  lut_delta_pct: 3\n"
    "changes:\n"
    "  - file: rtl/fetch.sv\n"
    "    description: add the bimodal table and redirect on predicted-taken\n"
    "  - file: test/bp_test.sv\n"
    "    description: unit test of the predictor's counters\n"
    "knobs:\n"
    "  BP: bimodal\n"
    "  BP_ENTRIES: 64\n"
    "  FAST_MUL: true\n";

static const char *LOG_JSON =
    "{\"id\":\"baseline-r003-s1-7f3a\",\"core\":\"baseline\",\"round\":3,\"slot\":1,"
    "\"parent\":\"0123456789abcdef0123456789abcdef01234567\",\"hypothesis\":{},"
    "\"outcome\":\"improvement\",\"failed_gate\":null,\"diagnostic\":\"\","
    "\"fitness\":81234.5,\"fmax_mhz\":{\"seeds\":[48.1,47.2,49.9],\"median\":48.1},"
    "\"cycles\":5921032,\"iterations\":10,\"coremark_per_mhz\":1.69,\"lut\":4123,\"ff\":1502,"
    "\"workload\":\"coremark\",\"gate_seconds\":{\"sandbox\":0.01,\"lint\":1.2,\"synth\":25,"
    "\"formal\":40.5,\"cosim\":30,\"pnr\":70,\"coremark\":0.1},"
    "\"tools\":{\"verilator\":\"5.006\",\"yosys\":\"0.23\",\"nextpnr-ice40\":\"0.4\"},"
    "\"started\":\"2026-08-22T11:28:09Z\",\"finished\":\"2026-08-22T11:31:40.25+02:00\","
    "\"lesson\":\"bimodal prediction paid off on CoreMark's backward branches\","
    "\"agent\":{\"provider\":\"cmd:/usr/local/bin/agent\",\"exit\":0,\"timed_out\":false,\"transcript\":null},"
    "\"commit\":\"fedcba9876543210fedcba9876543210fedcba98\",\"accepted\":true,\"delta_pct\":6.2}";

static const char *CORE_YAML =
    "# a test core\n"
    "name: mini\n"
    "description: A small multi-cycle RV32IM core.\n"
    "isa: rv32im\n"
    "fpga:\n"
    "  family: ice40\n"
    "  device: hx8k\n"
    "  package: ct256\n"
    "  clock_mhz: 48\n"
    "knobs:\n"
    "  - name: FAST_MUL\n"
    "    file: rtl/core.sv\n"
    "    parameter: FAST_MUL\n"
    "    values: [0, 1]\n"
    "    default: 0\n"
    "    tradeoff: single-cycle DSP-less multiply costs ~600 LCs and some Fmax\n"
    "targets:\n"
    "  coremark: 400\n"
    "  lut: 3000\n"
    "current: {}\n";

static json_t *J(const char *text)
{
    json_error_t e;
    return json_loads(text, JSON_DECODE_ANY, &e);
}

static json_t *Y(const char *text)
{
    return yamljson_load_string(text, strlen(text), "test.yaml", err, sizeof err);
}

/* Sets base[key] (a top-level or "a/b" two-level key) to the JSON value text,
 * or deletes it when value is NULL; returns a new object. */
static json_t *mutate(const json_t *base, const char *key, const char *value)
{
    json_t *m = json_deep_copy(base);
    json_t *obj = m;
    char k[128];
    snprintf(k, sizeof k, "%s", key);
    char *slash = strchr(k, '/');
    if (slash) {
        *slash = '\0';
        obj = json_object_get(m, k);
        if (json_is_array(obj))
            obj = json_array_get(obj, 0);
        memmove(k, slash + 1, strlen(slash + 1) + 1);
    }
    if (value)
        json_object_set_new(obj, k, J(value));
    else
        json_object_del(obj, k);
    return m;
}

/* The mutation is invalid and the message contains want. */
static int rejects(const json_t *schema, const json_t *base, const char *key, const char *value,
                   const char *want)
{
    json_t *m = mutate(base, key, value);
    int r = schema_validate(schema, m, err, sizeof err);
    json_decref(m);
    if (r != 1 || !strstr(err, want))
        fprintf(stderr, "rejects %s=%s: r=%d err=%s (want '%s')\n", key, value ? value : "(deleted)", r, err, want);
    return r == 1 && strstr(err, want) != NULL;
}

static int accepts(const json_t *schema, const json_t *base, const char *key, const char *value)
{
    json_t *m = mutate(base, key, value);
    int r = schema_validate(schema, m, err, sizeof err);
    json_decref(m);
    if (r != 0)
        fprintf(stderr, "accepts %s=%s: r=%d err=%s\n", key, value ? value : "(deleted)", r, err);
    return r == 0;
}

static void test_hypothesis(const json_t *s)
{
    json_t *h = Y(HYP_YAML);
    CHECK_CASE("hypothesis: a complete YAML hypothesis is valid") {
        CHECK(h != NULL);
        CHECK_EQ_INT(schema_validate(s, h, err, sizeof err), 0);
    }
    if (!h)
        return;
    CHECK_CASE("hypothesis: numbers are numbers (1.5, 2 and -30.0)") {
        CHECK(accepts(s, h, "expected_impact/fitness_delta_pct", "1.5"));
        CHECK(accepts(s, h, "expected_impact/fitness_delta_pct", "2"));
        CHECK(accepts(s, h, "expected_impact/fitness_delta_pct", "-30.0"));
        CHECK(rejects(s, h, "expected_impact/fitness_delta_pct", "\"5%\"", "/expected_impact/fitness_delta_pct"));
    }
    CHECK_CASE("hypothesis: required fields") {
        const char *req[] = {"id", "title", "category", "motivation", "hypothesis", "expected_impact", "changes"};
        for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
            char want[80];
            snprintf(want, sizeof want, "missing required property \"%s\"", req[i]);
            CHECK(rejects(s, h, req[i], NULL, want));
        }
        CHECK(rejects(s, h, "expected_impact/confidence", NULL, "missing required property \"confidence\""));
        CHECK(accepts(s, h, "knobs", NULL));
        CHECK(accepts(s, h, "expected_impact/cycles_delta_pct", NULL));
    }
    CHECK_CASE("hypothesis: id pattern") {
        CHECK(accepts(s, h, "id", "\"v1-r120-s3-00ff\""));
        CHECK(rejects(s, h, "id", "\"ab\"", "/id"));
        CHECK(rejects(s, h, "id", "\"Baseline-r1\"", "/id"));
        CHECK(rejects(s, h, "id", "\"-abc\"", "/id"));
        CHECK(rejects(s, h, "id", "\"abc def\"", "/id"));
        CHECK(rejects(s, h, "id", "7", "/id: is an integer, expected string"));
    }
    CHECK_CASE("hypothesis: category enum, confidence enum, one-line title") {
        CHECK(rejects(s, h, "category", "\"speed\"", "/category"));
        CHECK(accepts(s, h, "category", "\"area\""));
        CHECK(rejects(s, h, "expected_impact/confidence", "\"sure\"", "/expected_impact/confidence"));
        CHECK(rejects(s, h, "title", "\"two\\nlines\"", "/title"));
        /* terminal escapes and other control characters (issue 17 item 11) */
        CHECK(rejects(s, h, "title", "\"\\u001b[2J\\u001b[32mALL GATES PASSED\"", "/title"));
        CHECK(rejects(s, h, "title", "\"tab\\there\"", "/title"));
        CHECK(rejects(s, h, "motivation", "\"Forty characters of motivation, at the very least \\u001b[0m.\"",
                      "/motivation"));
        CHECK(accepts(s, h, "motivation", "\"Forty characters of motivation,\\nat the very least,\\tindented.\""));
        CHECK(rejects(s, h, "title", "\"abc\"", "/title"));
    }
    CHECK_CASE("hypothesis: motivation and hypothesis must be prose (>= 40 chars)") {
        CHECK(rejects(s, h, "motivation", "\"faster\"", "/motivation"));
        CHECK(rejects(s, h, "hypothesis", "\"it will be better, trust me on this\"", "/hypothesis"));
        CHECK(accepts(s, h, "hypothesis", "\"0123456789012345678901234567890123456789\""));
    }
    CHECK_CASE("hypothesis: changes need at least one {file, description}") {
        CHECK(rejects(s, h, "changes", "[]", "/changes: has 0 items, fewer than minItems 1"));
        CHECK(rejects(s, h, "changes", "[{\"file\":\"rtl/a.sv\"}]", "/changes/0: missing required property \"description\""));
        CHECK(rejects(s, h, "changes", "[{\"file\":\"rtl/a.sv\",\"description\":\"fine text\",\"x\":1}]", "/changes/0/x"));
    }
    CHECK_CASE("hypothesis: change paths stay inside the core directory") {
        const char *bad[] = {"\"../formal/checks.sv\"", "\"/etc/passwd\"", "\"rtl\\\\core.sv\"",
                             "\"rtl//core.sv\"", "\"./rtl/core.sv\"", "\"rtl/../../x\"", "\"rtl/\"",
                             "\"\"", "\"rtl/a b.sv\"", "\"..\""};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            char v[128];
            snprintf(v, sizeof v, "[{\"file\":%s,\"description\":\"some change\"}]", bad[i]);
            CHECK(rejects(s, h, "changes", v, "/changes/0/file"));
        }
        CHECK(accepts(s, h, "changes", "[{\"file\":\"rtl/sub/alu_v2.sv\",\"description\":\"some change\"}]"));
        CHECK(accepts(s, h, "changes", "[{\"file\":\"test/.keep\",\"description\":\"some change\"}]"));
    }
    CHECK_CASE("hypothesis: knobs map names to number, string or boolean") {
        CHECK(rejects(s, h, "knobs", "{\"BP\":[1]}", "/knobs/BP"));
        CHECK(rejects(s, h, "knobs", "{\"BP\":null}", "/knobs/BP"));
        CHECK(rejects(s, h, "knobs", "{\"bad name\":1}", "/knobs/bad name"));
        CHECK(accepts(s, h, "knobs", "{}"));
    }
    CHECK_CASE("hypothesis: no unknown top-level fields") {
        CHECK(rejects(s, h, "notes", "\"x\"", "/notes: property not allowed"));
    }
    json_decref(h);
}

static void test_log(const json_t *s, const json_t *hs)
{
    json_t *l = J(LOG_JSON);
    CHECK_CASE("log_entry: a complete improvement entry is valid") {
        CHECK(l != NULL);
        CHECK_EQ_INT(schema_validate(s, l, err, sizeof err), 0);
    }
    if (!l)
        return;
    CHECK_CASE("log_entry: the embedded hypothesis validates separately") {
        json_t *h = Y(HYP_YAML);
        json_t *m = json_deep_copy(l);
        json_object_set(m, "hypothesis", h);
        CHECK_EQ_INT(schema_validate(s, m, err, sizeof err), 0);
        CHECK_EQ_INT(schema_validate(hs, json_object_get(m, "hypothesis"), err, sizeof err), 0);
        json_decref(m);
        json_decref(h);
    }
    CHECK_CASE("log_entry: a broken slot with null figures is valid") {
        json_t *b = mutate(l, "outcome", "\"broken\"");
        const char *nulls[] = {"fitness", "fmax_mhz", "cycles", "iterations", "coremark_per_mhz", "lut", "ff", "workload", "commit"};
        for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
            json_object_set_new(b, nulls[i], json_null());
        json_object_set_new(b, "failed_gate", json_string("lint"));
        json_object_set_new(b, "diagnostic", json_string("broken: lint: %Error: core.sv:3: syntax error"));
        json_object_set_new(b, "accepted", json_false());
        json_object_set_new(b, "hypothesis", json_null());
        CHECK_EQ_INT(schema_validate(s, b, err, sizeof err), 0);
        CHECK(rejects(s, b, "failed_gate", "null", "/failed_gate"));
        CHECK(rejects(s, b, "failed_gate", "\"make\"", "/failed_gate"));
        json_decref(b);
    }
    CHECK_CASE("log_entry: outcome and failed_gate agree") {
        CHECK(rejects(s, l, "outcome", "\"great\"", "/outcome"));
        CHECK(rejects(s, l, "failed_gate", "\"lint\"", "/failed_gate"));
        CHECK(rejects(s, l, "fitness", "null", "/fitness"));
        json_t *p = mutate(l, "outcome", "\"placement_failed\"");
        json_object_set_new(p, "fitness", json_null());
        CHECK(accepts(s, p, "failed_gate", "\"pnr\""));
        CHECK(rejects(s, p, "failed_gate", "\"lint\"", "/failed_gate"));
        CHECK(rejects(s, p, "failed_gate", "null", "/failed_gate"));
        CHECK(accepts(s, l, "outcome", "\"regression\""));
        json_decref(p);
    }
    CHECK_CASE("log_entry: required fields") {
        const char *req[] = {"id", "round", "slot", "parent", "hypothesis", "outcome", "failed_gate",
                             "diagnostic", "fitness", "fmax_mhz", "cycles", "iterations",
                             "coremark_per_mhz", "lut", "ff", "workload", "gate_seconds", "tools",
                             "started", "finished", "lesson"};
        for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
            char want[80];
            snprintf(want, sizeof want, "missing required property \"%s\"", req[i]);
            CHECK(rejects(s, l, req[i], NULL, want));
        }
        CHECK(accepts(s, l, "agent", NULL));
        CHECK(accepts(s, l, "commit", NULL));
        CHECK(accepts(s, l, "accepted", NULL));
    }
    CHECK_CASE("log_entry: field types and formats") {
        CHECK(rejects(s, l, "parent", "\"HEAD\"", "/parent"));
        CHECK(rejects(s, l, "parent", "\"0123456789ABCDEF0123456789abcdef01234567\"", "/parent"));
        CHECK(rejects(s, l, "round", "-1", "/round"));
        CHECK(rejects(s, l, "round", "1.5", "/round"));
        CHECK(accepts(s, l, "round", "2.0"));
        CHECK(rejects(s, l, "lut", "-5", "/lut"));
        CHECK(rejects(s, l, "cycles", "\"many\"", "/cycles"));
        CHECK(rejects(s, l, "started", "\"2026-08-22 11:28:09\"", "/started"));
        CHECK(rejects(s, l, "finished", "\"2026-13-01T00:00:00Z\"", "/finished"));
        CHECK(rejects(s, l, "lesson", "\"two\\nlines\"", "/lesson"));
        CHECK(rejects(s, l, "gate_seconds", "{\"lint\":-1}", "/gate_seconds/lint"));
        CHECK(rejects(s, l, "gate_seconds", "{\"bogus\":1}", "/gate_seconds/bogus"));
        CHECK(rejects(s, l, "fmax_mhz", "{\"seeds\":[48]}", "/fmax_mhz"));
        CHECK(accepts(s, l, "fmax_mhz", "{\"seeds\":[48.5,null,47],\"median\":47.75}"));
        CHECK(rejects(s, l, "agent", "{\"provider\":\"gpt\"}", "/agent"));
        CHECK(rejects(s, l, "commit", "\"abc\"", "/commit"));
        CHECK(rejects(s, l, "extra", "1", "/extra: property not allowed"));
    }
    json_decref(l);
}

static void test_result(const json_t *s)
{
    json_t *r = J("{\"gate\":\"synth\",\"status\":\"pass\",\"pass\":true,\"seconds\":24.7,"
                  "\"diagnostic\":\"\",\"log\":\"runs/x/synth.log\",\"cells\":{\"lut\":4100,\"ff\":1500}}");
    CHECK_CASE("eval_result: a gate result with figures is valid") {
        CHECK_EQ_INT(schema_validate(s, r, err, sizeof err), 0);
    }
    CHECK_CASE("eval_result: status and pass agree; error is never a pass") {
        CHECK(rejects(s, r, "pass", "false", "/pass"));
        json_t *e = mutate(r, "status", "\"error\"");
        CHECK(rejects(s, e, "pass", "true", "/pass"));
        CHECK(accepts(s, e, "pass", "false"));
        json_decref(e);
        CHECK(rejects(s, r, "status", "\"ok\"", "/status"));
    }
    CHECK_CASE("eval_result: required fields and figure types") {
        CHECK(rejects(s, r, "seconds", NULL, "missing required property \"seconds\""));
        CHECK(rejects(s, r, "diagnostic", NULL, "missing required property \"diagnostic\""));
        CHECK(accepts(s, r, "log", NULL));
        CHECK(rejects(s, r, "cached", "\"yes\"", "/cached"));
        CHECK(accepts(s, r, "fmax_mhz_median", "47.5"));
        CHECK(rejects(s, r, "gate", "\"Synth!\"", "/gate"));
    }
    json_decref(r);
}

static void test_core(const json_t *s)
{
    json_t *c = Y(CORE_YAML);
    CHECK_CASE("core.yaml: a complete core.yaml is valid") {
        CHECK(c != NULL);
        CHECK_EQ_INT(schema_validate(s, c, err, sizeof err), 0);
    }
    if (!c)
        return;
    CHECK_CASE("core.yaml: identity and FPGA fields") {
        CHECK(rejects(s, c, "name", NULL, "missing required property \"name\""));
        CHECK(rejects(s, c, "isa", "\"rv64gc\"", "/isa"));
        CHECK(accepts(s, c, "name", "\"my-core-2\""));
        /* '_' would make two names share slot ids (issue 17 item 10) */
        CHECK(rejects(s, c, "name", "\"my_core\"", "/name"));
        CHECK(rejects(s, c, "name", "\"Mini\"", "/name"));
        CHECK(accepts(s, c, "name", "\"a234567890123456789012345678901234567890\""));  /* 40 */
        CHECK(rejects(s, c, "name", "\"a2345678901234567890123456789012345678901\"", "/name")); /* 41 */
        CHECK(rejects(s, c, "fpga/device", "\"xc7a35t\"", "/fpga/device"));
        CHECK(rejects(s, c, "fpga/family", "\"ecp5\"", "/fpga/family"));
        CHECK(rejects(s, c, "fpga/clock_mhz", "0", "/fpga/clock_mhz"));
        CHECK(accepts(s, c, "fpga/clock_mhz", "12.5"));
        CHECK(rejects(s, c, "fpga/package", NULL, "/fpga: missing required property \"package\""));
        CHECK(rejects(s, c, "colour", "\"red\"", "/colour: property not allowed"));
    }
    CHECK_CASE("core.yaml: knobs") {
        CHECK(rejects(s, c, "knobs/values", "[1]", "/knobs/0/values"));
        CHECK(rejects(s, c, "knobs/values", "[1,1]", "/knobs/0/values"));
        CHECK(rejects(s, c, "knobs/file", "\"../../tools/x.c\"", "/knobs/0/file"));
        CHECK(rejects(s, c, "knobs/tradeoff", NULL, "missing required property \"tradeoff\""));
        CHECK(accepts(s, c, "knobs/values", "[\"none\",\"bimodal\",\"gshare\"]"));
    }
    CHECK_CASE("core.yaml: targets and current") {
        CHECK(rejects(s, c, "targets", "{\"lut\":0}", "/targets/lut"));
        CHECK(rejects(s, c, "targets", "{\"coremark\":-1}", "/targets/coremark"));
        CHECK(rejects(s, c, "targets", "{\"area\":1}", "/targets/area"));
        CHECK(accepts(s, c, "targets", "{}"));
        CHECK(accepts(s, c, "current", "{\"id\":\"mini-r1-s1-0000\",\"fitness\":1234.5,\"lut\":2900,\"note\":\"free-form\"}"));
        CHECK(rejects(s, c, "current", "{\"lut\":\"many\"}", "/current/lut"));
    }
    json_decref(c);
    const char *path = "cores/baseline/core.yaml";
    if (access(path, F_OK) != 0) {
        check_skip("core.yaml: cores/baseline/core.yaml validates",
                   "cores/baseline/core.yaml does not exist yet (written by the baseline core's author)");
        return;
    }
    CHECK_CASE("core.yaml: cores/baseline/core.yaml validates") {
        json_t *b = yamljson_load_file(path, err, sizeof err);
        if (!b)
            check_fail(__FILE__, __LINE__, err);
        else if (schema_validate(s, b, err, sizeof err) != 0)
            check_fail(__FILE__, __LINE__, err);
        json_decref(b);
    }
}

static json_t *load(const char *path)
{
    char e[512];
    json_t *s = schema_load(path, e, sizeof e);
    CHECK_CASE(path) {
        if (!s)
            check_fail(__FILE__, __LINE__, e);
    }
    return s;
}

int main(void)
{
    schemas S;
    S.hyp = load("schemas/hypothesis.schema.json");
    S.log = load("schemas/log_entry.schema.json");
    S.res = load("schemas/eval_result.schema.json");
    S.core = load("schemas/core.schema.json");
    if (S.hyp)
        test_hypothesis(S.hyp);
    if (S.log && S.hyp)
        test_log(S.log, S.hyp);
    if (S.res)
        test_result(S.res);
    if (S.core)
        test_core(S.core);
    json_decref(S.hyp);
    json_decref(S.log);
    json_decref(S.res);
    json_decref(S.core);
    return check_done();
}
