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
