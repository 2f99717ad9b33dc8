/*
 * test_str.c: slices and the strict parsers (core/str.c): integers with overflow, junk, signs
 * and ranges; decimals with ',' or '.'; ISO and Dutch dates including leap days; the day
 * number conversion over 1900..2100.
 */
#include "core/str.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>

/* Slices of literals that keep embedded NULs: S for table initializers, SL in expressions. */
#define S(lit)                                                                                     \
    {                                                                                              \
        (lit), sizeof(lit) - 1                                                                     \
    }
#define SL(lit) ((struct str)S(lit))

static void test_slices(void **state)
{
    (void)state;
    assert_int_equal(str_from(NULL).len, 0);
    assert_int_equal(str_from("abc").len, 3);
    assert_true(str_eq(SL("abc"), SL("abc")));
    assert_false(str_eq(SL("abc"), SL("abd")));
    assert_false(str_eq(SL("abc"), SL("ab")));
    assert_true(str_eq(STR_NULL, SL("")));
    assert_true(str_eq_c(SL("x\0y"), "x") == false);
    assert_true(str_eq_nocase(SL("Emmen"), SL("eMMEN")));
    assert_false(str_eq_nocase(SL("Emmen"), SL("Emmen ")));
    assert_true(str_starts_with(SL("/api/v1/x"), SL("/api/")));
    assert_true(str_starts_with(SL("x"), STR_NULL));
    assert_false(str_starts_with(SL("/a"), SL("/api")));

    static const struct {
        struct str in;
        struct str want;
    } trims[] = {
        {S(""), S("")},   {S("   "), S("")},   {S(" a "), S("a")}, {S("\t\r\n a b \v\f"), S("a b")},
        {S("x"), S("x")}, {S("\0 "), S("\0")},
    };
    for (size_t i = 0; i < ARRAY_LEN(trims); i++)
        assert_true(str_eq(str_trim(trims[i].in), trims[i].want));
}

