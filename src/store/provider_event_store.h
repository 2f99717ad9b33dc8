/*
 * provider_event_store.h: the SQL of provider events (provider_event) for
 * domain/provider_event.c.
 */
#ifndef DUIDING_STORE_PROVIDER_EVENT_STORE_H
#define DUIDING_STORE_PROVIDER_EVENT_STORE_H

#include "core/arena.h"
#include "domain/provider_event.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/** Inserts an event at version 1. kind_code as stored. 0, ERR_DB. */
int pev_store_insert(struct db *db, int64_t aanbieder_id, int64_t owner_org_id,
                     const char *kind_code, day_t on_date, const char *description, int64_t user_id,
                     const char *now, int64_t *id_out);
/** Updates if still at version. 0, ERR_CONFLICT, ERR_DB. */
int pev_store_update(struct db *db, int64_t id, int64_t version, const char *kind_code,
                     day_t on_date, const char *description, const char *now);
int pev_store_set_archived(struct db *db, int64_t id, int64_t version, bool archived,
                           const char *now);
/** One event with names. 0, ERR_NOT_FOUND, ERR_DB. */
int pev_store_get(struct arena *a, struct db *db, int64_t id, struct provider_event *out);
/** Events (aanbieder_id 0 = all), newest first, at most cap. */
int pev_store_list(struct arena *a, struct db *db, int64_t aanbieder_id, bool include_archived,
                   int cap, struct provider_event **out, int *n);

#endif
