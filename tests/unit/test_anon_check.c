/*
 * test_anon_check.c: the anonymisation check (domain/anon_check.c): each kind on real-looking
 * Dutch text, the things it must not report (years, amounts, sentence starts, place names,
 * acronyms), the elfproef mark, overlap handling, limits and hostile bytes.
 */
#include "domain/anon_check.h"
#include "core/common.h"
#include "core/err.h"
#include <setjmp.h>
#include <cmocka.h>

static struct arena *A;

static int setup(void **st)
{
    (void)st;
    A = arena_new(0);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    arena_free(A);
    return 0;
}

static struct anon_report check(const char *text, unsigned which)
{
    struct anon_report r;
    assert_int_equal(anon_check(text, strlen(text), which, A, &r), 0);
    return r;
}

/* Asserts exactly one finding of kind with excerpt want. */
static void one(const char *text, unsigned which, enum anon_kind kind, const char *want)
{
    struct anon_report r = check(text, which);
    if (r.nfindings != 1)
        fail_msg("%s: %zu findings", text, r.nfindings);
    assert_int_equal(r.findings[0].kind, kind);
    assert_string_equal(r.findings[0].excerpt, want);
    assert_int_equal(r.kinds, (unsigned)kind);
}

static void none(const char *text, unsigned which)
{
    struct anon_report r = check(text, which);
    if (r.nfindings != 0)
        fail_msg("%s: unexpected %s \"%s\"", text, anon_kind_code(r.findings[0].kind),
                 r.findings[0].excerpt);
}

static void test_bsn(void **st)
{
    (void)st;
    /* 111222333 passes the elfproef (the classic test number); 123456789 does not. */
    struct anon_report r = check("Zijn BSN is 111222333, staat in het dossier.", ANON_ALL_KINDS);
    assert_int_equal(r.nfindings, 1);
    assert_int_equal(r.findings[0].kind, ANON_BSN_LIKE);
    assert_true(r.findings[0].elfproef);
    assert_int_equal(r.findings[0].offset, 12);
    assert_int_equal(r.findings[0].len, 9);
    r = check("nummer 123456789", ANON_BSN_LIKE);
    assert_int_equal(r.nfindings, 1);
    assert_false(r.findings[0].elfproef);
    one("bsn 123 45 678 genoemd", ANON_BSN_LIKE, ANON_BSN_LIKE, "123 45 678");
    one("bsn 1234.56.789 genoemd", ANON_BSN_LIKE, ANON_BSN_LIKE, "1234.56.789");
    one("bsn 111.222.333.", ANON_BSN_LIKE, ANON_BSN_LIKE, "111.222.333");
    one("(123-45-67-89)", ANON_BSN_LIKE, ANON_BSN_LIKE, "123-45-67-89");
    /* Not nine digits, mixed separators, part of longer numbers or words. */
    none("In 2023 kregen 1250 inwoners hulp; budget 12345678 euro.", ANON_BSN_LIKE);
    none("IBAN NL91ABNA0417164300 en 1234567890", ANON_BSN_LIKE);
    none("123 45.678", ANON_BSN_LIKE);
    none("code A123456789", ANON_BSN_LIKE);
}

static void test_phone(void **st)
{
    (void)st;
    one("Bel me op 06-12345678 als het kan.", ANON_ALL_KINDS, ANON_PHONE, "06-12345678");
    one("Bel 0612345678.", ANON_ALL_KINDS, ANON_PHONE, "0612345678");
    one("tel. 010 123 4567", ANON_ALL_KINDS, ANON_PHONE, "010 123 4567");
    one("tel. (0591) 12 34 56", ANON_ALL_KINDS, ANON_PHONE, "(0591) 12 34 56");
    one("via +31 6 12345678 bereikbaar", ANON_ALL_KINDS, ANON_PHONE, "+31 6 12345678");
    one("via +31 (0)6 1234 5678 bereikbaar", ANON_ALL_KINDS, ANON_PHONE, "+31 (0)6 1234 5678");
    one("via 0031612345678 bereikbaar", ANON_ALL_KINDS, ANON_PHONE, "0031612345678");
    one("via +31612345678", ANON_PHONE, ANON_PHONE, "+31612345678");
    /* Too short, too long, a leading 00 that is not 0031, a date. */
    none("06-1234567 of 06-123456789", ANON_PHONE);
    none("0049 301234567", ANON_PHONE);
    none("op 01-02-2011", ANON_PHONE);
    none("+32 2 123 45 67", ANON_PHONE);
}

