/*
 * text_table.c: a table of text cells as CSV or XLSX (see text_table.h).
 */
#include "report/text_table.h"
#include "report/xlsx_file.h" /* before common.h: libxlsxwriter uses strncpy in macros */
#include "core/buf.h"
#include "core/common.h"
#include "report/export.h"

static int csv_field(struct buf *b, struct arena *a, const char *s, bool first)
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

static int csv_line(struct buf *b, struct arena *a, const char *const *v, int n)
{
    int rc = 0;
    for (int c = 0; !rc && c < n; c++)
        rc = csv_field(b, a, v[c], c == 0);
    return rc ? rc : buf_append(b, "\r\n", 2);
}

static bool valid(const struct text_table *t)
{
    return t && t->headings && t->row && t->ncols > 0 && t->ncols <= TEXT_TABLE_MAX_COLS &&
           t->nrows >= 0;
}

int text_table_csv(struct arena *a, const struct text_table *t, const char **out, size_t *len,
                   struct err_ctx *e)
{
    if (!valid(t))
        return err_set(e, ERR_INVALID, NULL, "export: bad table");
    struct buf b;
    buf_init(&b, TEXT_TABLE_MAX_BYTES);
    int rc = buf_append_str(&b, "\xEF\xBB\xBF"); /* BOM: spreadsheets then read UTF-8 */
    if (!rc)
        rc = csv_line(&b, a, t->headings, t->ncols);
    for (int i = 0; !rc && i < t->nrows; i++) {
        const char *v[TEXT_TABLE_MAX_COLS] = {0};
        bool skip = false;
        if (!t->row(t->ctx, a, i, v, &skip))
            rc = ERR_NOMEM;
        else if (!skip)
            rc = csv_line(&b, a, v, t->ncols);
    }
    if (!rc) {
        char *p = arena_alloc(a, b.len + 1);
        if (!p) {
            rc = ERR_NOMEM;
        } else {
            memcpy(p, b.p, b.len);
            p[b.len] = '\0';
            *out = p;
            *len = b.len;
        }
    }
    buf_release(&b);
    if (rc)
        return err_set(e, ERR_NOMEM, NULL, "%s", _("Het bestand wordt te groot."));
    return 0;
}

int text_table_xlsx(struct arena *a, const struct text_table *t, const char *tmp_dir,
                    const char **out, size_t *len, struct err_ctx *e)
{
    if (!valid(t))
        return err_set(e, ERR_INVALID, NULL, "export: bad table");
    struct xlsx_file f;
    int rc = xlsx_file_open(&f, a, tmp_dir, t->prefix, e);
    if (rc)
        return rc;
    lxw_workbook *wb = f.wb;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    lxw_error err = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (int c = 0; !err && c < t->ncols; c++)
        err = worksheet_write_string(ws, 0, (lxw_col_t)c, t->headings[c], bold);
    lxw_row_t row = 1;
    for (int i = 0; !err && i < t->nrows; i++) {
        const char *v[TEXT_TABLE_MAX_COLS] = {0};
        bool skip = false;
        if (!t->row(t->ctx, a, i, v, &skip)) {
            err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        if (skip)
            continue;
        for (int c = 0; !err && c < t->ncols; c++)
            if (v[c] && *v[c]) /* every cell a string: never run as a formula */
                err = worksheet_write_string(ws, row, (lxw_col_t)c, v[c], NULL);
        row++;
    }
    if (ws && !err) {
        if (t->wide_col >= 0 && t->wide_col < t->ncols)
            worksheet_set_column(ws, (lxw_col_t)t->wide_col, (lxw_col_t)t->wide_col, 80, NULL);
        worksheet_freeze_panes(ws, 1, 0);
    }
    return xlsx_file_finish(&f, err, a, out, len, e);
}
