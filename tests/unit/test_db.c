/*
 * test_db.c: the SQLite backend (store/db_sqlite.c): opening, migrations, $N binding,
 * constraint mapping, the statement cache, and atomic backups.
 */
#include "store/db.h"
#include "core/common.h"
#include "core/resource.h"
#include "support/fixture.h"
#include <dirent.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

struct fixture {
    char dir[64];
    char path[128];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/duiding-test-db-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
    struct err_ctx e = {0};
    assert_int_equal(db_open(f->path, false, &f->db, &e), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    ts_rm_dir(f->dir);
    free(f);
    return 0;
}

static const char *pragma_text(struct db *db, const char *sql)
{
    static char val[64];
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(db, "pragma", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    snprintf(val, sizeof val, "%s", db_col_text(st, 0));
    db_done(st);
    return val;
}

static void test_open_pragmas(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(pragma_text(f->db, "PRAGMA journal_mode"), "wal");
    assert_string_equal(pragma_text(f->db, "PRAGMA synchronous"), "2"); /* FULL */
    assert_string_equal(pragma_text(f->db, "PRAGMA foreign_keys"), "1");
    assert_string_equal(pragma_text(f->db, "PRAGMA busy_timeout"), "5000");
}

static void test_open_bad_path(void **state)
{
    (void)state;
    struct db *db = NULL;
    struct err_ctx e = {0};
    assert_int_equal(db_open("/nonexistent-dir/x/y.db", false, &db, &e), ERR_DB);
    assert_null(db);
    assert_int_equal(e.code, ERR_DB);
    assert_int_equal(db_open("", false, &db, &e), ERR_INVALID);
}

static void test_migrate_idempotent(void **state)
{
    struct fixture *f = *state;
    struct err_ctx e = {0};
    assert_int_equal(db_schema_version(f->db), 0);
    assert_int_equal(db_migrate(f->db, &e), 0);
    int v = db_schema_version(f->db);
    assert_true(v >= 1);
    /* The tables of 0001 exist. */
    static const char count_sql[] =
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        "('organisation','user_account','audit_event','societal_result')";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(f->db, "count_tables", count_sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_i64(st, 0), 4);
    db_done(st);
    /* A second run changes nothing and does not fail on existing tables. */
    assert_int_equal(db_migrate(f->db, &e), 0);
    assert_int_equal(db_schema_version(f->db), v);
}

static void test_refuse_newer_schema(void **state)
{
    struct fixture *f = *state;
    struct err_ctx e = {0};
    assert_int_equal(db_migrate(f->db, &e), 0);
    assert_int_equal(db_exec(f->db, "PRAGMA user_version=9999"), 0);
    assert_int_equal(db_migrate(f->db, &e), ERR_CONFLICT);
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "9999"));
    assert_int_equal(db_schema_version(f->db), 9999);
}

static int64_t query_i64(struct db *db, const char *sql)
{
    int64_t v = -1;
    assert_int_equal(db_query_i64(db, "q", sql, &v), 0);
    return v;
}

/* An upgrade from a database of schema 6 (users with sessions) through 0007, which rebuilds
 * user_account to allow the back-office role: the users, their ids and the references to them
 * survive, the new role fits, and foreign keys are enforced again afterwards. */
