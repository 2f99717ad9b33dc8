/*
 * test_review.c: provider verification (domain/review.c, domain/provider_event.c and their
 * stores): vocabularies, the triangulation difference rule, policy per viewpoint (a provider
 * cannot see the supervisor's unshared view; a toegang user cannot edit the contract manager's
 * verdict; back office, toegang and toezicht viewpoints; outsiders get 404), the lifecycle
 * (self-declaration in concept, principles and declarations needed to submit, views after
 * submission, decision with reason, read-only once decided), optimistic locking, the status per
 * theme, and provider events with the person-data check and an event-driven review.
 */
#include "domain/review.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/auth.h"
#include "domain/framework.h"
#include "domain/provider_event.h"
#include "metrics/catalog.h"
#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, other_region, emmen, far, toegang_org, p, q, igj, fw;
    int64_t crit[4]; /* K1.1, K1.2 (Veiligheid), K2.1 (Jeugdwet only), L1 local of Emmen */
    struct actor contract_r, beleid_r, backoffice_r, kwaliteit_p, kwaliteit_q, toegang, toezicht,
        raad_e, contract_far, contract_e;
};

static struct fixture fx;

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    ts_store_open("review", fx.dir, fx.path, &fx.s);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Jeugdregio Zuid-Drenthe", NULL, NULL, 0);
    fx.other_region = ts_make_org(fx.s, ORG_REGION, "Regio Amstelland", NULL, NULL, 0);
    fx.emmen = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    fx.far = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0363", NULL, fx.other_region);
    fx.toegang_org = ts_make_org(fx.s, ORG_TOEGANG, "Toegang Emmen", NULL, NULL, fx.emmen);
    fx.p = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg Noord BV", NULL, "12345678", 0);
    fx.q = ts_make_org(fx.s, ORG_AANBIEDER, "Jeugdhulp Zuid", NULL, "87654321", 0);
    fx.igj = ts_make_org(fx.s, ORG_TOEZICHTHOUDER, "Inspectie", NULL, NULL, 0);
    fx.contract_r = ts_make_actor(fx.s, fx.a, "contract.r", fx.region, ROLE_CONTRACT, PW);
    fx.beleid_r = ts_make_actor(fx.s, fx.a, "beleid.r", fx.region, ROLE_BELEID, PW);
    fx.backoffice_r = ts_make_actor(fx.s, fx.a, "backoffice.r", fx.region, ROLE_BACKOFFICE, PW);
    fx.kwaliteit_p = ts_make_actor(fx.s, fx.a, "kwaliteit.p", fx.p, ROLE_KWALITEIT, PW);
    fx.kwaliteit_q = ts_make_actor(fx.s, fx.a, "kwaliteit.q", fx.q, ROLE_KWALITEIT, PW);
    fx.toegang = ts_make_actor(fx.s, fx.a, "toegang.e", fx.toegang_org, ROLE_PROFESSIONAL, PW);
    fx.toezicht = ts_make_actor(fx.s, fx.a, "toezicht.i", fx.igj, ROLE_TOEZICHT, PW);
    fx.raad_e = ts_make_actor(fx.s, fx.a, "raad.e", fx.emmen, ROLE_RAAD, PW);
    fx.contract_far = ts_make_actor(fx.s, fx.a, "contract.far", fx.far, ROLE_CONTRACT, PW);
    fx.contract_e = ts_make_actor(fx.s, fx.a, "contract.e", fx.emmen, ROLE_CONTRACT, PW);

    struct err_ctx e = {0};
    struct framework_input fin = {.owner_org_id = fx.region, .name = "Kader", .description = ""};
    assert_int_equal(framework_create(fx.s, &fx.beleid_r, &fin, &fx.fw, &e), 0);
    struct {
        const char *theme, *code, *text;
        unsigned laws;
        int64_t local;
    } cs[] = {
        {"Veiligheid", "K1.1", "De aanbieder meldt calamiteiten binnen drie werkdagen.", FW_LAW_ALL,
         0},
        {"Veiligheid", "K1.2", "Medewerkers hebben een verklaring omtrent gedrag.", FW_LAW_ALL, 0},
        {"Resultaten", "K2.1", "De aanbieder werkt resultaatgericht met doelen in het plan.",
         FW_LAW_JW, 0},
        {"Samenwerking", "L1", "De aanbieder neemt deel aan het wijkoverleg.", FW_LAW_ALL,
         fx.emmen},
    };
    for (int i = 0; i < 4; i++) {
        struct criterion_input ci = {.theme = cs[i].theme,
                                     .local_org_id = cs[i].local,
                                     .code = cs[i].code,
                                     .text = cs[i].text,
                                     .source = cs[i].local ? FW_SRC_LOKAAL : FW_SRC_BRANCHENORM,
                                     .source_ref = "",
                                     .laws = cs[i].laws,
                                     .categories = "",
                                     .evidence = "",
                                     .verify = FW_VERIFY_DOCUMENT};
        const struct actor *by = cs[i].local ? &fx.contract_e : &fx.beleid_r;
        int rc = criterion_create(fx.s, by, fx.fw, &ci, &fx.crit[i], &e);
        if (rc)
            fail_msg("criterion %s: %s (%s)", cs[i].code, err_name(rc), e.msg);
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    arena_free(fx.a);
    store_close(fx.s);
    ts_rm_dir(fx.dir);
    return 0;
}

