/*
 * text_table.h: a table of text cells as people download it — CSV (UTF-8 with BOM, ";"
 * separated, quoted where needed) or XLSX (libxlsxwriter, bold frozen header row) — with every
 * cell neutralised against formula injection (report/export.h export_safe_text; in XLSX every
 * cell is written as a string). The rows are fetched one by one through a callback, so callers
 * keep their own row type. Used by the framework and action exports.
 */
#ifndef DUIDING_REPORT_TEXT_TABLE_H
#define DUIDING_REPORT_TEXT_TABLE_H

#include "core/arena.h"
#include "core/err.h"
#include <stdbool.h>
#include <stddef.h>

#define TEXT_TABLE_MAX_BYTES (16u * 1024u * 1024u) /* a larger file is refused */
#define TEXT_TABLE_MAX_COLS  64

/* Fills cells[0..ncols) of row i (NULL = empty). *skip = true leaves the row out. False: out of
 * memory. */
typedef bool (*text_table_row_fn)(void *ctx, struct arena *a, int i, const char **cells,
                                  bool *skip);

struct text_table {
    const char *const *headings; /* ncols column names (the first row) */
    int ncols;
    int nrows;
    text_table_row_fn row;
    void *ctx;
    const char *sheet;  /* XLSX worksheet name */
    const char *prefix; /* temporary file name prefix, e.g. "acties" */
    int wide_col;       /* XLSX: the column made wide for long text, -1 for none */
};

/** The table as CSV in *out (arena, NUL-terminated), *len bytes. 0; ERR_INVALID (columns);
 * ERR_NOMEM (too big or no memory, Dutch reason in e). */
int text_table_csv(struct arena *a, const struct text_table *t, const char **out, size_t *len,
                   struct err_ctx *e);

/** The table as XLSX (written through a temporary file in tmp_dir, default /tmp, removed
 * again). 0; ERR_INVALID, ERR_NOMEM, ERR_IO (reason in e). */
int text_table_xlsx(struct arena *a, const struct text_table *t, const char *tmp_dir,
                    const char **out, size_t *len, struct err_ctx *e);

#endif
