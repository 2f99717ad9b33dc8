/*
 * test_auth.c: authentication (domain/auth.c, store/session_store.c, store/token_store.c):
 * password hashing, login answers that do not reveal accounts, rate limiting, sessions with
 * idle and absolute expiry, CSRF tokens, API tokens and the bounded limiter table.
 * One database for the whole file keeps the number of (slow) Argon2id hashes small.
 */
#include "domain/auth.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/user.h"
#include <dirent.h>
#include <setjmp.h>
#include <sodium.h>
#include <unistd.h>
#include <cmocka.h>

#define PW "correct-horse-battery"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    int64_t region, gemeente, provider;
    int64_t jan, piet, oud, tok;
};

static struct fixture fx;

/* Not a database user, like the CLI: creates the scenario. */
static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int64_t make_user(const char *login, int64_t org, uint32_t roles)
{
    struct user_input in = {
        .login = login, .display_name = login, .org_id = org, .roles = roles, .password = PW};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = user_create(fx.s, &admin, &in, &id, NULL, &e);
    if (rc)
        fail_msg("user %s: %s (%s: %s)", login, err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-auth-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/auth.db", fx.dir);
    struct err_ctx e = {0};
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Test", NULL, NULL, 0);
    fx.gemeente = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.jan = make_user("jan", fx.gemeente, ROLE_BELEID | ROLE_CONTRACT);
    fx.piet = make_user("regio.piet", fx.region, ROLE_BELEID);
    fx.oud = make_user("oud", fx.provider, ROLE_KWALITEIT);
    fx.tok = make_user("tok", fx.provider, ROLE_KWALITEIT);
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

/* Runs a test-only statement with one integer parameter on the writer. */
static void exec1(const char *name, const char *sql, int64_t v)
{
    struct db *db = NULL;
    struct db_stmt *st = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_prepare(db, name, sql, &st), 0);
    assert_int_equal(db_bind_i64(st, 1, v), 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    assert_int_equal(store_write_end(fx.s, true), 0);
}

static int64_t query1(const char *name, const char *sql, int64_t v)
{
    struct db *db = store_reader(fx.s);
    struct db_stmt *st = NULL;
    assert_non_null(db);
    assert_int_equal(db_prepare(db, name, sql, &st), 0);
    assert_int_equal(db_bind_i64(st, 1, v), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t r = db_col_i64(st, 0);
    db_done(st);
    return r;
}

static const char sessions_of_sql[] = "SELECT count(*) FROM session WHERE user_id = $1";

static int64_t sessions_of(int64_t user)
{
    return query1("t.sessions", sessions_of_sql, user);
}

static char *login_ok(const char *login, const char *addr)
{
    struct err_ctx e = {0};
    char *sid = NULL;
    int rc = auth_login(fx.s, login, PW, addr, &sid, &e);
    if (rc)
        fail_msg("login %s: %s (%s)", login, err_name(rc), e.msg);
    assert_non_null(sid);
    assert_int_equal(strlen(sid), AUTH_SECRET_B64_LEN);
    return sid;
}

/* Number of audit events whose action starts with prefix. */
static int count_audit(const char *prefix)
{
    struct audit_filter af = {.action_prefix = prefix, .limit = AUDIT_LIST_MAX};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(fx.a, fx.s, &admin, &af, &ev, &n, &total), 0);
    return total;
}

/* ---- Passwords. ------------------------------------------------------------------------------ */

static void test_hash_verify(void **state)
{
    (void)state;
    char *h = NULL;
    assert_int_equal(auth_hash_password("een lang wachtwoord", &h), 0);
    assert_non_null(h);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(auth_verify_password(h, "een lang wachtwoord"));
    assert_false(auth_verify_password(h, "een lang wachtwoorD"));
    assert_false(auth_verify_password(NULL, "x"));
    assert_false(auth_verify_password(h, NULL));
    assert_false(auth_verify_password("not a hash", "x"));
    free(h);
}

static void test_generate_password(void **state)
{
    (void)state;
    char *p = auth_generate_password();
    char *q = auth_generate_password();
    assert_int_equal(strlen(p), 23);
    for (int i = 0; i < 23; i++) {
        if (i % 6 == 5) {
            assert_int_equal(p[i], '-');
            continue;
        }
        assert_true((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '2' && p[i] <= '9'));
        assert_null(strchr("01lo", p[i]));
    }
    assert_string_not_equal(p, q);
    free(p);
    free(q);
}

/* ---- Login. ---------------------------------------------------------------------------------- */

static void test_login_answers_alike(void **state)
{
    (void)state;
    struct err_ctx e1 = {0}, e2 = {0}, e3 = {0};
    char *sid = NULL;
    int64_t fails = count_audit("login.fail");

    char *ok = login_ok("JAN", "192.0.2.1"); /* logins are not case-sensitive */
    assert_int_equal(auth_login(fx.s, "jan", "wrong-password-1", "192.0.2.1", &sid, &e1),
                     ERR_UNAUTH);
    assert_null(sid);
    assert_int_equal(auth_login(fx.s, "niemand", PW, "192.0.2.1", &sid, &e2), ERR_UNAUTH);
    assert_null(sid);
    assert_int_equal(auth_login(fx.s, "x\ny", PW, "192.0.2.1", &sid, &e3), ERR_UNAUTH);
    assert_null(sid);
    /* The same words for a wrong password and an unknown name. */
    assert_string_equal(e1.msg, e2.msg);
    assert_string_equal(e1.msg, e3.msg);
    assert_int_equal(count_audit("login.fail"), fails + 3);

    /* The audit trail names the login but never the password or the address. */
    struct audit_filter af = {.action_prefix = "login.", .limit = AUDIT_LIST_MAX};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(fx.a, fx.s, &admin, &af, &ev, &n, &total), 0);
    bool saw_niemand = false;
    for (int i = 0; i < n; i++) {
        const char *d = ev[i].detail ? ev[i].detail : "";
        assert_null(strstr(d, "192.0.2.1"));
        assert_null(strstr(d, "wrong-password"));
        assert_null(strstr(d, PW));
        saw_niemand = saw_niemand || strstr(d, "login=niemand") != NULL;
    }
    assert_true(saw_niemand);

    /* A successful login records itself and the time. */
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &admin, fx.jan, &u), 0);
    assert_non_null(u.last_login_at);
    assert_int_equal(auth_logout(fx.s, ok), 0);
    free(ok);
}

