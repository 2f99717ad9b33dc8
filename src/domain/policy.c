/*
 * policy.c: the one authorisation policy (DESIGN.md §7). Every access decision in duiding is
 * made here from (actor, action, object); callers only ask. The rules, copied to
 * docs/security.md:
 *
 * | object       | list              | view                    | create/edit/archive  | reset pw  |
 * |--------------|-------------------|-------------------------|----------------------|-----------|
 * | organisation | every user        | every user              | beheerder            | no one    |
 * | user         | every user (1)    | beheerder/self/same org | beheerder            | beheerder |
 * | result       | every user        | every user              | beleid of owner (2)  | no one    |
 * | audit        | beheerder         | beheerder               | no one               | no one    |
 * | api_token    | beheerder/own (3) | beheerder/own (3)       | beheerder/own (3)(4) | no one    |
 * | system       | beheerder         | beheerder               | beheerder            | no one    |
 *
 * | object           | list / view             | create                 | undo / edit / archive   |
 * |------------------|-------------------------|------------------------|-------------------------|
 * | import_batch     | beheerder; deliverer(5) | beheerder; deliverer(5)| beheerder; deliverer(5) |
 * |                  | of the owner org        |                        | of the owner org        |
 * | mapping_profile  | beheerder; kwaliteit of | beheerder; kwaliteit   | beheerder; kwaliteit of |
 * |                  | the owner aanbieder     | of the owner aanbieder | the owner aanbieder     |
 *
 *
 * | object           | list / view             | create / edit / archive                       |
 * |------------------|-------------------------|-----------------------------------------------|
 * | indicator        | every user              | beheerder; beleid of the owner gemeente or    |
 * |                  |                         | region (6); standard set: beheerder only      |
 * | indicator_target | every user              | beheerder; beleid or contract of the owner    |
 * |                  |                         | gemeente or region (6)                        |
 * | figures          | every user with a scope | no one (figures are computed, not edited)     |
 *
 * | object            | list / view                  | create / edit / archive               |
 * |-------------------|------------------------------|---------------------------------------|
 * | survey            | every user                   | beheerder; beleid of the owner (6)    |
 * | survey_round      | beheerder; owner org; round's| beheerder; beleid or contract of the  |
 * |                   | aanbieder (7)                | owner (6)                             |
 * | survey_open_answer| content roles (8) of the     | (review) beleid of the owner          |
 * |                   | owner; of the round's        |                                       |
 * |                   | aanbieder unless flagged     |                                       |
 * | story             | by consent (9)               | create: content roles (8); edit /     |
 * |                   |                              | archive: content roles of the owner   |
 * | context_event     | every user                   | beheerder; content roles (8) of the   |
 * |                   |                              | owner                                 |
 * | framework         | every user                   | beheerder; beleid or contract of the  |
 * |                   |                              | owner region (10)                     |
 * | criterion         | every user                   | beheerder; beleid or contract of the  |
 * |                   |                              | owner: the region, or the gemeente of |
 * |                   |                              | a local criterion (10)                |
 *
 * Figure scope (policy_figure_scope): beheerder and toezichthouder see figures over all data;
 * a region (and a toegang team) over the gemeenten of its regions; a gemeente over its own
 * residents (with every aanbieder); an aanbieder over its own trajectories, beside an
 * anonymised benchmark. Raad members have their organisation's scope, published audience.
 *
 * - Anonymous actors (user_id 0) are refused everything; so is any unknown action or object.
 * - Audit events are written internally (audit_write), never through the policy; the log is
 *   append-only.
 * - API tokens (actor.via_token): list and view also need SCOPE_READ, every other action
 *   SCOPE_WRITE, on top of the role rules above. A token never widens what its user may do.
 * - (1) user_list limits a non-beheerder to the users of their own organisation.
 * - (2) The actor holds ROLE_BELEID, the actor's organisation is a gemeente or region, the
 *   result's owner organisation is the actor's own (owner_org_id == actor.org_id), and the
 *   owner is a gemeente or region. Beleid of gemeente A can never change a result of B.
 * - (3) Owner: the token belongs to the acting user (object id == actor.user_id; for
 *   OBJ_API_TOKEN callers set obj.id to the token owner's user id).
 * - (4) Archive (revoke) works through a token; create and edit do not, so a leaked token cannot
 *   mint itself a longer-lived successor.
 * - (5) A deliverer is a user of a gemeente or region with the role contract, beleid or
 *   backoffice, or of an aanbieder with the role kwaliteit. Which records a deliverer may
 *   bring in (own residents, own AGB code) is checked record by record in ingest/pipeline.c.
 *   Creating an import batch through a token needs SCOPE_IMPORT instead of SCOPE_WRITE.
 * - (6) Same rule as (2): owner_org_id == actor.org_id and the owner is a gemeente or region.
 * - (7) Listing is allowed to every user; survey_round lists show only the rounds the actor may
 *   view. The round's aanbieder (party) sees its rounds' response rates, never the codes: the
 *   codes and letters are ACT_EDIT.
 * - (8) Content roles: beleid, contract or kwaliteit, of an organisation that is not a
 *   toezichthouder. Raad, professional and toezicht roles read only what is shared with all.
 * - (9) Stories: consent publicatie (SHARE_ALL) every user; gesprek (SHARE_PARTIES) the users
 *   with a content role (8) or the professional role of the owner and of the party
 *   organisations; intern (SHARE_OWNER) those of the owner. Raad members read what is
 *   published, as with figures. The
 *   beheerder has no special right to read stories or open answers: they are content, not
 *   administration.
 * - (10) Same rule as (2) with contract too: owner_org_id == actor.org_id. A framework belongs to
 *   a region (the domain refuses other owners); a regional criterion is owned by the region, a
 *   local criterion by its gemeente (which must be part of the framework's region: checked by
 *   domain/framework.c). A region cannot change a gemeente's local points, nor a gemeente the
 *   regional ones. Merging duplicates needs edit on both criteria.
 *
 * The quality conversation cycle (docs/conversations.md):
 *
 * | object        | list / view                            | create / edit / archive / approve    |
 * |---------------|----------------------------------------|--------------------------------------|
 * | theory        | every user                             | beheerder; beleid or contract of the |
 * |               |                                        | owner (6); content roles (8) of a    |
 * |               |                                        | party aanbieder (11)                 |
 * | conversation  | list: every user (12); view: members   | create: beleid or contract of a      |
 * |               | (13)                                   | gemeente/region for itself; edit:    |
 * |               |                                        | members (13) except raad; archive    |
 * |               |                                        | (cancel): beleid/contract of the     |
 * |               |                                        | owner; approve: content roles of a   |
 * |               |                                        | party (14)                           |
 * | prep_note     | members (13) of the note's side until  | create/edit: members (13) of the     |
 * |               | shared; then every member              | note's side                          |
 * | action        | list: every user (12); view: members   | create/edit: content roles of the    |
 * |               | (13) of its conversation, the owner    | owner party or of a conversation     |
 * |               | party's content roles                  | party; invited participants (not     |
 * |               |                                        | raad)                                |
 * | conv_stats    | beleid/contract of the owner or of one | no one                               |
 * |               | of its regions (15)                    |                                      |
 *
 * - (11) Parties of a theory: the aanbieders named in its activities. The domain lets an
 *   aanbieder change only its own activities (domain/theory.c).
 * - (12) Lists show only what the actor may view.
 * - (13) Members of a conversation: users with a content role (8) or the professional role of
 *   the owner or a party organisation, and the invited participants (any organisation, any
 *   role). Conversation records are content: the beheerder has no special right to them, and a
 *   raad member reads them only when invited (and then cannot change them).
 * - (14) Approving the minutes is done per side: a content-role user of a party organisation
 *   approves for that organisation.
 * - (15) Only counts and averages over at least three evaluations leave domain/conversation.c;
 *   a region sees the conversations of its gemeenten, a gemeente its own.
 *
 * Verification of providers and contracts (docs/verification.md, docs/contracts.md):
 *
 * | object         | list / view                          | create / edit / archive / approve    |
 * |----------------|--------------------------------------|--------------------------------------|
 * | review         | list: every user (12); view: the     | create/archive: beleid or contract   |
 * |                | review's people (16)                 | of the owner (6); edit: holders of a |
 * |                |                                      | viewpoint (17); approve (decision):  |
 * |                |                                      | contract of the owner                |
 * | review_view    | its own viewpoint and the contract   | create/edit: holders of that         |
 * |                | manager; once shared every review    | viewpoint (17)                       |
 * |                | person (16) (18)                     |                                      |
 * | evidence       | the review's people (16)             | create/archive: holders of a         |
 * |                |                                      | viewpoint (17)                       |
 * | provider_event | list: every user (12); view: the     | create/edit/archive: content roles   |
 * |                | owner, the aanbieder, contract or    | of the owner; the aanbieder itself;  |
 * |                | beleid of any gemeente/region, the   | a toezichthouder (19)                |
 * |                | toezichthouder                       |                                      |
 * | contract       | list: every user (12); view: content | beleid or contract of the owner (6)  |
 * |                | roles or back office in the owner's  |                                      |
 * |                | region or of a party (20)            |                                      |
 * | mirror_report  | content roles of the aanbieder; of   | no one (it is computed)              |
 * |                | the gemeenten/regions contracting or |                                      |
 * |                | reviewing it                         |                                      |
 *
 * - (16) The people of a review: the holders of a viewpoint (17), and the content roles and back
 *   office of the verifying organisation and of the gemeenten in it (region). Beheerder and
 *   raad have no part in reviews.
 * - (17) Viewpoints (policy_review_viewpoints): aanbieder = content roles of the reviewed
 *   aanbieder; contract manager = the contract role of the verifying organisation or of a
 *   gemeente in that region; toegang = users of a toegang team in the region (not raad); back
 *   office = the backoffice role in the region; toezichthouder = the toezicht role of a
 *   toezichthouder organisation. A user holds every viewpoint their roles give.
 * - (18) A view is shared with the other review people when its writer says so (the supervisor's
 *   is not shared until then; the others are shared by default). The aanbieder sees the views
 *   shared with it and its own.
 * - (19) A provider event records a calamity, supervisor measure or complaint without person
 *   data (checked by domain/anon_check.c).
 * - (20) In the owner's region: the owner itself or a gemeente of the owning region. Parties: the
 *   aanbieder and the taking-part gemeenten.
 */
