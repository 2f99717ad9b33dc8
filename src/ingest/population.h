/*
 * population.h: reading CBS population figures per gemeente x age band (the CSV derived from
 * the CBS/Certegis postcode file, shared/external/cbs/certegis-2021) for potential reach.
 * Gemeente names of the file's year become current CBS codes (cbs_find_by_name, then
 * cbs_current), so gemeenten that merged since are summed into their successor.
 */
#ifndef DUIDING_INGEST_POPULATION_H
#define DUIDING_INGEST_POPULATION_H

#include "core/err.h"
#include "ingest/table.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POPULATION_DEFAULT_YEAR 2021
#define POPULATION_BAND_MAX     8 /* "100+" and its NUL fit */

/* Where the columns of a population file are (0-based, -1 = absent). */
struct population_cols {
    int gemeente, age, inhabitants, men, women, year;
};

/** True if a header row names the columns gemeente, leeftijd and inwoners. */
bool population_header_matches(const struct table_row *header);
/** Finds the columns; ERR_INVALID naming the missing one. */
int population_bind(const struct table_row *header, struct population_cols *out, struct err_ctx *e);
/** The year in a file name ("..._2021.csv"), or POPULATION_DEFAULT_YEAR. */
int population_year_from_name(const char *name);

enum population_outcome { POP_ACCEPTED = 0, POP_REJECTED = 1, POP_SKIPPED = 2 };

struct population_row {
    char gemeente[5]; /* current CBS code, 4 digits */
    int year;
    char age_band[POPULATION_BAND_MAX];
    int64_t inhabitants, men, women; /* men/women -1 when absent */
};

/**
 * Converts one data row. On POP_REJECTED / POP_SKIPPED, *reason receives a Dutch msgid-based
 * text (static or in buf) and *bad_col the 1-based column.
 */
enum population_outcome population_convert(const struct population_cols *c,
                                           const struct table_row *row, int default_year,
                                           struct population_row *out, char *reason,
                                           size_t reason_cap, int *bad_col);

/* Sums of rows with the same gemeente, year and band (merged gemeenten). */
struct population_sums {
    struct population_row *v;
    size_t n, cap;
};
void population_sums_add(struct population_sums *s, const struct population_row *r);
/** Sorts and merges; afterwards v[0..n) holds one row per key. */
void population_sums_finish(struct population_sums *s);
void population_sums_free(struct population_sums *s);

#endif
