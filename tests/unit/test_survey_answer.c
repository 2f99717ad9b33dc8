/*
 * test_survey_answer.c: reading a resident's answers against a questionnaire
 * (domain/survey_answer.c): every kind with valid and invalid values, required questions,
 * conditions (answers to hidden questions dropped, chains), hostile input (forged options,
 * repeated fields, invalid UTF-8, control characters, oversized text, too many fields), the rows
 * stored (numeric rules of domain/questionnaire.h), and the draft JSON round trip.
 */
#include "domain/survey_answer.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

/* Two sections; q3 depends on q2 in the same section, q5 on q1 in the earlier section. */
static const char doc[] =
    "{\"versie\":1,\"code\":\"test_vl\",\"titel\":\"Test\",\"secties\":["
    "{\"code\":\"een\",\"titel\":\"Een\",\"vragen\":["
    "{\"item\":\"q1\",\"soort\":\"eens5\",\"tekst\":\"Ik werd serieus "
    "genomen.\",\"verplicht\":true},"
    "{\"item\":\"q2\",\"soort\":\"keuze\",\"tekst\":\"Had u hulp?\",\"opties\":["
    "{\"code\":\"ja\",\"label\":\"Ja\"},{\"code\":\"nee\",\"label\":\"Nee\"}]},"
    "{\"item\":\"q3\",\"soort\":\"open\",\"tekst\":\"Welke hulp?\",\"verplicht\":true,"
    "\"als\":{\"item\":\"q2\",\"is\":[\"ja\"]}}]},"
    "{\"code\":\"twee\",\"titel\":\"Twee\",\"vragen\":["
    "{\"item\":\"q4\",\"soort\":\"cijfer\",\"tekst\":\"Welk cijfer?\"},"
    "{\"item\":\"q5\",\"soort\":\"meerkeuze\",\"tekst\":\"Wat hielp?\",\"opties\":["
    "{\"code\":\"a\",\"label\":\"A\"},{\"code\":\"b\",\"label\":\"B\"},{\"code\":\"c\",\"label\":"
    "\"C\"}],"
    "\"als\":{\"item\":\"q1\",\"is\":[\"4\",\"5\"]}},"
    "{\"item\":\"q6\",\"soort\":\"open\",\"tekst\":\"Nog iets?\"}]}]}";

