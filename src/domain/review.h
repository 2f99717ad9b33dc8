/*
 * review.h: toetsing (verification) of an aanbieder against the region's quality framework
 * (domain/framework.h): an admission (toelating), a periodic review per contract period or an
 * event-driven review after a calamity or supervisor measure (domain/provider_event.h). The
 * aanbieder fills in a self-declaration per applicable criterion, uploads evidence
 * (domain/evidence.h) and commits to the region's guiding principles; each viewpoint (policy.h
 * enum review_viewpoint: aanbieder, contract manager, toegang, back office, toezichthouder)
 * records a verdict per criterion with a reason and the method; where views differ by more than
 * one step the difference is flagged for the next conversation (triangulation); the contract
 * manager records the verification conversation and the decision. docs/verification.md.
 *
 * Lifecycle: concept (the aanbieder fills in) -> ingediend (submitted by the aanbieder) ->
 * in_beoordeling (views being recorded) -> besloten (decision taken; read-only). Every change
 * is audited; optimistic locking on `version`.
 */
#ifndef DUIDING_DOMAIN_REVIEW_H
#define DUIDING_DOMAIN_REVIEW_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/actor.h"
#include "domain/framework.h"
#include "domain/policy.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define REVIEW_TEXT_MAX 4000 /* code points: self-declaration, reason, conversation report */

enum review_kind {
    REVIEW_TOELATING = 1, /* admission */
    REVIEW_PERIODIEK,     /* periodic, per contract period */
    REVIEW_GEBEURTENIS,   /* event-driven: after a provider event */
};

enum review_status {
    REVIEW_CONCEPT = 1,    /* the aanbieder fills in its self-declaration */
    REVIEW_INGEDIEND,      /* submitted by the aanbieder */
    REVIEW_IN_BEOORDELING, /* the other viewpoints record their verdicts */
    REVIEW_BESLOTEN,       /* decided: read-only */
};

/* A verdict on one criterion, ordered as steps so that differences can be measured
 * (|a - b| > 1 is flagged). VERDICT_NVT is not a step and never differs. */
enum review_verdict {
    VERDICT_NONE = 0,     /* not given yet */
    VERDICT_VOLDOET = 1,  /* meets */
    VERDICT_DEELS = 2,    /* partly */
    VERDICT_NOG_NIET = 3, /* not yet */
    VERDICT_NVT = 9,      /* not applicable (with a reason) */
};

enum review_method {
    METHOD_DOCUMENT = 1, /* documentonderzoek */
    METHOD_GESPREK = 2,  /* verification conversation */
    METHOD_ONDERZOEK = 3 /* additional investigation */
};

enum review_decision {
    DECISION_NONE = 0,
    DECISION_TOEGELATEN = 1,      /* admitted / continues */
    DECISION_VOORWAARDELIJK = 2,  /* with conditions (improvement points) */
    DECISION_NIET_TOEGELATEN = 3, /* not admitted / measures */
};

const char *review_kind_code(enum review_kind k);         /* toelating, periodiek, gebeurtenis */
const char *review_kind_label(enum review_kind k);        /* translated */
const char *review_status_code(enum review_status s);     /* concept, ingediend, ... */
const char *review_status_label(enum review_status s);    /* translated */
const char *review_verdict_code(enum review_verdict v);   /* voldoet, deels, nog_niet, nvt */
const char *review_verdict_label(enum review_verdict v);  /* translated */
const char *review_decision_code(enum review_decision d); /* toegelaten, voorwaardelijk, ... */
const char *review_decision_label(enum review_decision d);
const char *review_viewpoint_code(enum review_viewpoint v); /* aanbieder, contractmanager, ... */
const char *review_viewpoint_label(enum review_viewpoint v);

