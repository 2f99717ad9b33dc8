/*
 * export.c: a disclosed indicator view written as CSV (for Dutch Excel) or XLSX
 * (libxlsxwriter). Only what the view shows is written: a hidden cell is "." in every figure
 * column with the reason in the last column, never 0. Text that a spreadsheet would run as a
 * formula (a label or indicator name starting with = + - @) is neutralised: in CSV by a
 * leading apostrophe, in XLSX because every text is written with worksheet_write_string.
 */
#include "report/export.h"
/* Before common.h: libxlsxwriter's headers use strncpy in macros, which common.h poisons. */
#include "report/xlsx_file.h"

#include "core/common.h"
#include "core/buf.h"
#include "core/period.h"
#include "core/str.h"
#include <math.h>

/* The columns of both formats, in order. Dimension columns (label and code per breakdown
 * dimension) come after COL_PERIOD. */
enum col {
    COL_INDICATOR,
    COL_PERIOD,
    COL_VALUE,
    COL_UNIT,
    COL_N,
    COL_NUM,
    COL_DEN,
    COL_LO,
    COL_HI,
    COL_PREV,
    COL_TARGET,
    COL_BENCH_P25,
    COL_BENCH_MEDIAN,
    COL_BENCH_P75,
    COL_BENCH_N,
    COL_REASON,
    COL__COUNT
};

/* gettext of a msgid from another module; "" for none (gettext(NULL) is undefined). */
static const char *tr(const char *msgid)
{
    return msgid && *msgid ? _(msgid) : "";
}

/* The label of a dimension, or its code when the label is missing. */
static const char *dim_label(enum mx_dim d)
{
    const char *l = tr(mx_dim_label(d));
    return *l ? l : (mx_dim_code(d) ? mx_dim_code(d) : "");
}

static const char *col_header(enum col c)
{
    switch (c) {
    case COL_INDICATOR:
        return _("Indicator");
    case COL_PERIOD:
        return _("Periode");
    case COL_VALUE:
        return _("Waarde");
    case COL_UNIT:
        return _("Eenheid");
    case COL_N:
        return _("Aantal (n)");
    case COL_NUM:
        return _("Teller");
    case COL_DEN:
        return _("Noemer");
    case COL_LO:
        return _("Ondergrens 95%");
    case COL_HI:
        return _("Bovengrens 95%");
    case COL_PREV:
        return _("Vorige periode");
    case COL_TARGET:
        return _("Streefwaarde");
    case COL_BENCH_P25:
        return _("Benchmark 25e percentiel");
    case COL_BENCH_MEDIAN:
        return _("Benchmark mediaan");
    case COL_BENCH_P75:
        return _("Benchmark 75e percentiel");
    case COL_BENCH_N:
        return _("Benchmark aantal vergeleken");
    case COL_REASON:
        return _("Niet getoond, reden");
    case COL__COUNT:
        break;
    }
    return "";
}

static const char *unit_label(const struct ind_def *d)
{
    switch (d ? d->display : IND_SHOW_COUNT) {
    case IND_SHOW_PERCENT:
        return _("procent");
    case IND_SHOW_GRADE:
        return _("cijfer");
    case IND_SHOW_DAYS:
        return _("dagen");
    case IND_SHOW_COUNT:
        return _("aantal");
    case IND_SHOW_RATE:
        return _("per 1.000 inwoners");
    }
    return "";
}

/* Counts are printed without decimals, every other value with one (the precision the pages
 * show: more digits would let a reader recover the unrounded counts behind a percentage). */
static bool value_is_count(const struct mx_view *v)
{
    return v->def && v->def->agg == IND_AGG_COUNT;
}

static double round1(double x)
{
    return round(x * 10.0) / 10.0;
}

const char *export_safe_text(struct arena *a, const char *s)
{
    if (!s)
        return "";
    const char *p = s;
    bool risky = *p == '\t' || *p == '\r';
    while (!risky && (*p == ' ' || *p == '\t'))
        p++;
    risky = risky || *p == '=' || *p == '+' || *p == '-' || *p == '@' || *p == '\r';
    if (!risky)
        return s;
    const char *r = arena_printf(a, "'%s", s);
    return r ? r : "";
}

