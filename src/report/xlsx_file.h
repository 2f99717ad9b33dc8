/*
 * xlsx_file.h: the life of one XLSX download. libxlsxwriter writes workbooks to a file, so an
 * export opens a workbook on a private temporary file (mkstemp, mode 0600) and, when done, closes
 * it, reads the bytes back into the arena and removes the file. Used by every XLSX export
 * (report/export.c, survey_export.c, text_table.c).
 */
#ifndef DUIDING_REPORT_XLSX_FILE_H
#define DUIDING_REPORT_XLSX_FILE_H

/* Before common.h in the .c files: libxlsxwriter's headers use strncpy in macros. */
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/err.h"
#include <stddef.h>

#define XLSX_FILE_MAX_BYTES (64u * 1024u * 1024u) /* a larger workbook is refused */

struct xlsx_file {
    lxw_workbook *wb;
    const char *path;
};

/** Opens a workbook on a new temporary file "<tmp_dir>/<prefix>-XXXXXX" (tmp_dir NULL or "":
 * /tmp). 0; ERR_NOMEM, ERR_IO with the reason in e (nothing left behind). */
int xlsx_file_open(struct xlsx_file *f, struct arena *a, const char *tmp_dir, const char *prefix,
                   struct err_ctx *e);

/** Closes the workbook (err: a writing error seen on the way, or LXW_NO_ERROR), reads the file
 * into *out (arena, NUL-terminated) and removes it, whatever happened. 0; ERR_IO, ERR_TOO_BIG,
 * ERR_NOMEM with the reason in e. */
int xlsx_file_finish(struct xlsx_file *f, lxw_error err, struct arena *a, const char **out,
                     size_t *len, struct err_ctx *e);

#endif