static void test_upgrade_rebuilds_user_account(void **state)
{
    struct fixture *f = *state;
    static const char *const old[] = {
        "schema/0001_init.sql",
        "schema/0002_intake.sql",
        "schema/0003_indicators.sql",
        "schema/0004_tellen_vertellen.sql",
        "schema/0005_kwaliteitskader.sql",
        "schema/0006_gesprekken.sql",
    };
    for (size_t i = 0; i < ARRAY_LEN(old); i++) {
        const struct resource *r = resource_find(old[i]);
        assert_non_null(r);
        assert_int_equal(db_exec(f->db, (const char *)r->data), 0);
    }
    assert_int_equal(db_exec(f->db, "PRAGMA user_version=6"), 0);
    assert_int_equal(
        db_exec(f->db,
                "INSERT INTO organisation (id, kind, name, created_at, updated_at) VALUES "
                "(7, 'region', 'R', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
                "INSERT INTO user_account (id, login, display_name, org_id, roles, password_hash, "
                "created_at, updated_at) VALUES (42, 'raad.r', 'Raad R', 7, 64, 'x', "
                "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
                "INSERT INTO session (id_hash, user_id, created_at, last_seen_at, expires_at) "
                "VALUES (zeroblob(32), 42, 1, 1, 2);"),
        0);
    /* Bit 7 does not fit schema 6. */
    assert_int_equal(db_exec(f->db, "UPDATE user_account SET roles = 128 WHERE id = 42"),
                     ERR_CONFLICT);

    struct err_ctx e = {0};
    assert_int_equal(db_migrate(f->db, &e), 0);
    assert_true(db_schema_version(f->db) >= 7);
    assert_int_equal(query_i64(f->db, "SELECT roles FROM user_account WHERE login = 'raad.r'"), 64);
    assert_int_equal(query_i64(f->db, "SELECT count(*) FROM session WHERE user_id = 42"), 1);
    assert_int_equal(db_exec(f->db, "UPDATE user_account SET roles = 192 WHERE id = 42"), 0);
    assert_int_equal(db_exec(f->db, "UPDATE user_account SET roles = 256 WHERE id = 42"),
                     ERR_CONFLICT);
    assert_string_equal(pragma_text(f->db, "PRAGMA foreign_keys"), "1");
    assert_int_equal(db_exec(f->db,
                             "INSERT INTO session (id_hash, user_id, created_at, "
                             "last_seen_at, expires_at) VALUES (randomblob(32), 99, 1, 1, 2)"),
                     ERR_CONFLICT);
    /* The reference still cascades to the rebuilt table. */
    assert_int_equal(db_exec(f->db, "DELETE FROM user_account WHERE id = 42"), 0);
    assert_int_equal(query_i64(f->db, "SELECT count(*) FROM session"), 0);
}

static void test_bind_out_of_order(void **state)
{
    struct fixture *f = *state;
    /* SQLite numbers these by first appearance ($2 is index 1): binding must use the name. */
    static const char sql2[] = "SELECT $2 || $1";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(f->db, "concat", sql2, &st), 0);
    assert_int_equal(db_bind_text(st, 1, "a", (size_t)-1), 0);
    assert_int_equal(db_bind_text(st, 2, "bcd", 2), 0); /* explicit length: "bc" */
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "bca");
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);

    /* Reuse: bindings are cleared, the same statement comes back. */
    struct db_stmt *again = NULL;
    assert_int_equal(db_prepare(f->db, "concat", sql2, &again), 0);
    assert_ptr_equal(again, st);
    assert_int_equal(db_step(again), DB_ROW);
    assert_true(db_col_is_null(again, 0));
    assert_null(db_col_text(again, 0));
    db_done(again);

    static const char sql3[] = "SELECT $3 * 2, $1, $2, $3 + 0.5, length($4)";
    assert_int_equal(db_prepare(f->db, "types", sql3, &st), 0);
    assert_int_equal(db_bind_i64(st, 3, 21), 0);
    assert_int_equal(db_bind_null(st, 1), 0);
    assert_int_equal(db_bind_double(st, 2, 2.5), 0);
    assert_int_equal(db_bind_blob(st, 4, "\0\1\2", 3), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_i64(st, 0), 42);
    assert_true(db_col_is_null(st, 1));
    assert_true(db_col_double(st, 2) == 2.5);
    assert_true(db_col_double(st, 3) == 21.5);
    assert_int_equal(db_col_i64(st, 4), 3);
    /* A parameter the SQL does not have is a programming error, not silently ignored. */
    assert_int_equal(db_bind_i64(st, 5, 1), ERR_INTERNAL);
    assert_int_equal(db_bind_i64(st, 0, 1), ERR_INTERNAL);
    db_done(st);
}

