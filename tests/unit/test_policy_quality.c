/*
 * test_policy_quality.c: the policy rules of issue 7 that are not about a review's viewpoints
 * (those are in test_review*.c): contracts (rule 20), provider events (rule 19), mirror reports,
 * and the back-office role (a deliverer; sees contracts in its region; no content role).
 * Table-driven like test_policy.c: every case says why.
 */
#include "domain/policy.h"
#include "core/common.h"
#include "domain/auth.h"
#include <setjmp.h>
#include <cmocka.h>

/* The scenario: region R with gemeenten A and B; gemeente C outside R (region S); aanbieders P
 * and Q; toegang team T of gemeente A; a toezichthouder. */
enum {
    REGION_R = 40,
    REGION_S = 41,
    ORG_A = 20,
    ORG_B = 30,
    ORG_C = 35,
    PROVIDER_P = 50,
    PROVIDER_Q = 51,
    TOEGANG_T = 60,
    TOEZICHT_G = 70,
};

static const struct actor beleid_region = {.user_id = 1,
                                           .org_id = REGION_R,
                                           .org_kind = ORG_REGION,
                                           .roles = ROLE_BELEID,
                                           .region_ids = {REGION_R},
                                           .nregions = 1};
static const struct actor contract_region = {.user_id = 2,
                                             .org_id = REGION_R,
                                             .org_kind = ORG_REGION,
                                             .roles = ROLE_CONTRACT,
                                             .region_ids = {REGION_R},
                                             .nregions = 1};
static const struct actor backoffice_region = {.user_id = 3,
                                               .org_id = REGION_R,
                                               .org_kind = ORG_REGION,
                                               .roles = ROLE_BACKOFFICE,
                                               .region_ids = {REGION_R},
                                               .nregions = 1};
static const struct actor beleid_a = {.user_id = 4,
                                      .org_id = ORG_A,
                                      .org_kind = ORG_GEMEENTE,
                                      .roles = ROLE_BELEID,
                                      .region_ids = {REGION_R},
                                      .nregions = 1};
static const struct actor contract_c = {.user_id = 5,
                                        .org_id = ORG_C,
                                        .org_kind = ORG_GEMEENTE,
                                        .roles = ROLE_CONTRACT,
                                        .region_ids = {REGION_S},
                                        .nregions = 1};
static const struct actor raad_a = {.user_id = 6,
                                    .org_id = ORG_A,
                                    .org_kind = ORG_GEMEENTE,
                                    .roles = ROLE_RAAD,
                                    .region_ids = {REGION_R},
                                    .nregions = 1};
static const struct actor kwaliteit_p = {
    .user_id = 7, .org_id = PROVIDER_P, .org_kind = ORG_AANBIEDER, .roles = ROLE_KWALITEIT};
static const struct actor professional_p = {
    .user_id = 8, .org_id = PROVIDER_P, .org_kind = ORG_AANBIEDER, .roles = ROLE_PROFESSIONAL};
static const struct actor kwaliteit_q = {
    .user_id = 9, .org_id = PROVIDER_Q, .org_kind = ORG_AANBIEDER, .roles = ROLE_KWALITEIT};
static const struct actor toegang_t = {.user_id = 10,
                                       .org_id = TOEGANG_T,
                                       .org_kind = ORG_TOEGANG,
                                       .roles = ROLE_PROFESSIONAL,
                                       .region_ids = {REGION_R},
                                       .nregions = 1};
static const struct actor toezicht_g = {
    .user_id = 11, .org_id = TOEZICHT_G, .org_kind = ORG_TOEZICHTHOUDER, .roles = ROLE_TOEZICHT};
static const struct actor beheerder = {.user_id = 12,
                                       .org_id = REGION_R,
                                       .org_kind = ORG_REGION,
                                       .roles = ROLE_BEHEERDER,
                                       .region_ids = {REGION_R},
                                       .nregions = 1};
static const struct actor backoffice_tok_read = {.user_id = 3,
                                                 .org_id = REGION_R,
                                                 .org_kind = ORG_REGION,
                                                 .roles = ROLE_BACKOFFICE,
                                                 .region_ids = {REGION_R},
                                                 .nregions = 1,
                                                 .via_token = true,
                                                 .token_scopes = SCOPE_READ};

/* A contract of region R with aanbieder P, gemeenten A and B taking part. */
static const int64_t contract_parties[] = {PROVIDER_P, ORG_A, ORG_B};
static const struct object_ref contract_r = {.kind = OBJ_CONTRACT,
                                             .id = 1,
                                             .owner_org_id = REGION_R,
                                             .owner_org_kind = ORG_REGION,
                                             .party_org_ids = contract_parties,
                                             .nparties = 3};
static const struct object_ref new_contract_r = {
    .kind = OBJ_CONTRACT, .owner_org_id = REGION_R, .owner_org_kind = ORG_REGION};
static const struct object_ref contracts = {.kind = OBJ_CONTRACT};

