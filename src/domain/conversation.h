/*
 * conversation.h: kwaliteitsgesprekken (quality conversations). A gemeente (or region) plans a
 * conversation with one or more aanbieders about one or more societal results over a period;
 * both sides prepare (notes per side, a frozen data pack: report/data_pack.h), hold it along a
 * run-sheet of four phases (herkennen, begrijpen, waarderen, verbeteren), conclude with a
 * summary, conclusions and improvement actions (domain/action.h), approve the minutes per side
 * and evaluate the conversation itself. Records are visible only to the members of the
 * conversation (policy OBJ_CONVERSATION, rule 13). docs/conversations.md.
 */
#ifndef DUIDING_DOMAIN_CONVERSATION_H
#define DUIDING_DOMAIN_CONVERSATION_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define CONV_TITLE_MAX        240 /* code points */
#define CONV_TEXT_MAX         8000
#define CONV_NOTES_MAX        20000
#define CONV_MAX_RESULTS      16
#define CONV_MAX_PARTIES      16
#define CONV_MAX_PARTICIPANTS 40
#define CONV_LIST_DEFAULT     100
#define CONV_LIST_MAX         1000
#define CONV_STATS_MIN        3 /* evaluations needed before an average is shown */

enum conv_kind {
    CONV_VOORKANT = 1, /* about results and the theory of change (starter questions) */
    CONV_ACHTERKANT,   /* about the data: the four phases */
};

enum conv_status {
    CONV_GEPLAND = 1, /* planned */
    CONV_VOORBEREID,  /* a data pack is frozen */
    CONV_GEHOUDEN,    /* held: notes taken */
    CONV_AFGEROND,    /* concluded: summary, conclusions, actions */
    CONV_GEANNULEERD, /* cancelled */
};

enum conv_side {
    SIDE_GEMEENTE = 1,
    SIDE_AANBIEDER,
    SIDE_SAMENWERKINGSVERBAND, /* a region or toegang team taking part as such */
};

enum conv_phase {
    PHASE_HERKENNEN = 0,
    PHASE_BEGRIJPEN,
    PHASE_WAARDEREN,
    PHASE_VERBETEREN,
};
#define CONV_PHASES 4

enum conv_role {
    CROLE_GESPREKSLEIDER = 1,
    CROLE_NOTULIST,
    CROLE_DEELNEMER,
    CROLE_TOEHOORDER,
};

const char *conv_kind_code(enum conv_kind k); /* "voorkant", "achterkant" */
const char *conv_kind_label(enum conv_kind k);
int conv_kind_parse(const char *code, enum conv_kind *out);
const char *conv_status_code(enum conv_status s); /* "gepland", ... */
const char *conv_status_label(enum conv_status s);
int conv_status_parse(const char *code, enum conv_status *out);
const char *conv_side_code(enum conv_side s); /* "gemeente", "aanbieder", "samenwerkingsverband" */
const char *conv_side_label(enum conv_side s);
int conv_side_parse(const char *code, enum conv_side *out);
const char *conv_phase_code(enum conv_phase p); /* "herkennen", ... */
const char *conv_phase_label(enum conv_phase p);
int conv_phase_parse(const char *code, enum conv_phase *out);
/** The guiding questions of a phase (translated msgids), NULL-terminated. */
const char *const *conv_phase_questions(enum conv_phase p);
const char *conv_role_code(enum conv_role r); /* "gespreksleider", ... */
const char *conv_role_label(enum conv_role r);
int conv_role_parse(const char *code, enum conv_role *out);

struct conv_party {
    int64_t org_id;
    const char *org_name;
    enum org_kind org_kind;
    enum conv_side side;
    const char *approved_at; /* NULL until this side approved the minutes */
    int64_t approved_by;
    const char *approved_by_name;
};

struct conv_participant {
    int64_t user_id;
    const char *display_name;
    int64_t org_id;
    const char *org_name;
    enum conv_role role;
};

