/*
 * fuzz_str.c: the strict number, date and period parsers in core/str.c and core/period.c.
 * Invariants: nothing crashes or reads past the input; whatever parses lies in the requested
 * range; a parsed ISO date formats back to exactly the same text; a parsed Dutch date is the
 * same day as its ISO rendering; a parsed period formats to a code that parses to itself.
 */
#include "fuzz.h"
#include "core/period.h"
#include "core/str.h"
#include "core/common.h"

static void check_i64(struct str s, int64_t min, int64_t max)
{
    int64_t v = 12345;
    if (str_parse_i64(s, min, max, &v) != 0) {
        FUZZ_CHECK(v == 12345); /* out untouched on failure */
        return;
    }
    FUZZ_CHECK(v >= min && v <= max);
    /* The canonical rendering parses to the same value. */
    char text[32];
    int n = snprintf(text, sizeof text, "%" PRId64, v);
    FUZZ_CHECK(n > 0 && (size_t)n < sizeof text);
    int64_t again;
    FUZZ_CHECK(str_parse_i64((struct str){text, (size_t)n}, min, max, &again) == 0);
    FUZZ_CHECK(again == v);
    /* Every byte of accepted input is a digit or a leading sign. */
    for (size_t i = 0; i < s.len; i++)
        FUZZ_CHECK((s.p[i] >= '0' && s.p[i] <= '9') ||
                   (i == 0 && (s.p[i] == '-' || s.p[i] == '+')));
}

static void check_decimal(struct str s)
{
    double v;
    if (str_parse_decimal(s, &v) != 0)
        return;
    FUZZ_CHECK(v == v);                /* not NaN */
    FUZZ_CHECK(v < 1e16 && v > -1e16); /* at most 15 digits */
}

static void check_day(day_t day)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    FUZZ_CHECK(day_from_ymd(y, m, d) == day);
}

static void check_dates(struct str s)
{
    day_t day = 7;
    if (str_parse_date_iso(s, &day) == 0) {
        char iso[11];
        day_format_iso(day, iso);
        FUZZ_CHECK(s.len == 10 && memcmp(iso, s.p, 10) == 0);
        check_day(day);
    } else {
        FUZZ_CHECK(day == 7);
    }
    if (str_parse_date_nl(s, &day) == 0) {
        check_day(day);
        char iso[11], nl[11];
        day_format_iso(day, iso);
        day_t again;
        FUZZ_CHECK(str_parse_date_iso(str_from(iso), &again) == 0 && again == day);
        date_format_nl(day, nl);
        FUZZ_CHECK(str_parse_date_nl(str_from(nl), &again) == 0 && again == day);
    }
}

static void check_period(struct str s)
{
    struct period p;
    if (period_parse(s, &p) != 0)
        return;
    char code[PERIOD_CODE_MAX];
    period_code(p, code);
    FUZZ_CHECK(str_eq_nocase(str_from(code), s));
    struct period q;
    FUZZ_CHECK(period_parse(str_from(code), &q) == 0);
    FUZZ_CHECK(q.kind == p.kind && q.year == p.year && q.index == p.index);
    day_t start = period_start(p), end = period_end(p);
    FUZZ_CHECK(start != DAY_NONE && start <= end);
    FUZZ_CHECK(period_contains(p, start) && period_contains(p, end));
    FUZZ_CHECK(!period_contains(p, start - 1) && !period_contains(p, end + 1));
    struct period of = period_of(end, p.kind);
    FUZZ_CHECK(of.year == p.year && of.index == p.index);
    struct period back = period_prev(period_next(p));
    FUZZ_CHECK(back.year == p.year && back.index == p.index);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct str s = {(const char *)data, size};
    check_i64(s, INT64_MIN, INT64_MAX);
    check_i64(s, 0, 65535);
    check_i64(s, -100, 100);
    check_decimal(s);
    check_dates(s);
    check_period(s);
    struct str t = str_trim(s);
    FUZZ_CHECK(t.len <= s.len && t.p >= s.p && t.p + t.len <= s.p + s.len);
    return 0;
}
