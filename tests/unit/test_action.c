/*
 * test_action.c: improvement actions (domain/action.c, store/action_store.c): the lifecycle
 * (every transition, vervallen only with a reason), the append-only history, optimistic
 * locking, validation against the conversation (owner party, owner person, linked indicators,
 * dates, text limits), baselines kept on edit, overdue logic, filters, and visibility per party
 * and participant through the policy.
 */
#include "domain/action.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/conversation.h"
#include "domain/org.h"
#include "domain/result.h"
#include "store/action_store.h"
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, gem_a, gem_b, provider, provider2, result_a, ind1, ind2, ind_other, conv;
    struct actor beleid_a, beleid_b, kwal_p, kwal_p2, prof_p, raad_a, raad_invited, beheer;
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int64_t make_indicator(struct db *db, const char *code, const char *name)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO indicator (code, owner_org_id, standard, definition, created_at, "
             "updated_at) VALUES ('%s', NULL, 1, '{\"naam\":\"%s\"}', '2026-01-01T00:00:00Z', "
             "'2026-01-01T00:00:00Z')",
             code, name);
    assert_int_equal(db_exec(db, sql), 0);
    return db_last_insert_id(db);
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    ts_store_open("action", fx.dir, fx.path, &fx.s);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Zuid", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region); /* Emmen */
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, 0);         /* Assen */
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.provider2 = ts_make_org(fx.s, ORG_AANBIEDER, "Andere Zorg BV", NULL, "87654321", 0);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.kwal_p = ts_make_actor(fx.s, fx.a, "kwal.p", fx.provider, ROLE_KWALITEIT, PW);
    fx.kwal_p2 = ts_make_actor(fx.s, fx.a, "kwal.p2", fx.provider2, ROLE_KWALITEIT, PW);
    fx.prof_p = ts_make_actor(fx.s, fx.a, "prof.p", fx.provider, ROLE_PROFESSIONAL, PW);
    fx.raad_a = ts_make_actor(fx.s, fx.a, "raad.a", fx.gem_a, ROLE_RAAD, PW);
    fx.raad_invited = ts_make_actor(fx.s, fx.a, "raad.gast", fx.gem_a, ROLE_RAAD, PW);
    fx.beheer = ts_make_actor(fx.s, fx.a, "beheer", fx.region, ROLE_BEHEERDER, PW);
    struct result_input ri = {.owner_org_id = fx.gem_a,
                              .theme = THEME_OPGROEIEN,
                              .title = "Kinderen groeien veilig op",
                              .description = "",
                              .start_year = 2024,
                              .end_year = 2027};
    assert_int_equal(result_create(fx.s, &fx.beleid_a, &ri, &fx.result_a, &e), 0);
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    fx.ind1 = make_indicator(db, "uitval", "Voortijdige uitval");
    fx.ind2 = make_indicator(db, "terugval", "Terugval binnen een jaar");
    fx.ind_other = make_indicator(db, "los", "Niet gekoppeld");
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO result_indicator (result_id, indicator_id, position) VALUES "
             "(%" PRId64 ", %" PRId64 ", 1), (%" PRId64 ", %" PRId64 ", 2)",
             fx.result_a, fx.ind1, fx.result_a, fx.ind2);
    assert_int_equal(db_exec(db, sql), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);

    struct conv_party_input parties[] = {{.org_id = fx.provider}};
    struct conv_participant_input people[] = {
        {.user_id = fx.beleid_a.user_id, .role = CROLE_GESPREKSLEIDER},
        {.user_id = fx.kwal_p.user_id, .role = CROLE_DEELNEMER},
        {.user_id = fx.raad_invited.user_id, .role = CROLE_TOEHOORDER},
    };
    struct conv_input ci = {.owner_org_id = fx.gem_a,
                            .kind = CONV_ACHTERKANT,
                            .title = "Kwaliteitsgesprek jeugd",
                            .goal = "Samen de uitval duiden",
                            .place = "Gemeentehuis",
                            .period_from = day_from_ymd(2025, 1, 1),
                            .period_to = day_from_ymd(2025, 12, 31),
                            .held_on = day_from_ymd(2026, 2, 10),
                            .result_ids = &fx.result_a,
                            .nresults = 1,
                            .parties = parties,
                            .nparties = 1,
                            .participants = people,
                            .nparticipants = 3};
    int rc = conversation_create(fx.s, &fx.beleid_a, &ci, &fx.conv, &e);
    if (rc)
        fail_msg("conversation: %s (%s: %s)", err_name(rc), e.field ? e.field : "-", e.msg);
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

