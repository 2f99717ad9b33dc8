/*
 * contract_store.h: the SQL of contracts (schema 0008_contracten.sql: contract,
 * contract_gemeente, contract_product, the agreement rows of indicator_target) for
 * domain/contract.c, the claim lines of JW323/WMO323 messages (claim_line) for
 * ingest/pipeline.c and ingest/batch.c, and the sums the business figures need
 * (report/contract_figures.c). Writes happen in the caller's transaction.
 */
#ifndef DUIDING_STORE_CONTRACT_STORE_H
#define DUIDING_STORE_CONTRACT_STORE_H

#include "core/arena.h"
#include "domain/contract.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* ---- Contracts. ------------------------------------------------------------------------------ */

/* The columns written by insert and update; gemeenten already normalised to 4 digits. */
struct contract_values {
    const char *name;
    int64_t owner_org_id; /* insert only */
    int64_t aanbieder_id;
    int law;
    const char *variant_code;
    day_t valid_from, valid_to;      /* valid_to DAY_NONE = NULL */
    int64_t budget_cents, cap_cents; /* cap < 0 = NULL */
    const char *note;
    const char (*gemeenten)[5];
    int ngemeenten;
    const struct contract_product *products;
    int nproducts;
    const struct contract_agreement *agreements;
    int nagreements;
    const char *now;
    int64_t user_id;
};

/** Inserts at version 1 with gemeenten, products and agreements (indicator_target rows owned
 * by the owner, for the aanbieder, valid over the contract's period). 0, ERR_DB. */
int contract_store_insert(struct db *db, const struct contract_values *v, int64_t *id_out);
/** Replaces everything if still at `version`. 0, ERR_CONFLICT, ERR_NOT_FOUND, ERR_DB. */
int contract_store_update(struct db *db, int64_t id, int64_t version,
                          const struct contract_values *v);
/** Sets archived if still at version. 0, ERR_CONFLICT, ERR_NOT_FOUND, ERR_DB. */
int contract_store_set_archived(struct db *db, int64_t id, int64_t version, bool archived,
                                const char *now, int64_t user_id);
/** One contract with gemeenten, products and agreements. 0, ERR_NOT_FOUND, ERR_DB. */
int contract_store_get(struct arena *a, struct db *db, int64_t id, struct contract *out);

struct contract_query {
    int64_t aanbieder_id, owner_org_id; /* 0 = any */
    const char *gemeente;               /* 4 digits or NULL */
    day_t from, to;                     /* period overlaps [from, to]; DAY_NONE = no bound */
    bool include_archived;
};
/** Matching contracts by name then id, at most cap, with gemeenten/products/agreements. */
int contract_store_scan(struct arena *a, struct db *db, const struct contract_query *q, int cap,
                        struct contract **out, int *n);
/** Distinct owners of the non-archived contracts of an aanbieder. */
int contract_store_owners_of(struct arena *a, struct db *db, int64_t aanbieder_id, int64_t **out,
                             int *n);
/** Ids of the gemeente organisations with these CBS codes (those that exist). */
int contract_store_gemeente_orgs(struct arena *a, struct db *db, const char (*codes)[5], int n,
                                 int64_t **out, int *nout);
/** Indicators that are not archived, by name (at most 500). */
int contract_store_indicators(struct arena *a, struct db *db,
                              struct contract_indicator_choice **out, int *n);
/** Whether indicator id exists and is not archived. */
int contract_store_indicator_ok(struct db *db, int64_t id, bool *ok);

/* ---- Claim lines. ---------------------------------------------------------------------------- */

struct claim_line_new {
    int64_t batch_id;
    int law;
    int64_t aanbieder_id;
    const char *gemeente; /* 4 digits */
    const char *declaration_nr, *message_ident, *reference;
    int64_t assignment_nr; /* < 0 = NULL */
    const char *category, *product_code;
    day_t period_from, period_to;
    int64_t volume;       /* < 0 = NULL */
    const char *unit;     /* NULL or "" = NULL */
    int64_t tariff_cents; /* < 0 = NULL */
    int64_t amount_cents;
    bool credit;
    const unsigned char *client; /* 32-byte pseudonym */
    bool test_person;
};
int claim_store_insert(struct db *db, const struct claim_line_new *c);
/** Removes the claim lines of a batch (undo). */
int claim_store_delete_batch(struct db *db, int64_t batch_id);
/** Number of claim lines of a batch. */
int claim_store_count_batch(struct db *db, int64_t batch_id, int64_t *n);

/* ---- Sums for the business figures. ---------------------------------------------------------- */

/* Which claims and trajectories belong to a contract: its aanbieder, law, taking-part
 * gemeenten and products (category, or category + code). */
struct contract_scope {
    int64_t aanbieder_id;
    int law;
    const char (*gemeenten)[5];
    int ngemeenten;
    const struct contract_product *products;
    int nproducts;
};

/** Net claimed amount (debit - credit) per month of `year` (period_from's month), in cents,
 * months[0] = January. Active batches only; test persons left out. */
int contract_store_claims_by_month(struct db *db, const struct contract_scope *sc, int year,
                                   int64_t months[12]);
/** Number of claim lines and distinct clients in the scope in `year`. */
int contract_store_claim_counts(struct db *db, const struct contract_scope *sc, int year,
                                int64_t *lines, int64_t *clients);

struct contract_traj_counts {
    int64_t clients;        /* distinct persons with a trajectory active in the year */
    int64_t trajectories;   /* active in the year */
    int64_t started, ended; /* start/end date in the year */
    /* durations (days) of the trajectories ended in the year, sorted, arena-owned */
    int32_t *durations;
    int64_t ndurations;
};
/** Trajectory counts in the scope for `year` (test persons left out). */
int contract_store_traj_counts(struct arena *a, struct db *db, const struct contract_scope *sc,
                               int year, struct contract_traj_counts *out);

#endif