static day_t today(void)
{
    return (day_t)(time(NULL) / 86400);
}

static int64_t make_review(const struct actor *who, int64_t owner, int64_t aanbieder, unsigned laws)
{
    struct review_input in = {.framework_id = fx.fw,
                              .owner_org_id = owner,
                              .aanbieder_id = aanbieder,
                              .kind = REVIEW_TOELATING,
                              .period_from = today() - 30,
                              .period_to = today() + 335,
                              .laws = laws};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = review_create(fx.s, who, &in, &id, &e);
    if (rc)
        fail_msg("review: %s (%s: %s)", err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static int64_t version_of(int64_t id)
{
    struct review r;
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_r, id, &r), 0);
    return r.version;
}

static int set_view(const struct actor *who, int64_t id, int64_t crit, unsigned vp,
                    enum review_verdict v, bool shared, struct err_ctx *e)
{
    struct review_view_input in = {.criterion_id = crit,
                                   .viewpoint = vp,
                                   .verdict = (int)v,
                                   .reason = "Gezien in het dossieronderzoek.",
                                   .method = METHOD_GESPREK,
                                   .shared = shared};
    return review_set_view(fx.s, who, id, version_of(id), &in, e);
}

/* ---- Pure parts ------------------------------------------------------------------------------ */

static void test_vocabulary_and_distance(void **state)
{
    (void)state;
    enum review_verdict v;
    enum review_viewpoint vp;
    enum review_kind k;
    assert_int_equal(review_verdict_parse("nog_niet", &v), 0);
    assert_int_equal(v, VERDICT_NOG_NIET);
    assert_int_equal(review_verdict_parse("", &v), ERR_INVALID);
    assert_int_equal(review_verdict_parse("voldoet ", &v), ERR_INVALID);
    assert_int_equal(review_viewpoint_parse("toezichthouder", &vp), 0);
    assert_int_equal(vp, VIEWPOINT_TOEZICHTHOUDER);
    assert_int_equal(review_viewpoint_index(VIEWPOINT_BACKOFFICE), 3);
    assert_int_equal(review_viewpoint_index(3), -1);
    assert_int_equal(review_kind_parse("gebeurtenis", &k), 0);
    assert_string_equal(review_kind_code(REVIEW_PERIODIEK), "periodiek");
    assert_string_equal(review_decision_code(DECISION_NIET_TOEGELATEN), "niet_toegelaten");
    assert_string_equal(review_verdict_code((enum review_verdict)7), "");
    /* The difference rule: steps voldoet 1, deels 2, nog niet 3; nvt and none never differ. */
    assert_int_equal(review_verdict_distance(VERDICT_VOLDOET, VERDICT_NOG_NIET), 2);
    assert_int_equal(review_verdict_distance(VERDICT_NOG_NIET, VERDICT_DEELS), 1);
    assert_int_equal(review_verdict_distance(VERDICT_DEELS, VERDICT_DEELS), 0);
    assert_int_equal(review_verdict_distance(VERDICT_VOLDOET, VERDICT_NVT), -1);
    assert_int_equal(review_verdict_distance(VERDICT_NONE, VERDICT_NOG_NIET), -1);
}

static void test_triangulate_rule(void **state)
{
    (void)state;
    struct review_item items[2] = {{.criterion_id = 1, .applicable = true},
                                   {.criterion_id = 2, .applicable = true}};
    struct review_view views[] = {
        {.criterion_id = 1, .viewpoint = VIEWPOINT_AANBIEDER, .verdict = VERDICT_VOLDOET},
        {.criterion_id = 1, .viewpoint = VIEWPOINT_CONTRACTMANAGER, .verdict = VERDICT_DEELS},
        {.criterion_id = 1, .viewpoint = VIEWPOINT_TOEGANG, .verdict = VERDICT_NOG_NIET},
        /* Criterion 2: the supervisor's "nog niet" is hidden from this actor: no flag. */
        {.criterion_id = 2, .viewpoint = VIEWPOINT_AANBIEDER, .verdict = VERDICT_VOLDOET},
        {.criterion_id = 2, .viewpoint = VIEWPOINT_TOEZICHTHOUDER, .hidden = true},
        {.criterion_id = 2, .viewpoint = VIEWPOINT_BACKOFFICE, .verdict = VERDICT_NVT},
    };
    struct review_row *rows = NULL;
    int n = 0;
    assert_int_equal(review_triangulate(fx.a, items, 2, views, 6, &rows, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].max_distance, 2);
    assert_int_equal(rows[0].diff_a, 0); /* aanbieder */
    assert_int_equal(rows[0].diff_b, 2); /* toegang */
    assert_true(rows[0].present[1]);
    assert_false(rows[0].present[4]);
    assert_int_equal(rows[1].max_distance, -1);
    assert_true(rows[1].present[4]);
    assert_true(rows[1].cells[4].hidden);
}

