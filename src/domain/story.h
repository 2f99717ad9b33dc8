/*
 * story.h: verhalen (stories): the told evidence beside the figures. A story has a text, a
 * kind, the role (never the name) of who tells it, a date, the consent given and links to
 * societal results, indicators, a gemeente, an aanbieder, a period and tags. Before it is saved
 * the anonymisation check (domain/anon_check.h) runs; its warnings must be confirmed.
 * Visibility follows the consent through the policy (OBJ_STORY; docs/stories.md).
 */
#ifndef DUIDING_DOMAIN_STORY_H
#define DUIDING_DOMAIN_STORY_H

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/actor.h"
#include "domain/anon_check.h"
#include "domain/policy.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define STORY_TITLE_MAX    240   /* code points */
#define STORY_BODY_MAX     20000 /* code points */
#define STORY_ROLE_MAX     48    /* code points */
#define STORY_TAG_MAX      48    /* bytes; tags are [a-z0-9-] after normalising */
#define STORY_MAX_TAGS     16
#define STORY_MAX_LINKS    32   /* results, and indicators, each */
#define STORY_QUERY_MAX    1000 /* bytes of search text */
#define STORY_QUERY_TERMS  16   /* words used from the search text; more are ignored */
#define STORY_LIST_DEFAULT 50
#define STORY_LIST_MAX     500
#define STORY_SCAN_MAX     20000    /* matching stories examined per list for the policy filter */
#define STORY_DAY_MIN      (-25567) /* 1900-01-01 */
#define STORY_DAY_MAX      47482    /* 2099-12-31 */

enum story_kind {
    STORY_CITAAT = 1, /* a resident's own words */
    STORY_CASUS,      /* case description */
    STORY_REFLECTIE,  /* professional reflection */
    STORY_INTERVIEW,  /* interview summary */
};
#define STORY_KIND_MIN STORY_CITAAT
#define STORY_KIND_MAX STORY_INTERVIEW

/* What the teller consented to, from narrow to wide; the order is used by min_consent. */
enum story_consent {
    CONSENT_INTERN = 1, /* only within the owner organisation (SHARE_OWNER) */
    CONSENT_GESPREK,    /* quality conversations with the parties and their data packs */
    CONSENT_PUBLICATIE, /* may be published: the only consent that reaches a published report */
};
#define CONSENT_MIN CONSENT_INTERN
#define CONSENT_MAX CONSENT_PUBLICATIE

const char *story_kind_code(enum story_kind k);  /* "citaat", "casus", "reflectie", "interview" */
const char *story_kind_label(enum story_kind k); /* translated */
int story_kind_parse(const char *code, enum story_kind *out);
const char *story_consent_code(enum story_consent c);  /* "intern", "gesprek", "publicatie" */
const char *story_consent_label(enum story_consent c); /* translated */
int story_consent_parse(const char *code, enum story_consent *out);

struct story_link {
    int64_t id;
    const char *title; /* result title or indicator name */
};

struct story {
    int64_t id;
    int64_t owner_org_id;
    const char *owner_name;
    enum story_kind kind;
    const char *title;
    const char *body;
    const char *teller_role;
    day_t told_on;
    enum story_consent consent;
    const char *gemeente;       /* 4-digit CBS code, or NULL */
    const char *gemeente_name;  /* the organisation's name, or NULL */
    int64_t gemeente_org_id;    /* organisation with that CBS code, 0 if none */
    int64_t aanbieder_id;       /* 0 = none */
    const char *aanbieder_name; /* or NULL */
    bool has_period;
    day_t period_from, period_to;
    const char *anon_checked; /* JSON list of confirmed warnings: [{"soort":"naam","aantal":1}] */
    bool archived;
    int64_t version;
    const char *created_at, *updated_at;
    /* Links, filled by story_get (story_list leaves them empty). */
    struct story_link *results, *indicators;
    int nresults, nindicators;
    const char **tags;
    int ntags;
};