/* Events about aanbieder P: one recorded by the region, one by P itself, one by the supervisor. */
static const int64_t about_p[] = {PROVIDER_P};
static const struct object_ref event_by_region = {.kind = OBJ_PROVIDER_EVENT,
                                                  .id = 1,
                                                  .owner_org_id = REGION_R,
                                                  .owner_org_kind = ORG_REGION,
                                                  .party_org_ids = about_p,
                                                  .nparties = 1};
static const struct object_ref event_by_p = {.kind = OBJ_PROVIDER_EVENT,
                                             .id = 2,
                                             .owner_org_id = PROVIDER_P,
                                             .owner_org_kind = ORG_AANBIEDER,
                                             .party_org_ids = about_p,
                                             .nparties = 1};
static const struct object_ref event_by_supervisor = {.kind = OBJ_PROVIDER_EVENT,
                                                      .id = 3,
                                                      .owner_org_id = TOEZICHT_G,
                                                      .owner_org_kind = ORG_TOEZICHTHOUDER,
                                                      .party_org_ids = about_p,
                                                      .nparties = 1};
/* Q recording an event "about P" (a forged party): its own org is not the party. */
static const struct object_ref event_by_q_about_p = {.kind = OBJ_PROVIDER_EVENT,
                                                     .owner_org_id = PROVIDER_Q,
                                                     .owner_org_kind = ORG_AANBIEDER,
                                                     .party_org_ids = about_p,
                                                     .nparties = 1};

/* The mirror report of P, contracted by region R. */
static const int64_t contracted_by_r[] = {REGION_R};
static const struct object_ref mirror_p = {.kind = OBJ_MIRROR_REPORT,
                                           .id = PROVIDER_P,
                                           .owner_org_id = PROVIDER_P,
                                           .owner_org_kind = ORG_AANBIEDER,
                                           .party_org_ids = contracted_by_r,
                                           .nparties = 1};

/* Import batches: the back office delivers messages and claims. */
static const struct object_ref new_batch_r = {.kind = OBJ_IMPORT_BATCH, .owner_org_id = REGION_R};

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
    /* Contracts (rule 20). */
    ALLOW(&beleid_a, ACT_LIST, &contracts, "everyone lists; the list filters"),
    ALLOW(&contract_region, ACT_VIEW, &contract_r, "the owner's contract manager"),
    ALLOW(&backoffice_region, ACT_VIEW, &contract_r, "the owner's back office"),
    ALLOW(&beleid_a, ACT_VIEW, &contract_r, "a gemeente of the owning region"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &contract_r, "the contracted aanbieder"),
    DENY(&professional_p, ACT_VIEW, &contract_r, "a professional has no content role"),
    DENY(&kwaliteit_q, ACT_VIEW, &contract_r, "another aanbieder"),
    DENY(&contract_c, ACT_VIEW, &contract_r, "a gemeente outside the region"),
    DENY(&raad_a, ACT_VIEW, &contract_r, "raad reads published figures only"),
    DENY(&toegang_t, ACT_VIEW, &contract_r, "a toegang professional has no content role"),
    DENY(&toezicht_g, ACT_VIEW, &contract_r, "the supervisor has no part in contracts"),
    DENY(&beheerder, ACT_VIEW, &contract_r, "contracts are content, not administration"),
    ALLOW(&contract_region, ACT_CREATE, &new_contract_r, "contract of the owner creates"),
    ALLOW(&beleid_region, ACT_EDIT, &contract_r, "beleid of the owner edits"),
    ALLOW(&contract_region, ACT_ARCHIVE, &contract_r, "contract of the owner archives"),
    DENY(&beleid_a, ACT_EDIT, &contract_r, "a gemeente cannot change the region's contract"),
    DENY(&backoffice_region, ACT_EDIT, &contract_r, "the back office reads contracts"),
    DENY(&kwaliteit_p, ACT_EDIT, &contract_r, "the aanbieder cannot change its contract"),
    DENY(&backoffice_tok_read, ACT_EDIT, &contract_r, "a read token never changes"),
    ALLOW(&backoffice_tok_read, ACT_VIEW, &contract_r, "a read token reads what its user reads"),

    /* Provider events (rule 19). */
    ALLOW(&contract_region, ACT_VIEW, &event_by_region, "the recording organisation"),
    ALLOW(&kwaliteit_p, ACT_VIEW, &event_by_region, "the aanbieder it is about"),
    ALLOW(&contract_c, ACT_VIEW, &event_by_p, "contract of any gemeente: it may buy from P"),
    ALLOW(&toezicht_g, ACT_VIEW, &event_by_region, "the supervisor"),
    DENY(&kwaliteit_q, ACT_VIEW, &event_by_p, "another aanbieder"),
    DENY(&raad_a, ACT_VIEW, &event_by_region, "raad"),
    DENY(&professional_p, ACT_VIEW, &event_by_region, "no content role"),
    ALLOW(&contract_region, ACT_CREATE, &event_by_region, "a region records a calamity"),
    ALLOW(&kwaliteit_p, ACT_CREATE, &event_by_p, "the aanbieder reports its own calamity"),
    ALLOW(&toezicht_g, ACT_CREATE, &event_by_supervisor, "the supervisor records a measure"),
    DENY(&kwaliteit_q, ACT_CREATE, &event_by_q_about_p, "an aanbieder reports only about itself"),
    DENY(&kwaliteit_p, ACT_CREATE, &event_by_region, "not in another organisation's name"),
    ALLOW(&kwaliteit_p, ACT_EDIT, &event_by_p, "the recorder edits"),
    DENY(&contract_region, ACT_EDIT, &event_by_p, "only the recorder edits"),
    DENY(&kwaliteit_p, ACT_ARCHIVE, &event_by_supervisor, "not the supervisor's measure"),

    /* Mirror reports. */
    ALLOW(&kwaliteit_p, ACT_VIEW, &mirror_p, "the aanbieder's own feedback"),
    ALLOW(&contract_region, ACT_VIEW, &mirror_p, "the contracting region"),
    ALLOW(&beleid_a, ACT_VIEW, &mirror_p, "a gemeente of the contracting region"),
    DENY(&contract_c, ACT_VIEW, &mirror_p, "a gemeente that does not contract P"),
    DENY(&kwaliteit_q, ACT_VIEW, &mirror_p, "another aanbieder"),
    DENY(&professional_p, ACT_VIEW, &mirror_p, "no content role"),
    DENY(&raad_a, ACT_VIEW, &mirror_p, "raad"),
    DENY(&backoffice_region, ACT_VIEW, &mirror_p, "the back office is not a content role"),
    DENY(&kwaliteit_p, ACT_EDIT, &mirror_p, "a report is computed, never edited"),

    /* The back office delivers data (rule 5). */
    ALLOW(&backoffice_region, ACT_CREATE, &new_batch_r, "the back office delivers messages"),
};