static void test_inactive_user_cannot_log_in(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    char *sid = NULL;
    int64_t id = make_user("weg", fx.provider, ROLE_KWALITEIT);
    assert_int_equal(user_set_active(fx.s, &admin, id, false, &e), 0);
    assert_int_equal(auth_login(fx.s, "weg", PW, "192.0.2.2", &sid, &e), ERR_UNAUTH);
    assert_null(sid);
}

static void test_rate_limit(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    char *sid = NULL;
    int64_t limited = count_audit("login.limited");

    /* Per account: five failures, then even the right password is refused from elsewhere. */
    for (int i = 0; i < AUTH_LOGIN_MAX_FAILS; i++)
        assert_int_equal(auth_login(fx.s, "oud", "wrong-password-x", "198.51.100.1", &sid, &e),
                         ERR_UNAUTH);
    assert_int_equal(auth_login(fx.s, "oud", PW, "198.51.100.99", &sid, &e), ERR_BUSY);
    assert_null(sid);
    assert_int_equal(e.code, ERR_BUSY);
    assert_int_equal(count_audit("login.limited"), limited + 1);

    /* Per address: five failures over different names lock the address for everyone. */
    const char *names[] = {"a.1", "a.2", "a.3", "a.4", "a.5"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        assert_int_equal(auth_login(fx.s, names[i], "wrong-password-x", "203.0.113.7", &sid, &e),
                         ERR_UNAUTH);
    assert_int_equal(auth_login(fx.s, "regio.piet", PW, "203.0.113.7", &sid, &e), ERR_BUSY);
    assert_null(sid);
}

static void test_rehash_on_login(void **state)
{
    (void)state;
    static const char set_hash_sql[] = "UPDATE user_account SET password_hash = $2 WHERE id = $1";
    static const char get_hash_sql[] = "SELECT password_hash FROM user_account WHERE id = $1";
    char weak[crypto_pwhash_STRBYTES];
    int64_t id = make_user("herhash", fx.provider, ROLE_KWALITEIT);
    assert_int_equal(crypto_pwhash_str(weak, PW, strlen(PW), crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN),
                     0);
    struct db *db = NULL;
    struct db_stmt *st = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(db_prepare(db, "t.set_hash", set_hash_sql, &st), 0);
    db_bind_i64(st, 1, id);
    db_bind_text(st, 2, weak, (size_t)-1);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    assert_int_equal(store_write_end(fx.s, true), 0);

    char *sid = login_ok("herhash", "192.0.2.3");
    db = store_reader(fx.s);
    assert_int_equal(db_prepare(db, "t.get_hash", get_hash_sql, &st), 0);
    db_bind_i64(st, 1, id);
    assert_int_equal(db_step(st), DB_ROW);
    const char *now = db_col_text(st, 0);
    assert_string_not_equal(now, weak);
    assert_int_equal(crypto_pwhash_str_needs_rehash(now, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                    crypto_pwhash_MEMLIMIT_INTERACTIVE),
                     0);
    assert_true(auth_verify_password(now, PW));
    db_done(st);
    free(sid);
}

/* ---- Sessions. ------------------------------------------------------------------------------- */

static void test_session_actor(void **state)
{
    (void)state;
    struct actor act;
    char *lang = NULL;

    char *sid = login_ok("jan", "192.0.2.4");
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, &lang), 0);
    assert_int_equal(act.user_id, fx.jan);
    assert_int_equal(act.org_id, fx.gemeente);
    assert_int_equal(act.org_kind, ORG_GEMEENTE);
    assert_int_equal(act.roles, ROLE_BELEID | ROLE_CONTRACT);
    assert_int_equal(act.nregions, 1);
    assert_int_equal(act.region_ids[0], fx.region);
    assert_false(act.via_token);
    assert_string_equal(act.display_name, "jan");
    assert_string_equal(lang, "nl");

    char *sid2 = login_ok("regio.piet", "192.0.2.4");
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid2, 8, &act, NULL), 0);
    assert_int_equal(act.org_kind, ORG_REGION);
    assert_int_equal(act.nregions, 1);
    assert_int_equal(act.region_ids[0], fx.region);

    /* An aanbieder belongs to no region. */
    assert_int_equal(auth_actor_for_user(fx.a, fx.s, fx.tok, &act), 0);
    assert_int_equal(act.org_kind, ORG_AANBIEDER);
    assert_int_equal(act.nregions, 0);

    /* Logout ends exactly that session. */
    assert_int_equal(auth_logout(fx.s, sid), 0);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, &lang), ERR_UNAUTH);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid2, 8, &act, &lang), 0);

    /* Unknown, malformed and missing ids. */
    char other[AUTH_SECRET_B64_LEN + 1];
    memset(other, 'A', AUTH_SECRET_B64_LEN);
    other[AUTH_SECRET_B64_LEN] = '\0';
    assert_int_equal(auth_session_actor(fx.a, fx.s, other, 8, &act, &lang), ERR_UNAUTH);
    assert_int_equal(auth_session_actor(fx.a, fx.s, "short", 8, &act, &lang), ERR_UNAUTH);
    assert_int_equal(auth_session_actor(fx.a, fx.s, NULL, 8, &act, &lang), ERR_UNAUTH);
    auth_logout(fx.s, sid2);
    free(sid);
    free(sid2);
}

