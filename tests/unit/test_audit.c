/*
 * test_audit.c: the audit log (domain/audit.c, store/audit_store.c): append-only by trigger,
 * written inside the caller's transaction, listed newest first by the beheerder only.
 */
#include "domain/audit.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/auth.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
};

static const struct actor beheerder = {
    .user_id = 1, .org_id = 1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER};
static const struct actor beleid = {
    .user_id = 2, .org_id = 1, .org_kind = ORG_REGION, .roles = ROLE_BELEID | ROLE_CONTRACT};
static const struct actor beheerder_token_ro = {.user_id = 1,
                                                .org_id = 1,
                                                .org_kind = ORG_REGION,
                                                .roles = ROLE_BEHEERDER,
                                                .via_token = true,
                                                .token_scopes = SCOPE_READ};
static const struct actor anonymous = {0};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/duiding-test-audit-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/audit.db", f->dir);
    struct err_ctx e = {0};
    assert_int_equal(store_open(f->path, &f->s, &e), 0);
    f->a = arena_new(0);
    /* Two accounts, so user_login can be copied into events. */
    struct db *w = NULL;
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(
        db_exec(w, "INSERT INTO organisation (id, kind, name, created_at, updated_at) VALUES "
                   "(1, 'region', 'Beheer', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
                   "INSERT INTO user_account (id, login, display_name, org_id, roles, "
                   "password_hash, created_at, updated_at) VALUES "
                   "(1, 'admin', 'Beheerder', 1, 1, 'x', '2024-01-01T00:00:00Z', "
                   "'2024-01-01T00:00:00Z'),"
                   "(2, 'anna', 'Anna', 1, 2, 'x', '2024-01-01T00:00:00Z', "
                   "'2024-01-01T00:00:00Z')"),
        0);
    assert_int_equal(store_write_end(f->s, true), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_free(f->a);
    store_close(f->s);
    ts_rm_dir(f->dir);
    free(f);
    return 0;
}

static void test_format_time(void **state)
{
    (void)state;
    char ts[AUDIT_TS_SIZE];
    audit_format_time(0, ts);
    assert_string_equal(ts, "1970-01-01T00:00:00Z");
    audit_format_time(1700000000, ts);
    assert_string_equal(ts, "2023-11-14T22:13:20Z");
    audit_format_time(951782400, ts); /* a leap day */
    assert_string_equal(ts, "2000-02-29T00:00:00Z");
}

static void test_write_and_list(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(audit_record(f->s, &beheerder, "login.ok", NULL, 0, NULL), 0);
    assert_int_equal(audit_record(f->s, &beleid, "org.create", "organisation", 7, "kind=region"),
                     0);
    assert_int_equal(audit_record(f->s, NULL, "login.fail", NULL, 0, "rate"), 0);

    struct audit_event *ev = NULL;
    int n = -1, total = -1;
    assert_int_equal(audit_list(f->a, f->s, &beheerder, NULL, &ev, &n, &total), 0);
    assert_int_equal(n, 3);
    assert_int_equal(total, 3);
    /* Newest first. */
    assert_string_equal(ev[0].action, "login.fail");
    assert_int_equal(ev[0].user_id, 0);
    assert_null(ev[0].user_login);
    assert_string_equal(ev[0].detail, "rate");
    assert_string_equal(ev[1].action, "org.create");
    assert_int_equal(ev[1].user_id, 2);
    assert_string_equal(ev[1].user_login, "anna");
    assert_string_equal(ev[1].object_kind, "organisation");
    assert_int_equal(ev[1].object_id, 7);
    assert_string_equal(ev[1].detail, "kind=region");
    assert_string_equal(ev[2].action, "login.ok");
    assert_string_equal(ev[2].user_login, "admin");
    assert_null(ev[2].object_kind);
    assert_int_equal(ev[2].object_id, 0);
    assert_null(ev[2].detail);
    assert_true(ev[0].id > ev[1].id && ev[1].id > ev[2].id);
    /* 'YYYY-MM-DDTHH:MM:SSZ' */
    assert_int_equal(strlen(ev[0].at), 20);
    assert_int_equal(ev[0].at[10], 'T');
    assert_int_equal(ev[0].at[19], 'Z');
}

