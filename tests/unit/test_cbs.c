/*
 * test_cbs.c: the embedded CBS municipality list (domain/cbs.c): lookups by both code forms,
 * the count of the 2023 list, sorting by name and UTF-8 names.
 */
#include "domain/cbs.h"
#include "core/common.h"
#include "core/utf8.h"
#include <pthread.h>
#include <setjmp.h>
#include <strings.h>
#include <cmocka.h>

static void test_load_and_count(void **state)
{
    (void)state;
    assert_int_equal(cbs_load(), 0);
    assert_int_equal(cbs_load(), 0); /* idempotent */
    size_t n = 0;
    const struct cbs_gemeente *all = cbs_gemeenten(&n);
    assert_non_null(all);
    assert_int_equal(n, 342);
}

static void test_find_both_forms(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        const char *want_code; /* NULL: not found */
        const char *want_name;
        const char *want_province;
    } cases[] = {
        {"GM0114", "GM0114", "Emmen", "Drenthe"},
        {"0114", "GM0114", "Emmen", "Drenthe"},
        {"gm0114", "GM0114", "Emmen", "Drenthe"},
        {"GM0080", "GM0080", "Leeuwarden", "Fryslân"},
        {"0820", "GM0820", "Nuenen, Gerwen en Nederwetten", "Noord-Brabant"}, /* quoted field */
        {"GM0518", "GM0518", "'s-Gravenhage", "Zuid-Holland"},
        {"GM1900", "GM1900", "Súdwest-Fryslân", "Fryslân"},
        {"GM9999", NULL, NULL, NULL},
        {"9999", NULL, NULL, NULL},
        {"114", NULL, NULL, NULL},
        {"GM114", NULL, NULL, NULL},
        {"GM01145", NULL, NULL, NULL},
        {"PV22", NULL, NULL, NULL},
        {"", NULL, NULL, NULL},
        {"GM01a4", NULL, NULL, NULL},
        {" 0114", NULL, NULL, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct cbs_gemeente *g = cbs_find(cases[i].code);
        if (!cases[i].want_code) {
            if (g)
                fail_msg("case %zu (%s): expected not found, got %s", i, cases[i].code, g->code);
            continue;
        }
        if (!g)
            fail_msg("case %zu (%s): not found", i, cases[i].code);
        assert_string_equal(g->code, cases[i].want_code);
        assert_string_equal(g->name, cases[i].want_name);
        assert_string_equal(g->province, cases[i].want_province);
    }
    assert_null(cbs_find(NULL));
}

static const char *key(const char *n)
{
    return (n[0] == '\'' && (n[2] == '-' || n[2] == ' ')) ? n + 3 : n;
}

static void test_sorted_by_name(void **state)
{
    (void)state;
    size_t n = 0;
    const struct cbs_gemeente *all = cbs_gemeenten(&n);
    assert_string_equal(all[0].name, "Aa en Hunze");
    for (size_t i = 1; i < n; i++) {
        if (strcasecmp(key(all[i - 1].name), key(all[i].name)) > 0)
            fail_msg("not sorted at %zu: %s > %s", i, all[i - 1].name, all[i].name);
        assert_true(utf8_valid(all[i].name, strlen(all[i].name), NULL));
        assert_int_equal(strlen(all[i].code), 6);
    }
    /* 's-Gravenhage is filed under G, as in Dutch lists, not before "Aa en Hunze". */
    size_t pos_haag = n, pos_goes = n, pos_groningen = n;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].name, "'s-Gravenhage") == 0)
            pos_haag = i;
        if (strcmp(all[i].name, "Goes") == 0)
            pos_goes = i;
        if (strcmp(all[i].name, "Groningen") == 0)
            pos_groningen = i;
    }
    assert_true(pos_goes < pos_haag);
    assert_true(pos_haag < pos_groningen);
    /* Lookup pointers point into the sorted table. */
    const struct cbs_gemeente *e = cbs_find("0114");
    assert_true(e >= all && e < all + n);
}

static void *find_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++)
        if (!cbs_find("GM0114"))
            return (void *)1;
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, find_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r = (void *)1;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads), /* first, so the threads race the one-time load */
        cmocka_unit_test(test_load_and_count),
        cmocka_unit_test(test_find_both_forms),
        cmocka_unit_test(test_sorted_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