#include "domain/policy.h"
#include "core/common.h"
#include "domain/auth.h"

static bool has_role(const struct actor *a, enum role r)
{
    return (a->roles & (uint32_t)r) != 0;
}

static bool is_read(enum action act)
{
    return act == ACT_LIST || act == ACT_VIEW;
}

static bool is_change(enum action act)
{
    return act == ACT_CREATE || act == ACT_EDIT || act == ACT_ARCHIVE;
}

static bool owns_results(enum org_kind k)
{
    return k == ORG_GEMEENTE || k == ORG_REGION;
}

static bool allows_organisation(const struct actor *a, enum action act)
{
    if (is_read(act))
        return true;
    return is_change(act) && has_role(a, ROLE_BEHEERDER);
}

static bool allows_user(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (has_role(a, ROLE_BEHEERDER))
        return is_read(act) || is_change(act) || act == ACT_RESET_PASSWORD;
    if (act == ACT_LIST)
        return true;
    if (act == ACT_VIEW)
        return (obj->id != 0 && obj->id == a->user_id) ||
               (obj->owner_org_id != 0 && obj->owner_org_id == a->org_id);
    return false;
}

/* Beleid (and contract, where allowed) of the gemeente or region that owns the object. */
static bool owner_beleid(const struct actor *a, const struct object_ref *obj, bool contract_too)
{
    bool role = has_role(a, ROLE_BELEID) || (contract_too && has_role(a, ROLE_CONTRACT));
    return role && owns_results(a->org_kind) && a->org_id != 0 && obj->owner_org_id == a->org_id &&
           owns_results(obj->owner_org_kind);
}