static struct action_input base(int64_t owner, const char *description, day_t due)
{
    return (struct action_input){.conversation_id = fx.conv,
                                 .owner_org_id = owner,
                                 .description = description,
                                 .expected_effect = "Minder uitval binnen een jaar",
                                 .due_on = due};
}

static int64_t make_action(const struct actor *who, struct action_input in)
{
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = action_create(fx.s, who, &in, &id, fx.a, &e);
    if (rc)
        fail_msg("action %s: %s (%s: %s)", in.description, err_name(rc), e.field ? e.field : "-",
                 e.msg);
    return id;
}

static struct improvement_action get_ok(const struct actor *who, int64_t id)
{
    struct improvement_action act;
    int rc = action_get(fx.a, fx.s, who, id, &act);
    if (rc)
        fail_msg("get %" PRId64 ": %s", id, err_name(rc));
    return act;
}

static void expect_field(int rc, const struct err_ctx *e, const char *field)
{
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(e->field);
    assert_string_equal(e->field, field);
    assert_true(e->msg[0] != '\0');
}

static void test_statuses(void **state)
{
    (void)state;
    enum action_status st;
    for (int s = ACTION_STATUS_MIN; s <= ACTION_STATUS_MAX; s++) {
        assert_int_equal(action_status_parse(action_status_code((enum action_status)s), &st), 0);
        assert_int_equal((int)st, s);
    }
    assert_int_equal(action_status_parse("gedaan", &st), ERR_INVALID);
    assert_int_equal(action_status_parse(NULL, &st), ERR_INVALID);
    /* The whole transition table: rows from, columns to (open, bezig, klaar, vervallen). */
    static const bool table[5][5] = {
        [ACTION_OPEN] = {[ACTION_BEZIG] = true, [ACTION_KLAAR] = true, [ACTION_VERVALLEN] = true},
        [ACTION_BEZIG] = {[ACTION_OPEN] = true, [ACTION_KLAAR] = true, [ACTION_VERVALLEN] = true},
        [ACTION_KLAAR] = {[ACTION_BEZIG] = true},
        [ACTION_VERVALLEN] = {[ACTION_OPEN] = true},
    };
    for (int f = 0; f <= 5; f++)
        for (int t = 0; t <= 5; t++) {
            bool want = f >= 1 && f <= 4 && t >= 1 && t <= 4 && table[f][t];
            assert_int_equal(
                action_transition_allowed((enum action_status)f, (enum action_status)t), want);
        }
}

static void test_create_and_get(void **state)
{
    (void)state;
    int audits = count_audit("action.");
    struct action_input in = base(fx.provider, "  Huisbezoek binnen twee weken na aanmelding  ",
                                  day_from_ymd(2026, 6, 30));
    int64_t inds[] = {fx.ind1, fx.ind2, fx.ind1};
    struct action_baseline bl[] = {
        {.indicator_id = fx.ind1, .has_value = true, .value = 12.5, .period = "2025-Q4"}};
    in.indicator_ids = inds;
    in.nindicators = 3; /* the duplicate is linked once */
    in.baselines = bl;
    in.nbaselines = 1;
    in.owner_user_id = fx.kwal_p.user_id;
    int64_t id = make_action(&fx.beleid_a, in);
    struct improvement_action act = get_ok(&fx.beleid_a, id);
    assert_string_equal(act.description, "Huisbezoek binnen twee weken na aanmelding");
    assert_int_equal(act.owner_org_id, fx.provider);
    assert_int_equal(act.owner_side, SIDE_AANBIEDER);
    assert_string_equal(act.owner_name, "Zorg BV");
    assert_int_equal(act.owner_user_id, fx.kwal_p.user_id);
    assert_int_equal(act.status, ACTION_OPEN);
    assert_int_equal(act.version, 1);
    assert_int_equal(act.conversation_id, fx.conv);
    assert_string_equal(act.conversation_title, "Kwaliteitsgesprek jeugd");
    assert_string_equal(act.gemeente, "0114"); /* from the owner gemeente */
    assert_int_equal(act.nindicators, 2);
    for (int k = 0; k < act.nindicators; k++) {
        if (act.indicators[k].indicator_id == fx.ind1) {
            assert_true(act.indicators[k].has_baseline);
            assert_true(act.indicators[k].baseline == 12.5);
            assert_string_equal(act.indicators[k].baseline_period, "2025-Q4");
            assert_string_equal(act.indicators[k].name, "Voortijdige uitval");
        } else {
            assert_int_equal(act.indicators[k].indicator_id, fx.ind2);
            assert_false(act.indicators[k].has_baseline); /* hidden or absent: no baseline */
        }
    }
    assert_int_equal(act.nevents, 1);
    assert_int_equal(act.events[0].from_status, 0);
    assert_int_equal(act.events[0].to_status, ACTION_OPEN);
    assert_string_equal(act.events[0].user_login, "beleid.a");
    assert_int_equal(count_audit("action."), audits + 1);
    /* The aanbieder party may add an action for itself too. */
    struct action_input own =
        base(fx.provider, "Scholing gespreksvoering", day_from_ymd(2026, 9, 1));
    assert_true(make_action(&fx.kwal_p, own) > 0);
}

