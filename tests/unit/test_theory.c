/*
 * test_theory.c: the theory of change (domain/theory.c, store/theory_store.c): versions with
 * optimistic locking, the canonical document per version and its round trip, the summary of
 * what changed, the rule that an aanbieder changes only its own activities, who may edit at all,
 * limits with Dutch errors naming the field, hostile JSON, and the append-only history.
 */
#include "domain/theory.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/result.h"
#include <setjmp.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, gem_a, gem_b, provider, provider2, result_a, ind1, ind2;
    struct actor beleid_a, contract_a, beleid_b, kwal_p, kwal_p2, prof_p, raad_a;
};

static struct fixture fx;

static int64_t make_indicator(const char *code, const char *name)
{
    struct db *db;
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO indicator (code, owner_org_id, standard, definition, created_at, "
             "updated_at) VALUES ('%s', NULL, 1, '{\"naam\":\"%s\"}', '2026-01-01T00:00:00Z', "
             "'2026-01-01T00:00:00Z')",
             code, name);
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_exec(db, sql), 0);
    int64_t id = db_last_insert_id(db);
    assert_int_equal(store_write_end(fx.s, true), 0);
    return id;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    ts_store_open("theory", fx.dir, fx.path, &fx.s);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Drenthe", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, fx.region);
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Buurtzorg Jong", NULL, "12345678", 0);
    fx.provider2 = ts_make_org(fx.s, ORG_AANBIEDER, "Welzijn Oost", NULL, "87654321", 0);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.contract_a = ts_make_actor(fx.s, fx.a, "contract.a", fx.gem_a, ROLE_CONTRACT, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.kwal_p = ts_make_actor(fx.s, fx.a, "kwal.p", fx.provider, ROLE_KWALITEIT, PW);
    fx.kwal_p2 = ts_make_actor(fx.s, fx.a, "kwal.p2", fx.provider2, ROLE_KWALITEIT, PW);
    fx.prof_p = ts_make_actor(fx.s, fx.a, "prof.p", fx.provider, ROLE_PROFESSIONAL, PW);
    fx.raad_a = ts_make_actor(fx.s, fx.a, "raad.a", fx.gem_a, ROLE_RAAD, PW);
    struct result_input ri = {.owner_org_id = fx.gem_a,
                              .theme = THEME_OPGROEIEN,
                              .title = "Jongeren groeien veilig op",
                              .description = "",
                              .start_year = 2024,
                              .end_year = 2027};
    assert_int_equal(result_create(fx.s, &fx.beleid_a, &ri, &fx.result_a, &e), 0);
    fx.ind1 = make_indicator("jh_uitval", "Voortijdige uitval jeugdhulp");
    fx.ind2 = make_indicator("jh_herhaal", "Herhaald beroep op jeugdhulp");
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

static struct theory current(void)
{
    struct theory t;
    assert_int_equal(theory_get(fx.a, fx.s, &fx.beleid_a, fx.result_a, &t), 0);
    return t;
}

static int count_audit(void)
{
    struct audit_filter af = {.action_prefix = "theory.", .limit = AUDIT_LIST_MAX};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(fx.a, fx.s, &ts_admin, &af, &ev, &n, &total), 0);
    return total;
}

static const char *newest_summary(void)
{
    struct theory_version_info *v = NULL;
    int n = 0;
    assert_int_equal(theory_versions(fx.a, fx.s, &fx.raad_a, fx.result_a, &v, &n), 0);
    assert_true(n > 0);
    return v[0].summary;
}

