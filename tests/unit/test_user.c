/*
 * test_user.c: user accounts (domain/user.c, store/user_store.c): validation naming the field,
 * duplicate logins, the policy, lists limited to the own organisation, protection of the last
 * beheerder, and password resets and deactivation ending sessions and tokens.
 * One database for the whole file keeps the number of (slow) Argon2id hashes small.
 */
#include "domain/user.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/org.h"
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
    int64_t region, gem_a, gem_b, archived;
    int64_t beheer; /* the first real beheerder */
    struct actor beheer_actor;
};

static struct fixture fx;

/* Not a database user, like the CLI: creates the scenario. */
static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int64_t make_user_as(const struct actor *who, const char *login, int64_t org, uint32_t roles)
{
    struct user_input in = {
        .login = login, .display_name = login, .org_id = org, .roles = roles, .password = PW};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = user_create(fx.s, who, &in, &id, NULL, &e);
    if (rc)
        fail_msg("user %s: %s (%s: %s)", login, err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static struct actor actor_of(int64_t id)
{
    struct actor a;
    assert_int_equal(auth_actor_for_user(fx.a, fx.s, id, &a), 0);
    return a;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-user-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/user.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Test", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region);
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, fx.region);
    fx.archived = ts_make_org(fx.s, ORG_AANBIEDER, "Opgeheven BV", NULL, "87654321", 0);
    assert_int_equal(org_set_archived(fx.s, &admin, fx.archived, true, &e), 0);
    fx.beheer = make_user_as(&admin, "beheer", fx.region, ROLE_BEHEERDER);
    fx.beheer_actor = actor_of(fx.beheer);
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

static char *try_login(const char *login, const char *password)
{
    struct err_ctx e = {0};
    char *sid = NULL;
    if (auth_login(fx.s, login, password, NULL, &sid, &e) != 0)
        return NULL;
    return sid;
}

/* ---- Validation. ----------------------------------------------------------------------------- */

enum org_pick { ORG_OK, ORG_NONE, ORG_UNKNOWN, ORG_ARCHIVED };

struct vcase {
    const char *login, *display, *lang, *password;
    enum org_pick org;
    uint32_t roles;
    const char *field; /* expected field of the ERR_INVALID */
};

static void test_validation(void **state)
{
    (void)state;
    char long_login[USER_LOGIN_MAX + 2];
    char long_pw[USER_PASSWORD_MAX + 2];
    char long_name[(USER_DISPLAY_MAX + 1) * 2 + 1];
    char max_name[USER_DISPLAY_MAX * 2 + 1];
    memset(long_login, 'a', sizeof long_login - 1);
    long_login[sizeof long_login - 1] = '\0';
    memset(long_pw, 'p', sizeof long_pw - 1);
    long_pw[sizeof long_pw - 1] = '\0';
    for (int i = 0; i <= USER_DISPLAY_MAX; i++)
        memcpy(long_name + 2 * i, "\xc3\xa9", 2); /* é: 2 bytes, 1 code point */
    long_name[sizeof long_name - 1] = '\0';
    memcpy(max_name, long_name, sizeof max_name - 1);
    max_name[sizeof max_name - 1] = '\0';

    const struct vcase cases[] = {
        {NULL, "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {"", "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {"ab", "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {long_login, "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {"Jan", "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {"jan smit", "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {"jan/smit", "Jan", NULL, PW, ORG_OK, ROLE_BELEID, "login"},
        {"jan", NULL, NULL, PW, ORG_OK, ROLE_BELEID, "display_name"},
        {"jan", "   ", NULL, PW, ORG_OK, ROLE_BELEID, "display_name"},
        {"jan", "Jan\nSmit", NULL, PW, ORG_OK, ROLE_BELEID, "display_name"},
        {"jan", "Jan\x7f", NULL, PW, ORG_OK, ROLE_BELEID, "display_name"},
        {"jan", "Jan \xff", NULL, PW, ORG_OK, ROLE_BELEID, "display_name"},
        {"jan", long_name, NULL, PW, ORG_OK, ROLE_BELEID, "display_name"},
        {"jan", "Jan", NULL, PW, ORG_NONE, ROLE_BELEID, "org_id"},
        {"jan", "Jan", NULL, PW, ORG_UNKNOWN, ROLE_BELEID, "org_id"},
        {"jan", "Jan", NULL, PW, ORG_ARCHIVED, ROLE_BELEID, "org_id"},
        {"jan", "Jan", NULL, PW, ORG_OK, 0, "roles"},
        {"jan", "Jan", NULL, PW, ORG_OK, 0x100, "roles"},
        {"jan", "Jan", "de", PW, ORG_OK, ROLE_BELEID, "lang"},
        {"jan", "Jan", "", PW, ORG_OK, ROLE_BELEID, "lang"},
        {"jan", "Jan", NULL, "te-kort", ORG_OK, ROLE_BELEID, "password"},
        {"jan", "Jan", NULL, "", ORG_OK, ROLE_BELEID, "password"},
        {"jan", "Jan", NULL, long_pw, ORG_OK, ROLE_BELEID, "password"},
        {"jan.jansen12", "Jan", NULL, "JAN.JANSEN12", ORG_OK, ROLE_BELEID, "password"},
        {"jan", "Jan", NULL, "twaalf tekens \xc3", ORG_OK, ROLE_BELEID, "password"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct vcase *c = &cases[i];
        int64_t org = c->org == ORG_OK         ? fx.gem_a
                      : c->org == ORG_UNKNOWN  ? 999999
                      : c->org == ORG_ARCHIVED ? fx.archived
                                               : 0;
        struct user_input in = {.login = c->login,
                                .display_name = c->display,
                                .org_id = org,
                                .roles = c->roles,
                                .lang = c->lang,
                                .password = c->password};
        struct err_ctx e = {0};
        int64_t id = 0;
        int rc = user_create(fx.s, &fx.beheer_actor, &in, &id, NULL, &e);
        if (rc != ERR_INVALID || !e.field || strcmp(e.field, c->field) != 0)
            fail_msg("case %zu: got %s field %s, want invalid %s", i, err_name(rc),
                     e.field ? e.field : "-", c->field);
        assert_true(strlen(e.msg) > 0);
        assert_int_equal(id, 0);
    }

    /* The limits themselves are accepted: 120 code points (240 bytes), every login character,
     * and surrounding space is trimmed. */
    char padded[sizeof max_name + 4];
    snprintf(padded, sizeof padded, "  %s ", max_name);
    struct user_input ok = {.login = "a.b-c_d@x9",
                            .display_name = padded,
                            .org_id = fx.gem_a,
                            .roles = ROLE_ALL,
                            .lang = "en",
                            .password = PW};
    struct err_ctx e = {0};
    int64_t id = 0;
    assert_int_equal(user_create(fx.s, &fx.beheer_actor, &ok, &id, NULL, &e), 0);
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &fx.beheer_actor, id, &u), 0);
    assert_string_equal(u.login, "a.b-c_d@x9");
    assert_string_equal(u.display_name, max_name);
    assert_string_equal(u.lang, "en");
    assert_int_equal(u.roles, ROLE_ALL);
    assert_true(u.active);
    assert_false(u.must_change_password);
    assert_null(u.last_login_at);
    assert_non_null(u.org_name);
    /* It holds the beheerder role; later tests count beheerders and must not see it. */
    assert_int_equal(user_set_active(fx.s, &admin, id, false, &e), 0);
}

static void test_duplicate_login(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_user_as(&fx.beheer_actor, "dubbel", fx.gem_a, ROLE_BELEID);
    struct user_input in = {
        .login = "dubbel", .display_name = "Ander", .org_id = fx.gem_b, .roles = ROLE_RAAD};
    int64_t id2 = 0;
    char *gen = NULL;
    assert_int_equal(user_create(fx.s, &fx.beheer_actor, &in, &id2, &gen, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "login");
    assert_string_equal(e.msg, "Deze inlognaam is al in gebruik.");
    assert_null(gen);
    assert_int_equal(id2, 0);
    assert_true(id > 0);
}

static void test_non_beheerder_denied(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_user_as(&admin, "beleid.a", fx.gem_a, ROLE_BELEID | ROLE_CONTRACT);
    struct actor beleid = actor_of(id);
    struct user_input in = {
        .login = "nieuw", .display_name = "Nieuw", .org_id = fx.gem_a, .roles = ROLE_RAAD};
    int64_t out = 0;
    char *gen = NULL;
    int audits = count_audit("user.");

    assert_int_equal(user_create(fx.s, &beleid, &in, &out, &gen, &e), ERR_DENIED);
    assert_int_equal(user_update(fx.s, &beleid, id, &in, &e), ERR_DENIED);
    assert_int_equal(user_update(fx.s, &beleid, fx.beheer, &in, &e), ERR_DENIED);
    assert_int_equal(user_set_active(fx.s, &beleid, fx.beheer, false, &e), ERR_DENIED);
    assert_int_equal(user_reset_password(fx.s, &beleid, fx.beheer, &gen, &e), ERR_DENIED);
    assert_null(gen);

    /* Anonymous, and a beheerder's read-only token. */
    struct actor anon = {0};
    assert_int_equal(user_create(fx.s, &anon, &in, &out, &gen, &e), ERR_DENIED);
    struct actor ro = fx.beheer_actor;
    ro.via_token = true;
    ro.token_scopes = SCOPE_READ;
    assert_int_equal(user_create(fx.s, &ro, &in, &out, &gen, &e), ERR_DENIED);
    assert_int_equal(user_set_active(fx.s, &ro, id, false, &e), ERR_DENIED);
    assert_int_equal(count_audit("user."), audits);
}

static void test_list_own_org(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t a1 = make_user_as(&admin, "lijst.a1", fx.gem_a, ROLE_KWALITEIT);
    int64_t b1 = make_user_as(&admin, "lijst.b1", fx.gem_b, ROLE_KWALITEIT);
    int64_t me = make_user_as(&admin, "lijst.me", fx.gem_a, ROLE_RAAD);
    struct actor raad = actor_of(me);
    struct user_filter f = {0};
    struct user *us = NULL;
    int n = 0, total = 0;

    assert_int_equal(user_list(fx.a, fx.s, &raad, &f, &us, &n, &total), 0);
    assert_true(n >= 3);
    assert_int_equal(n, total);
    bool saw_a1 = false;
    for (int i = 0; i < n; i++) {
        assert_int_equal(us[i].org_id, fx.gem_a);
        assert_int_not_equal(us[i].id, b1);
        saw_a1 = saw_a1 || us[i].id == a1;
    }
    assert_true(saw_a1);
    f.org_id = fx.gem_b;
    assert_int_equal(user_list(fx.a, fx.s, &raad, &f, &us, &n, &total), ERR_DENIED);

    /* Viewing one account follows the same line. */
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &raad, a1, &u), 0);
    assert_int_equal(user_get(fx.a, fx.s, &raad, b1, &u), ERR_DENIED);
    assert_int_equal(user_get(fx.a, fx.s, &raad, 999999, &u), ERR_NOT_FOUND);

    /* A beheerder filters freely; text search and inactive accounts. */
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &f, &us, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(us[0].id, b1);
    assert_string_equal(us[0].org_name, "Assen");
    struct user_filter q = {.q = "lijst.", .limit = 2};
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &q, &us, &n, &total), 0);
    assert_int_equal(total, 3);
    assert_int_equal(n, 2);
    q.offset = 2;
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &q, &us, &n, &total), 0);
    assert_int_equal(n, 1);
    struct user_filter pct = {.q = "%"};
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &pct, &us, &n, &total), 0);
    assert_int_equal(total, 0);

    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, a1, false, &e), 0);
    struct user_filter act = {.q = "lijst."};
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &act, &us, &n, &total), 0);
    assert_int_equal(total, 2);
    act.include_inactive = true;
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &act, &us, &n, &total), 0);
    assert_int_equal(total, 3);

    struct user_filter bad = {.limit = -1};
    assert_int_equal(user_list(fx.a, fx.s, &fx.beheer_actor, &bad, &us, &n, &total), ERR_INVALID);
}

