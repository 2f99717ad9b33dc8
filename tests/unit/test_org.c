/*
 * test_org.c: organisations (domain/org.c, store/org_store.c): creating every kind, validation
 * naming the field, duplicates, the policy, list filters and paging, and the audit trail.
 */
#include "domain/org.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/audit.h"
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
    .user_id = 2, .org_id = 1, .org_kind = ORG_GEMEENTE, .roles = ROLE_ALL & ~ROLE_BEHEERDER};
static const struct actor anonymous = {.roles = ROLE_ALL};
static const struct actor beheerder_token_ro = {.user_id = 1,
                                                .org_id = 1,
                                                .org_kind = ORG_REGION,
                                                .roles = ROLE_BEHEERDER,
                                                .via_token = true,
                                                .token_scopes = SCOPE_READ};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/duiding-test-org-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/org.db", f->dir);
    struct err_ctx e = {0};
    assert_int_equal(store_open(f->path, &f->s, &e), 0);
    f->a = arena_new(0);
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

/* Creates and returns the id, failing the test on any error. */
static int64_t make(struct fixture *f, enum org_kind kind, const char *name, const char *cbs,
                    const char *agb, int64_t parent)
{
    struct org_input in = {.kind = kind, .name = name, .cbs_code = cbs, .agb_code = agb};
    if (parent) {
        in.parent_ids[0] = parent;
        in.nparents = 1;
    }
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = org_create(f->s, &beheerder, &in, &id, &e);
    if (rc)
        fail_msg("create %s: %s (%s: %s)", name ? name : "(null)", err_name(rc),
                 e.field ? e.field : "-", e.msg);
    assert_true(id > 0);
    return id;
}

/* Number of audit events with this action, as the beheerder sees them. */
static int count_audit(struct fixture *f, const char *action)
{
    struct audit_filter af = {.action_prefix = action, .limit = AUDIT_LIST_MAX};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &af, &ev, &n, &total), 0);
    return total;
}

static void test_create_each_kind(void **state)
{
    struct fixture *f = *state;
    struct org o;
    int64_t region = make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);

    /* Gemeente: bare code normalised, name taken from the CBS list, region as parent. */
    struct org_input gin = {.kind = ORG_GEMEENTE, .cbs_code = " 0114 ", .population = 107000};
    gin.parent_ids[0] = region;
    gin.nparents = 1;
    struct err_ctx e = {0};
    int64_t emmen = 0;
    assert_int_equal(org_create(f->s, &beheerder, &gin, &emmen, &e), 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, emmen, &o), 0);
    assert_int_equal(o.id, emmen);
    assert_int_equal(o.kind, ORG_GEMEENTE);
    assert_string_equal(o.name, "Emmen");
    assert_string_equal(o.cbs_code, "GM0114");
    assert_null(o.agb_code);
    assert_int_equal(o.nparents, 1);
    assert_int_equal(o.parent_ids[0], region);
    assert_int_equal(o.population, 107000);
    assert_false(o.archived);
    assert_int_equal(strlen(o.created_at), 20);

    /* A UTF-8 name from the CBS list. */
    int64_t leeuwarden = make(f, ORG_GEMEENTE, NULL, "GM0080", NULL, 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, leeuwarden, &o), 0);
    assert_string_equal(o.name, "Leeuwarden");
    assert_int_equal(o.nparents, 0);

    int64_t prov = make(f, ORG_AANBIEDER, "  Jeugdhulp Drenthe  ", NULL, "41123456", 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, prov, &o), 0);
    assert_string_equal(o.name, "Jeugdhulp Drenthe"); /* trimmed */
    assert_string_equal(o.agb_code, "41123456");
    assert_null(o.cbs_code);

    int64_t igj = make(f, ORG_TOEZICHTHOUDER, "Inspectie Gezondheidszorg en Jeugd", NULL, NULL, 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, igj, &o), 0);
    assert_int_equal(o.kind, ORG_TOEZICHTHOUDER);

    int64_t team = make(f, ORG_TOEGANG, "Toegang Emmen", NULL, NULL, emmen);
    assert_int_equal(org_get(f->a, f->s, &beleid, team, &o), 0);
    assert_int_equal(o.kind, ORG_TOEGANG);
    assert_int_equal(o.nparents, 1);
    assert_int_equal(o.parent_ids[0], emmen);

    /* The longest allowed name counts code points, not bytes: 120 x 'â' is 240 bytes. */
    char longname[ORG_NAME_MAX * 2 + 1];
    for (int i = 0; i < ORG_NAME_MAX; i++)
        memcpy(longname + 2 * i, "\xc3\xa2", 2);
    longname[ORG_NAME_MAX * 2] = '\0';
    int64_t lr = make(f, ORG_REGION, longname, NULL, NULL, 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, lr, &o), 0);
    assert_string_equal(o.name, longname);

    assert_int_equal(count_audit(f, "org.create"), 7);

    struct org missing;
    assert_int_equal(org_get(f->a, f->s, &beleid, 9999, &missing), ERR_NOT_FOUND);
    assert_int_equal(org_get(f->a, f->s, &anonymous, emmen, &missing), ERR_DENIED);
    assert_int_equal(org_get_internal(f->a, f->s, emmen, &o), 0);
    assert_string_equal(o.name, "Emmen");
}