struct conversation {
    int64_t id;
    int64_t owner_org_id;
    const char *owner_name;
    enum org_kind owner_org_kind;
    enum conv_kind kind;
    const char *title;
    const char *goal;
    const char *gemeente; /* CBS code (4 digits) the figures are about, or NULL: the owner's */
    day_t period_from, period_to;
    day_t held_on;
    const char *place;
    enum conv_status status;
    int64_t previous_id; /* 0 = none */
    const char *summary, *conclusions;
    int64_t version;
    const char *created_at, *updated_at;
    int64_t *result_ids;
    int nresults;
    struct conv_party *parties; /* the owner first */
    int nparties;
    struct conv_participant *participants;
    int nparticipants;
    bool minutes_approved; /* every party approved */
};

/** The policy object of a conversation (kind OBJ_CONVERSATION): owner, parties (every taking-part
 * organisation, the owner included) and participants (user ids); arrays arena-owned. Use kind
 * OBJ_PREP_NOTE / OBJ_ACTION by overwriting .kind, .owner_org_id and .share as their rules say. */
void conversation_object(const struct conversation *c, struct arena *a, struct object_ref *out);

/** Loads a conversation with its results, parties and participants if the actor may view it.
 * 0, ERR_NOT_FOUND (also when not allowed: its existence is not revealed). */
int conversation_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct conversation *out);

#define CONV_PLACE_MAX      240  /* code points */
#define CONV_GOAL_MAX       4000 /* code points */
#define CONV_PREP_MAX       8000 /* code points of one preparation note */
#define CONV_PREP_NOTES_MAX 200  /* notes per conversation */
#define CONV_MINUTES_MAX    240  /* planned minutes of one phase */
#define CONV_EVAL_TEXT_MAX  4000
#define CONV_SCAN_MAX       5000     /* candidate conversations examined per list */
#define CONV_DAY_MIN        (-25567) /* 1900-01-01 */
#define CONV_DAY_MAX        47482    /* 2099-12-31 */
#define CONV_STATS_QUARTERS 24       /* quarters shown on the statistics page */

enum conv_goal {
    GOAL_JA = 1,
    GOAL_DEELS,
    GOAL_NEE,
};

const char *conv_goal_code(enum conv_goal g); /* "ja", "deels", "nee" */
const char *conv_goal_label(enum conv_goal g);
int conv_goal_parse(const char *code, enum conv_goal *out);
/** The side an organisation of this kind takes by default (gemeente/region: gemeente, ...). */
enum conv_side conv_side_for(enum org_kind k);

/* ---- Plan ------------------------------------------------------------------------------------ */

struct conv_party_input {
    int64_t org_id;
    int side; /* enum conv_side; 0 = the default for the organisation's kind */
};

struct conv_participant_input {
    int64_t user_id;
    int role; /* enum conv_role */
};

/* Input for create and update of the plan. Strings borrowed. The owner is always a party (side
 * from its kind) and need not be listed in parties. */
struct conv_input {
    int64_t owner_org_id; /* create only: the planning gemeente or region */
    int kind;             /* enum conv_kind */
    const char *title, *goal, *place;
    const char *gemeente; /* "0114"/"GM0114"; NULL/"" = the owner's own (a gemeente) */
    day_t period_from, period_to, held_on;
    int64_t previous_id; /* 0 = none */
    const int64_t *result_ids;
    int nresults;
    const struct conv_party_input *parties;
    int nparties;
    const struct conv_participant_input *participants;
    int nparticipants;
    int64_t version; /* update: the version being edited */
};

/**
 * Plans a conversation (policy ACT_CREATE: beleid/contract of the owner; audit). Results must be
 * the owner's (or shared standard ones owned by its regions); parties are aanbieders, gemeenten
 * or regions; participants are users of any organisation. Four empty phases are created.
 * 0, ERR_DENIED, ERR_INVALID (field named in e).
 */
int conversation_create(struct store *s, const struct actor *who, const struct conv_input *in,
                        int64_t *id_out, struct err_ctx *e);