static void test_filters_and_paging(void **state)
{
    struct fixture *f = *state;
    char detail[16];
    for (int i = 0; i < 25; i++) {
        snprintf(detail, sizeof detail, "n=%d", i);
        assert_int_equal(audit_record(f->s, i % 2 ? &beleid : &beheerder,
                                      i % 5 == 0 ? "login_ok" : "org.update", "organisation", i,
                                      detail),
                         0);
    }
    assert_int_equal(audit_record(f->s, &beheerder, "loginXok", NULL, 0, NULL), 0);
    struct audit_event *ev = NULL;
    int n = 0, total = 0;

    struct audit_filter by_user = {.user_id = 2};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &by_user, &ev, &n, &total), 0);
    assert_int_equal(total, 12);
    assert_int_equal(n, 12);
    for (int i = 0; i < n; i++)
        assert_int_equal(ev[i].user_id, 2);

    /* '_' in the prefix is literal, not a LIKE wildcard: "loginXok" must not match. */
    struct audit_filter by_prefix = {.action_prefix = "login_"};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &by_prefix, &ev, &n, &total), 0);
    assert_int_equal(total, 5);
    for (int i = 0; i < n; i++)
        assert_string_equal(ev[i].action, "login_ok");
    struct audit_filter by_prefix2 = {.action_prefix = "org."};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &by_prefix2, &ev, &n, &total), 0);
    assert_int_equal(total, 20);
    struct audit_filter pct = {.action_prefix = "%"};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &pct, &ev, &n, &total), 0);
    assert_int_equal(total, 0);
    assert_int_equal(n, 0);

    struct audit_filter page = {.limit = 10, .offset = 20};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &page, &ev, &n, &total), 0);
    assert_int_equal(total, 26);
    assert_int_equal(n, 6);
    assert_string_equal(ev[0].detail, "n=5"); /* 26 events newest first: offset 20 is i=5 */
    assert_string_equal(ev[5].detail, "n=0");
    struct audit_filter beyond = {.limit = 10, .offset = 100};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &beyond, &ev, &n, &total), 0);
    assert_int_equal(n, 0);
    assert_int_equal(total, 26);
    struct audit_filter bad = {.limit = -1};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &bad, &ev, &n, &total), ERR_INVALID);
    struct audit_filter bad2 = {.offset = -5};
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &bad2, &ev, &n, &total), ERR_INVALID);
}

static void test_list_beheerder_only(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(audit_record(f->s, &beheerder, "login.ok", NULL, 0, NULL), 0);
    struct audit_event *ev = (struct audit_event *)0x1;
    int n = -7, total = -7;
    assert_int_equal(audit_list(f->a, f->s, &beleid, NULL, &ev, &n, &total), ERR_DENIED);
    assert_int_equal(audit_list(f->a, f->s, &anonymous, NULL, &ev, &n, &total), ERR_DENIED);
    /* Outputs are untouched on failure. */
    assert_ptr_equal(ev, (struct audit_event *)0x1);
    assert_int_equal(n, -7);
    assert_int_equal(total, -7);
    /* A read-scoped beheerder token may read the log. */
    assert_int_equal(audit_list(f->a, f->s, &beheerder_token_ro, NULL, &ev, &n, &total), 0);
    assert_int_equal(n, 1);
}

static int64_t count_events(struct store *s)
{
    static const char sql[] = "SELECT count(*) FROM audit_event";
    struct db_stmt *st = NULL;
    assert_int_equal(db_prepare(store_reader(s), "count", sql, &st), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t c = db_col_i64(st, 0);
    db_done(st);
    return c;
}

static void test_append_only(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(audit_record(f->s, &beheerder, "org.create", "organisation", 1, "x"), 0);
    struct db *w = NULL;
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(db_exec(w, "UPDATE audit_event SET action = 'forged'"), ERR_CONFLICT);
    assert_int_equal(db_exec(w, "DELETE FROM audit_event"), ERR_CONFLICT);
    assert_int_equal(store_write_end(f->s, true), 0);

    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(f->a, f->s, &beheerder, NULL, &ev, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].action, "org.create");
    assert_int_equal(count_events(f->s), 1);
}

static void test_written_with_the_transaction(void **state)
{
    struct fixture *f = *state;
    struct db *w = NULL;
    /* An event written in a transaction that is rolled back disappears with it. */
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(audit_write(w, &beheerder, "org.update", "organisation", 1, NULL), 0);
    assert_int_equal(store_write_end(f->s, false), 0);
    assert_int_equal(count_events(f->s), 0);
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(audit_write(w, &beheerder, "org.update", "organisation", 1, NULL), 0);
    assert_int_equal(store_write_end(f->s, true), 0);
    assert_int_equal(count_events(f->s), 1);
    /* An event needs an action. */
    assert_int_equal(store_write_begin(f->s, &w), 0);
    assert_int_equal(audit_write(w, &beheerder, "", NULL, 0, NULL), ERR_INTERNAL);
    assert_int_equal(audit_write(w, &beheerder, NULL, NULL, 0, NULL), ERR_INTERNAL);
    assert_int_equal(store_write_end(f->s, false), 0);
}

static void test_detail_cut_on_character(void **state)
{
    struct fixture *f = *state;
    /* 499 ASCII bytes, then a 2-byte 'â' straddling the 500-byte limit. */
    char detail[AUDIT_DETAIL_MAX + 20];
    memset(detail, 'a', AUDIT_DETAIL_MAX - 1);
    memcpy(detail + AUDIT_DETAIL_MAX - 1, "\xc3\xa2tail", 7);
    assert_int_equal(audit_record(f->s, &beheerder, "x.y", NULL, 0, detail), 0);
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(f->a, f->s, &beheerder, NULL, &ev, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(ev[0].detail), AUDIT_DETAIL_MAX - 1);
    assert_int_equal(ev[0].detail[AUDIT_DETAIL_MAX - 2], 'a');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_time),
        cmocka_unit_test_setup_teardown(test_write_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_beheerder_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_written_with_the_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detail_cut_on_character, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