struct review {
    int64_t id;
    int64_t framework_id;
    int64_t owner_org_id; /* the verifying region or gemeente */
    enum org_kind owner_org_kind;
    const char *owner_name;
    int64_t aanbieder_id;
    const char *aanbieder_name;
    enum review_kind kind;
    enum review_status status;
    int64_t contract_id;       /* 0 = none (periodic reviews name their contract) */
    int64_t provider_event_id; /* 0 = none (event-driven reviews name their event) */
    day_t period_from, period_to;
    unsigned laws;                      /* 1 Jeugdwet, 2 Wmo: which criteria apply */
    const char *principles_accepted_at; /* guiding principles commitment, NULL = not yet */
    const char *conversation_on;        /* date of the verification conversation, or NULL */
    const char *conversation_report;    /* what was discussed */
    enum review_decision decision;
    const char *decision_reason;
    const char *decided_at;
    int64_t version;
    const char *created_at, *updated_at;
};

/* The verification status of one theme of a review, for overviews and the mirror report. */
struct review_theme_status {
    int64_t theme_id;
    const char *theme;
    int ncriteria; /* applicable criteria of the theme */
    int nvoldoet;  /* final verdict (the contract manager's, else the self-declaration) */
    int ndeels;
    int nnog_niet;
    int nopen;        /* no verdict yet */
    int ndifferences; /* criteria where two shared views differ by more than one step */
};

/* Limits. */
#define REVIEW_DECL_MAX  16000 /* code points of a self-declaration or a view's reason */
#define REVIEW_LIST_MAX  1000  /* reviews returned by one list */
#define REVIEW_ITEMS_MAX FW_CRITERIA_MAX
#define REVIEW_DAY_MIN   7305  /* 1990-01-01 */
#define REVIEW_DAY_MAX   47482 /* 2099-12-31 */

const char *review_method_code(enum review_method m); /* document, gesprek, onderzoek */
const char *review_method_label(enum review_method m);
int review_kind_parse(const char *code, enum review_kind *out);
int review_status_parse(const char *code, enum review_status *out);
int review_verdict_parse(const char *code, enum review_verdict *out);
int review_method_parse(const char *code, enum review_method *out);
int review_decision_parse(const char *code, enum review_decision *out);
int review_viewpoint_parse(const char *code, enum review_viewpoint *out);
/** 0..4: the position of a viewpoint bit (column order of the triangulation); -1 if not one bit. */
int review_viewpoint_index(unsigned viewpoint);

/**
 * Steps between two verdicts (voldoet 1, deels 2, nog niet 3): |a - b|, or -1 when either is
 * not a step (none, nvt). A difference of more than one step (2) is flagged.
 */
int review_verdict_distance(enum review_verdict a, enum review_verdict b);

/* An applicable criterion of a review with the aanbieder's self-declaration. */
struct review_item {
    int64_t criterion_id;
    int64_t theme_id;
    const char *theme;
    int theme_position;
    const char *code;
    const char *text;
    const char *evidence; /* what evidence the framework asks */
    unsigned verify;      /* FW_VERIFY_* */
    int64_t local_org_id; /* 0 regional; else the gemeente of a local point */
    bool applicable;
    const char *not_applicable_reason;
    const char *self_declaration;
};

/* One viewpoint's verdict on one criterion. */
struct review_view {
    int64_t criterion_id;
    enum review_viewpoint viewpoint;
    enum review_verdict verdict;
    const char *reason;
    enum review_method method;
    bool shared;
    int64_t by_user;
    const char *by_name;
    const char *at;
    /* Set by review_views when the actor may not see it (policy OBJ_REVIEW_VIEW): verdict,
     * reason and writer are cleared; the page says "niet gedeeld". */
    bool hidden;
};

/* One criterion in the triangulation: the views side by side (index review_viewpoint_index). */
struct review_row {
    const struct review_item *item;
    struct review_view cells[VIEWPOINT_COUNT]; /* verdict VERDICT_NONE where no view exists */
    bool present[VIEWPOINT_COUNT];
    int max_distance;   /* largest distance between two visible verdicts; -1 none */
    int diff_a, diff_b; /* viewpoint indexes of that largest distance */
};

struct review_input {
    int64_t framework_id;
    int64_t owner_org_id; /* the verifying region or gemeente */
    int64_t aanbieder_id;
    int kind;                  /* enum review_kind */
    int64_t contract_id;       /* 0 = none */
    int64_t provider_event_id; /* required for REVIEW_GEBEURTENIS, else 0 */
    day_t period_from, period_to;
    unsigned laws; /* FW_LAW_* */
};

