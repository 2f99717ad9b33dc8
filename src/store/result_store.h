/*
 * result_store.h: the SQL of maatschappelijke resultaten (table societal_result) for
 * domain/result.c. Rows come back as struct result (domain/result.h) with arena strings;
 * the theme is stored as its stable code.
 */
#ifndef DUIDING_STORE_RESULT_STORE_H
#define DUIDING_STORE_RESULT_STORE_H

#include "core/arena.h"
#include "domain/result.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* A resolved result_filter: limit defaulted and capped, text turned into a LIKE pattern. */
struct result_query {
    int64_t owner_org_id;   /* 0 = every owner */
    const char *theme_code; /* NULL = every theme */
    bool include_archived;
    const char *like; /* LIKE pattern (db_like_pattern) on title or description, or NULL */
    int limit, offset;
};

/* The columns written by insert and update. Strings are borrowed. */
struct result_values {
    int64_t owner_org_id;
    const char *theme_code;
    const char *title;
    const char *description;
    int start_year, end_year;
};

/**
 * Inserts a result at version 1; created_by 0 or negative stores NULL (actors without an
 * account). *id_out receives the id. 0, ERR_CONFLICT, ERR_DB.
 */
int result_store_insert(struct db *db, const struct result_values *v, const char *now,
                        int64_t created_by, int64_t *id_out);
/**
 * Updates the result if its version is still `version`, and increments the version.
 * ERR_CONFLICT when no row had that id and version, else 0 or ERR_DB.
 */
int result_store_update(struct db *db, int64_t id, int64_t version, const struct result_values *v,
                        const char *now);
/** Sets archived and increments the version. 0, ERR_NOT_FOUND, ERR_DB. */
int result_store_set_archived(struct db *db, int64_t id, bool archived, const char *now);
/**
 * One result with its owner's name. 0, ERR_NOT_FOUND, ERR_DB, ERR_TOO_BIG, ERR_INVALID (a
 * stored theme code this program does not know).
 */
int result_store_get(struct arena *a, struct db *db, int64_t id, struct result *out);
/** Counts the results matching q (limit/offset ignored). 0 or ERR_DB. */
int result_store_count(struct db *db, const struct result_query *q, int *total);
/**
 * Fills out[0..cap) with the results matching q, ordered by owner name then title, strings in
 * the arena. *n receives the number of rows. 0, ERR_DB, ERR_TOO_BIG.
 */
int result_store_list(struct arena *a, struct db *db, const struct result_query *q,
                      struct result *out, int cap, int *n);

#endif
