/*
 * test_period.c: reporting periods (core/period.c): parsing and formatting codes, first and
 * last days, previous/next across year boundaries, the period containing a day, and the Dutch
 * date formats (no message catalogue loaded, so gettext returns the Dutch msgids).
 */
#include "core/period.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>

static day_t ymd(int y, int m, int d)
{
    day_t day = day_from_ymd(y, m, d);
    assert_int_not_equal(day, DAY_NONE);
    return day;
}

static void test_parse_and_code(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        enum period_kind kind;
        int year, index;
        const char *code;
    } cases[] = {
        {"2024", 0, PERIOD_YEAR, 2024, 1, "2024"},
        {"2024-Q3", 0, PERIOD_QUARTER, 2024, 3, "2024-Q3"},
        {"2024-q1", 0, PERIOD_QUARTER, 2024, 1, "2024-Q1"},
        {"2024-H2", 0, PERIOD_HALF, 2024, 2, "2024-H2"},
        {"2023-h1", 0, PERIOD_HALF, 2023, 1, "2023-H1"},
        {"2024-07", 0, PERIOD_MONTH, 2024, 7, "2024-07"},
        {"2024-12", 0, PERIOD_MONTH, 2024, 12, "2024-12"},
        {"1900", 0, PERIOD_YEAR, 1900, 1, "1900"},
        {"2100-12", 0, PERIOD_MONTH, 2100, 12, "2100-12"},
        {"1899", ERR_INVALID, 0, 0, 0, NULL},
        {"2101", ERR_INVALID, 0, 0, 0, NULL},
        {"", ERR_INVALID, 0, 0, 0, NULL},
        {"24", ERR_INVALID, 0, 0, 0, NULL},
        {"20245", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-Q", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-Q0", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-Q5", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-Q10", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-H0", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-H3", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-00", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-13", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-7", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-007", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-1+", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-Q+", ERR_INVALID, 0, 0, 0, NULL},
        {"2024/07", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-W07", ERR_INVALID, 0, 0, 0, NULL},
        {"+024", ERR_INVALID, 0, 0, 0, NULL},
        {" 2024", ERR_INVALID, 0, 0, 0, NULL},
        {"2024 ", ERR_INVALID, 0, 0, 0, NULL},
        {"2024-Q3 ", ERR_INVALID, 0, 0, 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct period p = {PERIOD_MONTH, 1, 1};
        int rc = period_parse(str_from(cases[i].in), &p);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (rc != 0) {
            assert_int_equal(p.year, 1); /* untouched */
            continue;
        }
        assert_int_equal(p.kind, cases[i].kind);
        assert_int_equal(p.year, cases[i].year);
        assert_int_equal(p.index, cases[i].index);
        char code[PERIOD_CODE_MAX];
        period_code(p, code);
        assert_string_equal(code, cases[i].code);
    }
}

static void test_start_end(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int sy, sm, sd, ey, em, ed;
    } cases[] = {
        {"2024", 2024, 1, 1, 2024, 12, 31},   {"2024-Q1", 2024, 1, 1, 2024, 3, 31},
        {"2024-Q2", 2024, 4, 1, 2024, 6, 30}, {"2024-Q4", 2024, 10, 1, 2024, 12, 31},
        {"2024-H1", 2024, 1, 1, 2024, 6, 30}, {"2024-H2", 2024, 7, 1, 2024, 12, 31},
        {"2024-02", 2024, 2, 1, 2024, 2, 29}, {"2023-02", 2023, 2, 1, 2023, 2, 28},
        {"1900-02", 1900, 2, 1, 1900, 2, 28}, {"2000-02", 2000, 2, 1, 2000, 2, 29},
        {"2024-04", 2024, 4, 1, 2024, 4, 30}, {"2024-12", 2024, 12, 1, 2024, 12, 31},
        {"2100", 2100, 1, 1, 2100, 12, 31},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct period p;
        assert_int_equal(period_parse(str_from(cases[i].code), &p), 0);
        assert_int_equal(period_start(p), ymd(cases[i].sy, cases[i].sm, cases[i].sd));
        assert_int_equal(period_end(p), ymd(cases[i].ey, cases[i].em, cases[i].ed));
        assert_true(period_contains(p, period_start(p)));
        assert_true(period_contains(p, period_end(p)));
        assert_false(period_contains(p, period_start(p) - 1));
        assert_false(period_contains(p, period_end(p) + 1));
    }
    /* The last representable year still has an end (no overflow past the calendar's range). */
    struct period last = {PERIOD_YEAR, 2200, 1};
    assert_int_equal(period_end(last), ymd(2200, 12, 31));
    struct period dec = {PERIOD_MONTH, 2200, 12};
    assert_int_equal(period_end(dec), ymd(2200, 12, 31));
}

