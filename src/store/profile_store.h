/*
 * profile_store.h: the SQL of column-mapping profiles (table mapping_profile) for
 * ingest/profile.c. The definition is stored as JSON text (profile_to_json); name, law and
 * organisation are columns as well, for the unique name per organisation and for lists.
 */
#ifndef DUIDING_STORE_PROFILE_STORE_H
#define DUIDING_STORE_PROFILE_STORE_H

#include "core/arena.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

#define PROFILE_STORE_LIST_MAX 1000 /* rows one list query returns at most */

/* One stored profile; strings are arena copies. */
struct profile_row {
    int64_t id;
    int64_t org_id;
    const char *org_name;
    const char *name;
    int law;
    const char *definition; /* JSON */
    int64_t version;
    bool archived;
    const char *created_at, *updated_at;
};

/**
 * Inserts a profile at version 1; created_by <= 0 stores NULL. *id_out receives the id.
 * 0, ERR_CONFLICT (name already used in that organisation), ERR_DB.
 */
int profile_store_insert(struct db *db, int64_t org_id, const char *name, int law,
                         const char *definition, const char *now, int64_t created_by,
                         int64_t *id_out);
/**
 * Replaces name, law and definition if the version is still `version`, and increments it.
 * ERR_CONFLICT when the version is stale or the new name is taken (*name_taken tells which;
 * may be NULL), else 0 or ERR_DB.
 */
int profile_store_update(struct db *db, int64_t id, int64_t version, const char *name, int law,
                         const char *definition, const char *now, bool *name_taken);
/** Sets archived and increments the version. 0, ERR_NOT_FOUND, ERR_DB. */
int profile_store_set_archived(struct db *db, int64_t id, bool archived, const char *now);
/** One profile with its organisation's name. 0, ERR_NOT_FOUND, ERR_DB, ERR_TOO_BIG. */
int profile_store_get(struct arena *a, struct db *db, int64_t id, struct profile_row *out);
/**
 * Profiles of org_id (0 = every organisation) with exactly this name (org_id 0: at most cap
 * of them, so a caller can tell a unique name from an ambiguous one). 0, ERR_DB, ERR_TOO_BIG.
 */
int profile_store_find(struct arena *a, struct db *db, int64_t org_id, const char *name,
                       struct profile_row *out, int cap, int *n);
/**
 * Profiles of org_id (0 = all), archived ones included, ordered by organisation name and
 * profile name; at most cap rows. 0, ERR_DB, ERR_TOO_BIG.
 */
int profile_store_list(struct arena *a, struct db *db, int64_t org_id, struct profile_row *out,
                       int cap, int *n);

#endif
