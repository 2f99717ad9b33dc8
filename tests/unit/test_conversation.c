/*
 * test_conversation.c: kwaliteitsgesprekken (domain/conversation.c, store/conversation_store.c):
 * validation of the plan, who may see and change a conversation (policy rule 13), the status
 * rules, preparation notes per side and role, optimistic locking per phase, approvals per side
 * cleared by any later edit, the published list for the council report, evaluations and their
 * threshold, the statistics per quarter and the policy-filtered list.
 */
#include "domain/conversation.h"
#include "domain/conversation_published.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/result.h"
#include "store/conversation_store.h"
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, gem_a, gem_b, provider, provider2, toezicht, result_a, result_b, result_region;
    struct actor beleid_a, beleid_a2, beleid_b, beleid_region, kwaliteit_p, prof_p, kwaliteit_p2,
        raad_a, beheer, contract_a;
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int64_t make_result(const struct actor *who, int64_t owner, const char *title)
{
    struct err_ctx e = {0};
    struct result_input ri = {.owner_org_id = owner,
                              .theme = THEME_OPGROEIEN,
                              .title = title,
                              .description = "",
                              .start_year = 2024,
                              .end_year = 2027};
    int64_t id = 0;
    assert_int_equal(result_create(fx.s, who, &ri, &id, &e), 0);
    return id;
}

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    ts_store_open("conversation", fx.dir, fx.path, &fx.s);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Drenthe", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region); /* Emmen */
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, fx.region); /* Assen */
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.provider2 = ts_make_org(fx.s, ORG_AANBIEDER, "Andere Zorg BV", NULL, "87654321", 0);
    fx.toezicht = ts_make_org(fx.s, ORG_TOEZICHTHOUDER, "Toezicht", NULL, NULL, 0);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.beleid_a2 = ts_make_actor(fx.s, fx.a, "beleid.a2", fx.gem_a, ROLE_BELEID, PW);
    fx.contract_a = ts_make_actor(fx.s, fx.a, "contract.a", fx.gem_a, ROLE_CONTRACT, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.beleid_region = ts_make_actor(fx.s, fx.a, "beleid.r", fx.region, ROLE_BELEID, PW);
    fx.kwaliteit_p = ts_make_actor(fx.s, fx.a, "kwal.p", fx.provider, ROLE_KWALITEIT, PW);
    fx.prof_p = ts_make_actor(fx.s, fx.a, "prof.p", fx.provider, ROLE_PROFESSIONAL, PW);
    fx.kwaliteit_p2 = ts_make_actor(fx.s, fx.a, "kwal.p2", fx.provider2, ROLE_KWALITEIT, PW);
    fx.raad_a = ts_make_actor(fx.s, fx.a, "raad.a", fx.gem_a, ROLE_RAAD, PW);
    fx.beheer = ts_make_actor(fx.s, fx.a, "beheer", fx.region, ROLE_BEHEERDER, PW);
    fx.result_a = make_result(&fx.beleid_a, fx.gem_a, "Kinderen groeien veilig op");
    fx.result_b = make_result(&fx.beleid_b, fx.gem_b, "Assen: meedoen");
    fx.result_region = make_result(&fx.beleid_region, fx.region, "Regionaal: thuis wonen");
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

static int count_audit(const char *prefix)
{
    struct audit_filter af = {.action_prefix = prefix, .limit = AUDIT_LIST_MAX};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(fx.a, fx.s, &admin, &af, &ev, &n, &total), 0);
    return total;
}

static struct conv_party_input parties1[1];
static struct conv_participant_input people[8];

/* A plan of gem_a with provider as the other side and duo participants. */
static struct conv_input plan(const char *title)
{
    static int64_t results[1];
    results[0] = fx.result_a;
    parties1[0] = (struct conv_party_input){.org_id = fx.provider};
    people[0] = (struct conv_participant_input){fx.beleid_a.user_id, CROLE_GESPREKSLEIDER};
    people[1] = (struct conv_participant_input){fx.contract_a.user_id, CROLE_NOTULIST};
    people[2] = (struct conv_participant_input){fx.kwaliteit_p.user_id, CROLE_DEELNEMER};
    people[3] = (struct conv_participant_input){fx.prof_p.user_id, CROLE_DEELNEMER};
    return (struct conv_input){.owner_org_id = fx.gem_a,
                               .kind = CONV_ACHTERKANT,
                               .title = title,
                               .goal = "Samen duiden hoe het gaat met veilig opgroeien.",
                               .place = "Raadhuis Emmen",
                               .period_from = day_from_ymd(2025, 1, 1),
                               .period_to = day_from_ymd(2025, 12, 31),
                               .held_on = day_from_ymd(2026, 2, 10),
                               .result_ids = results,
                               .nresults = 1,
                               .parties = parties1,
                               .nparties = 1,
                               .participants = people,
                               .nparticipants = 4};
}

