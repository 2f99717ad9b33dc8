/*
 * pdf.h: a small document model rendered to PDF on the server with cairo + pango (A4 portrait,
 * font "DejaVu Sans"). Callers build a document block by block — headings, paragraphs, bullet
 * lists, key/value blocks, note boxes, tables whose header row repeats on every page, and line
 * charts — and render it into a buf. Every text is plain text: nothing is interpreted as pango
 * markup, so user content cannot change the layout. Used by the data pack (report/data_pack.h),
 * the minutes of a conversation and the council report. docs/conversations.md "PDF documents".
 *
 * Errors while building are sticky: the add functions never fail loudly, the first problem
 * (a limit passed, a bad argument) is kept and returned by pdf_render with a Dutch message.
 */
#ifndef DUIDING_REPORT_PDF_H
#define DUIDING_REPORT_PDF_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>

#define PDF_MAX_PAGES      400   /* a rendered document longer than this is refused */
#define PDF_MAX_BLOCKS     20000 /* headings, paragraphs, rows, ... together */
#define PDF_MAX_TABLE_ROWS 5000  /* rows of one table */
#define PDF_MAX_COLS       12
#define PDF_MAX_POINTS     120   /* periods of one chart */
#define PDF_MAX_MARKERS    40    /* event markers of one chart */
#define PDF_MAX_TEXT       20000 /* bytes of one paragraph or cell (longer text is cut with …) */
#define PDF_MAX_BYTES      (64u * 1024u * 1024u) /* the PDF itself */

struct pdf_doc;

/** A new empty document (arena-owned; the arena must outlive pdf_render). title is shown in the
 * title block of the first page and set as the PDF title. */
struct pdf_doc *pdf_doc_new(struct arena *a, const char *title);
/** A line under the title (e.g. "Kwaliteitsgesprek Emmen – Q1 2026"). */
void pdf_set_subtitle(struct pdf_doc *d, const char *subtitle);
/** Text at the left of the footer of every page (e.g. "Momentopname 12-03-2026 · sha256 …");
 * the right side always says "pagina N van M". */
void pdf_set_footer(struct pdf_doc *d, const char *footer);
/** PDF metadata: author (the organisation) and subject. */
void pdf_set_meta(struct pdf_doc *d, const char *author, const char *subject);

/** Headings: level 1..3. A heading is never left alone at the bottom of a page. */
void pdf_heading(struct pdf_doc *d, int level, const char *text);
/** A paragraph of running text; newlines in text start new lines. */
void pdf_para(struct pdf_doc *d, const char *text);
/** A paragraph in a smaller, grey type (explanations, sources). */
void pdf_small(struct pdf_doc *d, const char *text);
/** One bullet item (consecutive items form a list). */
void pdf_bullet(struct pdf_doc *d, const char *text);
/** One key/value line (consecutive lines form an aligned block). */
void pdf_kv(struct pdf_doc *d, const char *key, const char *value);
/** A framed, shaded note (e.g. "Momentopname van ...; latere correcties staan hier niet in"). */
void pdf_note(struct pdf_doc *d, const char *text);
/** Starts a new page. */
void pdf_page_break(struct pdf_doc *d);

/* Tables: begin with the header cells and the relative column widths (NULL = equal; any
 * positive numbers, scaled to the text width), add rows, end. The header row repeats on every
 * page the table runs over; a row is never split over two pages. align: NULL or a string of
 * ncols characters 'l' / 'r' / 'c'. */
void pdf_table_begin(struct pdf_doc *d, int ncols, const char *const *headers, const double *widths,
                     const char *align);
void pdf_table_row(struct pdf_doc *d, const char *const *cells);
/** Like pdf_table_row, in bold with a rule above (a total row). */
void pdf_table_row_strong(struct pdf_doc *d, const char *const *cells);
void pdf_table_end(struct pdf_doc *d);

/* A line chart: periods on the x axis, one series of values. NAN values are gaps (a hidden
 * figure is never drawn as 0). Optional per period: an interval band (lo/hi), a target (a
 * dashed line), a benchmark band (p25..p75). Markers put a labelled tick (a context event) at a
 * position on the x axis (0 = first period; fractions lie between periods). */
struct pdf_chart_marker {
    double x;
    const char *label;
};
struct pdf_chart {
    const char *title;                 /* above the chart; NULL for none */
    const char *y_label;               /* e.g. "%" or "dagen"; NULL for none */
    int n;                             /* periods, 1..PDF_MAX_POINTS */
    const char *const *x_labels;       /* n labels, e.g. "2025-Q3" */
    const double *values;              /* n values, NAN = hidden / no figure */
    const double *lo, *hi;             /* NULL or n values: interval band */
    const double *target;              /* NULL or n values: target line */
    const double *bench_lo, *bench_hi; /* NULL or n values: benchmark band */
    const struct pdf_chart_marker *markers;
    int nmarkers;
    bool percent; /* y axis 0..100 at most; labels with "%" */
};
/** Copies the chart (arrays included) into the document. */
void pdf_chart(struct pdf_doc *d, const struct pdf_chart *c);

/** Renders the document as a PDF into out (initialised by the caller, max >= PDF_MAX_BYTES
 * recommended). 0; ERR_INVALID / ERR_TOO_BIG with the reason in e (a limit, a building error);
 * ERR_INTERNAL when cairo fails. *pages_out (optional) gets the number of pages. */
int pdf_render(struct pdf_doc *d, struct buf *out, int *pages_out, struct err_ctx *e);

#endif