static void test_validation(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = 0;
    struct action_input in = base(fx.provider, "", day_from_ymd(2026, 6, 30));
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "description");
    in.description = "   \n ";
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "description");
    in.description = "bad \x01 control";
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "description");
    in.description = "ongeldig \xc3\x28 utf8";
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "description");
    char *longtext = arena_calloc(fx.a, ACTION_TEXT_MAX + 2, 1);
    memset(longtext, 'x', ACTION_TEXT_MAX + 1);
    in.description = longtext;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "description");
    longtext[ACTION_TEXT_MAX] = '\0'; /* exactly at the limit is fine */
    in.description = "Goed";
    in.expected_effect = longtext;
    assert_true(make_action(&fx.beleid_a, in) > 0);
    longtext[ACTION_TEXT_MAX] = 'x';
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "expected_effect");
    in.expected_effect = "";
    in.due_on = ACTION_DAY_MAX + 1;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "due_on");
    in.due_on = ACTION_DAY_MIN - 1;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "due_on");
    in.due_on = day_from_ymd(2026, 6, 30);
    /* The owner must be a party of the conversation. */
    in.owner_org_id = fx.provider2;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "owner_org_id");
    in.owner_org_id = fx.provider;
    /* An indicator that is not one of the conversation's results' indicators. */
    int64_t bad[] = {fx.ind_other};
    in.indicator_ids = bad;
    in.nindicators = 1;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "indicator_ids");
    int64_t many[ACTION_MAX_INDICATORS + 1];
    for (int k = 0; k <= ACTION_MAX_INDICATORS; k++)
        many[k] = fx.ind1;
    in.indicator_ids = many;
    in.nindicators = ACTION_MAX_INDICATORS + 1;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "indicator_ids");
    in.nindicators = 0;
    /* The owner person: someone of the owner party or a participant; not a stranger. */
    in.owner_user_id = fx.beleid_b.user_id;
    expect_field(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), &e, "owner_user_id");
    in.owner_user_id = fx.beleid_a.user_id; /* a participant of another party: fine */
    assert_true(make_action(&fx.beleid_a, in) > 0);
    /* An unknown or invisible conversation. */
    in.conversation_id = 999999;
    assert_int_equal(action_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &e), ERR_NOT_FOUND);
    in.conversation_id = fx.conv;
    assert_int_equal(action_create(fx.s, &fx.beleid_b, &in, &id, fx.a, &e), ERR_NOT_FOUND);
    /* Members who may not add actions: raad (invited), the provider's professional. */
    assert_int_equal(action_create(fx.s, &fx.raad_invited, &in, &id, fx.a, &e), ERR_DENIED);
    assert_int_equal(action_create(fx.s, &fx.prof_p, &in, &id, fx.a, &e), ERR_DENIED);
    assert_int_equal(action_create(fx.s, &fx.beleid_a, NULL, &id, fx.a, &e), ERR_INVALID);
}

