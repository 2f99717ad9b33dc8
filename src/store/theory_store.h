/*
 * theory_store.h: the SQL of theories of change (tables theory, theory_activity,
 * theory_activity_indicator, theory_version) for domain/theory.c. Rows come back as
 * struct theory (domain/theory.h) with arena strings.
 */
#ifndef DUIDING_STORE_THEORY_STORE_H
#define DUIDING_STORE_THEORY_STORE_H

#include "core/arena.h"
#include "domain/theory.h"
#include "store/db.h"
#include <stdint.h>

/**
 * Loads the current theory of result_id into *out: starters, version, updated_at/by and the
 * activities in order with aanbieder and indicator names. No theory row: 0 with version 0,
 * empty starters, no activities (result fields are left to the caller). 0, ERR_DB, ERR_NOMEM.
 */
int theory_store_get(struct arena *a, struct db *db, int64_t result_id, struct theory *out);

/**
 * Writes the whole theory `t` as the new state of result_id inside the caller's write
 * transaction: the theory row goes from version `version` to version+1 (inserted at 1 when
 * `version` is 0 and no row exists), activities are updated by id, inserted (id 0; their new
 * ids are stored back into t->activities[i].id) or deleted when absent, positions renumbered,
 * indicator links replaced. ERR_CONFLICT when the stored version is not `version`, ERR_DB.
 */
int theory_store_save(struct db *db, int64_t result_id, int64_t version, struct theory *t,
                      const char *now, int64_t user_id);

/** Appends a version row. 0, ERR_CONFLICT (version exists), ERR_DB. */
int theory_store_add_version(struct db *db, int64_t result_id, int64_t version, const char *now,
                             int64_t user_id, const char *user_login, const char *summary,
                             const char *document);

/** Newest first, at most `cap`. 0, ERR_DB, ERR_NOMEM. */
int theory_store_versions(struct arena *a, struct db *db, int64_t result_id, int cap,
                          struct theory_version_info **out, int *n);
/** One version with its document (arena). 0, ERR_NOT_FOUND, ERR_DB. */
int theory_store_version(struct arena *a, struct db *db, int64_t result_id, int64_t version,
                         struct theory_version_info *info, const char **document);

/** Is org_id an aanbieder organisation (kind aanbieder)? Its name into *name (arena). 0,
 * ERR_NOT_FOUND (no such organisation or not an aanbieder), ERR_DB. */
int theory_store_aanbieder(struct arena *a, struct db *db, int64_t org_id, const char **name);
/** The name of indicator id. 0, ERR_NOT_FOUND, ERR_DB. */
int theory_store_indicator(struct arena *a, struct db *db, int64_t id, const char **name);

#endif
