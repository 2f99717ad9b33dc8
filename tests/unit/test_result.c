/*
 * test_result.c: maatschappelijke resultaten (domain/result.c, store/result_store.c): themes,
 * create/update/archive with audit, optimistic locking, the policy (beleid of the owning
 * gemeente or region only), validation naming the field, and list filters and ordering.
 */
#include "domain/result.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/user.h"
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
    int64_t region, gem_a, gem_b, provider;
    struct actor beleid_a, beleid_b, beleid_r, contract_a;
};

static struct fixture fx;

/* Not a database user, like the CLI: creates the scenario. */
static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_BEHEERDER, .display_name = "test"};

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-result-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/result.db", fx.dir);
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);
    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Zuid", NULL, NULL, 0);
    fx.gem_a = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0114", NULL, fx.region); /* Emmen */
    fx.gem_b = ts_make_org(fx.s, ORG_GEMEENTE, NULL, "GM0106", NULL, fx.region); /* Assen */
    fx.provider = ts_make_org(fx.s, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    fx.beleid_a = ts_make_actor(fx.s, fx.a, "beleid.a", fx.gem_a, ROLE_BELEID, PW);
    fx.beleid_b = ts_make_actor(fx.s, fx.a, "beleid.b", fx.gem_b, ROLE_BELEID, PW);
    fx.beleid_r = ts_make_actor(fx.s, fx.a, "beleid.r", fx.region, ROLE_BELEID, PW);
    fx.contract_a = ts_make_actor(fx.s, fx.a, "contract.a", fx.gem_a, ROLE_CONTRACT, PW);
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

static int64_t make_result(const struct actor *who, int64_t owner, int theme, const char *title)
{
    struct result_input in = {.owner_org_id = owner,
                              .theme = theme,
                              .title = title,
                              .description = "Beschrijving",
                              .start_year = 2024,
                              .end_year = 2027};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = result_create(fx.s, who, &in, &id, &e);
    if (rc)
        fail_msg("result %s: %s (%s: %s)", title, err_name(rc), e.field ? e.field : "-", e.msg);
    return id;
}

static void test_themes(void **state)
{
    (void)state;
    static const char *codes[] = {"opgroeien", "zelfredzaamheid", "wonen",      "mentaal",
                                  "onderwijs", "veiligheid",      "mantelzorg", "werk"};
    assert_int_equal(ARRAY_LEN(codes), THEME_MAX - THEME_MIN + 1);
    for (int t = THEME_MIN; t <= THEME_MAX; t++) {
        enum result_theme back;
        assert_string_equal(theme_code((enum result_theme)t), codes[t - THEME_MIN]);
        assert_int_equal(theme_parse(codes[t - THEME_MIN], &back), 0);
        assert_int_equal(back, t);
        assert_true(strlen(theme_label((enum result_theme)t)) > 0);
    }
    assert_string_equal(theme_label(THEME_OPGROEIEN), "Veilig en gezond opgroeien");
    assert_string_equal(theme_label(THEME_WERK), "Werk en inkomen");
    enum result_theme t = THEME_WONEN;
    assert_int_equal(theme_parse("Wonen", &t), ERR_INVALID);
    assert_int_equal(theme_parse("", &t), ERR_INVALID);
    assert_int_equal(theme_parse(NULL, &t), ERR_INVALID);
    assert_int_equal(t, THEME_WONEN);
    assert_string_equal(theme_code((enum result_theme)0), "");
    assert_string_equal(theme_code((enum result_theme)99), "");
}

static void test_create_update_archive(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct result r;
    int64_t id =
        make_result(&fx.beleid_a, fx.gem_a, THEME_OPGROEIEN, "  Kinderen groeien veilig op ");

    assert_int_equal(result_get(fx.a, fx.s, &fx.contract_a, id, &r), 0);
    assert_int_equal(r.id, id);
    assert_int_equal(r.owner_org_id, fx.gem_a);
    assert_string_equal(r.owner_name, "Emmen");
    assert_int_equal(r.theme, THEME_OPGROEIEN);
    assert_string_equal(r.title, "Kinderen groeien veilig op");
    assert_string_equal(r.description, "Beschrijving");
    assert_int_equal(r.start_year, 2024);
    assert_int_equal(r.end_year, 2027);
    assert_false(r.archived);
    assert_int_equal(r.version, 1);
    assert_non_null(r.created_at);
    assert_non_null(r.updated_at);

    struct result_input in = {.owner_org_id = fx.gem_a,
                              .theme = THEME_MENTAAL,
                              .title = "Minder jongeren met psychische klachten",
                              .description = NULL,
                              .start_year = 2025,
                              .end_year = 2025,
                              .version = 1};
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &in, &e), 0);
    assert_int_equal(result_get(fx.a, fx.s, &fx.beleid_b, id, &r), 0);
    assert_int_equal(r.version, 2);
    assert_int_equal(r.theme, THEME_MENTAAL);
    assert_string_equal(r.description, "");
    assert_int_equal(r.end_year, 2025);

    assert_int_equal(result_set_archived(fx.s, &fx.beleid_a, id, true, &e), 0);
    assert_int_equal(result_get(fx.a, fx.s, &fx.beleid_a, id, &r), 0);
    assert_true(r.archived);
    assert_int_equal(r.version, 3); /* an open edit form from before the archive is stale */
    assert_int_equal(result_set_archived(fx.s, &fx.beleid_a, id, true, &e), 0); /* no change */
    assert_int_equal(result_set_archived(fx.s, &fx.beleid_a, id, false, &e), 0);
    assert_int_equal(result_set_archived(fx.s, &fx.beleid_a, 999999, false, &e), ERR_NOT_FOUND);
    assert_int_equal(result_get(fx.a, fx.s, &fx.beleid_a, 999999, &r), ERR_NOT_FOUND);
    assert_int_equal(result_update(fx.s, &fx.beleid_a, 999999, &in, &e), ERR_NOT_FOUND);

    assert_true(count_audit("result.create") >= 1);
    assert_int_equal(count_audit("result.update"), 1);
    assert_int_equal(count_audit("result.archive"), 1);
    assert_int_equal(count_audit("result.restore"), 1);
}