static void test_invalid_inputs(void **state)
{
    struct fixture *f = *state;
    int64_t region = make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);
    int64_t emmen = make(f, ORG_GEMEENTE, NULL, "GM0114", NULL, region);
    char too_long[ORG_NAME_MAX + 2];
    memset(too_long, 'x', ORG_NAME_MAX + 1);
    too_long[ORG_NAME_MAX + 1] = '\0';

    static const int64_t none[ORG_MAX_PARENTS] = {0};
    const struct {
        const char *why;
        enum org_kind kind;
        const char *name, *cbs, *agb;
        int64_t parents[3];
        int nparents;
        int64_t population;
        const char *field;
    } cases[] = {
        {"no kind", 0, "X", NULL, NULL, {0}, 0, 0, "kind"},
        {"unknown kind", (enum org_kind)9, "X", NULL, NULL, {0}, 0, 0, "kind"},
        {"no name", ORG_REGION, NULL, NULL, NULL, {0}, 0, 0, "name"},
        {"empty name", ORG_REGION, "", NULL, NULL, {0}, 0, 0, "name"},
        {"blank name", ORG_TOEZICHTHOUDER, "   ", NULL, NULL, {0}, 0, 0, "name"},
        {"newline in name", ORG_REGION, "Zuid\nDrenthe", NULL, NULL, {0}, 0, 0, "name"},
        {"tab in name", ORG_REGION, "Zuid\tDrenthe", NULL, NULL, {0}, 0, 0, "name"},
        {"C1 control in name", ORG_REGION, "Zuid\xc2\x85", NULL, NULL, {0}, 0, 0, "name"},
        {"bad UTF-8", ORG_REGION, "Frysl\xe2n", NULL, NULL, {0}, 0, 0, "name"},
        {"overlong UTF-8", ORG_REGION, "\xc0\xaf", NULL, NULL, {0}, 0, 0, "name"},
        {"121 characters", ORG_REGION, too_long, NULL, NULL, {0}, 0, 0, "name"},
        {"gemeente without code", ORG_GEMEENTE, "Emmen", NULL, NULL, {0}, 0, 0, "cbs_code"},
        {"gemeente blank code", ORG_GEMEENTE, "Emmen", " ", NULL, {0}, 0, 0, "cbs_code"},
        {"unknown CBS code", ORG_GEMEENTE, NULL, "GM9999", NULL, {0}, 0, 0, "cbs_code"},
        {"malformed CBS code", ORG_GEMEENTE, NULL, "GM01145", NULL, {0}, 0, 0, "cbs_code"},
        {"province code", ORG_GEMEENTE, NULL, "PV22", NULL, {0}, 0, 0, "cbs_code"},
        {"CBS code on a region", ORG_REGION, "R", "GM0114", NULL, {0}, 0, 0, "cbs_code"},
        {"CBS code on a provider", ORG_AANBIEDER, "P", "GM0106", "12345678", {0}, 0, 0, "cbs_code"},
        {"provider without AGB", ORG_AANBIEDER, "P", NULL, NULL, {0}, 0, 0, "agb_code"},
        {"AGB of 7 digits", ORG_AANBIEDER, "P", NULL, "1234567", {0}, 0, 0, "agb_code"},
        {"AGB of 9 digits", ORG_AANBIEDER, "P", NULL, "123456789", {0}, 0, 0, "agb_code"},
        {"AGB with a letter", ORG_AANBIEDER, "P", NULL, "1234567a", {0}, 0, 0, "agb_code"},
        {"AGB on a gemeente", ORG_GEMEENTE, NULL, "GM0106", "12345678", {0}, 0, 0, "agb_code"},
        {"gemeente under a gemeente",
         ORG_GEMEENTE,
         NULL,
         "GM0106",
         NULL,
         {emmen},
         1,
         0,
         "parent_ids"},
        {"parent does not exist", ORG_GEMEENTE, NULL, "GM0106", NULL, {424242}, 1, 0, "parent_ids"},
        {"parent id zero", ORG_GEMEENTE, NULL, "GM0106", NULL, {0}, 1, 0, "parent_ids"},
        {"same region twice",
         ORG_GEMEENTE,
         NULL,
         "GM0106",
         NULL,
         {region, region},
         2,
         0,
         "parent_ids"},
        {"too many parents",
         ORG_GEMEENTE,
         NULL,
         "GM0106",
         NULL,
         {region},
         ORG_MAX_PARENTS + 1,
         0,
         "parent_ids"},
        {"negative parent count", ORG_GEMEENTE, NULL, "GM0106", NULL, {0}, -1, 0, "parent_ids"},
        {"toegang without gemeente", ORG_TOEGANG, "T", NULL, NULL, {0}, 0, 0, "parent_ids"},
        {"toegang under a region", ORG_TOEGANG, "T", NULL, NULL, {region}, 1, 0, "parent_ids"},
        {"region with a parent", ORG_REGION, "R2", NULL, NULL, {region}, 1, 0, "parent_ids"},
        {"provider with a parent",
         ORG_AANBIEDER,
         "P",
         NULL,
         "12345678",
         {emmen},
         1,
         0,
         "parent_ids"},
        {"negative population", ORG_GEMEENTE, NULL, "GM0106", NULL, {0}, 0, -1, "population"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct org_input in = {.kind = cases[i].kind,
                               .name = cases[i].name,
                               .cbs_code = cases[i].cbs,
                               .agb_code = cases[i].agb,
                               .nparents = cases[i].nparents,
                               .population = cases[i].population};
        memcpy(in.parent_ids, none, sizeof none);
        memcpy(in.parent_ids, cases[i].parents, sizeof cases[i].parents);
        struct err_ctx e = {0};
        int64_t id = -5;
        int rc = org_create(f->s, &beheerder, &in, &id, &e);
        if (rc != ERR_INVALID || !e.field || strcmp(e.field, cases[i].field) != 0 || !e.msg[0])
            fail_msg("case %zu (%s): got %s field %s msg '%s', want invalid %s", i, cases[i].why,
                     err_name(rc), e.field ? e.field : "-", e.msg, cases[i].field);
        assert_int_equal(e.code, ERR_INVALID);
        assert_int_equal(id, -5); /* untouched on failure */
    }
    /* Nothing was written and nothing audited beyond the two setup creates. */
    struct org *list = NULL;
    int n = 0, total = 0;
    struct org_filter all = {.include_archived = true};
    assert_int_equal(org_list(f->a, f->s, &beheerder, &all, &list, &n, &total), 0);
    assert_int_equal(total, 2);
    assert_int_equal(count_audit(f, "org."), 2);
}

