/*
 * test_questionnaire.c: questionnaires as data (domain/questionnaire.c): the shipped templates
 * (from the source tree and embedded), canonical round trips, every validation rule with the
 * element and Dutch reason it reports, conditions (forward, unknown, wrong kind, bad values),
 * hostile documents and limits, compatibility between versions, visibility and the numeric
 * storage helpers.
 */
#include "domain/questionnaire.h"
#include "core/common.h"
#include "core/buf.h"
#include <setjmp.h>
#include <cmocka.h>

#define WMO_PATH   TEST_SOURCE_DIR "/data/vragenlijsten/wmo-cevo.json"
#define JEUGD_PATH TEST_SOURCE_DIR "/data/vragenlijsten/jeugd-uitkomst.json"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* A small valid document with every kind and a condition; %s slots are replaced by tests. */
static const char *base_doc =
    "{\"versie\":1,\"code\":\"test_lijst\",\"titel\":\"Test\",\"secties\":["
    "{\"code\":\"a\",\"titel\":\"Eerste\",\"vragen\":["
    "{\"item\":\"q1\",\"soort\":\"eens5\",\"tekst\":\"Eens?\"},"
    "{\"item\":\"q2\",\"soort\":\"keuze\",\"tekst\":\"Welke?\",\"opties\":["
    "{\"code\":\"x\",\"label\":\"X\"},{\"code\":\"y\",\"label\":\"Y\",\"label_en\":\"Why\"}]}]},"
    "{\"code\":\"b\",\"titel\":\"Tweede\",\"vragen\":["
    "{\"item\":\"q3\",\"soort\":\"cijfer\",\"tekst\":\"Cijfer?\",\"verplicht\":true},"
    "{\"item\":\"q4\",\"soort\":\"meerkeuze\",\"tekst\":\"Wat?\",\"opties\":["
    "{\"code\":\"m1\",\"label\":\"M1\"},{\"code\":\"m2\",\"label\":\"M2\"}]},"
    "{\"item\":\"q5\",\"soort\":\"open\",\"tekst\":\"Waarom?\",\"als\":{\"item\":\"q2\","
    "\"is\":[\"y\"]}}]}]}";

static int parse(struct arena *a, const char *json, struct questionnaire *q, struct err_ctx *e)
{
    err_clear(e);
    return questionnaire_parse(a, json, strlen(json), q, e);
}

/* Replaces the first occurrence of from in base_doc with to and expects an error containing
 * want (and, when where is given, naming that element). */
static void expect_bad(const char *from, const char *to, const char *want)
{
    struct arena *a = arena_new(0);
    const char *p = strstr(base_doc, from);
    assert_non_null(p);
    char *doc = arena_printf(a, "%.*s%s%s", (int)(p - base_doc), base_doc, to, p + strlen(from));
    struct questionnaire q;
    struct err_ctx e;
    int rc = parse(a, doc, &q, &e);
    if (rc == 0 || !strstr(e.msg, want))
        fail_msg("replacing %s by %s: rc %d, message \"%s\", wanted \"%s\"", from, to, rc, e.msg,
                 want);
    arena_free(a);
}

static void test_templates_file(void **state)
{
    (void)state;
    const char *paths[] = {WMO_PATH, JEUGD_PATH};
    for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
        struct arena *a = arena_new(0);
        size_t len;
        char *json = slurp(paths[i], &len);
        struct questionnaire q;
        struct err_ctx e = {0};
        int rc = questionnaire_parse(a, json, len, &q, &e);
        if (rc)
            fail_msg("%s: %s", paths[i], e.msg);
        /* Every question has an English text (the issue asks for English versions). */
        for (int k = 0; k < q.nquestions; k++) {
            assert_non_null(q.questions[k].text_en);
            for (int o = 0; o < q.questions[k].noptions; o++)
                assert_non_null(q.questions[k].options[o].label_en);
        }
        /* The shipped file is already canonical. */
        const char *w = questionnaire_write(a, &q);
        assert_non_null(w);
        size_t wl = strlen(w);
        assert_true(len == wl + 1 && json[wl] == '\n'); /* the file ends with a newline */
        json[wl] = '\0';
        assert_string_equal(w, json);
        free(json);
        arena_free(a);
    }
}

