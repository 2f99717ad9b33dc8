/*
 * test_policy.c: the authorisation policy (domain/policy.c), table-driven: object kind x action
 * x role, own versus other organisation, and API tokens with and without scopes.
 */
#include "domain/policy.h"
#include "core/common.h"
#include "domain/auth.h"
#include <setjmp.h>
#include <cmocka.h>

/* Organisations of the scenario. */
enum { ORG_A = 20, ORG_B = 30, REGION_R = 40, PROVIDER_P = 50, BEHEER_ORG = 10 };

static const struct actor anon = {
    .user_id = 0, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_ALL};
static const struct actor beheerder = {
    .user_id = 1, .org_id = BEHEER_ORG, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER};
static const struct actor beleid_a = {
    .user_id = 2, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_BELEID};
static const struct actor beleid_b = {
    .user_id = 3, .org_id = ORG_B, .org_kind = ORG_GEMEENTE, .roles = ROLE_BELEID};
static const struct actor beleid_region = {
    .user_id = 4, .org_id = REGION_R, .org_kind = ORG_REGION, .roles = ROLE_BELEID};
static const struct actor contract_a = {
    .user_id = 5, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_CONTRACT};
/* A provider user who (wrongly) holds beleid: providers never own societal results. */
static const struct actor beleid_provider = {.user_id = 6,
                                             .org_id = PROVIDER_P,
                                             .org_kind = ORG_AANBIEDER,
                                             .roles = ROLE_KWALITEIT | ROLE_BELEID};
static const struct actor raad_a = {
    .user_id = 7, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_RAAD};
static const struct actor no_roles_a = {
    .user_id = 8, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = 0};
static const struct actor all_but_beheerder_a = {
    .user_id = 9, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_ALL & ~ROLE_BEHEERDER};
/* API tokens. */
static const struct actor beheerder_tok_read = {.user_id = 1,
                                                .org_id = BEHEER_ORG,
                                                .org_kind = ORG_REGION,
                                                .roles = ROLE_BEHEERDER,
                                                .via_token = true,
                                                .token_scopes = SCOPE_READ};
static const struct actor beheerder_tok_rw = {.user_id = 1,
                                              .org_id = BEHEER_ORG,
                                              .org_kind = ORG_REGION,
                                              .roles = ROLE_BEHEERDER,
                                              .via_token = true,
                                              .token_scopes = SCOPE_READ | SCOPE_WRITE};
static const struct actor beleid_a_tok_read = {.user_id = 2,
                                               .org_id = ORG_A,
                                               .org_kind = ORG_GEMEENTE,
                                               .roles = ROLE_BELEID,
                                               .via_token = true,
                                               .token_scopes = SCOPE_READ};
static const struct actor beleid_a_tok_import = {.user_id = 2,
                                                 .org_id = ORG_A,
                                                 .org_kind = ORG_GEMEENTE,
                                                 .roles = ROLE_BELEID,
                                                 .via_token = true,
                                                 .token_scopes = SCOPE_IMPORT};
static const struct actor beleid_a_tok_write = {.user_id = 2,
                                                .org_id = ORG_A,
                                                .org_kind = ORG_GEMEENTE,
                                                .roles = ROLE_BELEID,
                                                .via_token = true,
                                                .token_scopes = SCOPE_WRITE};
static const struct actor beleid_a_tok_all = {.user_id = 2,
                                              .org_id = ORG_A,
                                              .org_kind = ORG_GEMEENTE,
                                              .roles = ROLE_BELEID,
                                              .via_token = true,
                                              .token_scopes = SCOPE_ALL};
/* A token flag without scopes (e.g. a resolver bug) must not fall back to session rights. */
static const struct actor beheerder_tok_none = {.user_id = 1,
                                                .org_id = BEHEER_ORG,
                                                .org_kind = ORG_REGION,
                                                .roles = ROLE_BEHEERDER,
                                                .via_token = true,
                                                .token_scopes = 0};

static const int64_t regions_of_a[] = {REGION_R};

/* Intake: deliverers of gemeenten, regions and providers. */
static const struct actor kwaliteit_p = {
    .user_id = 11, .org_id = PROVIDER_P, .org_kind = ORG_AANBIEDER, .roles = ROLE_KWALITEIT};
static const struct actor professional_p = {
    .user_id = 12, .org_id = PROVIDER_P, .org_kind = ORG_AANBIEDER, .roles = ROLE_PROFESSIONAL};
static const struct actor contract_region = {
    .user_id = 13, .org_id = REGION_R, .org_kind = ORG_REGION, .roles = ROLE_CONTRACT};
/* Kwaliteit is a provider role: held by a gemeente user it gives no right to deliver. */
static const struct actor kwaliteit_a = {
    .user_id = 14, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_KWALITEIT};
static const struct actor toezicht_a = {
    .user_id = 15, .org_id = ORG_A, .org_kind = ORG_GEMEENTE, .roles = ROLE_TOEZICHT | ROLE_RAAD};
static const struct actor kwaliteit_p_tok_write = {.user_id = 11,
                                                   .org_id = PROVIDER_P,
                                                   .org_kind = ORG_AANBIEDER,
                                                   .roles = ROLE_KWALITEIT,
                                                   .via_token = true,
                                                   .token_scopes = SCOPE_READ | SCOPE_WRITE};
static const struct actor kwaliteit_p_tok_import = {.user_id = 11,
                                                    .org_id = PROVIDER_P,
                                                    .org_kind = ORG_AANBIEDER,
                                                    .roles = ROLE_KWALITEIT,
                                                    .via_token = true,
                                                    .token_scopes = SCOPE_IMPORT};
static const struct object_ref batches = {.kind = OBJ_IMPORT_BATCH};
static const struct object_ref batch_p = {
    .kind = OBJ_IMPORT_BATCH, .id = 1, .owner_org_id = PROVIDER_P};
static const struct object_ref batch_a = {.kind = OBJ_IMPORT_BATCH, .id = 2, .owner_org_id = ORG_A};
static const struct object_ref batch_system = {.kind = OBJ_IMPORT_BATCH, .id = 3};
static const struct object_ref profiles = {.kind = OBJ_MAPPING_PROFILE};
static const struct object_ref profile_p = {
    .kind = OBJ_MAPPING_PROFILE, .id = 1, .owner_org_id = PROVIDER_P};