/* The first save writes version 1 with a document and a summary; the audit log has it. */
static void test_first_version(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t = current();
    assert_int_equal(t.version, 0);
    assert_int_equal(t.nactivities, 0);
    assert_string_equal(t.starters[STARTER_KNOWN_HERE], "");
    int audits = count_audit();

    struct theory_indicator inds[] = {{.id = fx.ind1}};
    struct theory_activity acts[] = {
        {.aanbieder_id = fx.provider,
         .product = "Buurtteam Jeugd",
         .description = "  Ambulante hulp thuis en op school.  ",
         .assumptions = "Vroeg erbij zijn voorkomt zwaardere zorg.",
         .conditions = "Twee vaste professionals per school.",
         .outcomes = "Minder uitval.",
         .indicators = inds,
         .nindicators = 1},
        {.description = "Preventieprogramma van de gemeente op scholen."},
    };
    struct theory in = {.version = 0, .activities = acts, .nactivities = 2};
    in.starters[STARTER_KNOWN_HERE] = "Veel jongeren stoppen vroegtijdig met hulp.";
    int64_t v = 0;
    int rc = theory_put(fx.s, &fx.beleid_a, fx.result_a, &in, &v, &e);
    if (rc)
        fail_msg("%s: %s", err_name(rc), e.msg);
    assert_int_equal(v, 1);

    t = current();
    assert_int_equal(t.version, 1);
    assert_int_equal(t.nactivities, 2);
    /* Texts are trimmed; names looked up. */
    assert_string_equal(t.activities[0].description, "Ambulante hulp thuis en op school.");
    assert_string_equal(t.activities[0].aanbieder_name, "Buurtzorg Jong");
    assert_int_equal(t.activities[0].nindicators, 1);
    assert_string_equal(t.activities[0].indicators[0].name, "Voortijdige uitval jeugdhulp");
    assert_int_equal(t.activities[1].aanbieder_id, 0);
    assert_string_equal(t.starters[STARTER_KNOWN_HERE],
                        "Veel jongeren stoppen vroegtijdig met hulp.");
    assert_string_equal(t.result_title, "Jongeren groeien veilig op");
    assert_non_null(t.updated_at);

    const char *sum = newest_summary();
    assert_non_null(strstr(sum, "activiteit 1 (Buurtteam Jeugd) toegevoegd"));
    assert_non_null(strstr(sum, "activiteit 2 (Preventieprogramma van de gemeente op…)"));
    assert_non_null(strstr(sum, "startvragen aangepast: wat we hier weten"));
    assert_int_equal(count_audit(), audits + 1);

    /* The stored document parses back to the same canonical text. */
    struct theory old;
    struct theory_version_info info;
    assert_int_equal(theory_version_get(fx.a, fx.s, &fx.raad_a, fx.result_a, 1, &old, &info), 0);
    struct buf b1, b2;
    buf_init(&b1, 1 << 20);
    buf_init(&b2, 1 << 20);
    assert_int_equal(theory_to_json(&t, &b1), 0);
    assert_int_equal(theory_to_json(&old, &b2), 0);
    assert_string_equal(buf_cstr(&b1), buf_cstr(&b2));
    assert_non_null(
        strstr(buf_cstr(&b1), "\"aannames\":\"Vroeg erbij zijn voorkomt zwaardere zorg.\""));
    assert_string_equal(info.user_name, "beleid.a");
    buf_release(&b1);
    buf_release(&b2);
}

