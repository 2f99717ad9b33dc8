/*
 * test_pdf.c: the cairo + pango document renderer (report/pdf.c). Renders a document with a
 * long table (its header must repeat on later pages), a chart with hidden values, notes, lists
 * and hostile text, and checks the output with poppler's tools when present: the page count,
 * the title, the footer and "pagina N van M" in the text, the literal pango markup of user
 * text, the repeated header on page 2, and rendered page images that are not blank. Also the
 * building errors and limits.
 */
#include "report/pdf.h"
#include "core/buf.h"
#include "core/common.h"
#include <math.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static bool have(const char *tool)
{
    return access(tool, X_OK) == 0;
}

/* Writes the PDF to a fresh temporary directory; returns its path (static). */
static const char *write_tmp(const struct buf *b, char dir[static 64])
{
    snprintf(dir, 64, "/tmp/duiding-pdf-XXXXXX");
    assert_non_null(mkdtemp(dir));
    static char path[128];
    snprintf(path, sizeof path, "%s/doc.pdf", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->p, 1, b->len, f), b->len);
    fclose(f);
    return path;
}

/* Runs a command and returns its standard output (malloc'ed). */
static char *run_cmd(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct buf out;
    buf_init(&out, 16u * 1024u * 1024u);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        assert_int_equal(buf_append(&out, chunk, n), 0);
    assert_int_equal(pclose(p), 0);
    if (out.p == NULL)
        assert_int_equal(buf_append_str(&out, ""), 0);
    return buf_detach(&out, NULL);
}

static void cleanup_dir(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Counts non-white pixels of a binary PGM (P5, 8 bit). */
static long dark_pixels(const char *path, long *total)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char magic[3] = {0};
    int w = 0, h = 0, maxv = 0;
    assert_int_equal(fscanf(f, "%2s %d %d %d", magic, &w, &h, &maxv), 4);
    assert_string_equal(magic, "P5");
    fgetc(f);
    long dark = 0;
    *total = (long)w * h;
    for (long i = 0; i < *total; i++) {
        int c = fgetc(f);
        assert_true(c != EOF);
        if (c < 200)
            dark++;
    }
    fclose(f);
    return dark;
}

#define ROWS 180

static struct pdf_doc *big_doc(struct arena *a)
{
    struct pdf_doc *d = pdf_doc_new(a, "Datapakket Kwaliteitsgesprek Emmen");
    pdf_set_subtitle(d, "Jeugdhulp · periode 1-1-2025 tot 31-12-2025");
    pdf_set_footer(d, "Momentopname 12-03-2026 · sha256 4f9c2a7e1b");
    pdf_set_meta(d, "Gemeente Emmen", "Datapakket");
    pdf_note(d, "Momentopname van 12-03-2026; latere correcties staan hier niet in.");
    pdf_heading(d, 1, "Maatschappelijk resultaat: jongeren doen mee");
    pdf_para(d, "Een gewone alinea met een tekst die over meerdere regels loopt. "
                "Nog wat tekst om de regel te vullen, met accenten: cliënt, één, coördinatie. "
                "<b>niet vet</b> & <span foreground='red'>geen opmaak</span>");
    pdf_kv(d, "Gemeente", "Emmen");
    pdf_kv(d, "Aanbieders", "Jeugdzorg Noord, De Kern");
    pdf_bullet(d, "Eerste punt");
    pdf_bullet(d, "Tweede punt dat wat langer is zodat het over meer dan één regel doorloopt "
                  "wanneer de breedte van de pagina op is; dit blijft leesbaar.");
    pdf_heading(d, 2, "Uitval");
    double values[8] = {12.5, 13.1, NAN, 14.0, 12.2, 11.8, NAN, 10.9};
    double lo[8], hi[8], target[8], blo[8], bhi[8];
    for (int i = 0; i < 8; i++) {
        lo[i] = isnan(values[i]) ? NAN : values[i] - 2.5;
        hi[i] = isnan(values[i]) ? NAN : values[i] + 2.5;
        target[i] = i < 4 ? NAN : 11.0;
        blo[i] = 9.0 + i * 0.1;
        bhi[i] = 15.0 + i * 0.1;
    }
    const char *labels[8] = {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4",
                             "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"};
    struct pdf_chart_marker m[2] = {{3.5, "Nieuwe toegang"}, {6, "Wachtlijstproject"}};
    struct pdf_chart c = {.title = "Uitval per kwartaal",
                          .n = 8,
                          .x_labels = labels,
                          .values = values,
                          .lo = lo,
                          .hi = hi,
                          .target = target,
                          .bench_lo = blo,
                          .bench_hi = bhi,
                          .markers = m,
                          .nmarkers = 2,
                          .percent = true};
    pdf_chart(d, &c);
    pdf_heading(d, 2, "Alle trajecten");
    const char *head[4] = {"Periode", "Aanbieder", "Waarde", "Toelichting"};
    double w[4] = {1, 2, 1, 3};
    pdf_table_begin(d, 4, head, w, "llrl");
    for (int i = 0; i < ROWS; i++) {
        char p[32], v[32], t[64];
        snprintf(p, sizeof p, "rij %d", i + 1);
        snprintf(v, sizeof v, "%d,%d%%", 10 + i % 7, i % 10);
        snprintf(t, sizeof t, i % 17 == 0 ? "." : "toelichting %d", i);
        const char *cells[4] = {p, i % 2 ? "Jeugdzorg Noord" : "De Kern", v, t};
        pdf_table_row(d, cells);
    }
    const char *tot[4] = {"Totaal", "", "12,0%", ""};
    pdf_table_row_strong(d, tot);
    pdf_table_end(d);
    pdf_small(d, "Een punt (.) betekent: verborgen om kleine aantallen te beschermen.");
    return d;
}