static void test_last_beheerder(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct user_input drop = {.display_name = "beheer", .org_id = fx.region, .roles = ROLE_BELEID};

    /* Not yourself. */
    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, fx.beheer, false, &e), ERR_INVALID);
    assert_int_equal(user_update(fx.s, &fx.beheer_actor, fx.beheer, &drop, &e), ERR_INVALID);
    assert_string_equal(e.field, "roles");

    /* With a second beheerder, one may go. */
    int64_t b2 = make_user_as(&fx.beheer_actor, "beheer2", fx.region, ROLE_BEHEERDER);
    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, b2, false, &e), 0);
    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, b2, true, &e), 0);
    drop.display_name = "beheer2";
    assert_int_equal(user_update(fx.s, &admin, b2, &drop, &e), 0);

    /* Now fx.beheer is the last one: not even the CLI can take it away. */
    drop.display_name = "beheer";
    assert_int_equal(user_update(fx.s, &admin, fx.beheer, &drop, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "roles");
    assert_int_equal(user_set_active(fx.s, &admin, fx.beheer, false, &e), ERR_CONFLICT);
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &admin, fx.beheer, &u), 0);
    assert_true(u.active);
    assert_int_equal(u.roles, ROLE_BEHEERDER);

    /* Keeping the role while changing other things is fine. */
    struct user_input keep = {
        .display_name = "Beheerder", .org_id = fx.region, .roles = ROLE_BEHEERDER | ROLE_RAAD};
    assert_int_equal(user_update(fx.s, &fx.beheer_actor, fx.beheer, &keep, &e), 0);
    assert_int_equal(user_get(fx.a, fx.s, &admin, fx.beheer, &u), 0);
    assert_string_equal(u.display_name, "Beheerder");
    assert_string_equal(u.lang, "nl"); /* no language given: kept */
    assert_true(count_audit("user.update") >= 2);
    assert_true(count_audit("user.deactivate") >= 1);
    assert_true(count_audit("user.activate") >= 1);
}