/* The label of a key: "Totaal" for a margin, the callback's label, or the code. */
static const char *key_label(const struct mx_view *v, const struct export_meta *m, int i,
                             const char *code)
{
    if (!code)
        return _("Totaal");
    const char *l = m && m->label ? m->label(m->label_ctx, v->by[i], code) : NULL;
    if (l && *l)
        return l;
    return *code ? code : _("onbekend");
}

static const char *reason_text(enum dc_reason r)
{
    if (r == DC_SHOWN)
        return "";
    const char *t = tr(dc_reason_text(r));
    return *t ? t : _("Niet getoond.");
}

static bool hidden(const struct mx_vcell *c)
{
    return c->reason != DC_SHOWN;
}

/* --- CSV ---------------------------------------------------------------------------------- */

/* Appends one text field: neutralised against formulas, quoted when it holds ; " CR or LF. */
static int csv_text(struct buf *b, struct arena *a, const char *s, bool first)
{
    int rc = first ? 0 : buf_append_char(b, ';');
    const char *t = export_safe_text(a, s);
    if (rc || !strpbrk(t, ";\"\r\n"))
        return rc ? rc : buf_append_str(b, t);
    rc = buf_append_char(b, '"');
    for (const char *p = t; !rc && *p; p++)
        rc = *p == '"' ? buf_append(b, "\"\"", 2) : buf_append_char(b, *p);
    return rc ? rc : buf_append_char(b, '"');
}

/* Appends a number with a decimal comma; empty for NAN. */
static int csv_num(struct buf *b, double x, int decimals)
{
    char tmp[400]; /* fits any double printed with %.1f */
    int rc = buf_append_char(b, ';');
    if (rc || !isfinite(x))
        return rc;
    if (decimals)
        snprintf(tmp, sizeof tmp, "%.1f", round1(x));
    else
        snprintf(tmp, sizeof tmp, "%.0f", round(x));
    for (char *p = tmp; *p; p++)
        if (*p == '.')
            *p = ',';
    if (strcmp(tmp, "-0") == 0 || strcmp(tmp, "-0,0") == 0)
        return buf_append_str(b, tmp + 1);
    return buf_append_str(b, tmp);
}

static int csv_int(struct buf *b, int64_t x)
{
    int rc = buf_append_char(b, ';');
    return rc || x < 0 ? rc : buf_appendf(b, "%" PRId64, x);
}

static int csv_hidden(struct buf *b)
{
    return buf_append(b, ";.", 2);
}

static int csv_header(struct buf *b, struct arena *a, const struct mx_view *v)
{
    int rc = csv_text(b, a, col_header(COL_INDICATOR), true);
    rc = rc ? rc : csv_text(b, a, col_header(COL_PERIOD), false);
    for (int i = 0; !rc && i < v->nby; i++) {
        const char *dl = dim_label(v->by[i]);
        rc = csv_text(b, a, dl, false);
        const char *code = arena_printf(a, _("%s (code)"), dl);
        rc = rc ? rc : csv_text(b, a, code ? code : dl, false);
    }
    for (int c = COL_VALUE; !rc && c < COL__COUNT; c++)
        rc = csv_text(b, a, col_header((enum col)c), false);
    return rc ? rc : buf_append(b, "\r\n", 2);
}