static void renders_document(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct pdf_doc *d = big_doc(a);
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    int pages = 0;
    assert_int_equal(pdf_render(d, &out, &pages, &e), 0);
    assert_true(out.len > 1000);
    assert_memory_equal(out.p, "%PDF-", 5);
    assert_true(pages > 2); /* 180 rows do not fit on one page */

    if (have("/usr/bin/pdftotext") && have("/usr/bin/pdftoppm") && have("/usr/bin/pdfinfo")) {
        char dir[64];
        const char *path = write_tmp(&out, dir);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "/usr/bin/pdfinfo '%s'", path);
        char *info = run_cmd(cmd);
        char want[64];
        const char *pl = strstr(info, "Pages:");
        assert_non_null(pl);
        assert_int_equal(strtol(pl + 6, NULL, 10), pages);
        assert_non_null(strstr(info, "Datapakket Kwaliteitsgesprek Emmen"));
        assert_non_null(strstr(info, "A4"));
        free(info);

        snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -layout '%s' -", path);
        char *text = run_cmd(cmd);
        assert_non_null(strstr(text, "Datapakket Kwaliteitsgesprek Emmen"));
        assert_non_null(strstr(text, "sha256 4f9c2a7e1b"));
        assert_non_null(strstr(text, "pagina 1 van"));
        snprintf(want, sizeof want, "pagina %d van %d", pages, pages);
        assert_non_null(strstr(text, want));
        /* User text is typeset literally, never as markup. */
        assert_non_null(strstr(text, "<b>niet vet</b>"));
        assert_non_null(strstr(text, "cliënt, één, coördinatie"));
        assert_non_null(strstr(text, "rij 1 "));
        snprintf(want, sizeof want, "rij %d ", ROWS);
        assert_non_null(strstr(text, want));
        assert_non_null(strstr(text, "Totaal"));
        assert_non_null(strstr(text, "Nieuwe toegang"));
        free(text);

        /* The table header repeats on the last page, which only holds rows. */
        snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -f %d -l %d '%s' -", pages, pages, path);
        char *last = run_cmd(cmd);
        assert_non_null(strstr(last, "Toelichting"));
        assert_non_null(strstr(last, "Aanbieder"));
        assert_non_null(strstr(last, "Datapakket Kwaliteitsgesprek Emmen")); /* running header */
        free(last);

        /* Every page renders to a non-blank image; page 1 (title, chart) has plenty of ink. */
        snprintf(cmd, sizeof cmd, "/usr/bin/pdftoppm -gray -r 40 '%s' '%s/p'", path, dir);
        assert_int_equal(system(cmd), 0);
        for (int p = 1; p <= pages; p++) {
            char img[128];
            if (pages >= 10)
                snprintf(img, sizeof img, "%s/p-%02d.pgm", dir, p);
            else
                snprintf(img, sizeof img, "%s/p-%d.pgm", dir, p);
            long total = 0;
            long dark = dark_pixels(img, &total);
            assert_true(total > 10000);
            assert_true(dark > total / 200);
            assert_true(dark < total / 2);
        }
        cleanup_dir(dir);
    }
    buf_release(&out);
    arena_free(a);
}

