/*
 * action_store.h: the SQL of improvement actions (improvement_action, its indicators with
 * their baselines, and the append-only history improvement_action_event) for domain/action.c.
 * Every write and its history event happen in one transaction, so the history is never out of
 * step with the action.
 */
#ifndef DUIDING_STORE_ACTION_STORE_H
#define DUIDING_STORE_ACTION_STORE_H

#include "core/arena.h"
#include "domain/action.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* The columns written by insert and update. Strings are borrowed. */
struct action_values {
    int64_t conversation_id; /* insert only */
    int64_t owner_org_id;
    const char *owner_side_code;
    int64_t owner_user_id; /* 0 = NULL */
    const char *description, *expected_effect;
    day_t due_on;
    const char *gemeente; /* 4 digits or NULL; insert only */
    const int64_t *indicator_ids;
    int nindicators;
    const struct action_baseline *baselines; /* for newly linked indicators; may be NULL */
    int nbaselines;
};

/* Who made a change, for the history row. */
struct action_change {
    const char *now;
    int64_t user_id;
    const char *user_login;
    const char *note;
};

/* A resolved action_filter (codes instead of enums). */
struct action_query {
    int64_t conversation_id, owner_org_id, aanbieder_id, region_id, result_id, owner_user_id;
    const char *gemeente; /* 4 digits or NULL */
    unsigned status_mask; /* ACTION_STATUS_BIT()s; 0 = any */
    bool overdue_only;
    day_t today;
};

/** Inserts an action at version 1 (status open) with its indicators and the creation event.
 * 0, ERR_DB. */
int action_store_insert(struct db *db, const struct action_values *v,
                        const struct action_change *ch, int64_t *id_out);
/** Updates the fields if still at `version`: indicators replaced (existing baselines kept),
 * an edit event appended. 0, ERR_CONFLICT (stale), ERR_NOT_FOUND, ERR_DB. */
int action_store_update(struct db *db, int64_t id, int64_t version, const struct action_values *v,
                        const struct action_change *ch);
/** Sets the status (and drop_reason: "" unless vervallen) if still at `version`, appending the
 * event from -> to. 0, ERR_CONFLICT, ERR_NOT_FOUND, ERR_DB. */
int action_store_set_status(struct db *db, int64_t id, int64_t version, const char *from_code,
                            const char *to_code, const char *drop_reason,
                            const struct action_change *ch);
/** One action; with_history also fills events. Indicators always. 0, ERR_NOT_FOUND, ERR_DB. */
int action_store_get(struct arena *a, struct db *db, int64_t id, bool with_history,
                     struct improvement_action *out);
/** The actions matching q, overdue first, then pending by due date, then done/dropped, at
 * most cap rows (no indicators; see action_store_fill_indicators). 0, ERR_DB. */
int action_store_scan(struct arena *a, struct db *db, const struct action_query *q, int cap,
                      struct improvement_action **out, int *n);
/** Fills the indicators of n actions. 0, ERR_DB. */
int action_store_fill_indicators(struct arena *a, struct db *db, struct improvement_action *rows,
                                 int n);
/** Whether user_id is an active user of org_id or a participant of conversation conv_id. */
int action_store_user_fits(struct db *db, int64_t user_id, int64_t org_id, int64_t conv_id,
                           bool *fits);

/** The indicators of the conversation's results (choices for linking), at most 500. */
int action_store_indicator_choices(struct arena *a, struct db *db, int64_t conv_id,
                                   struct action_indicator **out, int *n);

#endif