static int csv_row(struct buf *b, struct arena *a, const struct mx_view *v,
                   const struct export_meta *m, const struct mx_vcell *c)
{
    char plabel[PERIOD_LABEL_MAX] = "";
    bool count = value_is_count(v), hide = hidden(c);
    bool median = v->def && v->def->agg == IND_AGG_MEDIAN;
    if (c->period_idx >= 0 && c->period_idx < v->nperiods)
        period_label(v->periods[c->period_idx], plabel, sizeof plabel);
    int rc = csv_text(b, a, v->def ? v->def->name : "", true);
    rc = rc ? rc : csv_text(b, a, plabel, false);
    for (int i = 0; !rc && i < v->nby; i++) {
        rc = csv_text(b, a, key_label(v, m, i, c->key[i]), false);
        rc = rc ? rc : csv_text(b, a, c->key[i] ? c->key[i] : "", false);
    }
    if (rc)
        return rc;
    if (hide) {
        rc = csv_hidden(b); /* waarde */
        rc = rc ? rc : csv_text(b, a, unit_label(v->def), false);
        for (int k = 0; !rc && k < 5; k++) /* n, teller, noemer, ondergrens, bovengrens */
            rc = csv_hidden(b);
    } else {
        rc = csv_num(b, c->value, count ? 0 : 1);
        rc = rc ? rc : csv_text(b, a, unit_label(v->def), false);
        rc = rc ? rc : csv_int(b, c->n);
        rc = rc ? rc : csv_int(b, median ? -1 : c->num);
        rc = rc ? rc : csv_int(b, c->den);
        rc = rc ? rc : csv_num(b, c->lo, 1);
        rc = rc ? rc : csv_num(b, c->hi, 1);
    }
    rc = rc ? rc : csv_num(b, c->prev, count ? 0 : 1);
    rc = rc ? rc : csv_num(b, c->target, count ? 0 : 1);
    rc = rc ? rc : csv_num(b, c->bench_p25, count ? 0 : 1);
    rc = rc ? rc : csv_num(b, c->bench_median, count ? 0 : 1);
    rc = rc ? rc : csv_num(b, c->bench_p75, count ? 0 : 1);
    rc = rc ? rc : (c->bench_entities > 0 ? csv_int(b, c->bench_entities) : csv_int(b, -1));
    rc = rc ? rc : csv_text(b, a, reason_text(c->reason), false);
    return rc ? rc : buf_append(b, "\r\n", 2);
}

int export_csv(const struct mx_view *v, const struct export_meta *m, struct arena *a,
               const char **out, size_t *len, struct err_ctx *e)
{
    struct buf b;
    buf_init(&b, BUF_MAX_EXPORT);
    /* The BOM makes Excel read the file as UTF-8 instead of Windows-1252. */
    int rc = buf_append(&b, "\xEF\xBB\xBF", 3);
    rc = rc ? rc : csv_header(&b, a, v);
    for (size_t i = 0; !rc && i < v->ncells; i++)
        rc = csv_row(&b, a, v, m, &v->cells[i]);
    if (rc) {
        buf_release(&b);
        err_set(e, rc == ERR_TOO_BIG ? ERR_TOO_BIG : ERR_NOMEM, NULL, "%s",
                _("Het bestand wordt te groot."));
        return rc == ERR_TOO_BIG ? ERR_TOO_BIG : ERR_NOMEM;
    }
    char *copy = arena_strndup(a, buf_cstr(&b), b.len);
    size_t n = b.len;
    buf_release(&b);
    if (!copy) {
        err_set(e, ERR_NOMEM, NULL, "%s", _("Het bestand wordt te groot."));
        return ERR_NOMEM;
    }
    *out = copy;
    *len = n;
    return 0;
}

/* --- XLSX --------------------------------------------------------------------------------- */

struct xl {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *wrap, *dec1, *int0;
    lxw_error err;
};

static void xl_str(struct xl *x, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    lxw_error rc = worksheet_write_string(x->ws, r, c, s ? s : "", f);
    if (rc && !x->err)
        x->err = rc;
}

static void xl_num(struct xl *x, lxw_row_t r, lxw_col_t c, double v, bool count)
{
    if (!isfinite(v))
        return;
    lxw_error rc = worksheet_write_number(x->ws, r, c, count ? round(v) : round1(v),
                                          count ? x->int0 : x->dec1);
    if (rc && !x->err)
        x->err = rc;
}

static void xl_int(struct xl *x, lxw_row_t r, lxw_col_t c, int64_t v)
{
    if (v >= 0)
        xl_num(x, r, c, (double)v, true);
}

