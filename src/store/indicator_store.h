/*
 * indicator_store.h: the SQL of indicator definitions, their version history, targets
 * (streefwaarden) and the indicators linked to a maatschappelijk resultaat (tables indicator,
 * indicator_version, indicator_target, result_indicator; migration 0003). Definitions are
 * stored as their JSON document (metrics/definition.h); this layer does not parse it.
 */
#ifndef DUIDING_STORE_INDICATOR_STORE_H
#define DUIDING_STORE_INDICATOR_STORE_H

#include "core/arena.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

struct indicator_row {
    int64_t id;
    const char *code;
    int64_t owner_org_id;   /* 0 = the shipped standard set (region-wide, harmonised) */
    const char *owner_name; /* NULL for the standard set */
    bool standard;
    int64_t version;
    const char *definition; /* JSON */
    bool archived;
    const char *updated_at;
    int64_t updated_by; /* 0 = system */
};

/** All indicators (archived too when include_archived), ordered by standard first, then code.
 * 0, ERR_DB, ERR_NOMEM. */
int indicator_store_list(struct arena *a, struct db *db, bool include_archived,
                         struct indicator_row **out, size_t *n);
/** One indicator. 0, ERR_NOT_FOUND, ERR_DB. */
int indicator_store_get(struct arena *a, struct db *db, int64_t id, struct indicator_row *out);
/** By code within an owner (0 = standard set). 0, ERR_NOT_FOUND, ERR_DB. */
int indicator_store_find(struct arena *a, struct db *db, int64_t owner_org_id, const char *code,
                         struct indicator_row *out);
/** Inserts at version 1 and records the version. 0, ERR_CONFLICT (code taken), ERR_DB. */
int indicator_store_insert(struct db *db, int64_t owner_org_id, bool standard, const char *code,
                           const char *json, const char *now, int64_t by, int64_t *id_out);
/** Replaces the definition if still at version; increments it and records the version.
 * 0, ERR_CONFLICT (stale), ERR_DB. */
int indicator_store_update(struct db *db, int64_t id, int64_t version, const char *json,
                           const char *now, int64_t by);
/** 0, ERR_NOT_FOUND, ERR_DB. */
int indicator_store_set_archived(struct db *db, int64_t id, bool archived, const char *now,
                                 int64_t by);

struct indicator_version_row {
    int64_t version;
    const char *definition;
    const char *changed_at;
    int64_t changed_by;
    const char *changed_by_name; /* NULL for the system */
};
/** History, newest first. */
int indicator_store_versions(struct arena *a, struct db *db, int64_t id,
                             struct indicator_version_row **out, size_t *n);

struct indicator_target_row {
    int64_t id, indicator_id;
    int64_t owner_org_id;         /* gemeente or region that agreed the target */
    const char *gemeente;         /* CBS code the target is for, NULL = all in the owner's area */
    int64_t aanbieder_id;         /* 0 = all aanbieders */
    int32_t valid_from, valid_to; /* day_t; valid_to DAY_NONE (INT32_MIN) = open-ended */
    double value;
    const char *note;
};
int indicator_store_targets(struct arena *a, struct db *db, int64_t indicator_id,
                            struct indicator_target_row **out, size_t *n);
int indicator_store_target_insert(struct db *db, const struct indicator_target_row *t,
                                  int64_t *id_out);
int indicator_store_target_delete(struct db *db, int64_t id);

/** Indicators linked to a maatschappelijk resultaat, in the order set. */
int indicator_store_result_links(struct arena *a, struct db *db, int64_t result_id, int64_t **ids,
                                 size_t *n);
/** Replaces the links of a result. 0, ERR_DB. */
int indicator_store_set_result_links(struct db *db, int64_t result_id, const int64_t *ids,
                                     size_t n);

#endif
