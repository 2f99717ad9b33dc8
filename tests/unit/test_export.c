/*
 * test_export.c: CSV and XLSX export of a disclosed view (report/export.c): the formula
 * neutralisation rule, the CSV shape for Dutch Excel (BOM, ';', CRLF, decimal comma, quoting),
 * hidden cells as "." with the reason and never 0, margins as "Totaal", and an XLSX workbook
 * read back with duiding's own XLSX reader (ingest/xlsx.h): numbers as numbers, texts kept
 * literally (a name starting with "=" stays text), and the "Toelichting" sheet.
 */
#include "report/export.h"
#include "core/buf.h"
#include "core/common.h"
#include "ingest/xlsx.h"
#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

static void safe_text(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"=1+1", "'=1+1"},
        {"+31 6 1234", "'+31 6 1234"},
        {"-2+3", "'-2+3"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"  =HYPERLINK(\"x\")", "'  =HYPERLINK(\"x\")"},
        {" \t -1", "' \t -1"},
        {"\tabc", "'\tabc"},
        {"\rabc", "'\rabc"},
        {"  \rabc", "'  \rabc"},
        {"Emmen", "Emmen"},
        {"a=b", "a=b"},
        {"", ""},
        {"'=al", "'=al"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_string_equal(export_safe_text(a, cases[i].in), cases[i].out);
    assert_string_equal(export_safe_text(a, NULL), "");
    arena_free(a);
}

/* A small view: aandeel by gemeente for two quarters, one hidden cell, one total per period. */
struct fixture {
    struct ind_def def;
    struct period periods[2];
    struct mx_vcell cells[6];
    struct mx_view v;
};

static void make_view(struct fixture *f, const char *name)
{
    memset(f, 0, sizeof *f);
    f->def.version = 1;
    f->def.code = "jw_uitval";
    f->def.name = name;
    f->def.explanation = "Het deel van de trajecten dat eenzijdig door de cliënt is beëindigd.";
    f->def.source = "NJi";
    f->def.unit = IND_UNIT_TRAJECTORY;
    f->def.anchor = IND_ANCHOR_END;
    f->def.agg = IND_AGG_PROPORTION;
    f->def.population = "wet = \"jw\"";
    f->def.event = "reden_cbs = \"03\"";
    f->def.age_from = f->def.age_to = -1;
    f->def.follow_up_months = f->def.gap_days = -1;
    f->def.display = IND_SHOW_PERCENT;
    f->def.min_n = 10;
    f->periods[0] = (struct period){PERIOD_QUARTER, 2024, 1};
    f->periods[1] = (struct period){PERIOD_QUARTER, 2024, 2};
    static const char *keys[] = {"0114", "0118", NULL};
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < 3; k++) {
            struct mx_vcell *c = &f->cells[p * 3 + k];
            c->period_idx = p;
            c->key[0] = keys[k];
            c->reason = DC_SHOWN;
            c->n = c->den = 40 + 10 * k;
            c->num = 5 + k;
            c->value = 100.0 * (double)c->num / (double)c->den;
            c->lo = c->value - 3.04;
            c->hi = c->value + 4.96;
            c->prev = p ? 12.5 : NAN;
            c->target = NAN;
            c->bench_p25 = c->bench_median = c->bench_p75 = NAN;
        }
    /* 2024-Q2, gemeente 0118: hidden (and so never 0). */
    struct mx_vcell *h = &f->cells[4];
    h->reason = DC_SMALL_DENOMINATOR;
    h->n = h->num = h->den = -1;
    h->value = h->lo = h->hi = NAN;
    f->v.def = &f->def;
    f->v.ind_id = 7;
    f->v.audience = DC_INTERNAL;
    f->v.rules = (struct dc_rules){10, 10, 1, 5};
    f->v.periods = f->periods;
    f->v.nperiods = 2;
    f->v.by[0] = MX_DIM_GEMEENTE;
    f->v.nby = 1;
    f->v.cells = f->cells;
    f->v.ncells = 6;
    f->v.bench_dim = -1;
    f->v.data_date = day_from_ymd(2024, 6, 30);
    f->v.nhidden = 1;
}

static const char *label(void *ctx, enum mx_dim d, const char *code)
{
    (void)ctx;
    assert_int_equal(d, MX_DIM_GEMEENTE);
    if (strcmp(code, "0114") == 0)
        return "Emmen";
    if (strcmp(code, "0118") == 0)
        return "=Hoogeveen;\"x\""; /* hostile: formula, separator and quote */
    return NULL;
}

/* Splits CSV text into lines (CRLF) and returns line i (0-based) in out. */
static void csv_line(const char *csv, int i, char *out, size_t n)
{
    const char *p = csv;
    for (int k = 0; k < i; k++) {
        p = strstr(p, "\r\n");
        assert_non_null(p);
        p += 2;
    }
    const char *e = strstr(p, "\r\n");
    assert_non_null(e);
    assert_true((size_t)(e - p) < n);
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
}