static void xl_table(struct xl *x, const struct mx_view *v, const struct export_meta *m,
                     struct arena *a)
{
    lxw_col_t col = 0;
    bool count = value_is_count(v);
    bool median = v->def && v->def->agg == IND_AGG_MEDIAN;
    xl_str(x, 0, col++, col_header(COL_INDICATOR), x->bold);
    xl_str(x, 0, col++, col_header(COL_PERIOD), x->bold);
    for (int i = 0; i < v->nby; i++) {
        const char *dl = dim_label(v->by[i]);
        const char *code = arena_printf(a, _("%s (code)"), dl);
        xl_str(x, 0, col++, dl, x->bold);
        xl_str(x, 0, col++, code ? code : dl, x->bold);
    }
    lxw_col_t first_fig = col;
    for (int c = COL_VALUE; c < COL__COUNT; c++)
        xl_str(x, 0, col++, col_header((enum col)c), x->bold);
    lxw_col_t ncols = col;

    for (size_t i = 0; i < v->ncells && !x->err; i++) {
        const struct mx_vcell *c = &v->cells[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        char plabel[PERIOD_LABEL_MAX] = "";
        if (c->period_idx >= 0 && c->period_idx < v->nperiods)
            period_label(v->periods[c->period_idx], plabel, sizeof plabel);
        col = 0;
        xl_str(x, r, col++, v->def ? v->def->name : "", NULL);
        xl_str(x, r, col++, plabel, NULL);
        for (int k = 0; k < v->nby; k++) {
            xl_str(x, r, col++, key_label(v, m, k, c->key[k]), NULL);
            xl_str(x, r, col++, c->key[k] ? c->key[k] : "", NULL);
        }
        col = first_fig;
        if (hidden(c)) {
            xl_str(x, r, col, ".", NULL);
            for (int k = COL_N; k <= COL_HI; k++)
                xl_str(x, r, col + (lxw_col_t)(k - COL_VALUE), ".", NULL);
        } else {
            xl_num(x, r, col, c->value, count);
            xl_int(x, r, col + COL_N - COL_VALUE, c->n);
            xl_int(x, r, col + COL_NUM - COL_VALUE, median ? -1 : c->num);
            xl_int(x, r, col + COL_DEN - COL_VALUE, c->den);
            xl_num(x, r, col + COL_LO - COL_VALUE, c->lo, false);
            xl_num(x, r, col + COL_HI - COL_VALUE, c->hi, false);
        }
        xl_str(x, r, col + COL_UNIT - COL_VALUE, unit_label(v->def), NULL);
        xl_num(x, r, col + COL_PREV - COL_VALUE, c->prev, count);
        xl_num(x, r, col + COL_TARGET - COL_VALUE, c->target, count);
        xl_num(x, r, col + COL_BENCH_P25 - COL_VALUE, c->bench_p25, count);
        xl_num(x, r, col + COL_BENCH_MEDIAN - COL_VALUE, c->bench_median, count);
        xl_num(x, r, col + COL_BENCH_P75 - COL_VALUE, c->bench_p75, count);
        if (c->bench_entities > 0)
            xl_int(x, r, col + COL_BENCH_N - COL_VALUE, c->bench_entities);
        if (hidden(c))
            xl_str(x, r, col + COL_REASON - COL_VALUE, reason_text(c->reason), NULL);
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    worksheet_autofilter(x->ws, 0, 0, (lxw_row_t)v->ncells, (lxw_col_t)(ncols - 1));
    worksheet_set_column(x->ws, 0, 0, 40, NULL);
    worksheet_set_column(x->ws, 1, (lxw_col_t)(first_fig - 1), 18, NULL);
    worksheet_set_column(x->ws, first_fig, (lxw_col_t)(ncols - 2), 12, NULL);
    worksheet_set_column(x->ws, (lxw_col_t)(ncols - 1), (lxw_col_t)(ncols - 1), 60, NULL);
}

/* One "name: value" line of the explanation sheet. */
static void xl_kv(struct xl *x, lxw_row_t *r, const char *k, const char *val)
{
    if (!val || !*val)
        return;
    xl_str(x, *r, 0, k, x->bold);
    xl_str(x, *r, 1, val, x->wrap);
    (*r)++;
}

static const char *agg_label(enum ind_agg g)
{
    switch (g) {
    case IND_AGG_PROPORTION:
        return _("aandeel (percentage)");
    case IND_AGG_MEAN:
        return _("gemiddelde");
    case IND_AGG_MEDIAN:
        return _("mediaan");
    case IND_AGG_COUNT:
        return _("aantal");
    case IND_AGG_RATE:
        return _("per 1.000 inwoners");
    }
    return "";
}

static const char *anchor_label(enum ind_anchor x)
{
    switch (x) {
    case IND_ANCHOR_END:
        return _("einddatum in de periode");
    case IND_ANCHOR_START:
        return _("startdatum in de periode");
    case IND_ANCHOR_ACTIVE:
        return _("actief in de periode");
    case IND_ANCHOR_RESPONSE:
        return _("datum van het antwoord in de periode");
    }
    return "";
}

static const char *unit_row_label(enum ind_unit u)
{
    switch (u) {
    case IND_UNIT_TRAJECTORY:
        return _("traject");
    case IND_UNIT_PERSON:
        return _("persoon");
    case IND_UNIT_RESPONSE:
        return _("antwoord op een vragenlijst");
    }
    return "";
}

static const char *polarity_label(enum ind_polarity p)
{
    switch (p) {
    case IND_HIGHER_BETTER:
        return _("hoger is beter");
    case IND_LOWER_BETTER:
        return _("lager is beter");
    case IND_NEUTRAL:
        return _("neutraal");
    }
    return "";
}

static void xl_explain(struct xl *x, const struct mx_view *v, struct arena *a)
{
    lxw_row_t r = 0;
    const struct ind_def *d = v->def;
    char date[11] = "";
    const struct dc_rules *ru = &v->rules;

    worksheet_set_column(x->ws, 0, 0, 34, NULL);
    worksheet_set_column(x->ws, 1, 1, 100, NULL);
    xl_str(x, r++, 0, _("Toelichting bij de cijfers"), x->bold);
    r++;
    if (d) {
        xl_kv(x, &r, _("Indicator"), d->name);
        xl_kv(x, &r, _("Code"), d->code);
        xl_kv(x, &r, _("Uitleg"), d->explanation);
        xl_kv(x, &r, _("Bron"), d->source);
        xl_kv(x, &r, _("Telt per"), unit_row_label(d->unit));
        xl_kv(x, &r, _("Periode"), anchor_label(d->anchor));
        xl_kv(x, &r, _("Berekening"), agg_label(d->agg));
        xl_kv(x, &r, _("Wie tellen mee (populatie)"), d->population);
        xl_kv(x, &r, _("Gebeurtenis (teller)"), d->event);
        xl_kv(x, &r, _("Waarde"), d->value);
        if (d->age_from >= 0)
            xl_kv(x, &r, _("Leeftijden"),
                  arena_printf(a, _("%d tot en met %d jaar"), d->age_from, d->age_to));
        if (d->follow_up_months > 0)
            xl_kv(x, &r, _("Volgtermijn"),
                  arena_printf(a, _("%d maanden, tussenruimte %d dagen"), d->follow_up_months,
                               d->gap_days));
        xl_kv(x, &r, _("Richting"), polarity_label(d->polarity));
        xl_kv(x, &r, _("Kwadrant"), tr(ind_quadrant_label(d->quadrant)));
        xl_kv(x, &r, _("Minimum aantal"), arena_printf(a, "%d", d->min_n));
        for (int i = 0; i < d->nsettings && i < IND_MAX_SETTINGS; i++) {
            const struct ind_setting *s = &d->settings[i];
            const char *val = s->is_bool ? (s->value ? _("ja") : _("nee"))
                                         : arena_printf(a, "%" PRId64, s->value);
            xl_kv(x, &r, _("Instelling"),
                  arena_printf(a, "%s: %s", s->label ? s->label : s->code, val ? val : ""));
        }
    }
    r++;
    xl_kv(x, &r, _("Publiek"), tr(dc_audience_label(v->audience)));
    xl_kv(x, &r, _("Kleine aantallen"),
          arena_printf(a,
                       _("Aantallen onder %d worden niet getoond, en ook geen cijfer dat op "
                         "minder dan %d personen of trajecten rust."),
                       ru->min_count, ru->min_count));
    xl_kv(x, &r, _("Percentages"),
          arena_printf(a, _("Een percentage wordt alleen getoond bij een noemer van minstens %d."),
                       ru->min_denominator));
    if (ru->round_to > 1)
        xl_kv(x, &r, _("Afronding"),
              arena_printf(a, _("Getoonde aantallen zijn afgerond op een veelvoud van %d."),
                           ru->round_to));
    xl_kv(x, &r, _("Terugrekenen"),
          _("Als een verborgen cel uit een totaal en de andere cellen terug te rekenen zou zijn, "
            "is ook een andere cel verborgen. Een punt (.) betekent: niet getoond, nooit nul."));
    xl_kv(x, &r, _("Vergelijking"),
          arena_printf(a,
                       _("De benchmark (mediaan en kwartielen) wordt alleen getoond als minstens "
                         "%d anderen een getoond cijfer hebben; zij worden niet genoemd."),
                       ru->min_benchmark));
    if (v->data_date != DAY_NONE) {
        date_format_nl(v->data_date, date);
        xl_kv(x, &r, _("Peildatum van de gegevens"), date);
    }
    xl_kv(x, &r, _("Niet getoonde cellen"), arena_printf(a, "%d", v->nhidden));
}

int export_xlsx(const struct mx_view *v, const struct export_meta *m, struct arena *a,
                const char **out, size_t *len, struct err_ctx *e)
{
    struct xlsx_file f;
    int rc = xlsx_file_open(&f, a, m ? m->tmp_dir : NULL, "export", e);
    if (rc)
        return rc;
    struct xl x = {.wb = f.wb};
    x.bold = workbook_add_format(x.wb);
    format_set_bold(x.bold);
    x.wrap = workbook_add_format(x.wb);
    format_set_text_wrap(x.wrap);
    format_set_align(x.wrap, LXW_ALIGN_VERTICAL_TOP);
    x.dec1 = workbook_add_format(x.wb);
    format_set_num_format(x.dec1, "0.0");
    x.int0 = workbook_add_format(x.wb);
    format_set_num_format(x.int0, "0");

    x.ws = workbook_add_worksheet(x.wb, "Cijfers");
    if (x.ws)
        xl_table(&x, v, m, a);
    lxw_worksheet *cur = x.ws;
    x.ws = workbook_add_worksheet(x.wb, "Toelichting");
    if (x.ws && cur)
        xl_explain(&x, v, a);
    else
        x.err = LXW_ERROR_MEMORY_MALLOC_FAILED;

    lxw_doc_properties props = {.title = v->def ? (char *)v->def->name : NULL,
                                .comments = (char *)"duiding"};
    workbook_set_properties(x.wb, &props);
    rc = xlsx_file_finish(&f, x.err, a, out, len, e);
    return rc;
}

const char *export_file_name(struct arena *a, const struct mx_view *v, const char *ext)
{
    char first[PERIOD_CODE_MAX] = "", last[PERIOD_CODE_MAX] = "";
    char code[IND_CODE_MAX] = "";
    size_t n = 0;
    const char *src = v && v->def && v->def->code ? v->def->code : "indicator";
    /* Only [a-z0-9_-]: the name goes into a header and a file system. */
    for (const char *p = src; *p && n + 1 < sizeof code; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            code[n++] = c;
    }
    code[n] = '\0';
    if (v && v->nperiods > 0) {
        period_code(v->periods[0], first);
        period_code(v->periods[v->nperiods - 1], last);
    }
    const char *safe_ext = ext && strcmp(ext, "xlsx") == 0 ? "xlsx" : "csv";
    const char *r =
        first[0] ? arena_printf(a, "%s-%s-%s.%s", n ? code : "indicator", first, last, safe_ext)
                 : arena_printf(a, "%s.%s", n ? code : "indicator", safe_ext);
    return r ? r : "export.csv";
}
