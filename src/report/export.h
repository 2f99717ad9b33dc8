/*
 * export.h: a disclosed indicator view (metrics/view.h) written as a file people open in a
 * spreadsheet: CSV for Dutch Excel (UTF-8 with BOM, ';' separator, decimal comma) and XLSX
 * (libxlsxwriter). Both render only what the view shows — hidden cells are "." with the
 * reason — and both neutralise text that a spreadsheet would run as a formula.
 */
#ifndef DUIDING_REPORT_EXPORT_H
#define DUIDING_REPORT_EXPORT_H

#include "core/arena.h"
#include "core/err.h"
#include "metrics/view.h"
#include <stdbool.h>
#include <stddef.h>

/* What goes into the file besides the view. */
struct export_meta {
    mx_label_fn label; /* dimension labels (e.g. figures_label); NULL: codes */
    void *label_ctx;
    const char *tmp_dir; /* XLSX: directory for the temporary workbook (<data_dir>/tmp) */
};

/** A text cell made safe for a spreadsheet: when it starts with = + - @, TAB or CR (also
 * after leading spaces/tabs) a leading apostrophe is added. Arena string. */
const char *export_safe_text(struct arena *a, const char *s);

/** The view as CSV (UTF-8 with BOM, ';', CRLF, decimal comma). 0 or ERR_NOMEM.
 * *out is arena memory of *len bytes. */
int export_csv(const struct mx_view *v, const struct export_meta *m, struct arena *a,
               const char **out, size_t *len, struct err_ctx *e);

/** The view as an XLSX workbook (sheet "Cijfers" and sheet "Toelichting"). 0, ERR_IO,
 * ERR_NOMEM. *out is arena memory of *len bytes. */
int export_xlsx(const struct mx_view *v, const struct export_meta *m, struct arena *a,
                const char **out, size_t *len, struct err_ctx *e);

/** A safe download name "<code>-<first>-<last>.<ext>" ([a-z0-9_.-] only). Arena string. */
const char *export_file_name(struct arena *a, const struct mx_view *v, const char *ext);

#endif
