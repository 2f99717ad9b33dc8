/*
 * test_xlsx.c: the XLSX reader (ingest/xlsx.c) over the fixtures in tests/data/xlsx/ (written
 * by make_fixtures.py): shared, inline and rich-text strings, numbers, dates in the 1900 and
 * 1904 systems with the leap-year bug, gaps, a chosen sheet, an Excel-shaped export and a file
 * with prefixed namespaces; and hostile archives: zip bombs, DTDs and entities, depth, a
 * missing workbook, garbage, truncation, malformed XML and too many entries.
 */
#include "ingest/xlsx.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/err.h"
#include "core/xalloc.h"
#include <locale.h>
#include <setjmp.h>
#include <cmocka.h>

#define FIXTURES TEST_SOURCE_DIR "/tests/data/xlsx/"

struct collect {
    struct buf out;
    uint64_t stop_after;
};

static int collect_row(void *ctx, const struct table_row *row)
{
    struct collect *c = ctx;
    struct buf *b = &c->out;
    assert_int_equal(buf_appendf(b, "%" PRIu64 "@%" PRIu64 ":", row->record, row->line), 0);
    for (int i = 0; i < row->nfields; i++) {
        assert_int_equal(row->fields[i][row->lens[i]], '\0');
        assert_int_equal(strlen(row->fields[i]), row->lens[i]);
        assert_int_equal(buf_appendf(b, "%s%s", i ? "|" : "", row->fields[i]), 0);
    }
    if (row->problem)
        assert_int_equal(buf_appendf(b, " !%d:%s", row->problem_col, row->problem), 0);
    else
        assert_int_equal(row->problem_col, 0);
    assert_int_equal(buf_append_char(b, '\n'), 0);
    return c->stop_after && row->record == c->stop_after ? 7 : 0;
}

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *data = malloc(1 << 20);
    assert_non_null(data);
    *n = fread(data, 1, 1 << 20, f);
    fclose(f);
    return data;
}

/* Reads a fixture from file and from memory; both must agree. Returns rc; rows in *text. */
static int read_fixture(const char *name, const struct xlsx_options *o, struct err_ctx *e,
                        char **text)
{
    char path[512];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    struct collect a = {0}, b = {0};
    buf_init(&a.out, 1 << 20);
    buf_init(&b.out, 1 << 20);
    err_clear(e);
    int rc = xlsx_read_file(path, o, collect_row, &a, e);
    struct err_ctx e2;
    err_clear(&e2);
    size_t n;
    char *data = read_all(path, &n);
    int rc2 = xlsx_read_memory(data, n, o, collect_row, &b, &e2);
    free(data);
    assert_int_equal(rc, rc2);
    assert_string_equal(buf_cstr(&a.out), buf_cstr(&b.out));
    assert_string_equal(e->msg, e2.msg);
    *text = xstrdup(buf_cstr(&a.out));
    buf_release(&a.out);
    buf_release(&b.out);
    return rc;
}

static void expect(const char *name, const struct xlsx_options *o, int want_rc, const char *want,
                   const char *msg_part)
{
    struct err_ctx e;
    char *text;
    int rc = read_fixture(name, o, &e, &text);
    if (rc != want_rc || strcmp(text, want) != 0 || (msg_part && !strstr(e.msg, msg_part))) {
        print_error("%s: rc %d, message '%s', rows:\n%s\n", name, rc, e.msg, text);
        free(text);
        fail();
    }
    free(text);
}

static void test_basic(void **state)
{
    (void)state;
    expect("basic.xlsx", NULL, 0,
           /* shared strings, inline string */
           "1@1:naam|geboortedatum|bedrag|opmerking\n"
           /* rich text runs concatenated; built-in date 14; a gap in D; inline rich text */
           "2@2:Jan de Vries|2024-01-01|1234.5||richinline\n"
           /* row 3 is missing; custom dd-mm-yyyy; datetime (22); '0 \"dagen\"' is a number */
           "3@4:René & Zoë|2000-01-01|2024-01-01 18:00:00|14\n"
           /* 1900 leap-year bug; shortest round-trip numbers */
           "4@5:1900-02-28|1900-02-29|1900-03-01|0.30000000000000004|0.1|-17\n"
           /* booleans, error cell, formula string, BSN-like integer, exponent */
           "5@6:1|0||naamx|123456782|1.5e-05 !3:de cel bevat een foutwaarde van Excel\n"
           /* row 7 has only empty styled cells: skipped. _x000D_, phonetic runs ignored,
            * shared index out of range, currency format, _x005F_ escapes the underscore */
           "6@8:regel\r\nnieuw|かん||12.5|a_x0041_b !3:verwijzing naar een gedeelde tekst die "
           "niet bestaat\n"
           /* [h]:mm counts as a date format; t=\"d\" ISO cells */
           "7@9:1900-01-01 12:00:00||2024-02-29|2024-02-29 13:45:10\n"
           /* cells out of order: the late one is dropped and flagged */
           "8@10:|2 !1:cellen staan niet in volgorde\n",
           NULL);

    /* The second sheet, by number; one past the end is ERR_NOT_FOUND. */
    struct xlsx_options o = {.sheet = 2};
    expect("basic.xlsx", &o, 0, "1@1:tweede blad\n2@3:|42\n", NULL);
    o.sheet = 1;
    struct err_ctx e;
    char *text;
    assert_int_equal(read_fixture("basic.xlsx", &o, &e, &text), 0);
    assert_non_null(strstr(text, "1@1:naam|"));
    free(text);
    o.sheet = 3;
    expect("basic.xlsx", &o, ERR_NOT_FOUND, "", "werkblad 3 bestaat niet");
}

