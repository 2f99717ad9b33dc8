/*
 * conversation_published.h: which content of a quality conversation may leave the circle of its
 * members. Only conversations whose minutes every taking-part side approved (every
 * conversation_party row has approved_at; status afgerond) are published, and of them only the
 * title, the date, the summary, the conclusions, the names of the taking-part organisations and
 * their improvement actions with status and due date. Phase notes, preparation notes,
 * evaluations and the names of participants never leave. Used by the council report
 * (report/council_report.h). docs/conversations.md "Council report".
 */
#ifndef DUIDING_DOMAIN_CONVERSATION_PUBLISHED_H
#define DUIDING_DOMAIN_CONVERSATION_PUBLISHED_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/action.h"
#include "domain/conversation.h"
#include "store/store.h"
#include <stdint.h>

#define CONV_PUB_MAX         50  /* conversations per result */
#define CONV_PUB_MAX_ACTIONS 200 /* actions per conversation */

/* A taking-part organisation: its name and side only. */
struct conv_pub_party {
    const char *name;
    enum conv_side side;
};

/* An improvement action as published: what, which organisation owns it, status, due date. */
struct conv_pub_action {
    int64_t id;
    const char *description;
    const char *owner_name; /* the owning organisation (never a person) */
    enum conv_side owner_side;
    enum action_status status;
    day_t due_on;
};

struct conv_published {
    int64_t id;
    const char *title;
    day_t held_on;
    const char *gemeente; /* CBS code (4 digits) the conversation is about, or NULL */
    const char *summary, *conclusions;
    struct conv_pub_party *parties;
    int nparties;
    struct conv_pub_action *actions; /* by status (open, bezig, klaar, vervallen), then due */
    int nactions;
};

/**
 * The published conversations about result_id, newest first (at most limit, 0 or more than
 * CONV_PUB_MAX = CONV_PUB_MAX). gemeente: a CBS code ("0114" or "GM0114") to keep only those
 * about that gemeente (its own, or the owner's when the conversation names none), or NULL for
 * all. No actor: what is returned is public by the approval of every side.
 * 0; ERR_INVALID (bad gemeente code); ERR_DB.
 */
int conversation_published_list(struct arena *a, struct store *s, int64_t result_id,
                                const char *gemeente, int limit, struct conv_published **out,
                                int *n);

#endif
