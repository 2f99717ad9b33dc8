/*
 * test_cbs.c: the embedded CBS municipality list (domain/cbs.c): lookups by both code forms,
 * the count of the 2023 list, sorting by name and UTF-8 names; the 2022/2023 herindelingen
 * (old codes to the current gemeente), checked against the CBS 2021 and 2023 files
 * themselves; lookups by name in either year.
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

/* ---- Herindelingen. ---------------------------------------------------------------------- */

#define CBS_DIR TEST_SHARED_DIR "/external/cbs/gemeentelijke-indeling/"

static void test_mergers(void **state)
{
    (void)state;
    static const struct {
        const char *old_code, *old_name, *new_code, *new_name;
    } cases[] = {
        {"0370", "Beemster", "GM0439", "Purmerend"},
        {"0398", "Heerhugowaard", "GM1980", "Dijk en Waard"},
        {"0416", "Langedijk", "GM1980", "Dijk en Waard"},
        {"0457", "Weesp", "GM0363", "Amsterdam"},
        {"0756", "Boxmeer", "GM1982", "Land van Cuijk"},
        {"0786", "Grave", "GM1982", "Land van Cuijk"},
        {"0815", "Mill en Sint Hubert", "GM1982", "Land van Cuijk"},
        {"1684", "Cuijk", "GM1982", "Land van Cuijk"},
        {"1702", "Sint Anthonis", "GM1982", "Land van Cuijk"},
        {"0856", "Uden", "GM1991", "Maashorst"},
        {"1685", "Landerd", "GM1991", "Maashorst"},
        {"0501", "Brielle", "GM1992", "Voorne aan Zee"},
        {"0530", "Hellevoetsluis", "GM1992", "Voorne aan Zee"},
        {"0614", "Westvoorne", "GM1992", "Voorne aan Zee"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char gm[8], bare[5];
        snprintf(gm, sizeof gm, "GM%s", cases[i].old_code);
        /* "370" for "0370": leading zeros dropped, as spreadsheets do. */
        const char *p = cases[i].old_code;
        while (*p == '0')
            p++;
        snprintf(bare, sizeof bare, "%s", p);
        const char *forms[] = {gm, cases[i].old_code, bare};
        for (size_t f = 0; f < ARRAY_LEN(forms); f++) {
            const struct cbs_gemeente *g = cbs_current(forms[f]);
            if (!g || strcmp(g->code, cases[i].new_code) != 0)
                fail_msg("%s: got %s, want %s", forms[f], g ? g->code : "NULL", cases[i].new_code);
            assert_string_equal(g->name, cases[i].new_name);
            assert_true(cbs_was_merged(forms[f]));
        }
        assert_null(cbs_find(cases[i].old_code)); /* not a current gemeente */
        const struct cbs_gemeente *g = cbs_find_by_name(cases[i].old_name, 2021);
        if (!g || strcmp(g->code, cases[i].new_code) != 0)
            fail_msg("name %s (2021): got %s", cases[i].old_name, g ? g->code : "NULL");
        assert_null(cbs_find_by_name(cases[i].old_name, 2023));
        assert_non_null(cbs_find_by_name(cases[i].new_name, 2023));
    }
    /* Unchanged and successor codes are current, not merged. */
    static const char *const current[] = {"GM0439", "0363", "GM1980", "1982",  "1991",
                                          "1992",   "0114", "114",    "gm0114"};
    for (size_t i = 0; i < ARRAY_LEN(current); i++) {
        const struct cbs_gemeente *g = cbs_current(current[i]);
        assert_non_null(g);
        assert_false(cbs_was_merged(current[i]));
    }
    assert_string_equal(cbs_current("114")->name, "Emmen");
    static const char *const bad[] = {"",    "GM",    "9999",  "GM9999", "12345", "GM12345",
                                      "37a", " 0370", "0370 ", "-370",   "PV27",  "GM-370"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        if (cbs_current(bad[i]))
            fail_msg("'%s' should be unknown", bad[i]);
        assert_false(cbs_was_merged(bad[i]));
    }
    assert_null(cbs_current(NULL));
    assert_false(cbs_was_merged(NULL));
}

/* Reads "code,GMcode,name,..." lines of a CBS file; returns the number of records. */
static size_t read_cbs_file(const char *path, char codes[][5], char names[][64], size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[256];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\r' || line[0] == '\n')
            continue;
        assert_true(n < max);
        memcpy(codes[n], line, 4);
        codes[n][4] = '\0';
        const char *name = line + 12; /* after "0370,GM0370," */
        size_t len = 0;
        if (*name == '"') {
            name++;
            while (name[len] && name[len] != '"')
                len++;
        } else {
            while (name[len] && name[len] != ',')
                len++;
        }
        assert_true(len < 64);
        memcpy(names[n], name, len);
        names[n][len] = '\0';
        n++;
    }
    fclose(f);
    return n;
}

