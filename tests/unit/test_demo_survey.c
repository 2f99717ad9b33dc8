/*
 * test_demo_survey.c: the demo's indicator material (ingest/demo_survey.c) on a generated demo
 * region: survey answers only with the documented codes and ranges, every gemeente and year
 * covered, realistic agreement and "weet niet" shares, nothing dated after the demo period,
 * the same answers for the same seed; the standard set installed, the targets and 3-5 linked
 * indicators per societal result.
 */
#include "ingest/demo_survey.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/str.h"
#include "domain/auth.h"
#include "domain/demo.h"
#include "store/indicator_store.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

struct demo_dir {
    char dir[64], path[128];
    struct store *s;
};

static void open_demo(struct demo_dir *d, uint64_t seed)
{
    struct err_ctx e = {0};
    snprintf(d->dir, sizeof d->dir, "/tmp/duiding-test-demosurvey-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    snprintf(d->path, sizeof d->path, "%s/demo.db", d->dir);
    assert_int_equal(store_open(d->path, &d->s, &e), 0);
    int rc = demo_generate(d->s, seed, NULL, &e);
    if (rc)
        fail_msg("demo_generate: %s", e.msg);
}

static void close_demo(struct demo_dir *d)
{
    store_close(d->s);
    ts_rm_dir(d->dir);
}

static int64_t q(struct demo_dir *d, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(db_query_i64(store_reader(d->s), "test.q", sql, &n), 0);
    return n;
}

/* A count with two bound days. sql must be a string constant (the statement cache key). */
static int64_t count_between(struct demo_dir *d, const char *sql, int64_t x, int64_t y)
{
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(store_reader(d->s), "test.between", sql, &st), 0);
    assert_int_equal(db_bind_i64(st, 1, x), 0);
    assert_int_equal(db_bind_i64(st, 2, y), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_col_i64(st, 0);
    db_done(st);
    return n;
}

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    return 0;
}

static void test_survey_answers(void **state)
{
    (void)state;
    struct demo_dir d;
    open_demo(&d, DEMO_DEFAULT_SEED);
    struct err_ctx e = {0};
    struct demo_survey_summary sum;
    int rc = demo_survey_generate(d.s, DEMO_DEFAULT_SEED, DEMO_SIZE_NORMAL, &sum, &e);
    if (rc)
        fail_msg("demo_survey_generate: %s", e.msg);
    print_message("survey: %" PRIu64 " responses, %" PRIu64 " answers, %d-%d, %" PRIu64 "-%" PRIu64
                  " per gemeente-year, agree %" PRIu64 "/%" PRIu64 ", weet niet %" PRIu64 "\n",
                  sum.responses, sum.answers, sum.first_year, sum.last_year, sum.min_per_year,
                  sum.max_per_year, sum.agree, sum.opinions, sum.dont_know);

    /* The summary matches the database. */
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_response"), (int64_t)sum.responses);
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_answer"), (int64_t)sum.answers);
    assert_int_equal(sum.first_year, 2022);
    assert_int_equal(sum.last_year, DEMO_INTAKE_END_YEAR);
    /* 300-600 a year per gemeente (±8% jitter). */
    assert_true(sum.min_per_year >= 270 && sum.min_per_year <= 360);
    assert_true(sum.max_per_year >= 540 && sum.max_per_year <= 660);
    /* Every one of the 7 gemeenten in every year; nothing outside the demo period. */
    assert_int_equal(q(&d, "SELECT count(DISTINCT gemeente) FROM survey_response"), 7);
    for (int y = sum.first_year; y <= sum.last_year; y++)
        assert_int_equal(count_between(&d,
                                       "SELECT count(DISTINCT gemeente) FROM survey_response "
                                       "WHERE response_date BETWEEN $1 AND $2",
                                       day_from_ymd(y, 1, 1), day_from_ymd(y, 12, 31)),
                         7);
    day_t end = day_from_ymd(DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY);
    assert_int_equal(count_between(&d,
                                   "SELECT count(*) FROM survey_response WHERE "
                                   "response_date < $1 OR response_date >= $2",
                                   day_from_ymd(2022, 1, 1), end),
                     0);

    /* Only the documented items and codes (docs/indicators.md, Rekenregels). */
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_answer WHERE item NOT IN ('wmo_ceo_1',"
                           "'wmo_ceo_2','wmo_ceo_3','wmo_ceo_4','wmo_ceo_5','wmo_ceo_6',"
                           "'wmo_ceo_7','wmo_ceo_8','wmo_ceo_9','wmo_ceo_10')"),
                     0);
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_answer WHERE item = 'wmo_ceo_5' AND "
                           "value NOT IN (0, 1, 2)"),
                     0);
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_answer WHERE value NOT BETWEEN 0 AND 5"),
                     0);
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_response WHERE law IS NOT 2 OR age NOT "
                           "BETWEEN 18 AND 99"),
                     0);
    /* Agreement between 70% and 90% overall, as the brief for CEO data says. */
    double agree = (double)sum.agree / (double)sum.opinions;
    assert_true(agree >= 0.70 && agree <= 0.90);
    int64_t agree_db = q(&d, "SELECT count(*) FROM survey_answer WHERE item != 'wmo_ceo_5' AND "
                             "value IN (4, 5)");
    int64_t op_db = q(&d, "SELECT count(*) FROM survey_answer WHERE item != 'wmo_ceo_5' AND "
                          "value BETWEEN 1 AND 5");
    assert_int_equal(agree_db, (int64_t)sum.agree);
    assert_int_equal(op_db, (int64_t)sum.opinions);
    /* Some "weet niet", more on the effect items than on being taken seriously. */
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_answer WHERE value = 0"),
                     (int64_t)sum.dont_know);
    assert_true(
        q(&d, "SELECT count(*) FROM survey_answer WHERE value = 0 AND item = 'wmo_ceo_10'") >
        q(&d, "SELECT count(*) FROM survey_answer WHERE value = 0 AND item = 'wmo_ceo_3'"));
    /* Taken seriously (3) scores higher than helped quickly (2). */
    assert_true(
        q(&d, "SELECT count(*) FROM survey_answer WHERE item = 'wmo_ceo_3' AND value >= 4") >
        q(&d, "SELECT count(*) FROM survey_answer WHERE item = 'wmo_ceo_2' AND value >= 4"));
    /* Most answers are about a contracted Wmo aanbieder, with its category. */
    int64_t with_prov = q(&d, "SELECT count(*) FROM survey_response r JOIN organisation o ON "
                              "o.id = r.aanbieder_id WHERE o.kind = 'aanbieder'");
    assert_true(with_prov > (int64_t)sum.responses * 8 / 10);
    assert_int_equal(q(&d, "SELECT count(*) FROM survey_response WHERE category IS NULL"), 0);
    close_demo(&d);
}