/* Input for create and update. Strings are borrowed. */
struct story_input {
    int64_t owner_org_id;
    int kind;    /* enum story_kind */
    int consent; /* enum story_consent */
    const char *title;
    const char *body;
    const char *teller_role;
    day_t told_on;
    const char *gemeente; /* "0114" or "GM0114", NULL/"" = none */
    int64_t aanbieder_id; /* 0 = none */
    bool has_period;
    day_t period_from, period_to;
    const int64_t *result_ids;
    int nresults;
    const int64_t *indicator_ids;
    int nindicators;
    const char *const *tags;
    int ntags;
    /* The writer confirmed the anonymisation warnings ("Ik heb dit gecontroleerd"). */
    bool anon_confirmed;
    int64_t version; /* update: the version being edited */
};

struct story_filter {
    const char *q; /* full-text search (any words; "woord*" searches a prefix) */
    int64_t owner_org_id, result_id, indicator_id, aanbieder_id; /* 0 = any */
    const char *gemeente;                                        /* CBS code, NULL = any */
    bool gemeente_or_none; /* with gemeente: also stories without a gemeente (region-wide) */
    const char *tag;
    int kind;        /* 0 = any */
    int consent;     /* exactly this consent; 0 = any */
    int min_consent; /* at least this consent (CONSENT_PUBLICATIE for published reports) */
    bool has_period; /* stories whose period (or date told) overlaps [from, to] */
    day_t period_from, period_to;
    bool include_archived;
    int limit, offset;
};

/**
 * Screens a story's title, role and body with anon_check (all kinds). The report's offsets are
 * into "title\n\nrole\n\nbody"; callers show the excerpts and labels.
 */
int story_screen(struct arena *a, const struct story_input *in, struct anon_report *out);

/**
 * Validates, screens and creates a story as `who` (policy, audit). When the screening finds
 * something and in->anon_confirmed is false, nothing is saved: ERR_INVALID with e->field
 * "anon" and the findings in *report (if not NULL). ERR_DENIED, ERR_INVALID (field named).
 */
int story_create(struct store *s, const struct actor *who, const struct story_input *in,
                 int64_t *id_out, struct arena *a, struct anon_report *report, struct err_ctx *e);
/** As story_create for an existing story; ERR_CONFLICT when in->version is stale. */
int story_update(struct store *s, const struct actor *who, int64_t id, const struct story_input *in,
                 struct arena *a, struct anon_report *report, struct err_ctx *e);
int story_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                       struct err_ctx *e);
/** One story with its links, if the actor may view it (ERR_DENIED otherwise). */
int story_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
              struct story *out);
/**
 * Stories matching f that the actor may view (policy_allows ACT_VIEW for each), newest told
 * first, or best match first with f->q. *total counts the viewable matches. The search text is
 * turned into an FTS5 query of quoted words, never passed through. ERR_INVALID with e set for
 * a search text over STORY_QUERY_MAX bytes or invalid UTF-8.
 */
int story_list(struct arena *a, struct store *s, const struct actor *who,
               const struct story_filter *f, struct story **out, int *n, int *total,
               struct err_ctx *e);
/** The object_ref the policy sees for a story (parties: gemeente organisation, aanbieder). */
struct object_ref story_ref(const struct story *st, int64_t *parties);
/** "intern" -> SHARE_OWNER, "gesprek" -> SHARE_PARTIES, "publicatie" -> SHARE_ALL. */
enum share_level story_consent_share(enum story_consent c);

/**
 * The FTS5 query for a user's search text: each word (letters and digits) quoted, a trailing
 * '*' kept as a prefix search, at most STORY_QUERY_TERMS words joined by spaces (AND). NULL when
 * the text has no words (then nothing is searched). Arena-owned.
 */
char *story_fts_query(struct arena *a, const char *text);

#endif