static int count_events(int64_t id)
{
    return get_ok(&fx.beleid_a, id).nevents;
}

static void test_lifecycle(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_action(&fx.beleid_a,
                             base(fx.provider, "Wachtlijst uitzoeken", day_from_ymd(2026, 5, 1)));
    int64_t v = 1;
    /* open -> bezig -> klaar -> bezig -> vervallen -> open, each step one history row. */
    assert_int_equal(action_set_status(fx.s, &fx.kwal_p, id, v++, ACTION_BEZIG, NULL, fx.a, &e), 0);
    assert_int_equal(
        action_set_status(fx.s, &fx.kwal_p, id, v++, ACTION_KLAAR, "Afgerond in maart", fx.a, &e),
        0);
    /* klaar -> open is not a step of the lifecycle; neither is a status to itself. */
    assert_int_equal(action_set_status(fx.s, &fx.kwal_p, id, v, ACTION_OPEN, NULL, fx.a, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "status");
    assert_int_equal(action_set_status(fx.s, &fx.kwal_p, id, v, ACTION_KLAAR, NULL, fx.a, &e),
                     ERR_INVALID);
    assert_int_equal(action_set_status(fx.s, &fx.kwal_p, id, v++, ACTION_BEZIG, NULL, fx.a, &e), 0);
    /* vervallen needs a reason; blank is no reason. */
    assert_int_equal(action_set_status(fx.s, &fx.kwal_p, id, v, ACTION_VERVALLEN, NULL, fx.a, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "reason");
    assert_int_equal(
        action_set_status(fx.s, &fx.kwal_p, id, v, ACTION_VERVALLEN, "  \n ", fx.a, &e),
        ERR_INVALID);
    assert_int_equal((int)get_ok(&fx.beleid_a, id).status, ACTION_BEZIG);
    assert_int_equal(action_set_status(fx.s, &fx.kwal_p, id, v++, ACTION_VERVALLEN,
                                       "Opgenomen in het nieuwe contract", fx.a, &e),
                     0);
    struct improvement_action act = get_ok(&fx.beleid_a, id);
    assert_int_equal(act.status, ACTION_VERVALLEN);
    assert_string_equal(act.drop_reason, "Opgenomen in het nieuwe contract");
    assert_int_equal(
        action_set_status(fx.s, &fx.beleid_a, id, v++, ACTION_OPEN, "Toch weer nodig", fx.a, &e),
        0);
    act = get_ok(&fx.beleid_a, id);
    assert_int_equal(act.status, ACTION_OPEN);
    assert_string_equal(act.drop_reason, ""); /* the reason belongs to the dropped state */
    assert_int_equal(act.version, v);
    assert_int_equal(act.nevents, 6);
    static const int from[] = {
        0, ACTION_OPEN, ACTION_BEZIG, ACTION_KLAAR, ACTION_BEZIG, ACTION_VERVALLEN};
    static const int to[] = {ACTION_OPEN,  ACTION_BEZIG,     ACTION_KLAAR,
                             ACTION_BEZIG, ACTION_VERVALLEN, ACTION_OPEN};
    for (int k = 0; k < 6; k++) {
        assert_int_equal(act.events[k].from_status, from[k]);
        assert_int_equal((int)act.events[k].to_status, to[k]);
    }
    assert_string_equal(act.events[4].note, "Opgenomen in het nieuwe contract");
    assert_string_equal(act.events[2].user_login, "kwal.p");
    /* Invalid status values. */
    assert_int_equal(
        action_set_status(fx.s, &fx.kwal_p, id, v, (enum action_status)0, NULL, fx.a, &e),
        ERR_INVALID);
    assert_int_equal(
        action_set_status(fx.s, &fx.kwal_p, id, v, (enum action_status)9, NULL, fx.a, &e),
        ERR_INVALID);
}

static void test_history_append_only(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_action(&fx.beleid_a,
                             base(fx.gem_a, "Overleg met huisartsen", day_from_ymd(2026, 4, 1)));
    assert_int_equal(action_set_status(fx.s, &fx.beleid_a, id, 1, ACTION_BEZIG, NULL, fx.a, &e), 0);
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_true(db_exec(db, "UPDATE improvement_action_event SET note = 'vervalst'") < 0);
    assert_int_equal(store_write_end(fx.s, false), 0);
    struct improvement_action act = get_ok(&fx.beleid_a, id);
    assert_int_equal(act.nevents, 2);
    assert_string_equal(act.events[1].note, "");
    /* An edit appends an event too (status unchanged), never rewrites one. */
    struct action_input in =
        base(fx.gem_a, "Overleg met huisartsen en POH", day_from_ymd(2026, 4, 1));
    in.version = act.version;
    assert_int_equal(action_update(fx.s, &fx.beleid_a, id, &in, fx.a, &e), 0);
    act = get_ok(&fx.beleid_a, id);
    assert_int_equal(act.nevents, 3);
    assert_int_equal(act.events[2].from_status, ACTION_BEZIG);
    assert_int_equal((int)act.events[2].to_status, ACTION_BEZIG);
    assert_int_equal(count_events(id), 3);
}

static void test_update_and_locking(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct action_input in = base(fx.provider, "Terugbelprotocol", day_from_ymd(2026, 7, 1));
    int64_t one[] = {fx.ind1};
    struct action_baseline b1[] = {
        {.indicator_id = fx.ind1, .has_value = true, .value = 8.0, .period = "2025-Q3"}};
    in.indicator_ids = one;
    in.nindicators = 1;
    in.baselines = b1;
    in.nbaselines = 1;
    int64_t id = make_action(&fx.beleid_a, in);
    /* Edit: add ind2 (with its own baseline), keep ind1: ind1's baseline stays as agreed even
     * when a different one is offered. */
    int64_t two[] = {fx.ind1, fx.ind2};
    struct action_baseline b2[] = {
        {.indicator_id = fx.ind1, .has_value = true, .value = 99.0, .period = "2026-Q1"},
        {.indicator_id = fx.ind2, .has_value = true, .value = 3.5, .period = "2026-Q1"}};
    in.indicator_ids = two;
    in.nindicators = 2;
    in.baselines = b2;
    in.nbaselines = 2;
    in.version = 1;
    in.owner_org_id = fx.gem_a; /* handed to the gemeente */
    in.description = "Terugbelprotocol (gemeente)";
    assert_int_equal(action_update(fx.s, &fx.beleid_a, id, &in, fx.a, &e), 0);
    struct improvement_action act = get_ok(&fx.beleid_a, id);
    assert_int_equal(act.version, 2);
    assert_int_equal(act.owner_org_id, fx.gem_a);
    assert_int_equal(act.owner_side, SIDE_GEMEENTE);
    assert_int_equal(act.nindicators, 2);
    for (int k = 0; k < 2; k++)
        assert_true(act.indicators[k].baseline ==
                    (act.indicators[k].indicator_id == fx.ind1 ? 8.0 : 3.5));
    /* Stale versions: update and status change. */
    in.version = 1;
    assert_int_equal(action_update(fx.s, &fx.beleid_a, id, &in, fx.a, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    assert_int_equal(action_set_status(fx.s, &fx.beleid_a, id, 1, ACTION_BEZIG, NULL, fx.a, &e),
                     ERR_CONFLICT);
    /* Unlinking ind1 removes it. */
    in.version = 2;
    in.indicator_ids = &fx.ind2;
    in.nindicators = 1;
    assert_int_equal(action_update(fx.s, &fx.beleid_a, id, &in, fx.a, &e), 0);
    act = get_ok(&fx.beleid_a, id);
    assert_int_equal(act.nindicators, 1);
    assert_int_equal(act.indicators[0].indicator_id, fx.ind2);
    assert_true(act.indicators[0].baseline == 3.5);
    /* The provider's quality officer may hand it back: not the owner now, but a content role
     * of a party of the conversation, which the policy allows to edit. */
    in.version = 3;
    in.owner_org_id = fx.provider;
    assert_int_equal(action_update(fx.s, &fx.kwal_p, id, &in, fx.a, &e), 0);
    /* Non-members: the existence is not revealed. */
    in.version = 4;
    assert_int_equal(action_update(fx.s, &fx.beleid_b, id, &in, fx.a, &e), ERR_NOT_FOUND);
    assert_int_equal(action_update(fx.s, &fx.kwal_p2, id, &in, fx.a, &e), ERR_NOT_FOUND);
    assert_int_equal(action_update(fx.s, &fx.beleid_a, 987654, &in, fx.a, &e), ERR_NOT_FOUND);
}

static void test_overdue(void **state)
{
    (void)state;
    struct improvement_action a = {.status = ACTION_OPEN, .due_on = 100};
    assert_false(action_is_overdue(&a, 100)); /* due today is not late yet */
    assert_true(action_is_overdue(&a, 101));
    a.status = ACTION_BEZIG;
    assert_true(action_is_overdue(&a, 101));
    a.status = ACTION_KLAAR;
    assert_false(action_is_overdue(&a, 101));
    a.status = ACTION_VERVALLEN;
    assert_false(action_is_overdue(&a, 101));
    assert_true(action_today() > day_from_ymd(2025, 1, 1));

    struct err_ctx e = {0};
    day_t today = day_from_ymd(2026, 3, 1);
    int64_t late = make_action(&fx.beleid_a, base(fx.provider, "Te laat", today - 10));
    int64_t late_done =
        make_action(&fx.beleid_a, base(fx.provider, "Te laat maar klaar", today - 20));
    assert_int_equal(
        action_set_status(fx.s, &fx.beleid_a, late_done, 1, ACTION_KLAAR, NULL, fx.a, &e), 0);
    struct action_filter f = {.conversation_id = fx.conv, .overdue_only = true, .today = today};
    struct improvement_action *rows;
    int n, total;
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), 0);
    bool seen = false;
    for (int k = 0; k < n; k++) {
        assert_true(rows[k].overdue);
        assert_true(rows[k].due_on < today);
        assert_true(rows[k].id != late_done);
        seen |= rows[k].id == late;
    }
    assert_true(seen);
    /* Without the filter, overdue ones come first. */
    f.overdue_only = false;
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), 0);
    assert_true(n > 2);
    bool past_overdue = false;
    for (int k = 0; k < n; k++) {
        if (!rows[k].overdue)
            past_overdue = true;
        else
            assert_false(past_overdue);
    }
    struct action_counts c;
    f.overdue_only = false;
    assert_int_equal(action_count(fx.a, fx.s, &fx.beleid_a, &f, &c), 0);
    assert_int_equal(c.open + c.bezig + c.klaar + c.vervallen, total);
    assert_true(c.overdue >= 1);
}

