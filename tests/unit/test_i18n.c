/*
 * test_i18n.c: interface language (web/i18n.c). The Accept-Language picker over a table of
 * real, weighted, malformed and oversized headers; i18n_supported; and, with the compiled
 * catalog (DUIDING_LOCALEDIR), that i18n_use() switches gettext per thread between English
 * and the Dutch msgids, including plurals, c-format strings and a LANGUAGE variable that must
 * not win. The catalog part needs an English locale (en_GB.UTF-8, installed by scripts/deps.sh
 * and in CI); without one it is skipped with a message.
 */
#include "web/i18n.h"
#include "core/common.h"
#include "core/period.h"
#include "core/str.h"
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <setjmp.h>
#include <cmocka.h>

static void test_accept_language(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        const char *want; /* NULL: no supported language */
    } cases[] = {
        {"en-GB,en;q=0.8,nl;q=0.5", "en"},
        {"nl-NL", "nl"},
        {"nl", "nl"},
        {"en", "en"},
        {"fr", NULL},
        {"fr-FR,fr;q=0.9", NULL},
        {"fr-FR,fr;q=0.9,en;q=0.3", "en"},
        {"en;q=0, nl", "nl"},
        {"en;q=0.0,nl;q=0.001", "nl"},
        {"en;q=0", NULL},
        {"nl;q=0.5, en;q=0.9", "en"},
        {"en-US;q=0.9, nl-BE;q=0.95", "nl"},
        {"nl, en", "nl"}, /* equal weight: the first one wins */
        {"en;q=0.7,nl;q=0.7", "en"},
        {"EN-gb", "en"}, /* language tags are case-insensitive */
        {"  en  ;  q=0.5 , nl ; q=0.4", "en"},
        {"\ten", "en"},
        {"*", NULL},
        {"*;q=0.5, nl", "nl"},
        {"english, nederlands", NULL}, /* "en" must be a whole subtag */
        {"nlx", NULL},
        {"e", NULL},
        {"", NULL},
        {",,, ,", NULL},
        {";;;", NULL},
        {";q=1", NULL},
        {"en;q=abc", NULL}, /* an unreadable weight counts as 0 */
        {"en;q=2", NULL},   /* out of range */
        {"en;q=-0.5", NULL},
        {"en;q=", "en"},     /* no weight given: default 1 */
        {"en;q=0.5;", NULL}, /* "0.5;" is not a number: weight 0 */
        {"de;q=1, en;q=abc, nl;q=0.1", "nl"},
        {"\xff\xfe\x01garbage;;==,,q=", NULL},
        {"en-", "en"},
        {"nl-\x80", "nl"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *got = i18n_from_accept_language(cases[i].header);
        if (cases[i].want == NULL) {
            if (got)
                fail_msg("case %zu \"%s\": want NULL, got \"%s\"", i, cases[i].header, got);
        } else {
            if (!got || strcmp(got, cases[i].want) != 0)
                fail_msg("case %zu \"%s\": want \"%s\", got \"%s\"", i, cases[i].header,
                         cases[i].want, got ? got : "(null)");
        }
    }
    assert_null(i18n_from_accept_language(NULL));
}

/* Headers far beyond anything a browser sends: linear work, no overflow, still answers. */
static void test_accept_language_long(void **state)
{
    (void)state;
    enum { N = 1 << 20 };
    char *h = malloc(N + 1);
    assert_non_null(h);

    /* One huge tag that starts with "en-". */
    memcpy(h, "en-", 3);
    memset(h + 3, 'x', N - 3);
    h[N] = '\0';
    assert_string_equal(i18n_from_accept_language(h), "en");

    /* Many unsupported entries, then Dutch at the very end. */
    size_t n = 0;
    while (n + 16 < N) {
        memcpy(h + n, "fr;q=0.9, ", 10);
        n += 10;
    }
    memcpy(h + n, "nl;q=0.1", 9);
    assert_string_equal(i18n_from_accept_language(h), "nl");

    /* Only separators and junk. */
    memset(h, ',', N);
    h[N] = '\0';
    assert_null(i18n_from_accept_language(h));
    memset(h, ';', N);
    assert_null(i18n_from_accept_language(h));
    free(h);
}

static void test_supported(void **state)
{
    (void)state;
    assert_true(i18n_supported("nl"));
    assert_true(i18n_supported("en"));
    assert_false(i18n_supported(NULL));
    assert_false(i18n_supported(""));
    assert_false(i18n_supported("EN"));
    assert_false(i18n_supported("en-GB"));
    assert_false(i18n_supported("fr"));
    assert_false(i18n_supported("nl "));
}

/* --- Catalog: only with an English locale (i18n.c tries the same names). --- */

static bool have_en_locale(void)
{
    static const char *const names[] = {"en_GB.UTF-8", "en_GB.utf8", "en_US.UTF-8", "en_US.utf8"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        locale_t l = newlocale(LC_ALL_MASK, names[i], (locale_t)0);
        if (l) {
            freelocale(l);
            return true;
        }
    }
    return false;
}

static bool catalog_ready;