static void hidden_values_are_gaps(void **state)
{
    (void)state;
    /* A chart with no shown value at all still renders (with an explanation), never zeros. */
    struct arena *a = arena_new(0);
    struct pdf_doc *d = pdf_doc_new(a, "Leeg");
    double v[3] = {NAN, NAN, NAN};
    const char *labels[3] = {"2025-Q1", "2025-Q2", "2025-Q3"};
    struct pdf_chart c = {.n = 3, .x_labels = labels, .values = v, .percent = true};
    pdf_chart(d, &c);
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    int pages = 0;
    assert_int_equal(pdf_render(d, &out, &pages, &e), 0);
    assert_int_equal(pages, 1);
    if (have("/usr/bin/pdftotext")) {
        char dir[64];
        const char *path = write_tmp(&out, dir);
        char cmd[256];
        snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext '%s' -", path);
        char *text = run_cmd(cmd);
        assert_non_null(strstr(text, "Geen getoonde waarden"));
        free(text);
        cleanup_dir(dir);
    }
    buf_release(&out);
    arena_free(a);
}

static void long_paragraph_flows_over_pages(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct pdf_doc *d = pdf_doc_new(a, "Lang");
    struct buf text;
    buf_init(&text, 64 * 1024);
    for (int i = 0; i < 400; i++)
        assert_int_equal(buf_appendf(&text, "Woord%d ", i), 0);
    for (int i = 0; i < 4; i++)
        pdf_para(d, buf_cstr(&text));
    pdf_note(d, buf_cstr(&text));
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    int pages = 0;
    assert_int_equal(pdf_render(d, &out, &pages, &e), 0);
    assert_true(pages >= 2);
    buf_release(&out);
    buf_release(&text);
    arena_free(a);
}

static void building_errors(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};

    /* A table left open. */
    struct pdf_doc *d = pdf_doc_new(a, "x");
    const char *h[2] = {"a", "b"};
    pdf_table_begin(d, 2, h, NULL, NULL);
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "tabel"));

    /* A row without a table; too many columns; a bad heading level. */
    d = pdf_doc_new(a, "x");
    pdf_table_row(d, h);
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_INVALID);
    d = pdf_doc_new(a, "x");
    const char *many[PDF_MAX_COLS + 1] = {0};
    pdf_table_begin(d, PDF_MAX_COLS + 1, many, NULL, NULL);
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_INVALID);
    d = pdf_doc_new(a, "x");
    pdf_heading(d, 4, "x");
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_INVALID);

    /* Too many rows in one table. */
    d = pdf_doc_new(a, "x");
    pdf_table_begin(d, 2, h, NULL, NULL);
    for (int i = 0; i <= PDF_MAX_TABLE_ROWS; i++)
        pdf_table_row(d, h);
    pdf_table_end(d);
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_TOO_BIG);

    /* A chart without periods. */
    d = pdf_doc_new(a, "x");
    struct pdf_chart c = {.n = 0};
    pdf_chart(d, &c);
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_INVALID);
    assert_int_equal(out.len, 0);
    buf_release(&out);
    arena_free(a);
}

static void too_many_pages(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct pdf_doc *d = pdf_doc_new(a, "x");
    for (int i = 0; i < PDF_MAX_PAGES + 2; i++) {
        pdf_para(d, "p");
        pdf_page_break(d);
    }
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    assert_int_equal(pdf_render(d, &out, NULL, &e), ERR_TOO_BIG);
    assert_non_null(strstr(e.msg, "pagina"));
    buf_release(&out);
    arena_free(a);
}

static void invalid_utf8_is_repaired(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct pdf_doc *d = pdf_doc_new(a, "Titel \xff\xfe kapot");
    pdf_para(d, "tekst \xc3 afgebroken \xe2\x82");
    const char *h[1] = {"\x80"};
    pdf_table_begin(d, 1, h, NULL, NULL);
    pdf_table_row(d, h);
    pdf_table_end(d);
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    assert_int_equal(pdf_render(d, &out, NULL, &e), 0);
    assert_memory_equal(out.p, "%PDF-", 5);
    buf_release(&out);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renders_document),
        cmocka_unit_test(hidden_values_are_gaps),
        cmocka_unit_test(long_paragraph_flows_over_pages),
        cmocka_unit_test(building_errors),
        cmocka_unit_test(too_many_pages),
        cmocka_unit_test(invalid_utf8_is_repaired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