static int64_t make_conv(const char *title)
{
    struct err_ctx e = {0};
    struct conv_input in = plan(title);
    int64_t id = 0;
    int rc = conversation_create(fx.s, &fx.beleid_a, &in, &id, &e);
    if (rc)
        fail_msg("create %s: %s (%s: %s)", title, err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static struct conversation load(const struct actor *who, int64_t id)
{
    struct conversation c;
    assert_int_equal(conversation_get(fx.a, fx.s, who, id, &c), 0);
    return c;
}

static bool sees(const struct actor *who, int64_t id)
{
    struct conversation c;
    return conversation_get(fx.a, fx.s, who, id, &c) == 0;
}

static void hold_and_conclude(int64_t id, const char *summary)
{
    struct err_ctx e = {0};
    struct conversation c = load(&fx.beleid_a, id);
    assert_int_equal(conversation_mark_held(fx.s, &fx.beleid_a, id, c.version, &e), 0);
    c = load(&fx.beleid_a, id);
    assert_int_equal(
        conversation_conclude(fx.s, &fx.kwaliteit_p, id, summary, "Conclusie.", c.version, &e), 0);
}

static void test_codes(void **state)
{
    (void)state;
    enum conv_phase p;
    enum conv_side sd;
    enum conv_goal g;
    assert_string_equal(conv_phase_code(PHASE_WAARDEREN), "waarderen");
    assert_int_equal(conv_phase_parse("verbeteren", &p), 0);
    assert_int_equal(p, PHASE_VERBETEREN);
    assert_int_equal(conv_phase_parse("Verbeteren", &p), ERR_INVALID);
    assert_int_equal(conv_phase_parse(NULL, &p), ERR_INVALID);
    assert_int_equal(conv_side_parse("samenwerkingsverband", &sd), 0);
    assert_int_equal(conv_goal_parse("deels", &g), 0);
    assert_string_equal(conv_status_code((enum conv_status)99), "");
    assert_string_equal(conv_role_code(CROLE_NOTULIST), "notulist");
    assert_int_equal(conv_side_for(ORG_AANBIEDER), SIDE_AANBIEDER);
    assert_int_equal(conv_side_for(ORG_REGION), SIDE_SAMENWERKINGSVERBAND);
    for (int k = 0; k < CONV_PHASES; k++) {
        const char *const *q = conv_phase_questions((enum conv_phase)k);
        assert_non_null(q[0]);
    }
}

static void test_create_validation(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = 0;
    struct conv_input in = plan("  Kwaliteitsgesprek Q4  ");
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), 0);
    struct conversation c = load(&fx.beleid_a, id);
    assert_string_equal(c.title, "Kwaliteitsgesprek Q4"); /* trimmed */
    assert_string_equal(c.gemeente, "0114");              /* the owner's own */
    assert_int_equal(c.status, CONV_GEPLAND);
    assert_int_equal(c.nparties, 2);
    assert_int_equal(c.parties[0].org_id, fx.gem_a); /* owner first */
    assert_int_equal(c.parties[0].side, SIDE_GEMEENTE);
    assert_int_equal(c.parties[1].side, SIDE_AANBIEDER);
    assert_int_equal(c.nparticipants, 4);
    assert_int_equal(conversation_count_participants_of(&c, fx.provider), 2);
    assert_false(c.minutes_approved);

    struct {
        const char *field;
        void (*mutate)(struct conv_input *);
    } bad[] = {
        {"title", NULL}, {"period_to", NULL}, {"result_ids", NULL}, {"parties", NULL},
        {"kind", NULL},  {"gemeente", NULL},  {"held_on", NULL},
    };
    for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
        in = plan("Test");
        switch (k) {
        case 0:
            in.title = "   ";
            break;
        case 1:
            in.period_to = in.period_from - 1;
            break;
        case 2:
            in.nresults = 0;
            break;
        case 3:
            in.nparties = 0;
            break;
        case 4:
            in.kind = 7;
            break;
        case 5:
            in.gemeente = "GM01";
            break;
        case 6:
            in.held_on = 999999;
            break;
        }
        memset(&e, 0, sizeof e);
        assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
        assert_string_equal(e.field, bad[k].field);
        assert_true(e.msg[0] != '\0');
    }
    /* A result of another gemeente is refused; one of the own region is allowed. */
    int64_t other[] = {fx.result_b};
    in = plan("Test");
    in.result_ids = other;
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "result_ids");
    int64_t regional[] = {fx.result_region};
    in.result_ids = regional;
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), 0);
    /* A toezichthouder cannot be a party; an unknown user cannot be invited. */
    struct conv_party_input tz[] = {{.org_id = fx.toezicht}};
    in = plan("Test");
    in.parties = tz;
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "parties");
    struct conv_party_input wrong_side[] = {{.org_id = fx.provider, .side = SIDE_GEMEENTE}};
    in.parties = wrong_side;
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
    struct conv_participant_input ghost[] = {{999999, CROLE_DEELNEMER}};
    in = plan("Test");
    in.participants = ghost;
    in.nparticipants = 1;
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "participants");
    /* Hostile text: control characters, too long. */
    in = plan("Titel\x01");
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
    char long_goal[CONV_GOAL_MAX + 2];
    memset(long_goal, 'x', sizeof long_goal - 1);
    long_goal[sizeof long_goal - 1] = '\0';
    in = plan("Titel");
    in.goal = long_goal;
    assert_int_equal(conversation_create(fx.s, &fx.beleid_a, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "goal");
}

