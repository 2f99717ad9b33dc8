/*
 * test_outcome_drift.c: the activity-drift heuristic (domain/outcome_drift.c) on notes as they
 * are written in quality conversations: activity and effort talk gets the hint, outcome talk
 * does not, mixed notes only when activities dominate, and hostile input is handled.
 */
#include "domain/outcome_drift.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

/* Notes that talk about activities, hours and output: the hint is shown. */
static const char *const drifting[] = {
    "We hebben dit kwartaal 14 trainingen gegeven aan de jeugdprofessionals en 6 bijeenkomsten "
    "georganiseerd met de scholen. Daarnaast is er 230 uur ingezet op huisbezoeken.",
    "Het team heeft 3 workshops verzorgd, er is een nieuwe folder gemaakt en we zijn gestart "
    "met een tweede wijkteam. De formatie is uitgebreid met 1,5 fte.",
    "Aantal gesprekken gevoerd: 412. Huisbezoeken: 96. Deelnemers aan de cursus: 38. Wij hebben "
    "de planning voor volgend jaar al rond en de roosters zijn gemaakt.",
    "IN TOTAAL 40 SESSIES EN 12 BIJEENKOMSTEN GEORGANISEERD; DE CASELOAD PER MEDEWERKER IS 18.",
};

/* Notes about results, effects and experiences: no hint. */
static const char *const on_outcomes[] = {
    "We herkennen de daling van het percentage jongeren dat uitvalt op school. Ouders zeggen dat "
    "ze sneller hulp krijgen; het effect is vooral zichtbaar in Emmen-Zuid.",
    "Het resultaat valt tegen: minder cliënten ervaren dat ze zelfstandig verder kunnen. Het "
    "verschil met vorig jaar komt volgens ons door de instroom van zwaardere vragen.",
    "Cliënten zeggen dat ze zich veiliger voelen thuis. De herhaalde meldingen zijn afgenomen en "
    "de doelrealisatie is gestegen naar 71%.",
    /* Mixed, but mostly outcomes: no hint. */
    "We hebben 2 trainingen gegeven. Het effect: de uitstroom naar lichtere hulp is toegenomen "
    "en inwoners zeggen dat ze meer regie ervaren. Het resultaat is dat de terugval daalde.",
};

static void test_drifting_notes(void **state)
{
    (void)state;
    for (size_t k = 0; k < ARRAY_LEN(drifting); k++) {
        struct drift_result r;
        const char *hint = outcome_drift_check(drifting[k], &r);
        if (!hint)
            fail_msg("no hint for note %zu (activity %d, outcome %d)", k, r.activity_hits,
                     r.outcome_hits);
        assert_true(r.drift);
        assert_true(r.activity_hits >= 2);
        assert_non_null(strstr(hint, "resultaten"));
    }
}

static void test_outcome_notes(void **state)
{
    (void)state;
    for (size_t k = 0; k < ARRAY_LEN(on_outcomes); k++) {
        struct drift_result r;
        const char *hint = outcome_drift_check(on_outcomes[k], &r);
        if (hint)
            fail_msg("hint for note %zu (activity %d, outcome %d)", k, r.activity_hits,
                     r.outcome_hits);
        assert_false(r.drift);
        assert_true(r.outcome_hits >= 1);
    }
}

static void test_counts_and_boundaries(void **state)
{
    (void)state;
    struct drift_result r;
    /* Word starts only: "bijeenkomst" inside another word is not counted. */
    outcome_drift_check("De cijfers over deze periode zijn besproken, zonder verdere punten of "
                        "opmerkingen van de deelnemende partijen hier.",
                        &r);
    assert_int_equal(r.activity_hits, 0);
    /* Numbers with a unit of effort count; a number alone does not. */
    outcome_drift_check("In 2025 waren er 12 uur aan extra inzet en 4 keer overleg met de wijk, "
                        "en verder is er niets bijzonders gebeurd in de periode.",
                        &r);
    assert_int_equal(r.activity_hits, 2);
    /* Too short to judge. */
    assert_null(outcome_drift_check("14 trainingen, 6 bijeenkomsten.", &r));
    assert_false(r.drift);
}

static void test_hostile(void **state)
{
    (void)state;
    assert_null(outcome_drift_check(NULL, NULL));
    assert_null(outcome_drift_check("", NULL));
    /* Very long input: only the first DRIFT_MAX_TEXT bytes are examined, no crash. */
    size_t n = DRIFT_MAX_TEXT * 2;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = "training "[i % 9];
    big[n] = '\0';
    struct drift_result r;
    assert_non_null(outcome_drift_check(big, &r));
    assert_true(r.activity_hits <= (int)(DRIFT_MAX_TEXT / 9 + 1));
    /* Invalid UTF-8 and control bytes are just bytes here. */
    memset(big, 0xff, 200);
    big[200] = '\0';
    assert_null(outcome_drift_check(big, &r));
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drifting_notes),
        cmocka_unit_test(test_outcome_notes),
        cmocka_unit_test(test_counts_and_boundaries),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
