/*
 * test_survey_export.c: survey results as CSV and XLSX (report/survey_export.c): the header and
 * one row per question x answer x column, hidden figures as "." with the reason, a decimal comma,
 * the BOM, and text that a spreadsheet would run as a formula (a question text written by an
 * editor) neutralised; the XLSX is a zip workbook.
 */
#include "report/survey_export.h"
#include "core/common.h"
#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

static const char doc[] =
    "{\"versie\":1,\"code\":\"exp\",\"titel\":\"Export\",\"secties\":["
    "{\"code\":\"a\",\"titel\":\"A\",\"vragen\":["
    "{\"item\":\"k\",\"soort\":\"keuze\",\"tekst\":\"=HYPERLINK(\\\"x\\\";\\\"klik\\\")\","
    "\"opties\":["
    "{\"code\":\"ja\",\"label\":\"Ja; zeker\"},{\"code\":\"nee\",\"label\":\"@nee\"}]}]}]}";

static const char *label(void *ctx, enum survey_dim d, const char *code)
{
    (void)ctx;
    (void)d;
    return strcmp(code, "0114") == 0 ? "Emmen" : NULL;
}

static void build(struct arena *a, struct questionnaire *q, struct survey_result *r)
{
    struct err_ctx e = {0};
    assert_int_equal(questionnaire_parse(a, doc, strlen(doc), q, &e), 0);
    memset(r, 0, sizeof *r);
    r->dim = SURVEY_DIM_GEMEENTE;
    r->nkeys = 1;
    r->keys = arena_calloc(a, 1, sizeof *r->keys);
    r->keys[0] = "0114";
    r->nquestions = 1;
    r->questions = arena_calloc(a, 1, sizeof *r->questions);
    struct sr_question *sq = &r->questions[0];
    sq->question = 0;
    sq->noptions = 2;
    sq->options = arena_calloc(a, 2, sizeof *sq->options);
    sq->options[0] = (struct sr_option){"ja", "Ja; zeker"};
    sq->options[1] = (struct sr_option){"nee", "@nee"};
    sq->cells = arena_calloc(a, 4, sizeof *sq->cells);
    sq->base = arena_calloc(a, 2, sizeof *sq->base);
    /* total column: 40 ja (66.7%), 20 nee; Emmen: hidden (small) */
    sq->cells[0] = (struct sr_cell){DC_SHOWN, 40, 100.0 * 40 / 60};
    sq->cells[1] = (struct sr_cell){DC_SHOWN, 20, 100.0 * 20 / 60};
    sq->cells[2] = (struct sr_cell){DC_SMALL_COUNT, -1, NAN};
    sq->cells[3] = (struct sr_cell){DC_SECONDARY, -1, NAN};
    sq->base[0] = (struct sr_cell){DC_SHOWN, 60, NAN};
    sq->base[1] = (struct sr_cell){DC_SMALL_COUNT, -1, NAN};
    sq->mean = NAN;
}

static void csv_rows(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct questionnaire q;
    struct survey_result r;
    build(a, &q, &r);
    struct survey_export_meta m = {.title = "Export", .label = label};
    const char *out;
    size_t len;
    struct err_ctx e = {0};
    assert_int_equal(survey_export_csv(&q, &r, &m, a, &out, &len, &e), 0);
    assert_true(len > 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0);
    assert_non_null(
        strstr(out, "Vraagcode;Vraag;Antwoord;Groep;Aantal;Percentage;Toelichting\r\n"));
    /* the formula is neutralised and quoted (it holds ';' and '"') */
    assert_non_null(
        strstr(out, "k;\"'=HYPERLINK(\"\"x\"\";\"\"klik\"\")\";\"Ja; zeker\";Totaal;40;66,7;\r\n"));
    assert_non_null(strstr(out, ";'@nee;Totaal;20;33,3;\r\n"));
    assert_non_null(strstr(out, ";\"Ja; zeker\";Emmen;.;.;"));
    assert_null(strstr(out, ";=HYPERLINK"));
    /* 2 columns x (2 answers + respondents) + header = 7 lines */
    int lines = 0;
    for (const char *p = out; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 7);
    assert_int_equal(survey_export_xlsx(&q, &r, &m, a, &out, &len, &e), 0);
    assert_true(len > 100 && out[0] == 'P' && out[1] == 'K');
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