/* A stale version is refused; saving the same state again makes no new version. */
static void test_locking_and_no_change(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t = current();
    int64_t v0 = t.version;
    struct theory in = t;
    in.version = v0 - 1 >= 0 ? v0 - 1 : 5;
    assert_int_equal(theory_put(fx.s, &fx.beleid_a, fx.result_a, &in, NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "versie");
    assert_non_null(strstr(e.msg, "intussen gewijzigd"));

    int64_t v = -1;
    in.version = v0;
    assert_int_equal(theory_put(fx.s, &fx.beleid_a, fx.result_a, &in, &v, &e), 0);
    assert_int_equal(v, v0);
    assert_int_equal(current().version, v0);

    /* Starters through the front-conversation entry point; old version refused after. */
    const char *st[THEORY_STARTERS] = {t.starters[0], "Vroegsignalering werkt.", "", ""};
    assert_int_equal(theory_save_starters(fx.s, &fx.contract_a, fx.result_a, st, v0, &v, &e), 0);
    assert_int_equal(v, v0 + 1);
    assert_string_equal(newest_summary(), "startvragen aangepast: wat helpt");
    assert_int_equal(theory_save_starters(fx.s, &fx.beleid_a, fx.result_a, st, v0, &v, &e),
                     ERR_CONFLICT);
}

/* One field changed, moved, deleted: the summary says so in words. */
static void test_summary_of_changes(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t = current();
    struct theory_activity act = t.activities[0];
    act.assumptions = "Vroeg erbij zijn voorkomt zwaardere zorg; zo blijkt uit onderzoek.";
    act.conditions = "Drie vaste professionals per school.";
    int64_t id = 0;
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, &id, &e), 0);
    assert_int_equal(id, act.id);
    assert_string_equal(newest_summary(),
                        "activiteit 1 (Buurtteam Jeugd) aangepast: aannames, voorwaarden");

    t = current();
    assert_int_equal(theory_activity_move(fx.s, &fx.beleid_a, fx.result_a, t.activities[1].id, -1,
                                          t.version, &e),
                     0);
    t = current();
    assert_string_equal(t.activities[1].product, "Buurtteam Jeugd");
    assert_non_null(strstr(newest_summary(), "verplaatst"));

    /* Indicators changed. */
    act = t.activities[1];
    struct theory_indicator two[] = {{.id = fx.ind1}, {.id = fx.ind2}, {.id = fx.ind2}};
    act.indicators = two;
    act.nindicators = 3; /* a duplicate counts once */
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e), 0);
    t = current();
    assert_int_equal(t.activities[1].nindicators, 2);
    assert_string_equal(newest_summary(), "activiteit 2 (Buurtteam Jeugd) aangepast: indicatoren");

    /* Add and delete. */
    struct theory_activity extra = {.product = "Opvoedcursus",
                                    .description = "Cursus voor ouders."};
    int64_t new_id = 0;
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &extra, t.version, &new_id, &e), 0);
    assert_true(new_id > 0);
    t = current();
    assert_int_equal(t.nactivities, 3);
    assert_int_equal(t.activities[2].id, new_id);
    assert_string_equal(newest_summary(), "activiteit 3 (Opvoedcursus) toegevoegd");
    assert_int_equal(theory_activity_delete(fx.s, &fx.beleid_a, fx.result_a, new_id, t.version, &e),
                     0);
    assert_string_equal(newest_summary(), "activiteit 3 (Opvoedcursus) verwijderd");
    t = current();
    assert_int_equal(theory_activity_delete(fx.s, &fx.beleid_a, fx.result_a, new_id, t.version, &e),
                     ERR_NOT_FOUND);

    /* The field-by-field comparison of two versions. */
    struct theory v1, vn;
    struct theory_version_info i1, in_;
    assert_int_equal(theory_version_get(fx.a, fx.s, &fx.beleid_a, fx.result_a, 1, &v1, &i1), 0);
    assert_int_equal(
        theory_version_get(fx.a, fx.s, &fx.beleid_a, fx.result_a, t.version, &vn, &in_), 0);
    struct theory_change *ch = NULL;
    int n = 0;
    assert_int_equal(theory_compare(fx.a, &v1, &vn, &ch, &n), 0);
    bool saw_conditions = false;
    for (int i = 0; i < n; i++)
        if (ch[i].field && strcmp(ch[i].field, "voorwaarden") == 0) {
            assert_string_equal(ch[i].before, "Twee vaste professionals per school.");
            assert_string_equal(ch[i].after, "Drie vaste professionals per school.");
            saw_conditions = true;
        }
    assert_true(saw_conditions);
    assert_int_equal(theory_version_get(fx.a, fx.s, &fx.beleid_a, fx.result_a, 999, &vn, &in_),
                     ERR_NOT_FOUND);
}

