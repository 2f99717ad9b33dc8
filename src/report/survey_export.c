/*
 * survey_export.c: survey results as CSV and XLSX (survey_export.h). Both walk the same
 * rows (question x answer x column), so the two files always say the same.
 */
#include "report/survey_export.h"
#include "report/xlsx_file.h"
#include "core/buf.h"
#include "core/common.h"
#include "report/export.h"
#include <math.h>

enum { SX_ITEM, SX_QUESTION, SX_ANSWER, SX_COLUMN, SX_COUNT, SX_PCT, SX_NOTE, SX__COLS };

static const char *col_header(int c)
{
    switch (c) {
    case SX_ITEM:
        return _("Vraagcode");
    case SX_QUESTION:
        return _("Vraag");
    case SX_ANSWER:
        return _("Antwoord");
    case SX_COLUMN:
        return _("Groep");
    case SX_COUNT:
        return _("Aantal");
    case SX_PCT:
        return _("Percentage");
    default:
        return _("Toelichting");
    }
}

/* One output row, shared by CSV and XLSX. */
struct sx_row {
    const char *item, *question, *answer, *column, *note;
    const struct sr_cell *cell;
};

typedef int (*sx_emit)(void *ctx, const struct sx_row *row);

static const char *column_label(const struct survey_result *r, const struct survey_export_meta *m,
                                int k)
{
    if (k == 0)
        return _("Totaal");
    const char *code = r->keys[k - 1];
    const char *l = m && m->label ? m->label(m->label_ctx, r->dim, code) : NULL;
    return l ? l : (*code ? code : _("onbekend"));
}

static const char *note_of(const struct sr_cell *c)
{
    if (c->reason == DC_SHOWN || c->reason == DC_NO_DATA)
        return "";
    return _(dc_reason_text(c->reason));
}