static bool allows_result(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (is_read(act))
        return true;
    if (!is_change(act))
        return false;
    return owner_beleid(a, obj, false);
}

static bool allows_api_token(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (!is_read(act) && !is_change(act))
        return false;
    if (a->via_token && (act == ACT_CREATE || act == ACT_EDIT))
        return false;
    if (has_role(a, ROLE_BEHEERDER))
        return true;
    return obj->id != 0 && obj->id == a->user_id;
}

static bool is_deliverer(const struct actor *a)
{
    if (a->org_kind == ORG_GEMEENTE || a->org_kind == ORG_REGION)
        return has_role(a, ROLE_CONTRACT) || has_role(a, ROLE_BELEID) ||
               has_role(a, ROLE_BACKOFFICE);
    if (a->org_kind == ORG_AANBIEDER)
        return has_role(a, ROLE_KWALITEIT);
    return false;
}

static bool allows_import_batch(const struct actor *a, enum action act,
                                const struct object_ref *obj)
{
    if (!is_read(act) && act != ACT_CREATE && act != ACT_UNDO)
        return false;
    if (has_role(a, ROLE_BEHEERDER))
        return true;
    if (!is_deliverer(a) || a->org_id == 0)
        return false;
    if (act == ACT_LIST || act == ACT_CREATE)
        return true; /* batch_list shows only the actor's own organisation's batches */
    return obj->owner_org_id == a->org_id;
}

