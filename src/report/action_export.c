/*
 * action_export.c: improvement actions as CSV or XLSX (see action_export.h). One row per
 * action; the cells are what the overview page shows.
 */
#include "report/action_export.h"
/* Before common.h: libxlsxwriter's headers use strncpy in macros, which common.h poisons. */
#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/common.h"
#include "core/period.h"
#include "report/export.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT_MAX (16u * 1024u * 1024u)

static const char *const headings[ACTION_EXPORT_COLUMNS] = {
    "id",     "gesprek",   "eigenaar", "kant",        "persoon",         "actie",
    "status", "einddatum", "te_laat",  "indicatoren", "reden_vervallen",
};

const char *action_export_heading(int col)
{
    return col >= 0 && col < ACTION_EXPORT_COLUMNS ? headings[col] : "";
}

static const char *side_code(enum conv_side s)
{
    return s == SIDE_AANBIEDER              ? "aanbieder"
           : s == SIDE_SAMENWERKINGSVERBAND ? "samenwerkingsverband"
                                            : "gemeente";
}

/* The cells of one action in column order. */
static bool cells(struct arena *a, const struct improvement_action *r, const char *v[])
{
    char due[11];
    day_format_iso(r->due_on, due);
    const char *inds = "";
    for (int k = 0; inds && k < r->nindicators; k++)
        inds = arena_printf(a, "%s%s%s", inds, k ? "; " : "", r->indicators[k].name);
    v[0] = arena_printf(a, "%" PRId64, r->id);
    v[1] = r->conversation_title ? r->conversation_title : "";
    v[2] = r->owner_name ? r->owner_name : "";
    v[3] = side_code(r->owner_side);
    v[4] = r->owner_user_name ? r->owner_user_name : "";
    v[5] = r->description ? r->description : "";
    v[6] = action_status_code(r->status);
    v[7] = arena_strdup(a, due);
    v[8] = r->overdue ? "ja" : "nee";
    v[9] = inds;
    v[10] = r->drop_reason ? r->drop_reason : "";
    return v[0] && v[7] && v[9];
}

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

int action_export_csv(struct arena *a, const struct improvement_action *rows, int n,
                      const char **out, size_t *len, struct err_ctx *e)
{
    struct buf b;
    int rc;
    buf_init(&b, EXPORT_MAX);
    rc = buf_append_str(&b, "\xEF\xBB\xBF");
    for (int c = 0; !rc && c < ACTION_EXPORT_COLUMNS; c++)
        rc = csv_field(&b, a, headings[c], c == 0);
    if (!rc)
        rc = buf_append(&b, "\r\n", 2);
    for (int i = 0; !rc && i < n; i++) {
        const char *v[ACTION_EXPORT_COLUMNS];
        if (!cells(a, &rows[i], v)) {
            rc = ERR_NOMEM;
            break;
        }
        for (int c = 0; !rc && c < ACTION_EXPORT_COLUMNS; c++)
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

int action_export_xlsx(struct arena *a, const struct improvement_action *rows, int n,
                       const char *tmp_dir, const char **out, size_t *len, struct err_ctx *e)
{
    const char *dir = tmp_dir && *tmp_dir ? tmp_dir : "/tmp";
    char *path = arena_printf(a, "%s/acties-XXXXXX", dir);
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
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Acties");
    lxw_error err = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (int c = 0; !err && c < ACTION_EXPORT_COLUMNS; c++)
        err = worksheet_write_string(ws, 0, (lxw_col_t)c, headings[c], bold);
    for (int i = 0; !err && i < n; i++) {
        const char *v[ACTION_EXPORT_COLUMNS];
        if (!cells(a, &rows[i], v)) {
            err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        for (int c = 0; !err && c < ACTION_EXPORT_COLUMNS; c++)
            if (v[c] && *v[c]) /* every cell a string: never run as a formula */
                err = worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, v[c], NULL);
    }
    if (ws && !err) {
        worksheet_set_column(ws, 5, 5, 80, NULL);
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