static void test_update_validation(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    int64_t id = make_user_as(&admin, "verhuizer", fx.gem_a, ROLE_KWALITEIT);
    struct user_input in = {
        .display_name = "Verhuizer", .org_id = fx.gem_b, .roles = ROLE_CONTRACT, .lang = "en"};
    assert_int_equal(user_update(fx.s, &fx.beheer_actor, id, &in, &e), 0);
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &admin, id, &u), 0);
    assert_int_equal(u.org_id, fx.gem_b);
    assert_int_equal(u.roles, ROLE_CONTRACT);
    assert_string_equal(u.lang, "en");
    assert_string_equal(u.login, "verhuizer");

    in.org_id = fx.archived;
    assert_int_equal(user_update(fx.s, &fx.beheer_actor, id, &in, &e), ERR_INVALID);
    assert_string_equal(e.field, "org_id");
    in.org_id = fx.gem_b;
    in.roles = 0;
    assert_int_equal(user_update(fx.s, &fx.beheer_actor, id, &in, &e), ERR_INVALID);
    assert_string_equal(e.field, "roles");
    in.roles = ROLE_RAAD;
    assert_int_equal(user_update(fx.s, &fx.beheer_actor, 999999, &in, &e), ERR_NOT_FOUND);

    /* The user's own language. */
    struct actor self = actor_of(id);
    assert_int_equal(user_set_lang(fx.s, &self, "nl", &e), 0);
    assert_int_equal(user_set_lang(fx.s, &self, "fr", &e), ERR_INVALID);
    struct actor anon = {0};
    assert_int_equal(user_set_lang(fx.s, &anon, "nl", &e), ERR_DENIED);
    assert_int_equal(user_get(fx.a, fx.s, &admin, id, &u), 0);
    assert_string_equal(u.lang, "nl");
}

