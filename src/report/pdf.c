/*
 * pdf.c: the document renderer behind report/pdf.h. Blocks are collected in the caller's arena
 * and laid out twice with cairo + pango: a first pass on a discarding PDF surface counts the
 * pages (so every footer can say "pagina 2 van 7"), the second pass draws into the caller's
 * buf. Text is always set with pango_layout_set_text (never markup) after UTF-8 repair, so
 * user content is typeset literally. Typography: DejaVu Sans, body 9.5 pt with 1.35 line
 * spacing, A4 with 20 mm margins, a running header from page 2 and a footer on every page.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "report/pdf.h"
#include "core/common.h"

#if defined(__SANITIZE_ADDRESS__)
/* fontconfig (under pango) keeps font patterns it never frees, and LeakSanitizer reports them
 * at exit in every process that drew text; they are not duiding's. This hook is the sanitizer's
 * documented way to suppress them; it exists only in sanitizer builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

/* ---- Page geometry and typography (points, 1/72 inch) ------------------------------------ */

#define PAGE_W      595.276 /* A4 */
#define PAGE_H      841.890
#define MARGIN_X    56.7 /* 20 mm */
#define MARGIN_TOP  62.0
#define MARGIN_BOT  70.0
#define TEXT_W      (PAGE_W - 2 * MARGIN_X)
#define BODY_BOTTOM (PAGE_H - MARGIN_BOT)
#define FOOTER_Y    (PAGE_H - 44.0)

#define FONT_FAMILY  "DejaVu Sans"
#define SIZE_BODY    9.5
#define SIZE_SMALL   8.0
#define SIZE_TABLE   8.5
#define SIZE_TITLE   20.0
#define SIZE_SUB     11.0
#define LINE_SPACING 1.35f

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.0
#define CHART_H    190.0 /* plot area with axes */

struct rgb {
    double r, g, b;
};
static const struct rgb C_TEXT = {0.10, 0.10, 0.12};
static const struct rgb C_GREY = {0.38, 0.38, 0.42};
static const struct rgb C_ACCENT = {0.114, 0.310, 0.569}; /* #1d4f91 */
static const struct rgb C_RULE = {0.78, 0.80, 0.83};
static const struct rgb C_HEAD_BG = {0.906, 0.933, 0.965};
static const struct rgb C_ZEBRA = {0.972, 0.976, 0.98};
static const struct rgb C_NOTE_BG = {1.0, 0.973, 0.882};
static const struct rgb C_NOTE_BAR = {0.85, 0.62, 0.0};
static const struct rgb C_BAND = {0.80, 0.86, 0.94};
static const struct rgb C_BENCH = {0.90, 0.90, 0.90};
static const struct rgb C_TARGET = {0.78, 0.36, 0.05};
static const struct rgb C_MARKER = {0.45, 0.20, 0.55};

/* ---- The document model ------------------------------------------------------------------- */

enum blk_kind {
    B_HEADING,
    B_PARA,
    B_SMALL,
    B_BULLET,
    B_KV,
    B_NOTE,
    B_BREAK,
    B_TABLE, /* the start of a table: columns and header */
    B_ROW,
    B_TABLE_END,
    B_CHART,
};

struct table {
    int ncols;
    const char **headers;
    double *widths; /* points */
    char align[PDF_MAX_COLS];
    int nrows;
};

struct blk {
    enum blk_kind kind;
    int level;                /* heading level; row: 1 = strong */
    const char *text, *text2; /* kv: key, value */
    const char **cells;       /* row */
    struct table *table;      /* table start and rows */
    struct pdf_chart *chart;
    struct blk *next;
};

struct pdf_doc {
    struct arena *a;
    const char *title, *subtitle, *footer, *author, *subject;
    struct blk *first, *last;
    int nblocks;
    struct table *open_table;
    int err; /* sticky building error */
    char errmsg[160];
};

static void fail(struct pdf_doc *d, int code, const char *msg)
{
    if (d->err == 0) {
        d->err = code;
        snprintf(d->errmsg, sizeof d->errmsg, "%s", msg);
    }
}

/* Copies text into the arena as valid UTF-8 of at most PDF_MAX_TEXT bytes (cut at a character
 * boundary with "…"); invalid bytes become U+FFFD. NULL becomes "". */
