/*
 * test_story.c: stories (domain/story.c, store/story_store.c) and context events
 * (domain/context_event.c, store/context_event_store.c): the anonymisation check that must be
 * confirmed, what is stored of it, links, optimistic locking, audit, full-text search (Dutch
 * diacritics, hostile queries, the index kept in step), filters, visibility by consent through
 * the policy, and the context-event scope used beside the figures.
 */
#include "domain/story.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/context_event.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/user.h"
#include "store/story_store.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, gem_a, gem_b, provider, provider2, toezicht, result_a, indicator;
    struct actor beleid_a, beleid_b, kwaliteit_p, kwaliteit_p2, raad_a, beheer, toezicht_u;
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-story-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/story.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Zuid", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region); /* Emmen */
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, fx.region); /* Assen */
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.provider2 = ts_make_org(fx.s, ORG_AANBIEDER, "Andere Zorg BV", NULL, "87654321", 0);
    fx.toezicht = ts_make_org(fx.s, ORG_TOEZICHTHOUDER, "Toezicht", NULL, NULL, 0);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.kwaliteit_p = ts_make_actor(fx.s, fx.a, "kwal.p", fx.provider, ROLE_KWALITEIT, PW);
    fx.kwaliteit_p2 = ts_make_actor(fx.s, fx.a, "kwal.p2", fx.provider2, ROLE_KWALITEIT, PW);
    fx.raad_a = ts_make_actor(fx.s, fx.a, "raad.a", fx.gem_a, ROLE_RAAD, PW);
    fx.beheer = ts_make_actor(fx.s, fx.a, "beheer", fx.region, ROLE_BEHEERDER, PW);
    fx.toezicht_u = ts_make_actor(fx.s, fx.a, "toezicht", fx.toezicht, ROLE_TOEZICHT, PW);
    struct result_input ri = {.owner_org_id = fx.gem_a,
                              .theme = THEME_OPGROEIEN,
                              .title = "Kinderen groeien veilig op",
                              .description = "",
                              .start_year = 2024,
                              .end_year = 2027};
    assert_int_equal(result_create(fx.s, &fx.beleid_a, &ri, &fx.result_a, &e), 0);
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO indicator (code, owner_org_id, standard, definition, "
                                 "created_at, updated_at) VALUES ('test_ind', NULL, 1, "
                                 "'{\"naam\":\"Testindicator\"}', '2026-01-01T00:00:00Z', "
                                 "'2026-01-01T00:00:00Z')"),
                     0);
    fx.indicator = db_last_insert_id(db);
    assert_int_equal(store_write_end(fx.s, true), 0);
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

static struct story_input base(int64_t owner, const char *title, const char *body, int consent)
{
    return (struct story_input){.owner_org_id = owner,
                                .kind = STORY_CITAAT,
                                .consent = consent,
                                .title = title,
                                .body = body,
                                .teller_role = "moeder van een tiener",
                                .told_on = day_from_ymd(2025, 3, 14)};
}