static void test_blob_roundtrip(void **state)
{
    struct fixture *f = *state;
    static const char sql[] = "SELECT $1";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(f->db, "blob", sql, &st), 0);
    assert_int_equal(db_bind_blob(st, 1, "a\0b", 3), 0);
    assert_int_equal(db_step(st), DB_ROW);
    size_t len = 0;
    const char *p = db_col_blob(st, 0, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(p, "a\0b", 3);
    db_done(st);
}

static void test_constraint_conflict(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE "
                                    "NOT NULL, n INTEGER CHECK (n > 0)) STRICT"),
                     0);
    static const char ins[] = "INSERT INTO t (k, n) VALUES ($1, $2)";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(f->db, "t.insert", ins, &st), 0);
    db_bind_text(st, 1, "x", (size_t)-1);
    db_bind_i64(st, 2, 1);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    assert_int_equal(db_last_insert_id(f->db), 1);
    assert_int_equal(db_changes(f->db), 1);

    assert_int_equal(db_prepare(f->db, "t.insert", ins, &st), 0);
    db_bind_text(st, 1, "x", (size_t)-1);
    db_bind_i64(st, 2, 1);
    assert_int_equal(db_step(st), ERR_CONFLICT); /* UNIQUE */
    db_done(st);

    assert_int_equal(db_prepare(f->db, "t.insert", ins, &st), 0);
    db_bind_text(st, 1, "y", (size_t)-1);
    db_bind_i64(st, 2, -1);
    assert_int_equal(db_step(st), ERR_CONFLICT); /* CHECK */
    db_done(st);

    assert_int_equal(db_prepare(f->db, "t.insert", ins, &st), 0);
    db_bind_null(st, 1);
    db_bind_i64(st, 2, 1);
    assert_int_equal(db_step(st), ERR_CONFLICT); /* NOT NULL */
    db_done(st);

    /* Syntax errors are ERR_DB, not conflicts. */
    static const char bad[] = "SELEC nonsense";
    assert_int_equal(db_prepare(f->db, "bad", bad, &st), ERR_DB);
    assert_int_equal(db_exec(f->db, "INSERT INTO nowhere VALUES (1)"), ERR_DB);
}

static void test_foreign_keys_enforced(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE p (id INTEGER PRIMARY KEY) STRICT;"
                                    "CREATE TABLE c (p INTEGER REFERENCES p(id)) STRICT"),
                     0);
    assert_int_equal(db_exec(f->db, "INSERT INTO c VALUES (7)"), ERR_CONFLICT);
}

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "CREATE TABLE t (v INTEGER) STRICT"), 0);
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (1)"), 0);
    assert_int_equal(db_rollback(f->db), 0);
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO t VALUES (2)"), 0);
    assert_int_equal(db_commit(f->db), 0);
    /* Rollback without a transaction is harmless. */
    assert_int_equal(db_rollback(f->db), 0);
    static const char sum[] = "SELECT count(*), sum(v) FROM t";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(f->db, "sum", sum, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_i64(st, 0), 1);
    assert_int_equal(db_col_i64(st, 1), 2);
    db_done(st);
}

static void test_nested_same_statement(void **state)
{
    struct fixture *f = *state;
    static const char sql[] = "SELECT value FROM json_each('[1,2,3]') WHERE value >= $1";
    struct db_stmt *outer = NULL, *inner = NULL;
    int64_t sum = 0;
    assert_int_equal(db_prepare(f->db, "outer", sql, &outer), 0);
    db_bind_i64(outer, 1, 2);
    while (db_step(outer) == DB_ROW) {
        int64_t v = db_col_i64(outer, 0);
        /* The same SQL while the outer use is still iterating must not reset the outer. */
        assert_int_equal(db_prepare(f->db, "inner", sql, &inner), 0);
        assert_ptr_not_equal(inner, outer);
        db_bind_i64(inner, 1, v);
        while (db_step(inner) == DB_ROW)
            sum += db_col_i64(inner, 0);
        db_done(inner);
    }
    db_done(outer);
    /* outer yields 2,3; inner sums >=2 -> 5 and >=3 -> 3. */
    assert_int_equal(sum, 8);
}

