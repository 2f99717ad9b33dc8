/*
 * intake_store.h: the SQL of data intake (schema 0002_intake.sql) for ingest/pipeline.c and
 * ingest/batch.c: import batches and their rejected records, message identities, facts,
 * trajectories with their measurements, and population figures. Mapping profiles live in
 * store/profile_store.c. Rows come back as the plain data structs of ingest/batch.h and
 * domain/trajectory.h, strings in the caller's arena.
 *
 * Statements that run per record (fact, trajectory, rejection inserts; group selects) are
 * prepared once per connection by db.h's cache and only re-bound, so an import of millions
 * of rows prepares each of them once.
 */
#ifndef DUIDING_STORE_INTAKE_STORE_H
#define DUIDING_STORE_INTAKE_STORE_H

#include "core/arena.h"
#include "domain/trajectory.h"
#include "ingest/batch.h"
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Batches. -------------------------------------------------------------------------------- */

/* A new batch row. Strings borrowed; org_id/user_id/profile_id <= 0 store NULL. */
struct intake_batch_new {
    const char *kind; /* "berichten" | "registratie" | "bevolking" */
    const char *file_name;
    const char *file_sha256;
    int64_t file_bytes;
    int64_t org_id, user_id;
    const char *via; /* "web" | "api" | "cli" | "demo" */
    int64_t profile_id;
    const char *status; /* "actief" | "mislukt" */
    const char *error;  /* failed batches; NULL otherwise */
    const char *detail; /* JSON or NULL */
    const char *created_at;
    const char *finished_at; /* NULL while running */
};

struct intake_counts {
    int64_t read, accepted, rejected, skipped, flagged, test, trajectories;
};

/** Inserts a batch row with zero counts. *id_out receives the id. ERR_CONFLICT if an active
 * batch already has this hash and profile. */
int intake_batch_insert(struct db *db, const struct intake_batch_new *b, int64_t *id_out);
/** Sets counts, detail, finished_at and (when sha256 is not NULL) the file hash and size. */
int intake_batch_finish(struct db *db, int64_t id, const struct intake_counts *c,
                        const char *detail, const char *finished_at, const char *sha256,
                        int64_t file_bytes);
/** Id of the active batch with this file hash and profile (0 = none). ERR_NOT_FOUND if none. */
int intake_batch_find_active(struct db *db, const char *sha256, int64_t profile_id,
                             int64_t *id_out);
/** One batch with the names of its organisation, user, profile and undoer. ERR_NOT_FOUND. */
int intake_batch_get(struct arena *a, struct db *db, int64_t id, struct import_batch *out);

struct intake_batch_query {
    int64_t org_id;     /* 0 = all */
    bool system_only;   /* org_id IS NULL (ignored when org_id != 0) */
    const char *status; /* NULL = all */
    const char *kind;   /* NULL = all */
    int64_t offset, limit;
};
int intake_batch_count(struct db *db, const struct intake_batch_query *q, int64_t *total);
/** Newest first. out has room for cap rows; *n receives the number filled. */
int intake_batch_list(struct arena *a, struct db *db, const struct intake_batch_query *q,
                      struct import_batch *out, int cap, int *n);
/** Marks an active batch undone. ERR_CONFLICT when it is not active (any more). */
int intake_batch_set_undone(struct db *db, int64_t id, const char *at, int64_t by_user);

/* ---- Rejected and skipped records. ------------------------------------------------------------
 */

struct intake_rejection_new {
    int64_t batch_id, seq;
    bool skipped;
    const char *source;
    int64_t record, line, col; /* 0 = not applicable (stored as NULL) */
    const char *element;       /* NULL or "" = none */
    const char *reason;
    const char *fields; /* JSON array text or NULL */
};
int intake_rejection_insert(struct db *db, const struct intake_rejection_new *r);
/** Counts the stored records of a batch; rejected_only leaves out the skipped ones. */
int intake_rejection_count(struct db *db, int64_t batch_id, bool rejected_only, int64_t *total);
/** In seq order. */
int intake_rejection_list(struct arena *a, struct db *db, int64_t batch_id, bool rejected_only,
                          int64_t offset, int64_t limit, struct import_rejection *out, int cap,
                          int *n);

