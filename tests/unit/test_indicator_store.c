/*
 * test_indicator_store.c: the SQL of indicator definitions (store/indicator_store.c): insert,
 * find and list order, optimistic locking with the version history, archiving, targets, links to
 * societal results; installing and loading the standard set (metrics/catalog.c), idempotent and
 * leaving a region's changes alone; and survey responses (store/survey_store.c).
 */
#include "store/indicator_store.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/str.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/user.h"
#include "metrics/catalog.h"
#include "store/store.h"
#include "store/survey_store.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define NOW  "2026-11-23T08:00:00Z"
#define NOW2 "2026-11-24T09:30:00Z"
#define DOC1 "{\"versie\": 1, \"code\": \"x\"}"
#define DOC2 "{\"versie\": 1, \"code\": \"x\", \"naam\": \"twee\"}"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, gem, provider, user, result1, result2;
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "test"};

static int64_t make_result(const char *title)
{
    struct result_input in = {.owner_org_id = fx.gem,
                              .theme = THEME_OPGROEIEN,
                              .title = title,
                              .description = "",
                              .start_year = 2024,
                              .end_year = 2027};
    struct err_ctx e = {0};
    int64_t id = 0;
    struct actor who;
    assert_int_equal(auth_actor_for_user(fx.a, fx.s, fx.user, &who), 0);
    int rc = result_create(fx.s, &who, &in, &id, &e);
    if (rc)
        fail_msg("result: %s (%s)", err_name(rc), e.msg);
    return id;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-indstore-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/ind.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Zuid", NULL, NULL, 0);
    fx.gem = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    struct user_input in = {.login = "beleid",
                            .display_name = "Bea Beleid",
                            .org_id = fx.gem,
                            .roles = ROLE_BELEID,
                            .password = "correct-horse-battery"};
    assert_int_equal(user_create(fx.s, &admin, &in, &fx.user, NULL, &e), 0);
    fx.result1 = make_result("Resultaat een");
    fx.result2 = make_result("Resultaat twee");
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

/* Runs one write in its own transaction, committed when it succeeds. */
static struct db *wbegin(void)
{
    struct db *db = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    return db;
}

static void wend(int rc)
{
    assert_int_equal(store_write_end(fx.s, rc == 0), 0);
}

static int64_t count(const char *sql)
{
    int64_t n = -1;
    assert_int_equal(db_query_i64(store_reader(fx.s), "test.count", sql, &n), 0);
    return n;
}

static void test_insert_find_list(void **state)
{
    (void)state;
    struct db *db = wbegin();
    int64_t std_id = 0, local_id = 0, other_id = 0, id = 0;
    assert_int_equal(indicator_store_insert(db, 0, true, "zz_standaard", DOC1, NOW, 0, &std_id), 0);
    assert_int_equal(
        indicator_store_insert(db, fx.gem, false, "aa_lokaal", DOC1, NOW, fx.user, &local_id), 0);
    /* The same code under another owner is a different indicator. */
    assert_int_equal(
        indicator_store_insert(db, fx.gem, false, "zz_standaard", DOC2, NOW, fx.user, &other_id),
        0);
    /* ... but not twice under one owner (also not twice in the standard set). */
    assert_int_equal(indicator_store_insert(db, fx.gem, false, "aa_lokaal", DOC1, NOW, 0, &id),
                     ERR_CONFLICT);
    assert_int_equal(indicator_store_insert(db, 0, true, "zz_standaard", DOC1, NOW, 0, &id),
                     ERR_CONFLICT);
    wend(0);

    struct indicator_row r;
    struct db *rd = store_reader(fx.s);
    assert_int_equal(indicator_store_get(fx.a, rd, std_id, &r), 0);
    assert_string_equal(r.code, "zz_standaard");
    assert_int_equal(r.owner_org_id, 0);
    assert_null(r.owner_name);
    assert_true(r.standard);
    assert_int_equal(r.version, 1);
    assert_string_equal(r.definition, DOC1);
    assert_false(r.archived);
    assert_string_equal(r.updated_at, NOW);
    assert_int_equal(r.updated_by, 0);
    assert_int_equal(indicator_store_get(fx.a, rd, local_id, &r), 0);
    assert_int_equal(r.owner_org_id, fx.gem);
    assert_non_null(r.owner_name);
    assert_int_equal(r.updated_by, fx.user);
    assert_false(r.standard);
    assert_int_equal(indicator_store_get(fx.a, rd, 999999, &r), ERR_NOT_FOUND);

    assert_int_equal(indicator_store_find(fx.a, rd, 0, "zz_standaard", &r), 0);
    assert_int_equal(r.id, std_id);
    assert_int_equal(indicator_store_find(fx.a, rd, fx.gem, "zz_standaard", &r), 0);
    assert_int_equal(r.id, other_id);
    assert_string_equal(r.definition, DOC2);
    assert_int_equal(indicator_store_find(fx.a, rd, 0, "aa_lokaal", &r), ERR_NOT_FOUND);
    assert_int_equal(indicator_store_find(fx.a, rd, fx.gem, "' OR 1=1 --", &r), ERR_NOT_FOUND);

    /* Standard set first, then by code. */
    struct indicator_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(indicator_store_list(fx.a, rd, false, &rows, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, std_id);
    assert_int_equal(rows[1].id, local_id);
    assert_int_equal(rows[2].id, other_id);

    /* Every insert recorded version 1. */
    struct indicator_version_row *v = NULL;
    assert_int_equal(indicator_store_versions(fx.a, rd, local_id, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].version, 1);
    assert_string_equal(v[0].definition, DOC1);
    assert_string_equal(v[0].changed_by_name, "Bea Beleid");
    assert_int_equal(indicator_store_versions(fx.a, rd, std_id, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_null(v[0].changed_by_name);
    assert_int_equal(v[0].changed_by, 0);

    /* Clean up for the other tests. */
    db = wbegin();
    assert_int_equal(db_exec(db, "DELETE FROM indicator"), 0);
    wend(0);
    assert_int_equal(count("SELECT count(*) FROM indicator_version"), 0);
}

static void test_update_versions(void **state)
{
    (void)state;
    struct db *db = wbegin();
    int64_t id = 0;
    assert_int_equal(indicator_store_insert(db, fx.gem, false, "upd", DOC1, NOW, 0, &id), 0);
    assert_int_equal(indicator_store_update(db, id, 1, DOC2, NOW2, fx.user), 0);
    /* A second editor who also saw version 1 loses. */
    assert_int_equal(indicator_store_update(db, id, 1, DOC1, NOW2, fx.user), ERR_CONFLICT);
    assert_int_equal(indicator_store_update(db, id, 3, DOC1, NOW2, fx.user), ERR_CONFLICT);
    assert_int_equal(indicator_store_update(db, 987654, 1, DOC1, NOW2, fx.user), ERR_NOT_FOUND);
    assert_int_equal(indicator_store_update(db, id, 2, DOC1, NOW2, 0), 0);
    wend(0);

    struct db *rd = store_reader(fx.s);
    struct indicator_row r;
    assert_int_equal(indicator_store_get(fx.a, rd, id, &r), 0);
    assert_int_equal(r.version, 3);
    assert_string_equal(r.definition, DOC1);
    assert_string_equal(r.updated_at, NOW2);
    assert_int_equal(r.updated_by, 0);
    struct indicator_version_row *v = NULL;
    size_t n = 0;
    assert_int_equal(indicator_store_versions(fx.a, rd, id, &v, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].version, 3); /* newest first */
    assert_string_equal(v[0].definition, DOC1);
    assert_int_equal(v[1].version, 2);
    assert_string_equal(v[1].definition, DOC2);
    assert_string_equal(v[1].changed_by_name, "Bea Beleid");
    assert_string_equal(v[1].changed_at, NOW2);
    assert_int_equal(v[2].version, 1);
    assert_string_equal(v[2].changed_at, NOW);

    /* Archiving hides it from the default list but keeps the version. */
    db = wbegin();
    assert_int_equal(indicator_store_set_archived(db, id, true, NOW2, fx.user), 0);
    assert_int_equal(indicator_store_set_archived(db, 987654, true, NOW2, fx.user), ERR_NOT_FOUND);
    wend(0);
    struct indicator_row *rows = NULL;
    assert_int_equal(indicator_store_list(fx.a, rd, false, &rows, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(indicator_store_list(fx.a, rd, true, &rows, &n), 0);
    assert_int_equal(n, 1);
    assert_true(rows[0].archived);
    assert_int_equal(rows[0].version, 3);
    db = wbegin();
    assert_int_equal(indicator_store_set_archived(db, id, false, NOW2, fx.user), 0);
    wend(0);
    assert_int_equal(indicator_store_list(fx.a, rd, false, &rows, &n), 0);
    assert_int_equal(n, 1);

    db = wbegin();
    assert_int_equal(db_exec(db, "DELETE FROM indicator"), 0);
    wend(0);
}

static void test_targets(void **state)
{
    (void)state;
    struct db *db = wbegin();
    int64_t ind = 0, t1 = 0, t2 = 0, bad = 0;
    assert_int_equal(indicator_store_insert(db, 0, true, "tgt", DOC1, NOW, 0, &ind), 0);
    struct indicator_target_row t = {.indicator_id = ind,
                                     .owner_org_id = fx.region,
                                     .gemeente = NULL,
                                     .aanbieder_id = 0,
                                     .valid_from = day_from_ymd(2024, 1, 1),
                                     .valid_to = DAY_NONE,
                                     .value = 8.0,
                                     .note = "Regionale afspraak"};
    assert_int_equal(indicator_store_target_insert(db, &t, &t1), 0);
    struct indicator_target_row t2in = {.indicator_id = ind,
                                        .owner_org_id = fx.gem,
                                        .gemeente = "0114",
                                        .aanbieder_id = fx.provider,
                                        .valid_from = day_from_ymd(2023, 1, 1),
                                        .valid_to = day_from_ymd(2023, 12, 31),
                                        .value = 7.5,
                                        .note = NULL};
    assert_int_equal(indicator_store_target_insert(db, &t2in, &t2), 0);
    /* The schema's checks hold: an end before the start, a 6-character gemeente code. */
    struct indicator_target_row broken = t2in;
    broken.valid_to = day_from_ymd(2022, 1, 1);
    assert_int_equal(indicator_store_target_insert(db, &broken, &bad), ERR_CONFLICT);
    broken = t2in;
    broken.gemeente = "GM0114";
    assert_int_equal(indicator_store_target_insert(db, &broken, &bad), ERR_CONFLICT);
    wend(0);

    struct indicator_target_row *ts = NULL;
    size_t n = 0;
    struct db *rd = store_reader(fx.s);
    assert_int_equal(indicator_store_targets(fx.a, rd, ind, &ts, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ts[0].id, t2); /* by valid_from */
    assert_string_equal(ts[0].gemeente, "0114");
    assert_int_equal(ts[0].aanbieder_id, fx.provider);
    assert_int_equal(ts[0].valid_to, day_from_ymd(2023, 12, 31));
    assert_true(ts[0].value == 7.5);
    assert_string_equal(ts[0].note, "");
    assert_int_equal(ts[1].id, t1);
    assert_null(ts[1].gemeente);
    assert_int_equal(ts[1].aanbieder_id, 0);
    assert_int_equal(ts[1].valid_to, DAY_NONE);
    assert_int_equal(ts[1].owner_org_id, fx.region);
    assert_string_equal(ts[1].note, "Regionale afspraak");

    db = wbegin();
    assert_int_equal(indicator_store_target_delete(db, t1), 0);
    assert_int_equal(indicator_store_target_delete(db, t1), ERR_NOT_FOUND);
    wend(0);
    assert_int_equal(indicator_store_targets(fx.a, rd, ind, &ts, &n), 0);
    assert_int_equal(n, 1);
    /* Deleting the indicator deletes its targets. */
    db = wbegin();
    assert_int_equal(db_exec(db, "DELETE FROM indicator"), 0);
    wend(0);
    assert_int_equal(count("SELECT count(*) FROM indicator_target"), 0);
}

static void test_result_links(void **state)
{
    (void)state;
    struct db *db = wbegin();
    int64_t a = 0, b = 0, c = 0;
    assert_int_equal(indicator_store_insert(db, 0, true, "la", DOC1, NOW, 0, &a), 0);
    assert_int_equal(indicator_store_insert(db, 0, true, "lb", DOC1, NOW, 0, &b), 0);
    assert_int_equal(indicator_store_insert(db, 0, true, "lc", DOC1, NOW, 0, &c), 0);
    const int64_t order1[] = {c, a, b};
    assert_int_equal(indicator_store_set_result_links(db, fx.result1, order1, 3), 0);
    const int64_t order2[] = {b};
    assert_int_equal(indicator_store_set_result_links(db, fx.result2, order2, 1), 0);
    wend(0);

    int64_t *ids = NULL;
    size_t n = 0;
    struct db *rd = store_reader(fx.s);
    assert_int_equal(indicator_store_result_links(fx.a, rd, fx.result1, &ids, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], c);
    assert_int_equal(ids[1], a);
    assert_int_equal(ids[2], b);

    /* Replacing keeps the new order; a duplicate fails and the caller's rollback restores. */
    db = wbegin();
    const int64_t order3[] = {b, c};
    assert_int_equal(indicator_store_set_result_links(db, fx.result1, order3, 2), 0);
    wend(0);
    assert_int_equal(indicator_store_result_links(fx.a, rd, fx.result1, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], b);
    assert_int_equal(ids[1], c);
    db = wbegin();
    const int64_t dup[] = {a, a};
    int rc = indicator_store_set_result_links(db, fx.result1, dup, 2);
    assert_int_equal(rc, ERR_CONFLICT);
    wend(rc);
    const int64_t missing[] = {a, 424242};
    db = wbegin();
    rc = indicator_store_set_result_links(db, fx.result1, missing, 2);
    assert_int_equal(rc, ERR_CONFLICT); /* foreign key */
    wend(rc);
    assert_int_equal(indicator_store_result_links(fx.a, rd, fx.result1, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], b);
    /* Clearing. */
    db = wbegin();
    assert_int_equal(indicator_store_set_result_links(db, fx.result1, NULL, 0), 0);
    wend(0);
    assert_int_equal(indicator_store_result_links(fx.a, rd, fx.result1, &ids, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(indicator_store_result_links(fx.a, rd, fx.result2, &ids, &n), 0);
    assert_int_equal(n, 1);

    db = wbegin();
    assert_int_equal(db_exec(db, "DELETE FROM indicator"), 0);
    wend(0);
    assert_int_equal(count("SELECT count(*) FROM result_indicator"), 0);
}

static void test_catalog(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct ind_def *std = NULL;
    size_t nstd = 0, added = 99;
    int rc = ind_standard_set(fx.a, &std, &nstd, &e);
    if (rc)
        fail_msg("ind_standard_set: %s", e.msg);
    assert_int_equal(nstd, 25);

    struct db *db = wbegin();
    rc = ind_catalog_install_standard_n(db, NOW, &added, &e);
    if (rc)
        fail_msg("install: %s", e.msg);
    wend(rc);
    assert_int_equal(added, nstd);
    assert_int_equal(count("SELECT count(*) FROM indicator WHERE owner_org_id IS NULL AND "
                           "standard = 1 AND version = 1"),
                     (int64_t)nstd);
    assert_int_equal(count("SELECT count(*) FROM indicator_version"), (int64_t)nstd);

    /* A region changes a setting of jw_uitval and archives wmo_ceo_5. */
    struct db *rd = store_reader(fx.s);
    struct indicator_row r;
    assert_int_equal(indicator_store_find(fx.a, rd, 0, "jw_uitval", &r), 0);
    struct ind_def d;
    struct ind_problems pr = {.n = 0};
    assert_int_equal(ind_def_parse(r.definition, strlen(r.definition), fx.a, &d, &pr), 0);
    assert_int_equal(ind_def_set(&d, "externe_redenen_in_noemer", "nee"), 0);
    const char *changed = ind_def_to_json(&d, fx.a);
    int64_t uitval = r.id, ceo5 = ind_catalog_standard_id(rd, "wmo_ceo_5");
    assert_true(ceo5 > 0);
    assert_int_equal(ind_catalog_standard_id(rd, "bestaat_niet"), 0);
    db = wbegin();
    assert_int_equal(indicator_store_update(db, uitval, 1, changed, NOW2, fx.user), 0);
    assert_int_equal(indicator_store_set_archived(db, ceo5, true, NOW2, fx.user), 0);
    /* ... and removes doorlooptijd altogether. */
    assert_int_equal(db_exec(db, "DELETE FROM indicator WHERE code = 'doorlooptijd'"), 0);
    wend(0);

    /* Installing again adds only what is missing and leaves the rest alone. */
    assert_int_equal(ind_catalog_ensure_standard(fx.s, &added, &e), 0);
    assert_int_equal(added, 1);
    assert_int_equal(ind_catalog_ensure_standard(fx.s, &added, &e), 0);
    assert_int_equal(added, 0);
    assert_int_equal(indicator_store_get(fx.a, rd, uitval, &r), 0);
    assert_int_equal(r.version, 2);
    assert_string_equal(r.definition, changed);
    assert_int_equal(indicator_store_get(fx.a, rd, ceo5, &r), 0);
    assert_true(r.archived);
    assert_int_equal(count("SELECT count(*) FROM indicator"), (int64_t)nstd);

    /* A local definition with a standard code does not count as the standard one. */
    db = wbegin();
    int64_t local = 0;
    struct ind_def own = std[0];
    own.code = "eigen";
    const char *local_json = ind_def_to_json(&own, fx.a);
    assert_int_equal(
        indicator_store_insert(db, fx.gem, false, "eigen", local_json, NOW, fx.user, &local), 0);
    /* A stored document that no longer parses is skipped by the loader, not fatal. */
    int64_t broken = 0;
    assert_int_equal(
        indicator_store_insert(db, fx.gem, false, "kapot", "{\"versie\": 9}", NOW, 0, &broken), 0);
    wend(0);

    struct ind_catalog_entry *cat = NULL;
    size_t n = 0, nbad = 0;
    assert_int_equal(ind_catalog_load(rd, fx.a, &cat, &n, &nbad, &e), 0);
    assert_int_equal(nbad, 1);
    assert_int_equal(n, nstd - 1 + 1); /* wmo_ceo_5 archived; the local one */
    bool seen_uitval = false, seen_local = false;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(cat[i].code, cat[i].def.code);
        if (cat[i].id == uitval) {
            seen_uitval = true;
            assert_true(cat[i].standard);
            assert_int_equal(cat[i].version, 2);
            assert_int_equal(cat[i].def.settings[0].value, 0);
        }
        if (cat[i].id == local) {
            seen_local = true;
            assert_int_equal(cat[i].owner_org_id, fx.gem);
            assert_false(cat[i].standard);
            assert_int_equal(i, n - 1); /* standard set first */
        }
        assert_int_not_equal(cat[i].id, ceo5);
    }
    assert_true(seen_uitval && seen_local);

    db = wbegin();
    assert_int_equal(db_exec(db, "DELETE FROM indicator"), 0);
    wend(0);
}

static void test_survey_store(void **state)
{
    (void)state;
    struct db *db = wbegin();
    struct survey_response_row r = {.gemeente = "0114",
                                    .aanbieder_id = fx.provider,
                                    .law = 2,
                                    .category = "04",
                                    .age = 78,
                                    .gender = "2",
                                    .response_date = day_from_ymd(2025, 3, 14)};
    const struct survey_answer_row ans[] = {{"wmo_ceo_1", 4}, {"wmo_ceo_2", 0}, {"wmo_ceo_5", 1}};
    int64_t id = 0, id2 = 0;
    assert_int_equal(survey_store_insert(db, &r, ans, 3, &id), 0);
    struct survey_response_row unknown = {
        .gemeente = "0106", .age = -1, .response_date = day_from_ymd(2025, 4, 1)};
    assert_int_equal(survey_store_insert(db, &unknown, ans, 1, &id2), 0);
    wend(0);
    assert_true(id > 0 && id2 > id);
    assert_int_equal(count("SELECT count(*) FROM survey_answer"), 4);
    assert_int_equal(count("SELECT count(*) FROM survey_response WHERE aanbieder_id IS NULL AND "
                           "law IS NULL AND age IS NULL AND gender IS NULL AND category IS NULL "
                           "AND round_id IS NULL"),
                     1);
    assert_int_equal(count("SELECT sum(value) FROM survey_answer"), 4 + 0 + 1 + 4);

    /* The schema refuses what cannot be an answer: a duplicate item, a bad gemeente code. */
    db = wbegin();
    const struct survey_answer_row dup[] = {{"wmo_ceo_1", 4}, {"wmo_ceo_1", 5}};
    int rc = survey_store_insert(db, &r, dup, 2, &id);
    assert_int_equal(rc, ERR_CONFLICT);
    wend(rc);
    db = wbegin();
    struct survey_response_row badg = r;
    badg.gemeente = "GM0114";
    rc = survey_store_insert(db, &badg, ans, 1, &id);
    assert_int_equal(rc, ERR_CONFLICT);
    wend(rc);
    assert_int_equal(count("SELECT count(*) FROM survey_response"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_list), cmocka_unit_test(test_update_versions),
        cmocka_unit_test(test_targets),          cmocka_unit_test(test_result_links),
        cmocka_unit_test(test_catalog),          cmocka_unit_test(test_survey_store),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