static bool allows_mapping_profile(const struct actor *a, enum action act,
                                   const struct object_ref *obj)
{
    if (!is_read(act) && !is_change(act))
        return false;
    if (has_role(a, ROLE_BEHEERDER))
        return true;
    if (a->org_kind != ORG_AANBIEDER || !has_role(a, ROLE_KWALITEIT) || a->org_id == 0)
        return false;
    if (act == ACT_LIST)
        return true; /* profile_list shows only the actor's own profiles */
    return obj->owner_org_id == a->org_id;
}

static bool allows_indicator(const struct actor *a, enum action act, const struct object_ref *obj,
                             bool contract_too)
{
    if (is_read(act))
        return true;
    if (!is_change(act))
        return false;
    if (has_role(a, ROLE_BEHEERDER))
        return true;
    if (obj->owner_org_id == 0) /* the standard set: only a beheerder changes its settings */
        return false;
    return owner_beleid(a, obj, contract_too);
}

static bool has_content_role(const struct actor *a)
{
    return a->org_id != 0 && a->org_kind != ORG_TOEZICHTHOUDER &&
           (has_role(a, ROLE_BELEID) || has_role(a, ROLE_CONTRACT) || has_role(a, ROLE_KWALITEIT));
}

static bool is_party(const struct actor *a, const struct object_ref *obj)
{
    if (a->org_id == 0)
        return false;
    for (int i = 0; i < obj->nparties; i++)
        if (obj->party_org_ids && obj->party_org_ids[i] == a->org_id)
            return true;
    return false;
}

/* Whether the actor's organisation may read an object shared at obj->share. */
static bool shared_with(const struct actor *a, const struct object_ref *obj)
{
    if (a->org_id != 0 && obj->owner_org_id == a->org_id)
        return true;
    switch (obj->share) {
    case SHARE_ALL:
        return true;
    case SHARE_PARTIES:
        return is_party(a, obj);
    case SHARE_OWNER:
        return false;
    }
    return false;
}

static bool allows_survey(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (is_read(act))
        return true;
    if (!is_change(act))
        return false;
    return has_role(a, ROLE_BEHEERDER) || owner_beleid(a, obj, false);
}

static bool allows_survey_round(const struct actor *a, enum action act,
                                const struct object_ref *obj)
{
    if (act == ACT_LIST)
        return true; /* the list shows only rounds the actor may view */
    if (has_role(a, ROLE_BEHEERDER))
        return act == ACT_VIEW || is_change(act);
    if (act == ACT_VIEW)
        return a->org_id != 0 && (obj->owner_org_id == a->org_id || is_party(a, obj));
    return is_change(act) && owner_beleid(a, obj, true);
}

static bool allows_open_answer(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (act == ACT_EDIT) /* review: release or redact a flagged answer */
        return has_role(a, ROLE_BELEID) && a->org_id != 0 && obj->owner_org_id == a->org_id;
    if (!is_read(act) || !has_content_role(a))
        return false;
    return obj->owner_org_id == a->org_id || (obj->share != SHARE_OWNER && is_party(a, obj));
}

