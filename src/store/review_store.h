/*
 * review_store.h: the SQL of provider reviews (review, review_item, review_view,
 * criterion_indicator, framework.principles) for domain/review.c. Changes are guarded by the
 * review's version (review_store_bump first, in the caller's transaction).
 */
#ifndef DUIDING_STORE_REVIEW_STORE_H
#define DUIDING_STORE_REVIEW_STORE_H

#include "core/arena.h"
#include "domain/review.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* Columns written by insert. Strings borrowed. */
struct review_values {
    int64_t framework_id, owner_org_id, aanbieder_id;
    const char *kind_code;
    int64_t contract_id, provider_event_id; /* 0 = NULL */
    day_t period_from, period_to;
    unsigned laws;
    int64_t user_id;
    const char *now;
};

struct review_query {
    int64_t aanbieder_id, owner_org_id; /* 0 = any */
    const char *status_code;            /* NULL = any */
};

/** Inserts a review (status concept, version 1) with an item per criterion. 0, ERR_DB. */
int review_store_insert(struct db *db, const struct review_values *v, const int64_t *criteria,
                        int ncriteria, int64_t *id_out);
/** One review with names. 0, ERR_NOT_FOUND, ERR_DB. */
int review_store_get(struct arena *a, struct db *db, int64_t id, struct review *out);
/** Reviews matching q (not archived), newest first, at most cap. */
int review_store_list(struct arena *a, struct db *db, const struct review_query *q, int cap,
                      struct review **out, int *n);
/** Items with their criterion, ordered by theme position and code. */
int review_store_items(struct arena *a, struct db *db, int64_t id, struct review_item **out,
                       int *n);
/** Every view of a review. */
int review_store_views(struct arena *a, struct db *db, int64_t id, struct review_view **out,
                       int *n);
/** version = version + 1 if still at version. 0, ERR_CONFLICT, ERR_DB. */
int review_store_bump(struct db *db, int64_t id, int64_t version, const char *now);
/** Sets an item's fields. ERR_NOT_FOUND when the criterion is not an item of the review. */
int review_store_set_item(struct db *db, int64_t id, int64_t criterion_id, bool applicable,
                          const char *reason, const char *self_declaration, const char *now);
/** Inserts or replaces a view (v->by_user, v->at used). */
int review_store_set_view(struct db *db, int64_t id, const struct review_view *v);
int review_store_set_status(struct db *db, int64_t id, const char *status_code, const char *now);
int review_store_set_principles(struct db *db, int64_t id, int64_t user_id, const char *now);
int review_store_set_conversation(struct db *db, int64_t id, const char *on_date,
                                  const char *report);
int review_store_set_decision(struct db *db, int64_t id, const char *decision_code,
                              const char *reason, int64_t user_id, const char *now);

/** The criteria a new review gets: active, not merged, laws overlapping; regional, plus the
 * local points of local_org_id when > 0. */
int review_store_applicable(struct arena *a, struct db *db, int64_t framework_id, unsigned laws,
                            int64_t local_org_id, int64_t **out, int *n);
/** framework.principles. */
int review_store_principles(struct arena *a, struct db *db, int64_t framework_id, const char **out);
int review_store_set_principles_text(struct db *db, int64_t framework_id, const char *text);
/** criterion_indicator rows of a framework's criteria, with indicator code and name. */
int review_store_links(struct arena *a, struct db *db, int64_t framework_id,
                       struct criterion_link **out, int *n);
int review_store_link(struct db *db, int64_t criterion_id, int64_t indicator_id, bool linked);
/** The links of one criterion (active indicators), by name. */
int review_store_criterion_links(struct arena *a, struct db *db, int64_t criterion_id,
                                 struct criterion_link **out, int *n);
/** Every active indicator (id, code, name), by name then code (criterion_id 0). */
int review_store_indicators(struct arena *a, struct db *db, struct criterion_link **out, int *n);
/** The active aanbieders (id, name, agb); org_id > 0: only that one. */
int review_store_aanbieders(struct arena *a, struct db *db, int64_t org_id,
                            struct review_provider **out, int *n);
/** The framework id, owner, status and aanbieder of one review quickly (for evidence etc.). */
/** The organisations that reviewed aanbieder_id (reviews not archived), ascending. */
int review_store_owners_of(struct arena *a, struct db *db, int64_t aanbieder_id, int64_t **out,
                           int *n);
int review_store_event_review(struct db *db, int64_t event_id, int64_t *review_id);

#endif