static void test_date1904_and_styles(void **state)
{
    (void)state;
    /* 1904 system: serial 0 is 1904-01-01; no shared strings part at all; a plain number
     * with the same serial stays a number. */
    expect("date1904.xlsx", NULL, 0,
           "1@1:1904-01-01|2024-01-01|1904-01-02|1904-01-01 12:00:00|43830\n", NULL);
}

static void test_excel_style(void **state)
{
    (void)state;
    struct err_ctx e;
    char *text;
    assert_int_equal(read_fixture("excel_style.xlsx", NULL, &e, &text), 0);
    /* Title row, blank row 2 absent, header, 20 data rows; Einddatum empty every 4th row. */
    assert_non_null(strstr(text, "1@1:Registratie-export Jeugdhulp Noord, periode 2024\n"
                                 "2@3:BSN|Achternaam|Geboortedatum|Postcode|Productcode|"
                                 "Startdatum|Einddatum|Bedrag\n"
                                 "3@4:100000009|de Vries|2000-01-01|9700 AB|45A10|2024-01-01||"
                                 "1000\n"
                                 "4@5:100000020|Jansen|2000-10-27|9701 AB|45A11|2024-01-02|"
                                 "2024-12-31|1012.25\n"));
    assert_non_null(
        strstr(text, "\n22@23:100000218|Visser|2015-08-10|9719 AB|45A11|2024-01-20|2024-12-31|"
                     "1232.75\n"));
    assert_null(strstr(text, "\n23@"));
    assert_null(strstr(text, " !"));
    free(text);

    /* Namespace prefixes, no r= on rows and cells, absolute and ../ targets. */
    expect("prefixed.xlsx", NULL, 0, "1@1:a|1|c\n2@2:|2|3\n", NULL);
}