static bool allows_story(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (act == ACT_LIST)
        return true;     /* the list shows only stories the actor may view */
    if (act == ACT_VIEW) /* a raad member reads what is published, like the figures */
        return obj->share == SHARE_ALL ||
               ((has_content_role(a) || has_role(a, ROLE_PROFESSIONAL)) && shared_with(a, obj));
    if (act == ACT_CREATE)
        return has_content_role(a) && obj->owner_org_id == a->org_id;
    return is_change(act) && has_content_role(a) && obj->owner_org_id == a->org_id;
}

static bool allows_context_event(const struct actor *a, enum action act,
                                 const struct object_ref *obj)
{
    if (is_read(act))
        return true;
    if (!is_change(act))
        return false;
    if (has_role(a, ROLE_BEHEERDER))
        return true;
    return has_content_role(a) && obj->owner_org_id == a->org_id;
}

/* A framework belongs to a region: a gemeente's beleid may not make one of its own (its local
 * points are criteria of the regional framework). */
static bool allows_framework(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (is_change(act) && !has_role(a, ROLE_BEHEERDER) && obj->owner_org_kind != ORG_REGION)
        return false;
    return allows_indicator(a, act, obj, true);
}

static bool is_participant(const struct actor *a, const struct object_ref *obj)
{
    for (int i = 0; i < obj->nparticipants; i++)
        if (obj->participant_user_ids && obj->participant_user_ids[i] == a->user_id)
            return true;
    return false;
}

/* (13): the people a conversation's records are for. */
static bool is_member(const struct actor *a, const struct object_ref *obj)
{
    if (is_participant(a, obj))
        return true;
    if (!has_content_role(a) && !(has_role(a, ROLE_PROFESSIONAL) && a->org_id != 0))
        return false;
    return obj->owner_org_id == a->org_id || is_party(a, obj);
}

static bool allows_theory(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (is_read(act))
        return true;
    if (act != ACT_CREATE && act != ACT_EDIT)
        return false;
    return has_role(a, ROLE_BEHEERDER) || owner_beleid(a, obj, true) ||
           (has_content_role(a) && a->org_kind == ORG_AANBIEDER && is_party(a, obj));
}

static bool allows_conversation(const struct actor *a, enum action act,
                                const struct object_ref *obj)
{
    switch (act) {
    case ACT_LIST:
        return true;
    case ACT_VIEW:
        return is_member(a, obj);
    case ACT_CREATE:
        return owner_beleid(a, obj, true);
    case ACT_EDIT:
        return is_member(a, obj) && !has_role(a, ROLE_RAAD);
    case ACT_ARCHIVE:
        return owner_beleid(a, obj, true);
    case ACT_APPROVE:
        return has_content_role(a) && (obj->owner_org_id == a->org_id || is_party(a, obj));
    default:
        return false;
    }
}

static bool allows_prep_note(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (act == ACT_LIST)
        return true;
    if (!is_member(a, obj))
        return false;
    bool own_side = a->org_id != 0 && obj->owner_org_id == a->org_id;
    if (act == ACT_VIEW)
        return own_side || obj->share != SHARE_OWNER;
    return (act == ACT_CREATE || act == ACT_EDIT || act == ACT_ARCHIVE) && own_side &&
           !has_role(a, ROLE_RAAD);
}

static bool allows_action(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (act == ACT_LIST)
        return true;
    bool owner_side = has_content_role(a) && obj->owner_org_id == a->org_id;
    if (act == ACT_VIEW)
        return owner_side || is_member(a, obj);
    if (!is_change(act) || has_role(a, ROLE_RAAD))
        return false;
    return owner_side || (has_content_role(a) && is_party(a, obj)) || is_participant(a, obj);
}

static bool allows_conversation_stats(const struct actor *a, enum action act,
                                      const struct object_ref *obj)
{
    if (!is_read(act) || !(has_role(a, ROLE_BELEID) || has_role(a, ROLE_CONTRACT)) ||
        !owns_results(a->org_kind) || a->org_id == 0)
        return false;
    if (obj->owner_org_id == a->org_id)
        return true;
    for (int i = 0; i < obj->owner_nregions; i++)
        if (obj->owner_region_ids && obj->owner_region_ids[i] == a->org_id)
            return true;
    return false;
}

/* The owner organisation itself, or an organisation in the owner region (a gemeente of it, or
 * a toegang team of such a gemeente). */
