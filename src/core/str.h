/*
 * str.h: string slices and strict, cursor-style parsing (curl strparse model). Nothing here
 * assumes NUL termination of input; every parser rejects leading/trailing junk and overflow.
 */
#ifndef DUIDING_CORE_STR_H
#define DUIDING_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A borrowed slice of bytes. */
struct str {
    const char *p;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define STR_NULL   ((struct str){NULL, 0})

/** Slice of a C string (NULL gives the empty slice). */
struct str str_from(const char *s);
/** Byte-wise equality. */
bool str_eq(struct str a, struct str b);
/** ASCII case-insensitive equality. */
bool str_eq_nocase(struct str a, struct str b);
/** True if a starts with prefix. */
bool str_starts_with(struct str a, struct str prefix);
/** Slice without leading and trailing ASCII white space. */
struct str str_trim(struct str s);
/** Equality of a slice with a C string. */
bool str_eq_c(struct str a, const char *c);

/**
 * Parses a whole slice as a decimal integer in [min, max] (optional leading '-' only when
 * min < 0). 0 on success with *out set; ERR_INVALID otherwise (out untouched).
 */
int str_parse_i64(struct str s, int64_t min, int64_t max, int64_t *out);
/** Same, from a C string. */
int str_parse_i64_c(const char *s, int64_t min, int64_t max, int64_t *out);

/**
 * Parses a decimal with '.' or ',' as separator ("3,5", "-0.25") into *out, at most 15
 * significant digits. 0 or ERR_INVALID.
 */
int str_parse_decimal(struct str s, double *out);

/* A calendar date as days since 1970-01-01 (proleptic Gregorian). Compact for in-memory columns. */
typedef int32_t day_t;
#define DAY_NONE INT32_MIN

/** Days since epoch for a valid y-m-d, or DAY_NONE if the date does not exist. */
day_t day_from_ymd(int y, int m, int d);
/** Splits a day into year, month (1-12), day (1-31). */
void day_to_ymd(day_t day, int *y, int *m, int *d);
/** Parses "YYYY-MM-DD" (ISO 8601 calendar date). 0 or ERR_INVALID. */
int str_parse_date_iso(struct str s, day_t *out);
/** Parses Dutch "D-M-YYYY" / "DD-MM-YYYY" (also with '/' or '.'). 0 or ERR_INVALID. */
int str_parse_date_nl(struct str s, day_t *out);
/** Formats as "YYYY-MM-DD" into out (at least 11 bytes). */
void day_format_iso(day_t day, char out[static 11]);

#endif
