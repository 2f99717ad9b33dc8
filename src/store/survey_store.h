/*
 * survey_store.h: the SQL of anonymous survey responses as the indicator engine reads them
 * (tables survey_response, survey_answer; migration 0003).
 */
#ifndef DUIDING_STORE_SURVEY_STORE_H
#define DUIDING_STORE_SURVEY_STORE_H

#include "store/db.h"
#include <stddef.h>
#include <stdint.h>

struct survey_response_row {
    int64_t round_id;      /* 0 = none */
    const char *gemeente;  /* CBS code, 4 digits */
    int64_t aanbieder_id;  /* 0 = unknown */
    int law;               /* 1 Jeugdwet, 2 Wmo, 0 = unknown */
    const char *category;  /* NULL = unknown */
    int age;               /* -1 = unknown */
    const char *gender;    /* "0" / "1" / "2", NULL = unknown */
    int32_t response_date; /* day_t */
};

struct survey_answer_row {
    const char *item; /* "wmo_ceo_1" */
    int64_t value;
};

/** Inserts one response with its answers (inside the caller's transaction). 0, ERR_CONFLICT
 * (a check failed, e.g. a duplicate item), ERR_DB. */
int survey_store_insert(struct db *db, const struct survey_response_row *r,
                        const struct survey_answer_row *answers, size_t n, int64_t *id_out);

#endif
