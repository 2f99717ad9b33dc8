/*
 * test_demo.c: the demo region generator (domain/demo.c): real CBS codes and populations, unique
 * AGB codes, the documented demo logins (they must log in), results per gemeente, determinism
 * from the seed, and refusal to fill a database that already holds organisations.
 */
#include "domain/demo.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/demo_data.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/role.h"
#include "domain/user.h"
#include <dirent.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#define TEST_SEED 1
#define LIST_ALL  1000

struct demo_db {
    char dir[64];
    struct store *s;
};

/* Two databases generated with the same seed; `a` also receives the CLI summary. */
struct fixture {
    struct demo_db a, b;
    char *summary;
};

static void open_db(struct demo_db *d)
{
    char path[128];
    struct err_ctx e = {0};
    snprintf(d->dir, sizeof d->dir, "/tmp/duiding-test-demo-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    int n = snprintf(path, sizeof path, "%s/demo.db", d->dir);
    assert_true(n > 0 && (size_t)n < sizeof path);
    assert_int_equal(store_open(path, &d->s, &e), 0);
}

static void close_db(struct demo_db *d)
{
    store_close(d->s);
    ts_rm_dir(d->dir);
}

static int group_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct err_ctx e = {0};
    size_t len = 0;
    assert_non_null(f);
    assert_int_equal(auth_init(), 0);
    open_db(&f->a);
    open_db(&f->b);
    FILE *out = open_memstream(&f->summary, &len);
    assert_non_null(out);
    int rc = demo_generate(f->a.s, TEST_SEED, out, &e);
    fclose(out);
    if (rc)
        print_error("demo_generate: %s\n", e.msg);
    assert_int_equal(rc, 0);
    rc = demo_generate(f->b.s, TEST_SEED, NULL, &e);
    if (rc)
        print_error("demo_generate: %s\n", e.msg);
    assert_int_equal(rc, 0);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    close_db(&f->a);
    close_db(&f->b);
    free(f->summary);
    free(f);
    return 0;
}

/* Sees everything, like the CLI. */
static struct actor admin(void)
{
    struct actor a;
    memset(&a, 0, sizeof a);
    a.user_id = -1;
    a.roles = ROLE_ALL;
    a.org_kind = ORG_REGION;
    a.display_name = "test";
    return a;
}

static int list_orgs(struct arena *ar, struct store *s, int kind, int64_t parent, struct org **out)
{
    struct actor who = admin();
    struct org_filter f = {
        .kind = kind, .include_archived = true, .parent_id = parent, .limit = LIST_ALL};
    int n = 0, total = 0;
    assert_int_equal(org_list(ar, s, &who, &f, out, &n, &total), 0);
    assert_int_equal(n, total);
    return n;
}

static const struct org *find_org(const struct org *orgs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(orgs[i].name, name) == 0)
            return &orgs[i];
    return NULL;
}

static void test_region_and_toezicht(void **state)
{
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct org *orgs = NULL;
    assert_int_equal(list_orgs(ar, f->a.s, ORG_REGION, 0, &orgs), 1);
    assert_string_equal(orgs[0].name, "Jeugdregio Zuid-Drenthe");
    assert_int_equal(list_orgs(ar, f->a.s, ORG_TOEZICHTHOUDER, 0, &orgs), 1);
    assert_string_equal(orgs[0].name, "GGD Drenthe – Toezicht Wmo en Jeugd");
    arena_free(ar);
}