struct review_view_input {
    int64_t criterion_id;
    unsigned viewpoint; /* one enum review_viewpoint bit */
    int verdict;        /* enum review_verdict (not NONE) */
    const char *reason; /* required unless voldoet */
    int method;         /* enum review_method */
    bool shared;        /* the supervisor's default is false, the others true (the form sets it) */
};

struct review_filter {
    int64_t aanbieder_id; /* 0 = any */
    int64_t owner_org_id; /* 0 = any */
    int status;           /* enum review_status, 0 = any */
    int limit;            /* 0 = REVIEW_LIST_MAX */
};

/* One aanbieder in the provider overview. */
struct review_provider {
    int64_t id;
    const char *name;
    const char *agb_code;
    bool has_review;
    struct review latest; /* the latest review the actor may view (has_review) */
    int open_events;      /* events the actor may view, not archived, of the last 12 months */
};

/* A link criterion -> outcome indicator. */
struct criterion_link {
    int64_t criterion_id;
    int64_t indicator_id;
    const char *indicator_code;
    const char *indicator_name;
};

/** Creates a review in status concept with its applicable criteria fixed (docs/verification.md:
 * the framework's active regional criteria whose laws overlap, plus the local points of the
 * owner when it is a gemeente). Policy ACT_CREATE on the owner. ERR_INVALID with e->field. */
int review_create(struct store *s, const struct actor *who, const struct review_input *in,
                  int64_t *id_out, struct err_ctx *e);
/** Reviews the actor may view, newest first. */
int review_list(struct arena *a, struct store *s, const struct actor *who,
                const struct review_filter *f, struct review **out, int *n);
/** The items (criteria with self-declarations) of a review, ordered by theme and code. */
int review_items(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                 struct review_item **out, int *n);
/** The views of a review; those the actor may not see are returned with hidden set. */
int review_views(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                 struct review_view **out, int *n);
/** Builds the triangulation rows of items x views (pure; views as review_views returns them). */
int review_triangulate(struct arena *a, const struct review_item *items, int nitems,
                       const struct review_view *views, int nviews, struct review_row **out,
                       int *n);
/** The viewpoints the actor holds in this review (policy_review_viewpoints). */
unsigned review_my_viewpoints(struct arena *a, const struct actor *who, const struct review *r);

/** The aanbieder's self-declaration of one criterion (concept only; viewpoint aanbieder) with
 * its self-evaluation `verdict` (enum review_verdict; VERDICT_NONE leaves it; stored as the
 * aanbieder viewpoint's view). applicable false needs a reason (the self-evaluation is then
 * nvt). ERR_CONFLICT on a stale version. */
int review_set_item(struct store *s, const struct actor *who, int64_t id, int64_t version,
                    int64_t criterion_id, bool applicable, const char *reason,
                    const char *self_declaration, int verdict, struct err_ctx *e);
/** Records the aanbieder's acceptance of the guiding principles (concept only). */
int review_accept_principles(struct store *s, const struct actor *who, int64_t id, int64_t version,
                             struct err_ctx *e);
/** concept -> ingediend: principles accepted, every applicable criterion declared. */
int review_submit(struct store *s, const struct actor *who, int64_t id, int64_t version,
                  struct err_ctx *e);
/** review_submit that first records the acceptance of the guiding principles when
 * accept_principles is true and they are not accepted yet, in the same transaction: all or
 * nothing (the API's POST .../indienen). */
int review_submit_accepting(struct store *s, const struct actor *who, int64_t id, int64_t version,
                            bool accept_principles, struct err_ctx *e);
/** Records one viewpoint's verdict (replacing an earlier one of that viewpoint). The aanbieder's
 * self-evaluation only in concept; the other viewpoints in ingediend or in_beoordeling (the
 * first such view moves ingediend to in_beoordeling). */
int review_set_view(struct store *s, const struct actor *who, int64_t id, int64_t version,
                    const struct review_view_input *in, struct err_ctx *e);
/** The verification conversation (date ISO "YYYY-MM-DD" + report): the contract manager,
 * ingediend or in_beoordeling. */
int review_set_conversation(struct store *s, const struct actor *who, int64_t id, int64_t version,
                            const char *on_date, const char *report, struct err_ctx *e);