static void test_version_conflict(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct result r;
    int64_t id = make_result(&fx.beleid_a, fx.gem_a, THEME_WONEN, "Langer thuis wonen");
    struct result_input mine = {.owner_org_id = fx.gem_a,
                                .theme = THEME_WONEN,
                                .title = "Langer zelfstandig thuis wonen",
                                .start_year = 2024,
                                .end_year = 2028,
                                .version = 1};
    struct result_input theirs = mine;
    theirs.title = "Thuis wonen met zorg";

    /* Both opened version 1; the first save wins, the second is told so. */
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &mine, &e), 0);
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &theirs, &e), ERR_CONFLICT);
    assert_string_equal(e.msg,
                        "Iemand anders heeft dit resultaat intussen gewijzigd. Laad de pagina "
                        "opnieuw.");
    assert_int_equal(result_get(fx.a, fx.s, &fx.beleid_a, id, &r), 0);
    assert_string_equal(r.title, "Langer zelfstandig thuis wonen");
    assert_int_equal(r.version, 2);

    /* A version from the future is just as wrong. */
    theirs.version = 7;
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &theirs, &e), ERR_CONFLICT);
    theirs.version = 2;
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &theirs, &e), 0);
}

static void test_policy(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct result_input in = {.owner_org_id = fx.gem_a,
                              .theme = THEME_WERK,
                              .title = "Meer mensen aan het werk",
                              .start_year = 2024,
                              .end_year = 2026};
    int64_t id = 0;
    int before = count_audit("result.");

    /* Beleid of another gemeente, a contract manager, anonymous: no. */
    assert_int_equal(result_create(fx.s, &fx.beleid_b, &in, &id, &e), ERR_DENIED);
    assert_int_equal(result_create(fx.s, &fx.contract_a, &in, &id, &e), ERR_DENIED);
    struct actor anon = {0};
    assert_int_equal(result_create(fx.s, &anon, &in, &id, &e), ERR_DENIED);
    /* The region's beleid cannot write for a member gemeente either. */
    assert_int_equal(result_create(fx.s, &fx.beleid_r, &in, &id, &e), ERR_DENIED);
    assert_int_equal(id, 0);
    /* A token needs the write scope. */
    struct actor ro = fx.beleid_a;
    ro.via_token = true;
    ro.token_scopes = SCOPE_READ;
    assert_int_equal(result_create(fx.s, &ro, &in, &id, &e), ERR_DENIED);
    assert_int_equal(count_audit("result."), before);

    /* The region's beleid does create for the region. */
    in.owner_org_id = fx.region;
    id = 0;
    assert_int_equal(result_create(fx.s, &fx.beleid_r, &in, &id, &e), 0);
    assert_true(id > 0);

    /* Someone else's result: no edit, no archive, no moving it to yourself. */
    int64_t a_res = make_result(&fx.beleid_a, fx.gem_a, THEME_WERK, "Werk voor jongeren");
    struct result_input up = {.owner_org_id = fx.gem_a,
                              .theme = THEME_WERK,
                              .title = "Overgenomen",
                              .start_year = 2024,
                              .end_year = 2026,
                              .version = 1};
    assert_int_equal(result_update(fx.s, &fx.beleid_b, a_res, &up, &e), ERR_DENIED);
    up.owner_org_id = fx.gem_b;
    assert_int_equal(result_update(fx.s, &fx.beleid_b, a_res, &up, &e), ERR_DENIED);
    assert_int_equal(result_update(fx.s, &fx.beleid_a, a_res, &up, &e), ERR_DENIED);
    assert_int_equal(result_set_archived(fx.s, &fx.beleid_b, a_res, true, &e), ERR_DENIED);
    assert_int_equal(result_set_archived(fx.s, &fx.contract_a, a_res, true, &e), ERR_DENIED);

    /* Reading is open to every user, not to anonymous callers. */
    struct result r;
    assert_int_equal(result_get(fx.a, fx.s, &fx.beleid_b, a_res, &r), 0);
    assert_int_equal(result_get(fx.a, fx.s, &anon, a_res, &r), ERR_DENIED);
    struct result *rs = NULL;
    int n = 0, total = 0;
    assert_int_equal(result_list(fx.a, fx.s, &anon, NULL, &rs, &n, &total), ERR_DENIED);
}