static void test_create_denied(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = 0;
    struct conv_input in = plan("Niet toegestaan");
    assert_int_equal(conversation_create(fx.s, &fx.kwaliteit_p, &in, &id, &e), ERR_DENIED);
    assert_int_equal(conversation_create(fx.s, &fx.beleid_b, &in, &id, &e), ERR_DENIED);
    assert_int_equal(conversation_create(fx.s, &fx.raad_a, &in, &id, &e), ERR_DENIED);
    assert_int_equal(conversation_create(fx.s, &fx.beheer, &in, &id, &e), ERR_DENIED);
    in.owner_org_id = fx.provider; /* an aanbieder does not plan conversations */
    assert_int_equal(conversation_create(fx.s, &fx.kwaliteit_p, &in, &id, &e), ERR_DENIED);
    in = plan("Wel toegestaan");
    assert_int_equal(conversation_create(fx.s, &fx.contract_a, &in, &id, &e), 0);
}

static void test_visibility(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Zichtbaarheid");
    assert_true(sees(&fx.beleid_a, id));
    assert_true(sees(&fx.beleid_a2, id)); /* content role of the owner */
    assert_true(sees(&fx.kwaliteit_p, id));
    assert_true(sees(&fx.prof_p, id));
    assert_false(sees(&fx.kwaliteit_p2, id)); /* not a party */
    assert_false(sees(&fx.beleid_b, id));
    assert_false(sees(&fx.beleid_region, id));
    assert_false(sees(&fx.raad_a, id)); /* not invited */
    assert_false(sees(&fx.beheer, id)); /* content, not administration */
    /* Invited people see it whatever their organisation; raad may not change it. */
    struct conversation c = load(&fx.beleid_a, id);
    struct conv_input in = plan("Zichtbaarheid");
    struct conv_participant_input more[6];
    memcpy(more, people, 4 * sizeof *more);
    more[4] = (struct conv_participant_input){fx.raad_a.user_id, CROLE_TOEHOORDER};
    more[5] = (struct conv_participant_input){fx.kwaliteit_p2.user_id, CROLE_DEELNEMER};
    in.participants = more;
    in.nparticipants = 6;
    in.version = c.version;
    assert_int_equal(conversation_update(fx.s, &fx.beleid_a, id, &in, &e), 0);
    assert_true(sees(&fx.raad_a, id));
    assert_true(sees(&fx.kwaliteit_p2, id));
    c = load(&fx.beleid_a, id);
    assert_int_equal(conversation_mark_held(fx.s, &fx.raad_a, id, c.version, &e), ERR_DENIED);
    /* Someone who may not see it gets not-found, never denied. */
    assert_int_equal(conversation_mark_held(fx.s, &fx.beleid_b, id, c.version, &e), ERR_NOT_FOUND);
    assert_int_equal(conversation_get(fx.a, fx.s, &fx.beleid_a, 987654, &c), ERR_NOT_FOUND);
    /* The list shows only what each may view. */
    struct conversation *rows;
    int n, total;
    struct conv_filter f = {.limit = CONV_LIST_MAX};
    assert_int_equal(conversation_list(fx.a, fx.s, &fx.beleid_b, &f, &rows, &n, &total), 0);
    for (int k = 0; k < n; k++)
        assert_int_not_equal(rows[k].owner_org_id, fx.gem_a);
    assert_int_equal(conversation_list(fx.a, fx.s, &fx.raad_a, &f, &rows, &n, &total), 0);
    assert_int_equal(total, 1);
    assert_int_equal(rows[0].id, id);
    int before = 0;
    assert_int_equal(conversation_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &before), 0);
    assert_true(before >= 2);
    f.status = CONV_GEANNULEERD;
    assert_int_equal(conversation_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), 0);
    assert_int_equal(total, 0);
    f = (struct conv_filter){.party_org_id = fx.provider, .limit = 1};
    assert_int_equal(conversation_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_true(total >= 2); /* total counts past the page */
    f.offset = -1;
    assert_int_equal(conversation_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total),
                     ERR_INVALID);
}