/* Who may change a theory at all. */
static void test_who_may_edit(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t = current();
    const char *st[THEORY_STARTERS] = {"x", "y", "z", "w"};
    assert_int_equal(theory_save_starters(fx.s, &fx.beleid_b, fx.result_a, st, t.version, NULL, &e),
                     ERR_DENIED);
    assert_int_equal(theory_save_starters(fx.s, &fx.raad_a, fx.result_a, st, t.version, NULL, &e),
                     ERR_DENIED);
    /* Provider2 is named in no activity: not a party. A professional is no content role. */
    assert_int_equal(theory_save_starters(fx.s, &fx.kwal_p2, fx.result_a, st, t.version, NULL, &e),
                     ERR_DENIED);
    assert_int_equal(theory_save_starters(fx.s, &fx.prof_p, fx.result_a, st, t.version, NULL, &e),
                     ERR_DENIED);
    assert_int_equal(current().version, t.version);
    /* Everyone may read. */
    struct theory r;
    assert_int_equal(theory_get(fx.a, fx.s, &fx.raad_a, fx.result_a, &r), 0);
    assert_int_equal(theory_get(fx.a, fx.s, &fx.kwal_p2, fx.result_a, &r), 0);
    assert_int_equal(theory_get(fx.a, fx.s, &fx.beleid_a, 99999, &r), ERR_NOT_FOUND);
    bool own = false;
    assert_true(theory_may_edit(&fx.kwal_p, &t, fx.a, &own));
    assert_true(own);
    assert_true(theory_may_edit(&fx.beleid_a, &t, fx.a, &own));
    assert_false(own);
    assert_false(theory_may_edit(&fx.kwal_p2, &t, fx.a, &own));
}

/* Rule 11: an aanbieder changes only its own activities. */
static void test_aanbieder_own_activities(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t = current();
    int own = t.activities[0].aanbieder_id == fx.provider ? 0 : 1;
    int other = 1 - own;
    assert_int_equal(t.activities[own].aanbieder_id, fx.provider);

    /* Own activity: allowed. */
    struct theory_activity act = t.activities[own];
    act.outcomes = "Minder uitval en minder herhaald beroep.";
    assert_int_equal(theory_activity_save(fx.s, &fx.kwal_p, fx.result_a, &act, t.version, NULL, &e),
                     0);
    t = current();
    /* Another's activity: refused, nothing saved. */
    act = t.activities[other];
    act.outcomes = "Iets anders";
    assert_int_equal(theory_activity_save(fx.s, &fx.kwal_p, fx.result_a, &act, t.version, NULL, &e),
                     ERR_DENIED);
    assert_non_null(strstr(e.msg, "eigen activiteiten"));
    assert_int_equal(current().version, t.version);
    /* Starters: refused. */
    const char *st[THEORY_STARTERS] = {"a", "b", "c", "d"};
    assert_int_equal(theory_save_starters(fx.s, &fx.kwal_p, fx.result_a, st, t.version, NULL, &e),
                     ERR_DENIED);
    /* Delete another's: refused. Reassign own to provider2: refused. */
    assert_int_equal(theory_activity_delete(fx.s, &fx.kwal_p, fx.result_a, t.activities[other].id,
                                            t.version, &e),
                     ERR_DENIED);
    act = t.activities[own];
    act.aanbieder_id = fx.provider2;
    assert_int_equal(theory_activity_save(fx.s, &fx.kwal_p, fx.result_a, &act, t.version, NULL, &e),
                     ERR_DENIED);
    /* New activity for someone else: refused; for itself: allowed. */
    struct theory_activity nw = {.aanbieder_id = fx.provider2, .description = "Nieuw"};
    assert_int_equal(theory_activity_save(fx.s, &fx.kwal_p, fx.result_a, &nw, t.version, NULL, &e),
                     ERR_DENIED);
    nw.aanbieder_id = fx.provider;
    nw.product = "Huiswerkbegeleiding";
    int64_t nid = 0;
    assert_int_equal(theory_activity_save(fx.s, &fx.kwal_p, fx.result_a, &nw, t.version, &nid, &e),
                     0);
    t = current();
    /* Moving own: allowed (others keep their order); the whole document via put: another's
     * activity changed in it is refused. */
    assert_int_equal(theory_activity_move(fx.s, &fx.kwal_p, fx.result_a, nid, -1, t.version, &e),
                     0);
    t = current();
    struct theory in = t;
    in.activities = arena_calloc(fx.a, (size_t)t.nactivities, sizeof *in.activities);
    memcpy(in.activities, t.activities, (size_t)t.nactivities * sizeof *in.activities);
    for (int k = 0; k < in.nactivities; k++)
        if (in.activities[k].aanbieder_id != fx.provider)
            in.activities[k].description = "Overschreven";
    assert_int_equal(theory_put(fx.s, &fx.kwal_p, fx.result_a, &in, NULL, &e), ERR_DENIED);
    /* Delete own: allowed. */
    assert_int_equal(theory_activity_delete(fx.s, &fx.kwal_p, fx.result_a, nid, t.version, &e), 0);
    assert_string_equal(newest_summary(), "activiteit 2 (Huiswerkbegeleiding) verwijderd");
}

