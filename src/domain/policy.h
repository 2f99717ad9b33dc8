/*
 * policy.h: the one authorisation policy. Every page, API call and CLI command that touches
 * data asks policy_allows() with the acting user, the action and the object; nothing else
 * decides access. The rules are listed in docs/security.md and tested route x role.
 */
#ifndef DUIDING_DOMAIN_POLICY_H
#define DUIDING_DOMAIN_POLICY_H

#include "domain/actor.h"
#include <stdbool.h>
#include <stdint.h>

enum action {
    ACT_LIST,    /* see the collection */
    ACT_VIEW,    /* see one object */
    ACT_CREATE,  /* make a new object (owner_org_id = where it would belong) */
    ACT_EDIT,    /* change an object */
    ACT_ARCHIVE, /* archive / deactivate */
    ACT_RESET_PASSWORD,
    ACT_UNDO,    /* undo an import batch */
    ACT_APPROVE, /* approve the minutes of a conversation for the actor's own side */
};

enum object_kind {
    OBJ_ORGANISATION,
    OBJ_USER,
    OBJ_RESULT, /* maatschappelijk resultaat */
    OBJ_AUDIT,  /* the audit log */
    OBJ_API_TOKEN,
    OBJ_SYSTEM,             /* backups, keys, settings */
    OBJ_IMPORT_BATCH,       /* an import (owner_org_id = delivering organisation, 0 = system) */
    OBJ_MAPPING_PROFILE,    /* column-mapping profile (owner_org_id = the aanbieder) */
    OBJ_INDICATOR,          /* indicator definition (owner_org_id 0 = the shipped standard set) */
    OBJ_INDICATOR_TARGET,   /* streefwaarde (owner_org_id = the gemeente/region that agreed it) */
    OBJ_FIGURES,            /* aggregated indicator figures (which rows: policy_figure_scope) */
    OBJ_SURVEY,             /* questionnaire (owner_org_id = the gemeente or region running it) */
    OBJ_SURVEY_ROUND,       /* round with its invitation codes (parties: the round's aanbieder) */
    OBJ_SURVEY_OPEN_ANSWER, /* open-text answers of a round (share: SHARE_OWNER while flagged) */
    OBJ_STORY,              /* verhaal (share from its consent; parties: gemeente, aanbieder) */
    OBJ_CONTEXT_EVENT,      /* context event (owner: who recorded it) */
    OBJ_FRAMEWORK,          /* kwaliteitskader (owner_org_id = the region) */
    OBJ_CRITERION,          /* criterion (owner: the region, or the gemeente of a local one) */
    OBJ_THEORY,             /* verandertheorie of a result (owner: the result's owner; parties:
                               the aanbieders named in its activities) */
    OBJ_CONVERSATION,       /* kwaliteitsgesprek with its data packs, phase notes, conclusions
                               (owner: the planning gemeente/region; parties: the taking-part
                               organisations; participants: the invited users) */
    OBJ_PREP_NOTE,          /* preparation note (owner: the writer's side; share SHARE_OWNER until
                               shared, then SHARE_PARTIES; parties/participants: the conversation's) */
    OBJ_ACTION,             /* verbeteractie (owner: the owning party; parties and
                               participants: those of its conversation) */
    OBJ_CONVERSATION_STATS, /* evaluations aggregated over conversations (owner: the gemeente or
                               region whose conversations are counted) */
    OBJ_REVIEW,             /* toetsing of an aanbieder: admission, periodic or event-driven
                               (owner: the verifying region or gemeente; parties: the aanbieder) */
    OBJ_REVIEW_VIEW,        /* one viewpoint's verdicts in a review (as OBJ_REVIEW, plus
                               viewpoint; share: SHARE_OWNER while not shared, else SHARE_PARTIES) */
    OBJ_EVIDENCE,           /* bewijsstuk uploaded to a review (as OBJ_REVIEW) */
    OBJ_PROVIDER_EVENT,     /* calamity, supervisor measure or complaint about an aanbieder
                               (owner: the recording organisation; parties: the aanbieder) */
    OBJ_CONTRACT,           /* contract with outcome agreements and business figures (owner: the
                               contracting gemeente or region; parties: the aanbieder and the
                               taking-part gemeenten) */
    OBJ_MIRROR_REPORT,      /* spiegelrapportage of an aanbieder (owner: the aanbieder; parties:
                               the gemeenten and regions that contract or review it) */
};