static int64_t make_story(const struct actor *who, struct story_input in)
{
    struct err_ctx e = {0};
    int64_t id = 0;
    in.anon_confirmed = true;
    int rc = story_create(fx.s, who, &in, &id, NULL, NULL, &e);
    if (rc)
        fail_msg("story %s: %s (%s: %s)", in.title, err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

/* Number of stories `who` finds with filter f (all pages). */
static int found(const struct actor *who, struct story_filter f)
{
    struct story *rows;
    int n, total;
    struct err_ctx e = {0};
    f.limit = STORY_LIST_MAX;
    int rc = story_list(fx.a, fx.s, who, &f, &rows, &n, &total, &e);
    if (rc)
        fail_msg("list: %s (%s)", err_name(rc), e.msg);
    assert_int_equal(n, total);
    return total;
}

static bool sees(const struct actor *who, int64_t id)
{
    struct story st;
    return story_get(fx.a, fx.s, who, id, &st) == 0;
}

static void test_anonymisation_confirm(void **state)
{
    (void)state;
    struct story_input in =
        base(fx.gem_a, "Wachten op hulp",
             "Mijn zoon (geboren 12-03-2011) wachtte lang. Bel mevr. Bakker op 06-12345678.",
             CONSENT_GESPREK);
    struct anon_report r;
    struct err_ctx e = {0};
    int64_t id = 0;
    int audits = count_audit("story.");
    /* Not confirmed: nothing saved, the findings come back. */
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &r, &e), ERR_INVALID);
    assert_string_equal(e.field, "anon");
    assert_int_equal(r.ntotal, 3);
    assert_int_equal(r.kinds, ANON_BIRTH_DATE | ANON_NAME | ANON_PHONE);
    assert_int_equal(id, 0);
    assert_int_equal(count_audit("story."), audits);
    /* Confirmed: saved, and only kinds and counts are kept of the warnings. */
    in.anon_confirmed = true;
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &in, &id, fx.a, &r, &e), 0);
    assert_true(id > 0);
    struct story st;
    assert_int_equal(story_get(fx.a, fx.s, &fx.beleid_a, id, &st), 0);
    assert_string_equal(st.anon_checked, "[{\"soort\":\"telefoon\",\"aantal\":1},"
                                         "{\"soort\":\"geboortedatum\",\"aantal\":1},"
                                         "{\"soort\":\"naam\",\"aantal\":1}]");
    assert_null(strstr(st.anon_checked, "Bakker"));
    assert_int_equal(count_audit("story.create"), audits + 1);
    /* A clean text needs no confirmation. */
    struct story_input ok =
        base(fx.gem_a, "Fijne hulp", "De hulp was snel en goed geregeld.", CONSENT_INTERN);
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &ok, &id, fx.a, &r, &e), 0);
    assert_int_equal(r.ntotal, 0);
}

static void test_validation_and_policy(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id;
    struct story_input in = base(fx.gem_a, "Titel", "Tekst van het verhaal.", CONSENT_INTERN);
    in.anon_confirmed = true;
    struct story_input bad = in;
    bad.kind = 9;
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "kind");
    bad = in;
    bad.consent = 0;
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "consent");
    bad = in;
    bad.title = "  ";
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "title");
    bad = in;
    bad.body = "ongeldig \xC3\x28 utf-8";
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "body");
    char *huge = arena_alloc(fx.a, STORY_BODY_MAX + 2);
    memset(huge, 'a', STORY_BODY_MAX + 1);
    huge[STORY_BODY_MAX + 1] = '\0';
    bad = in;
    bad.body = huge;
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "body");
    bad = in;
    bad.gemeente = "GM9999";
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "gemeente");
    bad = in;
    bad.aanbieder_id = fx.gem_b; /* not an aanbieder */
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "aanbieder_id");
    int64_t missing = 999999;
    bad = in;
    bad.result_ids = &missing;
    bad.nresults = 1;
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "result_ids");
    const char *badtag[] = {"geen <tag>"};
    bad = in;
    bad.tags = badtag;
    bad.ntags = 1;
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "tags");
    bad = in;
    bad.has_period = true;
    bad.period_from = day_from_ymd(2025, 2, 1);
    bad.period_to = day_from_ymd(2025, 1, 1);
    assert_int_equal(story_create(fx.s, &fx.beleid_a, &bad, &id, NULL, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "period_to");
    /* Policy: another organisation, a raad member, a toezichthouder, the beheerder. */
    assert_int_equal(story_create(fx.s, &fx.beleid_b, &in, &id, NULL, NULL, &e), ERR_DENIED);
    assert_int_equal(story_create(fx.s, &fx.raad_a, &in, &id, NULL, NULL, &e), ERR_DENIED);
    assert_int_equal(story_create(fx.s, &fx.beheer, &in, &id, NULL, NULL, &e), ERR_DENIED);
    struct story_input tz = in;
    tz.owner_org_id = fx.toezicht;
    assert_int_equal(story_create(fx.s, &fx.toezicht_u, &tz, &id, NULL, NULL, &e), ERR_DENIED);
    /* An aanbieder's quality officer records its own stories. */
    struct story_input own = in;
    own.owner_org_id = fx.provider;
    assert_int_equal(story_create(fx.s, &fx.kwaliteit_p, &own, &id, NULL, NULL, &e), 0);
}

