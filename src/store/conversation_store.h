/*
 * conversation_store.h: the SQL of kwaliteitsgesprekken (conversation, conversation_result,
 * conversation_party, conversation_participant, conversation_phase, conversation_prep_note,
 * conversation_evaluation) for domain/conversation.c. No policy here: the domain decides who
 * may see and change what.
 */
#ifndef DUIDING_STORE_CONVERSATION_STORE_H
#define DUIDING_STORE_CONVERSATION_STORE_H

#include "core/arena.h"
#include "domain/conversation.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* The plan columns written by insert and update, with the links. Strings borrowed. The owner
 * must be among the parties. */
struct conv_values {
    int64_t owner_org_id;
    const char *kind_code;
    const char *title, *goal, *place;
    const char *gemeente; /* 4 digits or NULL */
    day_t period_from, period_to, held_on;
    int64_t previous_id; /* 0 = NULL */
    const int64_t *result_ids;
    int nresults;
    const int64_t *party_org_ids;
    const char *const *party_sides;
    int nparties;
    const int64_t *participant_ids;
    const char *const *participant_roles;
    int nparticipants;
};

/** Inserts at version 1 with links and the four empty phases. 0, ERR_DB. */
int conversation_store_insert(struct db *db, const struct conv_values *v, const char *now,
                              int64_t created_by, int64_t *id_out);
/** Updates the plan if still at version (links replaced; approvals of kept parties kept).
 * ERR_CONFLICT when stale. */
int conversation_store_update(struct db *db, int64_t id, int64_t version,
                              const struct conv_values *v, const char *now);
/** One conversation with results, parties (owner first) and participants. ERR_NOT_FOUND. */
int conversation_store_get(struct arena *a, struct db *db, int64_t id, struct conversation *out);
/** Sets the status if still at version (version < 0: any); bumps the version. ERR_CONFLICT. */
int conversation_store_set_status(struct db *db, int64_t id, int64_t version,
                                  const char *status_code, const char *now);
/** Summary, conclusions and status if still at version. ERR_CONFLICT. */
int conversation_store_conclude(struct db *db, int64_t id, int64_t version, const char *summary,
                                const char *conclusions, const char *status_code, const char *now);
/** Clears every side's approval of the minutes. */
int conversation_store_clear_approvals(struct db *db, int64_t id);
/** Records (user_id > 0) or withdraws (0) the approval of party org_id. ERR_NOT_FOUND. */
int conversation_store_set_approval(struct db *db, int64_t id, int64_t org_id, int64_t user_id,
                                    const char *now);

/** The four phases in enum order (rows missing in the database come back empty, version 0). */
int conversation_store_phases(struct arena *a, struct db *db, int64_t id,
                              struct conv_phase_notes out[CONV_PHASES]);
/** Saves one phase if still at version (version 0: the row does not exist yet). ERR_CONFLICT. */
int conversation_store_phase_save(struct db *db, int64_t id, const char *phase_code,
                                  const char *notes, int planned_minutes, int64_t version,
                                  const char *now, int64_t user_id);

/** Every preparation note of a conversation (no filter), by side then age. */
int conversation_store_prep_list(struct arena *a, struct db *db, int64_t conversation_id,
                                 struct conv_prep_note **out, int *n);
int conversation_store_prep_get(struct arena *a, struct db *db, int64_t note_id,
                                struct conv_prep_note *out);
int conversation_store_prep_insert(struct db *db, int64_t conversation_id, int64_t org_id,
                                   int64_t author_id, const char *body, bool shared,
                                   const char *now, int64_t *id_out);
/** Body and shared state if still at version (shared keeps an earlier shared_at). */
int conversation_store_prep_update(struct db *db, int64_t note_id, int64_t version,
                                   const char *body, bool shared, const char *now);
int conversation_store_prep_delete(struct db *db, int64_t note_id);

int conversation_store_eval_get(struct arena *a, struct db *db, int64_t conversation_id,
                                int64_t user_id, struct conv_evaluation *out);
/** Inserts or replaces the evaluation of (conversation, user). */
int conversation_store_eval_put(struct db *db, const struct conv_evaluation *ev);
/** The evaluations of one conversation (texts included; the domain aggregates). */
int conversation_store_eval_list(struct arena *a, struct db *db, int64_t conversation_id,
                                 struct conv_evaluation **out, int *n);

/* One evaluation with the day its conversation was held (statistics). */
struct conv_eval_row {
    int64_t conversation_id;
    day_t held_on;
    int rating;
    enum conv_goal goal;
};
/** Evaluations of the held or concluded conversations owned by org_id or by the organisations
 * whose parent (region) it is, newest first, at most cap. */
int conversation_store_eval_over(struct arena *a, struct db *db, int64_t org_id, int cap,
                                 struct conv_eval_row **out, int *n);

/* What the policy needs of a candidate conversation (conversation_store_scan). */
struct conv_key {
    int64_t id, owner_org_id;
    enum org_kind owner_kind;
    int64_t *parties;
    int nparties;
    int64_t *participants;
    int nparticipants;
};

struct conv_query {
    const char *status_code; /* NULL = any */
    int64_t owner_org_id, party_org_id, result_id;
    bool has_period;
    day_t from, to;
    /* Member prefilter: conversations where member_org is owner or party, or member_user is a
     * participant (0: none). The domain still asks the policy for each. */
    int64_t member_org, member_user;
};

/** The candidate keys matching q, newest date first, at most cap. */
int conversation_store_scan(struct arena *a, struct db *db, const struct conv_query *q, int cap,
                            struct conv_key **out, int *n);

/** Active users of the organisations in the JSON array org_ids_json ("[1,2]"), by organisation
 * and name, at most cap. */
int conversation_store_candidates(struct arena *a, struct db *db, const char *org_ids_json, int cap,
                                  struct conv_participant **out, int *n);

/** gepland -> voorbereid (a data pack was frozen), inside the caller's transaction; a
 * conversation in another status is left alone. */
int conversation_store_mark_prepared(struct db *db, int64_t id);

#endif