struct vcase {
    int owner; /* 0 gem_a, 1 none, 2 unknown */
    int theme;
    const char *title, *description;
    int start, end;
    const char *field;
};

static void test_validation(void **state)
{
    (void)state;
    char long_title[(RESULT_TITLE_MAX + 1) * 2 + 1];
    char max_title[RESULT_TITLE_MAX * 2 + 1];
    char long_desc[RESULT_DESCRIPTION_MAX + 2];
    char max_desc[RESULT_DESCRIPTION_MAX + 1];
    for (int i = 0; i <= RESULT_TITLE_MAX; i++)
        memcpy(long_title + 2 * i, "\xc3\xab", 2); /* ë */
    long_title[sizeof long_title - 1] = '\0';
    memcpy(max_title, long_title, sizeof max_title - 1);
    max_title[sizeof max_title - 1] = '\0';
    memset(long_desc, 'x', sizeof long_desc - 1);
    long_desc[sizeof long_desc - 1] = '\0';
    memcpy(max_desc, long_desc, sizeof max_desc - 1);
    max_desc[sizeof max_desc - 1] = '\0';

    const struct vcase cases[] = {
        {1, THEME_WERK, "T", NULL, 2024, 2025, "owner_org_id"},
        {2, THEME_WERK, "T", NULL, 2024, 2025, "owner_org_id"},
        {0, 0, "T", NULL, 2024, 2025, "theme"},
        {0, THEME_MAX + 1, "T", NULL, 2024, 2025, "theme"},
        {0, THEME_WERK, NULL, NULL, 2024, 2025, "title"},
        {0, THEME_WERK, "  ", NULL, 2024, 2025, "title"},
        {0, THEME_WERK, "Twee\nregels", NULL, 2024, 2025, "title"},
        {0, THEME_WERK, "Kapot \xe2\x82", NULL, 2024, 2025, "title"},
        {0, THEME_WERK, long_title, NULL, 2024, 2025, "title"},
        {0, THEME_WERK, "T", long_desc, 2024, 2025, "description"},
        {0, THEME_WERK, "T", "bel\x07", 2024, 2025, "description"},
        {0, THEME_WERK, "T", "\xc0\xaf", 2024, 2025, "description"},
        {0, THEME_WERK, "T", NULL, 1999, 2025, "start_year"},
        {0, THEME_WERK, "T", NULL, 2101, 2101, "start_year"},
        {0, THEME_WERK, "T", NULL, 2024, 2101, "end_year"},
        {0, THEME_WERK, "T", NULL, 2024, 2023, "end_year"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct vcase *c = &cases[i];
        int64_t owner = c->owner == 0 ? fx.gem_a : c->owner == 2 ? 999999 : 0;
        struct result_input in = {.owner_org_id = owner,
                                  .theme = c->theme,
                                  .title = c->title,
                                  .description = c->description,
                                  .start_year = c->start,
                                  .end_year = c->end};
        struct err_ctx e = {0};
        int64_t id = 0;
        int rc = result_create(fx.s, &fx.beleid_a, &in, &id, &e);
        if (rc != ERR_INVALID || !e.field || strcmp(e.field, c->field) != 0)
            fail_msg("case %zu: got %s field %s, want invalid %s", i, err_name(rc),
                     e.field ? e.field : "-", c->field);
        assert_true(strlen(e.msg) > 0);
        assert_int_equal(id, 0);
    }

    /* Authorisation comes before validation: an aanbieder as owner is refused outright, and
     * so is an invalid form for an owner the actor may not write for. */
    struct result_input prov = {.owner_org_id = fx.provider,
                                .theme = THEME_WERK,
                                .title = "T",
                                .start_year = 2024,
                                .end_year = 2025};
    struct err_ctx pe = {0};
    int64_t pid = 0;
    assert_int_equal(result_create(fx.s, &fx.beleid_a, &prov, &pid, &pe), ERR_DENIED);
    prov.owner_org_id = fx.gem_b;
    prov.title = "";
    prov.start_year = 1;
    assert_int_equal(result_create(fx.s, &fx.beleid_a, &prov, &pid, &pe), ERR_DENIED);

    /* The limits themselves are fine, and so are line breaks in a description. */
    struct result_input ok = {.owner_org_id = fx.gem_a,
                              .theme = THEME_ONDERWIJS,
                              .title = max_title,
                              .description = max_desc,
                              .start_year = 2000,
                              .end_year = 2100};
    struct err_ctx e = {0};
    int64_t id = 0;
    assert_int_equal(result_create(fx.s, &fx.beleid_a, &ok, &id, &e), 0);
    ok.description = "Eerste regel.\r\nTweede regel.\tMet tab.";
    ok.version = 1;
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &ok, &e), 0);
    /* Updates are validated too. */
    ok.version = 2;
    ok.end_year = 1999;
    assert_int_equal(result_update(fx.s, &fx.beleid_a, id, &ok, &e), ERR_INVALID);
    assert_string_equal(e.field, "end_year");
}

