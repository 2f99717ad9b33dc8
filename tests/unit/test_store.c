/*
 * test_store.c: the connection pool (store/store.c): per-thread readers see committed writes
 * and nothing of rolled-back ones; the writer is exclusive; store_close closes every reader.
 */
#include "store/store.h"
#include "core/common.h"
#include "support/fixture.h"
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/duiding-test-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    struct err_ctx e = {0};
    assert_int_equal(store_open(f->path, &f->s, &e), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    ts_rm_dir(f->dir);
    free(f);
    return 0;
}

static const char count_sql[] = "SELECT count(*), coalesce(max(name), '') FROM organisation";

/* Number of organisations as seen by db, and the largest name. */
static int64_t count_orgs(struct db *db, char *name, size_t n)
{
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(db, "count", count_sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t c = db_col_i64(st, 0);
    if (name)
        snprintf(name, n, "%s", db_col_text(st, 1));
    db_done(st);
    return c;
}

static void insert_org(struct store *s, const char *name, bool commit)
{
    static const char ins[] = "INSERT INTO organisation (kind, name, created_at, updated_at) "
                              "VALUES ('region', $1, $2, $2)";
    struct db *w = NULL;
    struct db_stmt *st = NULL;
    assert_int_equal(store_write_begin(s, &w), 0);
    assert_int_equal(db_prepare(w, "org.insert", ins, &st), 0);
    db_bind_text(st, 1, name, (size_t)-1);
    db_bind_text(st, 2, "2024-01-01T00:00:00Z", (size_t)-1);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    /* Inside the transaction the writer sees its own change. */
    assert_true(count_orgs(w, NULL, 0) >= 1);
    assert_int_equal(store_write_end(s, commit), 0);
}

static void test_path_and_schema(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(store_path(f->s), f->path);
    struct db *r = store_reader(f->s);
    assert_non_null(r);
    assert_true(db_schema_version(r) >= 1);
    /* The same thread gets the same connection back. */
    assert_ptr_equal(store_reader(f->s), r);
}

struct reader_arg {
    struct store *s;
    pthread_barrier_t *step;
    int64_t seen_before, seen_after;
    char name_after[64];
    struct db *db;
};

static void *reader_thread(void *p)
{
    struct reader_arg *a = p;
    a->db = store_reader(a->s);
    a->seen_before = count_orgs(a->db, NULL, 0);
    pthread_barrier_wait(a->step); /* 1: both readers looked */
    pthread_barrier_wait(a->step); /* 2: main thread committed */
    a->seen_after = count_orgs(a->db, a->name_after, sizeof a->name_after);
    return NULL;
}

static void test_readers_see_commits(void **state)
{
    struct fixture *f = *state;
    pthread_barrier_t step;
    pthread_barrier_init(&step, NULL, 3);
    struct reader_arg a[2] = {{.s = f->s, .step = &step}, {.s = f->s, .step = &step}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader_thread, &a[i]), 0);
    pthread_barrier_wait(&step);
    insert_org(f->s, "Zuid-Drenthe", true);
    pthread_barrier_wait(&step);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&step);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(a[i].seen_before, 0);
        assert_int_equal(a[i].seen_after, 1);
        assert_string_equal(a[i].name_after, "Zuid-Drenthe");
    }
    /* Each thread had its own connection. */
    assert_ptr_not_equal(a[0].db, a[1].db);
}

static void test_rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    insert_org(f->s, "Kept", true);
    insert_org(f->s, "Zz rolled back", false);
    char name[64];
    assert_int_equal(count_orgs(store_reader(f->s), name, sizeof name), 1);
    assert_string_equal(name, "Kept");
    /* And the writer is free again afterwards. */
    struct db *w = NULL;
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(count_orgs(w, NULL, 0), 1);
    assert_int_equal(store_write_end(f->s, false), 0);
}

static void test_failed_commit_is_rolled_back(void **state)
{
    struct fixture *f = *state;
    struct db *w = NULL;
    insert_org(f->s, "Unique", true);
    assert_int_equal(store_write_begin(f->s, &w), 0);
    /* A deferred foreign key violation only fails at COMMIT. */
    assert_int_equal(db_exec(w, "PRAGMA defer_foreign_keys=ON"), 0);
    assert_int_equal(db_exec(w, "INSERT INTO organisation_parent (child_id, parent_id) "
                                "VALUES (1, 999)"),
                     0);
    assert_int_equal(store_write_end(f->s, true), ERR_CONFLICT);
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(db_exec(w, "PRAGMA defer_foreign_keys=OFF"), 0);
    assert_int_equal(store_write_end(f->s, true), 0);
}

static void test_nested_write_refused(void **state)
{
    struct fixture *f = *state;
    struct db *w = NULL, *w2 = NULL;
    assert_int_equal(store_write_begin(f->s, &w), 0);
    /* A second begin on the same thread would deadlock; it must report instead. */
    assert_int_equal(store_write_begin(f->s, &w2), ERR_INTERNAL);
    assert_null(w2);
    assert_int_equal(store_write_end(f->s, false), 0);
    assert_int_equal(store_write_end(f->s, false), ERR_INTERNAL);
}

struct writer_arg {
    struct store *s;
    int n;
};

static void *writer_thread(void *p)
{
    struct writer_arg *a = p;
    char name[32];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "w%d-%02d", a->n, i);
        insert_org(a->s, name, true);
    }
    /* Use a reader too, then exit: the thread-exit destructor closes it. */
    assert_non_null(store_reader(a->s));
    return NULL;
}

static void test_writers_serialised(void **state)
{
    struct fixture *f = *state;
    pthread_t t[3];
    struct writer_arg a[3];
    for (int i = 0; i < 3; i++) {
        a[i] = (struct writer_arg){f->s, i};
        assert_int_equal(pthread_create(&t[i], NULL, writer_thread, &a[i]), 0);
    }
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(count_orgs(store_reader(f->s), NULL, 0), 60);
}

static void test_open_failure(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct err_ctx e = {0};
    assert_int_equal(store_open("/nonexistent-dir/a.db", &s, &e), ERR_DB);
    assert_null(s);
    store_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_path_and_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readers_see_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_commit_is_rolled_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_write_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writers_serialised, setup, teardown),
        cmocka_unit_test(test_open_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
