/*
 * test_role.c: role and organisation kind codes (domain/role.c): every code round-trips
 * through its parser, labels are the Dutch msgids, unknown input is refused.
 */
#include "domain/role.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>

static void test_roles(void **state)
{
    (void)state;
    static const struct {
        enum role role;
        const char *code, *label;
    } want[] = {
        {ROLE_BEHEERDER, "beheerder", "Beheerder"},
        {ROLE_BELEID, "beleid", "Beleidsadviseur"},
        {ROLE_CONTRACT, "contract", "Contractmanager"},
        {ROLE_KWALITEIT, "kwaliteit", "Kwaliteitsmedewerker"},
        {ROLE_PROFESSIONAL, "professional", "Professional"},
        {ROLE_TOEZICHT, "toezicht", "Toezichthouder"},
        {ROLE_RAAD, "raad", "Raadslid"},
        {ROLE_BACKOFFICE, "backoffice", "Backofficemedewerker"},
    };
    uint32_t all = 0;
    assert_int_equal(ARRAY_LEN(want), ROLE_COUNT);
    for (int i = 0; i < ROLE_COUNT; i++) {
        enum role r = role_at(i);
        assert_int_equal(r, want[i].role);
        assert_string_equal(role_code(r), want[i].code);
        assert_string_equal(role_label(r), want[i].label); /* no catalogue loaded: msgid */
        enum role parsed = 0;
        assert_int_equal(role_parse(str_from(want[i].code), &parsed), 0);
        assert_int_equal(parsed, r);
        all |= (uint32_t)r;
    }
    assert_int_equal(all, ROLE_ALL);
    assert_int_equal(role_at(-1), 0);
    assert_int_equal(role_at(ROLE_COUNT), 0);
    assert_string_equal(role_code((enum role)(1 << 9)), "unknown");

    enum role untouched = ROLE_RAAD;
    static const char *bad[] = {"", "Beheerder", "admin", "beheerder ", "beleidx", "raa"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        assert_int_equal(role_parse(str_from(bad[i]), &untouched), ERR_INVALID);
        assert_int_equal(untouched, ROLE_RAAD);
    }
}

static void test_org_kinds(void **state)
{
    (void)state;
    static const struct {
        enum org_kind kind;
        const char *code, *label;
    } want[] = {
        {ORG_REGION, "region", "Regio"},
        {ORG_GEMEENTE, "gemeente", "Gemeente"},
        {ORG_AANBIEDER, "aanbieder", "Aanbieder"},
        {ORG_TOEZICHTHOUDER, "toezichthouder", "Toezichthouder"},
        {ORG_TOEGANG, "toegang", "Toegangsteam"},
    };
    assert_int_equal(ARRAY_LEN(want), ORG_KIND_MAX - ORG_KIND_MIN + 1);
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        assert_string_equal(org_kind_code(want[i].kind), want[i].code);
        assert_string_equal(org_kind_label(want[i].kind), want[i].label);
        enum org_kind k = 0;
        assert_int_equal(org_kind_parse(str_from(want[i].code), &k), 0);
        assert_int_equal(k, want[i].kind);
    }
    enum org_kind k = ORG_REGION;
    assert_int_equal(org_kind_parse(STR_LIT("Gemeente"), &k), ERR_INVALID);
    assert_int_equal(org_kind_parse(STR_LIT("gemeenten"), &k), ERR_INVALID);
    assert_int_equal(org_kind_parse(STR_NULL, &k), ERR_INVALID);
    assert_int_equal(k, ORG_REGION);
    assert_string_equal(org_kind_code((enum org_kind)0), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_org_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