static bool listed(const struct actor *who, const struct action_filter *f, int64_t id)
{
    struct improvement_action *rows;
    int n, total;
    int rc = action_list(fx.a, fx.s, who, f, &rows, &n, &total);
    assert_int_equal(rc, 0);
    for (int k = 0; k < n; k++)
        if (rows[k].id == id)
            return true;
    return false;
}

static void test_visibility(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct improvement_action act;
    int64_t id =
        make_action(&fx.beleid_a, base(fx.provider, "Zichtbaarheid", day_from_ymd(2026, 8, 1)));
    struct action_filter all = {.limit = ACTION_LIST_MAX};
    /* Members of the conversation: the planner, the party's content roles and professionals,
     * invited people (also a raad member, read-only). */
    const struct actor *see[] = {&fx.beleid_a, &fx.kwal_p, &fx.prof_p, &fx.raad_invited};
    for (size_t k = 0; k < ARRAY_LEN(see); k++) {
        assert_int_equal(action_get(fx.a, fx.s, see[k], id, &act), 0);
        assert_true(listed(see[k], &all, id));
    }
    /* Not members: another gemeente, another aanbieder, an uninvited raad member, the beheerder
     * (conversation records are content, not administration). */
    const struct actor *hidden[] = {&fx.beleid_b, &fx.kwal_p2, &fx.raad_a, &fx.beheer};
    for (size_t k = 0; k < ARRAY_LEN(hidden); k++) {
        assert_int_equal(action_get(fx.a, fx.s, hidden[k], id, &act), ERR_NOT_FOUND);
        assert_false(listed(hidden[k], &all, id));
        assert_int_equal(action_set_status(fx.s, hidden[k], id, 1, ACTION_BEZIG, NULL, fx.a, &e),
                         ERR_NOT_FOUND);
    }
    /* The invited raad member and the professional read, but do not change. */
    assert_int_equal(action_set_status(fx.s, &fx.raad_invited, id, 1, ACTION_BEZIG, NULL, fx.a, &e),
                     ERR_DENIED);
    assert_int_equal(action_set_status(fx.s, &fx.prof_p, id, 1, ACTION_BEZIG, NULL, fx.a, &e),
                     ERR_DENIED);
    /* Anonymous: nothing at all. */
    struct actor anon = {0};
    struct improvement_action *rows;
    int n, total;
    assert_int_equal(action_list(fx.a, fx.s, &anon, &all, &rows, &n, &total), ERR_DENIED);
    assert_int_equal(action_get(fx.a, fx.s, &anon, id, &act), ERR_NOT_FOUND);
}

