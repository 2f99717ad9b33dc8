/*
 * framework_export.c: a quality framework as CSV or XLSX in the import format (see
 * framework_export.h). Archived and merged criteria are left out: the file is the framework
 * as it stands; the sources recorded by merges go in the last column (read, not stored, by an
 * import).
 */
#include "report/framework_export.h"
/* Before common.h: libxlsxwriter's headers use strncpy in macros, which common.h poisons. */
#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/common.h"
#include "ingest/framework_import.h"
#include "report/export.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT_MAX (16u * 1024u * 1024u)

/* The samengevoegde_bronnen column: "bronsoort: bron" per source a merge recorded. */
static const char *merged_sources(struct arena *a, const struct criterion *c)
{
    const char *s = "";
    for (int i = 0; i < c->nextra; i++) {
        s = arena_printf(a, "%s%s%s: %s", s, *s ? "; " : "", fw_source_code(c->extra[i].kind),
                         c->extra[i].ref ? c->extra[i].ref : "");
        if (!s)
            return NULL;
    }
    return s;
}

/* The cells of one criterion in column order (FWI_*). */
static bool cells(struct arena *a, const struct criterion *c, const char *v[FWI_NCOLUMNS])
{
    v[FWI_CODE] = c->code;
    v[FWI_THEME] = c->theme_name;
    v[FWI_TEXT] = c->text;
    v[FWI_SOURCE] = fw_source_code(c->source);
    v[FWI_SOURCE_REF] = c->source_ref ? c->source_ref : "";
    v[FWI_LAWS] = fw_laws_code(c->laws);
    v[FWI_CATEGORIES] = c->categories;
    v[FWI_EVIDENCE] = c->evidence;
    v[FWI_VERIFY] = fw_verify_code(c->verify);
    v[FWI_GEMEENTE] = c->local_cbs ? c->local_cbs : "";
    v[FWI_MERGED] = merged_sources(a, c);
    return v[FWI_MERGED] != NULL;
}

static int csv_field(struct buf *b, struct arena *a, const char *s, bool first)
{
    int rc = first ? 0 : buf_append_char(b, ';');
    const char *t = export_safe_text(a, s ? s : "");
    if (rc || !strpbrk(t, ";\"\r\n"))
        return rc ? rc : buf_append_str(b, t);
    rc = buf_append_char(b, '"');
    for (const char *p = t; !rc && *p; p++)
        rc = *p == '"' ? buf_append(b, "\"\"", 2) : buf_append_char(b, *p);
    return rc ? rc : buf_append_char(b, '"');
}

int framework_export_csv(struct arena *a, const struct criterion *cs, int n, const char **out,
                         size_t *len, struct err_ctx *e)
{
    struct buf b;
    int rc;
    buf_init(&b, EXPORT_MAX);
    rc = buf_append_str(&b, "\xEF\xBB\xBF");
    for (int c = 0; !rc && c < FWI_NCOLUMNS; c++)
        rc = csv_field(&b, a, fwi_column_name((enum fwi_column)c), c == 0);
    if (!rc)
        rc = buf_append(&b, "\r\n", 2);
    for (int i = 0; !rc && i < n; i++) {
        const char *v[FWI_NCOLUMNS];
        if (cs[i].archived)
            continue;
        if (!cells(a, &cs[i], v)) {
            rc = ERR_NOMEM;
            break;
        }
        for (int c = 0; !rc && c < FWI_NCOLUMNS; c++)
            rc = csv_field(&b, a, v[c], c == 0);
        if (!rc)
            rc = buf_append(&b, "\r\n", 2);
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

static int read_back(const char *path, struct arena *a, const char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return ERR_IO;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || (uint64_t)st.st_size > EXPORT_MAX) {
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

int framework_export_xlsx(struct arena *a, const struct criterion *cs, int n, const char *tmp_dir,
                          const char **out, size_t *len, struct err_ctx *e)
{
    const char *dir = tmp_dir && *tmp_dir ? tmp_dir : "/tmp";
    char *path = arena_printf(a, "%s/kader-XXXXXX", dir);
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
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Kwaliteitskader");
    lxw_error err = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (int c = 0; !err && c < FWI_NCOLUMNS; c++)
        err =
            worksheet_write_string(ws, 0, (lxw_col_t)c, fwi_column_name((enum fwi_column)c), bold);
    lxw_row_t row = 1;
    for (int i = 0; !err && i < n; i++) {
        const char *v[FWI_NCOLUMNS];
        if (cs[i].archived)
            continue;
        if (!cells(a, &cs[i], v)) {
            err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        for (int c = 0; !err && c < FWI_NCOLUMNS; c++)
            if (v[c] && *v[c]) /* every cell a string: never run as a formula */
                err = worksheet_write_string(ws, row, (lxw_col_t)c, v[c], NULL);
        row++;
    }
    if (ws && !err) {
        worksheet_set_column(ws, FWI_TEXT, FWI_TEXT, 80, NULL);
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

const char *framework_export_name(struct arena *a, const struct framework *f, bool xlsx)
{
    return arena_printf(a, "kwaliteitskader-%" PRId64 "-v%" PRId64 ".%s", f->id, f->version,
                        xlsx ? "xlsx" : "csv");
}