/** Changes the plan while planned or prepared (ACT_EDIT); ERR_CONFLICT when in->version is stale;
 * ERR_INVALID (field "status") once held. The owner never changes. */
int conversation_update(struct store *s, const struct actor *who, int64_t id,
                        const struct conv_input *in, struct err_ctx *e);
/** Cancels a planned or prepared conversation (ACT_ARCHIVE: beleid/contract of the owner). */
int conversation_cancel(struct store *s, const struct actor *who, int64_t id, int64_t version,
                        struct err_ctx *e);
/** Records that the conversation took place (gepland/voorbereid -> gehouden; ACT_EDIT). */
int conversation_mark_held(struct store *s, const struct actor *who, int64_t id, int64_t version,
                           struct err_ctx *e);
/** Marks it prepared (gepland -> voorbereid) in the caller's write transaction, when a data pack
 * was frozen (report/data_pack.c). Other statuses stay as they are. 0, ERR_DB. */
int conversation_mark_prepared_tx(struct db *db, int64_t id);

/* ---- Prepare: preparation notes per side ----------------------------------------------------- */

struct conv_prep_note {
    int64_t id, conversation_id, org_id, author_id;
    const char *org_name, *author_name;
    const char *body;
    const char *shared_at; /* NULL while only the own side sees it */
    int64_t version;
    const char *created_at, *updated_at;
    bool mine; /* written by the actor's side (may edit) */
};

/** The notes the actor may see (own side's, and the shared ones of the other sides), own side
 * first. Arena array. ERR_NOT_FOUND when the conversation is not visible. */
int conversation_prep_notes(struct arena *a, struct store *s, const struct actor *who,
                            int64_t conversation_id, struct conv_prep_note **out, int *n);
/** A note for the actor's own side (policy OBJ_PREP_NOTE ACT_CREATE). */
int conversation_prep_create(struct store *s, const struct actor *who, int64_t conversation_id,
                             const char *body, bool shared, int64_t *id_out, struct err_ctx *e);
/** Changes a note's text and shared state (own side only; ERR_CONFLICT when stale). Sharing is
 * one-way in practice but may be undone while the conversation is not yet held. */
int conversation_prep_update(struct store *s, const struct actor *who, int64_t conversation_id,
                             int64_t note_id, const char *body, bool shared, int64_t version,
                             struct err_ctx *e);
int conversation_prep_delete(struct store *s, const struct actor *who, int64_t conversation_id,
                             int64_t note_id, struct err_ctx *e);

/* ---- Hold: the run-sheet --------------------------------------------------------------------- */

struct conv_phase_notes {
    enum conv_phase phase;
    const char *notes;
    int planned_minutes;
    int64_t version;
    const char *updated_at;
    const char *updated_by_name;
};

/** The four phases in order (always CONV_PHASES rows). */
int conversation_phases(struct arena *a, struct store *s, const struct actor *who,
                        int64_t conversation_id, struct conv_phase_notes out[CONV_PHASES]);
/**
 * Saves the notes and planned minutes of one phase (ACT_EDIT; not when cancelled or when the
 * minutes were approved... an edit after approval clears the approvals). ERR_CONFLICT when
 * `version` is stale (another note-taker saved first). *hint (arena) gets the drift hint of
 * domain/outcome_drift.h, or NULL.
 */
int conversation_phase_save(struct arena *a, struct store *s, const struct actor *who,
                            int64_t conversation_id, enum conv_phase phase, const char *notes,
                            int planned_minutes, int64_t version, const char **hint,
                            struct err_ctx *e);

/* ---- Conclude and approve -------------------------------------------------------------------- */

/** Summary and conclusions (ACT_EDIT; needs the status gehouden or afgerond; sets afgerond;
 * clears the approvals when the text changed). Conversation version for locking. */
int conversation_conclude(struct store *s, const struct actor *who, int64_t id, const char *summary,
                          const char *conclusions, int64_t version, struct err_ctx *e);
