/*
 * org_store.h: the SQL of organisations (tables organisation and organisation_parent), used by
 * domain/org.c. Values arrive validated and normalised; rows come back as struct org (a plain
 * data struct from domain/org.h) with strings in the caller's arena.
 */
#ifndef DUIDING_STORE_ORG_STORE_H
#define DUIDING_STORE_ORG_STORE_H

#include "core/arena.h"
#include "domain/org.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* A resolved org_filter: limit defaulted and capped, q turned into a LIKE pattern. */
struct org_query {
    int kind; /* 0 = all kinds */
    bool include_archived;
    const char *name_like; /* LIKE pattern (db_like_pattern) or NULL; case-insensitive */
    int64_t parent_id;     /* 0 = any */
    int limit, offset;
};

/** Inserts an organisation (not its parents). ERR_CONFLICT on a duplicate code or name. */
int org_store_insert(struct db *db, const struct org_input *in, const char *now, int64_t *id_out);
/** Updates name, codes and population. ERR_NOT_FOUND if id does not exist. */
int org_store_update(struct db *db, int64_t id, const struct org_input *in, const char *now);
/** Replaces the parents of id with parents[0..n). */
int org_store_set_parents(struct db *db, int64_t id, const int64_t *parents, int n);
/** Sets the archived flag. ERR_NOT_FOUND if id does not exist. */
int org_store_set_archived(struct db *db, int64_t id, bool archived, const char *now);

/** Kind and archived flag of id; ERR_NOT_FOUND if it does not exist. */
int org_store_kind(struct db *db, int64_t id, enum org_kind *kind, bool *archived);
/**
 * Id of another organisation (not except_id) that already has this CBS code, AGB code, or
 * kind + name (case-insensitive); ERR_NOT_FOUND when there is none.
 */
int org_store_find_cbs(struct db *db, const char *cbs_code, int64_t except_id, int64_t *id_out);
int org_store_find_agb(struct db *db, const char *agb_code, int64_t except_id, int64_t *id_out);
int org_store_find_name(struct db *db, enum org_kind kind, const char *name, int64_t except_id,
                        int64_t *id_out);

/** One organisation with its parents. ERR_NOT_FOUND, or ERR_TOO_BIG past the arena cap. */
int org_store_get(struct arena *a, struct db *db, int64_t id, struct org *out);
/** Number of organisations matching q (limit/offset ignored). */
int org_store_count(struct db *db, const struct org_query *q, int *total);
/**
 * Fills out[0..cap) with matching organisations (and their parents) ordered by kind, then
 * name. *n receives the number of rows.
 */
int org_store_list(struct arena *a, struct db *db, const struct org_query *q, struct org *out,
                   int cap, int *n);

#endif