struct fx {
    struct arena *a;
    struct questionnaire q;
    struct survey_answers s;
    struct sa_errors errs;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct err_ctx e = {0};
    f->a = arena_new(0);
    if (questionnaire_parse(f->a, doc, strlen(doc), &f->q, &e) != 0) {
        fprintf(stderr, "parse: %s\n", e.msg);
        return -1;
    }
    if (survey_answers_init(f->a, &f->q, &f->s) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    arena_free(f->a);
    free(f);
    return 0;
}

#define FIELD(n, v)                                                                                \
    {                                                                                              \
        n, v, sizeof(v) - 1                                                                        \
    }

static int qi(struct fx *f, const char *item)
{
    for (int i = 0; i < f->q.nquestions; i++)
        if (strcmp(f->q.questions[i].item, item) == 0)
            return i;
    fail_msg("no item %s", item);
    return -1;
}

static bool has_error(struct fx *f, const char *item)
{
    for (int i = 0; i < f->errs.n; i++)
        if (f->errs.items[i].question == qi(f, item))
            return true;
    return false;
}

static void valid_answers_all_kinds(void **state)
{
    struct fx *f = *state;
    const struct sa_field in[] = {
        FIELD("q1", "5"), FIELD("q2", "ja"),  FIELD("q3", "  De thuiszorg.  "),
        FIELD("q4", "8"), FIELD("q5", "a"),   FIELD("q5", "c"),
        FIELD("q6", ""),  FIELD("csrf", "x"),
    };
    assert_int_equal(survey_answers_read(f->a, &f->s, -1, in, 8, &f->errs), 0);
    assert_int_equal(f->errs.n, 0);
    assert_int_equal(survey_answers_check_required(&f->s, -1, &f->errs), 0);
    survey_answers_prune(&f->s);
    struct sa_row *rows;
    struct sa_open *open;
    size_t nrows, nopen;
    assert_int_equal(survey_answers_rows(f->a, &f->s, &rows, &nrows, &open, &nopen), 0);
    /* q1=5, q2=1 (first option), q4=8, q5__a=1, q5__c=1; q3 open; q6 empty = not answered */
    assert_int_equal(nrows, 5);
    assert_string_equal(rows[0].item, "q1");
    assert_int_equal(rows[0].value, 5);
    assert_string_equal(rows[1].item, "q2");
    assert_int_equal(rows[1].value, 1);
    assert_string_equal(rows[2].item, "q4");
    assert_int_equal(rows[2].value, 8);
    assert_string_equal(rows[3].item, "q5__a");
    assert_string_equal(rows[4].item, "q5__c");
    assert_int_equal(rows[4].value, 1);
    assert_int_equal(nopen, 1);
    assert_string_equal(open[0].text, "De thuiszorg."); /* trimmed */
}

static void dont_know_is_zero(void **state)
{
    struct fx *f = *state;
    const struct sa_field in[] = {FIELD("q1", "0")};
    assert_int_equal(survey_answers_read(f->a, &f->s, 0, in, 1, &f->errs), 0);
    assert_int_equal(f->errs.n, 0);
    assert_true(f->s.a[qi(f, "q1")].given);
    assert_int_equal(f->s.a[qi(f, "q1")].number, 0);
}

static void invalid_values_are_errors(void **state)
{
    struct fx *f = *state;
    const struct sa_field in[] = {
        FIELD("q1", "6"), FIELD("q2", "misschien"), FIELD("q4", "0"),
        FIELD("q5", "a"), FIELD("q5", "zz"),        FIELD("q6", "ok"),
    };
    assert_int_equal(survey_answers_read(f->a, &f->s, -1, in, 6, &f->errs), 0);
    assert_true(has_error(f, "q1"));
    assert_true(has_error(f, "q2"));
    assert_true(has_error(f, "q4"));
    assert_true(has_error(f, "q5"));
    assert_false(has_error(f, "q6"));
    assert_false(f->s.a[qi(f, "q1")].given);
    assert_false(f->s.a[qi(f, "q5")].given); /* a forged option spoils the whole question */
    assert_true(f->s.a[qi(f, "q6")].given);
}

static void hostile_numbers(void **state)
{
    struct fx *f = *state;
    static const char *bad[] = {"-1", "1.0", "01x", " 3", "99999999999999999999", "0x5", "3 "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct sa_field in[] = {{"q4", bad[i], strlen(bad[i])}};
        f->errs.n = 0;
        assert_int_equal(survey_answers_read(f->a, &f->s, 1, in, 1, &f->errs), 0);
        assert_false(f->s.a[qi(f, "q4")].given);
        assert_int_equal(f->errs.n, 1);
    }
    /* An embedded NUL: the declared length is longer than the C string. */
    struct sa_field nul[] = {{"q1",
                              "4\0"
                              "5",
                              3}};
    f->errs.n = 0;
    assert_int_equal(survey_answers_read(f->a, &f->s, 0, nul, 1, &f->errs), 0);
    assert_false(f->s.a[qi(f, "q1")].given);
}

static void repeated_single_field_is_refused(void **state)
{
    struct fx *f = *state;
    const struct sa_field in[] = {FIELD("q1", "5"), FIELD("q1", "1")};
    assert_int_equal(survey_answers_read(f->a, &f->s, 0, in, 2, &f->errs), 0);
    assert_true(has_error(f, "q1"));
    assert_false(f->s.a[qi(f, "q1")].given);
}

static void open_text_limits(void **state)
{
    struct fx *f = *state;
    /* 4,000 characters are fine, 4,001 are not */
    char *ok = arena_alloc(f->a, 4001), *tl = arena_alloc(f->a, 4002);
    memset(ok, 'a', 4000);
    ok[4000] = 0;
    memset(tl, 'a', 4001);
    tl[4001] = 0;
    struct sa_field in1[] = {{"q6", ok, 4000}};
    assert_int_equal(survey_answers_read(f->a, &f->s, 1, in1, 1, &f->errs), 0);
    assert_int_equal(f->errs.n, 0);
    assert_true(f->s.a[qi(f, "q6")].given);
    struct sa_field in2[] = {{"q6", tl, 4001}};
    assert_int_equal(survey_answers_read(f->a, &f->s, 1, in2, 1, &f->errs), 0);
    assert_true(has_error(f, "q6"));
    assert_false(f->s.a[qi(f, "q6")].given);
    /* 2,100 characters of 4 bytes: under 4,000 characters but over the stored byte limit */
    size_t n = 2100 * 4;
    char *emoji = arena_alloc(f->a, n + 1);
    for (size_t i = 0; i < n; i += 4)
        memcpy(emoji + i, "\xf0\x9f\x98\x80", 4);
    emoji[n] = 0;
    struct sa_field in3[] = {{"q6", emoji, n}};
    f->errs.n = 0;
    assert_int_equal(survey_answers_read(f->a, &f->s, 1, in3, 1, &f->errs), 0);
    assert_true(has_error(f, "q6"));
}

static void open_text_bad_bytes(void **state)
{
    struct fx *f = *state;
    static const char *bad[] = {"caf\xc3", "\xff\xfe",
                                "a\x01"
                                "b",
                                "over\xc0\xaflong", "x\x7fy"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct sa_field in[] = {{"q6", bad[i], strlen(bad[i])}};
        f->errs.n = 0;
        assert_int_equal(survey_answers_read(f->a, &f->s, 1, in, 1, &f->errs), 0);
        assert_true(has_error(f, "q6"));
        assert_false(f->s.a[qi(f, "q6")].given);
    }
    /* Line breaks and diacritics are fine */
    const struct sa_field good[] = {FIELD("q6", "Fijne hulp.\r\nDank aan de cliëntondersteuner!")};
    f->errs.n = 0;
    assert_int_equal(survey_answers_read(f->a, &f->s, 1, good, 1, &f->errs), 0);
    assert_int_equal(f->errs.n, 0);
}

static void too_many_fields(void **state)
{
    struct fx *f = *state;
    struct sa_field *in = arena_calloc(f->a, SA_MAX_FIELDS + 1, sizeof *in);
    for (int i = 0; i <= SA_MAX_FIELDS; i++)
        in[i] = (struct sa_field){"q5", "a", 1};
    assert_int_equal(survey_answers_read(f->a, &f->s, -1, in, SA_MAX_FIELDS + 1, &f->errs),
                     ERR_TOO_BIG);
    /* A meerkeuze with more ticks than options is forged. */
    f->errs.n = 0;
    assert_int_equal(survey_answers_read(f->a, &f->s, 1, in, 4, &f->errs), 0);
    assert_true(has_error(f, "q5"));
    assert_int_equal(survey_answers_read(f->a, &f->s, 7, in, 1, &f->errs), ERR_INVALID);
}

static void required_and_conditions(void **state)
{
    struct fx *f = *state;
    /* Nothing answered: q1 is required; q3 is required but hidden (q2 not "ja"). */
    assert_int_equal(survey_answers_read(f->a, &f->s, 0, NULL, 0, &f->errs), 0);
    assert_int_equal(survey_answers_check_required(&f->s, 0, &f->errs), 1);
    assert_true(has_error(f, "q1"));
    assert_false(has_error(f, "q3"));
    /* q2 = ja makes q3 visible and so required. */
    f->errs.n = 0;
    const struct sa_field in[] = {FIELD("q1", "2"), FIELD("q2", "ja")};
    assert_int_equal(survey_answers_read(f->a, &f->s, 0, in, 2, &f->errs), 0);
    assert_int_equal(survey_answers_check_required(&f->s, 0, &f->errs), 1);
    assert_true(has_error(f, "q3"));
    /* q1 = 2: q5 (shown when q1 is 4 or 5) is hidden; its answer is dropped on prune. */
    const struct sa_field in2[] = {FIELD("q5", "b"), FIELD("q4", "7")};
    assert_int_equal(survey_answers_read(f->a, &f->s, 1, in2, 2, &f->errs), 0);
    assert_false(survey_answers_visible(&f->s, qi(f, "q5")));
    assert_true(f->s.a[qi(f, "q5")].given);
    survey_answers_prune(&f->s);
    assert_false(f->s.a[qi(f, "q5")].given);
    assert_true(f->s.a[qi(f, "q4")].given);
    /* q2 = nee: the open answer to q3 sent anyway is dropped too. */
    const struct sa_field in3[] = {FIELD("q1", "5"), FIELD("q2", "nee"), FIELD("q3", "geheim")};
    assert_int_equal(survey_answers_read(f->a, &f->s, 0, in3, 3, &f->errs), 0);
    survey_answers_prune(&f->s);
    assert_false(f->s.a[qi(f, "q3")].given);
    assert_true(survey_answers_section_visible(&f->s, 1));
}

static void draft_round_trip(void **state)
{
    struct fx *f = *state;
    const struct sa_field in[] = {
        FIELD("q1", "4"),  FIELD("q2", "ja"), FIELD("q3", "Met \"quotes\" en é"),
        FIELD("q4", "10"), FIELD("q5", "b"),  FIELD("q5", "c"),
    };
    assert_int_equal(survey_answers_read(f->a, &f->s, -1, in, 6, &f->errs), 0);
    const char *json = survey_answers_draft_json(f->a, &f->s);
    assert_non_null(json);
    struct survey_answers back;
    assert_int_equal(survey_answers_init(f->a, &f->q, &back), 0);
    assert_int_equal(survey_answers_from_draft(f->a, &back, json, strlen(json)), 0);
    for (int i = 0; i < f->q.nquestions; i++) {
        assert_int_equal(back.a[i].given, f->s.a[i].given);
        assert_int_equal(back.a[i].number, f->s.a[i].number);
        assert_int_equal(back.a[i].ticks, f->s.a[i].ticks);
        if (f->s.a[i].text)
            assert_string_equal(back.a[i].text, f->s.a[i].text);
    }
    /* Fields for the form carry every answer of a section. */
    struct sa_field *fl;
    size_t n;
    assert_int_equal(survey_answers_fields(f->a, &back, 1, &fl, &n), 0);
    assert_int_equal(n, 3); /* q4, q5 b, q5 c */
    /* Damaged or hostile drafts. */
    static const char *bad[] = {"", "[]", "{", "{\"q1\":\"4\",\"q1\":\"5\"}", "null"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(survey_answers_from_draft(f->a, &back, bad[i], strlen(bad[i])),
                         ERR_INVALID);
    /* Unknown items and bad values in a draft are dropped, not fatal. */
    const char *odd = "{\"zz\":\"1\",\"q1\":\"9\",\"q4\":[\"1\"],\"q5\":[\"a\",7]}";
    assert_int_equal(survey_answers_from_draft(f->a, &back, odd, strlen(odd)), 0);
    assert_false(back.a[qi(f, "q1")].given);
    assert_true(back.a[qi(f, "q5")].given);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(valid_answers_all_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(dont_know_is_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_values_are_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(hostile_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(repeated_single_field_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(open_text_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(open_text_bad_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(too_many_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(required_and_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