static void test_session_expiry(void **state)
{
    (void)state;
    static const char idle_sql[] =
        "UPDATE session SET last_seen_at = last_seen_at - 9 * 3600 WHERE user_id = $1";
    static const char old_sql[] =
        "UPDATE session SET expires_at = created_at - 1 WHERE user_id = $1";
    static const char seen_sql[] =
        "UPDATE session SET last_seen_at = last_seen_at - 120 WHERE user_id = $1";
    static const char last_seen_sql[] = "SELECT max(last_seen_at) FROM session WHERE user_id = $1";
    struct actor act;
    int64_t uid = make_user("sessie", fx.provider, ROLE_KWALITEIT);

    /* Idle for longer than idle_hours: refused and removed. */
    char *sid = login_ok("sessie", "192.0.2.5");
    exec1("t.idle", idle_sql, uid);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 24, &act, NULL), 0); /* refreshes */
    exec1("t.idle", idle_sql, uid);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), ERR_UNAUTH);
    assert_int_equal(sessions_of(uid), 0);
    free(sid);

    /* Past the absolute end, however active. */
    sid = login_ok("sessie", "192.0.2.5");
    exec1("t.old", old_sql, uid);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), ERR_UNAUTH);
    free(sid);

    /* last_seen_at is refreshed, but not on every request. */
    sid = login_ok("sessie", "192.0.2.5");
    int64_t t0 = query1("t.last_seen", last_seen_sql, uid);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), 0);
    assert_int_equal(query1("t.last_seen", last_seen_sql, uid), t0);
    exec1("t.seen", seen_sql, uid);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), 0);
    assert_true(query1("t.last_seen", last_seen_sql, uid) >= t0);
    free(sid);
}

