/* test_schema — tools/schema beyond the official suite: the pattern
 * translator (jsre), error texts and JSON pointers, unusable schemas, $ref,
 * and the keywords the official files present here do not exercise
 * (if/then/else, contains, dependencies, propertyNames, min/maxProperties,
 * multipleOf on reals). Expected answers are worked out from draft-07. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "schema/jsre.h"
#include "schema/schema.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!v)
        fprintf(stderr, "bad test JSON: %s: %s\n", text, e.text);
    return v;
}

/* schema_validate on two JSON texts; err receives the message. */
static int V(const char *schema, const char *inst, char *err, size_t n)
{
    json_t *s = J(schema), *x = J(inst);
    int r = (s && x) ? schema_validate(s, x, err, n) : -2;
    json_decref(s);
    json_decref(x);
    return r;
}

/* 1/0 for match/no match of an ECMA pattern, -2 if it does not compile. */
static int M(const char *pattern, const char *s)
{
    regex_t re;
    char err[256];
    locale_t loc = jsre_utf8_locale();
    int r = -2;
    if (jsre_compile(&re, pattern, loc, err, sizeof err) == 0) {
        r = jsre_match(&re, s, strlen(s), loc, err, sizeof err);
        regfree(&re);
    }
    if (loc)
        freelocale(loc);
    return r;
}

/* Whether jsre_translate refuses pat with an error that holds one of why[]
 * (NULL-terminated); says which pattern when it does not. */
static bool refused(const char *pat, const char *const *why)
{
    char err[256];
    char *t = jsre_translate(pat, err, sizeof err);
    if (t) {
        fprintf(stderr, "translated, not refused: %s\n", pat);
        free(t);
        return false;
    }
    for (; *why; why++)
        if (strstr(err, *why))
            return true;
    fprintf(stderr, "refused for another reason: %s: %s\n", pat, err);
    return false;
}