/* ---- Passwords, sessions, tokens. ------------------------------------------------------------ */

static void test_reset_password_ends_sessions(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct actor act;
    int64_t id = make_user_as(&admin, "vergeten", fx.gem_a, ROLE_KWALITEIT);
    char *sid = try_login("vergeten", PW);
    assert_non_null(sid);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), 0);

    char *gen = NULL;
    assert_int_equal(user_reset_password(fx.s, &fx.beheer_actor, id, &gen, &e), 0);
    assert_non_null(gen);
    assert_int_equal(strlen(gen), 23);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), ERR_UNAUTH);
    assert_null(try_login("vergeten", PW));
    char *sid2 = try_login("vergeten", gen);
    assert_non_null(sid2);
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &admin, id, &u), 0);
    assert_true(u.must_change_password);
    assert_true(count_audit("user.password_reset") >= 1);
    assert_int_equal(user_reset_password(fx.s, &fx.beheer_actor, 999999, &gen, &e), ERR_NOT_FOUND);

    /* The user then chooses their own: wrong current, bad new, then right. */
    struct actor self = actor_of(id);
    assert_int_equal(
        user_change_password(fx.s, &self, "niet-het-wachtwoord", "nog-een-lang-ww", &e),
        ERR_INVALID);
    assert_string_equal(e.field, "current_password");
    assert_int_equal(user_change_password(fx.s, &self, gen, "kort", &e), ERR_INVALID);
    assert_string_equal(e.field, "new_password");
    assert_int_equal(user_change_password(fx.s, &self, gen, "vergeten", &e), ERR_INVALID);
    assert_int_equal(user_change_password(fx.s, &self, gen, "mijn-eigen-wachtwoord", &e), 0);
    assert_int_equal(user_get(fx.a, fx.s, &admin, id, &u), 0);
    assert_false(u.must_change_password);
    assert_true(count_audit("user.password_change") >= 1);
    struct actor tok = self;
    tok.via_token = true;
    tok.token_scopes = SCOPE_ALL;
    assert_int_equal(user_change_password(fx.s, &tok, "mijn-eigen-wachtwoord", "x", &e),
                     ERR_DENIED);
    free(gen);
    free(sid);
    free(sid2);
}

