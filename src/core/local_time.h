/*
 * local_time.h: timestamps as people in the Netherlands read them. Local time is computed with
 * the fixed EU summer-time rule instead of the tz database: Europe/Amsterdam has followed it
 * since 1996, and it keeps the output independent of the server's TZ setting. Used by pages
 * (web/page_kit.h) and documents (report/).
 */
#ifndef DUIDING_CORE_LOCAL_TIME_H
#define DUIDING_CORE_LOCAL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define LOCAL_TIME_MAX 80 /* "23-11-2026 09:00:00"; sized for any int so snprintf cannot cut */

/** Seconds to add to UTC for Europe/Amsterdam at unix time t (3600 or 7200). */
int64_t local_time_offset(int64_t t);

/** "dd-mm-jjjj hh:mm" (with ":ss" when seconds) in Amsterdam time; date and time are joined by
 * a no-break space so they stay on one line. */
void local_time_format(int64_t t, bool seconds, char out[static LOCAL_TIME_MAX]);

/** Parses the store's "YYYY-MM-DDTHH:MM:SSZ" into unix seconds. False when malformed. */
bool local_time_parse_iso(const char *iso, int64_t *t);

/** local_time_format of an ISO timestamp; false (out untouched) when malformed. */
bool local_time_from_iso(const char *iso, bool seconds, char out[static LOCAL_TIME_MAX]);

/** The unix time t back as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void local_time_iso(int64_t t, char out[static LOCAL_TIME_MAX]);

#endif
