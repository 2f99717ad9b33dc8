/*
 * theory.h: the theory of change (verandertheorie) of a societal result: the four starter
 * questions of a front conversation and the chain of activities (which aanbieder, which product
 * or programme, why it should help, what it needs, the outcomes expected and the indicators that
 * show them). Every save bumps the version (optimistic locking) and appends a canonical JSON
 * document with a summary in words of what changed; aanbieders change only their own activities
 * (policy OBJ_THEORY rule 11 + the check here). docs/conversations.md "Theory of change".
 */
#ifndef DUIDING_DOMAIN_THEORY_H
#define DUIDING_DOMAIN_THEORY_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define THEORY_STARTER_MAX     8000 /* code points per starter answer */
#define THEORY_PRODUCT_MAX     160
#define THEORY_DESCRIPTION_MAX 4000
#define THEORY_TEXT_MAX        8000 /* assumptions, conditions, outcomes */
#define THEORY_MAX_ACTIVITIES  24
#define THEORY_MAX_INDICATORS  12 /* per activity */
#define THEORY_SUMMARY_MAX     480
#define THEORY_VERSIONS_MAX    1000         /* versions listed on the history page */
#define THEORY_DOC_MAX         (512 * 1024) /* bytes of one JSON document (API input too) */

/* The four starter questions of a front conversation (voorkant). */
enum theory_starter {
    STARTER_KNOWN_HERE = 0, /* what do we know about this topic here? */
    STARTER_KNOWN_HELPS,    /* what do we know about what helps? */
    STARTER_PROVIDERS_DO,   /* what do the providers do about it? */
    STARTER_WITH_RESULT,    /* with what result? */
};
#define THEORY_STARTERS 4

/* "bekendHier", ... (JSON keys, form fields) */
const char *theory_starter_code(enum theory_starter q);
const char *theory_starter_question(enum theory_starter q); /* translated question */

struct theory_indicator {
    int64_t id;
    const char *name;
};

struct theory_activity {
    int64_t id;                 /* 0 in input: a new activity */
    int64_t aanbieder_id;       /* 0 = a programme of the gemeente itself / not named */
    const char *aanbieder_name; /* NULL when none */
    const char *product;        /* product or programme */
    const char *description;    /* what is done (required) */
    const char *assumptions;    /* why: what is known about what works */
    const char *conditions;     /* what it needs: expertise, capacity, setting */
    const char *outcomes;       /* the outcomes expected */
    struct theory_indicator *indicators;
    int nindicators;
};

struct theory {
    int64_t result_id;
    const char *result_title;
    int64_t owner_org_id; /* the result's owner */
    enum org_kind owner_org_kind;
    const char *starters[THEORY_STARTERS]; /* never NULL after theory_get ("" = unanswered) */
    int64_t version;                       /* 0: no theory saved yet */
    const char *updated_at;                /* NULL when version 0 */
    const char *updated_by_name;
    struct theory_activity *activities; /* in chain order */
    int nactivities;
};

/** The policy object of a theory (OBJ_THEORY): owner the result's owner, parties the
 * aanbieders named in its activities; arrays arena-owned. */
void theory_object(const struct theory *t, struct arena *a, struct object_ref *out);

/** Loads the current theory of a result (an empty one, version 0, when none was saved).
 * 0, ERR_NOT_FOUND (no such result), ERR_DENIED. Everything arena-owned. */
int theory_get(struct arena *a, struct store *s, const struct actor *who, int64_t result_id,
               struct theory *out);

/** May the actor change this theory at all (policy), and if so, is it limited to the
 * activities of its own aanbieder (*own_only)? */
bool theory_may_edit(const struct actor *who, const struct theory *t, struct arena *a,
                     bool *own_only);

/**
 * Replaces the whole theory of a result by `in` (starters + activities in order; activities
 * matched by id, id 0 = new; activities left out are deleted). in->version must be the current
 * version (0 when none saved yet), else ERR_CONFLICT. Validates limits (ERR_INVALID /
 * ERR_TOO_BIG with e->field naming the field, e.g. "activiteit 2: aannames"), checks that named
 * aanbieders are aanbieder organisations and indicators exist, and that an aanbieder user only
 * changes, adds or removes activities of its own organisation (ERR_DENIED otherwise). Nothing
 * changed: 0 and no new version. On success *version_out (may be NULL) is the new version.
 * Writes theory_version (document + summary) and an audit event in one transaction.
 */
int theory_put(struct store *s, const struct actor *who, int64_t result_id, const struct theory *in,
               int64_t *version_out, struct err_ctx *e);

/** Saves the answers to the four starter questions (front conversation or the edit form);
 * `version` as in theory_put. Activities stay as they are. */
int theory_save_starters(struct store *s, const struct actor *who, int64_t result_id,
                         const char *const starters[THEORY_STARTERS], int64_t version,
                         int64_t *version_out, struct err_ctx *e);

/** Adds (act->id 0; appended at the end) or changes one activity. *activity_id_out may be
 * NULL. */
int theory_activity_save(struct store *s, const struct actor *who, int64_t result_id,
                         const struct theory_activity *act, int64_t version,
                         int64_t *activity_id_out, struct err_ctx *e);
int theory_activity_delete(struct store *s, const struct actor *who, int64_t result_id,
                           int64_t activity_id, int64_t version, struct err_ctx *e);
/** Moves an activity one place up (delta -1) or down (+1) in the chain. */
int theory_activity_move(struct store *s, const struct actor *who, int64_t result_id,
                         int64_t activity_id, int delta, int64_t version, struct err_ctx *e);

/* ---- Versions ---------------------------------------------------------------------------- */

struct theory_version_info {
    int64_t version;
    const char *at;
    int64_t user_id;
    const char *user_name; /* display name, or the login kept when the account is gone */
    const char *summary;   /* what changed, in words */
};

/** Newest first, at most THEORY_VERSIONS_MAX. */
int theory_versions(struct arena *a, struct store *s, const struct actor *who, int64_t result_id,
                    struct theory_version_info **out, int *n);
/** One saved version, its document parsed back into *out (names as they were then). */
int theory_version_get(struct arena *a, struct store *s, const struct actor *who, int64_t result_id,
                       int64_t version, struct theory *out, struct theory_version_info *info);

/** The canonical JSON document of a theory (stable key order, no insignificant whitespace). */
int theory_to_json(const struct theory *t, struct buf *out);
/** Parses a theory document (API input or a stored version); limits as theory_put. */
int theory_from_json(struct arena *a, const char *json, size_t len, struct theory *out,
                     struct err_ctx *e);

/* One field-level difference between two versions. */
struct theory_change {
    int activity_index; /* 1-based position in the newer version (old: when removed); 0 = the
                           starter questions */
    const char *activity_label; /* "activiteit 2 (Buurtteam)" or NULL for starters */
    const char *field;          /* translated field name ("aannames") or NULL: whole activity */
    const char *what;           /* "toegevoegd", "verwijderd", "aangepast", "verplaatst" */
    const char *before, *after; /* text before/after (NULL when added/removed) */
};

/** Field-by-field comparison of two theories (older `a`, newer `b`); arena-owned. */
int theory_compare(struct arena *a, const struct theory *older, const struct theory *newer,
                   struct theory_change **out, int *n);
/** The summary in words of a comparison, at most THEORY_SUMMARY_MAX bytes (cut at a character
 * boundary with "…"): "activiteit 2 (Buurtteam) aangepast: aannames; startvragen aangepast". */
const char *theory_change_summary(struct arena *a, const struct theory_change *c, int n);

#endif