/* The same seed gives the same answers; the small demo is about a tenth. */
static void test_deterministic_small(void **state)
{
    (void)state;
    struct demo_dir d1, d2;
    struct err_ctx e = {0};
    struct demo_survey_summary s1, s2;
    open_demo(&d1, 7);
    open_demo(&d2, 7);
    assert_int_equal(demo_survey_generate(d1.s, 7, DEMO_SIZE_SMALL, &s1, &e), 0);
    assert_int_equal(demo_survey_generate(d2.s, 7, DEMO_SIZE_SMALL, &s2, &e), 0);
    assert_int_equal(s1.responses, s2.responses);
    assert_int_equal(s1.agree, s2.agree);
    assert_int_equal(s1.dont_know, s2.dont_know);
    const char *sig = "SELECT sum((response_date % 97) * 31 + age + coalesce(aanbieder_id, 0)) "
                      "FROM survey_response";
    assert_int_equal(q(&d1, sig), q(&d2, sig));
    assert_true(s1.min_per_year >= 27 && s1.max_per_year <= 66);
    struct demo_survey_summary none;
    assert_int_equal(demo_survey_generate(d1.s, 7, DEMO_SIZE_NONE, &none, &e), 0);
    assert_int_equal(none.responses, 0);
    close_demo(&d1);
    close_demo(&d2);
}

static void test_indicator_material(void **state)
{
    (void)state;
    struct demo_dir d;
    open_demo(&d, DEMO_DEFAULT_SEED);
    struct err_ctx e = {0};
    struct demo_indicator_summary sum;
    int rc = demo_indicator_material(d.s, &sum, &e);
    if (rc)
        fail_msg("demo_indicator_material: %s", e.msg);
    print_message("indicators: %zu installed, %zu targets, %zu links, %zu results\n", sum.installed,
                  sum.targets, sum.links, sum.results);
    assert_int_equal(sum.installed, 25);
    assert_int_equal(q(&d, "SELECT count(*) FROM indicator WHERE standard = 1"), 25);
    assert_int_equal(sum.targets, 4);
    assert_int_equal(q(&d, "SELECT count(*) FROM indicator_target"), 4);
    assert_int_equal(q(&d, "SELECT count(*) FROM indicator_target t JOIN indicator i ON i.id = "
                           "t.indicator_id WHERE i.code = 'jw_uitval' AND t.value = 8.0 AND "
                           "t.gemeente IS NULL AND t.aanbieder_id IS NULL"),
                     1);
    assert_int_equal(q(&d, "SELECT count(*) FROM indicator_target t JOIN indicator i ON i.id = "
                           "t.indicator_id JOIN organisation o ON o.id = t.owner_org_id WHERE "
                           "i.code = 'wmo_ceo_9' AND t.gemeente = '0114' AND o.cbs_code = "
                           "'GM0114'"),
                     1);
    /* Every demo result has 3-5 indicators. */
    int64_t nres = q(&d, "SELECT count(*) FROM societal_result");
    assert_true(nres > 0);
    assert_int_equal((int64_t)sum.results, nres);
    assert_int_equal(q(&d, "SELECT count(*) FROM (SELECT result_id, count(*) AS n FROM "
                           "result_indicator GROUP BY result_id HAVING n BETWEEN 3 AND 5)"),
                     nres);
    assert_int_equal(q(&d, "SELECT count(*) FROM result_indicator"), (int64_t)sum.links);
    /* The youth drop-out result shows jw_uitval first. */
    assert_true(q(&d, "SELECT count(*) FROM result_indicator ri JOIN societal_result r ON r.id = "
                      "ri.result_id JOIN indicator i ON i.id = ri.indicator_id WHERE r.title "
                      "LIKE '%vallen uit%' AND i.code = 'jw_uitval' AND ri.position = 0") ==
                q(&d, "SELECT count(*) FROM societal_result WHERE title LIKE '%vallen uit%'"));
    close_demo(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_answers),
        cmocka_unit_test(test_deterministic_small),
        cmocka_unit_test(test_indicator_material),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
