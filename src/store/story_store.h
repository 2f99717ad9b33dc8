/*
 * story_store.h: the SQL of stories (story, story_result, story_indicator, story_tag and the
 * full-text index story_fts) for domain/story.c. The FTS row of a story is written in the same
 * transaction as the story (rowid = story id), so the index is never out of step.
 */
#ifndef DUIDING_STORE_STORY_STORE_H
#define DUIDING_STORE_STORY_STORE_H

#include "core/arena.h"
#include "domain/story.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* The columns written by insert and update, links included. Strings are borrowed. */
struct story_values {
    int64_t owner_org_id;
    const char *kind_code, *consent_code;
    const char *title, *body, *teller_role;
    day_t told_on;
    const char *gemeente; /* 4 digits or NULL */
    int64_t aanbieder_id; /* 0 = NULL */
    bool has_period;
    day_t period_from, period_to;
    const char *anon_checked;
    const int64_t *result_ids;
    int nresults;
    const int64_t *indicator_ids;
    int nindicators;
    const char *const *tags;
    int ntags;
};

/* A resolved story_filter (codes instead of enums, FTS query already sanitised). */
struct story_query {
    const char *match; /* FTS5 query from story_fts_query, or NULL */
    int64_t owner_org_id, result_id, indicator_id, aanbieder_id;
    const char *gemeente;
    bool gemeente_or_none;
    const char *tag;
    const char *kind_code, *consent_code;
    int min_consent; /* 0, or the rank 1..3 of the narrowest consent accepted */
    bool has_period;
    day_t period_from, period_to;
    bool include_archived;
};

/* What the policy needs of one matching story (story_store_scan). */
struct story_key {
    int64_t id, owner_org_id, gemeente_org_id, aanbieder_id;
    int owner_kind; /* enum org_kind */
    int consent;    /* enum story_consent */
};

/**
 * Checks that every linked result and indicator exists: 0 with *field NULL when they do, else
 * 0 with *field "result_ids" or "indicator_ids" and *bad_id the first missing one. ERR_DB.
 */
int story_store_missing_link(struct db *db, const struct story_values *v, const char **field,
                             int64_t *bad_id);
/** Inserts a story at version 1 with its links and FTS row. 0, ERR_CONFLICT, ERR_DB. */
int story_store_insert(struct db *db, const struct story_values *v, const char *now,
                       int64_t created_by, int64_t *id_out);
/** Updates if still at `version` (links and FTS row replaced). ERR_CONFLICT when stale. */
int story_store_update(struct db *db, int64_t id, int64_t version, const struct story_values *v,
                       const char *now);
/** Sets archived and increments the version. 0, ERR_NOT_FOUND, ERR_DB. */
int story_store_set_archived(struct db *db, int64_t id, bool archived, const char *now);
/** One story; with_links also fills results, indicators and tags. 0, ERR_NOT_FOUND, ERR_DB. */
int story_store_get(struct arena *a, struct db *db, int64_t id, bool with_links, struct story *out);
/**
 * The keys of the stories matching q, best match first with a text query, else newest told
 * first, at most cap (STORY_SCAN_MAX). Arena array in *out. 0, ERR_DB, ERR_TOO_BIG.
 */
int story_store_scan(struct arena *a, struct db *db, const struct story_query *q, int cap,
                     struct story_key **out, int *n);
/**
 * Stories matching q with at least min_consent (for data packs and published reports: pass
 * CONSENT_PUBLICATIE), newest told first; q->match is not used here (search goes through
 * story_store_scan). No policy filter: callers that show them to a user filter with
 * policy_allows (domain/story.c story_list does). Arena array of at most cap rows.
 */
int story_store_list(struct arena *a, struct db *db, const struct story_query *q, int min_consent,
                     int cap, struct story **out, int *n);

#endif