static void test_template_wmo(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire q;
    struct err_ctx e = {0};
    const char *json = NULL;
    assert_int_equal(questionnaire_template(a, "wmo-cevo", &q, &json, &e), 0);
    assert_non_null(json);
    /* The ten items exactly as the demo and the standard indicators use them. */
    for (int i = 1; i <= 10; i++) {
        char item[24];
        snprintf(item, sizeof item, "wmo_ceo_%d", i);
        const struct q_question *qu = questionnaire_find(&q, item);
        assert_non_null(qu);
        assert_int_equal(qu->kind, i == 5 ? Q_KEUZE : Q_EENS5);
        const char *want = i <= 5 ? "toegang" : i <= 7 ? "kwaliteit" : "effect";
        assert_string_equal(q.sections[qu->section].code, want);
    }
    /* Item 5 is ja/nee: ja stored as 1, nee as 2 (the indicator counts = 1 of in (1, 2)). */
    const struct q_question *q5 = questionnaire_find(&q, "wmo_ceo_5");
    assert_int_equal(q5->noptions, 2);
    assert_string_equal(q5->options[0].code, "ja");
    assert_int_equal(q.nsections, 3);

    assert_int_equal(questionnaire_template(a, "jeugd-uitkomst", &q, NULL, &e), 0);
    const struct q_question *inf = questionnaire_find(&q, "jeugd_informant");
    assert_non_null(inf);
    assert_int_equal(inf->noptions, 2);
    assert_string_equal(inf->options[0].code, "jongere");
    assert_string_equal(inf->options[1].code, "ouder");
    const struct q_question *nut = questionnaire_find(&q, "jeugd_nut");
    assert_int_equal(nut->kind, Q_CIJFER);
    const struct q_question *zh = questionnaire_find(&q, "jeugd_zonder_hulp");
    assert_int_equal(zh->noptions, 4);
    for (int i = 0; i < 4; i++) { /* position = the CBS code 01..04 */
        char code[16];
        snprintf(code, sizeof code, "%02d", i + 1);
        assert_string_equal(zh->options[i].code, code);
    }
    assert_int_equal(questionnaire_template(a, "bestaat-niet", &q, NULL, &e), ERR_NOT_FOUND);
    int n = 0;
    assert_non_null(questionnaire_templates(&n));
    assert_int_equal(n, 2);
    arena_free(a);
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire q, q2;
    struct err_ctx e;
    if (parse(a, base_doc, &q, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(q.nsections, 2);
    assert_int_equal(q.nquestions, 5);
    assert_int_equal(q.sections[1].first, 2);
    assert_int_equal(q.sections[1].count, 3);
    assert_true(q.questions[2].required);
    assert_true(q.questions[4].has_condition);
    assert_int_equal(q.questions[4].cond.ref, 1);
    assert_int_equal(q.questions[4].cond.numbers[0], 2); /* option y is the 2nd */
    char *w1 = questionnaire_write(a, &q);
    assert_non_null(w1);
    assert_int_equal(parse(a, w1, &q2, &e), 0);
    char *w2 = questionnaire_write(a, &q2);
    assert_string_equal(w1, w2);
    /* Optional empty texts are left out; integers in a condition become strings. */
    const char *d2 = "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"intro\":\"  \","
                     "\"secties\":[{\"code\":\"s\",\"titel\":\"S\",\"vragen\":["
                     "{\"item\":\"c\",\"soort\":\"cijfer\",\"tekst\":\"C\"},"
                     "{\"item\":\"d\",\"soort\":\"open\",\"tekst\":\"D\",\"tekst_en\":\"\","
                     "\"als\":{\"item\":\"c\",\"is\":[7,3]}}]}]}";
    if (parse(a, d2, &q, &e))
        fail_msg("%s", e.msg);
    w1 = questionnaire_write(a, &q);
    assert_null(strstr(w1, "intro"));
    assert_null(strstr(w1, "tekst_en"));
    assert_non_null(strstr(w1, "\"7\""));
    assert_non_null(strstr(w1, "\"3\""));
    arena_free(a);
}

static void test_validation_messages(void **state)
{
    (void)state;
    expect_bad("\"versie\":1", "\"versie\":2", "\"versie\" moet 1 zijn");
    expect_bad("\"code\":\"test_lijst\"", "\"code\":\"Test\"", "\"code\" moet 2 tot 48");
    expect_bad("\"titel\":\"Test\",", "", "\"titel\" ontbreekt");
    expect_bad("\"soort\":\"eens5\"", "\"soort\":\"schaal\"", "vraag 1 (q1): onbekende soort");
    expect_bad("\"item\":\"q3\"", "\"item\":\"q1\"",
               "vraag 3 (q1): het item komt al voor bij vraag 1");
    expect_bad("\"item\":\"q3\"", "\"item\":\"Q 3\"", "vraag 3 (Q 3): \"item\" moet");
    expect_bad("\"item\":\"q3\"", "\"item\":\"code\"",
               "vraag 3 (code): \"code\" kan geen item zijn: het formulier gebruikt die naam al");
    expect_bad("\"tekst\":\"Eens?\"", "\"tekst\":\" \"", "vraag 1 (q1): \"tekst\" ontbreekt");
    expect_bad("\"tekst\":\"Eens?\"", "\"tekst\":\"a\\nb\"", "\"tekst\" bevat ongeldige tekens");
    expect_bad("{\"code\":\"x\",\"label\":\"X\"},", "", "vraag 2 (q2): een keuzevraag heeft 2 tot");
    expect_bad("{\"code\":\"y\"", "{\"code\":\"x\"",
               "vraag 2 (q2): optie 2: de code \"x\" komt al voor");
    expect_bad("\"label\":\"X\"", "\"labl\":\"X\"", "onbekende sleutel \"labl\" in een optie");
    expect_bad("\"soort\":\"cijfer\",", "\"soort\":\"cijfer\",\"opties\":[],",
               "vraag 3 (q3): een vraag van soort cijfer heeft geen \"opties\"");
    expect_bad("\"verplicht\":true", "\"verplicht\":\"ja\"", "\"verplicht\" moet true of false");
    expect_bad("{\"code\":\"b\"", "{\"code\":\"a\"",
               "sectie 2 (a): de code komt al voor bij sectie 1");
    expect_bad("\"titel\":\"Eerste\",", "\"titel\":\"Eerste\",\"extra\":1,",
               "onbekende sleutel \"extra\" in een sectie");
    expect_bad("\"titel\":\"Test\",\"secties\":[",
               "\"titel\":\"Test\",\"titel\":\"x\",\"secties\":[",
               "een sleutel komt twee keer voor");
    expect_bad("{\"versie\"", "[{\"versie\"", "geen geldige JSON");
    expect_bad("\"vragen\":[{\"item\":\"q3\"", "\"vragen\":[],\"x\":[{\"item\":\"q3\"",
               "onbekende sleutel \"x\"");
}

static void test_conditions(void **state)
{
    (void)state;
    /* Forward: q1 depends on q3, which comes later. */
    expect_bad("\"tekst\":\"Eens?\"}",
               "\"tekst\":\"Eens?\",\"als\":{\"item\":\"q3\",\"is\":[\"5\"]}}",
               "vraag 1 (q1): de voorwaarde verwijst naar \"q3\", dat niet eerder");
    /* On itself. */
    expect_bad("\"tekst\":\"Eens?\"}",
               "\"tekst\":\"Eens?\",\"als\":{\"item\":\"q1\",\"is\":[\"5\"]}}",
               "dat niet eerder in de vragenlijst staat");
    /* Unknown. */
    expect_bad("\"item\":\"q2\",\"is\"", "\"item\":\"zz\",\"is\"",
               "vraag 5 (q5): de voorwaarde verwijst naar een onbekend item \"zz\"");
    /* On a meerkeuze or open question. */
    expect_bad("\"item\":\"q2\",\"is\":[\"y\"]", "\"item\":\"q4\",\"is\":[\"m1\"]",
               "alleen op een vraag van soort eens5, cijfer of keuze (\"q4\" is meerkeuze)");
    /* Values that are not answers. */
    expect_bad("\"is\":[\"y\"]", "\"is\":[\"z\"]", "noemt \"z\", geen mogelijk antwoord op \"q2\"");
    expect_bad("\"is\":[\"y\"]", "\"is\":[]", "de voorwaarde heeft 1 tot 20 waarden nodig");
    expect_bad("\"is\":[\"y\"]", "\"is\":[true]", "tekst of hele getallen");
    expect_bad("\"is\":[\"y\"]", "\"is\":\"y\"", "\"is\" moet een lijst zijn");
    expect_bad("\"als\":{\"item\"", "\"als\":{\"wanneer\":1,\"item\"",
               "onbekende sleutel \"wanneer\"");
    /* eens5 0..5 only; cijfer 1..10 only. */
    struct arena *a = arena_new(0);
    struct questionnaire q;
    struct err_ctx e;
    const char *ok = "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":\"s\","
                     "\"titel\":\"S\",\"vragen\":[{\"item\":\"e\",\"soort\":\"eens5\",\"tekst\":"
                     "\"E\"},{\"item\":\"c\",\"soort\":\"cijfer\",\"tekst\":\"C\",\"als\":{"
                     "\"item\":\"e\",\"is\":[\"0\",\"5\"]}},{\"item\":\"d\",\"soort\":\"open\","
                     "\"tekst\":\"D\",\"als\":{\"item\":\"c\",\"is\":[\"10\"]}}]}]}";
    assert_int_equal(parse(a, ok, &q, &e), 0);
    const char *bad6 = "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":\"s\","
                       "\"titel\":\"S\",\"vragen\":[{\"item\":\"e\",\"soort\":\"eens5\",\"tekst\":"
                       "\"E\"},{\"item\":\"c\",\"soort\":\"cijfer\",\"tekst\":\"C\",\"als\":{"
                       "\"item\":\"e\",\"is\":[\"6\"]}}]}]}";
    assert_int_equal(parse(a, bad6, &q, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "vraag 2 (c)"));
    const char *bad11 =
        "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":\"s\","
        "\"titel\":\"S\",\"vragen\":[{\"item\":\"c\",\"soort\":\"cijfer\",\"tekst\":"
        "\"C\"},{\"item\":\"d\",\"soort\":\"open\",\"tekst\":\"D\",\"als\":{"
        "\"item\":\"c\",\"is\":[\"0\"]}}]}]}";
    assert_int_equal(parse(a, bad11, &q, &e), ERR_INVALID);
    arena_free(a);
}

struct answers {
    const char *items[4];
    int64_t values[4];
};

static int64_t value_of(void *ctx, const char *item)
{
    const struct answers *an = ctx;
    for (int i = 0; i < 4 && an->items[i]; i++)
        if (strcmp(an->items[i], item) == 0)
            return an->values[i];
    return -1;
}

static void test_visible(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire q;
    struct err_ctx e;
    /* c shown when e is 4 or 5; d shown when c is 10 (and so only when c is shown). */
    const char *doc = "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":\"s\","
                      "\"titel\":\"S\",\"vragen\":[{\"item\":\"e\",\"soort\":\"eens5\",\"tekst\":"
                      "\"E\"},{\"item\":\"c\",\"soort\":\"cijfer\",\"tekst\":\"C\",\"als\":{"
                      "\"item\":\"e\",\"is\":[\"4\",\"5\"]}},{\"item\":\"d\",\"soort\":\"open\","
                      "\"tekst\":\"D\",\"als\":{\"item\":\"c\",\"is\":[\"10\"]}}]}]}";
    assert_int_equal(parse(a, doc, &q, &e), 0);
    struct answers none = {{NULL}, {0}};
    assert_true(questionnaire_visible(&q, 0, value_of, &none));
    assert_false(questionnaire_visible(&q, 1, value_of, &none));
    struct answers e5 = {{"e", "c"}, {5, 10}};
    assert_true(questionnaire_visible(&q, 1, value_of, &e5));
    assert_true(questionnaire_visible(&q, 2, value_of, &e5));
    struct answers e3 = {{"e", "c"}, {3, 10}}; /* c hidden, so d hidden though c = 10 */
    assert_false(questionnaire_visible(&q, 1, value_of, &e3));
    assert_false(questionnaire_visible(&q, 2, value_of, &e3));
    arena_free(a);
}

static void test_hostile(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire q;
    struct err_ctx e;
    assert_int_equal(parse(a, "", &q, &e), ERR_INVALID);
    assert_int_equal(parse(a, "null", &q, &e), ERR_INVALID);
    assert_int_equal(parse(a, "[]", &q, &e), ERR_INVALID);
    assert_int_equal(parse(a, "{\"versie\":1}", &q, &e), ERR_INVALID);
    assert_int_equal(
        parse(a, "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[]}", &q, &e),
        ERR_INVALID);
    assert_non_null(strstr(e.msg, "minstens één sectie"));
    assert_int_equal(questionnaire_parse(a, NULL, 0, &q, &e), ERR_INVALID);
    /* Invalid UTF-8 is refused by the JSON parser. */
    assert_int_equal(parse(a, "{\"versie\":1,\"code\":\"ab\",\"titel\":\"\xff\"}", &q, &e),
                     ERR_INVALID);
    /* A NUL inside a string. */
    assert_int_equal(
        parse(a, "{\"versie\":1,\"code\":\"a\\u0000b\",\"titel\":\"T\",\"secties\":[]}", &q, &e),
        ERR_INVALID);
    /* Deep nesting. */
    char *deep = malloc(200001);
    memset(deep, '[', 200000);
    deep[200000] = '\0';
    assert_int_equal(questionnaire_parse(a, deep, 200000, &q, &e), ERR_INVALID);
    free(deep);
    /* Too big. */
    size_t big = Q_MAX_JSON + 1;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big);
    huge[big] = '\0';
    assert_int_equal(questionnaire_parse(a, huge, big, &q, &e), ERR_TOO_BIG);
    free(huge);
    /* Too many sections, too many questions, too many options, a long text. */
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_append_str(&b, "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[");
    for (int i = 0; i < Q_MAX_SECTIONS + 1; i++)
        buf_appendf(&b,
                    "%s{\"code\":\"s%d\",\"titel\":\"S\",\"vragen\":[{\"item\":\"q%d\","
                    "\"soort\":\"open\",\"tekst\":\"Q\"}]}",
                    i ? "," : "", i, i);
    buf_append_str(&b, "]}");
    assert_int_equal(parse(a, buf_cstr(&b), &q, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "te veel elementen"));
    buf_reset(&b);
    buf_append_str(&b, "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":"
                       "\"s\",\"titel\":\"S\",\"vragen\":[");
    for (int i = 0; i < Q_MAX_QUESTIONS + 1; i++)
        buf_appendf(&b, "%s{\"item\":\"q%d\",\"soort\":\"open\",\"tekst\":\"Q\"}", i ? "," : "", i);
    buf_append_str(&b, "]}]}");
    assert_int_equal(parse(a, buf_cstr(&b), &q, &e), ERR_TOO_BIG);
    buf_reset(&b);
    buf_append_str(&b, "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":"
                       "\"s\",\"titel\":\"S\",\"vragen\":[{\"item\":\"k\",\"soort\":\"keuze\","
                       "\"tekst\":\"K\",\"opties\":[");
    for (int i = 0; i < Q_MAX_OPTIONS + 1; i++)
        buf_appendf(&b, "%s{\"code\":\"o%d\",\"label\":\"O\"}", i ? "," : "", i);
    buf_append_str(&b, "]}]}]}");
    assert_int_equal(parse(a, buf_cstr(&b), &q, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "vraag 1 (k)"));
    buf_reset(&b);
    buf_append_str(&b, "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":"
                       "\"s\",\"titel\":\"S\",\"vragen\":[{\"item\":\"k\",\"soort\":\"open\","
                       "\"tekst\":\"");
    for (int i = 0; i < Q_TEXT_MAX + 1; i++)
        buf_append_str(&b, "é");
    buf_append_str(&b, "\"}]}]}");
    assert_int_equal(parse(a, buf_cstr(&b), &q, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "\"tekst\" is te lang (hoogstens 1000 tekens)"));
    buf_release(&b);
    /* A meerkeuze item plus option must fit survey_answer.item. */
    const char *longmk =
        "{\"versie\":1,\"code\":\"ab\",\"titel\":\"T\",\"secties\":[{\"code\":\"s\",\"titel\":"
        "\"S\",\"vragen\":[{\"item\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"soort\":"
        "\"meerkeuze\",\"tekst\":\"M\",\"opties\":[{\"code\":\"abcdefghijklmnop\",\"label\":\"A\"},"
        "{\"code\":\"b\",\"label\":\"B\"}]}]}]}";
    assert_int_equal(parse(a, longmk, &q, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "item en optiecode samen zijn te lang"));
    /* A long hostile key is echoed cut short. */
    char *k = arena_printf(a, "{\"versie\":1,\"%0500d\":1}", 7);
    assert_int_equal(parse(a, k, &q, &e), ERR_INVALID);
    assert_true(strlen(e.msg) < 120);
    arena_free(a);
}

static void test_compatible(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire old, neu;
    struct err_ctx e;
    assert_int_equal(parse(a, base_doc, &old, &e), 0);
    assert_int_equal(parse(a, base_doc, &neu, &e), 0);
    assert_true(questionnaire_compatible(&old, &neu, &e));
    /* An option added at the end keeps the stored numbers. */
    neu.questions[1].options = arena_calloc(a, 3, sizeof(struct q_option));
    memcpy(neu.questions[1].options, old.questions[1].options, 2 * sizeof(struct q_option));
    neu.questions[1].options[2] = (struct q_option){.code = "z", .label = "Z"};
    neu.questions[1].noptions = 3;
    assert_int_equal(questionnaire_validate(a, &neu, &e), 0);
    assert_true(questionnaire_compatible(&old, &neu, &e));
    /* Swapped options change what 1 and 2 mean. */
    struct q_option t = neu.questions[1].options[0];
    neu.questions[1].options[0] = neu.questions[1].options[1];
    neu.questions[1].options[1] = t;
    assert_false(questionnaire_compatible(&old, &neu, &e));
    assert_non_null(strstr(e.msg, "vraag 2 (q2): optie \"x\""));
    /* A changed kind. */
    assert_int_equal(parse(a, base_doc, &neu, &e), 0);
    neu.questions[0].kind = Q_CIJFER;
    assert_false(questionnaire_compatible(&old, &neu, &e));
    assert_non_null(strstr(e.msg, "vraag 1 (q1): de soort"));
    arena_free(a);
}

static void test_helpers(void **state)
{
    (void)state;
    char buf[Q_ITEM_MAX + 1];
    assert_int_equal(q_multi_item(buf, sizeof buf, "hulp", "vervoer"), 0);
    assert_string_equal(buf, "hulp__vervoer");
    assert_int_equal(
        q_multi_item(buf, sizeof buf, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbb"),
        ERR_TOO_BIG);
    assert_string_equal(q_eens5_label(0), "Weet niet / niet van toepassing");
    assert_string_equal(q_eens5_label(5), "Helemaal mee eens");
    assert_null(q_eens5_label(6));
    assert_null(q_eens5_label(-1));
    enum q_kind k;
    assert_int_equal(q_kind_parse("meerkeuze", &k), 0);
    assert_int_equal(k, Q_MEERKEUZE);
    assert_int_equal(q_kind_parse("MEERKEUZE", &k), ERR_INVALID);
    assert_string_equal(q_kind_code(Q_OPEN), "open");
    assert_string_equal(q_kind_code((enum q_kind)99), "");
}

static const char *items_of(struct arena *a, const struct questionnaire *q)
{
    struct buf b;
    buf_init(&b, 4096);
    for (int s = 0; s < q->nsections; s++) {
        buf_appendf(&b, "%s%s:", s ? " | " : "", q->sections[s].code);
        for (int k = q->sections[s].first; k < q->sections[s].first + q->sections[s].count; k++) {
            assert_int_equal(q->questions[k].section, s);
            buf_appendf(&b, " %s", q->questions[k].item);
        }
    }
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return out;
}

static void test_editing(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire q;
    struct err_ctx e;
    assert_int_equal(parse(a, base_doc, &q, &e), 0);
    assert_string_equal(items_of(a, &q), "a: q1 q2 | b: q3 q4 q5");
    /* Within a section, then across the boundary both ways. */
    assert_int_equal(questionnaire_move_question(a, &q, 3, -1), 0);
    assert_string_equal(items_of(a, &q), "a: q1 q2 | b: q4 q3 q5");
    assert_int_equal(questionnaire_move_question(a, &q, 2, -1), 0);
    assert_string_equal(items_of(a, &q), "a: q1 q2 q4 | b: q3 q5");
    assert_int_equal(questionnaire_move_question(a, &q, 2, 1), 0);
    assert_string_equal(items_of(a, &q), "a: q1 q2 | b: q4 q3 q5");
    assert_int_equal(questionnaire_move_question(a, &q, 0, -1), ERR_INVALID);
    assert_int_equal(questionnaire_move_question(a, &q, 4, 1), ERR_INVALID);
    assert_int_equal(questionnaire_move_question(a, &q, 9, 1), ERR_INVALID);
    assert_int_equal(questionnaire_validate(a, &q, &e), 0);
    /* q5 depends on q2: moving q5 above q2 breaks the condition, and validation says so. */
    struct questionnaire bad = q;
    assert_int_equal(questionnaire_move_question(a, &bad, 4, -1), 0);
    assert_int_equal(questionnaire_move_question(a, &bad, 3, -1), 0);
    assert_int_equal(questionnaire_move_question(a, &bad, 2, -1), 0);
    assert_int_equal(questionnaire_move_question(a, &bad, 2, -1), 0);
    assert_string_equal(items_of(a, &bad), "a: q1 q5 q2 | b: q4 q3");
    assert_int_equal(questionnaire_validate(a, &bad, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "vraag 2 (q5)"));
    /* Sections: move, add, delete. */
    assert_int_equal(questionnaire_move_section(a, &q, 1, -1), 0);
    assert_string_equal(items_of(a, &q), "b: q4 q3 q5 | a: q1 q2");
    assert_int_equal(questionnaire_validate(a, &q, &e), ERR_INVALID); /* q5 before q2 now */
    assert_int_equal(questionnaire_move_section(a, &q, 0, 1), 0);
    assert_int_equal(questionnaire_move_section(a, &q, 1, 1), ERR_INVALID);
    struct q_section ns = {.code = "c", .title = "Derde"};
    struct q_question nq = {.item = "q6", .kind = Q_OPEN, .text = "Nog iets?"};
    assert_int_equal(questionnaire_add_section(a, &q, &ns, &nq), 0);
    struct q_question nq2 = {.item = "q7", .kind = Q_CIJFER, .text = "Cijfer?"};
    assert_int_equal(questionnaire_add_question(a, &q, 0, &nq2), 0);
    assert_string_equal(items_of(a, &q), "a: q1 q2 q7 | b: q4 q3 q5 | c: q6");
    assert_int_equal(questionnaire_validate(a, &q, &e), 0);
    assert_int_equal(questionnaire_delete_question(a, &q, 6), 0);
    assert_int_equal(questionnaire_validate(a, &q, &e), ERR_INVALID); /* empty section c */
    assert_non_null(strstr(e.msg, "sectie 3 (c)"));
    assert_int_equal(questionnaire_delete_section(a, &q, 2), 0);
    assert_int_equal(questionnaire_delete_question(a, &q, 1), 0); /* q2: q5 now dangles */
    assert_int_equal(questionnaire_validate(a, &q, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "onbekend item \"q2\""));
    assert_int_equal(questionnaire_delete_section(a, &q, 5), ERR_INVALID);
    assert_int_equal(questionnaire_add_question(a, &q, 7, &nq2), ERR_INVALID);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_file), cmocka_unit_test(test_template_wmo),
        cmocka_unit_test(test_roundtrip),      cmocka_unit_test(test_validation_messages),
        cmocka_unit_test(test_conditions),     cmocka_unit_test(test_visible),
        cmocka_unit_test(test_hostile),        cmocka_unit_test(test_compatible),
        cmocka_unit_test(test_helpers),        cmocka_unit_test(test_editing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
