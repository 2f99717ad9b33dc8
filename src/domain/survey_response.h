/*
 * survey_response.h: taking in a resident's answers (docs/surveys.md "Answering", "Anonymity"):
 * the exactly-once submit of an invitation code or an open-link form, paused drafts, and the
 * screening and review of open-text answers.
 *
 * A submit is one write transaction: the single-use mark (invitation used = 1 WHERE used = 0,
 * or the open-link form nonce inserted under a primary key), the response with the round's own
 * dimensions (gemeente, aanbieder, law, category) and the day, its numeric answers and open
 * answers, the draft deleted and the round's n_responses + 1. Of two concurrent submits with one
 * code exactly one commits; the other gets ERR_CONFLICT. Nothing in the response refers to the
 * invitation, and no time finer than the day, no address or user agent is stored or audited.
 */
#ifndef DUIDING_DOMAIN_SURVEY_RESPONSE_H
#define DUIDING_DOMAIN_SURVEY_RESPONSE_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/survey_answer.h"
#include "domain/survey_round.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define SURVEY_NONCE_B64_LEN 43 /* 32 random bytes, base64url without padding */
#define SURVEY_OPEN_LIST_MAX 500

/* Flags stored with an open answer: the kinds the screening found (domain/anon_check.h). */
#define SURVEY_REVIEW_NONE     "nvt"
#define SURVEY_REVIEW_PENDING  "te_beoordelen"
#define SURVEY_REVIEW_RELEASED "vrijgegeven"
#define SURVEY_REVIEW_REDACTED "geschoond"
#define SURVEY_REDACTED_TEXT   "[verwijderd]"

/** A fresh form nonce for an open link (base64url, SURVEY_NONCE_B64_LEN chars and NUL). */
void survey_nonce_new(char out[SURVEY_NONCE_B64_LEN + 1]);

/**
 * Stores the answers (pruned here: answers to hidden questions are dropped) as one response of
 * round r. invitation_id > 0: a code's submit; else nonce (from survey_nonce_new, as posted) is
 * the open link's single-use form nonce. today: the day stored (day_t). ERR_CONFLICT with a B1
 * message when the code or form was used already; ERR_INVALID for a malformed nonce or a round
 * that does not accept answers; ERR_DB.
 */
int survey_response_submit(struct store *s, const struct survey_round *r, int64_t invitation_id,
                           const char *nonce, struct survey_answers *ans, int32_t today,
                           struct err_ctx *e);

/** Saves the answers so far of an unused invitation ("Later verder"). ERR_CONFLICT when the code
 * was used meanwhile, ERR_TOO_BIG when the draft would not fit. */
int survey_draft_save(struct store *s, int64_t invitation_id, const struct survey_answers *ans,
                      int32_t today, struct err_ctx *e);
/** Loads a draft into ans (nothing when there is none). *found says whether there was one. */
int survey_draft_load(struct arena *a, struct store *s, int64_t invitation_id,
                      struct survey_answers *ans, bool *found);

/* ---- Open answers (policy OBJ_SURVEY_OPEN_ANSWER; reads and reviews are audited). ---------- */

struct survey_open_answer {
    int64_t response_id;
    const char *item;
    const char *text;
    unsigned flags; /* enum anon_kind bits */
    const char *review;
    int64_t round_id;
    int32_t response_date;
};

/** The open answers of round r the actor may read: the owner's content roles see everything
 * (flagged ones marked), the round's aanbieder only reviewed or unflagged ones. ERR_DENIED when
 * the actor may read none. item NULL = every open question. Audited as "survey.open_read". */
int survey_open_list(struct arena *a, struct store *s, const struct actor *who,
                     const struct survey_round *r, const char *item, int limit, int offset,
                     struct survey_open_answer **out, int *n, int *total);

enum survey_review_action { SURVEY_RELEASE = 1, SURVEY_REDACT };
/** Releases a flagged answer, or redacts it: every finding of the screening is replaced by
 * SURVEY_REDACTED_TEXT. ACT_EDIT on the round's open answers (beleid of the owner). */
int survey_open_review(struct arena *a, struct store *s, const struct actor *who,
                       const struct survey_round *r, int64_t response_id, const char *item,
                       enum survey_review_action act, struct err_ctx *e);
/** Whether the actor may review (release/redact) the open answers of round r. */
bool survey_open_may_review(const struct actor *who, const struct survey_round *r);
/** Redacts text: every finding of the survey screening replaced (arena string). */
const char *survey_redact(struct arena *a, const char *text, unsigned *flags_left);

#endif