/* ---- CSRF. ----------------------------------------------------------------------------------- */

static void test_csrf(void **state)
{
    (void)state;
    const char *s1 = "sessionAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const char *s2 = "sessionBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    char t1[AUTH_SECRET_B64_LEN + 1], t1b[AUTH_SECRET_B64_LEN + 1], t2[AUTH_SECRET_B64_LEN + 1];
    auth_csrf_token(s1, t1);
    auth_csrf_token(s1, t1b);
    auth_csrf_token(s2, t2);
    assert_int_equal(strlen(t1), AUTH_SECRET_B64_LEN);
    assert_string_equal(t1, t1b);
    assert_string_not_equal(t1, t2);
    assert_true(auth_csrf_check(s1, t1));
    assert_false(auth_csrf_check(s2, t1));

    char bad[AUTH_SECRET_B64_LEN + 1];
    memcpy(bad, t1, sizeof bad);
    bad[10] = bad[10] == 'x' ? 'y' : 'x';
    assert_false(auth_csrf_check(s1, bad));
    bad[AUTH_SECRET_B64_LEN - 1] = '\0';
    assert_false(auth_csrf_check(s1, bad));
    assert_false(auth_csrf_check(s1, ""));
    assert_false(auth_csrf_check(s1, NULL));
    assert_false(auth_csrf_check(NULL, t1));

    /* The token is the documented HMAC, so another implementation can check it. */
    unsigned char key[crypto_hash_sha256_BYTES], mac[crypto_auth_hmacsha256_BYTES];
    char expect[AUTH_SECRET_B64_LEN + 1];
    crypto_hash_sha256(key, (const unsigned char *)s1, strlen(s1));
    crypto_auth_hmacsha256(mac, (const unsigned char *)"csrf", 4, key);
    sodium_bin2base64(expect, sizeof expect, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    assert_string_equal(t1, expect);
}

/* ---- API tokens. ----------------------------------------------------------------------------- */

static void test_tokens(void **state)
{
    (void)state;
    static const char expire_sql[] = "UPDATE api_token SET expires_at = 0 WHERE id = $1";
    static const char used_sql[] = "SELECT coalesce(last_used_at, 0) FROM api_token WHERE id = $1";
    struct err_ctx e = {0};
    struct actor self, act;
    char *tok = NULL;
    int64_t id = 0;

    assert_int_equal(auth_actor_for_user(fx.a, fx.s, fx.tok, &self), 0);
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "Levering", SCOPE_READ | SCOPE_IMPORT,
                                       30, &tok, &id, &e),
                     0);
    assert_true(id > 0);
    assert_int_equal(strlen(tok), strlen(AUTH_TOKEN_PREFIX) + AUTH_SECRET_B64_LEN);
    assert_true(strncmp(tok, "dui_", 4) == 0);
    assert_int_equal(count_audit("token.create") >= 1, 1);

    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), 0);
    assert_int_equal(act.user_id, fx.tok);
    assert_true(act.via_token);
    assert_int_equal(act.token_scopes, SCOPE_READ | SCOPE_IMPORT);
    assert_int_equal(act.org_id, fx.provider);
    assert_true(query1("t.used", used_sql, id) > 0);

    /* Tampered, truncated and foreign strings. */
    char bad[80];
    snprintf(bad, sizeof bad, "%s", tok);
    bad[10] = bad[10] == 'x' ? 'y' : 'x';
    assert_int_equal(auth_token_actor(fx.a, fx.s, bad, &act), ERR_UNAUTH);
    assert_int_equal(auth_token_actor(fx.a, fx.s, "dui_short", &act), ERR_UNAUTH);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok + 4, &act), ERR_UNAUTH);
    assert_int_equal(auth_token_actor(fx.a, fx.s, NULL, &act), ERR_UNAUTH);

    /* Validation. */
    char *t2 = NULL;
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "x", SCOPE_READ, 0, &t2, NULL, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "days");
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "x", SCOPE_READ, 367, &t2, NULL, &e),
                     ERR_INVALID);
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "x", 0, 30, &t2, NULL, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "scopes");
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "x", 8, 30, &t2, NULL, &e),
                     ERR_INVALID);
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "  ", SCOPE_READ, 30, &t2, NULL, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "label");
    assert_null(t2);

    /* Someone else's account: denied; through a token: denied (no self-minting). */
    assert_int_equal(auth_token_create(fx.s, &self, fx.jan, "x", SCOPE_READ, 30, &t2, NULL, &e),
                     ERR_DENIED);
    struct actor via = act;
    via.token_scopes = SCOPE_ALL;
    assert_int_equal(auth_token_create(fx.s, &via, fx.tok, "x", SCOPE_READ, 30, &t2, NULL, &e),
                     ERR_DENIED);

    /* Revocation. */
    struct actor other;
    assert_int_equal(auth_actor_for_user(fx.a, fx.s, fx.jan, &other), 0);
    assert_int_equal(auth_token_revoke(fx.s, &other, id, &e), ERR_DENIED);
    assert_int_equal(auth_token_revoke(fx.s, &self, id, &e), 0);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), ERR_UNAUTH);
    assert_int_equal(auth_token_revoke(fx.s, &self, id, &e), 0); /* idempotent */
    assert_int_equal(auth_token_revoke(fx.s, &self, 999999, &e), ERR_NOT_FOUND);
    free(tok);

    /* Expiry. */
    tok = NULL;
    assert_int_equal(auth_token_create(fx.s, &self, fx.tok, "Kort", SCOPE_READ, 1, &tok, &id, &e),
                     0);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), 0);
    exec1("t.expire", expire_sql, id);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), ERR_UNAUTH);
    free(tok);
}