static const struct object_ref profile_other = {
    .kind = OBJ_MAPPING_PROFILE, .id = 2, .owner_org_id = PROVIDER_P + 1};

static const struct object_ref orgs = {.kind = OBJ_ORGANISATION};
static const struct object_ref org_a = {
    .kind = OBJ_ORGANISATION, .id = ORG_A, .owner_org_id = ORG_A, .owner_org_kind = ORG_GEMEENTE};
static const struct object_ref users = {.kind = OBJ_USER};
static const struct object_ref new_user_a = {.kind = OBJ_USER, .owner_org_id = ORG_A};
static const struct object_ref user2 = {.kind = OBJ_USER, .id = 2, .owner_org_id = ORG_A};
static const struct object_ref user3 = {.kind = OBJ_USER, .id = 3, .owner_org_id = ORG_B};
static const struct object_ref user5 = {.kind = OBJ_USER, .id = 5, .owner_org_id = ORG_A};
static const struct object_ref results = {.kind = OBJ_RESULT};
static const struct object_ref new_result_a = {.kind = OBJ_RESULT,
                                               .owner_org_id = ORG_A,
                                               .owner_org_kind = ORG_GEMEENTE,
                                               .owner_region_ids = regions_of_a,
                                               .owner_nregions = 1};
static const struct object_ref result_a = {.kind = OBJ_RESULT,
                                           .id = 100,
                                           .owner_org_id = ORG_A,
                                           .owner_org_kind = ORG_GEMEENTE,
                                           .owner_region_ids = regions_of_a,
                                           .owner_nregions = 1};
static const struct object_ref result_b = {
    .kind = OBJ_RESULT, .id = 101, .owner_org_id = ORG_B, .owner_org_kind = ORG_GEMEENTE};
static const struct object_ref result_region = {
    .kind = OBJ_RESULT, .id = 102, .owner_org_id = REGION_R, .owner_org_kind = ORG_REGION};
static const struct object_ref result_provider = {
    .kind = OBJ_RESULT, .id = 103, .owner_org_id = PROVIDER_P, .owner_org_kind = ORG_AANBIEDER};
static const struct object_ref audit = {.kind = OBJ_AUDIT};
static const struct object_ref tokens_of2 = {.kind = OBJ_API_TOKEN, .id = 2, .owner_org_id = ORG_A};
static const struct object_ref tokens_of3 = {.kind = OBJ_API_TOKEN, .id = 3, .owner_org_id = ORG_B};
static const struct object_ref tokens_of5 = {.kind = OBJ_API_TOKEN, .id = 5, .owner_org_id = ORG_A};
static const struct object_ref tokens_of7 = {.kind = OBJ_API_TOKEN, .id = 7, .owner_org_id = ORG_A};
static const struct object_ref tokens_of_nobody = {.kind = OBJ_API_TOKEN};
static const struct object_ref sys = {.kind = OBJ_SYSTEM};
static const struct object_ref bogus_kind = {.kind = (enum object_kind)99};

/* Tellen en vertellen: surveys, rounds, open answers, stories, context events. */
static const int64_t party_p[] = {PROVIDER_P};
static const int64_t party_a_p[] = {ORG_A, PROVIDER_P};
static const struct actor kwaliteit_q = {
    .user_id = 16, .org_id = PROVIDER_P + 1, .org_kind = ORG_AANBIEDER, .roles = ROLE_KWALITEIT};
static const struct actor toezichthouder = {.user_id = 17,
                                            .org_id = 60,
                                            .org_kind = ORG_TOEZICHTHOUDER,
                                            .roles = ROLE_TOEZICHT | ROLE_KWALITEIT};
static const struct object_ref surveys = {.kind = OBJ_SURVEY};
static const struct object_ref survey_a = {
    .kind = OBJ_SURVEY, .id = 1, .owner_org_id = ORG_A, .owner_org_kind = ORG_GEMEENTE};
static const struct object_ref rounds = {.kind = OBJ_SURVEY_ROUND};
static const struct object_ref round_a_p = {.kind = OBJ_SURVEY_ROUND,
                                            .id = 1,
                                            .owner_org_id = ORG_A,
                                            .owner_org_kind = ORG_GEMEENTE,
                                            .party_org_ids = party_p,
                                            .nparties = 1};
static const struct object_ref open_ok = {.kind = OBJ_SURVEY_OPEN_ANSWER,
                                          .id = 1,
                                          .owner_org_id = ORG_A,
                                          .owner_org_kind = ORG_GEMEENTE,
                                          .party_org_ids = party_p,
                                          .nparties = 1,
                                          .share = SHARE_PARTIES};
static const struct object_ref open_flagged = {.kind = OBJ_SURVEY_OPEN_ANSWER,
                                               .id = 2,
                                               .owner_org_id = ORG_A,
                                               .owner_org_kind = ORG_GEMEENTE,
                                               .party_org_ids = party_p,
                                               .nparties = 1,
                                               .share = SHARE_OWNER};
static const struct object_ref story_new_a = {.kind = OBJ_STORY, .owner_org_id = ORG_A};
static const struct object_ref story_intern_p = {.kind = OBJ_STORY,
                                                 .id = 1,
                                                 .owner_org_id = PROVIDER_P,
                                                 .owner_org_kind = ORG_AANBIEDER,
                                                 .party_org_ids = party_a_p,
                                                 .nparties = 2,
                                                 .share = SHARE_OWNER};
static const struct object_ref story_gesprek_p = {.kind = OBJ_STORY,
                                                  .id = 2,
                                                  .owner_org_id = PROVIDER_P,
                                                  .owner_org_kind = ORG_AANBIEDER,
                                                  .party_org_ids = party_a_p,
                                                  .nparties = 2,
                                                  .share = SHARE_PARTIES};
static const struct object_ref story_public_p = {.kind = OBJ_STORY,
                                                 .id = 3,
                                                 .owner_org_id = PROVIDER_P,
                                                 .owner_org_kind = ORG_AANBIEDER,
                                                 .share = SHARE_ALL};