static void test_messages_are_dutch(void **state)
{
    struct fixture *f = *state;
    struct org_input in = {.kind = ORG_AANBIEDER, .name = "P", .agb_code = "12"};
    struct err_ctx e = {0};
    int64_t id;
    assert_int_equal(org_create(f->s, &beheerder, &in, &id, &e), ERR_INVALID);
    assert_string_equal(e.field, "agb_code");
    assert_string_equal(e.msg, "Een AGB-code bestaat uit 8 cijfers");
}

static void test_duplicates(void **state)
{
    struct fixture *f = *state;
    make(f, ORG_GEMEENTE, NULL, "GM0114", NULL, 0);
    make(f, ORG_AANBIEDER, "Zorg BV", NULL, "12345678", 0);
    make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);

    const struct {
        struct org_input in;
        const char *field, *msg;
    } cases[] = {
        {{.kind = ORG_GEMEENTE, .cbs_code = "0114", .name = "Andere naam"},
         "cbs_code",
         "Er bestaat al een gemeente met deze CBS-code"},
        {{.kind = ORG_AANBIEDER, .name = "Andere BV", .agb_code = "12345678"},
         "agb_code",
         "Er bestaat al een aanbieder met deze AGB-code"},
        {{.kind = ORG_REGION, .name = "zuid-drenthe"},
         "name",
         "Er bestaat al een organisatie van deze soort met deze naam"},
        {{.kind = ORG_AANBIEDER, .name = "ZORG BV", .agb_code = "87654321"},
         "name",
         "Er bestaat al een organisatie van deze soort met deze naam"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct err_ctx e = {0};
        int64_t id = -1;
        assert_int_equal(org_create(f->s, &beheerder, &cases[i].in, &id, &e), ERR_CONFLICT);
        assert_string_equal(e.field, cases[i].field);
        assert_string_equal(e.msg, cases[i].msg);
        assert_int_equal(id, -1);
    }
    /* The same name for another kind is fine. */
    make(f, ORG_TOEZICHTHOUDER, "Zuid-Drenthe", NULL, NULL, 0);
    assert_int_equal(count_audit(f, "org.create"), 4);
}

