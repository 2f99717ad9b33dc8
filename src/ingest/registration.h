/*
 * registration.h: one record of a provider's registration export (CSV/XLSX row) through a
 * mapping profile into a fact (domain/trajectory.h, kind FACT_REGISTRATION), or into the
 * reasons it was rejected. Pure: no database, no I/O. The BSN is checked and pseudonymised
 * here and goes no further; the birth date becomes the age at start; the postcode its 4 digits.
 */
#ifndef DUIDING_INGEST_REGISTRATION_H
#define DUIDING_INGEST_REGISTRATION_H

#include "core/buf.h"
#include "core/err.h"
#include "ingest/profile.h"
#include "ingest/pseudonym.h"
#include "ingest/table.h"
#include <stdbool.h>

/* Where each mapped field sits in this file (resolved from the header row). */
struct reg_binding {
    const struct mapping_profile *profile;
    int col[RF_COUNT];                 /* 0-based column index, -1 = not mapped */
    int ncols;                         /* columns in the header */
    bool sensitive[TABLE_MAX_COLUMNS]; /* blanked in stored rejected records: BSN and every
                                          unmapped column (it may hold names or addresses) */
};

/**
 * Resolves the profile's column names against the header row (trimmed, case- and
 * accent-insensitive). ERR_INVALID naming the first mapped column that is missing from the file.
 */
int registration_bind(const struct mapping_profile *p, const struct table_row *header,
                      struct reg_binding *out, struct err_ctx *e);

enum reg_outcome { REG_ACCEPTED = 0, REG_REJECTED = 1, REG_EMPTY = 2 /* blank row: skipped */ };

struct reg_result {
    struct traj_fact fact;                 /* filled when accepted */
    unsigned char person[PSEUDONYM_BYTES]; /* pseudonym */
    bool test_person;
    int bad_col; /* 1-based column of the first problem, 0 */
};

/**
 * Converts one data row. On REG_REJECTED, `reasons` receives every problem of the row in
 * Dutch, each naming the column ("kolom Startdatum: '31-02-2024' is geen bestaande datum"),
 * joined with "; ". agb is the aanbieder's AGB code (pseudonym domain of client keys).
 */
enum reg_outcome registration_convert(const struct reg_binding *b, const struct pseudonymiser *ps,
                                      const char agb[static 9], const struct table_row *row,
                                      struct reg_result *out, struct buf *reasons);

#endif
