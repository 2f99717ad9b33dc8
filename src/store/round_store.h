/*
 * round_store.h: the SQL of survey rounds and invitation codes (tables survey_round,
 * survey_invitation, survey_draft) for domain/survey_round.c: rounds, bulk creation of codes,
 * lookup by code hash, status, response-rate counts.
 */
#ifndef DUIDING_STORE_ROUND_STORE_H
#define DUIDING_STORE_ROUND_STORE_H

#include "core/arena.h"
#include "domain/survey_round.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

struct round_values {
    int64_t survey_id, survey_version, owner_org_id;
    const char *name, *gemeente;
    int64_t aanbieder_id; /* 0 = NULL */
    int law;              /* 0 = NULL */
    const char *category; /* NULL */
    int32_t opens_on, closes_on;
    const char *status_code;
    const char *public_slug; /* NULL */
};

int round_store_insert(struct db *db, const struct round_values *v, const char *now,
                       int64_t created_by, int64_t *id_out);
/** Sets the status; ERR_NOT_FOUND. */
int round_store_set_status(struct db *db, int64_t id, const char *status_code);
/** Deletes the paused answers of a round's invitations; *n_out = rows deleted (may be NULL). */
int round_store_delete_drafts(struct db *db, int64_t id, int *n_out);
/** One round with counts (invitations, used) and names. ERR_NOT_FOUND. */
int round_store_get(struct arena *a, struct db *db, int64_t id, struct survey_round *out);
/** Rounds, newest first, of one survey (0 = all); when org_filter > 0 only those whose owner or
 *  aanbieder is that organisation. The domain filters further by policy. */
int round_store_list(struct arena *a, struct db *db, int64_t survey_id, int64_t org_filter,
                     struct survey_round **out, int *n);
/** Inserts one invitation; ERR_CONFLICT when the code or hash exists already. */
int round_store_add_code(struct db *db, int64_t round_id, const char *code,
                         const unsigned char hash[SURVEY_CODE_HASH_LEN]);
int round_store_codes(struct arena *a, struct db *db, int64_t round_id, bool unused_only,
                      struct round_code **out, int *n);
/** Invitation and round id by code hash; ERR_NOT_FOUND. */
int round_store_find_hash(struct db *db, const unsigned char hash[SURVEY_CODE_HASH_LEN],
                          int64_t *invitation_id, int64_t *round_id, bool *used);
int round_store_find_slug(struct db *db, const char *slug, int64_t *round_id);
/** Number of rounds of a survey (to decide whether edits must stay compatible). */
int round_store_count_for_survey(struct db *db, int64_t survey_id, int64_t *n);
/** The demo: gives the gemeente's responses dated from..to that have no round this round;
 *  *n_out = responses linked. */
int round_store_demo_link(struct db *db, int64_t round_id, const char *gemeente, int32_t from,
                          int32_t to, int64_t *n_out);
/** Marks n_used invitations used and sets n_responses (the demo: a completed round). */
int round_store_demo_complete(struct db *db, int64_t round_id, int64_t n_used, int64_t n_responses);

#endif