static int setup_catalog(void **state)
{
    (void)state;
    /* i18n_init must remove LANGUAGE, or it would override the per-thread choice. */
    setenv("LANGUAGE", "nl", 1);
    i18n_init(DUIDING_LOCALEDIR);
    catalog_ready = have_en_locale();
    return 0;
}

static int teardown_catalog(void **state)
{
    (void)state;
    i18n_use("nl");
    return 0;
}

static void require_catalog(void)
{
    if (!catalog_ready) {
        print_message("[  SKIP    ] no English locale (en_GB.UTF-8) installed; the catalog "
                      "checks need one. Run scripts/deps.sh or locale-gen en_GB.UTF-8 "
                      "(CI installs it).\n");
        skip();
    }
    struct stat st;
    const char *mo = DUIDING_LOCALEDIR "/en/LC_MESSAGES/duiding.mo";
    if (stat(mo, &st) != 0)
        fail_msg("%s is missing: build the 'translations' target (part of the default build) "
                 "before running the tests",
                 mo);
}

static void test_gettext_switch(void **state)
{
    (void)state;
    require_catalog();
    assert_null(getenv("LANGUAGE"));

    i18n_use("en");
    assert_string_equal(gettext("Inloggen"), "Log in");
    assert_string_equal(gettext("Maatschappelijke resultaten"), "Societal results");
    assert_string_equal(gettext("Gemeente"), "Municipality");
    i18n_use("nl");
    assert_string_equal(gettext("Inloggen"), "Inloggen");
    assert_string_equal(gettext("Gemeente"), "Gemeente");
    /* Back and forth: glibc caches lookups, the cache must respect the thread's locale. */
    i18n_use("en");
    assert_string_equal(gettext("Inloggen"), "Log in");
    i18n_use("nl");
    assert_string_equal(gettext("Inloggen"), "Inloggen");

    /* Unknown or missing language codes mean Dutch. */
    i18n_use("en");
    i18n_use("fr");
    assert_string_equal(gettext("Inloggen"), "Inloggen");
    i18n_use("en");
    i18n_use(NULL);
    assert_string_equal(gettext("Inloggen"), "Inloggen");

    /* A msgid without a translation comes back unchanged in English too. */
    i18n_use("en");
    assert_string_equal(gettext("duiding-test: geen vertaling"), "duiding-test: geen vertaling");
    i18n_use("nl");
}

static void test_plurals_and_formats(void **state)
{
    (void)state;
    require_catalog();
    i18n_use("en");
    assert_string_equal(ngettext("%d resultaat gevonden.", "%d resultaten gevonden.", 1),
                        "%d result found.");
    assert_string_equal(ngettext("%d resultaat gevonden.", "%d resultaten gevonden.", 2),
                        "%d results found.");
    assert_string_equal(ngettext("%d resultaat gevonden.", "%d resultaten gevonden.", 0),
                        "%d results found.");

    char label[PERIOD_LABEL_MAX];
    struct period p;
    assert_int_equal(period_parse(STR_LIT("2024-Q3"), &p), 0);
    period_label(p, label, sizeof label);
    assert_string_equal(label, "Q3 2024");
    assert_int_equal(period_parse(STR_LIT("2024-03"), &p), 0);
    period_label(p, label, sizeof label);
    assert_string_equal(label, "March 2024");

    i18n_use("nl");
    assert_string_equal(ngettext("%d resultaat gevonden.", "%d resultaten gevonden.", 1),
                        "%d resultaat gevonden.");
    assert_string_equal(ngettext("%d resultaat gevonden.", "%d resultaten gevonden.", 2),
                        "%d resultaten gevonden.");
    assert_int_equal(period_parse(STR_LIT("2024-Q3"), &p), 0);
    period_label(p, label, sizeof label);
    assert_string_equal(label, "3e kwartaal 2024");
}

/* Two threads at once, one English and one Dutch: the choice is per thread, not global. */
struct lang_thread {
    const char *lang;
    const char *want;
    int bad;
};

static void *lang_worker(void *arg)
{
    struct lang_thread *t = arg;
    i18n_use(t->lang);
    for (int i = 0; i < 2000; i++) {
        if (strcmp(gettext("Inloggen"), t->want) != 0)
            t->bad++;
    }
    return NULL;
}

static void test_per_thread(void **state)
{
    (void)state;
    require_catalog();
    struct lang_thread a = {"en", "Log in", 0}, b = {"nl", "Inloggen", 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, lang_worker, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, lang_worker, &b), 0);
    i18n_use("en");
    for (int i = 0; i < 2000; i++)
        assert_string_equal(gettext("Inloggen"), "Log in");
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.bad, 0);
    assert_int_equal(b.bad, 0);
    i18n_use("nl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_language),     cmocka_unit_test(test_accept_language_long),
        cmocka_unit_test(test_supported),           cmocka_unit_test(test_gettext_switch),
        cmocka_unit_test(test_plurals_and_formats), cmocka_unit_test(test_per_thread),
    };
    return cmocka_run_group_tests(tests, setup_catalog, teardown_catalog);
}