static void test_email(void **st)
{
    (void)st;
    one("Mail naar j.de-vries+zorg@voorbeeld.nl.", ANON_ALL_KINDS, ANON_EMAIL,
        "j.de-vries+zorg@voorbeeld.nl");
    one("x@sub.domein.org", ANON_EMAIL, ANON_EMAIL, "x@sub.domein.org");
    none("volg @duiding of mail@localhost of a@b.c of @ en @@", ANON_EMAIL);
}

static void test_dates(void **st)
{
    (void)st;
    one("geboren op 12-03-2011 in het ziekenhuis", ANON_ALL_KINDS, ANON_BIRTH_DATE, "12-03-2011");
    one("geboren op 3/7/09", ANON_BIRTH_DATE, ANON_BIRTH_DATE, "3/7/09");
    one("geboren 2011-03-12", ANON_BIRTH_DATE, ANON_BIRTH_DATE, "2011-03-12");
    one("geboren op 12 maart 2011", ANON_ALL_KINDS, ANON_BIRTH_DATE, "12 maart 2011");
    one("geboren op 1 MRT. 1999", ANON_BIRTH_DATE, ANON_BIRTH_DATE, "1 MRT. 1999");
    one("geboren op 12.03.2011", ANON_BIRTH_DATE, ANON_BIRTH_DATE, "12.03.2011");
    none("31-02-2011, 12-13-2011, 12 maart, maart 2011, versie 1.2.3, 12.03.11", ANON_BIRTH_DATE);
    none("in 2011 en 12 maarten 2011", ANON_BIRTH_DATE);
}

static void test_postcode(void **st)
{
    (void)st;
    one("woont in 7811 AB nu", ANON_ALL_KINDS, ANON_POSTCODE, "7811 AB");
    one("woont in 7811AB nu", ANON_POSTCODE, ANON_POSTCODE, "7811AB");
    none("0811 AB, 7811 SA, 7811 ab, 7811 ABC, 78111 AB, 2024 was", ANON_POSTCODE);
}

static void test_names(void **st)
{
    (void)st;
    one("Gisteren sprak ik met Jansen over de hulp.", ANON_NAME, ANON_NAME, "Jansen");
    one("De hulp van mevr. Bakker was fijn.", ANON_NAME, ANON_NAME, "Bakker");
    one("Zoals J. Visser zei: het helpt.", ANON_NAME, ANON_NAME, "Visser");
    one("Daan ging weer naar school.", ANON_NAME, ANON_NAME, "Daan");
    one("Ze kreeg hulp van Özdemir.", ANON_NAME, ANON_NAME, "Özdemir");
    /* Sentence starts, place and organisation words, acronyms, quotes. */
    none("De wachttijd in Emmen en Coevorden was lang. Het wijkteam van de Gemeente hielp.",
         ANON_NAME);
    none("Sinds de Jeugdwet en de Wmo doet de GGD meer. \"Fijn dat het kon.\" Daarna: Goed!",
         ANON_NAME);
    none("Wat zei de moeder? Ze zei dat de hulp van Veilig Thuis in Drenthe hielp.", ANON_NAME);
    none("Tijdens de lockdown in maart kwam de Voedselbank langs.\nNieuwe regel begint hier.",
         ANON_NAME);
    /* A quotation starts a sentence of its own; a closing mark does not. */
    none("Ze zegt \"Dat hielp echt.\" En ze zei \xe2\x80\x9cGoed zo\xe2\x80\x9d of "
         "\xc2\xabPrima\xc2\xbb.",
         ANON_NAME);
    one("Het was \xe2\x80\x9d"
        "fijn\xe2\x80\x9d zei Visser.",
        ANON_NAME, ANON_NAME, "Visser");
}