/* ---- Message identities. --------------------------------------------------------------------- */

/** Batch that already holds this message; ERR_NOT_FOUND if none. */
int intake_message_find(struct db *db, int law, const char *name, const char *sender,
                        const char *ident, int64_t *batch_out);
int intake_message_insert(struct db *db, int law, const char *name, const char *sender,
                          const char *ident, int64_t batch_id);
int intake_message_delete_batch(struct db *db, int64_t batch_id);

/* ---- Persons. -------------------------------------------------------------------------------- */

/** The id of the person with this pseudonym; ERR_NOT_FOUND if none. */
int intake_person_find(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                       int64_t *id_out);
/** Adds a person (the pseudonym must be new: ERR_CONFLICT otherwise); *id_out its id. */
int intake_person_insert(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                         int64_t *id_out);
/** The largest person id (0 = no persons): persons with a larger id are newer. */
int intake_person_max_id(struct db *db, int64_t *id_out);
/** Removes the person when no fact refers to it any more (undo). *removed says whether. */
int intake_person_delete_unused(struct db *db, int64_t id, bool *removed);

/* ---- Facts. ---------------------------------------------------------------------------------- */

/* The group a fact belongs to: person x aanbieder x law. */
struct intake_group {
    int64_t person_id; /* person.id */
    int64_t aanbieder_id;
    int law;
};

/** Inserts one fact (f->batch_id and f->seq are used). */
int intake_fact_insert(struct db *db, const struct intake_group *g, bool test_person,
                       const struct traj_fact *f);

/* A growable array of facts, reused across groups (xrealloc'd; free with intake_facts_free). */
struct intake_facts {
    struct traj_fact *v;
    size_t n, cap;
    bool test_person; /* any fact of the group is about a test person */
};
/** Replaces out's content with every fact of the group. */
int intake_fact_select_group(struct db *db, const struct intake_group *g, struct intake_facts *out);
void intake_facts_free(struct intake_facts *f);
/**
 * Calls fn for every distinct group with facts in batch_id, in group order. fn returns 0 to go
 * on, anything else stops and is returned.
 */
int intake_fact_groups_of_batch(struct db *db, int64_t batch_id,
                                int (*fn)(void *ctx, const struct intake_group *g), void *ctx);
int intake_fact_delete_batch(struct db *db, int64_t batch_id);

/* ---- Trajectories. --------------------------------------------------------------------------- */

/** Deletes the group's trajectories (their measurements go with them); *deleted (may be NULL)
 * receives how many. */
int intake_traj_delete_group(struct db *db, const struct intake_group *g, int64_t *deleted);
/** Inserts one trajectory with its measurements. */
int intake_traj_insert(struct db *db, const struct intake_group *g, const struct trajectory *t,
                       const char *age_band, int64_t *id_out);

/* ---- Population. ----------------------------------------------------------------------------- */

struct intake_population {
    char gemeente[5];
    int year;
    const char *age_band;
    int64_t inhabitants, men, women; /* men/women < 0 = unknown (NULL) */
};
int intake_population_insert(struct db *db, int64_t batch_id, const struct intake_population *p);
int intake_population_delete_batch(struct db *db, int64_t batch_id);

/* ---- Totals. --------------------------------------------------------------------------------- */

/* Which trajectories and batches a totals query counts. */
struct intake_scope {
    bool all;             /* beheerder: everything */
    int64_t aanbieder_id; /* an aanbieder: its own trajectories */
    const char *gemeente; /* a gemeente: its residents ("0114") */
    int64_t region_id;    /* a region: residents of its member gemeenten */
    int64_t org_id;       /* batches delivered by this organisation */
};
int intake_store_totals(struct db *db, const struct intake_scope *sc, int64_t *trajectories,
                        int64_t *open_trajectories, int64_t *batches_active, int64_t *facts);

/** Member gemeenten of a region as 4-digit CBS codes ("0114"), arena-owned. */
int intake_region_gemeenten(struct arena *a, struct db *db, int64_t region_id, char ***out, int *n);

#endif