static void test_rule_table(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct rule_case *c = &cases[i];
        bool got = policy_allows(c->a, c->act, c->obj);
        if (got != c->want) {
            print_error("case %zu (%s): %s %s by user %lld: got %s\n", i, c->why,
                        action_code(c->act), object_kind_code(c->obj->kind),
                        (long long)c->a->user_id, got ? "allow" : "deny");
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Viewpoints are a policy decision too: who holds which for a review of R about P. */
static void test_viewpoints(void **state)
{
    (void)state;
    static const struct object_ref review = {.kind = OBJ_REVIEW,
                                             .id = 1,
                                             .owner_org_id = REGION_R,
                                             .owner_org_kind = ORG_REGION,
                                             .party_org_ids = about_p,
                                             .nparties = 1};
    assert_int_equal(policy_review_viewpoints(&kwaliteit_p, &review), VIEWPOINT_AANBIEDER);
    assert_int_equal(policy_review_viewpoints(&contract_region, &review),
                     VIEWPOINT_CONTRACTMANAGER);
    assert_int_equal(policy_review_viewpoints(&backoffice_region, &review), VIEWPOINT_BACKOFFICE);
    assert_int_equal(policy_review_viewpoints(&toegang_t, &review), VIEWPOINT_TOEGANG);
    assert_int_equal(policy_review_viewpoints(&toezicht_g, &review), VIEWPOINT_TOEZICHTHOUDER);
    assert_int_equal(policy_review_viewpoints(&kwaliteit_q, &review), 0);
    assert_int_equal(policy_review_viewpoints(&contract_c, &review), 0);
    assert_int_equal(policy_review_viewpoints(&raad_a, &review), 0);
    assert_int_equal(policy_review_viewpoints(&beleid_region, &review), 0);
    assert_int_equal(policy_review_viewpoints(&beheerder, &review), 0);
    assert_int_equal(policy_review_viewpoints(&professional_p, &review), 0);
    struct actor both = contract_region;
    both.roles |= ROLE_BACKOFFICE;
    assert_int_equal(policy_review_viewpoints(&both, &review),
                     VIEWPOINT_CONTRACTMANAGER | VIEWPOINT_BACKOFFICE);
    struct actor anonymous = contract_region;
    anonymous.user_id = 0;
    assert_int_equal(policy_review_viewpoints(&anonymous, &review), 0);
}

static void test_codes(void **state)
{
    (void)state;
    assert_string_equal(object_kind_code(OBJ_REVIEW), "review");
    assert_string_equal(object_kind_code(OBJ_REVIEW_VIEW), "review_view");
    assert_string_equal(object_kind_code(OBJ_EVIDENCE), "evidence");
    assert_string_equal(object_kind_code(OBJ_PROVIDER_EVENT), "provider_event");
    assert_string_equal(object_kind_code(OBJ_CONTRACT), "contract");
    assert_string_equal(object_kind_code(OBJ_MIRROR_REPORT), "mirror_report");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_viewpoints),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
