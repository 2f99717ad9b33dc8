/*
 * intake_store.h: the SQL of data intake (schema 0002_intake.sql) for ingest/pipeline.c and
 * ingest/batch.c: import batches and their rejected records, message identities, persons,
 * facts, trajectories with their measurements, and population figures. Mapping profiles live in
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
/** Records that the batch's facts have ids first..last (first > last: none). */
int intake_batch_set_facts(struct db *db, int64_t id, int64_t first, int64_t last);
/** Id of the active batch with this file hash and profile (0 = none). ERR_NOT_FOUND if none. */
int intake_batch_find_active(struct db *db, const char *sha256, int64_t profile_id,
                             int64_t *id_out);
/** 0 when an active batch with this profile has a file of exactly this size, ERR_NOT_FOUND if
 * none (an import that hashes its file while reading it asks this first: only a file of the
 * same size can be one imported before). */
int intake_batch_find_size(struct db *db, int64_t file_bytes, int64_t profile_id);
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
/** Adds a person unless the pseudonym is known: *added says whether, and then *id_out is its
 * new id. (One index descent for a new person, where find-then-insert takes two.) */
int intake_person_add(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                      int64_t *id_out, bool *added);
/** The largest person id (0 = no persons): persons with a larger id are newer. */
int intake_person_max_id(struct db *db, int64_t *id_out);
/** Removes the person when no fact refers to it any more (undo). *removed says whether. */
int intake_person_delete_unused(struct db *db, int64_t id, bool *removed);

/* Bulk mode of an import that brings mostly new persons (see person in the schema): without
 * the index person_hkey, the caller keeps every hkey -> id in memory meanwhile. */

/** The lookup key of a pseudonym (its first 8 bytes, big-endian, as an integer). */
int64_t intake_person_hkey(const unsigned char pseudonym[PSEUDONYM_BYTES]);
/** Number of persons. */
int intake_person_count(struct db *db, int64_t *n);
/** Drops (on = false) or creates the index person_hkey, inside the caller's transaction. */
int intake_person_index(struct db *db, bool on);
/** Calls fn for every person with an hkey, in id order; fn returns 0 to go on. */
int intake_person_keys(struct db *db, int (*fn)(void *ctx, int64_t id, int64_t hkey), void *ctx);
/** The pseudonym of person id. ERR_NOT_FOUND. */
int intake_person_get(struct db *db, int64_t id, unsigned char pseudonym[PSEUDONYM_BYTES]);
/** Adds a person with its hkey, unchecked: the caller knows no person has that hkey. */
int intake_person_append(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                         int64_t *id_out);
/** For a pseudonym whose hkey another pseudonym has: finds it among those without hkey, or
 * adds it there (*added). */
int intake_person_add_overflow(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                               int64_t *id_out, bool *added);

/* ---- Facts. ---------------------------------------------------------------------------------- */

/* The group a fact belongs to: person x aanbieder x law. */
struct intake_group {
    int64_t person_id; /* person.id */
    int64_t aanbieder_id;
    int law;
};

/** The largest fact id (0 = no facts): the facts a batch adds get larger ids. */
int intake_fact_max_id(struct db *db, int64_t *id_out);

/* ---- Writing facts and trajectories. ---------------------------------------------------------
 * An import writes its facts and trajectories (with their measurements) through a writer that
 * collects rows and inserts them 64 at a time with one multi-row INSERT, bound without copies
 * (measured: 30% less time per fact than one statement per row, for 16 at a time). Rows are not
 * visible to queries until intake_writer_flush(). The writer numbers trajectories itself (from the
 * largest id on), so within its transaction every trajectory must be written through it. */
struct intake_writer;
/** A writer for the transaction open on db. */
int intake_writer_open(struct db *db, struct intake_writer **out);
/** Writes every collected row. */
int intake_writer_flush(struct intake_writer *w);
/** Frees the writer; rows not flushed are dropped (the transaction is rolled back anyway). */
void intake_writer_close(struct intake_writer *w);
/** One fact (f->batch_id and f->seq are used). */
int intake_fact_write(struct intake_writer *w, const struct intake_group *g, bool test_person,
                      const struct traj_fact *f);
/** Bulk mode: a new person with the id the caller hands out (the largest id + 1, one after
 * another; nothing else may add persons meanwhile), written with the writer's next multi-row
 * INSERT, before any fact or trajectory. */
int intake_person_write(struct intake_writer *w, int64_t id,
                        const unsigned char pseudonym[PSEUDONYM_BYTES]);
/** The pseudonym of person id, also of one intake_person_write has not written yet.
 * ERR_NOT_FOUND. */
int intake_writer_person_get(struct intake_writer *w, int64_t id,
                             unsigned char pseudonym[PSEUDONYM_BYTES]);
/** One trajectory with its measurements (copied: t may go away after the call). */
int intake_traj_write(struct intake_writer *w, const struct intake_group *g,
                      const struct trajectory *t, const char *age_band);

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

/* ---- Population. ----------------------------------------------------------------------------- */

struct intake_population {
    char gemeente[5];
    int year;
    const char *age_band;
    int64_t inhabitants, men, women; /* men/women < 0 = unknown (NULL) */
};
int intake_population_insert(struct db *db, int64_t batch_id, const struct intake_population *p);
int intake_population_delete_batch(struct db *db, int64_t batch_id);

/* ---- Change journal (0003_indicators.sql: data_change, data_change_group). -------------------
 * Written in the transaction of a committed import or an undo, so the indicator engine
 * (metrics/engine.h) can catch up incrementally. */

/** One journal row; kind "import" | "undo", at the timestamp. *seq_out (may be NULL) receives
 * its seq. */
int intake_change_insert(struct db *db, int64_t batch_id, const char *kind, const char *at,
                         int64_t *seq_out);
/** A group an undo rebuilt (its facts are gone afterwards, so it is recorded). */
int intake_change_group_insert(struct db *db, int64_t seq, const struct intake_group *g);

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

/** A larger page cache (64 MiB) for the writer while it imports; back to the default after.
 * (Memory-mapped reads were measured too: no faster here, and they count in the resident size.) */
void intake_store_import_mode(struct db *db, bool importing);

#endif