static void test_status_rules(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Status");
    struct conversation c = load(&fx.beleid_a, id);
    /* Conclude before held: refused. */
    assert_int_equal(
        conversation_conclude(fx.s, &fx.beleid_a, id, "Samenvatting", "", c.version, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "status");
    /* A data pack marks it prepared (in the pack's transaction). */
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(conversation_mark_prepared_tx(db, id), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    c = load(&fx.beleid_a, id);
    assert_int_equal(c.status, CONV_VOORBEREID);
    /* Stale versions conflict. */
    assert_int_equal(conversation_mark_held(fx.s, &fx.beleid_a, id, c.version - 1, &e),
                     ERR_CONFLICT);
    /* An aanbieder may mark it held (member) but not cancel it (owner only). */
    assert_int_equal(conversation_cancel(fx.s, &fx.kwaliteit_p, id, c.version, &e), ERR_DENIED);
    assert_int_equal(conversation_mark_held(fx.s, &fx.kwaliteit_p, id, c.version, &e), 0);
    c = load(&fx.beleid_a, id);
    assert_int_equal(c.status, CONV_GEHOUDEN);
    assert_int_equal(conversation_mark_held(fx.s, &fx.beleid_a, id, c.version, &e), ERR_INVALID);
    assert_int_equal(conversation_cancel(fx.s, &fx.beleid_a, id, c.version, &e), ERR_INVALID);
    struct conv_input in = plan("Nieuwe titel");
    in.version = c.version;
    assert_int_equal(conversation_update(fx.s, &fx.beleid_a, id, &in, &e), ERR_INVALID);
    assert_string_equal(e.field, "status");
    /* Summary required. */
    assert_int_equal(conversation_conclude(fx.s, &fx.beleid_a, id, "  ", "", c.version, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "summary");
    assert_int_equal(conversation_conclude(fx.s, &fx.beleid_a, id, "Samenvatting.", "Conclusies.",
                                           c.version, &e),
                     0);
    c = load(&fx.beleid_a, id);
    assert_int_equal(c.status, CONV_AFGEROND);
    assert_string_equal(c.summary, "Samenvatting.");
    /* A voorkant conversation goes from gepland straight to gehouden; cancel a planned one. */
    int64_t id2 = make_conv("Annuleren");
    c = load(&fx.beleid_a, id2);
    assert_int_equal(conversation_cancel(fx.s, &fx.beleid_a, id2, c.version, &e), 0);
    c = load(&fx.beleid_a, id2);
    assert_int_equal(c.status, CONV_GEANNULEERD);
    const char *hint;
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.beleid_a, id2, PHASE_HERKENNEN, "x", 0,
                                             1, &hint, &e),
                     ERR_INVALID);
    assert_true(count_audit("conversation.cancel") >= 1);
    assert_true(count_audit("conversation.held") >= 1);
    assert_true(count_audit("conversation.conclude") >= 1);
}

static void test_plan_update_locking(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Versie");
    struct conversation c = load(&fx.beleid_a, id);
    struct conv_input in = plan("Versie 2");
    in.version = c.version;
    assert_int_equal(conversation_update(fx.s, &fx.kwaliteit_p, id, &in, &e), 0);
    in.title = "Versie 3"; /* still the old version */
    assert_int_equal(conversation_update(fx.s, &fx.beleid_a, id, &in, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    c = load(&fx.beleid_a, id);
    assert_string_equal(c.title, "Versie 2");
    /* The owner stays the owner even if the input names another. */
    in.version = c.version;
    in.owner_org_id = fx.gem_b;
    assert_int_equal(conversation_update(fx.s, &fx.beleid_a, id, &in, &e), 0);
    c = load(&fx.beleid_a, id);
    assert_int_equal(c.owner_org_id, fx.gem_a);
    /* previous_id must be visible and of the same owner, and not itself. */
    in.version = c.version;
    in.previous_id = id;
    assert_int_equal(conversation_update(fx.s, &fx.beleid_a, id, &in, &e), ERR_INVALID);
    assert_string_equal(e.field, "previous_id");
}

static void test_prep_notes(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Voorbereiding");
    int64_t np = 0, ng = 0;
    assert_int_equal(conversation_prep_create(fx.s, &fx.kwaliteit_p, id,
                                              "Onze cijfers over uitval zijn lager dan vorig jaar.",
                                              false, &np, &e),
                     0);
    assert_int_equal(
        conversation_prep_create(fx.s, &fx.beleid_a, id, "Vraag naar wachttijden.", true, &ng, &e),
        0);
    struct conv_prep_note *notes;
    int n;
    /* The provider's own side sees its unshared note, and the gemeente's shared one. */
    assert_int_equal(conversation_prep_notes(fx.a, fx.s, &fx.prof_p, id, &notes, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(notes[0].id, np); /* own side first */
    assert_true(notes[0].mine);
    assert_false(notes[1].mine);
    /* The gemeente does not see the provider's note until it is shared. */
    assert_int_equal(conversation_prep_notes(fx.a, fx.s, &fx.beleid_a, id, &notes, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(notes[0].id, ng);
    /* Not a member: nothing at all. */
    assert_int_equal(conversation_prep_notes(fx.a, fx.s, &fx.kwaliteit_p2, id, &notes, &n),
                     ERR_NOT_FOUND);
    /* The gemeente cannot change the provider's note, even when it can see it. */
    assert_int_equal(
        conversation_prep_update(fx.s, &fx.beleid_a, id, np, "Overschreven", true, 1, &e),
        ERR_NOT_FOUND);
    assert_int_equal(conversation_prep_update(fx.s, &fx.kwaliteit_p, id, np,
                                              "Onze cijfers over uitval zijn lager.", true, 1, &e),
                     0);
    assert_int_equal(conversation_prep_update(fx.s, &fx.kwaliteit_p, id, np, "Oud", true, 1, &e),
                     ERR_CONFLICT);
    assert_int_equal(conversation_prep_notes(fx.a, fx.s, &fx.beleid_a, id, &notes, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(
        conversation_prep_update(fx.s, &fx.beleid_a, id, np, "Overschreven", true, 2, &e),
        ERR_DENIED);
    assert_int_equal(conversation_prep_delete(fx.s, &fx.beleid_a, id, np, &e), ERR_DENIED);
    /* A note id of another conversation is not found through this one. */
    int64_t other = make_conv("Andere");
    assert_int_equal(conversation_prep_delete(fx.s, &fx.kwaliteit_p, other, np, &e), ERR_NOT_FOUND);
    /* Raad members never write notes; empty and hostile bodies are refused. */
    assert_int_equal(conversation_prep_create(fx.s, &fx.kwaliteit_p, id, " \n ", false, &np, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "body");
    assert_int_equal(conversation_prep_create(fx.s, &fx.kwaliteit_p, id,
                                              "a\x02"
                                              "b",
                                              false, &np, &e),
                     ERR_INVALID);
    /* Once held, a shared note stays shared. */
    struct conversation c = load(&fx.beleid_a, id);
    assert_int_equal(conversation_mark_held(fx.s, &fx.beleid_a, id, c.version, &e), 0);
    assert_int_equal(conversation_prep_update(fx.s, &fx.beleid_a, id, ng, "Vraag naar wachttijden.",
                                              false, 1, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "shared");
    assert_int_equal(conversation_prep_delete(fx.s, &fx.beleid_a, id, ng, &e), 0);
    assert_true(count_audit("conversation.prep_") >= 4);
}

static void test_phases_and_drift(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Fasen");
    struct conv_phase_notes ph[CONV_PHASES];
    assert_int_equal(conversation_phases(fx.a, fx.s, &fx.kwaliteit_p, id, ph), 0);
    for (int k = 0; k < CONV_PHASES; k++) {
        assert_int_equal(ph[k].phase, k);
        assert_int_equal(ph[k].version, 1);
        assert_string_equal(ph[k].notes, "");
    }
    const char *hint = "x";
    const char *outcome = "We herkennen de daling van het percentage jongeren dat uitvalt. "
                          "Ouders zeggen dat ze sneller hulp krijgen; het effect is zichtbaar.";
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.beleid_a, id, PHASE_HERKENNEN, outcome,
                                             20, 1, &hint, &e),
                     0);
    assert_null(hint);
    /* Second note-taker with the old version: conflict, nothing lost for the first. */
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.kwaliteit_p, id, PHASE_HERKENNEN,
                                             "Andere tekst", 20, 1, &hint, &e),
                     ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    const char *activity = "We hebben dit jaar 14 trainingen gegeven en 230 uur ingezet op "
                           "huisbezoeken. Er zijn 6 bijeenkomsten georganiseerd voor "
                           "professionals en een folder gemaakt.";
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.kwaliteit_p, id, PHASE_BEGRIJPEN,
                                             activity, 15, 1, &hint, &e),
                     0);
    assert_non_null(hint);
    assert_int_equal(conversation_phases(fx.a, fx.s, &fx.beleid_a, id, ph), 0);
    assert_int_equal(ph[PHASE_HERKENNEN].version, 2);
    assert_int_equal(ph[PHASE_HERKENNEN].planned_minutes, 20);
    assert_string_equal(ph[PHASE_HERKENNEN].notes, outcome);
    assert_string_equal(ph[PHASE_BEGRIJPEN].updated_by_name, "kwal.p");
    /* Limits. */
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.beleid_a, id, PHASE_WAARDEREN, "x",
                                             CONV_MINUTES_MAX + 1, 1, &hint, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "planned_minutes");
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.beleid_a, id, (enum conv_phase)9, "x",
                                             0, 1, &hint, &e),
                     ERR_INVALID);
    assert_int_equal(
        conversation_phase_save(fx.a, fx.s, &fx.raad_a, id, PHASE_WAARDEREN, "x", 0, 1, &hint, &e),
        ERR_NOT_FOUND);
}

static void test_approvals(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Goedkeuren");
    /* Not before it is concluded. */
    assert_int_equal(conversation_approve(fx.s, &fx.beleid_a, id, &e), ERR_INVALID);
    hold_and_conclude(id, "We zagen minder uitval.");
    struct conv_published *pub;
    int npub;
    assert_int_equal(conversation_published_list(fx.a, fx.s, fx.result_a, NULL, 0, &pub, &npub), 0);
    for (int k = 0; k < npub; k++)
        assert_int_not_equal(pub[k].id, id);
    assert_int_equal(conversation_approve(fx.s, &fx.beleid_a, id, &e), 0);
    struct conversation c = load(&fx.beleid_a, id);
    assert_false(c.minutes_approved); /* one side only */
    assert_non_null(conversation_own_party(&c, &fx.beleid_a)->approved_at);
    /* A professional has no content role: cannot approve for the provider. */
    assert_int_equal(conversation_approve(fx.s, &fx.prof_p, id, &e), ERR_DENIED);
    assert_int_equal(conversation_approve(fx.s, &fx.kwaliteit_p2, id, &e), ERR_NOT_FOUND);
    assert_int_equal(conversation_approve(fx.s, &fx.kwaliteit_p, id, &e), 0);
    c = load(&fx.beleid_a, id);
    assert_true(c.minutes_approved);
    assert_int_equal(conversation_published_list(fx.a, fx.s, fx.result_a, "GM0114", 0, &pub, &npub),
                     0);
    bool found = false;
    for (int k = 0; k < npub; k++)
        found |= pub[k].id == id;
    assert_true(found);
    assert_int_equal(conversation_published_list(fx.a, fx.s, fx.result_a, "0106", 0, &pub, &npub),
                     0);
    for (int k = 0; k < npub; k++)
        assert_int_not_equal(pub[k].id, id);
    /* Concluding again with the same text keeps the approvals; other text clears them. */
    assert_int_equal(conversation_conclude(fx.s, &fx.beleid_a, id, "We zagen minder uitval.",
                                           "Conclusie.", c.version, &e),
                     0);
    c = load(&fx.beleid_a, id);
    assert_true(c.minutes_approved);
    assert_int_equal(conversation_conclude(fx.s, &fx.beleid_a, id, "We zagen veel minder uitval.",
                                           "Conclusie.", c.version, &e),
                     0);
    c = load(&fx.beleid_a, id);
    assert_false(c.minutes_approved);
    assert_null(c.parties[0].approved_at);
    assert_null(c.parties[1].approved_at);
    /* Approve both again, then edit a phase: cleared again. */
    assert_int_equal(conversation_approve(fx.s, &fx.beleid_a, id, &e), 0);
    assert_int_equal(conversation_approve(fx.s, &fx.kwaliteit_p, id, &e), 0);
    assert_true(load(&fx.beleid_a, id).minutes_approved);
    const char *hint;
    assert_int_equal(conversation_phase_save(fx.a, fx.s, &fx.prof_p, id, PHASE_VERBETEREN,
                                             "Nog een afspraak.", 0, 1, &hint, &e),
                     0);
    assert_false(load(&fx.beleid_a, id).minutes_approved);
    assert_int_equal(conversation_published_list(fx.a, fx.s, fx.result_a, NULL, 0, &pub, &npub), 0);
    for (int k = 0; k < npub; k++)
        assert_int_not_equal(pub[k].id, id);
    /* Withdraw. */
    assert_int_equal(conversation_approve(fx.s, &fx.kwaliteit_p, id, &e), 0);
    assert_int_equal(conversation_unapprove(fx.s, &fx.kwaliteit_p, id, &e), 0);
    assert_null(load(&fx.beleid_a, id).parties[1].approved_at);
    assert_true(count_audit("conversation.approve") >= 5);
}

static void test_evaluations(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_conv("Evaluatie");
    /* Not before it was held. */
    assert_int_equal(conversation_evaluate(fx.s, &fx.beleid_a, id, 4, "ja", "", "", &e),
                     ERR_INVALID);
    hold_and_conclude(id, "Samenvatting.");
    assert_int_equal(conversation_evaluate(fx.s, &fx.beleid_a, id, 6, "ja", "", "", &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "rating");
    assert_int_equal(conversation_evaluate(fx.s, &fx.beleid_a, id, 4, "misschien", "", "", &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "goal_reached");
    assert_int_equal(conversation_evaluate(fx.s, &fx.raad_a, id, 4, "ja", "", "", &e),
                     ERR_NOT_FOUND);
    assert_int_equal(conversation_evaluate(fx.s, &fx.beleid_a, id, 2, "deels", "Open sfeer",
                                           "Korter bij herkennen", &e),
                     0);
    /* Replacing the own evaluation does not count twice. */
    assert_int_equal(conversation_evaluate(fx.s, &fx.beleid_a, id, 4, "ja", "Open sfeer",
                                           "Korter bij herkennen", &e),
                     0);
    assert_int_equal(conversation_evaluate(fx.s, &fx.kwaliteit_p, id, 5, "ja", "", "", &e), 0);
    struct conv_eval_stats st;
    assert_int_equal(conversation_evaluation_summary(fx.a, fx.s, &fx.kwaliteit_p, id, &st), 0);
    assert_int_equal(st.nevaluations, 2);
    assert_false(st.shown);
    assert_true(st.avg_rating == 0 && st.goal_ja == 0 && st.ntips == 0); /* nothing leaks */
    struct conv_evaluation mine;
    assert_int_equal(conversation_evaluation_get(fx.a, fx.s, &fx.beleid_a, id, &mine), 0);
    assert_int_equal(mine.rating, 4);
    assert_int_equal(conversation_evaluation_get(fx.a, fx.s, &fx.prof_p, id, &mine), ERR_NOT_FOUND);
    assert_int_equal(conversation_evaluate(fx.s, &fx.prof_p, id, 3, "nee", "", "", &e), 0);
    assert_int_equal(conversation_evaluation_summary(fx.a, fx.s, &fx.kwaliteit_p, id, &st), 0);
    assert_int_equal(st.nevaluations, 3);
    assert_true(st.shown);
    assert_true(st.avg_rating > 3.99 && st.avg_rating < 4.01);
    assert_int_equal(st.goal_ja, 2);
    assert_int_equal(st.goal_nee, 1);
    assert_int_equal(st.ntips, 1);
    assert_string_equal(st.tips[0], "Korter bij herkennen");

    /* Statistics per quarter: the gemeente and its region; never an aanbieder or a neighbour. */
    struct conv_stats_row *rows;
    int n;
    struct conv_eval_stats total;
    assert_int_equal(conversation_stats(fx.a, fx.s, &fx.beleid_a, fx.gem_a, &rows, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].quarter, "2026-Q1");
    assert_true(rows[0].stats.shown);
    assert_int_equal(rows[0].stats.nevaluations, 3);
    assert_int_equal(rows[0].stats.nconversations, 1);
    assert_null(rows[0].stats.tips);
    assert_int_equal(conversation_stats(fx.a, fx.s, &fx.beleid_region, fx.gem_a, &rows, &n, &total),
                     0);
    assert_int_equal(
        conversation_stats(fx.a, fx.s, &fx.beleid_region, fx.region, &rows, &n, &total), 0);
    assert_int_equal(total.nevaluations, 3); /* the region's own and its gemeenten's */
    assert_int_equal(conversation_stats(fx.a, fx.s, &fx.kwaliteit_p, fx.gem_a, &rows, &n, &total),
                     ERR_DENIED);
    assert_int_equal(conversation_stats(fx.a, fx.s, &fx.beleid_b, fx.gem_a, &rows, &n, &total),
                     ERR_DENIED);
    assert_int_equal(conversation_stats(fx.a, fx.s, &fx.beleid_a, fx.region, &rows, &n, &total),
                     ERR_DENIED);
    /* Below the threshold a quarter shows counts only. */
    int64_t id2 = make_conv("Evaluatie 2");
    struct conversation c = load(&fx.beleid_a, id2);
    struct conv_input in = plan("Evaluatie 2");
    in.held_on = day_from_ymd(2025, 11, 5);
    in.version = c.version;
    assert_int_equal(conversation_update(fx.s, &fx.beleid_a, id2, &in, &e), 0);
    hold_and_conclude(id2, "Kort.");
    assert_int_equal(conversation_evaluate(fx.s, &fx.beleid_a, id2, 1, "nee", "", "", &e), 0);
    assert_int_equal(conversation_stats(fx.a, fx.s, &fx.beleid_a, fx.gem_a, &rows, &n, &total), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[1].quarter, "2025-Q4");
    assert_false(rows[1].stats.shown);
    assert_int_equal(rows[1].stats.nevaluations, 1);
    assert_true(rows[1].stats.avg_rating == 0);
    assert_int_equal(total.nevaluations, 4);
    assert_true(total.shown);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),         cmocka_unit_test(test_create_validation),
        cmocka_unit_test(test_create_denied), cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_status_rules),  cmocka_unit_test(test_plan_update_locking),
        cmocka_unit_test(test_prep_notes),    cmocka_unit_test(test_phases_and_drift),
        cmocka_unit_test(test_approvals),     cmocka_unit_test(test_evaluations),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