/* ---- Policy and lifecycle -------------------------------------------------------------------- */

static void test_create_and_applicable_criteria(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct review_input in = {.framework_id = fx.fw,
                              .owner_org_id = fx.region,
                              .aanbieder_id = fx.p,
                              .kind = REVIEW_TOELATING,
                              .period_from = today(),
                              .period_to = today() + 365,
                              .laws = FW_LAW_WMO};
    int64_t id = 0;
    /* Only beleid or contract of the owner creates. */
    assert_int_equal(review_create(fx.s, &fx.kwaliteit_p, &in, &id, &e), ERR_DENIED);
    assert_int_equal(review_create(fx.s, &fx.toegang, &in, &id, &e), ERR_DENIED);
    assert_int_equal(review_create(fx.s, &fx.contract_far, &in, &id, &e), ERR_DENIED);
    assert_int_equal(review_create(fx.s, &fx.backoffice_r, &in, &id, &e), ERR_DENIED);
    /* Validation names the field. */
    struct review_input bad = in;
    bad.aanbieder_id = fx.emmen;
    assert_int_equal(review_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "aanbieder_id");
    bad = in;
    bad.period_to = in.period_from - 1;
    assert_int_equal(review_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "period_to");
    bad = in;
    bad.laws = 4;
    assert_int_equal(review_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "laws");
    bad = in;
    bad.kind = REVIEW_GEBEURTENIS; /* without an event */
    assert_int_equal(review_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "provider_event_id");
    bad = in;
    bad.framework_id = 999999;
    assert_int_equal(review_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "framework_id");

    /* Wmo at the region: K1.1 and K1.2 (K2.1 is Jeugdwet only; L1 is Emmen's local point). */
    assert_int_equal(review_create(fx.s, &fx.contract_r, &in, &id, &e), 0);
    struct review_item *items = NULL;
    int n = 0;
    assert_int_equal(review_items(fx.a, fx.s, &fx.contract_r, id, &items, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].code, "K1.1");
    assert_string_equal(items[1].code, "K1.2");
    /* Reviewed by Emmen, Jeugdwet: the regional ones plus Emmen's local point. */
    int64_t em = make_review(&fx.contract_e, fx.emmen, fx.p, FW_LAW_JW);
    assert_int_equal(review_items(fx.a, fx.s, &fx.contract_e, em, &items, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(items[3].code, "L1");
}

static void test_outsiders_get_not_found(void **state)
{
    (void)state;
    int64_t id = make_review(&fx.contract_r, fx.region, fx.p, FW_LAW_ALL);
    struct review r;
    assert_int_equal(review_get(fx.a, fx.s, &fx.kwaliteit_p, id, &r), 0);
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_e, id, &r), 0); /* gemeente in region */
    assert_int_equal(review_get(fx.a, fx.s, &fx.toegang, id, &r), 0);
    assert_int_equal(review_get(fx.a, fx.s, &fx.backoffice_r, id, &r), 0);
    assert_int_equal(review_get(fx.a, fx.s, &fx.toezicht, id, &r), 0);
    assert_int_equal(review_get(fx.a, fx.s, &fx.kwaliteit_q, id, &r), ERR_NOT_FOUND);
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_far, id, &r), ERR_NOT_FOUND);
    assert_int_equal(review_get(fx.a, fx.s, &fx.raad_e, id, &r), ERR_NOT_FOUND);
    assert_int_equal(review_get(fx.a, fx.s, &ts_admin, id, &r), ERR_NOT_FOUND);
    struct review_item *items;
    int n;
    assert_int_equal(review_items(fx.a, fx.s, &fx.kwaliteit_q, id, &items, &n), ERR_NOT_FOUND);
    /* Lists show only what the actor may view. */
    struct review *rows;
    assert_int_equal(review_list(fx.a, fx.s, &fx.kwaliteit_q, NULL, &rows, &n), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(rows[i].aanbieder_id, fx.q);
    /* Viewpoints held. */
    r.id = id;
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_r, id, &r), 0);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.kwaliteit_p, &r), VIEWPOINT_AANBIEDER);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.contract_r, &r), VIEWPOINT_CONTRACTMANAGER);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.contract_e, &r), VIEWPOINT_CONTRACTMANAGER);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.toegang, &r), VIEWPOINT_TOEGANG);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.backoffice_r, &r), VIEWPOINT_BACKOFFICE);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.toezicht, &r), VIEWPOINT_TOEZICHTHOUDER);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.beleid_r, &r), 0);
    assert_int_equal(review_my_viewpoints(fx.a, &fx.kwaliteit_q, &r), 0);
}