static void test_policy_enforced(void **state)
{
    struct fixture *f = *state;
    int64_t region = make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);
    struct org_input in = {.kind = ORG_REGION, .name = "Noord"};
    const struct actor *refused[] = {&beleid, &anonymous, &beheerder_token_ro};
    for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
        struct err_ctx e = {0};
        int64_t id = -1;
        assert_int_equal(org_create(f->s, refused[i], &in, &id, &e), ERR_DENIED);
        assert_int_equal(e.code, ERR_DENIED);
        assert_true(e.msg[0] != '\0');
        assert_int_equal(id, -1);
        assert_int_equal(org_update(f->s, refused[i], region, &in, &e), ERR_DENIED);
        assert_int_equal(org_set_archived(f->s, refused[i], region, true, &e), ERR_DENIED);
    }
    /* Denied before validation: even invalid input gets ERR_DENIED, not ERR_INVALID. */
    struct org_input bad = {.kind = ORG_GEMEENTE, .cbs_code = "nonsense"};
    struct err_ctx e = {0};
    int64_t id;
    assert_int_equal(org_create(f->s, &beleid, &bad, &id, &e), ERR_DENIED);
    struct org *list = NULL;
    int n = 0, total = 0;
    assert_int_equal(org_list(f->a, f->s, &anonymous, NULL, &list, &n, &total), ERR_DENIED);
    /* Everyone signed in may read. */
    assert_int_equal(org_list(f->a, f->s, &beleid, NULL, &list, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(org_list(f->a, f->s, &beheerder_token_ro, NULL, &list, &n, &total), 0);
    assert_int_equal(count_audit(f, "org."), 1);
}

static void test_list_filters_and_paging(void **state)
{
    struct fixture *f = *state;
    int64_t zd = make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);
    int64_t nd = make(f, ORG_REGION, "Noord- en Midden-Drenthe", NULL, NULL, 0);
    static const char *codes[] = {"GM0114", "GM0106", "GM0109", "GM0118", "GM1731", "GM1681"};
    int64_t gm[ARRAY_LEN(codes)];
    for (size_t i = 0; i < ARRAY_LEN(codes); i++)
        gm[i] = make(f, ORG_GEMEENTE, NULL, codes[i], NULL, i < 4 ? zd : nd);
    make(f, ORG_AANBIEDER, "Accare", NULL, "12000001", 0);
    make(f, ORG_AANBIEDER, "100%_Zorg", NULL, "12000002", 0);
    make(f, ORG_AANBIEDER, "Yorneo", NULL, "12000003", 0);
    make(f, ORG_TOEGANG, "Toegang Emmen", NULL, NULL, gm[0]);
    struct err_ctx e = {0};
    assert_int_equal(org_set_archived(f->s, &beheerder, gm[5], true, &e), 0);

    struct org *o = NULL;
    int n = 0, total = 0;
    /* Default: archived hidden; ordered region, gemeente, aanbieder, toegang; then name. */
    assert_int_equal(org_list(f->a, f->s, &beleid, NULL, &o, &n, &total), 0);
    assert_int_equal(total, 11);
    assert_int_equal(n, 11);
    static const char *want_order[] = {"Noord- en Midden-Drenthe",
                                       "Zuid-Drenthe",
                                       "Assen",
                                       "Coevorden",
                                       "Emmen",
                                       "Hoogeveen",
                                       "Midden-Drenthe",
                                       "100%_Zorg",
                                       "Accare",
                                       "Yorneo",
                                       "Toegang Emmen"};
    for (int i = 0; i < n; i++)
        assert_string_equal(o[i].name, want_order[i]);
    assert_int_equal(o[4].nparents, 1);
    assert_int_equal(o[4].parent_ids[0], zd);

    struct org_filter with_archived = {.include_archived = true};
    assert_int_equal(org_list(f->a, f->s, &beleid, &with_archived, &o, &n, &total), 0);
    assert_int_equal(total, 12);

    struct org_filter gemeenten = {.kind = ORG_GEMEENTE, .include_archived = true};
    assert_int_equal(org_list(f->a, f->s, &beleid, &gemeenten, &o, &n, &total), 0);
    assert_int_equal(total, 6);
    for (int i = 0; i < n; i++)
        assert_int_equal(o[i].kind, ORG_GEMEENTE);

    /* Case-insensitive "contains". */
    struct org_filter q = {.q = "DRENTHE"};
    assert_int_equal(org_list(f->a, f->s, &beleid, &q, &o, &n, &total), 0);
    assert_int_equal(total, 3); /* two regions and Midden-Drenthe */
    struct org_filter q2 = {.q = " emm "};
    assert_int_equal(org_list(f->a, f->s, &beleid, &q2, &o, &n, &total), 0);
    assert_int_equal(total, 2); /* Emmen and Toegang Emmen */
    /* LIKE wildcards in the search text are literal. */
    struct org_filter pct = {.q = "%"};
    assert_int_equal(org_list(f->a, f->s, &beleid, &pct, &o, &n, &total), 0);
    assert_int_equal(total, 1);
    assert_string_equal(o[0].name, "100%_Zorg");
    struct org_filter us = {.q = "0_Z"};
    assert_int_equal(org_list(f->a, f->s, &beleid, &us, &o, &n, &total), 0);
    assert_int_equal(total, 0);
    struct org_filter us2 = {.q = "%_z"};
    assert_int_equal(org_list(f->a, f->s, &beleid, &us2, &o, &n, &total), 0);
    assert_int_equal(total, 1);
    struct org_filter quote = {.q = "'; DROP TABLE organisation; --"};
    assert_int_equal(org_list(f->a, f->s, &beleid, &quote, &o, &n, &total), 0);
    assert_int_equal(total, 0);

    /* Members of a region (the archived one is hidden unless asked for). */
    struct org_filter members = {.parent_id = nd};
    assert_int_equal(org_list(f->a, f->s, &beleid, &members, &o, &n, &total), 0);
    assert_int_equal(total, 1);
    assert_string_equal(o[0].name, "Midden-Drenthe");
    members.include_archived = true;
    assert_int_equal(org_list(f->a, f->s, &beleid, &members, &o, &n, &total), 0);
    assert_int_equal(total, 2);
    struct org_filter combined = {.parent_id = zd, .q = "o", .kind = ORG_GEMEENTE};
    assert_int_equal(org_list(f->a, f->s, &beleid, &combined, &o, &n, &total), 0);
    assert_int_equal(total, 2); /* Coevorden, Hoogeveen */
    assert_string_equal(o[0].name, "Coevorden");
    assert_string_equal(o[1].name, "Hoogeveen");

    /* Paging: total stays the full count. */
    struct org_filter page = {.limit = 4, .offset = 4};
    assert_int_equal(org_list(f->a, f->s, &beleid, &page, &o, &n, &total), 0);
    assert_int_equal(total, 11);
    assert_int_equal(n, 4);
    assert_string_equal(o[0].name, "Emmen");
    assert_string_equal(o[3].name, "100%_Zorg");
    struct org_filter last = {.limit = 4, .offset = 8};
    assert_int_equal(org_list(f->a, f->s, &beleid, &last, &o, &n, &total), 0);
    assert_int_equal(n, 3);
    assert_string_equal(o[2].name, "Toegang Emmen");
    struct org_filter past = {.limit = 4, .offset = 50};
    assert_int_equal(org_list(f->a, f->s, &beleid, &past, &o, &n, &total), 0);
    assert_int_equal(n, 0);
    assert_int_equal(total, 11);
    struct org_filter huge = {.limit = ORG_LIST_MAX * 10};
    assert_int_equal(org_list(f->a, f->s, &beleid, &huge, &o, &n, &total), 0);
    assert_int_equal(n, 11);

    /* Bad filters are refused, outputs untouched. */
    const struct org_filter bad[] = {
        {.limit = -1}, {.offset = -1}, {.kind = 9}, {.kind = -1}, {.q = "\xff"}, {.q = "a\nb"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int bn = -3, bt = -3;
        assert_int_equal(org_list(f->a, f->s, &beleid, &bad[i], &o, &bn, &bt), ERR_INVALID);
        assert_int_equal(bn, -3);
        assert_int_equal(bt, -3);
    }
}

static void test_update(void **state)
{
    struct fixture *f = *state;
    int64_t zd = make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);
    int64_t nd = make(f, ORG_REGION, "Noord-Drenthe", NULL, NULL, 0);
    int64_t emmen = make(f, ORG_GEMEENTE, NULL, "GM0114", NULL, zd);
    make(f, ORG_GEMEENTE, NULL, "GM0106", NULL, zd);
    struct err_ctx e = {0};
    struct org o;

    /* Rename and move to two regions; the own CBS code is not a duplicate of itself. */
    struct org_input in = {.kind = ORG_GEMEENTE,
                           .name = "Gemeente Emmen",
                           .cbs_code = "GM0114",
                           .parent_ids = {zd, nd},
                           .nparents = 2,
                           .population = 5};
    assert_int_equal(org_update(f->s, &beheerder, emmen, &in, &e), 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, emmen, &o), 0);
    assert_string_equal(o.name, "Gemeente Emmen");
    assert_int_equal(o.nparents, 2);
    assert_int_equal(o.population, 5);

    struct audit_filter af = {.action_prefix = "org.update"};
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(f->a, f->s, &beheerder, &af, &ev, &n, &total), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].object_id, emmen);
    assert_string_equal(ev[0].detail, "changed=name,population,parents");

    /* kind = 0 keeps the kind; a different kind is refused. */
    in.kind = 0;
    in.nparents = 0;
    assert_int_equal(org_update(f->s, &beheerder, emmen, &in, &e), 0);
    in.kind = ORG_REGION;
    assert_int_equal(org_update(f->s, &beheerder, emmen, &in, &e), ERR_INVALID);
    assert_string_equal(e.field, "kind");
    /* Taking another gemeente's CBS code is a conflict. */
    in.kind = ORG_GEMEENTE;
    in.cbs_code = "GM0106";
    assert_int_equal(org_update(f->s, &beheerder, emmen, &in, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "cbs_code");
    /* A region cannot be its own parent... nor have one at all. */
    struct org_input rin = {
        .kind = ORG_REGION, .name = "Zuid-Drenthe", .parent_ids = {zd}, .nparents = 1};
    assert_int_equal(org_update(f->s, &beheerder, zd, &rin, &e), ERR_INVALID);
    assert_string_equal(e.field, "parent_ids");
    /* Unknown id. */
    rin.nparents = 0;
    assert_int_equal(org_update(f->s, &beheerder, 4242, &rin, &e), ERR_NOT_FOUND);
    assert_int_equal(e.code, ERR_NOT_FOUND);
    /* Failed updates left the row as it was. */
    assert_int_equal(org_get(f->a, f->s, &beleid, emmen, &o), 0);
    assert_string_equal(o.cbs_code, "GM0114");
    assert_int_equal(o.nparents, 0);
    assert_int_equal(count_audit(f, "org.update"), 2);
}