static void test_filters(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t prov =
        make_action(&fx.beleid_a, base(fx.provider, "Filter aanbieder", day_from_ymd(2027, 1, 1)));
    int64_t gem =
        make_action(&fx.beleid_a, base(fx.gem_a, "Filter gemeente", day_from_ymd(2027, 1, 2)));
    assert_int_equal(action_set_status(fx.s, &fx.beleid_a, gem, 1, ACTION_BEZIG, NULL, fx.a, &e),
                     0);
    struct action_filter f = {.owner_org_id = fx.provider};
    assert_true(listed(&fx.beleid_a, &f, prov));
    assert_false(listed(&fx.beleid_a, &f, gem));
    /* aanbieder: owner or party of the conversation. */
    f = (struct action_filter){.aanbieder_id = fx.provider, .limit = ACTION_LIST_MAX};
    assert_true(listed(&fx.beleid_a, &f, prov));
    assert_true(listed(&fx.beleid_a, &f, gem));
    f = (struct action_filter){.aanbieder_id = fx.provider2};
    assert_false(listed(&fx.beleid_a, &f, gem));
    f = (struct action_filter){.gemeente = "GM0114", .limit = ACTION_LIST_MAX};
    assert_true(listed(&fx.beleid_a, &f, gem));
    f = (struct action_filter){.gemeente = "0106"};
    assert_false(listed(&fx.beleid_a, &f, gem));
    f = (struct action_filter){.region_id = fx.region, .limit = ACTION_LIST_MAX};
    assert_true(listed(&fx.beleid_a, &f, prov));
    f = (struct action_filter){.result_id = fx.result_a, .limit = ACTION_LIST_MAX};
    assert_true(listed(&fx.beleid_a, &f, prov));
    f = (struct action_filter){.result_id = fx.result_a + 1000};
    assert_false(listed(&fx.beleid_a, &f, prov));
    f = (struct action_filter){.status_mask = ACTION_STATUS_BIT(ACTION_BEZIG),
                               .limit = ACTION_LIST_MAX};
    assert_true(listed(&fx.beleid_a, &f, gem));
    assert_false(listed(&fx.beleid_a, &f, prov));
    f = (struct action_filter){.status_mask = ACTION_STATUS_PENDING, .limit = ACTION_LIST_MAX};
    assert_true(listed(&fx.beleid_a, &f, gem));
    assert_true(listed(&fx.beleid_a, &f, prov));
    /* Paging: total counts all, n the page. */
    struct improvement_action *rows;
    int n, total;
    f = (struct action_filter){.conversation_id = fx.conv, .limit = 2, .offset = 1};
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), 0);
    assert_int_equal(n, 2);
    assert_true(total > 3);
    f.offset = total;
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), 0);
    assert_int_equal(n, 0);
    /* Hostile filters. */
    f = (struct action_filter){.gemeente = "GM01'4"};
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), ERR_INVALID);
    f = (struct action_filter){.limit = -1};
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), ERR_INVALID);
    f = (struct action_filter){.status_mask = 1u << 9};
    assert_int_equal(action_list(fx.a, fx.s, &fx.beleid_a, &f, &rows, &n, &total), ERR_INVALID);
    /* The indicator choices of the conversation: its results' indicators only. */
    struct action_indicator *ch;
    assert_int_equal(action_indicator_choices(fx.a, fx.s, &fx.beleid_a, fx.conv, &ch, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(action_indicator_choices(fx.a, fx.s, &fx.beleid_b, fx.conv, &ch, &n),
                     ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_create_and_get),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_history_append_only),
        cmocka_unit_test(test_update_and_locking),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_filters),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
