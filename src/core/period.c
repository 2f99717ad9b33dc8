/*
 * period.c: period arithmetic on day numbers, and Dutch date formatting.
 */
#include "core/period.h"
#include "core/common.h"
#include <time.h>
#include "core/err.h"

static int months_per(enum period_kind k)
{
    switch (k) {
    case PERIOD_MONTH:
        return 1;
    case PERIOD_QUARTER:
        return 3;
    case PERIOD_HALF:
        return 6;
    default:
        return 12;
    }
}

static int per_year(enum period_kind k)
{
    return 12 / months_per(k);
}

int period_parse(struct str s, struct period *out)
{
    int64_t year, idx = 1;
    struct period p;
    if (s.len < 4)
        return ERR_INVALID;
    if (str_parse_i64((struct str){s.p, 4}, 1900, 2100, &year))
        return ERR_INVALID;
    if (s.len == 4) {
        p.kind = PERIOD_YEAR;
    } else if (s.len == 7 && s.p[4] == '-' && (s.p[5] == 'Q' || s.p[5] == 'q')) {
        p.kind = PERIOD_QUARTER;
        if (str_parse_i64((struct str){s.p + 6, 1}, 1, 4, &idx))
            return ERR_INVALID;
    } else if (s.len == 7 && s.p[4] == '-' && (s.p[5] == 'H' || s.p[5] == 'h')) {
        p.kind = PERIOD_HALF;
        if (str_parse_i64((struct str){s.p + 6, 1}, 1, 2, &idx))
            return ERR_INVALID;
    } else if (s.len == 7 && s.p[4] == '-' && s.p[5] >= '0' && s.p[5] <= '1') {
        p.kind = PERIOD_MONTH;
        if (str_parse_i64((struct str){s.p + 5, 2}, 1, 12, &idx))
            return ERR_INVALID;
    } else {
        return ERR_INVALID;
    }
    p.year = (int)year;
    p.index = (int)idx;
    *out = p;
    return 0;
}

void period_code(struct period p, char out[static PERIOD_CODE_MAX])
{
    int y = p.year % 10000, i = p.index % 100;
    switch (p.kind) {
    case PERIOD_MONTH:
        snprintf(out, PERIOD_CODE_MAX, "%04d-%02d", y, i);
        break;
    case PERIOD_QUARTER:
        snprintf(out, PERIOD_CODE_MAX, "%04d-Q%d", y, i);
        break;
    case PERIOD_HALF:
        snprintf(out, PERIOD_CODE_MAX, "%04d-H%d", y, i);
        break;
    default:
        snprintf(out, PERIOD_CODE_MAX, "%04d", y);
        break;
    }
}

static const char *month_name(int m)
{
    static const char *names[] = {N_("januari"),   N_("februari"), N_("maart"),    N_("april"),
                                  N_("mei"),       N_("juni"),     N_("juli"),     N_("augustus"),
                                  N_("september"), N_("oktober"),  N_("november"), N_("december")};
    return (m >= 1 && m <= 12) ? _(names[m - 1]) : "?";
}

void period_label(struct period p, char *out, size_t n)
{
    switch (p.kind) {
    case PERIOD_MONTH:
        snprintf(out, n, "%s %d", month_name(p.index), p.year);
        break;
    case PERIOD_QUARTER:
        /* TRANSLATORS: %d is the quarter number, %d the year: "3e kwartaal 2024" */
        snprintf(out, n, _("%de kwartaal %d"), p.index, p.year);
        break;
    case PERIOD_HALF:
        /* TRANSLATORS: %d is 1 or 2, %d the year: "1e halfjaar 2024" */
        snprintf(out, n, _("%de halfjaar %d"), p.index, p.year);
        break;
    default:
        snprintf(out, n, "%d", p.year);
        break;
    }
}

day_t day_today(void)
{
    return (day_t)(time(NULL) / 86400);
}

day_t period_start(struct period p)
{
    int month = (p.index - 1) * months_per(p.kind) + 1;
    return day_from_ymd(p.year, month, 1);
}

day_t period_end(struct period p)
{
    day_t next = period_start(period_next(p));
    if (next != DAY_NONE)
        return next - 1;
    /* The next period lies past the calendar's range (after 2200): December 31 still exists. */
    day_t start = period_start(p);
    return start == DAY_NONE ? DAY_NONE : day_from_ymd(p.year, 12, 31);
}

struct period period_of(day_t d, enum period_kind k)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    struct period p = {k, y, (m - 1) / months_per(k) + 1};
    return p;
}

int64_t period_ordinal(struct period p)
{
    return (int64_t)p.year * per_year(p.kind) + (p.index - 1);
}

int period_per_year(enum period_kind k)
{
    return per_year(k);
}

struct period period_prev(struct period p)
{
    if (--p.index < 1) {
        p.year--;
        p.index = per_year(p.kind);
    }
    return p;
}

struct period period_next(struct period p)
{
    if (++p.index > per_year(p.kind)) {
        p.year++;
        p.index = 1;
    }
    return p;
}

bool period_contains(struct period p, day_t d)
{
    return d >= period_start(p) && d <= period_end(p);
}

/* Writes v as exactly `digits` decimal digits (v is known to be in range). */
static void put_digits(char *out, unsigned v, int digits)
{
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format_nl(day_t d, char out[static 11])
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    put_digits(out, (unsigned)dd, 2);
    out[2] = '-';
    put_digits(out + 3, (unsigned)m, 2);
    out[5] = '-';
    put_digits(out + 6, (unsigned)y, 4);
    out[10] = '\0';
}

void date_format_long(day_t d, char *out, size_t n)
{
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    snprintf(out, n, "%d %s %d", dd, month_name(m), y);
}