static const char *clean_text(struct pdf_doc *d, const char *s)
{
    if (s == NULL)
        return "";
    size_t n = strlen(s);
    bool cut = false;
    if (n > PDF_MAX_TEXT) {
        n = PDF_MAX_TEXT;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    const char *end = NULL;
    char *out;
    if (g_utf8_validate(s, (gssize)n, &end)) {
        out = arena_alloc(d->a, n + 4);
        if (out == NULL)
            goto nomem;
        memcpy(out, s, n);
        out[n] = '\0';
    } else {
        gchar *fixed = g_utf8_make_valid(s, (gssize)n);
        size_t fl = strlen(fixed);
        out = arena_alloc(d->a, fl + 4);
        if (out == NULL) {
            g_free(fixed);
            goto nomem;
        }
        memcpy(out, fixed, fl + 1);
        g_free(fixed);
        n = fl;
    }
    if (cut)
        memcpy(out + n, "\xE2\x80\xA6", 4); /* … and the NUL */
    return out;
nomem:
    fail(d, ERR_TOO_BIG, "het document is te groot voor het geheugen");
    return "";
}

static struct blk *add(struct pdf_doc *d, enum blk_kind k)
{
    if (d == NULL || d->err)
        return NULL;
    if (d->nblocks >= PDF_MAX_BLOCKS) {
        fail(d, ERR_TOO_BIG, "het document heeft te veel onderdelen");
        return NULL;
    }
    if (d->open_table && k != B_ROW && k != B_TABLE_END) {
        fail(d, ERR_INVALID, "een tabel is niet afgesloten");
        return NULL;
    }
    struct blk *b = arena_calloc(d->a, 1, sizeof *b);
    if (b == NULL) {
        fail(d, ERR_TOO_BIG, "het document is te groot voor het geheugen");
        return NULL;
    }
    b->kind = k;
    if (d->last)
        d->last->next = b;
    else
        d->first = b;
    d->last = b;
    d->nblocks++;
    return b;
}

struct pdf_doc *pdf_doc_new(struct arena *a, const char *title)
{
    struct pdf_doc *d = arena_calloc(a, 1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->a = a;
    d->title = clean_text(d, title);
    return d;
}

void pdf_set_subtitle(struct pdf_doc *d, const char *s)
{
    if (d)
        d->subtitle = clean_text(d, s);
}

void pdf_set_footer(struct pdf_doc *d, const char *s)
{
    if (d)
        d->footer = clean_text(d, s);
}

void pdf_set_meta(struct pdf_doc *d, const char *author, const char *subject)
{
    if (d == NULL)
        return;
    d->author = author ? clean_text(d, author) : NULL;
    d->subject = subject ? clean_text(d, subject) : NULL;
}

static void add_text(struct pdf_doc *d, enum blk_kind k, int level, const char *t)
{
    struct blk *b = add(d, k);
    if (b) {
        b->level = level;
        b->text = clean_text(d, t);
    }
}

void pdf_heading(struct pdf_doc *d, int level, const char *text)
{
    if (d && (level < 1 || level > 3)) {
        fail(d, ERR_INVALID, "kopniveau buiten 1-3");
        return;
    }
    add_text(d, B_HEADING, level, text);
}

void pdf_para(struct pdf_doc *d, const char *text)
{
    add_text(d, B_PARA, 0, text);
}
void pdf_small(struct pdf_doc *d, const char *text)
{
    add_text(d, B_SMALL, 0, text);
}
void pdf_bullet(struct pdf_doc *d, const char *text)
{
    add_text(d, B_BULLET, 0, text);
}
void pdf_note(struct pdf_doc *d, const char *text)
{
    add_text(d, B_NOTE, 0, text);
}
void pdf_page_break(struct pdf_doc *d)
{
    add(d, B_BREAK);
}

void pdf_kv(struct pdf_doc *d, const char *key, const char *value)
{
    struct blk *b = add(d, B_KV);
    if (b) {
        b->text = clean_text(d, key);
        b->text2 = clean_text(d, value);
    }
}

void pdf_table_begin(struct pdf_doc *d, int ncols, const char *const *headers, const double *widths,
                     const char *align)
{
    if (d == NULL || d->err)
        return;
    if (ncols < 1 || ncols > PDF_MAX_COLS || headers == NULL) {
        fail(d, ERR_INVALID, "een tabel heeft 1 tot 12 kolommen met koppen");
        return;
    }
    struct blk *b = add(d, B_TABLE);
    if (b == NULL)
        return;
    struct table *t = arena_calloc(d->a, 1, sizeof *t);
    const char **h = arena_calloc(d->a, (size_t)ncols, sizeof *h);
    double *w = arena_calloc(d->a, (size_t)ncols, sizeof *w);
    if (t == NULL || h == NULL || w == NULL) {
        fail(d, ERR_TOO_BIG, "het document is te groot voor het geheugen");
        return;
    }
    double sum = 0;
    for (int i = 0; i < ncols; i++) {
        h[i] = clean_text(d, headers[i]);
        double wi = widths ? widths[i] : 1.0;
        if (!(wi > 0) || !isfinite(wi)) {
            fail(d, ERR_INVALID, "een kolombreedte moet positief zijn");
            return;
        }
        w[i] = wi;
        sum += wi;
    }
    for (int i = 0; i < ncols; i++) {
        w[i] = w[i] / sum * TEXT_W;
        char c = (align && strlen(align) > (size_t)i) ? align[i] : 'l';
        t->align[i] = (c == 'r' || c == 'c') ? c : 'l';
    }
    t->ncols = ncols;
    t->headers = h;
    t->widths = w;
    b->table = t;
    d->open_table = t;
}

static void add_row(struct pdf_doc *d, const char *const *cells, int strong)
{
    if (d == NULL || d->err)
        return;
    struct table *t = d->open_table;
    if (t == NULL) {
        fail(d, ERR_INVALID, "een tabelrij buiten een tabel");
        return;
    }
    if (t->nrows >= PDF_MAX_TABLE_ROWS) {
        fail(d, ERR_TOO_BIG, "een tabel heeft te veel rijen");
        return;
    }
    struct blk *b = add(d, B_ROW);
    if (b == NULL)
        return;
    const char **c = arena_calloc(d->a, (size_t)t->ncols, sizeof *c);
    if (c == NULL) {
        fail(d, ERR_TOO_BIG, "het document is te groot voor het geheugen");
        return;
    }
    for (int i = 0; i < t->ncols; i++)
        c[i] = clean_text(d, cells ? cells[i] : NULL);
    b->cells = c;
    b->table = t;
    b->level = strong;
    t->nrows++;
}

void pdf_table_row(struct pdf_doc *d, const char *const *cells)
{
    add_row(d, cells, 0);
}
void pdf_table_row_strong(struct pdf_doc *d, const char *const *cells)
{
    add_row(d, cells, 1);
}

void pdf_table_end(struct pdf_doc *d)
{
    if (d == NULL || d->err)
        return;
    if (d->open_table == NULL) {
        fail(d, ERR_INVALID, "een tabel wordt afgesloten die niet begonnen is");
        return;
    }
    struct blk *b = add(d, B_TABLE_END);
    if (b)
        b->table = d->open_table;
    d->open_table = NULL;
}

static double *copy_series(struct pdf_doc *d, const double *src, int n)
{
    if (src == NULL)
        return NULL;
    double *p = arena_alloc(d->a, (size_t)n * sizeof *p);
    if (p == NULL) {
        fail(d, ERR_TOO_BIG, "het document is te groot voor het geheugen");
        return NULL;
    }
    memcpy(p, src, (size_t)n * sizeof *p);
    return p;
}

void pdf_chart(struct pdf_doc *d, const struct pdf_chart *c)
{
    if (d == NULL || d->err || c == NULL)
        return;
    if (c->n < 1 || c->n > PDF_MAX_POINTS || c->values == NULL || c->x_labels == NULL) {
        fail(d, ERR_INVALID, "een grafiek heeft 1 tot 120 perioden met waarden");
        return;
    }
    if (c->nmarkers < 0 || c->nmarkers > PDF_MAX_MARKERS || (c->nmarkers > 0 && !c->markers)) {
        fail(d, ERR_INVALID, "een grafiek heeft te veel markeringen");
        return;
    }
    struct blk *b = add(d, B_CHART);
    if (b == NULL)
        return;
    struct pdf_chart *k = arena_calloc(d->a, 1, sizeof *k);
    const char **labels = arena_calloc(d->a, (size_t)c->n, sizeof *labels);
    struct pdf_chart_marker *m =
        c->nmarkers ? arena_calloc(d->a, (size_t)c->nmarkers, sizeof *m) : NULL;
    if (k == NULL || labels == NULL || (c->nmarkers && m == NULL)) {
        fail(d, ERR_TOO_BIG, "het document is te groot voor het geheugen");
        return;
    }
    *k = *c;
    k->title = c->title ? clean_text(d, c->title) : NULL;
    k->y_label = c->y_label ? clean_text(d, c->y_label) : NULL;
    for (int i = 0; i < c->n; i++)
        labels[i] = clean_text(d, c->x_labels[i]);
    k->x_labels = labels;
    k->values = copy_series(d, c->values, c->n);
    k->lo = copy_series(d, c->lo, c->n);
    k->hi = copy_series(d, c->hi, c->n);
    k->target = copy_series(d, c->target, c->n);
    k->bench_lo = copy_series(d, c->bench_lo, c->n);
    k->bench_hi = copy_series(d, c->bench_hi, c->n);
    for (int i = 0; i < c->nmarkers; i++) {
        m[i].x = isfinite(c->markers[i].x) ? c->markers[i].x : 0;
        m[i].label = clean_text(d, c->markers[i].label);
    }
    k->markers = m;
    b->chart = k;
}

/* ---- Rendering ---------------------------------------------------------------------------- */

struct render {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *pctx;
    const struct pdf_doc *d;
    bool draw;      /* false in the counting pass */
    int page;       /* 1-based */
    int total;      /* pages, known in the drawing pass */
    double y;       /* cursor */
    bool page_used; /* anything on the current page below the top */
    int outline_h1; /* outline id of the last level-1 heading */
    bool too_many;
};

static PangoLayout *layout_new(struct render *r, double size, bool bold, double width)
{
    PangoLayout *l = pango_layout_new(r->pctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FONT_FAMILY);
    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    return l;
}

static PangoLayout *text_layout(struct render *r, const char *text, double size, bool bold,
                                double width, float spacing)
{
    PangoLayout *l = layout_new(r, size, bold, width);
    if (spacing > 0)
        pango_layout_set_line_spacing(l, spacing);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double layout_h(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

static void set_rgb(struct render *r, struct rgb c)
{
    cairo_set_source_rgb(r->cr, c.r, c.g, c.b);
}

static void show(struct render *r, PangoLayout *l, double x, double y, struct rgb c)
{
    if (!r->draw)
        return;
    set_rgb(r, c);
    cairo_move_to(r->cr, x, y);
    pango_cairo_show_layout(r->cr, l);
}

static void page_decorations(struct render *r)
{
    if (!r->draw)
        return;
    const struct pdf_doc *d = r->d;
    cairo_t *cr = r->cr;
    /* Running header from page 2: the title, small and grey. */
    if (r->page > 1 && d->title[0]) {
        PangoLayout *l = text_layout(r, d->title, 7.5, false, TEXT_W, 0);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        show(r, l, MARGIN_X, MARGIN_TOP - 30, C_GREY);
        g_object_unref(l);
        set_rgb(r, C_RULE);
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, MARGIN_X, MARGIN_TOP - 16);
        cairo_line_to(cr, PAGE_W - MARGIN_X, MARGIN_TOP - 16);
        cairo_stroke(cr);
    }
    /* Footer: rule, the document's footer text at the left, the page number at the right. */
    set_rgb(r, C_RULE);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN_X, FOOTER_Y - 6);
    cairo_line_to(cr, PAGE_W - MARGIN_X, FOOTER_Y - 6);
    cairo_stroke(cr);
    char num[80];
    snprintf(num, sizeof num, _("pagina %d van %d"), r->page, r->total);
    PangoLayout *pn = text_layout(r, num, 7.5, false, 0, 0);
    double pw = layout_w(pn);
    show(r, pn, PAGE_W - MARGIN_X - pw, FOOTER_Y, C_GREY);
    g_object_unref(pn);
    if (d->footer && d->footer[0]) {
        PangoLayout *fl = text_layout(r, d->footer, 7.5, false, TEXT_W - pw - 16, 0);
        pango_layout_set_ellipsize(fl, PANGO_ELLIPSIZE_END);
        show(r, fl, MARGIN_X, FOOTER_Y, C_GREY);
        g_object_unref(fl);
    }
}

static void new_page(struct render *r)
{
    if (r->draw)
        cairo_show_page(r->cr);
    r->page++;
    if (r->page > PDF_MAX_PAGES)
        r->too_many = true;
    r->y = MARGIN_TOP;
    r->page_used = false;
    page_decorations(r);
}

/* Makes room for h points (a new page when they do not fit and the page has content). */
static void need(struct render *r, double h)
{
    if (r->y + h > BODY_BOTTOM && r->page_used)
        new_page(r);
}

/* Draws a wrapped layout line by line from the cursor, breaking pages between lines. bg (if not
 * NULL) shades each page's part with a left bar (note boxes). x: left edge of the text. */
static void flow(struct render *r, PangoLayout *l, double x, double pad, const struct rgb *bg,
                 struct rgb colour)
{
    int nlines = pango_layout_get_line_count(l);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double *top = g_new(double, (size_t)nlines + 1);
    double *base = g_new(double, (size_t)nlines);
    int i = 0;
    do {
        int y0, y1;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        if (i < nlines) {
            top[i] = (double)y0 / PANGO_SCALE;
            base[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            top[i + 1] = (double)y1 / PANGO_SCALE;
        }
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    int from = 0;
    while (from < nlines) {
        /* How many lines fit on this page? At least one on an empty page. */
        double avail = BODY_BOTTOM - r->y - 2 * pad;
        int to = from;
        while (to < nlines && top[to + 1] - top[from] <= avail)
            to++;
        if (to == from) {
            if (r->page_used) {
                new_page(r);
                continue;
            }
            to = from + 1;
        }
        double h = top[to] - top[from];
        if (r->draw && bg) {
            set_rgb(r, *bg);
            cairo_rectangle(r->cr, MARGIN_X, r->y, TEXT_W, h + 2 * pad);
            cairo_fill(r->cr);
            set_rgb(r, C_NOTE_BAR);
            cairo_rectangle(r->cr, MARGIN_X, r->y, 3, h + 2 * pad);
            cairo_fill(r->cr);
        }
        if (r->draw) {
            set_rgb(r, colour);
            for (int k = from; k < to; k++) {
                PangoLayoutLine *line = pango_layout_get_line_readonly(l, k);
                cairo_move_to(r->cr, x, r->y + pad + (base[k] - top[from]));
                pango_cairo_show_layout_line(r->cr, line);
            }
        }
        r->y += h + 2 * pad;
        r->page_used = true;
        from = to;
        if (from < nlines)
            new_page(r);
    }
    g_free(top);
    g_free(base);
}

static void title_block(struct render *r)
{
    const struct pdf_doc *d = r->d;
    PangoLayout *t = text_layout(r, d->title, SIZE_TITLE, true, TEXT_W, 1.15f);
    show(r, t, MARGIN_X, r->y, C_ACCENT);
    r->y += layout_h(t) + 4;
    g_object_unref(t);
    if (d->subtitle && d->subtitle[0]) {
        PangoLayout *s = text_layout(r, d->subtitle, SIZE_SUB, false, TEXT_W, 1.2f);
        show(r, s, MARGIN_X, r->y, C_GREY);
        r->y += layout_h(s) + 2;
        g_object_unref(s);
    }
    r->y += 6;
    if (r->draw) {
        set_rgb(r, C_ACCENT);
        cairo_set_line_width(r->cr, 1.5);
        cairo_move_to(r->cr, MARGIN_X, r->y);
        cairo_line_to(r->cr, PAGE_W - MARGIN_X, r->y);
        cairo_stroke(r->cr);
    }
    r->y += 14;
    r->page_used = true;
}

static void heading(struct render *r, const struct blk *b)
{
    static const double sizes[] = {0, 15.0, 12.0, 10.5};
    static const double before[] = {0, 14.0, 11.0, 8.0};
    double size = sizes[b->level];
    PangoLayout *l = text_layout(r, b->text, size, true, TEXT_W, 1.2f);
    double h = layout_h(l);
    if (r->page_used)
        r->y += before[b->level];
    /* Keep the heading with at least three lines of what follows. */
    need(r, h + 4 + 3 * SIZE_BODY * LINE_SPACING);
    if (r->draw && b->level <= 2) {
        cairo_surface_t *s = r->surface;
        char *attrs = g_strdup_printf("page=%d pos=[%.1f %.1f]", r->page, MARGIN_X, r->y);
        if (b->level == 1)
            r->outline_h1 =
                cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, b->text, attrs, 0);
        else
            cairo_pdf_surface_add_outline(s, r->outline_h1, b->text, attrs, 0);
        g_free(attrs);
    }
    show(r, l, MARGIN_X, r->y, b->level == 3 ? C_TEXT : C_ACCENT);
    r->y += h + (b->level == 1 ? 6 : 4);
    if (r->draw && b->level == 1) {
        set_rgb(r, C_RULE);
        cairo_set_line_width(r->cr, 0.6);
        cairo_move_to(r->cr, MARGIN_X, r->y - 3);
        cairo_line_to(r->cr, PAGE_W - MARGIN_X, r->y - 3);
        cairo_stroke(r->cr);
    }
    r->page_used = true;
    g_object_unref(l);
}

static void para(struct render *r, const struct blk *b)
{
    bool small = b->kind == B_SMALL;
    PangoLayout *l =
        text_layout(r, b->text, small ? SIZE_SMALL : SIZE_BODY, false, TEXT_W, LINE_SPACING);
    flow(r, l, MARGIN_X, 0, NULL, small ? C_GREY : C_TEXT);
    r->y += small ? 4 : 6;
    g_object_unref(l);
}

static void bullet(struct render *r, const struct blk *b, bool last)
{
    const double indent = 14;
    PangoLayout *l = text_layout(r, b->text, SIZE_BODY, false, TEXT_W - indent, LINE_SPACING);
    PangoLayout *dot = text_layout(r, "\xE2\x80\xA2", SIZE_BODY, false, 0, 0);
    need(r, SIZE_BODY * LINE_SPACING);
    show(r, dot, MARGIN_X + 3, r->y, C_ACCENT);
    flow(r, l, MARGIN_X + indent, 0, NULL, C_TEXT);
    r->y += last ? 6 : 2;
    g_object_unref(l);
    g_object_unref(dot);
}

static void kv(struct render *r, const struct blk *b, bool last)
{
    const double kw = TEXT_W * 0.30;
    PangoLayout *k = text_layout(r, b->text, SIZE_BODY, true, kw - 8, 1.2f);
    PangoLayout *v = text_layout(r, b->text2, SIZE_BODY, false, TEXT_W - kw, 1.2f);
    double h = fmax(layout_h(k), layout_h(v));
    if (h > BODY_BOTTOM - MARGIN_TOP) {
        /* A very long value: key on its own line, the value flowing. */
        need(r, layout_h(k) + 20);
        show(r, k, MARGIN_X, r->y, C_TEXT);
        r->y += layout_h(k) + 2;
        flow(r, v, MARGIN_X + kw, 0, NULL, C_TEXT);
    } else {
        need(r, h);
        show(r, k, MARGIN_X, r->y, C_GREY);
        show(r, v, MARGIN_X + kw, r->y, C_TEXT);
        r->y += h;
    }
    r->y += last ? 8 : 3;
    r->page_used = true;
    g_object_unref(k);
    g_object_unref(v);
}

static void note(struct render *r, const struct blk *b)
{
    const double pad = 7;
    PangoLayout *l = text_layout(r, b->text, SIZE_BODY, false, TEXT_W - 2 * pad - 4, LINE_SPACING);
    r->y += 2;
    need(r, fmin(layout_h(l), 3 * SIZE_BODY * LINE_SPACING) + 2 * pad);
    flow(r, l, MARGIN_X + pad + 4, pad, &C_NOTE_BG, C_TEXT);
    r->y += 10;
    g_object_unref(l);
}

/* ---- Tables ------------------------------------------------------------------------------- */

/* Lays out one row's cells; returns the row height. */
static double row_layouts(struct render *r, const struct table *t, const char *const *cells,
                          bool bold, bool header, PangoLayout **out)
{
    double h = 0;
    for (int i = 0; i < t->ncols; i++) {
        out[i] = text_layout(r, cells[i], header ? SIZE_SMALL : SIZE_TABLE, bold,
                             t->widths[i] - 2 * CELL_PAD_X, 1.15f);
        PangoAlignment al = t->align[i] == 'r'   ? PANGO_ALIGN_RIGHT
                            : t->align[i] == 'c' ? PANGO_ALIGN_CENTER
                                                 : PANGO_ALIGN_LEFT;
        pango_layout_set_alignment(out[i], al);
        h = fmax(h, layout_h(out[i]));
    }
    return h + 2 * CELL_PAD_Y;
}

static void row_draw(struct render *r, const struct table *t, PangoLayout **l, double h,
                     const struct rgb *bg, bool rule_above, struct rgb colour)
{
    if (r->draw) {
        cairo_t *cr = r->cr;
        if (bg) {
            set_rgb(r, *bg);
            cairo_rectangle(cr, MARGIN_X, r->y, TEXT_W, h);
            cairo_fill(cr);
        }
        if (rule_above) {
            set_rgb(r, C_TEXT);
            cairo_set_line_width(cr, 0.8);
            cairo_move_to(cr, MARGIN_X, r->y);
            cairo_line_to(cr, PAGE_W - MARGIN_X, r->y);
            cairo_stroke(cr);
        }
        /* A row taller than a page is clipped rather than spilling over the footer. */
        cairo_save(cr);
        cairo_rectangle(cr, MARGIN_X, r->y, TEXT_W, fmin(h, BODY_BOTTOM - r->y));
        cairo_clip(cr);
        double x = MARGIN_X;
        for (int i = 0; i < t->ncols; i++) {
            show(r, l[i], x + CELL_PAD_X, r->y + CELL_PAD_Y, colour);
            x += t->widths[i];
        }
        cairo_restore(cr);
        set_rgb(r, C_RULE);
        cairo_set_line_width(cr, 0.4);
        cairo_move_to(cr, MARGIN_X, r->y + h);
        cairo_line_to(cr, PAGE_W - MARGIN_X, r->y + h);
        cairo_stroke(cr);
    }
    r->y += fmin(h, BODY_BOTTOM - r->y);
    r->page_used = true;
}

static void free_layouts(PangoLayout **l, int n)
{
    for (int i = 0; i < n; i++)
        g_object_unref(l[i]);
}

static double header_height(struct render *r, const struct table *t)
{
    PangoLayout *hl[PDF_MAX_COLS];
    double h = row_layouts(r, t, t->headers, true, true, hl);
    free_layouts(hl, t->ncols);
    return h;
}

static void header_draw(struct render *r, const struct table *t)
{
    PangoLayout *hl[PDF_MAX_COLS];
    double h = row_layouts(r, t, t->headers, true, true, hl);
    row_draw(r, t, hl, h, &C_HEAD_BG, false, C_TEXT);
    free_layouts(hl, t->ncols);
}

/* Renders a table from its start block; returns the block after its end. */
static const struct blk *table(struct render *r, const struct blk *b)
{
    const struct table *t = b->table;
    double hh = header_height(r, t);
    const struct blk *row = b->next;
    /* The header with at least the first row. */
    double first_h = 0;
    if (row && row->kind == B_ROW) {
        PangoLayout *l[PDF_MAX_COLS];
        first_h = row_layouts(r, t, row->cells, row->level, false, l);
        free_layouts(l, t->ncols);
    }
    r->y += 2;
    need(r, hh + fmin(first_h, 120));
    header_draw(r, t);
    int n = 0;
    for (; row && row->kind == B_ROW; row = row->next, n++) {
        PangoLayout *l[PDF_MAX_COLS];
        double h = row_layouts(r, t, row->cells, row->level, false, l);
        if (r->y + h > BODY_BOTTOM) {
            new_page(r);
            header_draw(r, t);
        }
        row_draw(r, t, l, h, (n % 2) ? &C_ZEBRA : NULL, row->level != 0, C_TEXT);
        free_layouts(l, t->ncols);
    }
    r->y += 10;
    return row && row->kind == B_TABLE_END ? row->next : row;
}

/* ---- Charts ------------------------------------------------------------------------------- */

/* Dutch number for axis labels: decimal comma, no thousands separator below 10 000. */
static void fmt_num(double v, int decimals, char *out, size_t n)
{
    char full[352]; /* any double in %f: snprintf below can then copy or cut it knowingly */
    if (!(fabs(v) < 1e12))
        snprintf(full, sizeof full, "%.3g", v);
    else if (decimals == 2)
        snprintf(full, sizeof full, "%.2f", v);
    else if (decimals == 1)
        snprintf(full, sizeof full, "%.1f", v);
    else
        snprintf(full, sizeof full, "%.0f", v);
    size_t len = strlen(full);
    if (len >= n)
        len = n - 1;
    memcpy(out, full, len);
    out[len] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
}

static double nice_step(double range)
{
    if (!(range > 0))
        return 1;
    double raw = range / 5;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
}

static void scan(const double *s, int n, double *lo, double *hi)
{
    if (s == NULL)
        return;
    for (int i = 0; i < n; i++)
        if (isfinite(s[i])) {
            *lo = fmin(*lo, s[i]);
            *hi = fmax(*hi, s[i]);
        }
}

struct axes {
    double x0, x1, y0, y1; /* plot area: y0 top, y1 bottom */
    double vmin, vmax;
    int n;
};

static double ax_x(const struct axes *a, double i)
{
    double step = (a->x1 - a->x0) / a->n;
    return a->x0 + step * (i + 0.5);
}

static double ax_y(const struct axes *a, double v)
{
    return a->y1 - (v - a->vmin) / (a->vmax - a->vmin) * (a->y1 - a->y0);
}

/* Fills the band between two series over runs of periods where both are known. */
static void band(cairo_t *cr, const struct axes *ax, const double *lo, const double *hi,
                 struct rgb c)
{
    if (lo == NULL || hi == NULL)
        return;
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    int i = 0;
    while (i < ax->n) {
        if (!isfinite(lo[i]) || !isfinite(hi[i])) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < ax->n && isfinite(lo[j + 1]) && isfinite(hi[j + 1]))
            j++;
        double half = (ax->x1 - ax->x0) / ax->n * 0.18; /* a lone period gets a small block */
        double xa = ax_x(ax, i) - (i == j ? half : 0), xb = ax_x(ax, j) + (i == j ? half : 0);
        cairo_move_to(cr, xa, ax_y(ax, hi[i]));
        for (int k = i; k <= j; k++)
            cairo_line_to(cr, i == j ? xa : ax_x(ax, k), ax_y(ax, hi[k]));
        if (i == j)
            cairo_line_to(cr, xb, ax_y(ax, hi[j]));
        for (int k = j; k >= i; k--)
            cairo_line_to(cr, (i == j) ? (k == j ? xb : xa) : ax_x(ax, k), ax_y(ax, lo[k]));
        if (i == j)
            cairo_line_to(cr, xa, ax_y(ax, lo[i]));
        cairo_close_path(cr);
        cairo_fill(cr);
        i = j + 1;
    }
}

/* Draws a series as lines over runs of known values; a lone value as a short tick when
 * tick_alone, and (points) a dot on every known value. */
static void series(cairo_t *cr, const struct axes *ax, const double *v, bool points)
{
    int i = 0;
    while (i < ax->n) {
        if (!isfinite(v[i])) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < ax->n && isfinite(v[j + 1]))
            j++;
        if (j > i) {
            cairo_move_to(cr, ax_x(ax, i), ax_y(ax, v[i]));
            for (int k = i + 1; k <= j; k++)
                cairo_line_to(cr, ax_x(ax, k), ax_y(ax, v[k]));
            cairo_stroke(cr);
        } else if (!points) {
            double half = (ax->x1 - ax->x0) / ax->n * 0.3;
            cairo_move_to(cr, ax_x(ax, i) - half, ax_y(ax, v[i]));
            cairo_line_to(cr, ax_x(ax, i) + half, ax_y(ax, v[i]));
            cairo_stroke(cr);
        }
        if (points)
            for (int k = i; k <= j; k++) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, ax_x(ax, k), ax_y(ax, v[k]), 2.6, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        i = j + 1;
    }
}

static void legend_item(struct render *r, double *x, double y, int kind, struct rgb c,
                        const char *text)
{
    cairo_t *cr = r->cr;
    if (r->draw) {
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        if (kind == 0) { /* line with dot */
            cairo_set_line_width(cr, 1.8);
            cairo_move_to(cr, *x, y + 5);
            cairo_line_to(cr, *x + 16, y + 5);
            cairo_stroke(cr);
            cairo_arc(cr, *x + 8, y + 5, 2.4, 0, 2 * M_PI);
            cairo_fill(cr);
        } else if (kind == 1) { /* band */
            cairo_rectangle(cr, *x, y + 1, 16, 8);
            cairo_fill(cr);
        } else { /* dashed */
            double dash[] = {4, 2.5};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 1.4);
            cairo_move_to(cr, *x, y + 5);
            cairo_line_to(cr, *x + 16, y + 5);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
    }
    PangoLayout *l = text_layout(r, text, 7.5, false, 0, 0);
    show(r, l, *x + 20, y, C_GREY);
    *x += 20 + layout_w(l) + 14;
    g_object_unref(l);
}

static void chart(struct render *r, const struct blk *b)
{
    const struct pdf_chart *c = b->chart;
    cairo_t *cr = r->cr;
    PangoLayout *tl = c->title ? text_layout(r, c->title, 9.5, true, TEXT_W, 1.2f) : NULL;
    double title_h = tl ? layout_h(tl) + 4 : 0;
    /* Marker legend lines under the chart ("1 Wijziging toegang"). */
    double marker_h = c->nmarkers > 0 ? 11.0 * c->nmarkers + 4 : 0;
    double total_h = title_h + CHART_H + 16 + marker_h;
    r->y += 4;
    need(r, total_h);
    if (tl) {
        show(r, tl, MARGIN_X, r->y, C_TEXT);
        r->y += title_h;
        g_object_unref(tl);
    }
    double lo = INFINITY, hi = -INFINITY;
    scan(c->values, c->n, &lo, &hi);
    bool any = isfinite(lo);
    scan(c->lo, c->n, &lo, &hi);
    scan(c->hi, c->n, &lo, &hi);
    scan(c->target, c->n, &lo, &hi);
    scan(c->bench_lo, c->n, &lo, &hi);
    scan(c->bench_hi, c->n, &lo, &hi);
    if (!isfinite(lo)) {
        lo = 0;
        hi = c->percent ? 100 : 1;
    }
    if (lo > 0 && lo < (hi - lo) * 1.5)
        lo = 0; /* start at zero unless the values sit far from it */
    if (hi - lo < 1e-9)
        hi = lo + (fabs(lo) > 0 ? fabs(lo) * 0.2 : 1);
    double step = nice_step(hi - lo);
    struct axes ax = {.n = c->n};
    ax.vmin = floor(lo / step) * step;
    ax.vmax = ceil(hi / step) * step;
    if (c->percent) {
        ax.vmin = fmax(ax.vmin, 0);
        ax.vmax = fmin(ax.vmax, 100);
        if (ax.vmax <= ax.vmin)
            ax.vmax = ax.vmin + step;
    }
    int decimals = step < 1 ? (step < 0.1 ? 2 : 1) : 0;
    if (step >= 1 && fmod(step, 1.0) != 0)
        decimals = 1;
    ax.x0 = MARGIN_X + 44;
    ax.x1 = PAGE_W - MARGIN_X - 6;
    ax.y0 = r->y + 8;
    ax.y1 = r->y + CHART_H - 26;

    if (r->draw) {
        /* Grid and y labels. */
        cairo_set_line_width(cr, 0.4);
        for (double v = ax.vmin; v <= ax.vmax + step * 1e-6; v += step) {
            double y = ax_y(&ax, v);
            set_rgb(r, C_RULE);
            cairo_move_to(cr, ax.x0, y);
            cairo_line_to(cr, ax.x1, y);
            cairo_stroke(cr);
            char lab[40];
            fmt_num(v, decimals, lab, sizeof lab);
            size_t len = strlen(lab);
            if (c->percent && len + 1 < sizeof lab) {
                lab[len] = '%';
                lab[len + 1] = '\0';
            }
            PangoLayout *l = text_layout(r, lab, 7.0, false, 0, 0);
            show(r, l, ax.x0 - 6 - layout_w(l), y - layout_h(l) / 2, C_GREY);
            g_object_unref(l);
        }
        if (c->y_label && c->y_label[0] && !c->percent) {
            PangoLayout *l = text_layout(r, c->y_label, 7.0, false, 0, 0);
            show(r, l, MARGIN_X, ax.y0 - 12, C_GREY);
            g_object_unref(l);
        }
        /* x labels: as many as fit without overlap. */
        double slot = (ax.x1 - ax.x0) / c->n;
        double widest = 0;
        for (int i = 0; i < c->n; i++) {
            PangoLayout *l = text_layout(r, c->x_labels[i], 7.0, false, 0, 0);
            widest = fmax(widest, layout_w(l));
            g_object_unref(l);
        }
        int every = (int)ceil((widest + 6) / slot);
        if (every < 1)
            every = 1;
        for (int i = 0; i < c->n; i += every) {
            PangoLayout *l = text_layout(r, c->x_labels[i], 7.0, false, 0, 0);
            show(r, l, ax_x(&ax, i) - layout_w(l) / 2, ax.y1 + 5, C_GREY);
            g_object_unref(l);
        }
        set_rgb(r, C_GREY);
        cairo_set_line_width(cr, 0.8);
        cairo_move_to(cr, ax.x0, ax.y1);
        cairo_line_to(cr, ax.x1, ax.y1);
        cairo_stroke(cr);

        cairo_save(cr);
        cairo_rectangle(cr, ax.x0, ax.y0 - 4, ax.x1 - ax.x0, ax.y1 - ax.y0 + 4);
        cairo_clip(cr);
        band(cr, &ax, c->bench_lo, c->bench_hi, C_BENCH);
        band(cr, &ax, c->lo, c->hi, C_BAND);
        if (c->target) {
            double dash[] = {5, 3};
            set_rgb(r, C_TARGET);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 1.4);
            series(cr, &ax, c->target, false);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        set_rgb(r, C_ACCENT);
        cairo_set_line_width(cr, 2.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        series(cr, &ax, c->values, true);
        cairo_restore(cr);

        /* Event markers: a dotted vertical line with a number. */
        for (int i = 0; i < c->nmarkers; i++) {
            double mx = ax_x(&ax, c->markers[i].x);
            if (mx < ax.x0 || mx > ax.x1)
                continue;
            double dash[] = {1.5, 2};
            set_rgb(r, C_MARKER);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 0.9);
            cairo_move_to(cr, mx, ax.y0);
            cairo_line_to(cr, mx, ax.y1);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            char num[16];
            snprintf(num, sizeof num, "%d", i + 1);
            PangoLayout *l = text_layout(r, num, 6.5, true, 0, 0);
            show(r, l, mx + 2, ax.y0 - 2, C_MARKER);
            g_object_unref(l);
        }
        if (!any) {
            PangoLayout *l =
                text_layout(r, _("Geen getoonde waarden in deze perioden"), 8.5, false, 0, 0);
            show(r, l, (ax.x0 + ax.x1 - layout_w(l)) / 2, (ax.y0 + ax.y1) / 2 - 6, C_GREY);
            g_object_unref(l);
        }
    }
    /* Legend. */
    double lx = ax.x0, ly = r->y + CHART_H - 8;
    legend_item(r, &lx, ly, 0, C_ACCENT, _("waarde"));
    if (c->lo && c->hi)
        legend_item(r, &lx, ly, 1, C_BAND, _("95%-interval"));
    if (c->target)
        legend_item(r, &lx, ly, 2, C_TARGET, _("streefwaarde"));
    if (c->bench_lo && c->bench_hi)
        legend_item(r, &lx, ly, 1, C_BENCH, _("benchmark (middelste helft)"));
    r->y += CHART_H + 8;
    for (int i = 0; i < c->nmarkers; i++) {
        char *line = g_strdup_printf("%d  %s", i + 1, c->markers[i].label);
        PangoLayout *l = text_layout(r, line, 7.5, false, TEXT_W, 0);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        show(r, l, ax.x0, r->y, C_MARKER);
        r->y += 11;
        g_object_unref(l);
        g_free(line);
    }
    r->y += 10;
    r->page_used = true;
}

/* ---- Driver ------------------------------------------------------------------------------- */

static void run(struct render *r)
{
    r->page = 1;
    r->y = MARGIN_TOP;
    r->page_used = false;
    r->outline_h1 = CAIRO_PDF_OUTLINE_ROOT;
    page_decorations(r);
    title_block(r);
    const struct blk *b = r->d->first;
    while (b && !r->too_many) {
        const struct blk *next = b->next;
        switch (b->kind) {
        case B_HEADING:
            heading(r, b);
            break;
        case B_PARA:
        case B_SMALL:
            para(r, b);
            break;
        case B_BULLET:
            bullet(r, b, next == NULL || next->kind != B_BULLET);
            break;
        case B_KV:
            kv(r, b, next == NULL || next->kind != B_KV);
            break;
        case B_NOTE:
            note(r, b);
            break;
        case B_BREAK:
            if (r->page_used)
                new_page(r);
            break;
        case B_TABLE:
            next = table(r, b);
            break;
        case B_ROW:
        case B_TABLE_END:
            break;
        case B_CHART:
            chart(r, b);
            break;
        }
        b = next;
    }
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure, (void)data, (void)len;
    return CAIRO_STATUS_SUCCESS;
}

struct sink {
    struct buf *out;
    bool too_big;
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    struct sink *s = closure;
    if (s->out->len + len > PDF_MAX_BYTES || buf_append(s->out, data, len) != 0) {
        s->too_big = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static int pass(const struct pdf_doc *d, bool draw, int total, struct sink *sink, int *pages)
{
    cairo_surface_t *s = draw ? cairo_pdf_surface_create_for_stream(to_buf, sink, PAGE_W, PAGE_H)
                              : cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return ERR_INTERNAL;
    }
    if (draw) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "duiding");
        if (d->author)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->author);
        if (d->subject)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, d->subject);
    }
    cairo_t *cr = cairo_create(s);
    PangoContext *pctx = pango_cairo_create_context(cr);
    /* Font sizes are in points on a surface measured in points. */
    pango_cairo_context_set_resolution(pctx, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(pctx, pango_language_from_string("nl"));

    struct render r = {.surface = s, .cr = cr, .pctx = pctx, .d = d, .draw = draw, .total = total};
    run(&r);
    if (draw && !r.too_many)
        cairo_show_page(cr);
    *pages = r.page;
    g_object_unref(pctx);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (r.too_many)
        return ERR_TOO_BIG;
    if (sink && sink->too_big)
        return ERR_TOO_BIG;
    return st == CAIRO_STATUS_SUCCESS ? 0 : ERR_INTERNAL;
}