static bool in_owner_region(const struct actor *a, const struct object_ref *obj)
{
    if (a->org_id == 0 || obj->owner_org_id == 0)
        return false;
    if (obj->owner_org_id == a->org_id)
        return true;
    for (int i = 0; i < a->nregions && i < ACTOR_MAX_REGIONS; i++)
        if (a->region_ids[i] == obj->owner_org_id)
            return true;
    return false;
}

/* Like is_party, but a gemeente also counts when one of its regions is a party. */
static bool is_party_or_in_party_region(const struct actor *a, const struct object_ref *obj)
{
    if (is_party(a, obj))
        return true;
    for (int i = 0; i < obj->nparties; i++)
        for (int j = 0; obj->party_org_ids && j < a->nregions && j < ACTOR_MAX_REGIONS; j++)
            if (obj->party_org_ids[i] == a->region_ids[j])
                return true;
    return false;
}

unsigned policy_review_viewpoints(const struct actor *a, const struct object_ref *review)
{
    if (!a || !review || a->user_id == 0 || a->org_id == 0)
        return 0;
    unsigned v = 0;
    if (a->org_kind == ORG_AANBIEDER && has_content_role(a) && is_party(a, review))
        v |= VIEWPOINT_AANBIEDER;
    if (owns_results(a->org_kind) && in_owner_region(a, review)) {
        if (has_role(a, ROLE_CONTRACT))
            v |= VIEWPOINT_CONTRACTMANAGER;
        if (has_role(a, ROLE_BACKOFFICE))
            v |= VIEWPOINT_BACKOFFICE;
    }
    if (a->org_kind == ORG_TOEGANG && in_owner_region(a, review) && a->roles != ROLE_RAAD)
        v |= VIEWPOINT_TOEGANG;
    if (a->org_kind == ORG_TOEZICHTHOUDER && has_role(a, ROLE_TOEZICHT))
        v |= VIEWPOINT_TOEZICHTHOUDER;
    return v;
}

/* (16) */
static bool is_review_person(const struct actor *a, const struct object_ref *obj)
{
    if (policy_review_viewpoints(a, obj) != 0)
        return true;
    return owns_results(a->org_kind) && in_owner_region(a, obj) &&
           (has_content_role(a) || has_role(a, ROLE_BACKOFFICE));
}

static bool allows_review(const struct actor *a, enum action act, const struct object_ref *obj)
{
    switch (act) {
    case ACT_LIST:
        return true;
    case ACT_VIEW:
        return is_review_person(a, obj);
    case ACT_CREATE:
    case ACT_ARCHIVE:
        return owner_beleid(a, obj, true);
    case ACT_EDIT:
        return policy_review_viewpoints(a, obj) != 0;
    case ACT_APPROVE:
        return has_role(a, ROLE_CONTRACT) && owns_results(a->org_kind) && a->org_id != 0 &&
               obj->owner_org_id == a->org_id;
    default:
        return false;
    }
}

static bool allows_review_view(const struct actor *a, enum action act, const struct object_ref *obj)
{
    unsigned mine = policy_review_viewpoints(a, obj);
    if (act == ACT_LIST)
        return true;
    if (act == ACT_VIEW) {
        if (!is_review_person(a, obj))
            return false;
        if (obj->share != SHARE_OWNER || (mine & obj->viewpoint) != 0)
            return true;
        return (mine & VIEWPOINT_CONTRACTMANAGER) != 0; /* (18) the verifier sees every view */
    }
    return (act == ACT_CREATE || act == ACT_EDIT) && obj->viewpoint != 0 &&
           (mine & obj->viewpoint) == obj->viewpoint;
}

static bool allows_evidence(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (is_read(act))
        return is_review_person(a, obj);
    return (act == ACT_CREATE || act == ACT_ARCHIVE) && policy_review_viewpoints(a, obj) != 0;
}