/* Limits and Dutch messages naming the field. */
static void test_limits(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t = current();
    struct theory_activity act = {.description = "   "};
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "beschrijving");
    assert_non_null(strstr(e.msg, "Activiteit 3"));

    act.description = "Goed";
    act.product = "Regel\nbreuk";
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "product");

    char *big = arena_alloc(fx.a, THEORY_TEXT_MAX * 2 + 8);
    for (int i = 0; i < THEORY_TEXT_MAX; i++) {
        big[2 * i] = (char)0xC3; /* "é": 2 bytes, 1 code point */
        big[2 * i + 1] = (char)0xA9;
    }
    big[2 * THEORY_TEXT_MAX] = '\0';
    act.product = "";
    act.assumptions = big; /* exactly the limit in code points: fine */
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e), 0);
    t = current();
    big[2 * THEORY_TEXT_MAX] = 'x';
    big[2 * THEORY_TEXT_MAX + 1] = '\0';
    act = t.activities[t.nactivities - 1];
    act.assumptions = big;
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e),
        ERR_TOO_BIG);
    assert_string_equal(e.field, "aannames");
    assert_non_null(strstr(e.msg, "te lang"));

    act.assumptions = "\xff\xfe ongeldig";
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "aannames");

    act.assumptions = "";
    act.aanbieder_id = fx.gem_b; /* a gemeente is no aanbieder */
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "aanbieder_id");

    act.aanbieder_id = 0;
    struct theory_indicator ghost[] = {{.id = 424242}};
    act.indicators = ghost;
    act.nindicators = 1;
    assert_int_equal(
        theory_activity_save(fx.s, &fx.beleid_a, fx.result_a, &act, t.version, NULL, &e),
        ERR_INVALID);
    assert_string_equal(e.field, "indicatoren");

    /* Too many activities. */
    struct theory in = t;
    in.nactivities = THEORY_MAX_ACTIVITIES + 1;
    in.activities = arena_calloc(fx.a, (size_t)in.nactivities, sizeof *in.activities);
    for (int k = 0; k < in.nactivities; k++)
        in.activities[k].description = "x";
    assert_int_equal(theory_put(fx.s, &fx.beleid_a, fx.result_a, &in, NULL, &e), ERR_TOO_BIG);
    assert_string_equal(e.field, "activiteiten");
    /* An activity of another result cannot be smuggled in by id. */
    in.nactivities = 1;
    in.activities[0].id = 987654;
    assert_int_equal(theory_put(fx.s, &fx.beleid_a, fx.result_a, &in, NULL, &e), ERR_INVALID);
    assert_int_equal(current().version, t.version);
}