static void test_gemeenten(void **state)
{
    static const struct {
        const char *name, *code;
    } expect[] = {
        {"Borger-Odoorn", "GM1681"}, {"Coevorden", "GM0109"}, {"De Wolden", "GM1690"},
        {"Emmen", "GM0114"},         {"Hoogeveen", "GM0118"}, {"Meppel", "GM0119"},
        {"Westerveld", "GM1701"},
    };
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct org *regions = NULL, *gem = NULL, *teams = NULL;
    assert_int_equal(list_orgs(ar, f->a.s, ORG_REGION, 0, &regions), 1);
    int n = list_orgs(ar, f->a.s, ORG_GEMEENTE, 0, &gem);
    assert_int_equal(n, (int)ARRAY_LEN(expect));
    for (size_t i = 0; i < ARRAY_LEN(expect); i++) {
        const struct org *g = find_org(gem, n, expect[i].name);
        assert_non_null(g);
        assert_non_null(g->cbs_code);
        assert_string_equal(g->cbs_code, expect[i].code);
        assert_true(g->population > 0);
        assert_int_equal(g->nparents, 1);
        assert_int_equal(g->parent_ids[0], regions[0].id);

        /* Exactly one toegang team per gemeente, named after it. */
        assert_int_equal(list_orgs(ar, f->a.s, ORG_TOEGANG, g->id, &teams), 1);
        char want[96];
        snprintf(want, sizeof want, "Toegangsteam %s", expect[i].name);
        assert_string_equal(teams[0].name, want);
    }
    /* CBS 1-1-2021 puts Emmen at about 107,000 inhabitants. */
    const struct org *emmen = find_org(gem, n, "Emmen");
    assert_in_range(emmen->population, 101650, 112350);
    arena_free(ar);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void test_aanbieders(void **state)
{
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct org *p = NULL;
    int n = list_orgs(ar, f->a.s, ORG_AANBIEDER, 0, &p);
    assert_true(n >= 25);
    const char **codes = arena_calloc(ar, (size_t)n, sizeof *codes);
    assert_non_null(codes);
    for (int i = 0; i < n; i++) {
        assert_non_null(p[i].agb_code);
        assert_true(org_agb_valid(p[i].agb_code));
        codes[i] = p[i].agb_code;
    }
    qsort(codes, (size_t)n, sizeof *codes, cmp_str);
    for (int i = 1; i < n; i++)
        assert_string_not_equal(codes[i - 1], codes[i]);
    assert_non_null(find_org(p, n, demo_providers[0].name));
    arena_free(ar);
}

static void test_logins(void **state)
{
    static const struct {
        const char *login;
        uint32_t roles;
        const char *org; /* NULL: the first demo provider */
    } expect[] = {
        {"beheerder", ROLE_BEHEERDER, "Jeugdregio Zuid-Drenthe"},
        {"beleid.regio", ROLE_BELEID, "Jeugdregio Zuid-Drenthe"},
        {"beleid.emmen", ROLE_BELEID, "Emmen"},
        {"beleid.hoogeveen", ROLE_BELEID, "Hoogeveen"},
        {"contract.regio", ROLE_CONTRACT, "Jeugdregio Zuid-Drenthe"},
        {"kwaliteit.aanbieder", ROLE_KWALITEIT, NULL},
        {"professional.aanbieder", ROLE_PROFESSIONAL, NULL},
        {"toezicht.ggd", ROLE_TOEZICHT, "GGD Drenthe – Toezicht Wmo en Jeugd"},
        {"raad.emmen", ROLE_RAAD, "Emmen"},
        {"backoffice.regio", ROLE_BACKOFFICE, "Jeugdregio Zuid-Drenthe"},
        {"toegang.emmen", ROLE_PROFESSIONAL, "Toegangsteam Emmen"},
        {"beleid.borger-odoorn", ROLE_BELEID, "Borger-Odoorn"},
        {"beleid.coevorden", ROLE_BELEID, "Coevorden"},
        {"beleid.de-wolden", ROLE_BELEID, "De Wolden"},
        {"beleid.meppel", ROLE_BELEID, "Meppel"},
        {"beleid.westerveld", ROLE_BELEID, "Westerveld"},
    };
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct actor who = admin();
    struct user_filter uf = {.include_inactive = true, .limit = LIST_ALL};
    struct user *users = NULL;
    int n = 0, total = 0;
    assert_int_equal(user_list(ar, f->a.s, &who, &uf, &users, &n, &total), 0);
    assert_int_equal(n, (int)ARRAY_LEN(expect));
    for (size_t i = 0; i < ARRAY_LEN(expect); i++) {
        const struct user *u = NULL;
        for (int j = 0; j < n && !u; j++)
            if (strcmp(users[j].login, expect[i].login) == 0)
                u = &users[j];
        if (!u)
            fail_msg("demo login %s missing", expect[i].login);
        assert_int_equal(u->roles, expect[i].roles);
        assert_true(u->active);
        assert_string_equal(u->org_name, expect[i].org ? expect[i].org : demo_providers[0].name);

        char *sid = NULL;
        struct err_ctx e = {0};
        int rc = auth_login(f->a.s, expect[i].login, DEMO_PASSWORD, "127.0.0.1", &sid, &e);
        if (rc)
            fail_msg("login %s: %s (%s)", expect[i].login, err_name(rc), e.msg);
        assert_non_null(sid);
        free(sid);
    }
    arena_free(ar);
}

static void test_results(void **state)
{
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct actor who = admin();
    struct org *owners = NULL;
    int ng = list_orgs(ar, f->a.s, ORG_GEMEENTE, 0, &owners);
    assert_int_equal(ng, DEMO_GEMEENTE_COUNT);
    struct org *region = NULL;
    assert_int_equal(list_orgs(ar, f->a.s, ORG_REGION, 0, &region), 1);
    for (int i = 0; i <= ng; i++) {
        const struct org *o = i < ng ? &owners[i] : &region[0];
        struct result_filter rf = {.owner_org_id = o->id, .limit = LIST_ALL};
        struct result *r = NULL;
        int n = 0, total = 0;
        assert_int_equal(result_list(ar, f->a.s, &who, &rf, &r, &n, &total), 0);
        if (i < ng)
            assert_in_range(n, 3, 4);
        else
            assert_in_range(n, 2, 3);
        for (int j = 0; j < n; j++) {
            assert_int_equal(r[j].owner_org_id, o->id);
            assert_in_range(r[j].theme, THEME_MIN, THEME_MAX);
            assert_true(strlen(r[j].title) > 10);
            assert_true(strlen(r[j].description) > 100);
            assert_true(strstr(r[j].title, "{g}") == NULL);
            assert_true(strstr(r[j].description, "{g}") == NULL);
            assert_true(r[j].start_year >= 2023 && r[j].end_year > r[j].start_year);
        }
    }
    arena_free(ar);
}

/* Everything the seed decides, one sorted line per object, as one string (arena-owned). */
static const char *dump(struct arena *ar, struct store *s)
{
    struct actor who = admin();
    struct org *orgs = NULL;
    struct result *res = NULL;
    struct user *users = NULL;
    int no = list_orgs(ar, s, 0, 0, &orgs);
    int nr = 0, nu = 0, total = 0;
    struct result_filter rf = {.include_archived = true, .limit = LIST_ALL};
    struct user_filter uf = {.include_inactive = true, .limit = LIST_ALL};
    assert_int_equal(result_list(ar, s, &who, &rf, &res, &nr, &total), 0);
    assert_int_equal(user_list(ar, s, &who, &uf, &users, &nu, &total), 0);
    const char **lines = arena_calloc(ar, (size_t)(no + nr + nu), sizeof *lines);
    int k = 0;
    for (int i = 0; i < no; i++)
        lines[k++] = arena_printf(ar, "org|%d|%s|%s|%s|%" PRId64, (int)orgs[i].kind, orgs[i].name,
                                  orgs[i].cbs_code ? orgs[i].cbs_code : "",
                                  orgs[i].agb_code ? orgs[i].agb_code : "", orgs[i].population);
    for (int i = 0; i < nr; i++)
        lines[k++] =
            arena_printf(ar, "result|%s|%d|%s|%d-%d|%s", res[i].owner_name, (int)res[i].theme,
                         res[i].title, res[i].start_year, res[i].end_year, res[i].description);
    for (int i = 0; i < nu; i++)
        lines[k++] = arena_printf(ar, "user|%s|%s|%s|%u", users[i].login, users[i].display_name,
                                  users[i].org_name, (unsigned)users[i].roles);
    qsort(lines, (size_t)k, sizeof *lines, cmp_str);
    struct buf b;
    buf_init(&b, BUF_MAX_PAGE);
    for (int i = 0; i < k; i++) {
        assert_non_null(lines[i]);
        assert_int_equal(buf_append_str(&b, lines[i]), 0);
        assert_int_equal(buf_append_char(&b, '\n'), 0);
    }
    const char *text = arena_strdup(ar, buf_cstr(&b));
    buf_release(&b);
    return text;
}

static void test_deterministic(void **state)
{
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    const char *a = dump(ar, f->a.s);
    const char *b = dump(ar, f->b.s);
    assert_true(strlen(a) > 1000);
    assert_string_equal(a, b);
    arena_free(ar);
}

static void test_summary(void **state)
{
    struct fixture *f = *state;
    assert_non_null(f->summary);
    assert_non_null(strstr(f->summary, DEMO_PASSWORD));
    assert_non_null(strstr(f->summary, "kwaliteit.aanbieder"));
    assert_non_null(strstr(f->summary, demo_providers[0].name));
}

/* Demo data goes through the domain API, so it is audited like real changes. */
static void test_audited(void **state)
{
    static const char *const prefixes[] = {"org.", "user.", "result."};
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct actor who = admin();
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
        struct audit_filter af = {.action_prefix = prefixes[i], .limit = 1};
        struct audit_event *ev = NULL;
        int n = 0, total = 0;
        assert_int_equal(audit_list(ar, f->a.s, &who, &af, &ev, &n, &total), 0);
        if (total == 0)
            fail_msg("no audit events with prefix %s", prefixes[i]);
    }
    arena_free(ar);
}

static void test_second_run_refused(void **state)
{
    struct fixture *f = *state;
    struct arena *ar = arena_new(0);
    struct org *orgs = NULL;
    struct err_ctx e = {0};
    int before = list_orgs(ar, f->a.s, 0, 0, &orgs);
    assert_int_equal(demo_generate(f->a.s, TEST_SEED + 1, NULL, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "fresh data directory"));
    assert_int_equal(list_orgs(ar, f->a.s, 0, 0, &orgs), before);
    arena_free(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_and_toezicht),
        cmocka_unit_test(test_gemeenten),
        cmocka_unit_test(test_aanbieders),
        cmocka_unit_test(test_logins),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_audited),
        cmocka_unit_test(test_second_run_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
