/*
 * action_export.h: an overview of improvement actions as a file people open in a spreadsheet:
 * CSV for Dutch Excel (UTF-8 with BOM, ';', CRLF) and XLSX (libxlsxwriter). Text a
 * spreadsheet would run as a formula is neutralised (export_safe_text in CSV; every XLSX cell
 * is written as a string or a date number, never as a formula).
 */
#ifndef DUIDING_REPORT_ACTION_EXPORT_H
#define DUIDING_REPORT_ACTION_EXPORT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/action.h"
#include <stdbool.h>
#include <stddef.h>

#define ACTION_EXPORT_COLUMNS 11

/** The column headings (Dutch, untranslated: files are exchanged between organisations). */
const char *action_export_heading(int col);

/** The actions as CSV. *out is arena memory of *len bytes. 0 or ERR_NOMEM. */
int action_export_csv(struct arena *a, const struct improvement_action *rows, int n,
                      const char **out, size_t *len, struct err_ctx *e);
/** The same as an XLSX workbook (sheet "Acties"); tmp_dir holds the temporary file.
 * 0, ERR_IO, ERR_NOMEM, ERR_TOO_BIG. */
int action_export_xlsx(struct arena *a, const struct improvement_action *rows, int n,
                       const char *tmp_dir, const char **out, size_t *len, struct err_ctx *e);

#endif