static void test_parse_i64(void **state)
{
    (void)state;
    static const struct {
        struct str in;
        int64_t min, max;
        int rc;
        int64_t want;
    } cases[] = {
        {S("0"), INT64_MIN, INT64_MAX, 0, 0},
        {S("42"), INT64_MIN, INT64_MAX, 0, 42},
        {S("-17"), INT64_MIN, INT64_MAX, 0, -17},
        {S("+8080"), 0, 65535, 0, 8080},
        {S("007"), 0, 100, 0, 7},
        {S("9223372036854775807"), INT64_MIN, INT64_MAX, 0, INT64_MAX},
        {S("-9223372036854775808"), INT64_MIN, INT64_MAX, 0, INT64_MIN},
        {S("9223372036854775808"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("-9223372036854775809"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("18446744073709551615"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("18446744073709551616"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("99999999999999999999"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("123456789012345678901234567890"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        /* junk, signs, white space */
        {S(""), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("-"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("+"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("--1"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("+-1"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S(" 1"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("1 "), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("1a"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("0x10"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("1e3"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("1.0"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("1,000"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("1\0"), INT64_MIN, INT64_MAX, ERR_INVALID, 0},
        {S("\xd9\xa1"), INT64_MIN, INT64_MAX, ERR_INVALID, 0}, /* Arabic-Indic digit one */
        /* ranges */
        {S("-1"), 0, 10, ERR_INVALID, 0},
        {S("-0"), 0, 10, ERR_INVALID, 0},
        {S("11"), 0, 10, ERR_INVALID, 0},
        {S("10"), 0, 10, 0, 10},
        {S("65536"), 0, 65535, ERR_INVALID, 0},
        {S("1899"), 1900, 2100, ERR_INVALID, 0},
        {S("-5"), -5, -1, 0, -5},
        {S("0"), -5, -1, ERR_INVALID, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int64_t out = 777;
        int rc = str_parse_i64(cases[i].in, cases[i].min, cases[i].max, &out);
        if (rc != cases[i].rc)
            fail_msg("case %zu (\"%.*s\"): rc %d, want %d", i, (int)cases[i].in.len, cases[i].in.p,
                     rc, cases[i].rc);
        if (rc == 0)
            assert_int_equal(out, cases[i].want);
        else
            assert_int_equal(out, 777); /* untouched on failure */
    }
    int64_t out;
    assert_int_equal(str_parse_i64_c("123", 0, 1000, &out), 0);
    assert_int_equal(out, 123);
    assert_int_equal(str_parse_i64_c(NULL, 0, 1000, &out), ERR_INVALID);
}

static void test_parse_decimal(void **state)
{
    (void)state;
    static const struct {
        struct str in;
        int rc;
        double want;
    } cases[] = {
        {S("3,5"), 0, 3.5},
        {S("3.5"), 0, 3.5},
        {S("-0.25"), 0, -0.25},
        {S("+2"), 0, 2.0},
        {S("0"), 0, 0.0},
        {S("0,3"), 0, 0.3}, /* exactly the double nearest to 0.3 */
        {S("0.1"), 0, 0.1},
        {S("2,675"), 0, 2.675},
        {S("1234,5678"), 0, 1234.5678},
        {S("123456789012345"), 0, 123456789012345.0},
        {S("0,000000000000001"), ERR_INVALID, 0}, /* 16 digits */
        {S("1234567890123456"), ERR_INVALID, 0},
        {S(""), ERR_INVALID, 0},
        {S("-"), ERR_INVALID, 0},
        {S(","), ERR_INVALID, 0},
        {S("1,2,3"), ERR_INVALID, 0},
        {S("1.000,50"), ERR_INVALID, 0}, /* thousands separators are refused */
        {S("1e5"), ERR_INVALID, 0},
        {S(" 1"), ERR_INVALID, 0},
        {S("1 "), ERR_INVALID, 0},
        {S("nan"), ERR_INVALID, 0},
        {S("inf"), ERR_INVALID, 0},
        {S("--1"), ERR_INVALID, 0},
        {S("1\0"), ERR_INVALID, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        double out = 777;
        int rc = str_parse_decimal(cases[i].in, &out);
        if (rc != cases[i].rc)
            fail_msg("case %zu (\"%.*s\"): rc %d, want %d", i, (int)cases[i].in.len, cases[i].in.p,
                     rc, cases[i].rc);
        if (rc == 0 && out != cases[i].want)
            fail_msg("case %zu (\"%.*s\"): %.17g, want %.17g", i, (int)cases[i].in.len,
                     cases[i].in.p, out, cases[i].want);
        if (rc != 0)
            assert_true(out == 777);
    }
}

struct date_case {
    struct str in;
    int rc;
    int y, m, d;
};

static void check_dates(int (*parse)(struct str, day_t *), const struct date_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        day_t day = 12345;
        int rc = parse(c[i].in, &day);
        if (rc != c[i].rc)
            fail_msg("case %zu (\"%.*s\"): rc %d, want %d", i, (int)c[i].in.len, c[i].in.p, rc,
                     c[i].rc);
        if (rc == 0) {
            int y, m, d;
            day_to_ymd(day, &y, &m, &d);
            assert_int_equal(y, c[i].y);
            assert_int_equal(m, c[i].m);
            assert_int_equal(d, c[i].d);
        } else {
            assert_int_equal(day, 12345);
        }
    }
}

static void test_dates_iso(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {S("2024-02-29"), 0, 2024, 2, 29},
        {S("2000-02-29"), 0, 2000, 2, 29}, /* divisible by 400: leap */
        {S("1970-01-01"), 0, 1970, 1, 1},
        {S("2024-12-31"), 0, 2024, 12, 31},
        {S("1900-01-01"), 0, 1900, 1, 1},
        {S("2100-12-31"), 0, 2100, 12, 31},
        {S("2023-02-29"), ERR_INVALID, 0, 0, 0},
        {S("1900-02-29"), ERR_INVALID, 0, 0, 0}, /* divisible by 100, not 400: no leap day */
        {S("2100-02-29"), ERR_INVALID, 0, 0, 0},
        {S("2024-04-31"), ERR_INVALID, 0, 0, 0},
        {S("2024-06-31"), ERR_INVALID, 0, 0, 0},
        {S("2024-13-01"), ERR_INVALID, 0, 0, 0},
        {S("2024-00-10"), ERR_INVALID, 0, 0, 0},
        {S("2024-01-00"), ERR_INVALID, 0, 0, 0},
        {S("2024-01-32"), ERR_INVALID, 0, 0, 0},
        {S("2024-1-01"), ERR_INVALID, 0, 0, 0},
        {S("2024/01/01"), ERR_INVALID, 0, 0, 0},
        {S("2024-01-01T00:00"), ERR_INVALID, 0, 0, 0},
        {S(" 2024-01-01"), ERR_INVALID, 0, 0, 0},
        {S("+024-01-01"), ERR_INVALID, 0, 0, 0},
        {S("2024-+1-01"), ERR_INVALID, 0, 0, 0},
        {S("0000-01-01"), ERR_INVALID, 0, 0, 0},
        {S("9999-12-31"), ERR_INVALID, 0, 0, 0},
        {S(""), ERR_INVALID, 0, 0, 0},
        {S("2024-01-0\0"), ERR_INVALID, 0, 0, 0},
    };
    check_dates(str_parse_date_iso, cases, ARRAY_LEN(cases));
}

static void test_dates_nl(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {S("29-02-2024"), 0, 2024, 2, 29},
        {S("31-12-2024"), 0, 2024, 12, 31},
        {S("1-2-2024"), 0, 2024, 2, 1},
        {S("01/02/2024"), 0, 2024, 2, 1},
        {S("1.2.2024"), 0, 2024, 2, 1},
        {S("29-2-2000"), 0, 2000, 2, 29},
        {S("29-02-2023"), ERR_INVALID, 0, 0, 0},
        {S("29-02-1900"), ERR_INVALID, 0, 0, 0},
        {S("31-04-2024"), ERR_INVALID, 0, 0, 0},
        {S("31-11-2024"), ERR_INVALID, 0, 0, 0},
        {S("32-01-2024"), ERR_INVALID, 0, 0, 0},
        {S("0-1-2024"), ERR_INVALID, 0, 0, 0},
        {S("1-13-2024"), ERR_INVALID, 0, 0, 0},
        {S("1-2/2024"), ERR_INVALID, 0, 0, 0}, /* mixed separators */
        {S("1-2-24"), ERR_INVALID, 0, 0, 0},   /* two-digit year */
        {S("1-2-02024"), ERR_INVALID, 0, 0, 0},
        {S("001-2-2024"), ERR_INVALID, 0, 0, 0},
        {S("1--2024"), ERR_INVALID, 0, 0, 0},
        {S("-1-2024"), ERR_INVALID, 0, 0, 0},
        {S("1-2-2024 "), ERR_INVALID, 0, 0, 0},
        {S("2024-02-01"), ERR_INVALID, 0, 0, 0}, /* ISO is not Dutch */
        {S(""), ERR_INVALID, 0, 0, 0},
        {S("1 2 2024"), ERR_INVALID, 0, 0, 0},
    };
    check_dates(str_parse_date_nl, cases, ARRAY_LEN(cases));
}

/* Every day from 1900 to 2100: numbers are consecutive and convert back to the same y-m-d. */
static void test_day_round_trip(void **state)
{
    (void)state;
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    assert_int_equal(day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(day_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(day_from_ymd(1969, 12, 31), -1);
    day_t prev = day_from_ymd(1899, 12, 31);
    long days = 0;
    for (int y = 1900; y <= 2100; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = dim[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last; d++) {
                day_t day = day_from_ymd(y, m, d);
                assert_int_equal(day, prev + 1);
                int yy, mm, dd;
                day_to_ymd(day, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("%d-%d-%d -> %d -> %d-%d-%d", y, m, d, day, yy, mm, dd);
                char iso[11], want[40];
                day_format_iso(day, iso);
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                assert_string_equal(iso, want);
                day_t parsed;
                assert_int_equal(str_parse_date_iso(str_from(iso), &parsed), 0);
                assert_int_equal(parsed, day);
                prev = day;
                days++;
            }
            assert_int_equal(day_from_ymd(y, m, last + 1), DAY_NONE);
        }
    }
    assert_int_equal(days, 73414); /* 201 years, 49 leap days */
    assert_int_equal(day_from_ymd(2024, 0, 1), DAY_NONE);
    assert_int_equal(day_from_ymd(2024, 13, 1), DAY_NONE);
    assert_int_equal(day_from_ymd(2024, 1, 0), DAY_NONE);
    assert_int_equal(day_from_ymd(-2024, 1, 1), DAY_NONE);
    assert_int_equal(day_from_ymd(INT32_MAX, 1, 1), DAY_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slices),        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_parse_decimal), cmocka_unit_test(test_dates_iso),
        cmocka_unit_test(test_dates_nl),      cmocka_unit_test(test_day_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