static void test_update_links_conflict(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    const char *tags[] = {"Wachttijd", "wachttijd", "jeugd hulp"};
    struct story_input in = base(fx.gem_a, "Lange wachttijd",
                                 "Het duurde weken voordat er hulp "
                                 "kwam.",
                                 CONSENT_GESPREK);
    in.gemeente = "GM0114";
    in.aanbieder_id = fx.provider;
    in.result_ids = &fx.result_a;
    in.nresults = 1;
    in.indicator_ids = &fx.indicator;
    in.nindicators = 1;
    in.tags = tags;
    in.ntags = 3;
    int64_t id = make_story(&fx.beleid_a, in);
    struct story st;
    assert_int_equal(story_get(fx.a, fx.s, &fx.beleid_a, id, &st), 0);
    assert_int_equal(st.nresults, 1);
    assert_string_equal(st.results[0].title, "Kinderen groeien veilig op");
    assert_int_equal(st.nindicators, 1);
    assert_string_equal(st.indicators[0].title, "Testindicator");
    assert_int_equal(st.ntags, 2);
    assert_string_equal(st.tags[0], "jeugd-hulp");
    assert_string_equal(st.tags[1], "wachttijd");
    assert_string_equal(st.gemeente, "0114");
    assert_string_equal(st.aanbieder_name, "Zorg BV");
    assert_int_equal(st.version, 1);

    /* Edit: links replaced, FTS follows, version +1; a stale version is refused. */
    struct story_input up = in;
    up.body = "Na een maand kwam de ambulante begeleiding op gang.";
    up.nresults = 0;
    up.ntags = 1;
    up.version = 1;
    up.anon_confirmed = true;
    assert_int_equal(story_update(fx.s, &fx.beleid_a, id, &up, NULL, NULL, &e), 0);
    assert_int_equal(story_update(fx.s, &fx.beleid_a, id, &up, NULL, NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "version");
    assert_int_equal(story_get(fx.a, fx.s, &fx.beleid_a, id, &st), 0);
    assert_int_equal(st.version, 2);
    assert_int_equal(st.nresults, 0);
    assert_int_equal(found(&fx.beleid_a, (struct story_filter){.q = "weken"}), 0);
    assert_int_equal(found(&fx.beleid_a, (struct story_filter){.q = "ambulante"}), 1);
    assert_int_equal(found(&fx.beleid_a, (struct story_filter){.result_id = fx.result_a}), 0);
    assert_int_equal(found(&fx.beleid_a, (struct story_filter){.indicator_id = fx.indicator}), 1);
    /* Someone else cannot edit it; the party aanbieder cannot either. */
    up.version = 2;
    assert_int_equal(story_update(fx.s, &fx.beleid_b, id, &up, NULL, NULL, &e), ERR_DENIED);
    assert_int_equal(story_update(fx.s, &fx.kwaliteit_p, id, &up, NULL, NULL, &e), ERR_DENIED);
    /* Archive hides it from lists (and search) unless asked for. */
    assert_int_equal(story_set_archived(fx.s, &fx.beleid_a, id, true, &e), 0);
    assert_int_equal(found(&fx.beleid_a, (struct story_filter){.q = "ambulante"}), 0);
    assert_int_equal(
        found(&fx.beleid_a, (struct story_filter){.q = "ambulante", .include_archived = true}), 1);
    assert_int_equal(story_set_archived(fx.s, &fx.beleid_a, id, false, &e), 0);
    assert_int_equal(count_audit("story.archive"), 1);
    assert_int_equal(count_audit("story.restore"), 1);
    assert_int_equal(count_audit("story.update"), 1);
}

static void test_fts(void **state)
{
    (void)state;
    int64_t id =
        make_story(&fx.beleid_a, base(fx.gem_a, "De cliënt over zijn coördinator",
                                      "Een financiële regeling en de Wmo-consulent hielpen enorm. "
                                      "Über alles: naïeve vragen mochten.",
                                      CONSENT_PUBLICATIE));
    (void)id;
    /* Diacritics folded both ways. */
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "client"}), 1);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "CLIËNT"}), 1);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "coordinator financiele"}), 1);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "naieve uber"}), 1);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "coörd*"}), 1);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "client onbekendwoord"}), 0);
    /* Hostile queries are words, never syntax. */
    const char *hostile[] = {
        "\"",
        "\"client",
        "client\"",
        "NEAR(client coordinator)",
        "client*",
        "*",
        "title:client",
        "{title body}: client",
        "client OR",
        "NOT client",
        "client AND NOT wmo",
        "^client",
        "client +",
        "(client",
        "'; DROP TABLE story; --",
        "\\\"\\",
    };
    for (size_t k = 0; k < ARRAY_LEN(hostile); k++) {
        struct story *rows;
        int n, total;
        struct err_ctx e = {0};
        struct story_filter f = {.q = hostile[k]};
        int rc = story_list(fx.a, fx.s, &fx.raad_a, &f, &rows, &n, &total, &e);
        if (rc)
            fail_msg("query %s: %s", hostile[k], err_name(rc));
    }
    /* "NOT client" is the two words "not" and "client": no story has "not". */
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "NOT client"}), 0);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "title:client"}), 0);
    assert_int_equal(found(&fx.raad_a, (struct story_filter){.q = "\"client"}), 1);
    /* A 10 kB query is refused with a message; invalid UTF-8 too. */
    char *big = arena_alloc(fx.a, 10241);
    memset(big, 'a', 10240);
    big[10240] = '\0';
    struct story *rows;
    int n, total;
    struct err_ctx e = {0};
    struct story_filter f = {.q = big};
    assert_int_equal(story_list(fx.a, fx.s, &fx.raad_a, &f, &rows, &n, &total, &e), ERR_INVALID);
    assert_string_equal(e.field, "q");
    f.q = "client \xFF";
    assert_int_equal(story_list(fx.a, fx.s, &fx.raad_a, &f, &rows, &n, &total, &e), ERR_INVALID);
    /* The query builder itself. */
    assert_string_equal(story_fts_query(fx.a, "NEAR(a \"b\") c* title:d"),
                        "\"NEAR\" \"a\" \"b\" \"c\"* \"title\" \"d\"");
    assert_null(story_fts_query(fx.a, "\" * () : ^"));
}