static int walk(const struct questionnaire *q, const struct survey_result *r,
                const struct survey_export_meta *m, sx_emit emit, void *ctx)
{
    int ncol = 1 + r->nkeys;
    for (int i = 0; i < r->nquestions; i++) {
        const struct sr_question *sq = &r->questions[i];
        const struct q_question *qq = &q->questions[sq->question];
        for (int k = 0; k < ncol; k++) {
            for (int o = 0; o < sq->noptions; o++) {
                const struct sr_cell *c = &sq->cells[(size_t)k * (size_t)sq->noptions + (size_t)o];
                struct sx_row row = {
                    qq->item, qq->text, sq->options[o].label, column_label(r, m, k), note_of(c), c};
                int rc = emit(ctx, &row);
                if (rc)
                    return rc;
            }
            struct sx_row base = {qq->item,
                                  qq->text,
                                  _("Beantwoord (totaal)"),
                                  column_label(r, m, k),
                                  note_of(&sq->base[k]),
                                  &sq->base[k]};
            int rc = emit(ctx, &base);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- CSV ---- */

struct csv_ctx {
    struct buf *b;
    struct arena *a;
};

static int csv_text(struct buf *b, struct arena *a, const char *s, bool first)
{
    int rc = first ? 0 : buf_append_char(b, ';');
    const char *t = export_safe_text(a, s ? s : "");
    if (!t)
        return ERR_NOMEM;
    if (rc || !strpbrk(t, ";\"\r\n"))
        return rc ? rc : buf_append_str(b, t);
    rc = buf_append_char(b, '"');
    for (const char *p = t; !rc && *p; p++)
        rc = *p == '"' ? buf_append(b, "\"\"", 2) : buf_append_char(b, *p);
    return rc ? rc : buf_append_char(b, '"');
}

static int csv_row(void *vctx, const struct sx_row *row)
{
    struct csv_ctx *c = vctx;
    int rc = csv_text(c->b, c->a, row->item, true);
    if (!rc)
        rc = csv_text(c->b, c->a, row->question, false);
    if (!rc)
        rc = csv_text(c->b, c->a, row->answer, false);
    if (!rc)
        rc = csv_text(c->b, c->a, row->column, false);
    if (!rc) {
        if (row->cell->n < 0)
            rc = buf_append(c->b, ";.;.", 4);
        else {
            rc = buf_appendf(c->b, ";%" PRId64 ";", row->cell->n);
            if (!rc && isfinite(row->cell->pct)) {
                char tmp[400];
                snprintf(tmp, sizeof tmp, "%.1f", row->cell->pct);
                for (char *p = tmp; *p; p++)
                    if (*p == '.')
                        *p = ',';
                rc = buf_append_str(c->b, tmp);
            }
        }
    }
    if (!rc)
        rc = csv_text(c->b, c->a, row->note, false);
    return rc ? rc : buf_append(c->b, "\r\n", 2);
}

int survey_export_csv(const struct questionnaire *q, const struct survey_result *r,
                      const struct survey_export_meta *m, struct arena *a, const char **out,
                      size_t *len, struct err_ctx *e)
{
    struct buf b;
    buf_init(&b, BUF_MAX_EXPORT);
    int rc = buf_append(&b, "\xEF\xBB\xBF", 3);
    for (int c = 0; !rc && c < SX__COLS; c++)
        rc = csv_text(&b, a, col_header(c), c == 0);
    if (!rc)
        rc = buf_append(&b, "\r\n", 2);
    struct csv_ctx ctx = {&b, a};
    if (!rc)
        rc = walk(q, r, m, csv_row, &ctx);
    if (!rc) {
        char *p = arena_strndup(a, b.p, b.len);
        if (!p)
            rc = ERR_NOMEM;
        else {
            *out = p;
            *len = b.len;
        }
    }
    buf_release(&b);
    if (rc)
        err_set(e, ERR_NOMEM, NULL, "%s", _("Het bestand wordt te groot."));
    return rc ? ERR_NOMEM : 0;
}

/* ---- XLSX ---- */

struct xl_ctx {
    lxw_worksheet *ws;
    lxw_format *bold, *dec1;
    struct arena *a;
    lxw_row_t row;
    lxw_error err;
};

static void xl_str(struct xl_ctx *x, lxw_col_t c, const char *s, lxw_format *f)
{
    const char *t = export_safe_text(x->a, s ? s : "");
    lxw_error rc = worksheet_write_string(x->ws, x->row, c, t ? t : "", f);
    if (rc && !x->err)
        x->err = rc;
}

static int xl_row(void *vctx, const struct sx_row *row)
{
    struct xl_ctx *x = vctx;
    x->row++;
    xl_str(x, SX_ITEM, row->item, NULL);
    xl_str(x, SX_QUESTION, row->question, NULL);
    xl_str(x, SX_ANSWER, row->answer, NULL);
    xl_str(x, SX_COLUMN, row->column, NULL);
    if (row->cell->n < 0) {
        xl_str(x, SX_COUNT, ".", NULL);
        xl_str(x, SX_PCT, ".", NULL);
    } else {
        worksheet_write_number(x->ws, x->row, SX_COUNT, (double)row->cell->n, NULL);
        if (isfinite(row->cell->pct))
            worksheet_write_number(x->ws, x->row, SX_PCT, round(row->cell->pct * 10) / 10, x->dec1);
    }
    xl_str(x, SX_NOTE, row->note, NULL);
    return x->err ? ERR_IO : 0;
}

int survey_export_xlsx(const struct questionnaire *q, const struct survey_result *r,
                       const struct survey_export_meta *m, struct arena *a, const char **out,
                       size_t *len, struct err_ctx *e)
{
    struct xlsx_file f;
    int rc = xlsx_file_open(&f, a, m ? m->tmp_dir : NULL, "enquete", e);
    if (rc)
        return rc;
    lxw_workbook *wb = f.wb;
    struct xl_ctx x = {.a = a};
    x.bold = workbook_add_format(wb);
    format_set_bold(x.bold);
    x.dec1 = workbook_add_format(wb);
    format_set_num_format(x.dec1, "0.0");
    x.ws = workbook_add_worksheet(wb, "Resultaten");
    if (!x.ws) {
        rc = ERR_NOMEM;
    } else {
        for (int c = 0; c < SX__COLS; c++)
            xl_str(&x, (lxw_col_t)c, col_header(c), x.bold);
        rc = walk(q, r, m, xl_row, &x);
        worksheet_freeze_panes(x.ws, 1, 0);
        worksheet_autofilter(x.ws, 0, 0, x.row, SX__COLS - 1);
        worksheet_set_column(x.ws, SX_QUESTION, SX_QUESTION, 50, NULL);
        worksheet_set_column(x.ws, SX_ANSWER, SX_COLUMN, 24, NULL);
        worksheet_set_column(x.ws, SX_NOTE, SX_NOTE, 50, NULL);
        lxw_worksheet *info = workbook_add_worksheet(wb, "Toelichting");
        if (info) {
            x.ws = info;
            x.row = 0;
            xl_str(&x, 0, m && m->title ? m->title : "", x.bold);
            x.row = 1;
            xl_str(&x, 0, m && m->rounds ? m->rounds : "", NULL);
            x.row = 2;
            xl_str(&x, 0, m && m->audience ? m->audience : "", NULL);
            x.row = 3;
            xl_str(&x, 0,
                   _("Kleine aantallen worden niet getoond (\".\"), zodat niemand te herkennen "
                     "is. Aantallen zijn afgerond; percentages zijn berekend op de echte "
                     "aantallen."),
                   NULL);
            worksheet_set_column(info, 0, 0, 100, NULL);
        }
    }
    lxw_doc_properties props = {.title = m && m->title ? (char *)m->title : NULL,
                                .comments = (char *)"duiding"};
    workbook_set_properties(wb, &props);
    int frc = xlsx_file_finish(&f, x.err, a, out, len, e);
    if (!rc)
        rc = frc;
    return rc;
}