static void test_every_2021_gemeente_lands(void **state)
{
    (void)state;
    static char c21[400][5], n21[400][64], c23[400][5], n23[400][64];
    size_t k21 = read_cbs_file(CBS_DIR "gemeenten-alfabetisch-2021.csv", c21, n21, 400);
    size_t k23 = read_cbs_file(CBS_DIR "gemeenten-alfabetisch-2023.csv", c23, n23, 400);
    assert_int_equal(k21, 352);
    assert_int_equal(k23, 342);
    size_t merged = 0;
    for (size_t i = 0; i < k21; i++) {
        const struct cbs_gemeente *g = cbs_current(c21[i]);
        if (!g)
            fail_msg("2021 gemeente %s %s has no current gemeente", c21[i], n21[i]);
        const struct cbs_gemeente *by_name = cbs_find_by_name(n21[i], 2021);
        if (by_name != g)
            fail_msg("2021 name %s: %s, by code %s", n21[i], by_name ? by_name->code : "NULL",
                     g->code);
        bool still = false;
        for (size_t j = 0; j < k23; j++)
            still = still || strcmp(c23[j], c21[i]) == 0;
        assert_int_equal(cbs_was_merged(c21[i]), !still);
        if (still)
            assert_string_equal(g->code + 2, c21[i]); /* unchanged code: itself */
        merged += !still;
    }
    assert_int_equal(merged, 14);
    for (size_t j = 0; j < k23; j++) {
        const struct cbs_gemeente *g = cbs_find_by_name(n23[j], 2023);
        if (!g || strcmp(g->code + 2, c23[j]) != 0)
            fail_msg("2023 name %s: %s", n23[j], g ? g->code : "NULL");
    }
}

static void test_find_by_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int year;
        const char *code; /* NULL: not found */
    } cases[] = {
        {"'s-Gravenhage", 2023, "GM0518"},
        {"s-gravenhage", 2023, "GM0518"},
        {"\xE2\x80\x99s-Gravenhage", 2021, "GM0518"}, /* typographic apostrophe */
        {"S GRAVENHAGE", 2021, "GM0518"},
        {"Den Haag", 2023, "GM0518"},
        {"den bosch", 2021, "GM0796"},
        {"'s-Hertogenbosch", 2023, "GM0796"},
        {"  Emmen ", 2023, "GM0114"},
        {"EMMEN", 2021, "GM0114"},
        {"Bergen (NH.)", 2023, "GM0373"},
        {"bergen nh", 2023, "GM0373"},
        {"Bergen (L.)", 2021, "GM0893"},
        {"Bergen", 2023, NULL}, /* ambiguous: not guessed */
        {"Súdwest-Fryslân", 2023, "GM1900"},
        {"sudwest fryslan", 2023, NULL}, /* letters with accents are not folded */
        {"Nuenen, Gerwen en Nederwetten", 2023, "GM0820"},
        {"Dijk en Waard", 2021, NULL},
        {"Emmen", 2022, NULL},
        {"Emmen", 0, NULL},
        {"", 2023, NULL},
        {"'-. ", 2023, NULL},
        {"Amsterdamm", 2023, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct cbs_gemeente *g = cbs_find_by_name(cases[i].name, cases[i].year);
        if (!cases[i].code != !g || (g && strcmp(g->code, cases[i].code) != 0))
            fail_msg("case %zu '%s' %d: got %s, want %s", i, cases[i].name, cases[i].year,
                     g ? g->code : "NULL", cases[i].code ? cases[i].code : "NULL");
    }
    assert_null(cbs_find_by_name(NULL, 2023));
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_null(cbs_find_by_name(long_name, 2023));
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
        cmocka_unit_test(test_mergers),
        cmocka_unit_test(test_every_2021_gemeente_lands),
        cmocka_unit_test(test_find_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