static void test_archive_and_restore(void **state)
{
    struct fixture *f = *state;
    int64_t r = make(f, ORG_REGION, "Zuid-Drenthe", NULL, NULL, 0);
    struct err_ctx e = {0};
    struct org o;
    assert_int_equal(org_set_archived(f->s, &beheerder, r, true, &e), 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, r, &o), 0);
    assert_true(o.archived);
    /* Again: no change, no event. */
    assert_int_equal(org_set_archived(f->s, &beheerder, r, true, &e), 0);
    assert_int_equal(count_audit(f, "org.archive"), 1);
    assert_int_equal(org_set_archived(f->s, &beheerder, r, false, &e), 0);
    assert_int_equal(org_get(f->a, f->s, &beleid, r, &o), 0);
    assert_false(o.archived);
    assert_int_equal(count_audit(f, "org.restore"), 1);
    assert_int_equal(org_set_archived(f->s, &beheerder, 777, true, &e), ERR_NOT_FOUND);

    /* The trail, newest first, names actor, action and object. */
    struct audit_event *ev = NULL;
    int n = 0, total = 0;
    assert_int_equal(audit_list(f->a, f->s, &beheerder, NULL, &ev, &n, &total), 0);
    assert_int_equal(n, 3);
    assert_string_equal(ev[0].action, "org.restore");
    assert_string_equal(ev[1].action, "org.archive");
    assert_string_equal(ev[2].action, "org.create");
    assert_string_equal(ev[2].detail, "kind=region");
    for (int i = 0; i < n; i++) {
        assert_int_equal(ev[i].user_id, beheerder.user_id);
        assert_string_equal(ev[i].object_kind, "organisation");
        assert_int_equal(ev[i].object_id, r);
    }
}

static void test_agb_valid(void **state)
{
    (void)state;
    assert_true(org_agb_valid("12345678"));
    assert_true(org_agb_valid("00000000"));
    assert_false(org_agb_valid(NULL));
    assert_false(org_agb_valid(""));
    assert_false(org_agb_valid("1234567"));
    assert_false(org_agb_valid("123456789"));
    assert_false(org_agb_valid("1234 678"));
    assert_false(org_agb_valid("-1234567"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_each_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_are_dutch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_and_restore, setup, teardown),
        cmocka_unit_test(test_agb_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
