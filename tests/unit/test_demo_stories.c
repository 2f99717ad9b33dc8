/*
 * test_demo_stories.c: the demo's stories and context events (ingest/demo_stories.c): every
 * demo text passes the anonymisation check without findings (realistic Dutch text is the
 * false-positive test of the name heuristic), and on a generated demo region the stories and
 * events are written with varied consents, links to results and indicators, the FTS index in
 * step, and visibility by consent for a raad member.
 */
#include "ingest/demo_stories.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/auth.h"
#include "domain/demo.h"
#include "domain/story.h"
#include "metrics/catalog.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

static void test_texts_are_clean(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    assert_true(demo_story_text_count >= 24);
    int kinds[STORY_KIND_MAX + 1] = {0}, consents[CONSENT_MAX + 1] = {0};
    for (size_t i = 0; i < demo_story_text_count; i++) {
        const struct demo_story_text *t = &demo_story_texts[i];
        struct story_input in = {.title = t->title, .teller_role = t->role, .body = t->body};
        struct anon_report r;
        assert_int_equal(story_screen(a, &in, &r), 0);
        if (r.ntotal)
            fail_msg("demo story %zu: %s \"%s\"", i, anon_kind_code(r.findings[0].kind),
                     r.findings[0].excerpt);
        kinds[t->kind]++;
        consents[t->consent]++;
    }
    for (int k = STORY_KIND_MIN; k <= STORY_KIND_MAX; k++)
        assert_true(kinds[k] >= 3);
    for (int c = CONSENT_MIN; c <= CONSENT_MAX; c++)
        assert_true(consents[c] >= 3);
    arena_free(a);
}

static void test_generate(void **state)
{
    (void)state;
    char dir[64], path[128];
    struct store *s;
    struct err_ctx e = {0};
    size_t added = 0;
    assert_int_equal(auth_init(), 0);
    snprintf(dir, sizeof dir, "/tmp/duiding-test-demostories-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/demo.db", dir);
    assert_int_equal(store_open(path, &s, &e), 0);
    if (demo_generate(s, DEMO_DEFAULT_SEED, NULL, &e))
        fail_msg("demo_generate: %s", e.msg);
    assert_int_equal(ind_catalog_ensure_standard(s, &added, &e), 0);
    struct demo_stories_summary sum;
    if (demo_stories_generate(s, DEMO_DEFAULT_SEED, &sum, &e))
        fail_msg("demo_stories_generate: %s", e.msg);
    assert_int_equal(sum.stories, demo_story_text_count);
    assert_int_equal(sum.events, demo_event_text_count);
    assert_true(sum.indicator_links >= demo_story_text_count);
    assert_true(sum.result_links > 0);
    int64_t n = -1;
    struct db *db = store_reader(s);
    assert_int_equal(db_query_i64(db, "t.fts", "SELECT count(*) FROM story_fts", &n), 0);
    assert_int_equal(n, (int64_t)sum.stories);
    assert_int_equal(
        db_query_i64(db, "t.anon", "SELECT count(*) FROM story WHERE anon_checked <> '[]'", &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(db_query_i64(db, "t.prov",
                                  "SELECT count(*) FROM story s JOIN organisation o ON "
                                  "o.id = s.owner_org_id WHERE o.kind = 'aanbieder'",
                                  &n),
                     0);
    assert_true(n > 0);
    /* A raad member of some gemeente (no content role) sees exactly the publication stories. */
    int64_t gem = 0;
    assert_int_equal(
        db_query_i64(db, "t.gem", "SELECT min(id) FROM organisation WHERE kind = 'gemeente'", &gem),
        0);
    struct actor raad = {
        .user_id = 999, .org_id = gem, .org_kind = ORG_GEMEENTE, .roles = ROLE_RAAD};
    struct arena *a = arena_new(0);
    struct story *rows;
    int got, total;
    struct story_filter f = {.limit = STORY_LIST_MAX};
    assert_int_equal(story_list(a, s, &raad, &f, &rows, &got, &total, &e), 0);
    assert_true((size_t)total >= sum.publicatie);
    assert_true((size_t)total < sum.stories);
    /* Search on the demo text: a publication story for everyone, with diacritics folded. */
    f.q = "slapengaan";
    assert_int_equal(story_list(a, s, &raad, &f, &rows, &got, &total, &e), 0);
    assert_int_equal(total, 1);
    assert_string_equal(rows[0].title, "Hij leest nu voor het slapengaan");
    f.q = "continuïteit vaste gezicht";
    assert_int_equal(story_list(a, s, &raad, &f, &rows, &got, &total, &e), 0);
    assert_int_equal(total, 0); /* every word must match: "vaste" is not in the story */
    f.q = "continuiteit gezicht";
    assert_int_equal(story_list(a, s, &raad, &f, &rows, &got, &total, &e), 0);
    assert_int_equal(total, 1);
    arena_free(a);
    store_close(s);
    ts_rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texts_are_clean),
        cmocka_unit_test(test_generate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