static void test_hostile(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int rc;
        const char *msg;
        const char *rows;
    } cases[] = {
        {"bomb_ratio.xlsx", ERR_TOO_BIG, "xl/worksheets/sheet1.xml: verdacht sterk", ""},
        {"bomb_lying.xlsx", ERR_TOO_BIG, "xl/worksheets/sheet1.xml: pakt groter uit", ""},
        {"dtd.xlsx", ERR_INVALID, "xl/worksheets/sheet1.xml regel 2: een DTD", ""},
        {"billion_laughs.xlsx", ERR_INVALID, "xl/sharedStrings.xml regel 2: een DTD", ""},
        {"xxe.xlsx", ERR_INVALID, "xl/worksheets/sheet1.xml regel 2: een DTD", ""},
        {"depth.xlsx", ERR_TOO_BIG, "xl/worksheets/sheet1.xml regel 2: de XML is dieper",
         "1@1:1\n"},
        {"no_workbook.xlsx", ERR_INVALID, "xl/workbook.xml ontbreekt", ""},
        {"garbage.xlsx", ERR_INVALID, "geen geldig Excel-bestand", ""},
        {"truncated.xlsx", ERR_INVALID, "geen geldig Excel-bestand", ""},
        {"bad_xml.xlsx", ERR_INVALID, "xl/worksheets/sheet1.xml regel 6: ongeldige XML", "1@1:1\n"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        expect(cases[i].name, NULL, cases[i].rc, cases[i].rows, cases[i].msg);

    /* The total cap: the bomb is refused on its declared size before anything inflates, and
     * a normal workbook over a small budget too. */
    struct xlsx_options o = {.max_uncompressed = 8u << 20};
    expect("bomb_ratio.xlsx", &o, ERR_TOO_BIG, "", "mogelijk een zip-bom");
    o.max_uncompressed = 1000;
    expect("basic.xlsx", &o, ERR_TOO_BIG, "", "meer dan 1000 bytes");

    /* Row limit and the callback's stop value. */
    o = (struct xlsx_options){.max_records = 2};
    expect("basic.xlsx", &o, ERR_TOO_BIG,
           "1@1:naam|geboortedatum|bedrag|opmerking\n2@2:Jan de Vries|2024-01-01|1234.5||"
           "richinline\n",
           "regel");
    struct collect c = {.stop_after = 1};
    buf_init(&c.out, 4096);
    struct err_ctx e;
    err_clear(&e);
    assert_int_equal(xlsx_read_file(FIXTURES "basic.xlsx", NULL, collect_row, &c, &e), 7);
    assert_string_equal(c.out.p, "1@1:naam|geboortedatum|bedrag|opmerking\n");
    buf_release(&c.out);

    /* Missing file, empty memory. */
    assert_int_equal(xlsx_read_file("/nonexistent/x.xlsx", NULL, collect_row, &c, &e), ERR_IO);
    assert_int_equal(xlsx_read_memory("", 0, NULL, collect_row, &c, &e), ERR_INVALID);
    assert_true(xlsx_looks_like_zip("PK\3\4rest", 8));
    assert_false(xlsx_looks_like_zip("PK\3", 3));
    assert_false(xlsx_looks_like_zip("naam;bsn\n", 9));
}

/* A stored zip archive with n empty entries, written by hand. */
static void put16(struct buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    assert_int_equal(buf_append(b, x, 2), 0);
}

static void put32(struct buf *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}

static void many_entries(struct buf *z, int n)
{
    struct buf cd;
    buf_init(&cd, 8u << 20);
    for (int i = 0; i < n; i++) {
        char name[16];
        int len = snprintf(name, sizeof name, "e%05d", i);
        uint32_t off = (uint32_t)z->len;
        put32(z, 0x04034b50);
        put16(z, 20), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0x21);
        put32(z, 0), put32(z, 0), put32(z, 0);
        put16(z, (unsigned)len), put16(z, 0);
        assert_int_equal(buf_append(z, name, (size_t)len), 0);
        put32(&cd, 0x02014b50);
        put16(&cd, 20), put16(&cd, 20), put16(&cd, 0), put16(&cd, 0), put16(&cd, 0);
        put16(&cd, 0x21);
        put32(&cd, 0), put32(&cd, 0), put32(&cd, 0);
        put16(&cd, (unsigned)len), put16(&cd, 0), put16(&cd, 0), put16(&cd, 0), put16(&cd, 0);
        put32(&cd, 0), put32(&cd, off);
        assert_int_equal(buf_append(&cd, name, (size_t)len), 0);
    }
    uint32_t cd_off = (uint32_t)z->len, cd_len = (uint32_t)cd.len;
    assert_int_equal(buf_append(z, cd.p, cd.len), 0);
    put32(z, 0x06054b50);
    put16(z, 0), put16(z, 0), put16(z, (unsigned)n), put16(z, (unsigned)n);
    put32(z, cd_len), put32(z, cd_off), put16(z, 0);
    buf_release(&cd);
}

static void test_too_many_entries(void **state)
{
    (void)state;
    struct buf z;
    struct err_ctx e;
    struct collect c = {0};
    buf_init(&z, 8u << 20);
    many_entries(&z, XLSX_MAX_ENTRIES + 1);
    err_clear(&e);
    assert_int_equal(xlsx_read_memory(z.p, z.len, NULL, collect_row, &c, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "meer dan 10000 onderdelen"));
    /* The same construction within the limit is a valid archive, just not a workbook. */
    buf_reset(&z);
    many_entries(&z, 3);
    err_clear(&e);
    assert_int_equal(xlsx_read_memory(z.p, z.len, NULL, collect_row, &c, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "xl/workbook.xml ontbreekt"));
    buf_release(&z);
}

/* Requests run with uselocale(nl_NL): numbers must still use '.'. */
static void test_locale(void **state)
{
    (void)state;
    locale_t nl = newlocale(LC_ALL_MASK, "nl_NL.UTF-8", (locale_t)0);
    if (!nl) {
        skip();
        return;
    }
    locale_t old = uselocale(nl);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    assert_string_equal(probe, "1,5"); /* the locale really is Dutch */
    expect("date1904.xlsx", NULL, 0,
           "1@1:1904-01-01|2024-01-01|1904-01-02|1904-01-01 12:00:00|43830\n", NULL);
    struct err_ctx e;
    char *text;
    assert_int_equal(read_fixture("basic.xlsx", NULL, &e, &text), 0);
    assert_non_null(strstr(text, "|1234.5|"));
    assert_non_null(strstr(text, "|0.30000000000000004|0.1|"));
    free(text);
    uselocale(old);
    freelocale(nl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_date1904_and_styles),
        cmocka_unit_test(test_excel_style),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_too_many_entries),
        cmocka_unit_test(test_locale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
