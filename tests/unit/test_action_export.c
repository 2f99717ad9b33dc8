/*
 * test_action_export.c: the actions overview as CSV and XLSX (report/action_export.c): the
 * header, Dutch Excel form (BOM, ';', CRLF), quoting, and text that a spreadsheet would run
 * as a formula neutralised.
 */
#include "report/action_export.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

static void test_csv(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct action_indicator inds[] = {{.indicator_id = 1, .name = "Voortijdige uitval"},
                                      {.indicator_id = 2, .name = "Terugval"}};
    struct improvement_action rows[] = {
        {.id = 7,
         .conversation_title = "Gesprek; jeugd",
         .owner_name = "Zorg BV",
         .owner_side = SIDE_AANBIEDER,
         .description = "=HYPERLINK(\"http://x\")",
         .status = ACTION_BEZIG,
         .due_on = day_from_ymd(2026, 3, 31),
         .overdue = true,
         .indicators = inds,
         .nindicators = 2},
        {.id = 8,
         .owner_name = "Gemeente Emmen",
         .owner_side = SIDE_GEMEENTE,
         .description = "Regel 1\nregel 2",
         .status = ACTION_VERVALLEN,
         .drop_reason = "@SUM(1)",
         .due_on = day_from_ymd(2026, 1, 5)},
    };
    const char *out = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    assert_int_equal(action_export_csv(a, rows, 2, &out, &len, &e), 0);
    assert_int_equal(strlen(out), len);
    assert_memory_equal(out, "\xEF\xBB\xBFid;gesprek;eigenaar;", 22);
    assert_non_null(strstr(out, "\r\n7;\"Gesprek; jeugd\";Zorg BV;aanbieder;;"));
    /* The formula starts with an apostrophe and is quoted (it holds '"'). */
    assert_non_null(strstr(out, ";\"'=HYPERLINK(\"\"http://x\"\")\";bezig;2026-03-31;ja;"
                                "\"Voortijdige uitval; Terugval\";"));
    assert_null(strstr(out, ";=HYPERLINK"));
    assert_non_null(strstr(out, "\"Regel 1\nregel 2\";vervallen;2026-01-05;nee;;'@SUM(1)\r\n"));
    /* XLSX: a zip with the sheet. */
    const char *x = NULL;
    size_t xl = 0;
    assert_int_equal(action_export_xlsx(a, rows, 2, "/tmp", &x, &xl, &e), 0);
    assert_true(xl > 100);
    assert_memory_equal(x, "PK", 2);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