/* Hostile and wrong JSON is refused with a reason; a good document round-trips. */
static void test_json(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct theory t;
    static const char *bad[] = {
        "",
        "{",
        "[]",
        "{\"versie\":\"drie\"}",
        "{\"versie\":1,\"versie\":2}",
        "{\"startvragen\":[]}",
        "{\"startvragen\":{\"bekend_hier\":5}}",
        "{\"activiteiten\":{}}",
        "{\"activiteiten\":[5]}",
        "{\"activiteiten\":[{\"beschrijving\":\"a\",\"indicatoren\":[\"x\"]}]}",
        "{\"activiteiten\":[{\"id\":-3,\"beschrijving\":\"a\"}]}",
        "{\"activiteiten\":[{\"beschrijving\":\"a\\u0000b\"}]}",
        "{\"activiteiten\":[{\"beschrijving\":\"a\",\"aanames\":\"typo\"}]}",
        "{\"startvragen\":{\"bekend\":\"x\"}}",
        "{\"verandertheorie\":{}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear(&e);
        int rc = theory_from_json(fx.a, bad[i], strlen(bad[i]), &t, &e);
        if (rc != ERR_INVALID)
            fail_msg("accepted or wrong error for %s: %s", bad[i], err_name(rc));
        assert_true(e.msg[0] != '\0');
    }
    struct buf b;
    buf_init(&b, 4 * THEORY_DOC_MAX);
    buf_append_str(&b, "{\"activiteiten\":[");
    for (int k = 0; k <= THEORY_MAX_ACTIVITIES; k++)
        buf_appendf(&b, "%s{\"beschrijving\":\"a\"}", k ? "," : "");
    buf_append_str(&b, "]}");
    assert_int_equal(theory_from_json(fx.a, buf_cstr(&b), strlen(buf_cstr(&b)), &t, &e),
                     ERR_TOO_BIG);
    buf_reset(&b);
    buf_append_str(&b, "{\"x\":\"");
    for (int i = 0; i < THEORY_DOC_MAX; i++)
        buf_append_char(&b, 'a');
    buf_append_str(&b, "\"}");
    assert_int_equal(theory_from_json(fx.a, buf_cstr(&b), strlen(buf_cstr(&b)), &t, &e),
                     ERR_TOO_BIG);

    /* Round trip of the current theory: canonical text is stable. */
    struct theory cur = current();
    buf_reset(&b);
    assert_int_equal(theory_to_json(&cur, &b), 0);
    char *first = arena_strdup(fx.a, buf_cstr(&b));
    if (theory_from_json(fx.a, first, strlen(first), &t, &e))
        fail_msg("%s", e.msg);
    t.result_id = cur.result_id;
    buf_reset(&b);
    assert_int_equal(theory_to_json(&t, &b), 0);
    assert_string_equal(buf_cstr(&b), first);
    buf_release(&b);
}

/* The summary is cut at a character boundary within the column's limit. */
static void test_summary_limit(void **state)
{
    (void)state;
    struct theory_change ch[60];
    for (int i = 0; i < 60; i++)
        ch[i] = (struct theory_change){.activity_index = i + 1,
                                       .activity_label =
                                           arena_printf(fx.a, "activiteit %d (één)", i + 1),
                                       .what = "toegevoegd"};
    const char *s = theory_change_summary(fx.a, ch, 60);
    assert_true(strlen(s) <= THEORY_SUMMARY_MAX);
    assert_true(strlen(s) > THEORY_SUMMARY_MAX - 12);
    assert_non_null(strstr(s, "…"));
    size_t bad_at = 0;
    (void)bad_at;
    /* Valid UTF-8 throughout (no half character before the ellipsis). */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == 0xC3)
            assert_true((p[1] & 0xC0) == 0x80);
}

/* theory_version is append-only. */
static void test_history_append_only(void **state)
{
    (void)state;
    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_true(db_exec(db, "UPDATE theory_version SET summary = 'vervalst'") != 0);
    assert_int_equal(store_write_end(fx.s, false), 0);
    struct theory_version_info *v = NULL;
    int n = 0;
    assert_int_equal(theory_versions(fx.a, fx.s, &fx.beleid_a, fx.result_a, &v, &n), 0);
    assert_int_equal(n, (int)current().version);
    for (int i = 0; i < n; i++) {
        assert_int_equal(v[i].version, n - i); /* newest first, no gaps */
        assert_string_not_equal(v[i].summary, "vervalst");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_version),
        cmocka_unit_test(test_locking_and_no_change),
        cmocka_unit_test(test_summary_of_changes),
        cmocka_unit_test(test_who_may_edit),
        cmocka_unit_test(test_aanbieder_own_activities),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_summary_limit),
        cmocka_unit_test(test_history_append_only),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