static void test_lifecycle_and_viewpoints(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_review(&fx.contract_r, fx.region, fx.p, FW_LAW_ALL);
    int64_t k11 = fx.crit[0], k12 = fx.crit[1], k21 = fx.crit[2];

    /* Only the aanbieder declares, and only in concept. */
    assert_int_equal(review_set_item(fx.s, &fx.contract_r, id, version_of(id), k11, true, NULL, "x",
                                     VERDICT_VOLDOET, &e),
                     ERR_DENIED);
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, version_of(id), k11, false, "", "",
                                     VERDICT_NONE, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "reason");
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, version_of(id), fx.crit[3], true,
                                     NULL, "x", VERDICT_VOLDOET, &e),
                     ERR_INVALID); /* L1 is not an item of a regional review */
    assert_string_equal(e.field, "criterion_id");
    /* A stale version is a conflict. */
    int64_t v0 = version_of(id);
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, v0, k11, true, NULL,
                                     "Procedure calamiteiten, versie 2026.", VERDICT_VOLDOET, &e),
                     0);
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, v0, k11, true, NULL, "ander",
                                     VERDICT_VOLDOET, &e),
                     ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    /* Submission needs the principles and every declaration. */
    assert_int_equal(review_submit(fx.s, &fx.kwaliteit_p, id, version_of(id), &e), ERR_INVALID);
    assert_string_equal(e.field, "principles");
    assert_int_equal(review_accept_principles(fx.s, &fx.kwaliteit_p, id, version_of(id), &e), 0);
    assert_int_equal(review_submit(fx.s, &fx.kwaliteit_p, id, version_of(id), &e), ERR_INVALID);
    assert_string_equal(e.field, "self_declaration");
    assert_non_null(strstr(e.msg, "K1.2"));
    /* Other viewpoints cannot record before submission. */
    assert_int_equal(
        set_view(&fx.contract_r, id, k11, VIEWPOINT_CONTRACTMANAGER, VERDICT_DEELS, true, &e),
        ERR_CONFLICT);
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, version_of(id), k12, true, NULL,
                                     "VOG voor iedereen.", VERDICT_VOLDOET, &e),
                     0);
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, version_of(id), k21, false,
                                     "Wij bieden alleen Wmo-begeleiding.", "", VERDICT_NONE, &e),
                     0);
    assert_int_equal(review_submit(fx.s, &fx.kwaliteit_p, id, version_of(id), &e), 0);
    /* After submission the self-declaration is closed. */
    assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_p, id, version_of(id), k11, true, NULL,
                                     "later", VERDICT_VOLDOET, &e),
                     ERR_CONFLICT);

    /* Each viewpoint records its own; a toegang user cannot edit the contract manager's. */
    assert_int_equal(
        set_view(&fx.toegang, id, k11, VIEWPOINT_CONTRACTMANAGER, VERDICT_VOLDOET, true, &e),
        ERR_DENIED);
    assert_int_equal(
        set_view(&fx.kwaliteit_p, id, k11, VIEWPOINT_TOEZICHTHOUDER, VERDICT_VOLDOET, true, &e),
        ERR_DENIED);
    assert_int_equal(
        set_view(&fx.beleid_r, id, k11, VIEWPOINT_CONTRACTMANAGER, VERDICT_VOLDOET, true, &e),
        ERR_DENIED);
    assert_int_equal(
        set_view(&fx.contract_r, id, k11, VIEWPOINT_CONTRACTMANAGER, VERDICT_DEELS, true, &e), 0);
    struct review r;
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_r, id, &r), 0);
    assert_int_equal(r.status, REVIEW_IN_BEOORDELING);
    assert_int_equal(set_view(&fx.toegang, id, k11, VIEWPOINT_TOEGANG, VERDICT_NOG_NIET, true, &e),
                     0);
    assert_int_equal(
        set_view(&fx.backoffice_r, id, k12, VIEWPOINT_BACKOFFICE, VERDICT_DEELS, true, &e), 0);
    assert_int_equal(
        set_view(&fx.toezicht, id, k12, VIEWPOINT_TOEZICHTHOUDER, VERDICT_NOG_NIET, false, &e), 0);
    /* A reason is needed unless the verdict is voldoet. */
    struct review_view_input noreason = {.criterion_id = k12,
                                         .viewpoint = VIEWPOINT_CONTRACTMANAGER,
                                         .verdict = VERDICT_DEELS,
                                         .reason = "  ",
                                         .method = METHOD_DOCUMENT,
                                         .shared = true};
    assert_int_equal(review_set_view(fx.s, &fx.contract_r, id, version_of(id), &noreason, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "reason");

    /* The provider sees its own and shared views; the unshared supervisor view is hidden. */
    struct review_view *views;
    int n;
    assert_int_equal(review_views(fx.a, fx.s, &fx.kwaliteit_p, id, &views, &n), 0);
    int hidden = 0;
    for (int i = 0; i < n; i++) {
        if (views[i].viewpoint == VIEWPOINT_TOEZICHTHOUDER) {
            assert_true(views[i].hidden);
            assert_int_equal(views[i].verdict, VERDICT_NONE);
            assert_null(views[i].reason);
            hidden++;
        } else {
            assert_false(views[i].hidden);
        }
    }
    assert_int_equal(hidden, 1);
    /* The contract manager and the supervisor itself see it; the toegang user does not. */
    assert_int_equal(review_views(fx.a, fx.s, &fx.contract_r, id, &views, &n), 0);
    for (int i = 0; i < n; i++)
        assert_false(views[i].hidden);
    assert_int_equal(review_views(fx.a, fx.s, &fx.toegang, id, &views, &n), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(views[i].hidden, views[i].viewpoint == VIEWPOINT_TOEZICHTHOUDER);
    /* Once shared, the provider sees it. */
    assert_int_equal(
        set_view(&fx.toezicht, id, k12, VIEWPOINT_TOEZICHTHOUDER, VERDICT_NOG_NIET, true, &e), 0);
    assert_int_equal(review_views(fx.a, fx.s, &fx.kwaliteit_p, id, &views, &n), 0);
    for (int i = 0; i < n; i++)
        assert_false(views[i].hidden);

    /* Triangulation: K1.1 aanbieder voldoet vs toegang nog niet = 2 steps. */
    struct review_item *items;
    int ni;
    struct review_row *rows;
    int nr;
    assert_int_equal(review_items(fx.a, fx.s, &fx.contract_r, id, &items, &ni), 0);
    assert_int_equal(review_views(fx.a, fx.s, &fx.contract_r, id, &views, &n), 0);
    assert_int_equal(review_triangulate(fx.a, items, ni, views, n, &rows, &nr), 0);
    assert_int_equal(rows[0].max_distance, 2);
    assert_int_equal(rows[1].max_distance, 2); /* K1.2: voldoet vs nog niet (toezicht) */

    /* Conversation and decision by the owner's contract manager. */
    assert_int_equal(review_set_conversation(fx.s, &fx.toegang, id, version_of(id), "2026-03-02",
                                             "Besproken.", &e),
                     ERR_DENIED);
    assert_int_equal(review_set_conversation(fx.s, &fx.contract_r, id, version_of(id), "2 maart",
                                             "Besproken.", &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "conversation_on");
    assert_int_equal(review_set_conversation(fx.s, &fx.contract_r, id, version_of(id), "2026-03-02",
                                             "Calamiteitenprocedure besproken.", &e),
                     0);
    assert_int_equal(
        review_decide(fx.s, &fx.contract_e, id, version_of(id), DECISION_TOEGELATEN, "", &e),
        ERR_DENIED); /* Emmen's contract manager: not of the owner */
    assert_int_equal(
        review_decide(fx.s, &fx.beleid_r, id, version_of(id), DECISION_TOEGELATEN, "", &e),
        ERR_DENIED);
    assert_int_equal(
        review_decide(fx.s, &fx.contract_r, id, version_of(id), DECISION_VOORWAARDELIJK, "", &e),
        ERR_INVALID);
    assert_string_equal(e.field, "reason");
    assert_int_equal(review_decide(fx.s, &fx.contract_r, id, version_of(id), 7, "x", &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "decision");
    assert_int_equal(review_decide(fx.s, &fx.contract_r, id, version_of(id),
                                   DECISION_VOORWAARDELIJK,
                                   "Verbeterpunt: melden binnen drie werkdagen.", &e),
                     0);
    assert_int_equal(review_get(fx.a, fx.s, &fx.kwaliteit_p, id, &r), 0);
    assert_int_equal(r.status, REVIEW_BESLOTEN);
    assert_int_equal(r.decision, DECISION_VOORWAARDELIJK);
    /* Read-only once decided. */
    assert_int_equal(
        set_view(&fx.contract_r, id, k11, VIEWPOINT_CONTRACTMANAGER, VERDICT_VOLDOET, true, &e),
        ERR_CONFLICT);
    assert_int_equal(
        review_decide(fx.s, &fx.contract_r, id, version_of(id), DECISION_TOEGELATEN, "", &e),
        ERR_CONFLICT);

    /* Status per theme for the mirror report, as the provider sees it. */
    bool found = false;
    struct review_theme_status *th;
    int nth;
    assert_int_equal(review_latest_status(fx.a, fx.s, &fx.kwaliteit_p, fx.p, &r, &found, &th, &nth),
                     0);
    assert_true(found);
    assert_int_equal(r.id, id);
    assert_int_equal(nth, 1); /* Resultaten: K2.1 not applicable, so no theme row */
    assert_string_equal(th[0].theme, "Veiligheid");
    assert_int_equal(th[0].ncriteria, 2);
    assert_int_equal(th[0].ndeels, 1);   /* K1.1: the contract manager's deels */
    assert_int_equal(th[0].nvoldoet, 1); /* K1.2: no contract manager view, own voldoet */
    assert_int_equal(th[0].ndifferences, 2);
    /* Another aanbieder finds nothing about P. */
    assert_int_equal(review_latest_status(fx.a, fx.s, &fx.kwaliteit_q, fx.p, &r, &found, &th, &nth),
                     0);
    assert_false(found);
}

static void test_provider_events(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct provider_event_input in = {.aanbieder_id = fx.p,
                                      .kind = PEV_CALAMITEIT,
                                      .on_date = today() - 3,
                                      .description = "Melding van een calamiteit bij de "
                                                     "dagbesteding; de aanbieder onderzoekt."};
    int64_t id = 0;
    /* Person data is refused, naming what was found. */
    struct provider_event_input bad = in;
    bad.description = "Jongere met BSN 123456782 is weggelopen, bel 06-12345678.";
    assert_int_equal(provider_event_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "description");
    bad.description = "Mail naar j.jansen@example.nl";
    assert_int_equal(provider_event_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    bad = in;
    bad.kind = 9;
    assert_int_equal(provider_event_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "kind");
    bad = in;
    bad.on_date = today() + 30;
    assert_int_equal(provider_event_create(fx.s, &fx.contract_r, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "on_date");
    /* Who records: not the toegang team, not another aanbieder about P, not raad. */
    assert_int_equal(provider_event_create(fx.s, &fx.toegang, &in, &id, &e), ERR_DENIED);
    assert_int_equal(provider_event_create(fx.s, &fx.kwaliteit_q, &in, &id, &e), ERR_DENIED);
    assert_int_equal(provider_event_create(fx.s, &fx.raad_e, &in, &id, &e), ERR_DENIED);
    int64_t sup = 0, own = 0;
    struct provider_event_input measure = in;
    measure.kind = PEV_MAATREGEL;
    measure.description = "Aanwijzing van de inspectie over het melden van calamiteiten.";
    assert_int_equal(provider_event_create(fx.s, &fx.toezicht, &measure, &sup, &e), 0);
    assert_int_equal(provider_event_create(fx.s, &fx.kwaliteit_p, &in, &own, &e), 0);
    assert_int_equal(provider_event_create(fx.s, &fx.contract_r, &in, &id, &e), 0);
    /* Visibility: the aanbieder, region roles and the supervisor; not another aanbieder. */
    struct provider_event ev;
    assert_int_equal(provider_event_get(fx.a, fx.s, &fx.kwaliteit_p, sup, &ev), 0);
    assert_string_equal(ev.description, measure.description);
    assert_int_equal(provider_event_get(fx.a, fx.s, &fx.kwaliteit_q, id, &ev), ERR_NOT_FOUND);
    assert_int_equal(provider_event_get(fx.a, fx.s, &fx.contract_far, id, &ev), 0);
    /* Only the recording organisation edits; stale versions conflict. */
    struct provider_event_input upd = in;
    upd.version = 1;
    upd.description = "Bijgewerkt: onderzoek afgerond.";
    assert_int_equal(provider_event_update(fx.s, &fx.contract_e, id, &upd, &e), ERR_DENIED);
    assert_int_equal(provider_event_update(fx.s, &fx.contract_r, id, &upd, &e), 0);
    assert_int_equal(provider_event_update(fx.s, &fx.contract_r, id, &upd, &e), ERR_CONFLICT);
    struct provider_event *list;
    int n;
    assert_int_equal(provider_event_list(fx.a, fx.s, &fx.kwaliteit_q, fx.p, false, &list, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(provider_event_list(fx.a, fx.s, &fx.kwaliteit_p, fx.p, false, &list, &n), 0);
    assert_int_equal(n, 3);

    /* An event-driven review names its event, of the same aanbieder. */
    struct review_input rin = {.framework_id = fx.fw,
                               .owner_org_id = fx.region,
                               .aanbieder_id = fx.q,
                               .kind = REVIEW_GEBEURTENIS,
                               .provider_event_id = id,
                               .period_from = today(),
                               .period_to = today(),
                               .laws = FW_LAW_ALL};
    int64_t rid = 0;
    assert_int_equal(review_create(fx.s, &fx.contract_r, &rin, &rid, &e), ERR_INVALID);
    assert_string_equal(e.field, "provider_event_id");
    rin.aanbieder_id = fx.p;
    assert_int_equal(review_create(fx.s, &fx.contract_r, &rin, &rid, &e), 0);
    assert_int_equal(provider_event_get(fx.a, fx.s, &fx.contract_r, id, &ev), 0);
    assert_int_equal(ev.review_id, rid);
    /* The provider overview: the aanbieder sees only itself. */
    struct review_provider *prov;
    assert_int_equal(review_providers(fx.a, fx.s, &fx.kwaliteit_p, &prov, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(prov[0].id, fx.p);
    assert_true(prov[0].has_review);
    assert_int_equal(prov[0].open_events, 3);
    assert_int_equal(review_providers(fx.a, fx.s, &fx.contract_r, &prov, &n), 0);
    assert_int_equal(n, 2);
}

static void test_principles_and_links(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(review_set_principles(fx.s, &fx.kwaliteit_p, fx.fw, "x", &e), ERR_DENIED);
    assert_int_equal(
        review_set_principles(fx.s, &fx.contract_r, fx.fw, "De cliënt staat centraal.", &e), 0);
    const char *p = NULL;
    assert_int_equal(review_principles(fx.a, fx.s, fx.fw, &p), 0);
    assert_string_equal(p, "De cliënt staat centraal.");
    /* Indicator links need edit rights on the criterion and an existing indicator. */
    assert_int_equal(review_link_indicator(fx.s, &fx.kwaliteit_p, fx.crit[2], 1, true, &e),
                     ERR_DENIED);
    assert_int_equal(review_link_indicator(fx.s, &fx.contract_r, fx.crit[2], 99999, true, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "indicator_id");
}

static int64_t fw_version(void)
{
    struct framework f;
    assert_int_equal(framework_get(fx.a, fx.s, &fx.beleid_r, fx.fw, &f), 0);
    return f.version;
}

/* The editors' change of the principles: rights first, then version, then the text; a new
 * framework version with a history entry; unchanged text changes nothing. */
static void test_update_principles(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t v = fw_version();
    assert_int_equal(review_update_principles(fx.s, &fx.kwaliteit_p, fx.fw, 0, "x", &e),
                     ERR_DENIED); /* stale version and all: the refusal comes first */
    assert_int_equal(review_update_principles(fx.s, &fx.contract_e, fx.fw, v, "x", &e),
                     ERR_DENIED); /* a gemeente's contract manager is no framework editor */
    assert_int_equal(review_update_principles(fx.s, &fx.beleid_r, fx.fw, v - 1, "x", &e),
                     ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    char *big = arena_alloc(fx.a, REVIEW_PRINCIPLES_MAX + 2);
    memset(big, 'a', REVIEW_PRINCIPLES_MAX + 1);
    big[REVIEW_PRINCIPLES_MAX + 1] = '\0';
    assert_int_equal(review_update_principles(fx.s, &fx.beleid_r, fx.fw, v, big, &e), ERR_INVALID);
    assert_string_equal(e.field, "principles");
    assert_non_null(strstr(e.msg, "8000"));
    assert_int_equal(review_principles_check(big, &e), ERR_INVALID);
    big[REVIEW_PRINCIPLES_MAX] = '\0'; /* exactly the limit is fine */
    assert_int_equal(review_principles_check(big, &e), 0);
    assert_int_equal(review_update_principles(fx.s, &fx.beleid_r, fx.fw, v, "Bad \x01 tekst", &e),
                     ERR_INVALID);
    assert_int_equal(fw_version(), v); /* nothing written by the refusals */
    assert_int_equal(review_update_principles(fx.s, &fx.beleid_r, fx.fw, v,
                                              "  Wij werken samen.\nDe jeugdige staat centraal.  ",
                                              &e),
                     0);
    assert_int_equal(fw_version(), v + 1);
    const char *p = NULL;
    assert_int_equal(review_principles(fx.a, fx.s, fx.fw, &p), 0);
    assert_string_equal(p, "Wij werken samen.\nDe jeugdige staat centraal.");
    struct fw_version *hist = NULL;
    int nh = 0;
    assert_int_equal(framework_versions(fx.a, fx.s, &fx.beleid_r, fx.fw, &hist, &nh), 0);
    assert_true(nh >= 2);
    assert_int_equal(hist[0].version, v + 1);
    assert_string_equal(hist[0].summary, "Leidende principes gewijzigd");
    /* The same text again: no new version. */
    assert_int_equal(review_update_principles(fx.s, &fx.contract_r, fx.fw, v + 1,
                                              "Wij werken samen.\nDe jeugdige staat centraal.", &e),
                     0);
    assert_int_equal(fw_version(), v + 1);
    assert_int_equal(review_update_principles(fx.s, &fx.beleid_r, 987654, 1, "x", &e),
                     ERR_NOT_FOUND);
}

/* Replacing a criterion's indicator links: the criterion's editors, active indicators only. */
static void test_criterion_link_sets(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    size_t added = 0;
    assert_int_equal(ind_catalog_ensure_standard(fx.s, &added, &e), 0);
    struct criterion_link *ch = NULL, *l = NULL;
    int nch = 0, nl = 0;
    assert_int_equal(review_indicator_choices(fx.a, fx.s, &ch, &nch), 0);
    assert_true(nch >= 3);
    for (int i = 1; i < nch; i++) /* by name */
        assert_true(strcmp(ch[i - 1].indicator_name, ch[i].indicator_name) <= 0);
    int64_t ids[3] = {ch[0].indicator_id, ch[2].indicator_id, ch[0].indicator_id};
    /* A regional criterion: the region's editors; a local point: its gemeente's. */
    assert_int_equal(review_set_criterion_links(fx.s, &fx.kwaliteit_p, fx.crit[2], ids, 2, &e),
                     ERR_DENIED);
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_e, fx.crit[2], ids, 2, &e),
                     ERR_DENIED);
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_r, fx.crit[3], ids, 2, &e),
                     ERR_DENIED);
    int64_t bogus[2] = {ch[0].indicator_id, 987654321};
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_r, fx.crit[2], bogus, 2, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "indicator_id");
    assert_int_equal(review_criterion_links(fx.a, fx.s, fx.crit[2], &l, &nl), 0);
    assert_int_equal(nl, 0); /* all or nothing */
    int64_t many[REVIEW_LINKS_MAX + 1] = {0};
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_r, fx.crit[2], many,
                                                REVIEW_LINKS_MAX + 1, &e),
                     ERR_INVALID);
    /* Duplicates are ignored. */
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_r, fx.crit[2], ids, 3, &e), 0);
    assert_int_equal(review_criterion_links(fx.a, fx.s, fx.crit[2], &l, &nl), 0);
    assert_int_equal(nl, 2);
    /* Replace: one stays, one goes, one comes. */
    int64_t next[2] = {ch[2].indicator_id, ch[1].indicator_id};
    assert_int_equal(review_set_criterion_links(fx.s, &fx.beleid_r, fx.crit[2], next, 2, &e), 0);
    assert_int_equal(review_criterion_links(fx.a, fx.s, fx.crit[2], &l, &nl), 0);
    assert_int_equal(nl, 2);
    bool has1 = false, has2 = false;
    for (int i = 0; i < nl; i++) {
        has1 = has1 || l[i].indicator_id == ch[1].indicator_id;
        has2 = has2 || l[i].indicator_id == ch[2].indicator_id;
        assert_int_not_equal(l[i].indicator_id, ch[0].indicator_id);
    }
    assert_true(has1 && has2);
    /* The local point: Emmen's contract manager. Then clearing. */
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_e, fx.crit[3], next, 1, &e), 0);
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_e, fx.crit[3], NULL, 0, &e), 0);
    assert_int_equal(review_criterion_links(fx.a, fx.s, fx.crit[3], &l, &nl), 0);
    assert_int_equal(nl, 0);
    assert_int_equal(review_set_criterion_links(fx.s, &fx.contract_r, 987654, next, 1, &e),
                     ERR_NOT_FOUND);
}