int pdf_render(struct pdf_doc *d, struct buf *out, int *pages_out, struct err_ctx *e)
{
    if (d == NULL)
        return err_set(e, ERR_TOO_BIG, NULL, "%s",
                       _("Het document is te groot voor het geheugen."));
    if (d->open_table)
        fail(d, ERR_INVALID, "een tabel is niet afgesloten");
    if (d->err)
        return err_set(e, d->err, NULL, _("Het PDF-document kon niet gemaakt worden: %s."),
                       d->errmsg);
    int pages = 0;
    int rc = pass(d, false, 0, NULL, &pages);
    if (rc == ERR_TOO_BIG)
        return err_set(e, rc, NULL, _("Het PDF-document zou meer dan %d pagina's worden."),
                       PDF_MAX_PAGES);
    if (rc != 0)
        return err_set(e, rc, NULL, "%s", _("Het PDF-document kon niet gemaakt worden."));
    struct sink sink = {.out = out};
    int drawn = 0;
    rc = pass(d, true, pages, &sink, &drawn);
    if (rc == ERR_TOO_BIG)
        return err_set(e, rc, NULL, "%s", _("Het PDF-document is te groot."));
    if (rc != 0)
        return err_set(e, rc, NULL, "%s", _("Het PDF-document kon niet gemaakt worden."));
    if (drawn != pages)
        return err_set(e, ERR_INTERNAL, NULL, "pdf: page count changed between passes");
    if (pages_out)
        *pages_out = pages;
    return 0;
}
