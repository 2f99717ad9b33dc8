/*
 * local_time.c: Amsterdam local time for people (local_time.h).
 */
#include "core/local_time.h"
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"

#define SECS_PER_DAY 86400
#define NBSP         "\xc2\xa0"

/* Weekday of a day since the epoch: 0 = Sunday (1970-01-01 was a Thursday). */
static int weekday(int64_t day)
{
    return (int)(((day % 7) + 7 + 4) % 7);
}

static int64_t last_sunday(int year, int month)
{
    int64_t d = day_from_ymd(year, month, 31); /* March and October both have 31 days */
    return d - weekday(d);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Summer time runs from the last Sunday of March to the last Sunday of October, 01:00 UTC. */
int64_t local_time_offset(int64_t t)
{
    int y, m, d;
    day_to_ymd((day_t)floor_div(t, SECS_PER_DAY), &y, &m, &d);
    int64_t start = last_sunday(y, 3) * SECS_PER_DAY + 3600;
    int64_t end = last_sunday(y, 10) * SECS_PER_DAY + 3600;
    return (t >= start && t < end) ? 7200 : 3600;
}

void local_time_format(int64_t t, bool seconds, char out[static LOCAL_TIME_MAX])
{
    int64_t local = t + local_time_offset(t);
    int64_t day = floor_div(local, SECS_PER_DAY);
    int64_t sec = local - day * SECS_PER_DAY;
    int y, m, d;
    day_to_ymd((day_t)day, &y, &m, &d);
    int hh = (int)(sec / 3600), mm = (int)(sec / 60 % 60), ss = (int)(sec % 60);
    int n;
    if (seconds)
        n = snprintf(out, LOCAL_TIME_MAX, "%02d-%02d-%04d" NBSP "%02d:%02d:%02d", d, m, y, hh, mm,
                     ss);
    else
        n = snprintf(out, LOCAL_TIME_MAX, "%02d-%02d-%04d" NBSP "%02d:%02d", d, m, y, hh, mm);
    if (n < 0 || n >= LOCAL_TIME_MAX)
        out[0] = '\0';
}

bool local_time_parse_iso(const char *iso, int64_t *t)
{
    day_t day;
    int64_t hh, mm, ss;
    if (!iso || strlen(iso) != 20 || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' ||
        iso[19] != 'Z')
        return false;
    if (str_parse_date_iso((struct str){iso, 10}, &day) ||
        str_parse_i64((struct str){iso + 11, 2}, 0, 23, &hh) ||
        str_parse_i64((struct str){iso + 14, 2}, 0, 59, &mm) ||
        str_parse_i64((struct str){iso + 17, 2}, 0, 60, &ss))
        return false;
    *t = (int64_t)day * SECS_PER_DAY + hh * 3600 + mm * 60 + ss;
    return true;
}

bool local_time_from_iso(const char *iso, bool seconds, char out[static LOCAL_TIME_MAX])
{
    int64_t t;
    if (!local_time_parse_iso(iso, &t))
        return false;
    local_time_format(t, seconds, out);
    return true;
}

void local_time_iso(int64_t t, char out[static LOCAL_TIME_MAX])
{
    int64_t day = floor_div(t, SECS_PER_DAY);
    int64_t sec = t - day * SECS_PER_DAY;
    int y, m, d;
    day_to_ymd((day_t)day, &y, &m, &d);
    int n = snprintf(out, LOCAL_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
                     (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    if (n < 0 || n >= LOCAL_TIME_MAX)
        out[0] = '\0';
}
