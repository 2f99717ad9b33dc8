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
 * organisation, the owner included) and participants (user ids); arrays arena-owned. Use kind OBJ_PREP_NOTE / OBJ_ACTION by overwriting .kind,
 * .owner_org_id and .share as their rules say. */
void conversation_object(const struct conversation *c, struct arena *a, struct object_ref *out);

/** Loads a conversation with its results, parties and participants if the actor may view it.
 * 0, ERR_NOT_FOUND (also when not allowed: its existence is not revealed). */
int conversation_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                     struct conversation *out);

#endif
