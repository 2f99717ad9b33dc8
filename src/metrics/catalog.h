/*
 * catalog.h: the indicators of a data directory: installing the shipped standard set
 * (data/indicatoren/standaard.json) into the store, and loading every stored definition parsed,
 * for the engine and the pages.
 */
#ifndef DUIDING_METRICS_CATALOG_H
#define DUIDING_METRICS_CATALOG_H

#include "core/arena.h"
#include "core/err.h"
#include "metrics/definition.h"
#include "store/db.h"
#include "store/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Inserts every standard definition whose code is missing from the standard set in the store
 * (owner NULL, standard = 1) at version 1. Existing ones, archived ones and the settings a
 * region changed in them are left alone; idempotent. db must be the writer inside a
 * transaction (store_write_begin). now: ISO timestamp. *added (may be NULL) counts the
 * definitions inserted. 0 or an error in e.
 */
int ind_catalog_install_standard(struct db *db, const char *now, struct err_ctx *e);
int ind_catalog_install_standard_n(struct db *db, const char *now, size_t *added,
                                   struct err_ctx *e);

/** The same in its own write transaction on the store, at the current time (for `duiding init`,
 * `serve` and `demo`). */
int ind_catalog_ensure_standard(struct store *s, size_t *added, struct err_ctx *e);

/* One stored indicator, parsed. */
struct ind_catalog_entry {
    int64_t id;
    const char *code;
    int64_t owner_org_id; /* 0 = standard set */
    bool standard, archived;
    int64_t version;
    struct ind_def def;
};

/**
 * Loads the stored, non-archived indicators and parses their definitions into a: standard set
 * first, then by code. A stored document that no longer parses is skipped and counted in *nbad (may
 * be NULL). 0, ERR_DB, ERR_NOMEM.
 */
int ind_catalog_load(struct db *db, struct arena *a, struct ind_catalog_entry **out, size_t *n,
                     size_t *nbad, struct err_ctx *e);

/** The stored indicator of the standard set with this code: its id, or 0 if there is none. */
int64_t ind_catalog_standard_id(struct db *db, const char *code);

#endif