static void test_inactive_user_token_refused(void **state)
{
    (void)state;
    static const char revoked_sql[] = "SELECT revoked FROM api_token WHERE id = $1";
    static const char reactivate_sql[] = "UPDATE user_account SET active = 1 WHERE id = $1";
    static const char unrevoke_sql[] = "UPDATE api_token SET revoked = 0 WHERE id = $1";
    struct err_ctx e = {0};
    struct actor self, act;
    char *tok = NULL;
    int64_t id = 0;

    assert_int_equal(auth_actor_for_user(fx.a, fx.s, fx.oud, &self), 0);
    assert_int_equal(
        auth_token_create(fx.s, &admin, fx.oud, "Script", SCOPE_READ, 10, &tok, &id, &e), 0);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), 0);
    assert_int_equal(user_set_active(fx.s, &admin, fx.oud, false, &e), 0);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), ERR_UNAUTH);
    assert_int_equal(query1("t.revoked", revoked_sql, id), 1);
    assert_int_equal(auth_actor_for_user(fx.a, fx.s, fx.oud, &act), ERR_UNAUTH);

    /* Even if the token row were live, an inactive owner is refused. */
    exec1("t.unrevoke", unrevoke_sql, id);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), ERR_UNAUTH);
    exec1("t.reactivate", reactivate_sql, fx.oud);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), 0);
    free(tok);
}

/* ---- The limiter itself. --------------------------------------------------------------------- */

static void test_rate_table_bounded(void **state)
{
    (void)state;
    char key[64];
    assert_true(auth_rate_allow("t:first", 2, 60));
    auth_rate_hit("t:first");
    assert_true(auth_rate_allow("t:first", 2, 60));
    auth_rate_hit("t:first");
    assert_false(auth_rate_allow("t:first", 2, 60));
    auth_rate_clear("t:first");
    assert_true(auth_rate_allow("t:first", 2, 60));

    /* A zero-length window has always expired. */
    auth_rate_hit("t:zero");
    assert_true(auth_rate_allow("t:zero", 1, 0));

    /* Far more keys than slots: memory stays fixed, the stalest open entries give way, and a
     * locked key is not unlocked by flooding the table. */
    auth_rate_hit("t:evict-me");
    auth_rate_hit("t:evict-me");
    for (int i = 0; i < AUTH_LOGIN_MAX_FAILS; i++)
        auth_rate_hit("t:locked");
    for (int i = 0; i < 2 * AUTH_RATE_SLOTS; i++) {
        snprintf(key, sizeof key, "t:flood-%d", i);
        auth_rate_hit(key);
    }
    assert_true(auth_rate_allow("t:evict-me", 1, 900));
    assert_false(auth_rate_allow("t:locked", AUTH_LOGIN_MAX_FAILS, 900));
    snprintf(key, sizeof key, "t:flood-%d", 2 * AUTH_RATE_SLOTS - 1);
    assert_false(auth_rate_allow(key, 1, 900));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_generate_password),
        cmocka_unit_test(test_login_answers_alike),
        cmocka_unit_test(test_inactive_user_cannot_log_in),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_rehash_on_login),
        cmocka_unit_test(test_session_actor),
        cmocka_unit_test(test_session_expiry),
        cmocka_unit_test(test_csrf),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_inactive_user_token_refused),
        cmocka_unit_test(test_rate_table_bounded),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