static const struct object_ref event_a = {
    .kind = OBJ_CONTEXT_EVENT, .id = 1, .owner_org_id = ORG_A, .owner_org_kind = ORG_GEMEENTE};
/* Quality framework: owned by the region; a local criterion by its gemeente. */
static const struct object_ref frameworks = {.kind = OBJ_FRAMEWORK};
static const struct object_ref framework_r = {
    .kind = OBJ_FRAMEWORK, .id = 1, .owner_org_id = REGION_R, .owner_org_kind = ORG_REGION};
static const struct object_ref framework_a = {
    .kind = OBJ_FRAMEWORK, .id = 2, .owner_org_id = ORG_A, .owner_org_kind = ORG_GEMEENTE};
static const struct object_ref criterion_r = {
    .kind = OBJ_CRITERION, .id = 1, .owner_org_id = REGION_R, .owner_org_kind = ORG_REGION};
static const struct object_ref criterion_local_a = {
    .kind = OBJ_CRITERION, .id = 2, .owner_org_id = ORG_A, .owner_org_kind = ORG_GEMEENTE};
static const struct object_ref criterion_local_p = {
    .kind = OBJ_CRITERION, .id = 3, .owner_org_id = PROVIDER_P, .owner_org_kind = ORG_AANBIEDER};

/* The conversation cycle: gemeente A plans with provider P; user 99 of gemeente B is invited. */
enum { INVITED_USER = 99 };
static const struct actor invited_b = {
    .user_id = INVITED_USER, .org_id = ORG_B, .org_kind = ORG_GEMEENTE, .roles = ROLE_RAAD};
static const struct actor invited_b_beleid = {
    .user_id = INVITED_USER, .org_id = ORG_B, .org_kind = ORG_GEMEENTE, .roles = ROLE_BELEID};
static const int64_t parties_p[] = {PROVIDER_P};
static const int64_t participants_conv[] = {INVITED_USER};
/* Every organisation of conv_a, the owner included (as conversation_object fills it). */
static const int64_t parties_conv_a[] = {ORG_A, PROVIDER_P};
static const struct object_ref theory_a = {.kind = OBJ_THEORY,
                                           .id = 100,
                                           .owner_org_id = ORG_A,
                                           .owner_org_kind = ORG_GEMEENTE,
                                           .party_org_ids = parties_p,
                                           .nparties = 1};
static const struct object_ref conversations = {.kind = OBJ_CONVERSATION};
static const struct object_ref new_conv_a = {
    .kind = OBJ_CONVERSATION, .owner_org_id = ORG_A, .owner_org_kind = ORG_GEMEENTE};
static const struct object_ref new_conv_p = {
    .kind = OBJ_CONVERSATION, .owner_org_id = PROVIDER_P, .owner_org_kind = ORG_AANBIEDER};
static const struct object_ref conv_a = {.kind = OBJ_CONVERSATION,
                                         .id = 7,
                                         .owner_org_id = ORG_A,
                                         .owner_org_kind = ORG_GEMEENTE,
                                         .party_org_ids = parties_p,
                                         .nparties = 1,
                                         .participant_user_ids = participants_conv,
                                         .nparticipants = 1};
static const struct object_ref note_p_unshared = {.kind = OBJ_PREP_NOTE,
                                                  .id = 1,
                                                  .owner_org_id = PROVIDER_P,
                                                  .owner_org_kind = ORG_AANBIEDER,
                                                  .party_org_ids = parties_conv_a,
                                                  .nparties = 2,
                                                  .participant_user_ids = participants_conv,
                                                  .nparticipants = 1,
                                                  .share = SHARE_OWNER};
static const struct object_ref note_p_shared = {.kind = OBJ_PREP_NOTE,
                                                .id = 2,
                                                .owner_org_id = PROVIDER_P,
                                                .owner_org_kind = ORG_AANBIEDER,
                                                .party_org_ids = parties_conv_a,
                                                .nparties = 2,
                                                .participant_user_ids = participants_conv,
                                                .nparticipants = 1,
                                                .share = SHARE_PARTIES};
static const struct object_ref action_p = {.kind = OBJ_ACTION,
                                           .id = 3,
                                           .owner_org_id = PROVIDER_P,
                                           .owner_org_kind = ORG_AANBIEDER,
                                           .party_org_ids = parties_conv_a,
                                           .nparties = 2,
                                           .participant_user_ids = participants_conv,
                                           .nparticipants = 1};
static const struct object_ref stats_a = {.kind = OBJ_CONVERSATION_STATS,
                                          .owner_org_id = ORG_A,
                                          .owner_org_kind = ORG_GEMEENTE,
                                          .owner_region_ids = regions_of_a,
                                          .owner_nregions = 1};

struct rule_case {
    const char *why;
    const struct actor *a;
    enum action act;
    const struct object_ref *obj;
    bool want;
};

#define ALLOW(a, act, obj, why)                                                                    \
    {                                                                                              \
        why, a, act, obj, true                                                                     \
    }
#define DENY(a, act, obj, why)                                                                     \
    {                                                                                              \
        why, a, act, obj, false                                                                    \
    }