static void test_list(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    struct result *rs = NULL;
    int n = 0, total = 0;
    int64_t b1 = make_result(&fx.beleid_b, fx.gem_b, THEME_MANTELZORG, "Zorg voor mantelzorgers");
    int64_t b2 = make_result(&fx.beleid_b, fx.gem_b, THEME_VEILIGHEID, "100% veilig thuis");
    int64_t b3 = make_result(&fx.beleid_b, fx.gem_b, THEME_VEILIGHEID, "1000 veilige buurten");
    int64_t r1 = make_result(&fx.beleid_r, fx.region, THEME_VEILIGHEID, "Aanpak huiselijk geweld");

    /* Everything: ordered by owner name (Assen, Emmen, Regio Zuid), then title. */
    struct result_filter all = {.include_archived = true};
    assert_int_equal(result_list(fx.a, fx.s, &fx.contract_a, &all, &rs, &n, &total), 0);
    assert_int_equal(n, total);
    for (int i = 1; i < n; i++) {
        int c = strcmp(rs[i - 1].owner_name, rs[i].owner_name);
        assert_true(c < 0 || (c == 0 && strcmp(rs[i - 1].title, rs[i].title) <= 0));
    }
    assert_int_equal(rs[0].id, b2); /* "100% ..." < "1000 ..." < "Zorg ..." */
    assert_int_equal(rs[1].id, b3);
    assert_int_equal(rs[2].id, b1);
    assert_int_equal(rs[n - 1].owner_org_id, fx.region);

    /* By owner and theme. */
    struct result_filter f = {.owner_org_id = fx.gem_b, .theme = THEME_VEILIGHEID};
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &f, &rs, &n, &total), 0);
    assert_int_equal(total, 2);
    f.owner_org_id = 0;
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &f, &rs, &n, &total), 0);
    assert_int_equal(total, 3);

    /* Text: % and _ are literal characters, not wildcards; case does not matter. */
    struct result_filter q = {.q = "100%"};
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &q, &rs, &n, &total), 0);
    assert_int_equal(total, 1);
    assert_int_equal(rs[0].id, b2);
    q.q = "HUISELIJK";
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &q, &rs, &n, &total), 0);
    assert_int_equal(total, 1);
    assert_int_equal(rs[0].id, r1);
    q.q = "_";
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &q, &rs, &n, &total), 0);
    assert_int_equal(total, 0);

    /* Archived results only on request. */
    assert_int_equal(result_set_archived(fx.s, &fx.beleid_b, b1, true, &e), 0);
    struct result_filter own = {.owner_org_id = fx.gem_b};
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &own, &rs, &n, &total), 0);
    assert_int_equal(total, 2);
    own.include_archived = true;
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &own, &rs, &n, &total), 0);
    assert_int_equal(total, 3);

    /* Paging keeps the total. */
    own.limit = 2;
    own.offset = 2;
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &own, &rs, &n, &total), 0);
    assert_int_equal(total, 3);
    assert_int_equal(n, 1);
    assert_int_equal(rs[0].id, b1);
    own.offset = 10;
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &own, &rs, &n, &total), 0);
    assert_int_equal(n, 0);
    assert_int_equal(total, 3);

    struct result_filter bad = {.theme = 42};
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &bad, &rs, &n, &total), ERR_INVALID);
    bad = (struct result_filter){.offset = -1};
    assert_int_equal(result_list(fx.a, fx.s, &fx.beleid_a, &bad, &rs, &n, &total), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes),           cmocka_unit_test(test_create_update_archive),
        cmocka_unit_test(test_version_conflict), cmocka_unit_test(test_policy),
        cmocka_unit_test(test_validation),       cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