static bool allows_provider_event(const struct actor *a, enum action act,
                                  const struct object_ref *obj)
{
    bool supervisor = a->org_kind == ORG_TOEZICHTHOUDER && has_role(a, ROLE_TOEZICHT);
    bool owner =
        a->org_id != 0 && obj->owner_org_id == a->org_id && (has_content_role(a) || supervisor);
    if (act == ACT_LIST)
        return true;
    if (act == ACT_VIEW)
        return owner || supervisor || (has_content_role(a) && is_party(a, obj)) ||
               (owns_results(a->org_kind) &&
                (has_role(a, ROLE_CONTRACT) || has_role(a, ROLE_BELEID)));
    if (act == ACT_CREATE)
        return owner && (owns_results(a->org_kind) || supervisor ||
                         (a->org_kind == ORG_AANBIEDER && is_party(a, obj)));
    return (act == ACT_EDIT || act == ACT_ARCHIVE) && owner;
}

static bool allows_contract(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (act == ACT_LIST)
        return true;
    if (act == ACT_VIEW)
        return (has_content_role(a) || has_role(a, ROLE_BACKOFFICE)) &&
               (in_owner_region(a, obj) || is_party(a, obj));
    return is_change(act) && owner_beleid(a, obj, true);
}

static bool allows_mirror_report(const struct actor *a, enum action act,
                                 const struct object_ref *obj)
{
    if (act == ACT_LIST)
        return true;
    if (act != ACT_VIEW || !has_content_role(a))
        return false;
    return (a->org_kind == ORG_AANBIEDER && obj->owner_org_id == a->org_id) ||
           (owns_results(a->org_kind) && is_party_or_in_party_region(a, obj));
}

static bool allows_figures(const struct actor *a, enum action act)
{
    struct figure_scope fs;
    policy_figure_scope(a, &fs);
    return is_read(act) && fs.kind != FIGSCOPE_NONE;
}

void policy_figure_scope(const struct actor *a, struct figure_scope *out)
{
    memset(out, 0, sizeof *out);
    out->kind = FIGSCOPE_NONE;
    if (!a || a->user_id == 0 || a->org_id == 0)
        return;
    out->org_id = a->org_id;
    if (has_role(a, ROLE_BEHEERDER) || a->org_kind == ORG_TOEZICHTHOUDER) {
        out->kind = FIGSCOPE_ALL;
        return;
    }
    switch (a->org_kind) {
    case ORG_REGION:
    case ORG_TOEGANG:
        out->kind = FIGSCOPE_REGIONS;
        for (int i = 0; i < a->nregions && i < ACTOR_MAX_REGIONS; i++)
            out->region_ids[out->nregions++] = a->region_ids[i];
        if (a->org_kind == ORG_REGION && out->nregions == 0)
            out->region_ids[out->nregions++] = a->org_id;
        if (out->nregions == 0)
            out->kind = FIGSCOPE_NONE;
        return;
    case ORG_GEMEENTE:
        out->kind = FIGSCOPE_GEMEENTE;
        return;
    case ORG_AANBIEDER:
        out->kind = FIGSCOPE_AANBIEDER;
        return;
    case ORG_TOEZICHTHOUDER:
        return;
    }
}

static bool allows_beheerder_read(const struct actor *a, enum action act)
{
    return is_read(act) && has_role(a, ROLE_BEHEERDER);
}

static bool allows_system(const struct actor *a, enum action act)
{
    return (is_read(act) || is_change(act)) && has_role(a, ROLE_BEHEERDER);
}

