/*
 * period.h: reporting periods (month, quarter, half year, year) and Dutch date formats.
 * A period is written as a code: "2024", "2024-H1", "2024-Q3", "2024-07".
 */
#ifndef DUIDING_CORE_PERIOD_H
#define DUIDING_CORE_PERIOD_H

#include "core/str.h"
#include <stddef.h>

enum period_kind { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_HALF, PERIOD_YEAR };

struct period {
    enum period_kind kind;
    int year;
    int index; /* month 1-12, quarter 1-4, half 1-2, year 1 */
};

#define PERIOD_CODE_MAX  16
#define PERIOD_LABEL_MAX 64

/** Parses a period code. 0 or ERR_INVALID. Years 1900..2100. */
int period_parse(struct str s, struct period *out);
/** Writes the canonical code ("2024-Q3"). */
void period_code(struct period p, char out[static PERIOD_CODE_MAX]);
/** Translated, readable label ("3e kwartaal 2024" / "Q3 2024") through gettext. */
void period_label(struct period p, char *out, size_t n);
/** First day of the period. */
/** Today's date (UTC) as day_t. */
day_t day_today(void);
day_t period_start(struct period p);
/** Last day of the period (inclusive). */
day_t period_end(struct period p);
/** The period of kind k that contains day d. */
struct period period_of(day_t d, enum period_kind k);
/** The period immediately before p (same kind). */
struct period period_prev(struct period p);
/** The period immediately after p (same kind). */
struct period period_next(struct period p);
/** The period's position on its kind's time line (year x periods per year + index - 1), so that
 * the distance between two periods of one kind is a subtraction. */
int64_t period_ordinal(struct period p);
/** Periods of kind k in a year (12, 4, 2, 1). */
int period_per_year(enum period_kind k);
/** True if d lies within p. */
bool period_contains(struct period p, day_t d);

/** "31-12-2024": the short Dutch date used in forms and tables. */
void date_format_nl(day_t d, char out[static 11]);
/** "31 december 2024" (translated month name). */
void date_format_long(day_t d, char *out, size_t n);

#endif