static const struct rule_case cases[] = {
    /* Organisations: everyone reads, only the beheerder changes. */
    ALLOW(&beleid_a, ACT_LIST, &orgs, "any user lists organisations"),
    ALLOW(&raad_a, ACT_VIEW, &org_a, "any user views an organisation"),
    ALLOW(&no_roles_a, ACT_LIST, &orgs, "authenticated without roles still lists"),
    ALLOW(&beheerder, ACT_CREATE, &orgs, "beheerder creates organisations"),
    ALLOW(&beheerder, ACT_EDIT, &org_a, "beheerder edits organisations"),
    ALLOW(&beheerder, ACT_ARCHIVE, &org_a, "beheerder archives organisations"),
    DENY(&all_but_beheerder_a, ACT_CREATE, &orgs, "every other role: no create"),
    DENY(&all_but_beheerder_a, ACT_EDIT, &org_a, "not even the own organisation"),
    DENY(&contract_a, ACT_ARCHIVE, &org_a, "contract manager cannot archive"),
    DENY(&beheerder, ACT_RESET_PASSWORD, &org_a, "no password on an organisation"),

    /* Users. */
    ALLOW(&beheerder, ACT_LIST, &users, "beheerder lists all users"),
    ALLOW(&beleid_a, ACT_LIST, &users, "others list (user_list limits to own org)"),
    ALLOW(&beheerder, ACT_VIEW, &user3, "beheerder views anyone"),
    ALLOW(&beleid_a, ACT_VIEW, &user2, "a user views themself"),
    ALLOW(&beleid_a, ACT_VIEW, &user5, "a user views a colleague of the same organisation"),
    DENY(&beleid_a, ACT_VIEW, &user3, "not a user of another organisation"),
    DENY(&raad_a, ACT_VIEW, &user3, "raad neither"),
    ALLOW(&beheerder, ACT_CREATE, &new_user_a, "beheerder creates users"),
    ALLOW(&beheerder, ACT_EDIT, &user3, "beheerder edits users"),
    ALLOW(&beheerder, ACT_ARCHIVE, &user3, "beheerder deactivates users"),
    ALLOW(&beheerder, ACT_RESET_PASSWORD, &user3, "beheerder resets passwords"),
    DENY(&all_but_beheerder_a, ACT_CREATE, &new_user_a, "no user creation in own org"),
    DENY(&beleid_a, ACT_EDIT, &user2, "not even editing oneself (roles!)"),
    DENY(&beleid_a, ACT_EDIT, &user5, "nor a colleague"),
    DENY(&contract_a, ACT_ARCHIVE, &user2, "no deactivation"),
    DENY(&beleid_a, ACT_RESET_PASSWORD, &user2, "no reset of own password (change instead)"),
    DENY(&all_but_beheerder_a, ACT_RESET_PASSWORD, &user5, "no reset of a colleague"),

    /* Societal results. */
    ALLOW(&raad_a, ACT_LIST, &results, "every user lists results"),
    ALLOW(&contract_a, ACT_VIEW, &result_b, "every user views results, any owner"),
    ALLOW(&beleid_provider, ACT_VIEW, &result_a, "providers read results too"),
    ALLOW(&beleid_a, ACT_CREATE, &new_result_a, "beleid creates for own gemeente"),
    ALLOW(&beleid_a, ACT_EDIT, &result_a, "beleid edits own gemeente's result"),
    ALLOW(&beleid_a, ACT_ARCHIVE, &result_a, "beleid archives own gemeente's result"),
    ALLOW(&beleid_region, ACT_EDIT, &result_region, "beleid of a region edits its result"),
    DENY(&beleid_a, ACT_EDIT, &result_b, "beleid of A never edits a result of B"),
    DENY(&beleid_b, ACT_ARCHIVE, &result_a, "beleid of B never archives a result of A"),
    DENY(&beleid_b, ACT_CREATE, &new_result_a, "nor creates one for A"),
    DENY(&beleid_a, ACT_EDIT, &result_region, "a member gemeente does not edit the region's"),
    DENY(&beleid_region, ACT_EDIT, &result_a, "the region does not edit a member's"),
    DENY(&contract_a, ACT_CREATE, &new_result_a, "contract manager cannot create results"),
    DENY(&raad_a, ACT_EDIT, &result_a, "raad cannot edit"),
    DENY(&beheerder, ACT_CREATE, &new_result_a, "beheerder is not beleid"),
    DENY(&beheerder, ACT_EDIT, &result_a, "beheerder is not beleid (edit)"),
    DENY(&beleid_provider, ACT_EDIT, &result_provider, "a provider owns no results"),
    DENY(&beleid_provider, ACT_CREATE, &result_provider, "a provider creates no results"),
    DENY(&all_but_beheerder_a, ACT_RESET_PASSWORD, &result_a, "no password on results"),

    /* Audit log: read by the beheerder only, written by no one through the policy. */
    ALLOW(&beheerder, ACT_LIST, &audit, "beheerder lists the audit log"),
    ALLOW(&beheerder, ACT_VIEW, &audit, "beheerder views the audit log"),
    DENY(&all_but_beheerder_a, ACT_LIST, &audit, "nobody else lists it"),
    DENY(&all_but_beheerder_a, ACT_VIEW, &audit, "nobody else views it"),
    DENY(&beheerder, ACT_EDIT, &audit, "append-only: no edit"),
    DENY(&beheerder, ACT_ARCHIVE, &audit, "append-only: no archive"),
    DENY(&beheerder, ACT_CREATE, &audit, "written internally only"),

    /* API tokens. */
    ALLOW(&beheerder, ACT_LIST, &tokens_of3, "beheerder lists anyone's tokens"),
    ALLOW(&beheerder, ACT_CREATE, &tokens_of3, "beheerder creates for anyone"),
    ALLOW(&beheerder, ACT_ARCHIVE, &tokens_of3, "beheerder revokes anyone's"),
    ALLOW(&beleid_a, ACT_LIST, &tokens_of2, "a user lists own tokens"),
    ALLOW(&beleid_a, ACT_CREATE, &tokens_of2, "a user creates own tokens"),
    ALLOW(&raad_a, ACT_CREATE, &tokens_of7, "any role manages own tokens"),
    ALLOW(&beleid_a, ACT_ARCHIVE, &tokens_of2, "a user revokes own tokens"),
    DENY(&beleid_a, ACT_LIST, &tokens_of5, "not a colleague's tokens (same org)"),
    DENY(&beleid_a, ACT_CREATE, &tokens_of5, "no tokens for a colleague"),
    DENY(&beleid_a, ACT_ARCHIVE, &tokens_of3, "no revoking of others' tokens"),
    DENY(&beleid_a, ACT_VIEW, &tokens_of_nobody, "id 0 is no one"),
    DENY(&beheerder, ACT_RESET_PASSWORD, &tokens_of3, "tokens have no password"),

    /* System (backups, keys, settings). */
    ALLOW(&beheerder, ACT_VIEW, &sys, "beheerder sees system settings"),
    ALLOW(&beheerder, ACT_EDIT, &sys, "beheerder changes system settings"),
    ALLOW(&beheerder, ACT_CREATE, &sys, "beheerder makes backups"),
    DENY(&all_but_beheerder_a, ACT_VIEW, &sys, "nobody else sees system"),
    DENY(&all_but_beheerder_a, ACT_EDIT, &sys, "nobody else changes system"),
    DENY(&beheerder, ACT_RESET_PASSWORD, &sys, "no password on system"),

    /* API tokens restrict, never widen. */
    ALLOW(&beheerder_tok_read, ACT_LIST, &audit, "read scope lists"),
    ALLOW(&beheerder_tok_read, ACT_VIEW, &user3, "read scope views"),
    DENY(&beheerder_tok_read, ACT_CREATE, &orgs, "read-only token cannot create"),
    DENY(&beheerder_tok_read, ACT_EDIT, &user3, "read-only token cannot edit"),
    DENY(&beheerder_tok_read, ACT_RESET_PASSWORD, &user3, "read-only token cannot reset"),
    DENY(&beheerder_tok_read, ACT_ARCHIVE, &sys, "read-only token cannot change system"),
    ALLOW(&beheerder_tok_rw, ACT_CREATE, &orgs, "write scope creates"),
    ALLOW(&beheerder_tok_rw, ACT_RESET_PASSWORD, &user3, "write scope resets"),
    ALLOW(&beheerder_tok_rw, ACT_ARCHIVE, &tokens_of3, "a token may revoke tokens"),
    DENY(&beheerder_tok_rw, ACT_CREATE, &tokens_of3, "a token never mints tokens"),
    DENY(&beheerder_tok_rw, ACT_EDIT, &tokens_of3, "a token never changes tokens"),
    DENY(&beleid_a_tok_all, ACT_CREATE, &tokens_of2, "not even its own user's"),
    DENY(&beleid_a_tok_read, ACT_EDIT, &result_a, "token without write scope: deny"),
    DENY(&beleid_a_tok_read, ACT_CREATE, &new_result_a, "token without write scope: no create"),
    DENY(&beleid_a_tok_import, ACT_EDIT, &result_a, "import scope is not write scope"),
    DENY(&beleid_a_tok_import, ACT_LIST, &results, "import scope is not read scope"),
    ALLOW(&beleid_a_tok_read, ACT_LIST, &results, "read scope lists results"),
    ALLOW(&beleid_a_tok_write, ACT_EDIT, &result_a, "write scope edits own result"),
    DENY(&beleid_a_tok_write, ACT_VIEW, &result_a, "write scope alone does not read"),
    DENY(&beleid_a_tok_all, ACT_EDIT, &result_b, "scopes never widen roles"),
    DENY(&beleid_a_tok_all, ACT_LIST, &audit, "scopes never widen roles (audit)"),
    DENY(&beheerder_tok_none, ACT_LIST, &orgs, "token without scopes: nothing"),

    /* Import batches: deliverers of their own organisation, and the beheerder. */
    ALLOW(&beheerder, ACT_CREATE, &batches, "beheerder imports"),
    ALLOW(&beheerder, ACT_UNDO, &batch_p, "beheerder undoes any batch"),
    ALLOW(&beheerder, ACT_VIEW, &batch_system, "beheerder views system batches"),
    ALLOW(&kwaliteit_p, ACT_CREATE, &batches, "kwaliteit of a provider delivers"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &batch_p, "and views own batches"),
    ALLOW(&kwaliteit_p, ACT_UNDO, &batch_p, "and undoes own batches"),
    DENY(&kwaliteit_p, ACT_VIEW, &batch_a, "not a gemeente's batch"),
    DENY(&kwaliteit_p, ACT_UNDO, &batch_a, "nor undoes it"),
    DENY(&kwaliteit_p, ACT_VIEW, &batch_system, "nor a system batch"),
    ALLOW(&contract_a, ACT_CREATE, &batches, "contract of a gemeente delivers messages"),
    ALLOW(&beleid_a, ACT_VIEW, &batch_a, "beleid of the gemeente views its batch"),
    ALLOW(&contract_region, ACT_CREATE, &batches, "contract of a region delivers"),
    DENY(&contract_region, ACT_VIEW, &batch_a, "a region does not view a member's batch"),
    DENY(&professional_p, ACT_CREATE, &batches, "professional does not deliver"),
    DENY(&professional_p, ACT_LIST, &batches, "nor lists batches"),
    DENY(&kwaliteit_a, ACT_CREATE, &batches, "kwaliteit role at a gemeente: no"),
    DENY(&toezicht_a, ACT_CREATE, &batches, "toezicht and raad do not deliver"),
    DENY(&toezicht_a, ACT_VIEW, &batch_a, "nor see batches"),
    DENY(&kwaliteit_p, ACT_EDIT, &batch_p, "batches are never edited"),
    DENY(&beheerder, ACT_ARCHIVE, &batch_p, "undo, not archive"),
    DENY(&kwaliteit_p_tok_write, ACT_CREATE, &batches, "write scope is not import scope"),
    ALLOW(&kwaliteit_p_tok_import, ACT_CREATE, &batches, "import scope delivers"),
    DENY(&kwaliteit_p_tok_import, ACT_VIEW, &batch_p, "import scope alone does not read"),
    ALLOW(&kwaliteit_p_tok_write, ACT_UNDO, &batch_p, "undo through a token needs write"),
    DENY(&beleid_a_tok_import, ACT_UNDO, &batch_a, "import scope does not undo"),

    /* Mapping profiles: kwaliteit of the owning provider, and the beheerder. */
    ALLOW(&beheerder, ACT_CREATE, &profile_p, "beheerder makes profiles for anyone"),
    ALLOW(&kwaliteit_p, ACT_LIST, &profiles, "kwaliteit lists (own) profiles"),
    ALLOW(&kwaliteit_p, ACT_CREATE, &profile_p, "kwaliteit makes own profile"),
    ALLOW(&kwaliteit_p, ACT_EDIT, &profile_p, "and edits it"),
    ALLOW(&kwaliteit_p, ACT_ARCHIVE, &profile_p, "and archives it"),
    DENY(&kwaliteit_p, ACT_VIEW, &profile_other, "not another provider's profile"),
    DENY(&kwaliteit_p, ACT_EDIT, &profile_other, "nor edits it"),
    DENY(&professional_p, ACT_VIEW, &profile_p, "professional does not see profiles"),
    DENY(&contract_a, ACT_LIST, &profiles, "gemeenten do not manage provider profiles"),
    DENY(&kwaliteit_a, ACT_CREATE, &profile_p, "kwaliteit at a gemeente: no"),

    /* Surveys: everyone reads questionnaires; beleid of the owner changes them. */
    ALLOW(&raad_a, ACT_LIST, &surveys, "questionnaires are not secret"),
    ALLOW(&beleid_a, ACT_EDIT, &survey_a, "beleid of the owner edits"),
    DENY(&beleid_b, ACT_EDIT, &survey_a, "beleid of another gemeente does not"),
    DENY(&contract_a, ACT_EDIT, &survey_a, "contract does not write questionnaires"),
    DENY(&beleid_provider, ACT_CREATE, &survey_a, "a provider does not own surveys"),
    ALLOW(&beheerder, ACT_ARCHIVE, &survey_a, "beheerder archives"),
    /* Rounds: owner and the round's aanbieder read; beleid/contract of the owner change. */
    ALLOW(&raad_a, ACT_LIST, &rounds, "the list is filtered per round"),
    ALLOW(&raad_a, ACT_VIEW, &round_a_p, "users of the owner see the round"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &round_a_p, "the round's aanbieder sees its response rate"),
    DENY(&kwaliteit_p, ACT_EDIT, &round_a_p, "but never the codes (edit)"),
    DENY(&kwaliteit_q, ACT_VIEW, &round_a_p, "another aanbieder does not see the round"),
    DENY(&beleid_b, ACT_VIEW, &round_a_p, "another gemeente does not"),
    ALLOW(&contract_a, ACT_EDIT, &round_a_p, "contract of the owner prints letters"),
    ALLOW(&beleid_a, ACT_CREATE, &round_a_p, "beleid of the owner makes rounds"),
    DENY(&beleid_b, ACT_CREATE, &round_a_p, "not for another gemeente"),
    /* Open answers: content roles; flagged ones only the owner; review by beleid of owner. */
    ALLOW(&contract_a, ACT_VIEW, &open_flagged, "owner reads flagged answers"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &open_ok, "the aanbieder reads unflagged answers"),
    DENY(&kwaliteit_p, ACT_VIEW, &open_flagged, "not flagged ones"),
    DENY(&kwaliteit_q, ACT_VIEW, &open_ok, "another aanbieder reads nothing"),
    DENY(&raad_a, ACT_VIEW, &open_ok, "raad has no content role"),
    DENY(&beheerder, ACT_VIEW, &open_ok, "beheerder does not read content"),
    ALLOW(&beleid_a, ACT_EDIT, &open_flagged, "beleid of the owner reviews"),
    DENY(&contract_a, ACT_EDIT, &open_flagged, "contract does not review"),
    /* Stories: by consent. */
    ALLOW(&kwaliteit_p, ACT_VIEW, &story_intern_p, "owner reads its internal story"),
    DENY(&beleid_a, ACT_VIEW, &story_intern_p, "party does not read an internal story"),
    ALLOW(&beleid_a, ACT_VIEW, &story_gesprek_p, "party reads a conversation story"),
    DENY(&raad_a, ACT_VIEW, &story_gesprek_p, "raad reads only published stories"),
    ALLOW(&raad_a, ACT_VIEW, &story_public_p, "such as this one"),
    ALLOW(&contract_a, ACT_VIEW, &story_gesprek_p, "a content role of a party reads it"),
    ALLOW(&professional_p, ACT_VIEW, &story_intern_p, "a professional of the owner reads it"),
    DENY(&beleid_b, ACT_VIEW, &story_gesprek_p, "a non-party does not"),
    DENY(&kwaliteit_q, ACT_VIEW, &story_gesprek_p, "nor another aanbieder"),
    ALLOW(&beleid_b, ACT_VIEW, &story_public_p, "everyone reads a published story"),
    DENY(&beheerder, ACT_VIEW, &story_intern_p, "beheerder does not read content"),
    ALLOW(&beleid_a, ACT_CREATE, &story_new_a, "content role writes stories for own org"),
    DENY(&raad_a, ACT_CREATE, &story_new_a, "raad does not write stories"),
    DENY(&beleid_b, ACT_CREATE, &story_new_a, "not in another org's name"),
    ALLOW(&kwaliteit_p, ACT_EDIT, &story_gesprek_p, "owner edits"),
    DENY(&beleid_a, ACT_EDIT, &story_gesprek_p, "a party does not edit"),
    DENY(&toezichthouder, ACT_CREATE, &story_public_p, "toezichthouder is not a content owner"),
    /* Context events: everyone reads; content roles of the owner write. */
    ALLOW(&raad_a, ACT_VIEW, &event_a, "events are context for everyone"),
    ALLOW(&contract_a, ACT_EDIT, &event_a, "content role of the owner edits"),
    DENY(&beleid_b, ACT_EDIT, &event_a, "another gemeente does not"),
    DENY(&raad_a, ACT_CREATE, &event_a, "raad does not"),
    ALLOW(&beheerder, ACT_ARCHIVE, &event_a, "beheerder archives"),

    /* Quality framework (kwaliteitskader) and its criteria. */
    ALLOW(&raad_a, ACT_LIST, &frameworks, "every user lists frameworks"),
    ALLOW(&beleid_provider, ACT_VIEW, &framework_r, "providers read the framework"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &criterion_r, "and its criteria"),
    ALLOW(&beleid_region, ACT_CREATE, &framework_r, "beleid of the region creates"),
    DENY(&beleid_a, ACT_CREATE, &framework_a, "a gemeente makes no framework of its own"),
    ALLOW(&contract_region, ACT_EDIT, &framework_r, "contract of the region edits"),
    ALLOW(&contract_region, ACT_EDIT, &criterion_r, "contract of the region edits criteria"),
    ALLOW(&beleid_region, ACT_ARCHIVE, &criterion_r, "beleid of the region archives criteria"),
    ALLOW(&beheerder, ACT_EDIT, &framework_r, "beheerder edits"),
    ALLOW(&contract_a, ACT_CREATE, &criterion_local_a, "contract of a gemeente adds local points"),
    ALLOW(&beleid_a, ACT_EDIT, &criterion_local_a, "beleid of the gemeente edits them"),
    DENY(&beleid_a, ACT_EDIT, &criterion_r, "a gemeente does not edit regional criteria"),
    DENY(&beleid_a, ACT_EDIT, &framework_r, "nor the region's framework"),
    DENY(&beleid_region, ACT_EDIT, &criterion_local_a, "the region does not edit local points"),
    DENY(&beleid_b, ACT_EDIT, &criterion_local_a, "another gemeente neither"),
    DENY(&kwaliteit_p, ACT_EDIT, &criterion_r, "a provider never edits criteria"),
    DENY(&beleid_provider, ACT_CREATE, &criterion_local_p, "nor owns local criteria"),
    DENY(&raad_a, ACT_CREATE, &criterion_local_a, "raad does not add criteria"),
    DENY(&beleid_a_tok_read, ACT_CREATE, &criterion_local_a, "read token cannot add criteria"),
    DENY(&beheerder, ACT_RESET_PASSWORD, &framework_r, "no password on a framework"),

    /* Theory of change: everyone reads; the owner and the aanbieders in it write together. */
    ALLOW(&raad_a, ACT_VIEW, &theory_a, "a theory of change is not secret"),
    ALLOW(&beleid_a, ACT_EDIT, &theory_a, "beleid of the owner edits"),
    ALLOW(&contract_a, ACT_EDIT, &theory_a, "contract of the owner edits"),
    ALLOW(&kwaliteit_p, ACT_EDIT, &theory_a, "an aanbieder named in it edits (own activities)"),
    DENY(&kwaliteit_q, ACT_EDIT, &theory_a, "an aanbieder not in it does not"),
    DENY(&professional_p, ACT_EDIT, &theory_a, "a professional does not"),
    DENY(&beleid_b, ACT_EDIT, &theory_a, "another gemeente does not"),
    DENY(&raad_a, ACT_EDIT, &theory_a, "raad does not"),
    DENY(&beleid_a, ACT_ARCHIVE, &theory_a, "a theory is not archived (its result is)"),
    /* Conversations: members only (rule 13). */
    ALLOW(&raad_a, ACT_LIST, &conversations, "lists are filtered"),
    ALLOW(&beleid_a, ACT_CREATE, &new_conv_a, "beleid plans for its own gemeente"),
    ALLOW(&contract_a, ACT_CREATE, &new_conv_a, "contract too"),
    DENY(&beleid_b, ACT_CREATE, &new_conv_a, "not for another gemeente"),
    DENY(&kwaliteit_p, ACT_CREATE, &new_conv_p, "an aanbieder does not plan one"),
    DENY(&beleid_provider, ACT_CREATE, &new_conv_p, "not even with beleid"),
    ALLOW(&kwaliteit_a, ACT_VIEW, &conv_a, "a content role of the owner reads"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &conv_a, "the party aanbieder reads"),
    ALLOW(&professional_p, ACT_VIEW, &conv_a, "its professionals too"),
    ALLOW(&kwaliteit_p, ACT_EDIT, &conv_a, "and writes notes"),
    DENY(&kwaliteit_q, ACT_VIEW, &conv_a, "another aanbieder reads nothing"),
    DENY(&beleid_b, ACT_VIEW, &conv_a, "another gemeente reads nothing"),
    DENY(&beheerder, ACT_VIEW, &conv_a, "beheerder does not read conversations"),
    DENY(&raad_a, ACT_VIEW, &conv_a, "raad of the owner is not a member"),
    DENY(&toezichthouder, ACT_VIEW, &conv_a, "toezichthouder is not a member"),
    ALLOW(&invited_b, ACT_VIEW, &conv_a, "an invited participant reads"),
    DENY(&invited_b, ACT_EDIT, &conv_a, "but an invited raad member does not write"),
    ALLOW(&invited_b_beleid, ACT_EDIT, &conv_a, "an invited beleid user writes"),
    ALLOW(&beleid_a, ACT_ARCHIVE, &conv_a, "the owner cancels"),
    DENY(&kwaliteit_p, ACT_ARCHIVE, &conv_a, "a party does not cancel"),
    ALLOW(&kwaliteit_p, ACT_APPROVE, &conv_a, "a party approves the minutes for its side"),
    ALLOW(&beleid_a, ACT_APPROVE, &conv_a, "the owner approves for its side"),
    DENY(&professional_p, ACT_APPROVE, &conv_a, "a professional does not approve"),
    DENY(&invited_b_beleid, ACT_APPROVE, &conv_a, "an invited person is not a side"),
    DENY(&beleid_a_tok_read, ACT_EDIT, &conv_a, "read token does not write"),
    /* Preparation notes: own side until shared. */
    ALLOW(&professional_p, ACT_VIEW, &note_p_unshared, "own side reads an unshared note"),
    DENY(&beleid_a, ACT_VIEW, &note_p_unshared, "the other side does not"),
    DENY(&invited_b, ACT_VIEW, &note_p_unshared, "nor an invited participant"),
    ALLOW(&beleid_a, ACT_VIEW, &note_p_shared, "once shared the other side reads"),
    ALLOW(&invited_b, ACT_VIEW, &note_p_shared, "and so does an invited participant"),
    DENY(&kwaliteit_q, ACT_VIEW, &note_p_shared, "a non-member never"),
    ALLOW(&kwaliteit_p, ACT_EDIT, &note_p_unshared, "own side edits"),
    DENY(&beleid_a, ACT_EDIT, &note_p_shared, "the other side never edits"),
    /* Actions. */
    ALLOW(&kwaliteit_p, ACT_EDIT, &action_p, "the owner party updates its action"),
    ALLOW(&contract_a, ACT_EDIT, &action_p, "the other party of the conversation too"),
    ALLOW(&invited_b_beleid, ACT_VIEW, &action_p, "an invited participant reads it"),
    DENY(&invited_b, ACT_EDIT, &action_p, "an invited raad member does not change it"),
    DENY(&kwaliteit_q, ACT_VIEW, &action_p, "another aanbieder does not see it"),
    DENY(&beheerder, ACT_VIEW, &action_p, "beheerder does not"),
    DENY(&professional_p, ACT_EDIT, &action_p, "a professional reads but does not change"),
    ALLOW(&professional_p, ACT_VIEW, &action_p, "(reads)"),
    /* Evaluation statistics. */
    ALLOW(&beleid_a, ACT_VIEW, &stats_a, "the gemeente sees its conversations' evaluations"),
    ALLOW(&beleid_region, ACT_VIEW, &stats_a, "its region too"),
    DENY(&beleid_b, ACT_VIEW, &stats_a, "another gemeente not"),
    DENY(&kwaliteit_p, ACT_VIEW, &stats_a, "an aanbieder not"),
    DENY(&raad_a, ACT_VIEW, &stats_a, "raad not"),
    DENY(&beleid_a, ACT_EDIT, &stats_a, "statistics are computed"),

    /* Unknown kinds and actions. */
    DENY(&beheerder, ACT_VIEW, &bogus_kind, "unknown object kind"),
    DENY(&beheerder, (enum action)42, &orgs, "unknown action"),
    DENY(&beheerder, (enum action)42, &sys, "unknown action on system"),
};

