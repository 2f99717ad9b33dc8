/*
 * survey_store.h: the SQL of anonymous survey responses (tables survey_response, survey_answer,
 * survey_open_answer, survey_draft, survey_nonce; migrations 0003/0004): writing a response,
 * the single-use marks (invitation "used", open-link form nonces), paused drafts, the counts
 * behind survey results and the open answers with their review state. Nothing here links a
 * response to an invitation: the functions that touch an invitation never see a response id.
 */
#ifndef DUIDING_STORE_SURVEY_STORE_H
#define DUIDING_STORE_SURVEY_STORE_H

#include "store/db.h"
#include "core/arena.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct survey_response_row {
    int64_t round_id;      /* 0 = none */
    const char *gemeente;  /* CBS code, 4 digits */
    int64_t aanbieder_id;  /* 0 = unknown */
    int law;               /* 1 Jeugdwet, 2 Wmo, 0 = unknown */
    const char *category;  /* NULL = unknown */
    int age;               /* -1 = unknown */
    const char *gender;    /* "0" / "1" / "2", NULL = unknown */
    int32_t response_date; /* day_t */
};

struct survey_answer_row {
    const char *item; /* "wmo_ceo_1" */
    int64_t value;
};

/** Inserts one response with its answers (inside the caller's transaction). 0, ERR_CONFLICT
 * (a check failed, e.g. a duplicate item), ERR_DB. */
int survey_store_insert(struct db *db, const struct survey_response_row *r,
                        const struct survey_answer_row *answers, size_t n, int64_t *id_out);

/** Inserts one open-text answer of a response (caller's transaction). review: "nvt" or
 * "te_beoordelen". */
int survey_store_insert_open(struct db *db, int64_t response_id, const char *item, const char *text,
                             unsigned flags, const char *review);

/** The single-use mark: UPDATE survey_invitation SET used = 1 WHERE id = ? AND used = 0.
 * ERR_CONFLICT when it was used already (or does not exist). Caller's transaction. */
int survey_store_use_invitation(struct db *db, int64_t invitation_id);
/** Whether the invitation is used (ERR_NOT_FOUND). */
int survey_store_invitation_used(struct db *db, int64_t invitation_id, bool *used);
/** Records a form nonce of an open link as used (table survey_nonce, keyed by round and a hash
 * of the nonce; no time, no order). ERR_CONFLICT when it was used before. */
int survey_store_use_nonce(struct db *db, int64_t round_id, const unsigned char hash[32]);
/** n_responses + 1 for the round. */
int survey_store_count_response(struct db *db, int64_t round_id);

/** Saves (replaces) the paused answers of an invitation. */
int survey_store_draft_save(struct db *db, int64_t invitation_id, const char *json, int32_t day);
/** The paused answers, or *json_out = NULL when there are none. */
int survey_store_draft_load(struct arena *a, struct db *db, int64_t invitation_id,
                            const char **json_out);
int survey_store_draft_delete(struct db *db, int64_t invitation_id);
/** Deletes the drafts of rounds that are no longer open or whose closing day has passed
 * (drafts are tied to a code: they must not outlive the round). */
int survey_store_drafts_expire(struct db *db, int32_t today);
/** Whether the invitation's round takes answers today (open, between its days). */
int survey_store_invitation_open(struct db *db, int64_t invitation_id, int32_t today, bool *open);

/* ---- Results. ---------------------------------------------------------------------------------
 */

/* Breakdown of the counts (only what the round recorded). */
enum survey_dim {
    SURVEY_DIM_NONE = 0,
    SURVEY_DIM_GEMEENTE,
    SURVEY_DIM_AANBIEDER,
    SURVEY_DIM_CATEGORY
};

/* One count: responses that gave `value` to `item` (meerkeuze items are "<item>__<option>"),
 * within the breakdown key (NULL with SURVEY_DIM_NONE, "" when the response did not record it). */
struct survey_count_row {
    const char *item;
    int64_t value;
    const char *key;
    int64_t n;
};
/* Respondents who answered a question at all (a meerkeuze question: ticked at least one box). */
struct survey_base_row {
    const char *item; /* the question's item (for meerkeuze without "__option") */
    const char *key;
    int64_t n;
};

/** Counts over the responses of the given rounds (ids; at least one), by dim. Arena arrays. */
int survey_store_counts(struct arena *a, struct db *db, const int64_t *round_ids, size_t nrounds,
                        enum survey_dim dim, struct survey_count_row **rows, size_t *nrows,
                        struct survey_base_row **bases, size_t *nbases);
/** Number of responses of those rounds. */
int survey_store_response_total(struct db *db, const int64_t *round_ids, size_t nrounds,
                                int64_t *n);

struct survey_open_row {
    int64_t response_id;
    const char *item;
    const char *text;
    unsigned flags;
    const char *review; /* "nvt", "te_beoordelen", "vrijgegeven", "geschoond" */
    int64_t round_id;
    int32_t response_date;
};
/** Open answers of the rounds, newest response first; flagged_too = include te_beoordelen
 * ones; item NULL = every question. At most limit rows from offset; *total counts all. */
int survey_store_open_list(struct arena *a, struct db *db, const int64_t *round_ids, size_t nrounds,
                           const char *item, bool flagged_too, int limit, int offset,
                           struct survey_open_row **out, int *n, int *total);
/** One open answer (ERR_NOT_FOUND). */
int survey_store_open_get(struct arena *a, struct db *db, int64_t response_id, const char *item,
                          struct survey_open_row *out);
/** Sets the review state and, when text is not NULL, the (redacted) text. */
int survey_store_open_review(struct db *db, int64_t response_id, const char *item,
                             const char *review, const char *text);

#endif
