/*
 * str.c: slices and strict parsers. The only place in duiding that converts text to numbers;
 * everything else calls these so that overflow and junk are handled once.
 */
#include "core/str.h"
#include "core/common.h"
#include "core/err.h"

struct str str_from(const char *s)
{
    struct str r = {s, s ? strlen(s) : 0};
    return r;
}

bool str_eq(struct str a, struct str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool str_eq_c(struct str a, const char *c)
{
    return str_eq(a, str_from(c));
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool str_eq_nocase(struct str a, struct str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower(a.p[i]) != lower(b.p[i]))
            return false;
    return true;
}

bool str_starts_with(struct str a, struct str prefix)
{
    return a.len >= prefix.len && (prefix.len == 0 || memcmp(a.p, prefix.p, prefix.len) == 0);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct str str_trim(struct str s)
{
    while (s.len && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && is_space(s.p[s.len - 1]))
        s.len--;
    return s;
}

int str_parse_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (s.len == 0 || s.len > 20)
        return ERR_INVALID;
    if (s.p[0] == '-') {
        if (min >= 0)
            return ERR_INVALID;
        neg = true;
        i = 1;
    } else if (s.p[0] == '+') {
        i = 1;
    }
    if (i == s.len)
        return ERR_INVALID;
    uint64_t v = 0;
    for (; i < s.len; i++) {
        char c = s.p[i];
        if (c < '0' || c > '9')
            return ERR_INVALID;
        if (v > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
            return ERR_INVALID;
        v = v * 10 + (uint64_t)(c - '0');
    }
    int64_t r;
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return ERR_INVALID;
        r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return ERR_INVALID;
        r = (int64_t)v;
    }
    if (r < min || r > max)
        return ERR_INVALID;
    *out = r;
    return 0;
}

int str_parse_i64_c(const char *s, int64_t min, int64_t max, int64_t *out)
{
    return s ? str_parse_i64(str_from(s), min, max, out) : ERR_INVALID;
}

int str_parse_decimal(struct str s, double *out)
{
    size_t i = 0;
    bool neg = false, seen_sep = false;
    int digits = 0, frac_digits = 0;
    uint64_t mantissa = 0; /* at most 15 digits: exact in a double (< 2^53) */
    if (s.len == 0 || s.len > 40)
        return ERR_INVALID;
    if (s.p[0] == '-' || s.p[0] == '+') {
        neg = s.p[0] == '-';
        i = 1;
    }
    for (; i < s.len; i++) {
        char c = s.p[i];
        if (c == '.' || c == ',') {
            if (seen_sep)
                return ERR_INVALID;
            seen_sep = true;
            continue;
        }
        if (c < '0' || c > '9')
            return ERR_INVALID;
        if (++digits > 15)
            return ERR_INVALID;
        mantissa = mantissa * 10 + (uint64_t)(c - '0');
        if (seen_sep)
            frac_digits++;
    }
    if (digits == 0)
        return ERR_INVALID;
    /* One division of two exactly representable numbers rounds correctly, so "0,3" gives the
     * double nearest to 0.3 (summing digit * 0.1^k would not). */
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    double v = (double)mantissa / pow10[frac_digits];
    *out = neg ? -v : v;
    return 0;
}

/* Days from civil (Howard Hinnant's algorithm): exact for the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

day_t day_from_ymd(int y, int m, int d)
{
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return DAY_NONE;
    return (day_t)days_from_civil(y, (unsigned)m, (unsigned)d);
}

void day_to_ymd(day_t day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static int digits_at(struct str s, size_t at, size_t n, int *out)
{
    int v = 0;
    if (at + n > s.len)
        return ERR_INVALID;
    for (size_t i = at; i < at + n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return ERR_INVALID;
        v = v * 10 + (s.p[i] - '0');
    }
    *out = v;
    return 0;
}

int str_parse_date_iso(struct str s, day_t *out)
{
    int y, m, d;
    if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
        return ERR_INVALID;
    if (digits_at(s, 0, 4, &y) || digits_at(s, 5, 2, &m) || digits_at(s, 8, 2, &d))
        return ERR_INVALID;
    day_t r = day_from_ymd(y, m, d);
    if (r == DAY_NONE)
        return ERR_INVALID;
    *out = r;
    return 0;
}

int str_parse_date_nl(struct str s, day_t *out)
{
    /* D-M-YYYY with one or two digit day and month; one separator kind throughout. */
    size_t i = 0;
    int part[3] = {0, 0, 0};
    size_t plen[3] = {0, 0, 0};
    char sep = 0;
    for (int k = 0; k < 3; k++) {
        while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9' && plen[k] < 4) {
            part[k] = part[k] * 10 + (s.p[i] - '0');
            plen[k]++;
            i++;
        }
        if (k < 2) {
            if (i >= s.len || (s.p[i] != '-' && s.p[i] != '/' && s.p[i] != '.'))
                return ERR_INVALID;
            if (sep && s.p[i] != sep)
                return ERR_INVALID;
            sep = s.p[i++];
        }
    }
    if (i != s.len || plen[0] < 1 || plen[0] > 2 || plen[1] < 1 || plen[1] > 2 || plen[2] != 4)
        return ERR_INVALID;
    day_t r = day_from_ymd(part[2], part[1], part[0]);
    if (r == DAY_NONE)
        return ERR_INVALID;
    *out = r;
    return 0;
}

void day_format_iso(day_t day, char out[static 11])
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    /* y is 1800..2200 for every valid day, so four digits always fit. */
    unsigned v[3] = {(unsigned)y, (unsigned)m, (unsigned)d};
    int widths[3] = {4, 2, 2};
    char *p = out;
    for (int k = 0; k < 3; k++) {
        for (int i = widths[k] - 1; i >= 0; i--) {
            p[i] = (char)('0' + v[k] % 10);
            v[k] /= 10;
        }
        p += widths[k];
        if (k < 2)
            *p++ = '-';
    }
    *p = '\0';
}