static void test_visibility(void **state)
{
    (void)state;
    struct story_input in =
        base(fx.gem_b, "Zichtbaarheid intern", "zichtbaarheidstest intern", CONSENT_INTERN);
    in.aanbieder_id = fx.provider;
    int64_t intern = make_story(&fx.beleid_b, in);
    in.title = "Zichtbaarheid gesprek";
    in.body = "zichtbaarheidstest gesprek";
    in.consent = CONSENT_GESPREK;
    int64_t gesprek = make_story(&fx.beleid_b, in);
    in.title = "Zichtbaarheid publicatie";
    in.body = "zichtbaarheidstest publicatie";
    in.consent = CONSENT_PUBLICATIE;
    int64_t publ = make_story(&fx.beleid_b, in);

    /* Owner sees all three; the party aanbieder sees gesprek and publicatie; others only
     * publicatie; the beheerder has no special right. */
    struct story_filter f = {.q = "zichtbaarheidstest"};
    assert_int_equal(found(&fx.beleid_b, f), 3);
    assert_int_equal(found(&fx.kwaliteit_p, f), 2);
    assert_int_equal(found(&fx.kwaliteit_p2, f), 1);
    assert_int_equal(found(&fx.beleid_a, f), 1);
    assert_int_equal(found(&fx.raad_a, f), 1);
    assert_int_equal(found(&fx.beheer, f), 1);
    assert_true(sees(&fx.kwaliteit_p, gesprek));
    assert_false(sees(&fx.kwaliteit_p, intern));
    assert_false(sees(&fx.beleid_a, gesprek));
    assert_true(sees(&fx.toezicht_u, publ));
    /* The gemeente named in a story is a party too. */
    struct story_input g =
        base(fx.gem_b, "Over Emmen", "zichtbaarheidstest gemeente", CONSENT_GESPREK);
    g.gemeente = "0114";
    int64_t about_a = make_story(&fx.beleid_b, g);
    assert_true(sees(&fx.beleid_a, about_a));
    assert_false(sees(&fx.kwaliteit_p, about_a));
    /* Consent filters: exact, and at least publicatie for published reports. */
    assert_int_equal(found(&fx.beleid_b, (struct story_filter){.q = "zichtbaarheidstest",
                                                               .consent = CONSENT_GESPREK}),
                     2);
    assert_int_equal(found(&fx.beleid_b, (struct story_filter){.q = "zichtbaarheidstest",
                                                               .min_consent = CONSENT_GESPREK}),
                     3);
    struct db *db = store_reader(fx.s);
    struct story_query q = {.owner_org_id = fx.gem_b};
    struct story *rows;
    int n;
    assert_int_equal(story_store_list(fx.a, db, &q, CONSENT_PUBLICATIE, 100, &rows, &n), 0);
    for (int k = 0; k < n; k++)
        assert_int_equal(rows[k].consent, CONSENT_PUBLICATIE);
    assert_true(n >= 1);
    /* Pagination counts only what the actor may see. */
    struct story_filter p = {.q = "zichtbaarheidstest", .limit = 1, .offset = 1};
    struct err_ctx e = {0};
    int total;
    assert_int_equal(story_list(fx.a, fx.s, &fx.kwaliteit_p, &p, &rows, &n, &total, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
}

static void test_filters(void **state)
{
    (void)state;
    const char *tags[] = {"filtertest"};
    struct story_input in = base(fx.gem_a, "Filter een", "filtertekst een", CONSENT_PUBLICATIE);
    in.kind = STORY_REFLECTIE;
    in.gemeente = "0114";
    in.tags = tags;
    in.ntags = 1;
    in.has_period = true;
    in.period_from = day_from_ymd(2024, 1, 1);
    in.period_to = day_from_ymd(2024, 6, 30);
    make_story(&fx.beleid_a, in);
    in.title = "Filter twee";
    in.kind = STORY_INTERVIEW;
    in.gemeente = NULL;
    in.aanbieder_id = fx.provider2;
    in.has_period = false;
    in.told_on = day_from_ymd(2025, 9, 1);
    make_story(&fx.beleid_a, in);
    struct story_filter f = {.tag = "filtertest"};
    assert_int_equal(found(&fx.raad_a, f), 2);
    f.kind = STORY_REFLECTIE;
    assert_int_equal(found(&fx.raad_a, f), 1);
    f.kind = 0;
    f.gemeente = "GM0114";
    assert_int_equal(found(&fx.raad_a, f), 1);
    f.gemeente_or_none = true;
    assert_int_equal(found(&fx.raad_a, f), 2);
    f.gemeente = NULL;
    f.gemeente_or_none = false;
    f.aanbieder_id = fx.provider2;
    assert_int_equal(found(&fx.raad_a, f), 1);
    f.aanbieder_id = 0;
    f.has_period = true;
    f.period_from = day_from_ymd(2024, 6, 1);
    f.period_to = day_from_ymd(2024, 12, 31);
    assert_int_equal(found(&fx.raad_a, f), 1);
    f.period_from = day_from_ymd(2025, 8, 1);
    f.period_to = day_from_ymd(2025, 12, 31);
    assert_int_equal(found(&fx.raad_a, f), 1);
    f.period_from = day_from_ymd(2023, 1, 1);
    f.period_to = day_from_ymd(2023, 12, 31);
    assert_int_equal(found(&fx.raad_a, f), 0);
    struct story *rows;
    int n, total;
    struct err_ctx e = {0};
    struct story_filter bad = {.gemeente = "Emmen"};
    assert_int_equal(story_list(fx.a, fx.s, &fx.raad_a, &bad, &rows, &n, &total, &e), ERR_INVALID);
    bad = (struct story_filter){.kind = 7};
    assert_int_equal(story_list(fx.a, fx.s, &fx.raad_a, &bad, &rows, &n, &total, &e), ERR_INVALID);
}

static int64_t make_event(const struct actor *who, int64_t owner, const char *title,
                          const char *gemeente, int64_t aanbieder, day_t on)
{
    struct context_event_input in = {.owner_org_id = owner,
                                     .title = title,
                                     .description = "Toelichting",
                                     .on_date = on,
                                     .gemeente = gemeente,
                                     .aanbieder_id = aanbieder};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = context_event_create(fx.s, who, &in, &id, &e);
    if (rc)
        fail_msg("event %s: %s (%s: %s)", title, err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static int events(const struct context_event_filter *f)
{
    struct context_event *rows;
    int n, total;
    struct err_ctx e = {0};
    int rc = context_event_list(fx.a, fx.s, &fx.raad_a, f, &rows, &n, &total, &e);
    if (rc)
        fail_msg("events: %s (%s)", err_name(rc), e.msg);
    for (int k = 1; k < n; k++)
        assert_true(rows[k].on_date >= rows[k - 1].on_date);
    return total;
}

static void test_context_events(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t lock =
        make_event(&fx.beheer, fx.region, "Coronamaatregelen", NULL, 0, day_from_ymd(2020, 3, 15));
    make_event(&fx.beleid_a, fx.gem_a, "Nieuw toegangsteam", "GM0114", 0, day_from_ymd(2023, 1, 1));
    make_event(&fx.beleid_b, fx.gem_b, "Wachtlijstmaatregel", "0106", 0, day_from_ymd(2024, 5, 1));
    make_event(&fx.kwaliteit_p, fx.provider, "Nieuwe werkwijze", NULL, fx.provider,
               day_from_ymd(2024, 9, 1));
    /* Scope of a chart for gemeente A: region-wide + A's events. */
    const char *scope_a[] = {"0114"};
    struct context_event_filter f = {
        .scoped = true, .scope_gemeenten = scope_a, .nscope_gemeenten = 1};
    assert_int_equal(events(&f), 2);
    f.scope_aanbieder = fx.provider;
    assert_int_equal(events(&f), 3);
    f.has_range = true;
    f.from = day_from_ymd(2022, 1, 1);
    f.to = day_from_ymd(2024, 12, 31);
    assert_int_equal(events(&f), 2);
    struct context_event_filter allg = {.scoped = true, .scope_all_gemeenten = true};
    assert_int_equal(events(&allg), 3);
    assert_int_equal(events(NULL), 4);
    /* Update with locking, policy, validation. */
    struct context_event ev;
    assert_int_equal(context_event_get(fx.a, fx.s, &fx.raad_a, lock, &ev), 0);
    assert_string_equal(ev.title, "Coronamaatregelen");
    struct context_event_input up = {.owner_org_id = fx.region,
                                     .title = "Coronamaatregelen (lockdown)",
                                     .on_date = ev.on_date,
                                     .has_until = true,
                                     .until_date = day_from_ymd(2020, 6, 1),
                                     .version = ev.version};
    assert_int_equal(context_event_update(fx.s, &fx.beleid_a, lock, &up, &e), ERR_DENIED);
    assert_int_equal(context_event_update(fx.s, &fx.beheer, lock, &up, &e), 0);
    assert_int_equal(context_event_update(fx.s, &fx.beheer, lock, &up, &e), ERR_CONFLICT);
    up.version = ev.version + 1;
    up.until_date = day_from_ymd(2019, 1, 1);
    assert_int_equal(context_event_update(fx.s, &fx.beheer, lock, &up, &e), ERR_INVALID);
    assert_string_equal(e.field, "until_date");
    struct context_event_input bad = {.owner_org_id = fx.gem_a, .title = "", .on_date = 0};
    int64_t id;
    assert_int_equal(context_event_create(fx.s, &fx.beleid_a, &bad, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "title");
    bad.title = "Twee dingen";
    bad.gemeente = "0114";
    bad.aanbieder_id = fx.provider;
    assert_int_equal(context_event_create(fx.s, &fx.beleid_a, &bad, &id, &e), ERR_INVALID);
    bad.aanbieder_id = 0;
    assert_int_equal(context_event_create(fx.s, &fx.raad_a, &bad, &id, &e), ERR_DENIED);
    bad.owner_org_id = fx.gem_b;
    assert_int_equal(context_event_create(fx.s, &fx.beleid_a, &bad, &id, &e), ERR_DENIED);
    assert_int_equal(context_event_set_archived(fx.s, &fx.beheer, lock, true, &e), 0);
    assert_int_equal(events(NULL), 3);
    assert_true(count_audit("context_event.") >= 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anonymisation_confirm),
        cmocka_unit_test(test_validation_and_policy),
        cmocka_unit_test(test_update_links_conflict),
        cmocka_unit_test(test_fts),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_context_events),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