static void test_prev_next(void **state)
{
    (void)state;
    static const struct {
        const char *code, *prev, *next;
    } cases[] = {
        {"2024-01", "2023-12", "2024-02"}, {"2024-12", "2024-11", "2025-01"},
        {"2024-Q1", "2023-Q4", "2024-Q2"}, {"2024-Q4", "2024-Q3", "2025-Q1"},
        {"2024-H1", "2023-H2", "2024-H2"}, {"2023-H2", "2023-H1", "2024-H1"},
        {"2024", "2023", "2025"},          {"2000-03", "2000-02", "2000-04"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct period p;
        char code[PERIOD_CODE_MAX];
        assert_int_equal(period_parse(str_from(cases[i].code), &p), 0);
        period_code(period_prev(p), code);
        assert_string_equal(code, cases[i].prev);
        period_code(period_next(p), code);
        assert_string_equal(code, cases[i].next);
        /* adjacent: the previous period ends the day before this one starts */
        assert_int_equal(period_end(period_prev(p)) + 1, period_start(p));
        assert_int_equal(period_end(p) + 1, period_start(period_next(p)));
    }
}

static void test_period_of(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        enum period_kind kind;
        const char *code;
    } cases[] = {
        {2024, 12, 31, PERIOD_QUARTER, "2024-Q4"}, {2025, 1, 1, PERIOD_QUARTER, "2025-Q1"},
        {2024, 3, 31, PERIOD_QUARTER, "2024-Q1"},  {2024, 4, 1, PERIOD_QUARTER, "2024-Q2"},
        {2024, 6, 30, PERIOD_HALF, "2024-H1"},     {2024, 7, 1, PERIOD_HALF, "2024-H2"},
        {2024, 2, 29, PERIOD_MONTH, "2024-02"},    {2023, 12, 31, PERIOD_YEAR, "2023"},
        {1970, 1, 1, PERIOD_MONTH, "1970-01"},     {1969, 12, 31, PERIOD_YEAR, "1969"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char code[PERIOD_CODE_MAX];
        struct period p = period_of(ymd(cases[i].y, cases[i].m, cases[i].d), cases[i].kind);
        period_code(p, code);
        assert_string_equal(code, cases[i].code);
    }
    /* every day of two years lies in the quarter period_of names */
    for (day_t d = ymd(2023, 1, 1); d <= ymd(2024, 12, 31); d++)
        assert_true(period_contains(period_of(d, PERIOD_QUARTER), d));
}

static void test_labels_and_dates(void **state)
{
    (void)state;
    char out[PERIOD_LABEL_MAX];
    struct period p;
    static const struct {
        const char *code, *label;
    } labels[] = {
        {"2024-Q3", "3e kwartaal 2024"},
        {"2024-H1", "1e halfjaar 2024"},
        {"2024-07", "juli 2024"},
        {"2024", "2024"},
    };
    for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
        assert_int_equal(period_parse(str_from(labels[i].code), &p), 0);
        period_label(p, out, sizeof out);
        assert_string_equal(out, labels[i].label);
    }
    char nl[11];
    date_format_nl(ymd(2024, 12, 31), nl);
    assert_string_equal(nl, "31-12-2024");
    date_format_nl(ymd(2024, 2, 1), nl);
    assert_string_equal(nl, "01-02-2024");
    date_format_long(ymd(2024, 12, 31), out, sizeof out);
    assert_string_equal(out, "31 december 2024");
    date_format_long(ymd(2025, 3, 1), out, sizeof out);
    assert_string_equal(out, "1 maart 2025");
    char tiny[6];
    date_format_long(ymd(2025, 3, 1), tiny, sizeof tiny); /* truncates, stays terminated */
    assert_string_equal(tiny, "1 maa");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_code),   cmocka_unit_test(test_start_end),
        cmocka_unit_test(test_prev_next),        cmocka_unit_test(test_period_of),
        cmocka_unit_test(test_labels_and_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
