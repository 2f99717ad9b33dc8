/*
 * action.h: verbeteracties (improvement actions) agreed in a quality conversation
 * (domain/conversation.h): a description, the owner party (gemeente, aanbieder or
 * samenwerkingsverband) and person, a due date, the indicators it should move with their
 * baseline, the expected effect and a status (open, bezig, klaar, vervallen with a reason).
 * Every change appends an event to the action's history (append-only) and an audit event.
 * Visibility through the policy (OBJ_ACTION: the members of its conversation and the owner
 * party's content roles). docs/conversations.md "Improvement actions and follow-up".
 *
 * The struct is `improvement_action` (not `action`): `enum action` (policy.h) owns that tag.
 */
#ifndef DUIDING_DOMAIN_ACTION_H
#define DUIDING_DOMAIN_ACTION_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/actor.h"
#include "domain/conversation.h"
#include "domain/policy.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define ACTION_TEXT_MAX       4000 /* code points: description, expected effect, reason, note */
#define ACTION_MAX_INDICATORS 16
#define ACTION_LIST_DEFAULT   100
#define ACTION_LIST_MAX       1000
#define ACTION_SCAN_MAX       20000    /* candidate rows examined per list for the policy filter */
#define ACTION_HISTORY_MAX    500      /* events loaded by action_get */
#define ACTION_DAY_MIN        (-25567) /* 1900-01-01 */
#define ACTION_DAY_MAX        47482    /* 2099-12-31 */

enum action_status {
    ACTION_OPEN = 1,  /* agreed, not started */
    ACTION_BEZIG,     /* in progress */
    ACTION_KLAAR,     /* done */
    ACTION_VERVALLEN, /* dropped, with a reason */
};
#define ACTION_STATUS_MIN    ACTION_OPEN
#define ACTION_STATUS_MAX    ACTION_VERVALLEN
#define ACTION_STATUS_BIT(s) (1u << (unsigned)(s))
/* The statuses that still need doing (overviews, dashboard, the next data pack). */
#define ACTION_STATUS_PENDING (ACTION_STATUS_BIT(ACTION_OPEN) | ACTION_STATUS_BIT(ACTION_BEZIG))

const char *action_status_code(enum action_status s);  /* "open", "bezig", "klaar", "vervallen" */
const char *action_status_label(enum action_status s); /* translated */
int action_status_parse(const char *code, enum action_status *out);

/** Whether the lifecycle allows from -> to (docs/conversations.md): open -> bezig/klaar/vervallen,
 * bezig -> open/klaar/vervallen, klaar -> bezig (reopened), vervallen -> open (taken up again).
 * A status never goes to itself. */
bool action_transition_allowed(enum action_status from, enum action_status to);

/* A linked indicator with the baseline recorded when the action was agreed. */
struct action_indicator {
    int64_t indicator_id;
    const char *name;
    bool has_baseline; /* false when the figure was hidden or absent */
    double baseline;
    const char *baseline_period; /* "2025-Q4", or NULL */
};

/* One entry of the history: a creation (from_status 0), edit (from == to) or status change. */
struct action_event {
    int64_t id;
    const char *at;
    int64_t user_id;
    const char *user_login;
    int from_status; /* enum action_status, 0 = created */
    enum action_status to_status;
    const char *note;
};

struct improvement_action {
    int64_t id;
    int64_t conversation_id; /* 0 when the conversation was deleted */
    const char *conversation_title;
    int64_t owner_org_id;
    const char *owner_name;
    enum conv_side owner_side;
    int64_t owner_user_id; /* 0 = no account named */
    const char *owner_user_name;
    const char *description;
    const char *expected_effect;
    day_t due_on;
    enum action_status status;
    const char *drop_reason;
    const char *gemeente; /* CBS code (4 digits) of the conversation, or NULL */
    int64_t version;
    const char *created_at, *updated_at;
    int64_t created_by;
    bool overdue;                        /* pending and due before today (computed when loaded) */
    struct action_indicator *indicators; /* filled by action_get and action_list */
    int nindicators;
    struct action_event *events; /* filled by action_get only, oldest first */
    int nevents;
};

/* Baseline of one indicator, computed by the caller (report/action_movement.h) when an
 * indicator is linked. */