static void test_several_and_overlap(void **st)
{
    (void)st;
    const char *t = "Kees (06-12345678, kees@example.nl) woont op 9401 AB; BSN 111222333.";
    struct anon_report r = check(t, ANON_ALL_KINDS);
    assert_int_equal(r.nfindings, 5);
    assert_int_equal(r.ntotal, 5);
    assert_int_equal(r.findings[0].kind, ANON_NAME);
    assert_int_equal(r.findings[1].kind, ANON_PHONE);
    assert_int_equal(r.findings[2].kind, ANON_EMAIL);
    assert_int_equal(r.findings[3].kind, ANON_POSTCODE);
    assert_int_equal(r.findings[4].kind, ANON_BSN_LIKE);
    for (size_t k = 1; k < r.nfindings; k++)
        assert_true(r.findings[k].offset >= r.findings[k - 1].offset + r.findings[k - 1].len);
    /* The survey kinds only: no name, no postcode. */
    r = check(t, ANON_SURVEY_KINDS);
    assert_int_equal(r.kinds, ANON_PHONE | ANON_EMAIL | ANON_BSN_LIKE);
    /* A phone number written +31 is one finding, not also a BSN. */
    r = check("0031 612345678", ANON_ALL_KINDS);
    assert_int_equal(r.nfindings, 1);
    assert_int_equal(r.findings[0].kind, ANON_PHONE);
}

static void test_limits_and_hostile(void **st)
{
    (void)st;
    struct anon_report r;
    static char big[ANON_MAX_TEXT + 2];
    memset(big, 'a', sizeof big);
    assert_int_equal(anon_check(big, ANON_MAX_TEXT + 1, ANON_ALL_KINDS, A, &r), ERR_TOO_BIG);
    assert_int_equal(anon_check("", 0, ANON_ALL_KINDS, A, &r), 0);
    assert_int_equal(r.nfindings, 0);
    /* Many findings: listed up to the maximum, all counted. */
    char *many = arena_alloc(A, ANON_MAX_TEXT);
    size_t n = 0;
    int count = 0;
    while (n + 12 < ANON_MAX_TEXT) {
        memcpy(many + n, "0612345678; ", 12);
        n += 12;
        count++;
    }
    assert_int_equal(anon_check(many, n, ANON_ALL_KINDS, A, &r), 0);
    assert_int_equal(r.nfindings, ANON_MAX_FINDINGS);
    assert_int_equal(r.ntotal, (size_t)count);
    /* Invalid UTF-8, NUL bytes and truncated sequences at the end never read past len. */
    const char bad[] = "\xC3\x28 06-12345678 \xFF\xFE\0 Jansen \xC3";
    assert_int_equal(anon_check(bad, sizeof bad - 1, ANON_ALL_KINDS, A, &r), 0);
    assert_true(r.kinds & ANON_PHONE);
    /* Text ending in the middle of a pattern. */
    const char *cuts[] = {"06-", "+3", "0031", "12 maart", "12 maart 20", "7811 A", "a@b.", "(0"};
    for (size_t k = 0; k < ARRAY_LEN(cuts); k++)
        assert_int_equal(anon_check(cuts[k], strlen(cuts[k]), ANON_ALL_KINDS, A, &r), 0);
    assert_string_equal(anon_kind_code(ANON_PHONE), "telefoon");
    assert_string_equal(anon_kind_label(ANON_BSN_LIKE), "mogelijk BSN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bsn),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_postcode),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_several_and_overlap),
        cmocka_unit_test(test_limits_and_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
