/*
 * table.h: what the CSV and XLSX readers deliver. Both call one row callback with the same
 * shape, so the registration importer (ingest/registration.c) serves every table format.
 */
#ifndef DUIDING_INGEST_TABLE_H
#define DUIDING_INGEST_TABLE_H

#include <stddef.h>
#include <stdint.h>

/* Limits every table reader enforces (ERR_TOO_BIG with the position when exceeded). */
#define TABLE_MAX_COLUMNS 1000
#define TABLE_MAX_FIELD   (1024 * 1024)      /* bytes in one field */
#define TABLE_MAX_RECORDS 10000000ULL        /* records in one file */
#define TABLE_MAX_RECORD  (16 * 1024 * 1024) /* bytes in one record, all fields together */

/*
 * One record. Fields are UTF-8 (already converted from Windows-1252 where needed),
 * NUL-terminated, and borrowed until the callback returns. A record with a local problem
 * (invalid UTF-8 in a field, a stray quote) is still delivered, with `problem` set to a
 * plain-Dutch reason (msgid; callers translate with gettext) and `problem_col` to the 1-based
 * column, so the importer can reject exactly that record and go on with the next.
 */
struct table_row {
    const char *const *fields;
    const size_t *lens;
    int nfields;
    uint64_t record;     /* 1-based record number in the file/sheet, title rows included */
    uint64_t line;       /* CSV: physical line where the record starts; XLSX: sheet row number */
    const char *problem; /* NULL when the record read cleanly */
    int problem_col;     /* 1-based, 0 when not about one column */
};

/* Called for every record in order. Return 0 to go on; anything else stops the reader, which
 * then returns that value. */
typedef int (*table_row_fn)(void *ctx, const struct table_row *row);

#endif