struct action_baseline {
    int64_t indicator_id;
    bool has_value;
    double value;
    const char *period; /* "2025-Q4" */
};

/* Input for create and update. Strings are borrowed. */
struct action_input {
    int64_t conversation_id; /* create: required; update: ignored */
    int64_t owner_org_id;    /* must be a party of the conversation */
    int64_t owner_user_id;   /* 0 = none; else a user of the owner organisation or a participant */
    const char *description;
    const char *expected_effect;
    day_t due_on;
    const int64_t *indicator_ids; /* each must belong to one of the conversation's results */
    int nindicators;
    /* Baselines for newly linked indicators (may be NULL / fewer than nindicators). Indicators
     * already linked keep the baseline they had. */
    const struct action_baseline *baselines;
    int nbaselines;
    int64_t version; /* update: the version being edited */
};

struct action_filter {
    int64_t conversation_id; /* 0 = any */
    int64_t owner_org_id;    /* the owner party; 0 = any */
    int64_t aanbieder_id;    /* owner or a party of its conversation; 0 = any */
    int64_t region_id;       /* actions about the gemeenten of this region; 0 = any */
    int64_t result_id;       /* actions of conversations about this result; 0 = any */
    int64_t owner_user_id;   /* 0 = any */
    const char *gemeente;    /* CBS code ("0114" or "GM0114"), NULL = any */
    unsigned status_mask;    /* ACTION_STATUS_BIT()s; 0 = any */
    bool overdue_only;
    day_t today; /* for overdue; 0 = the current date */
    int limit, offset;
};

/* Counts for the dashboard panel over the actions the actor may view. */
struct action_counts {
    int open, bezig, klaar, vervallen;
    int overdue; /* pending and past due */
};

/** True when a is pending (open or bezig) and its due date lies before today. */
bool action_is_overdue(const struct improvement_action *a, day_t today);

/** The current date as day_t (UTC). */
day_t action_today(void);

/**
 * The policy object of an action (OBJ_ACTION): the owner party as owner, the conversation's
 * parties (its owner included) and participants from c (NULL when the action has no
 * conversation). Arrays arena-owned.
 */
void action_object(const struct improvement_action *act, const struct conversation *c,
                   struct arena *a, struct object_ref *out);

/**
 * Validates and creates an action in a conversation as `who` (policy, event, audit).
 * ERR_NOT_FOUND (conversation not visible), ERR_DENIED, ERR_INVALID (e->field named).
 */
int action_create(struct store *s, const struct actor *who, const struct action_input *in,
                  int64_t *id_out, struct arena *a, struct err_ctx *e);
/** Changes the fields of an action; ERR_CONFLICT when in->version is stale. */
int action_update(struct store *s, const struct actor *who, int64_t id,
                  const struct action_input *in, struct arena *a, struct err_ctx *e);
/**
 * Changes the status (lifecycle above). note is the reason for vervallen (required) and an
 * optional remark otherwise. ERR_CONFLICT when version is stale; ERR_INVALID (field "status"
 * or "reason").
 */
int action_set_status(struct store *s, const struct actor *who, int64_t id, int64_t version,
                      enum action_status to, const char *note, struct arena *a, struct err_ctx *e);

/** One action with indicators and history if the actor may view it; ERR_NOT_FOUND otherwise
 * (its existence is not revealed). */
int action_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct improvement_action *out);

/**
 * The actions matching f that the actor may view, ordered by due date (overdue first), then
 * id. *total counts every viewable match (up to ACTION_SCAN_MAX candidates).
 */
int action_list(struct arena *a, struct store *s, const struct actor *who,
                const struct action_filter *f, struct improvement_action **out, int *n, int *total);

/** The indicators an action of conversation conv_id may link (those of its results), if the
 * actor may view the conversation. 0, ERR_NOT_FOUND. */
int action_indicator_choices(struct arena *a, struct store *s, const struct actor *who,
                             int64_t conv_id, struct action_indicator **out, int *n);

/** Counts per status over the viewable actions matching f (limit/offset ignored). */
int action_count(struct arena *a, struct store *s, const struct actor *who,
                 const struct action_filter *f, struct action_counts *out);

#endif
