/*
 * framework_export.h: a quality framework written as a file another region can import
 * (ingest/framework_import.h reads exactly these columns back): CSV for Dutch Excel (UTF-8
 * with BOM, ';', CRLF) and XLSX (libxlsxwriter). Text a spreadsheet would run as a formula is
 * neutralised: in CSV by a leading apostrophe (export_safe_text, which the import strips
 * again), in XLSX because every cell is written as a string.
 */
#ifndef DUIDING_REPORT_FRAMEWORK_EXPORT_H
#define DUIDING_REPORT_FRAMEWORK_EXPORT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/framework.h"
#include <stdbool.h>
#include <stddef.h>

/** The active criteria as CSV. *out is arena memory of *len bytes. 0 or ERR_NOMEM. */
int framework_export_csv(struct arena *a, const struct criterion *cs, int n, const char **out,
                         size_t *len, struct err_ctx *e);
/** The same as an XLSX workbook (sheet "Kwaliteitskader"); tmp_dir holds the temporary file.
 * 0, ERR_IO, ERR_NOMEM, ERR_TOO_BIG. */
int framework_export_xlsx(struct arena *a, const struct criterion *cs, int n, const char *tmp_dir,
                          const char **out, size_t *len, struct err_ctx *e);
/** A safe download name "kwaliteitskader-<id>-v<version>.<ext>". Arena string. */
const char *framework_export_name(struct arena *a, const struct framework *f, bool xlsx);

#endif