/** Approves the minutes for the actor's own side (ACT_APPROVE; status afgerond). */
int conversation_approve(struct store *s, const struct actor *who, int64_t id, struct err_ctx *e);
/** Withdraws the own side's approval. */
int conversation_unapprove(struct store *s, const struct actor *who, int64_t id, struct err_ctx *e);
/** The party of the actor's organisation, or NULL. */
const struct conv_party *conversation_own_party(const struct conversation *c,
                                                const struct actor *who);

/* ---- Evaluate -------------------------------------------------------------------------------- */

struct conv_evaluation {
    int64_t conversation_id, user_id, org_id;
    int rating; /* 1..5 */
    enum conv_goal goal_reached;
    const char *went_well, *tips;
    const char *at;
};

/** The actor's own evaluation: 0, or ERR_NOT_FOUND when none yet. */
int conversation_evaluation_get(struct arena *a, struct store *s, const struct actor *who,
                                int64_t conversation_id, struct conv_evaluation *out);
/** Saves (replaces) the actor's own evaluation; the conversation must be held (ACT_EDIT). */
int conversation_evaluate(struct store *s, const struct actor *who, int64_t conversation_id,
                          int rating, const char *goal_reached, const char *went_well,
                          const char *tips, struct err_ctx *e);

struct conv_eval_stats {
    int nconversations; /* conversations with at least one evaluation */
    int nevaluations;
    bool shown; /* nevaluations >= CONV_STATS_MIN: the numbers below are filled */
    double avg_rating;
    int goal_ja, goal_deels, goal_nee;
    const char **tips; /* conversation aggregate only: tips without names, when shown */
    int ntips;
};

/** The aggregate of one conversation's evaluations (members only); counts and averages only when
 * at least CONV_STATS_MIN evaluations exist. */
int conversation_evaluation_summary(struct arena *a, struct store *s, const struct actor *who,
                                    int64_t conversation_id, struct conv_eval_stats *out);

struct conv_stats_row {
    char quarter[PERIOD_CODE_MAX]; /* "2025-Q4" */
    struct conv_eval_stats stats;
};

/**
 * Evaluations over the conversations owned by org_id (a gemeente; a region: its own and those
 * of its gemeenten) per quarter of held_on, newest first (policy OBJ_CONVERSATION_STATS). A
 * quarter with fewer than CONV_STATS_MIN evaluations has shown = false. *total: all quarters.
 */
int conversation_stats(struct arena *a, struct store *s, const struct actor *who, int64_t org_id,
                       struct conv_stats_row **out, int *n, struct conv_eval_stats *total);

/* ---- Lists ----------------------------------------------------------------------------------- */

struct conv_filter {
    int status;           /* enum conv_status; 0 = any */
    int64_t owner_org_id; /* 0 = any */
    int64_t party_org_id; /* an aanbieder (or other party); 0 = any */
    int64_t result_id;    /* 0 = any */
    bool has_period;      /* held_on within [from, to] */
    day_t from, to;
    int limit, offset; /* limit 0 = CONV_LIST_DEFAULT */
};

/**
 * The conversations the actor may view matching f, newest date first (results, parties and
 * participants filled). *total counts all visible matches. 0, ERR_DB, ERR_INVALID.
 */
int conversation_list(struct arena *a, struct store *s, const struct actor *who,
                      const struct conv_filter *f, struct conversation **out, int *n, int *total);

#define CONV_CANDIDATES_MAX 300

/**
 * The people who may be invited: active users of the organisations org_ids (for a new plan: the
 * actor must be allowed to plan one for its own organisation; for conversation_id > 0: to edit
 * it, and its parties are added to org_ids). By organisation name, then name; at most
 * CONV_CANDIDATES_MAX. role is 0 in the rows.
 */
int conversation_candidates(struct arena *a, struct store *s, const struct actor *who,
                            int64_t conversation_id, const int64_t *org_ids, int norgs,
                            struct conv_participant **out, int *n);

/** Participants of the conversation who are of organisation org_id (duo hints, owner choice). */
int conversation_count_participants_of(const struct conversation *c, int64_t org_id);

#endif