bool policy_allows(const struct actor *a, enum action act, const struct object_ref *obj)
{
    if (!a || !obj || a->user_id == 0)
        return false;
    if (a->via_token) {
        uint32_t need = is_read(act) ? SCOPE_READ : SCOPE_WRITE;
        if (obj->kind == OBJ_IMPORT_BATCH && act == ACT_CREATE)
            need = SCOPE_IMPORT;
        if ((a->token_scopes & need) == 0)
            return false;
    }
    switch (obj->kind) {
    case OBJ_ORGANISATION:
        return allows_organisation(a, act);
    case OBJ_USER:
        return allows_user(a, act, obj);
    case OBJ_RESULT:
        return allows_result(a, act, obj);
    case OBJ_AUDIT:
        return allows_beheerder_read(a, act);
    case OBJ_API_TOKEN:
        return allows_api_token(a, act, obj);
    case OBJ_SYSTEM:
        return allows_system(a, act);
    case OBJ_IMPORT_BATCH:
        return allows_import_batch(a, act, obj);
    case OBJ_MAPPING_PROFILE:
        return allows_mapping_profile(a, act, obj);
    case OBJ_INDICATOR:
        return allows_indicator(a, act, obj, false);
    case OBJ_INDICATOR_TARGET:
        return allows_indicator(a, act, obj, true);
    case OBJ_FIGURES:
        return allows_figures(a, act);
    case OBJ_SURVEY:
        return allows_survey(a, act, obj);
    case OBJ_SURVEY_ROUND:
        return allows_survey_round(a, act, obj);
    case OBJ_SURVEY_OPEN_ANSWER:
        return allows_open_answer(a, act, obj);
    case OBJ_STORY:
        return allows_story(a, act, obj);
    case OBJ_CONTEXT_EVENT:
        return allows_context_event(a, act, obj);
    case OBJ_FRAMEWORK:
        return allows_framework(a, act, obj);
    case OBJ_CRITERION:
        return allows_indicator(a, act, obj, true);
    case OBJ_THEORY:
        return allows_theory(a, act, obj);
    case OBJ_CONVERSATION:
        return allows_conversation(a, act, obj);
    case OBJ_PREP_NOTE:
        return allows_prep_note(a, act, obj);
    case OBJ_ACTION:
        return allows_action(a, act, obj);
    case OBJ_CONVERSATION_STATS:
        return allows_conversation_stats(a, act, obj);
    case OBJ_REVIEW:
        return allows_review(a, act, obj);
    case OBJ_REVIEW_VIEW:
        return allows_review_view(a, act, obj);
    case OBJ_EVIDENCE:
        return allows_evidence(a, act, obj);
    case OBJ_PROVIDER_EVENT:
        return allows_provider_event(a, act, obj);
    case OBJ_CONTRACT:
        return allows_contract(a, act, obj);
    case OBJ_MIRROR_REPORT:
        return allows_mirror_report(a, act, obj);
    }
    return false;
}

const char *action_code(enum action act)
{
    switch (act) {
    case ACT_LIST:
        return "list";
    case ACT_VIEW:
        return "view";
    case ACT_CREATE:
        return "create";
    case ACT_EDIT:
        return "edit";
    case ACT_ARCHIVE:
        return "archive";
    case ACT_RESET_PASSWORD:
        return "reset_password";
    case ACT_UNDO:
        return "undo";
    case ACT_APPROVE:
        return "approve";
    }
    return "unknown";
}

const char *object_kind_code(enum object_kind k)
{
    switch (k) {
    case OBJ_ORGANISATION:
        return "organisation";
    case OBJ_USER:
        return "user";
    case OBJ_RESULT:
        return "result";
    case OBJ_AUDIT:
        return "audit";
    case OBJ_API_TOKEN:
        return "api_token";
    case OBJ_SYSTEM:
        return "system";
    case OBJ_IMPORT_BATCH:
        return "import_batch";
    case OBJ_MAPPING_PROFILE:
        return "mapping_profile";
    case OBJ_INDICATOR:
        return "indicator";
    case OBJ_INDICATOR_TARGET:
        return "indicator_target";
    case OBJ_FIGURES:
        return "figures";
    case OBJ_SURVEY:
        return "survey";
    case OBJ_SURVEY_ROUND:
        return "survey_round";
    case OBJ_SURVEY_OPEN_ANSWER:
        return "survey_open_answer";
    case OBJ_STORY:
        return "story";
    case OBJ_CONTEXT_EVENT:
        return "context_event";
    case OBJ_FRAMEWORK:
        return "framework";
    case OBJ_CRITERION:
        return "criterion";
    case OBJ_THEORY:
        return "theory";
    case OBJ_CONVERSATION:
        return "conversation";
    case OBJ_PREP_NOTE:
        return "prep_note";
    case OBJ_ACTION:
        return "action";
    case OBJ_CONVERSATION_STATS:
        return "conversation_stats";
    case OBJ_REVIEW:
        return "review";
    case OBJ_REVIEW_VIEW:
        return "review_view";
    case OBJ_EVIDENCE:
        return "evidence";
    case OBJ_PROVIDER_EVENT:
        return "provider_event";
    case OBJ_CONTRACT:
        return "contract";
    case OBJ_MIRROR_REPORT:
        return "mirror_report";
    }
    return "unknown";
}