static void test_deactivate_ends_sessions_and_tokens(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct actor act;
    int64_t id = make_user_as(&admin, "stopper", fx.gem_b, ROLE_KWALITEIT);
    char *sid = try_login("stopper", PW);
    char *tok = NULL;
    assert_non_null(sid);
    assert_int_equal(
        auth_token_create(fx.s, &fx.beheer_actor, id, "Koppeling", SCOPE_READ, 30, &tok, NULL, &e),
        0);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), 0);

    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, id, false, &e), 0);
    assert_int_equal(auth_session_actor(fx.a, fx.s, sid, 8, &act, NULL), ERR_UNAUTH);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), ERR_UNAUTH);
    /* Deactivating twice changes nothing and records nothing. */
    int n = count_audit("user.deactivate");
    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, id, false, &e), 0);
    assert_int_equal(count_audit("user.deactivate"), n);

    /* Reactivation does not bring the revoked token back. */
    assert_int_equal(user_set_active(fx.s, &fx.beheer_actor, id, true, &e), 0);
    assert_int_equal(auth_token_actor(fx.a, fx.s, tok, &act), ERR_UNAUTH);
    free(sid);
    free(tok);
}

static void test_generated_password(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct user_input in = {.login = "gegenereerd",
                            .display_name = "Gegenereerd",
                            .org_id = fx.gem_a,
                            .roles = ROLE_PROFESSIONAL};
    int64_t id = 0;
    char *gen = NULL;
    assert_int_equal(user_create(fx.s, &fx.beheer_actor, &in, &id, &gen, &e), 0);
    assert_non_null(gen);
    assert_int_equal(strlen(gen), 23);
    struct user u;
    assert_int_equal(user_get(fx.a, fx.s, &admin, id, &u), 0);
    assert_true(u.must_change_password);
    char *sid = try_login("gegenereerd", gen);
    assert_non_null(sid);
    free(sid);
    free(gen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_duplicate_login),
        cmocka_unit_test(test_non_beheerder_denied),
        cmocka_unit_test(test_list_own_org),
        cmocka_unit_test(test_last_beheerder),
        cmocka_unit_test(test_update_validation),
        cmocka_unit_test(test_reset_password_ends_sessions),
        cmocka_unit_test(test_deactivate_ends_sessions_and_tokens),
        cmocka_unit_test(test_generated_password),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