static void test_jsre(void)
{
    char err[256];
    CHECK_CASE("jsre shorthand classes \\d \\w \\s and negations") {
        CHECK_EQ_INT(M("^\\d{3}$", "123"), 1);
        CHECK_EQ_INT(M("^\\d{3}$", "12a"), 0);
        CHECK_EQ_INT(M("^\\w+$", "a_Z9"), 1);
        CHECK_EQ_INT(M("^\\w+$", "a-b"), 0);
        CHECK_EQ_INT(M("^a\\sb$", "a b"), 1);
        CHECK_EQ_INT(M("^\\D\\W\\S$", "a-x"), 1);
        CHECK_EQ_INT(M("^\\D$", "5"), 0);
    }
    CHECK_CASE("jsre escaped metacharacters are literals") {
        CHECK_EQ_INT(M("^a\\.b$", "a.b"), 1);
        CHECK_EQ_INT(M("^a\\.b$", "axb"), 0);
        CHECK_EQ_INT(M("^\\(\\)\\[\\]\\{\\}\\*\\+\\?\\|\\^\\$\\\\/$", "()[]{}*+?|^$\\/"), 1);
        CHECK_EQ_INT(M("^a\\/b$", "a/b"), 1);
    }
    CHECK_CASE("jsre bracket classes with escapes, ranges and special members") {
        CHECK_EQ_INT(M("^[a-z\\-]+$", "a-b"), 1);
        CHECK_EQ_INT(M("^[a-z\\-]+$", "a\\b"), 0); /* backslash is not a member */
        CHECK_EQ_INT(M("^[\\]x]+$", "]x]"), 1);
        CHECK_EQ_INT(M("^[\\^]$", "^"), 1);
        CHECK_EQ_INT(M("^[\\^]$", "a"), 0);
        CHECK_EQ_INT(M("^[^\\^]$", "a"), 1);
        CHECK_EQ_INT(M("^[^\\^]$", "^"), 0);
        CHECK_EQ_INT(M("^[\\d.]+$", "1.5"), 1);
        CHECK_EQ_INT(M("^[\\w-]+$", "a-b_c"), 1);
        CHECK_EQ_INT(M("^[\\[]$", "["), 1);
        CHECK_EQ_INT(M("^[^\\n]*$", "one line"), 1);
        CHECK_EQ_INT(M("^[^\\n]*$", "two\nlines"), 0);
    }
    CHECK_CASE("jsre non-capturing groups, lazy quantifiers, literal braces") {
        CHECK_EQ_INT(M("^(?:ab)+$", "abab"), 1);
        CHECK_EQ_INT(M("^a+?b*?c??$", "aab"), 1);
        CHECK_EQ_INT(M("^a{2,3}?$", "aaa"), 1);
        CHECK_EQ_INT(M("^x{y}$", "x{y}"), 1);
        CHECK_EQ_INT(M("^a{2}$", "aaa"), 0);
    }
    CHECK_CASE("jsre UTF-8: dot and classes match whole code points") {
        CHECK_EQ_INT(M("^.$", "\xc3\xa1"), 1);             /* á is one character */
        CHECK_EQ_INT(M("^\\u00e1$", "\xc3\xa1"), 1);
        CHECK_EQ_INT(M("^\\ud83d\\ude00$", "\xf0\x9f\x98\x80"), 1);
        CHECK_EQ_INT(M("^[a\xc3\xa9]$", "\xc3\xa9"), 1);   /* é as one class member */
        CHECK_EQ_INT(M("^[^a]$", "\xc3\xa9"), 1);
        CHECK_EQ_INT(M("^[\xc3\xa0-\xc3\xbf]$", "\xc3\xa9"), -2); /* refused: see jsre.h */
    }
    CHECK_CASE("jsre is unanchored like ECMA test()") {
        CHECK_EQ_INT(M("b+", "abbbc"), 1);
        CHECK_EQ_INT(M("", "anything"), 1);
    }
    CHECK_CASE("jsre refuses unsupported constructs with a reason") {
        const char *bad[] = {"(?=a)", "(?!a)", "(?<n>a)", "(a)\\1", "\\bword", "\\p{L}",
                             "[\\D]", "[]", "a\\", "\\q"};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            CHECK(refused(bad[i], (const char *[]){"unsupported", "backslash", NULL}));
    }
    CHECK_CASE("jsre refuses patterns whose expanded repetitions or group nesting are too large") {
        char deep[200];
        memset(deep, '(', 70);
        strcpy(deep + 70, "a");
        const char *big[] = {"a{1,1001}", "((a{1,100}){1,100}){1,100}", "a{1,32767}",
                             "(ab{0,30}c){40}", "a{99999999999999999999999}", deep,
                             "((){1,100}){1,100}"};
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
            CHECK(refused(big[i], (const char *[]){"too large", "nested deeper", "empty string", NULL}));
        CHECK(!jsre_translate("\xc2(a)", err, sizeof err));
        CHECK_STR_CONTAINS(err, "not valid UTF-8");
        CHECK(!jsre_translate("a\xed\xa0\x80", err, sizeof err)); /* a surrogate */
        CHECK_EQ_INT(M("^a{1,1000}$", "aaa"), 1);
        CHECK_EQ_INT(M("^((a{1,9}){1,9}){1,9}$", "aaaa"), 1);
        CHECK_EQ_INT(M("^([0-9a-f]{40}|[0-9a-f]{64})$", "0123456789abcdef0123456789abcdef01234567"), 1);
    }
    CHECK_CASE("jsre refuses repeated parts that can match empty and stacked quantifiers; keeps the rest") {
        /* Found by the jsre fuzz target: glibc's matcher took 30 s on the first. */
        const char *slow[] = {"$(){1,800}){1,100}\\d!}", "((){1,100}){1,}", "(a|)+", "(a*)*", "(a?b?)+", "(^)+",
                              "x++", "a{2}{3}", "(a*|b)*"};
        for (size_t i = 0; i < sizeof slow / sizeof slow[0]; i++)
            CHECK(refused(slow[i], (const char *[]){"empty string", "quantifier follows", NULL}));
        CHECK_EQ_INT(M("^(ab)*$", "abab"), 1);
        CHECK_EQ_INT(M("^(a|b)+$", "abba"), 1);
        CHECK_EQ_INT(M("^a?b*c+?$", "bbc"), 1);
        CHECK_EQ_INT(M("^(a*b)+$", "aabab"), 1);
        CHECK_EQ_INT(M("^(a?)$", ""), 1);
        CHECK_EQ_INT(M("^(x|y)?z{0,3}$", "zz"), 1);
    }
    CHECK_CASE("jsre matches a subject that is not NUL-terminated") {
        regex_t re;
        char subject[3] = {'x', 'a', 'b'}; /* no terminator: read only [0, 3) */
        CHECK_EQ_INT(jsre_compile(&re, "ab$", (locale_t)0, err, sizeof err), 0);
        CHECK_EQ_INT(jsre_match(&re, subject, sizeof subject, (locale_t)0, err, sizeof err), 1);
        CHECK_EQ_INT(jsre_match(&re, subject, 2, (locale_t)0, err, sizeof err), 0);
        regfree(&re);
    }
    CHECK_CASE("jsre a broken pattern reports the POSIX error") {
        regex_t re;
        CHECK_EQ_INT(jsre_compile(&re, "(ab", (locale_t)0, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "does not compile");
    }
    CHECK_CASE("jsre matches strings with embedded NULs") {
        regex_t re;
        CHECK_EQ_INT(jsre_compile(&re, "b$", (locale_t)0, err, sizeof err), 0);
        CHECK_EQ_INT(jsre_match(&re, "a\0b", 3, (locale_t)0, err, sizeof err), 1);
        regfree(&re);
    }
}

static void test_errors(void)
{
    char err[512];
    CHECK_CASE("schema error names the instance location as a JSON pointer") {
        const char *s = "{\"properties\":{\"a\":{\"items\":{\"properties\":{\"b/c~d\":{\"type\":\"integer\"}}}}}}";
        CHECK_EQ_INT(V(s, "{\"a\":[{\"b/c~d\":1},{\"b/c~d\":\"x\"}]}", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "/a/1/b~1c~0d: is a string, expected integer");
    }
    CHECK_CASE("schema error pointer deeper than the buffer is cut with ...") {
        /* 300 nested arrays, the innermost item of the wrong type */
        char sch[8192] = "", inst[2048] = "";
        for (int i = 0; i < 300; i++)
            strcat(sch, "{\"items\":");
        strcat(sch, "{\"type\":\"string\"}");
        for (int i = 0; i < 300; i++)
            strcat(sch, "}");
        for (int i = 0; i < 300; i++)
            strcat(inst, "[");
        strcat(inst, "1");
        for (int i = 0; i < 300; i++)
            strcat(inst, "]");
        char big[1024];
        CHECK_EQ_INT(V(sch, inst, big, sizeof big), 1);
        CHECK(strncmp(big, "/0/0/0", 6) == 0);
        CHECK(strlen(big) < 600);
        CHECK_STR_CONTAINS(big + 450, "...: is an integer, expected string");
    }
    CHECK_CASE("schema error at the root says (root)") {
        CHECK_EQ_INT(V("{\"required\":[\"id\"]}", "{}", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "(root): missing required property \"id\"");
    }
    CHECK_CASE("schema error texts for bounds, lengths, patterns, enums") {
        CHECK_EQ_INT(V("{\"minimum\":2.5}", "2", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "2 is less than minimum 2.5");
        CHECK_EQ_INT(V("{\"maxLength\":2}", "\"abc\"", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "3 characters long, longer than maxLength 2");
        CHECK_EQ_INT(V("{\"pattern\":\"^a\"}", "\"ba\"", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "\"ba\" does not match pattern \"^a\"");
        CHECK_EQ_INT(V("{\"enum\":[\"x\",\"y\"]}", "\"z\"", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "\"z\" is not one of [\"x\",\"y\"]");
        CHECK_EQ_INT(V("{\"additionalProperties\":false}", "{\"q\":1}", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "/q: property not allowed");
    }
    CHECK_CASE("schema anyOf failure quotes the first branch's error") {
        CHECK_EQ_INT(V("{\"anyOf\":[{\"type\":\"null\"},{\"minimum\":5}]}", "3", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "none of the 2 schemas in anyOf");
        CHECK_STR_CONTAINS(err, "expected null");
    }
    CHECK_CASE("schema maxLength counts code points, not bytes") {
        CHECK_EQ_INT(V("{\"maxLength\":2}", "\"\\u00e1\\u00e9\"", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"minLength\":3}", "\"\\u00e1\\u00e9\"", err, sizeof err), 1);
    }
    CHECK_CASE("schema integers: 1.0 is an integer, 1.5 is not") {
        CHECK_EQ_INT(V("{\"type\":\"integer\"}", "1.0", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"type\":\"integer\"}", "1.5", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"enum\":[1]}", "1.0", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"uniqueItems\":true}", "[1,1.0]", err, sizeof err), 1);
    }
}

static void test_unusable(void)
{
    char err[512];
    CHECK_CASE("schema unusable: bad keyword values give -1") {
        CHECK_EQ_INT(V("{\"type\":\"float\"}", "1", err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "unknown type \"float\"");
        CHECK_EQ_INT(V("{\"minLength\":-1}", "\"a\"", err, sizeof err), -1);
        CHECK_EQ_INT(V("{\"multipleOf\":0}", "4", err, sizeof err), -1);
        CHECK_EQ_INT(V("{\"pattern\":\"(?=x)\"}", "\"x\"", err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "unsupported");
        CHECK_EQ_INT(V("{\"$ref\":\"#/definitions/nope\"}", "1", err, sizeof err), -1);
        CHECK_EQ_INT(V("{\"$ref\":\"http://example.com/s.json\"}", "1", err, sizeof err), -1);
        CHECK_EQ_INT(V("[1]", "1", err, sizeof err), -1);
    }
    CHECK_CASE("schema unusable: a problem inside anyOf/not still surfaces") {
        CHECK_EQ_INT(V("{\"anyOf\":[{\"type\":\"bogus\"}]}", "1", err, sizeof err), -1);
        CHECK_EQ_INT(V("{\"not\":{\"minItems\":\"x\"}}", "[]", err, sizeof err), -1);
    }
    CHECK_CASE("schema_check walks every subschema and names the place") {
        json_t *s = J("{\"properties\":{\"a\":{\"items\":[{},{\"maxItems\":1.5}]}}}");
        CHECK_EQ_INT(schema_check(s, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "/properties/a/items/1");
        json_decref(s);
        s = J("{\"definitions\":{\"x\":{\"pattern\":\"\\\\bx\"}}}");
        CHECK_EQ_INT(schema_check(s, err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "word boundary");
        json_decref(s);
        s = J("{\"$schema\":\"http://json-schema.org/draft-04/schema#\"}");
        CHECK_EQ_INT(schema_check(s, err, sizeof err), -1);
        json_decref(s);
        s = J("{\"properties\":{\"a\":{\"$id\":\"#a\"}}}");
        CHECK_EQ_INT(schema_check(s, err, sizeof err), -1);
        json_decref(s);
        s = J("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"$ref\":\"#/definitions/d\","
              "\"definitions\":{\"d\":{\"type\":[\"string\",\"null\"]}}}");
        CHECK_EQ_INT(schema_check(s, err, sizeof err), 0);
        json_decref(s);
    }
    CHECK_CASE("schema recursive $ref \"#\" validates trees and stops on cycles") {
        const char *tree = "{\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}},"
                           "\"v\":{\"type\":\"integer\"}}}";
        CHECK_EQ_INT(V(tree, "{\"v\":1,\"kids\":[{\"v\":2,\"kids\":[{\"v\":3}]}]}", err, sizeof err), 0);
        CHECK_EQ_INT(V(tree, "{\"v\":1,\"kids\":[{\"v\":2,\"kids\":[{\"v\":\"x\"}]}]}", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "/kids/0/kids/0/v");
        CHECK_EQ_INT(V("{\"$ref\":\"#\"}", "1", err, sizeof err), -1);
        CHECK_STR_CONTAINS(err, "$ref cycle");
    }
    CHECK_CASE("schema $ref with escaped pointer tokens") {
        const char *s = "{\"definitions\":{\"a/b\":{\"type\":\"string\"},\"c%d\":{\"type\":\"null\"}},"
                        "\"properties\":{\"x\":{\"$ref\":\"#/definitions/a~1b\"},\"y\":{\"$ref\":\"#/definitions/c%25d\"}}}";
        CHECK_EQ_INT(V(s, "{\"x\":\"s\",\"y\":null}", err, sizeof err), 0);
        CHECK_EQ_INT(V(s, "{\"x\":1}", err, sizeof err), 1);
        CHECK_EQ_INT(V(s, "{\"y\":1}", err, sizeof err), 1);
    }
}

static void test_extra_keywords(void)
{
    char err[512];
    CHECK_CASE("schema if/then/else") {
        const char *s = "{\"if\":{\"properties\":{\"k\":{\"const\":\"a\"}}},"
                        "\"then\":{\"required\":[\"x\"]},\"else\":{\"required\":[\"y\"]}}";
        CHECK_EQ_INT(V(s, "{\"k\":\"a\",\"x\":1}", err, sizeof err), 0);
        CHECK_EQ_INT(V(s, "{\"k\":\"a\",\"y\":1}", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "\"x\"");
        CHECK_EQ_INT(V(s, "{\"k\":\"b\",\"y\":1}", err, sizeof err), 0);
        CHECK_EQ_INT(V(s, "{\"k\":\"b\",\"x\":1}", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"then\":false}", "1", err, sizeof err), 0); /* then without if */
    }
    CHECK_CASE("schema contains") {
        CHECK_EQ_INT(V("{\"contains\":{\"minimum\":5}}", "[1,6]", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"contains\":{\"minimum\":5}}", "[1,2]", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"contains\":{\"minimum\":5}}", "[]", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"contains\":{\"minimum\":5}}", "{}", err, sizeof err), 0);
    }
    CHECK_CASE("schema dependencies (array and schema forms)") {
        const char *s = "{\"dependencies\":{\"a\":[\"b\"],\"c\":{\"required\":[\"d\"]}}}";
        CHECK_EQ_INT(V(s, "{\"a\":1,\"b\":2}", err, sizeof err), 0);
        CHECK_EQ_INT(V(s, "{\"a\":1}", err, sizeof err), 1);
        CHECK_EQ_INT(V(s, "{\"c\":1}", err, sizeof err), 1);
        CHECK_EQ_INT(V(s, "{\"b\":1,\"d\":1}", err, sizeof err), 0);
    }
    CHECK_CASE("schema propertyNames, minProperties, maxProperties") {
        CHECK_EQ_INT(V("{\"propertyNames\":{\"maxLength\":3}}", "{\"abc\":1}", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"propertyNames\":{\"maxLength\":3}}", "{\"abcd\":1}", err, sizeof err), 1);
        CHECK_STR_CONTAINS(err, "/abcd");
        CHECK_EQ_INT(V("{\"minProperties\":1}", "{}", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"maxProperties\":1}", "{\"a\":1,\"b\":2}", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"maxProperties\":1}", "{\"a\":1}", err, sizeof err), 0);
    }
    CHECK_CASE("schema multipleOf with reals and integers") {
        CHECK_EQ_INT(V("{\"multipleOf\":0.1}", "0.3", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"multipleOf\":0.01}", "19.99", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"multipleOf\":0.1}", "0.35", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"multipleOf\":3}", "9", err, sizeof err), 0);
        CHECK_EQ_INT(V("{\"multipleOf\":3}", "10", err, sizeof err), 1);
        CHECK_EQ_INT(V("{\"multipleOf\":1.5}", "4.5", err, sizeof err), 0);
    }
    CHECK_CASE("schema format is an annotation (not asserted)") {
        CHECK_EQ_INT(V("{\"format\":\"date-time\"}", "\"not a date\"", err, sizeof err), 0);
    }
    CHECK_CASE("schema_json_equal: numbers by value, objects unordered, NULs count") {
        json_t *a = J("{\"x\":[1,2.0,{\"y\":null}],\"z\":\"a\\u0000b\"}");
        json_t *b = J("{\"z\":\"a\\u0000b\",\"x\":[1.0,2,{\"y\":null}]}");
        json_t *c = J("{\"z\":\"a\\u0000c\",\"x\":[1.0,2,{\"y\":null}]}");
        CHECK(schema_json_equal(a, b));
        CHECK(!schema_json_equal(a, c));
        json_decref(a);
        json_decref(b);
        json_decref(c);
    }
}

int main(void)
{
    test_jsre();
    test_errors();
    test_unusable();
    test_extra_keywords();
    return check_done();
}