/** The decision by the owner's contract manager (ACT_APPROVE): reason required unless
 * toegelaten; ingediend or in_beoordeling -> besloten. */
int review_decide(struct store *s, const struct actor *who, int64_t id, int64_t version,
                  int decision, const char *reason, struct err_ctx *e);

#define REVIEW_PRINCIPLES_MAX 8000 /* code points of a framework's guiding principles */
#define REVIEW_LINKS_MAX      64   /* outcome indicators linked to one criterion */

/** The guiding principles of a framework ("" when none). */
int review_principles(struct arena *a, struct store *s, int64_t framework_id, const char **out);
/** Sets the guiding principles of a framework without a version check or a new framework
 * version: the initial seeding (the demo). Edit right on the framework; audited. */
int review_set_principles(struct store *s, const struct actor *who, int64_t framework_id,
                          const char *text, struct err_ctx *e);
/** Checks a principles text as review_update_principles does (ERR_INVALID, field
 * "principles"): for callers that change more than the principles. */
int review_principles_check(const char *text, struct err_ctx *e);
/** The editors' change of the guiding principles (page and API): edit right on the framework
 * (ERR_DENIED before anything else), `version` = the framework version being edited
 * (ERR_CONFLICT, field "version", when stale), at most REVIEW_PRINCIPLES_MAX code points. Bumps
 * the framework version with a history entry ("Leidende principes gewijzigd") and audits
 * framework.principles, in one transaction. An unchanged text changes nothing. */
int review_update_principles(struct store *s, const struct actor *who, int64_t framework_id,
                             int64_t version, const char *text, struct err_ctx *e);

/** The criterion -> indicator links of a framework's criteria. */
int review_links(struct arena *a, struct store *s, int64_t framework_id,
                 struct criterion_link **out, int *n);
/** Links or unlinks an indicator to a criterion (edit right on the criterion). */
int review_link_indicator(struct store *s, const struct actor *who, int64_t criterion_id,
                          int64_t indicator_id, bool linked, struct err_ctx *e);
/** The links of one criterion, by indicator name. */
int review_criterion_links(struct arena *a, struct store *s, int64_t criterion_id,
                           struct criterion_link **out, int *n);
/** The active (not archived) indicators that a criterion can be linked to, by name
 * (criterion_id 0). */
int review_indicator_choices(struct arena *a, struct store *s, struct criterion_link **out, int *n);
/** Replaces the indicators linked to a criterion by ids[0..n-1] (edit right on the criterion,
 * checked first; each id an active indicator, else ERR_INVALID field "indicator_id"; at most
 * REVIEW_LINKS_MAX; duplicates ignored). One transaction, audited (criterion.indicator) with
 * what was added and removed; nothing changed, nothing written. */
int review_set_criterion_links(struct store *s, const struct actor *who, int64_t criterion_id,
                               const int64_t *ids, int n, struct err_ctx *e);

/** The aanbieders for the provider overview: an aanbieder user sees its own; others every
 * active aanbieder, with the latest review they may view and the open events. */
/** The regions and gemeenten that reviewed the aanbieder (for the mirror report's audience).
 * No policy: the caller decides what the list is for. Arena-owned. */
int review_owners_of_aanbieder(struct arena *a, struct store *s, int64_t aanbieder_id,
                               int64_t **out, int *n);
int review_providers(struct arena *a, struct store *s, const struct actor *who,
                     struct review_provider **out, int *n);

/** The policy object of a review (OBJ_REVIEW): owner = the verifying organisation with its
 * kind; parties = the aanbieder. Arrays arena-owned. */
void review_object(const struct review *r, struct arena *a, struct object_ref *out);

/** One review if the actor may view it; ERR_NOT_FOUND otherwise (existence not revealed). */
int review_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
               struct review *out);

/**
 * The latest decided (else the latest) review of an aanbieder that the actor may view, with its
 * status per theme: for the mirror report and the provider page. *found false when there is
 * none. Arrays arena-owned.
 */
int review_latest_status(struct arena *a, struct store *s, const struct actor *who,
                         int64_t aanbieder_id, struct review *out, bool *found,
                         struct review_theme_status **themes, int *nthemes);

#endif