/* Submitting with the acceptance in the same step is all or nothing. */
static void test_submit_accepting(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_review(&fx.contract_r, fx.region, fx.q, FW_LAW_WMO);
    struct review r;
    assert_int_equal(review_submit_accepting(fx.s, &fx.kwaliteit_p, id, version_of(id), true, &e),
                     ERR_NOT_FOUND); /* another aanbieder's review does not exist for p */
    assert_int_equal(review_submit_accepting(fx.s, &fx.kwaliteit_q, id, version_of(id), true, &e),
                     ERR_INVALID); /* nothing declared yet */
    assert_string_equal(e.field, "self_declaration");
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_r, id, &r), 0);
    assert_null(r.principles_accepted_at); /* the acceptance was not kept */
    struct review_item *items = NULL;
    int ni = 0;
    assert_int_equal(review_items(fx.a, fx.s, &fx.kwaliteit_q, id, &items, &ni), 0);
    for (int i = 0; i < ni; i++)
        assert_int_equal(review_set_item(fx.s, &fx.kwaliteit_q, id, version_of(id),
                                         items[i].criterion_id, true, NULL, "Zie het handboek.",
                                         VERDICT_DEELS, &e),
                         0);
    int64_t v = version_of(id);
    assert_int_equal(review_submit_accepting(fx.s, &fx.kwaliteit_q, id, v, false, &e), ERR_INVALID);
    assert_string_equal(e.field, "principles");
    assert_int_equal(review_submit_accepting(fx.s, &fx.kwaliteit_q, id, v - 1, true, &e),
                     ERR_CONFLICT);
    assert_int_equal(review_submit_accepting(fx.s, &fx.kwaliteit_q, id, v, true, &e), 0);
    assert_int_equal(review_get(fx.a, fx.s, &fx.contract_r, id, &r), 0);
    assert_non_null(r.principles_accepted_at);
    assert_int_equal(r.status, REVIEW_INGEDIEND);
    assert_int_equal(r.version, v + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabulary_and_distance),
        cmocka_unit_test(test_triangulate_rule),
        cmocka_unit_test(test_create_and_applicable_criteria),
        cmocka_unit_test(test_outsiders_get_not_found),
        cmocka_unit_test(test_lifecycle_and_viewpoints),
        cmocka_unit_test(test_provider_events),
        cmocka_unit_test(test_principles_and_links),
        cmocka_unit_test(test_update_principles),
        cmocka_unit_test(test_criterion_link_sets),
        cmocka_unit_test(test_submit_accepting),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