static void test_rule_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct rule_case *c = &cases[i];
        bool got = policy_allows(c->a, c->act, c->obj);
        if (got != c->want) {
            print_error("case %zu (%s): user %" PRId64 " %s %s: want %s, got %s\n", i, c->why,
                        c->a->user_id, action_code(c->act), object_kind_code(c->obj->kind),
                        c->want ? "allow" : "deny", got ? "allow" : "deny");
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static const enum action all_actions[] = {ACT_LIST, ACT_VIEW,    ACT_CREATE,
                                          ACT_EDIT, ACT_ARCHIVE, ACT_RESET_PASSWORD};
static const struct object_ref *all_objects[] = {&orgs,  &org_a,      &users,      &user2,
                                                 &user3, &results,    &result_a,   &result_b,
                                                 &audit, &tokens_of2, &tokens_of3, &sys};

static void test_anonymous_denied_everything(void **state)
{
    (void)state;
    /* Even with every role bit and every scope, user_id 0 gets nothing. */
    struct actor tok = anon;
    tok.via_token = true;
    tok.token_scopes = SCOPE_ALL;
    for (size_t i = 0; i < ARRAY_LEN(all_actions); i++)
        for (size_t j = 0; j < ARRAY_LEN(all_objects); j++) {
            assert_false(policy_allows(&anon, all_actions[i], all_objects[j]));
            assert_false(policy_allows(&tok, all_actions[i], all_objects[j]));
        }
    assert_false(policy_allows(NULL, ACT_LIST, &orgs));
    assert_false(policy_allows(&beheerder, ACT_LIST, NULL));
}

static void test_token_without_write_never_changes(void **state)
{
    (void)state;
    /* Whatever the role, a read-only token is refused every non-read action. */
    struct actor a = beheerder;
    a.roles = ROLE_ALL;
    a.via_token = true;
    a.token_scopes = SCOPE_READ | SCOPE_IMPORT;
    for (size_t i = 0; i < ARRAY_LEN(all_actions); i++)
        for (size_t j = 0; j < ARRAY_LEN(all_objects); j++) {
            bool read = all_actions[i] == ACT_LIST || all_actions[i] == ACT_VIEW;
            if (!read)
                assert_false(policy_allows(&a, all_actions[i], all_objects[j]));
        }
    /* And the same actor with a session may do what its roles allow. */
    a.via_token = false;
    assert_true(policy_allows(&a, ACT_CREATE, &orgs));
}

static void test_token_equals_session_when_fully_scoped(void **state)
{
    (void)state;
    /* A token with read+write gives exactly the session's rights, except minting tokens. */
    const struct actor *people[] = {&beheerder, &beleid_a, &beleid_b, &contract_a, &raad_a};
    for (size_t p = 0; p < ARRAY_LEN(people); p++) {
        struct actor tok = *people[p];
        tok.via_token = true;
        tok.token_scopes = SCOPE_READ | SCOPE_WRITE;
        for (size_t i = 0; i < ARRAY_LEN(all_actions); i++)
            for (size_t j = 0; j < ARRAY_LEN(all_objects); j++) {
                enum action act = all_actions[i];
                const struct object_ref *o = all_objects[j];
                bool session = policy_allows(people[p], act, o);
                bool token = policy_allows(&tok, act, o);
                if (o->kind == OBJ_API_TOKEN && (act == ACT_CREATE || act == ACT_EDIT))
                    assert_false(token);
                else
                    assert_int_equal(token, session);
            }
    }
}

static void test_codes(void **state)
{
    (void)state;
    assert_string_equal(action_code(ACT_LIST), "list");
    assert_string_equal(action_code(ACT_VIEW), "view");
    assert_string_equal(action_code(ACT_CREATE), "create");
    assert_string_equal(action_code(ACT_EDIT), "edit");
    assert_string_equal(action_code(ACT_ARCHIVE), "archive");
    assert_string_equal(action_code(ACT_RESET_PASSWORD), "reset_password");
    assert_string_equal(action_code((enum action)77), "unknown");
    assert_string_equal(object_kind_code(OBJ_ORGANISATION), "organisation");
    assert_string_equal(object_kind_code(OBJ_USER), "user");
    assert_string_equal(object_kind_code(OBJ_RESULT), "result");
    assert_string_equal(object_kind_code(OBJ_AUDIT), "audit");
    assert_string_equal(object_kind_code(OBJ_API_TOKEN), "api_token");
    assert_string_equal(object_kind_code(OBJ_SYSTEM), "system");
    assert_string_equal(object_kind_code(OBJ_STORY), "story");
    assert_string_equal(object_kind_code(OBJ_SURVEY_OPEN_ANSWER), "survey_open_answer");
    assert_string_equal(object_kind_code(OBJ_FRAMEWORK), "framework");
    assert_string_equal(object_kind_code(OBJ_CRITERION), "criterion");
    assert_string_equal(object_kind_code(OBJ_CONVERSATION), "conversation");
    assert_string_equal(object_kind_code(OBJ_ACTION), "action");
    assert_string_equal(action_code(ACT_APPROVE), "approve");
    assert_string_equal(object_kind_code((enum object_kind)77), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_anonymous_denied_everything),
        cmocka_unit_test(test_token_without_write_never_changes),
        cmocka_unit_test(test_token_equals_session_when_fully_scoped),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
