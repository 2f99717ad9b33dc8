/*
 * framework_store.h: the SQL of the quality framework (tables framework, framework_theme,
 * criterion, criterion_source, criterion_not_duplicate, framework_version, criterion_version)
 * for domain/framework.c. Rows come back as the structs of domain/framework.h with arena
 * strings; enumerations are stored as their stable codes or bit sets.
 */
#ifndef DUIDING_STORE_FRAMEWORK_STORE_H
#define DUIDING_STORE_FRAMEWORK_STORE_H

#include "core/arena.h"
#include "domain/framework.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* The columns of a criterion written by insert and update. Strings are borrowed. */
struct criterion_values {
    int64_t theme_id;
    int64_t local_org_id; /* 0 = regional (NULL) */
    const char *code;
    const char *text;
    const char *source_code;
    const char *source_ref;
    unsigned laws;
    const char *categories;
    const char *evidence;
    unsigned verify;
};

/* A pair marked "not a duplicate". */
struct fw_pair {
    int64_t low, high;
};

int fw_store_insert(struct db *db, int64_t owner, const char *name, const char *description,
                    const char *now, int64_t by, int64_t *id_out);
/** ERR_CONFLICT when the version is no longer `version`; does not bump the version. */
int fw_store_update(struct db *db, int64_t id, int64_t version, const char *name,
                    const char *description, const char *now);
/**
 * Bumps the framework version and writes its history row. *version_out receives the new
 * version. 0, ERR_NOT_FOUND, ERR_DB.
 */
int fw_store_bump(struct db *db, int64_t id, const char *summary, const char *now, int64_t by,
                  int64_t *version_out);
/** Writes the history row of version 1 (at creation). */
int fw_store_first_version(struct db *db, int64_t id, const char *summary, const char *now,
                           int64_t by);
int fw_store_get(struct arena *a, struct db *db, int64_t id, struct framework *out);
int fw_store_list(struct arena *a, struct db *db, int64_t owner, struct framework **out, int *n);
int fw_store_themes(struct arena *a, struct db *db, int64_t fw, struct fw_theme **out, int *n);
/** The id of the theme with this name, added at the end when new. */
int fw_store_theme_id(struct db *db, int64_t fw, const char *name, int64_t *id_out);
int fw_store_versions(struct arena *a, struct db *db, int64_t fw, struct fw_version **out, int *n);

int crit_store_insert(struct db *db, int64_t fw, const struct criterion_values *v, const char *now,
                      int64_t *id_out);
/** ERR_CONFLICT when the version is no longer `version`. Increments the version. */
int crit_store_update(struct db *db, int64_t id, int64_t version, const struct criterion_values *v,
                      const char *now);
int crit_store_set_archived(struct db *db, int64_t id, bool archived, int64_t merged_into,
                            const char *now);
/** One criterion with its theme, local gemeente and extra sources. 0, ERR_NOT_FOUND, ERR_DB. */
int crit_store_get(struct arena *a, struct db *db, int64_t id, struct criterion *out);
/** Id of the criterion with this code in the framework, or ERR_NOT_FOUND. */
int crit_store_by_code(struct db *db, int64_t fw, const char *code, int64_t *id_out);
int crit_store_list(struct arena *a, struct db *db, int64_t fw, bool include_archived,
                    struct criterion **out, int *n);
/**
 * The active criteria as they stood at framework version `version` (from criterion_version;
 * no extra sources, version = the framework version of the copy). 0, ERR_DB, ERR_NOMEM.
 */
int crit_store_list_at(struct arena *a, struct db *db, int64_t fw, int64_t version,
                       struct criterion **out, int *n);
/** Copies the criterion's current values into criterion_version at fw_version. */
int crit_store_snapshot(struct db *db, int64_t id, int64_t fw_version);
int crit_store_add_source(struct db *db, int64_t id, int64_t from, const char *kind,
                          const char *ref);
int crit_store_not_dup_add(struct db *db, int64_t low, int64_t high, const char *now, int64_t by);
int crit_store_not_dup_list(struct arena *a, struct db *db, int64_t fw, struct fw_pair **out,
                            int *n);

#endif