static void csv_shape(void **state)
{
    (void)state;
    struct fixture f;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    const char *out = NULL;
    size_t len = 0;
    char line[1024];
    make_view(&f, "=HYPERLINK(\"http://evil\";\"klik\")");
    struct export_meta m = {.label = label};
    assert_int_equal(export_csv(&f.v, &m, a, &out, &len, &e), 0);
    assert_true(len > 3);
    assert_memory_equal(out, "\xEF\xBB\xBF", 3);
    assert_int_equal(strlen(out), len);
    csv_line(out + 3, 0, line, sizeof line);
    assert_non_null(strstr(line, "Indicator;Periode;"));
    assert_non_null(strstr(line, ";Waarde;Eenheid;Aantal (n);Teller;Noemer;"));
    /* Row 1: 2024-Q1, Emmen: 5/40 = 12,5% with the interval 9,5-17,5. */
    csv_line(out + 3, 1, line, sizeof line);
    assert_string_equal(line, "\"'=HYPERLINK(\"\"http://evil\"\";\"\"klik\"\")\";1e kwartaal 2024;"
                              "Emmen;0114;12,5;procent;40;5;40;9,5;17,5;;;;;;;");
    /* Row 5: 2024-Q2, the hidden cell: "." in every figure column and the reason last. */
    csv_line(out + 3, 5, line, sizeof line);
    assert_non_null(strstr(line, ";\"'=Hoogeveen;\"\"x\"\"\";0118;.;procent;.;.;.;.;.;12,5;"));
    assert_null(strstr(line, ";0;"));
    const char *last = strrchr(line, ';');
    assert_true(strlen(last + 1) > 3); /* a reason, not empty */
    /* Row 3: the margin. */
    csv_line(out + 3, 3, line, sizeof line);
    assert_non_null(strstr(line, ";Totaal;;"));
    /* Nothing but the header and six rows. */
    int lines = 0;
    for (const char *p = out; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 7);
    arena_free(a);
}

struct rows {
    struct buf out;
};

static int collect(void *ctx, const struct table_row *row)
{
    struct rows *r = ctx;
    for (int i = 0; i < row->nfields; i++)
        assert_int_equal(buf_appendf(&r->out, "%s%s", i ? "|" : "", row->fields[i]), 0);
    assert_int_equal(buf_append_char(&r->out, '\n'), 0);
    return 0;
}

static void xlsx_roundtrip(void **state)
{
    (void)state;
    struct fixture f;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    const char *out = NULL;
    size_t len = 0;
    make_view(&f, "=HYPERLINK(\"http://evil\",\"klik\")");
    struct export_meta m = {.label = label, .tmp_dir = "/tmp"};
    assert_int_equal(export_xlsx(&f.v, &m, a, &out, &len, &e), 0);
    assert_true(xlsx_looks_like_zip(out, len));

    struct rows r;
    buf_init(&r.out, BUF_MAX_PAGE);
    struct xlsx_options o = {.sheet = 1};
    assert_int_equal(xlsx_read_memory(out, len, &o, collect, &r, &e), 0);
    const char *t = buf_cstr(&r.out);
    /* The name is the literal text (no apostrophe needed: it is a string cell, not a formula). */
    assert_non_null(strstr(t, "\n=HYPERLINK(\"http://evil\",\"klik\")|1e kwartaal 2024|Emmen|0114|"
                              "12.5|procent|40|5|40|9.5|17.5\n"));
    assert_non_null(strstr(t, "|=Hoogeveen;\"x\"|0118|.|procent|.|.|.|.|.|12.5|"));
    assert_non_null(strstr(t, "|Totaal||"));
    assert_null(strstr(t, "|0118|0|"));
    buf_release(&r.out);

    buf_init(&r.out, BUF_MAX_PAGE);
    o.sheet = 2;
    assert_int_equal(xlsx_read_memory(out, len, &o, collect, &r, &e), 0);
    t = buf_cstr(&r.out);
    assert_non_null(strstr(t, "Toelichting bij de cijfers"));
    assert_non_null(strstr(t, "Indicator|=HYPERLINK("));
    assert_non_null(strstr(t, "Bron|NJi"));
    assert_non_null(strstr(t, "Wie tellen mee (populatie)|wet = \"jw\""));
    assert_non_null(strstr(t, "Peildatum van de gegevens|30-06-2024"));
    assert_non_null(strstr(t, "Niet getoonde cellen|1"));
    buf_release(&r.out);
    arena_free(a);
}

static void xlsx_bad_tmp_dir(void **state)
{
    (void)state;
    struct fixture f;
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    const char *out = NULL;
    size_t len = 0;
    make_view(&f, "x");
    struct export_meta m = {.tmp_dir = "/nonexistent/duiding-test"};
    assert_int_equal(export_xlsx(&f.v, &m, a, &out, &len, &e), ERR_IO);
    arena_free(a);
}

static void file_name(void **state)
{
    (void)state;
    struct fixture f;
    struct arena *a = arena_new(0);
    make_view(&f, "x");
    assert_string_equal(export_file_name(a, &f.v, "csv"), "jw_uitval-2024-Q1-2024-Q2.csv");
    assert_string_equal(export_file_name(a, &f.v, "xlsx"), "jw_uitval-2024-Q1-2024-Q2.xlsx");
    assert_string_equal(export_file_name(a, &f.v, "exe\"; rm"), "jw_uitval-2024-Q1-2024-Q2.csv");
    f.def.code = "../\"evil\r\n";
    assert_string_equal(export_file_name(a, &f.v, "csv"), "evil-2024-Q1-2024-Q2.csv");
    f.def.code = "\"";
    f.v.nperiods = 0;
    assert_string_equal(export_file_name(a, &f.v, "csv"), "indicator.csv");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(safe_text),      cmocka_unit_test(csv_shape),
        cmocka_unit_test(xlsx_roundtrip), cmocka_unit_test(xlsx_bad_tmp_dir),
        cmocka_unit_test(file_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