static void test_cache_key_text_checked(void **state)
{
    struct fixture *f = *state;
    char sql[32];
    struct db_stmt *st = NULL;
    snprintf(sql, sizeof sql, "SELECT 1");
    assert_int_equal(db_prepare(f->db, "one", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_i64(st, 0), 1);
    db_done(st);
    /* Same buffer, different text: must not return the old statement. */
    snprintf(sql, sizeof sql, "SELECT 2");
    assert_int_equal(db_prepare(f->db, "two", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_i64(st, 0), 2);
    db_done(st);
    /* Trailing white space, semicolons and comments are fine, and still cached. */
    static const char trailing[] = "SELECT 3; -- the answer\n  ";
    struct db_stmt *first = NULL;
    assert_int_equal(db_prepare(f->db, "three", trailing, &first), 0);
    assert_int_equal(db_step(first), DB_ROW);
    assert_int_equal(db_col_i64(first, 0), 3);
    db_done(first);
    assert_int_equal(db_prepare(f->db, "three", trailing, &st), 0);
    assert_ptr_equal(st, first);
    db_done(st);
    /* A statement run to the end but never given back with db_done() is reused, not leaked. */
    struct db_stmt *forgotten = NULL;
    assert_int_equal(db_prepare(f->db, "three", trailing, &forgotten), 0);
    assert_int_equal(db_step(forgotten), DB_ROW);
    assert_int_equal(db_step(forgotten), DB_DONE);
    assert_int_equal(db_prepare(f->db, "three", trailing, &st), 0);
    assert_ptr_equal(st, forgotten);
    db_done(st);
    /* Two statements in one string are refused. */
    static const char two[] = "SELECT 1; SELECT 2";
    assert_int_equal(db_prepare(f->db, "two_stmts", two, &st), ERR_INTERNAL);
}

static void test_backup(void **state)
{
    struct fixture *f = *state;
    struct err_ctx e = {0};
    assert_int_equal(db_migrate(f->db, &e), 0);
    assert_int_equal(db_exec(f->db, "INSERT INTO organisation (kind, name, created_at, "
                                    "updated_at) VALUES ('region', 'Zuid-Drenthe', "
                                    "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"),
                     0);
    char dest[160];
    snprintf(dest, sizeof dest, "%s/backup.db", f->dir);
    assert_int_equal(db_backup(f->db, dest, &e), 0);
    /* Overwriting an existing backup works too (rename over it). */
    assert_int_equal(db_backup(f->db, dest, &e), 0);

    struct db *copy = NULL;
    assert_int_equal(db_open(dest, true, &copy, &e), 0);
    assert_int_equal(db_schema_version(copy), db_schema_version(f->db));
    static const char sql[] = "SELECT name FROM organisation";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(copy, "names", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "Zuid-Drenthe");
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    db_close(copy);

    /* No temporary files are left next to the backup. */
    DIR *d = opendir(f->dir);
    struct dirent *de;
    int tmp_files = 0;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".tmp-"))
            tmp_files++;
    closedir(d);
    assert_int_equal(tmp_files, 0);

    /* An impossible destination fails cleanly and leaves no file. */
    assert_int_equal(db_backup(f->db, "/nonexistent-dir/b.db", &e), ERR_IO);
    assert_int_equal(e.code, ERR_IO);
}

static void test_readonly_cannot_write(void **state)
{
    struct fixture *f = *state;
    struct err_ctx e = {0};
    assert_int_equal(db_migrate(f->db, &e), 0);
    struct db *ro = NULL;
    assert_int_equal(db_open(f->path, true, &ro, &e), 0);
    assert_int_equal(db_exec(ro, "CREATE TABLE x (a INTEGER)"), ERR_DB);
    /* A reader may still open a snapshot for consistent multi-query reads. */
    assert_int_equal(db_begin(ro), 0);
    assert_int_equal(db_commit(ro), 0);
    db_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_pragmas, setup, teardown),
        cmocka_unit_test(test_open_bad_path),
        cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuse_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_rebuilds_user_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constraint_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_same_statement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_key_text_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_cannot_write, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