/* The viewpoints of a provider review (triangulation), as bits. Who holds which is decided by
 * policy_review_viewpoints. */
enum review_viewpoint {
    VIEWPOINT_AANBIEDER = 1 << 0,       /* the aanbieder's self-evaluation */
    VIEWPOINT_CONTRACTMANAGER = 1 << 1, /* contract manager of the verifying region/gemeente */
    VIEWPOINT_TOEGANG = 1 << 2,         /* the access team (toegang) */
    VIEWPOINT_BACKOFFICE = 1 << 3,      /* the back office */
    VIEWPOINT_TOEZICHTHOUDER = 1 << 4,  /* the supervisor */
};
#define VIEWPOINT_COUNT 5

/* How far an object is shared beyond its owner organisation (stories: the consent given;
 * open answers: held back for the owner while flagged). Zero is the most restrictive. */
enum share_level {
    SHARE_OWNER = 0, /* only the owner organisation */
    SHARE_PARTIES,   /* the owner and the party organisations of the object */
    SHARE_ALL,       /* every signed-in user */
};

struct object_ref {
    enum object_kind kind;
    int64_t id;           /* 0 for collections and creation */
    int64_t owner_org_id; /* organisation the object belongs to (user: their org; result: owner) */
    enum org_kind owner_org_kind;
    /* For objects owned by a gemeente: the regions that gemeente is part of. */
    const int64_t *owner_region_ids;
    int owner_nregions;
    /* Organisations that take part in the object besides its owner: the aanbieder of a survey
     * round, the gemeente organisation and aanbieder a story is about. */
    const int64_t *party_org_ids;
    int nparties;
    /* Users invited to the object personally (a conversation's participants), whatever their
     * organisation. */
    const int64_t *participant_user_ids;
    int nparticipants;
    enum share_level share;
    /* OBJ_REVIEW_VIEW: the viewpoint (one enum review_viewpoint bit) whose verdicts these are. */
    unsigned viewpoint;
};

/** True if actor may perform action on obj. Anonymous actors (user_id 0) are always refused. */
bool policy_allows(const struct actor *a, enum action act, const struct object_ref *obj);

/** The viewpoints (enum review_viewpoint bits) the actor may enter in a review described by obj
 * (kind OBJ_REVIEW: owner = the verifying organisation, parties = the aanbieder). 0: none. */
unsigned policy_review_viewpoints(const struct actor *a, const struct object_ref *review);

/* Which rows of person-level data an actor's figures may be computed from. */
enum figure_scope_kind {
    FIGSCOPE_NONE,      /* no figures at all */
    FIGSCOPE_ALL,       /* every gemeente and aanbieder (beheerder, toezichthouder) */
    FIGSCOPE_REGIONS,   /* the gemeenten of the regions in region_ids (region, toegang) */
    FIGSCOPE_GEMEENTE,  /* residents of gemeente org_id */
    FIGSCOPE_AANBIEDER, /* trajectories of aanbieder org_id (and the anonymised benchmark) */
};

struct figure_scope {
    enum figure_scope_kind kind;
    int64_t org_id;
    int64_t region_ids[ACTOR_MAX_REGIONS];
    int nregions;
};

/** The rows an actor's figures come from (rules in docs/security.md). Anonymous: NONE. */
void policy_figure_scope(const struct actor *a, struct figure_scope *out);

/** Stable names for logs, audit and the authorisation matrix test. */
const char *action_code(enum action act);
const char *object_kind_code(enum object_kind k);

#endif
