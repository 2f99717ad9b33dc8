/*
 * text_table.c: a table of text cells as CSV or XLSX (see text_table.h).
 */
#include "report/text_table.h"
/* Before common.h: libxlsxwriter's headers use strncpy in macros, which common.h poisons. */
#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/common.h"
#include "report/export.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The finished workbook back into the arena. */
static int read_back(const char *path, struct arena *a, const char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return ERR_IO;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || (uint64_t)st.st_size > TEXT_TABLE_MAX_BYTES) {
        close(fd);
        return ERR_TOO_BIG;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *p = arena_alloc(a, n + 1);
    if (!p) {
        close(fd);
        return ERR_NOMEM;
    }
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return ERR_IO;
        }
        got += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *out = p;
    *len = n;
    return 0;
}

int text_table_xlsx(struct arena *a, const struct text_table *t, const char *tmp_dir,
                    const char **out, size_t *len, struct err_ctx *e)
{
    if (!valid(t))
        return err_set(e, ERR_INVALID, NULL, "export: bad table");
    const char *dir = tmp_dir && *tmp_dir ? tmp_dir : "/tmp";
    char *path = arena_printf(a, "%s/%s-XXXXXX", dir, t->prefix ? t->prefix : "export");
    if (!path)
        return err_set(e, ERR_NOMEM, NULL, "%s", _("Het bestand wordt te groot."));
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(e, ERR_IO, NULL, "export: cannot create a temp file in %s: %s", dir,
                       strerror(errno));
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return err_set(e, ERR_IO, NULL, "export: cannot start workbook %s", path);
    }
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
    lxw_error cerr = workbook_close(wb);
    int rc = 0;
    if (err || cerr) {
        rc = err_set(e, ERR_IO, NULL, "export: libxlsxwriter: %s", lxw_strerror(err ? err : cerr));
    } else if ((rc = read_back(path, a, out, len)) != 0) {
        err_set(e, rc, NULL, "export: cannot read back %s", path);
    }
    unlink(path);
    return rc;
}
