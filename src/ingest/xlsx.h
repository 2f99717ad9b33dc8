/*
 * xlsx.h: a reader for Office Open XML spreadsheets (.xlsx) built on libzip and expat, since
 * no bookworm C library reads them (engineering.md A6). It delivers the first (or a chosen)
 * worksheet row by row through the same callback as the CSV parser. Hostile archives are
 * refused: entry count, uncompressed size (declared and counted while inflating), XML depth,
 * shared-string count and cell size are all capped; DTDs are refused.
 */
#ifndef DUIDING_INGEST_XLSX_H
#define DUIDING_INGEST_XLSX_H

#include "core/err.h"
#include "ingest/table.h"
#include <stddef.h>
#include <stdint.h>

#define XLSX_MAX_ENTRIES      10000
#define XLSX_MAX_UNCOMPRESSED (1024ULL * 1024 * 1024) /* all parts together */
#define XLSX_MAX_XML_DEPTH    64
#define XLSX_MAX_SHARED       (4u * 1024 * 1024) /* shared strings */
/* A part that inflates more than this many times its compressed size (and to more than
 * XLSX_RATIO_FROM bytes) is a zip bomb, whatever the total cap says. Real sheets stay < 50x. */
#define XLSX_MAX_RATIO  200
#define XLSX_RATIO_FROM (1024ULL * 1024)

struct xlsx_options {
    int sheet;                 /* 1-based worksheet in workbook order; 0 = the first */
    uint64_t max_uncompressed; /* 0 = XLSX_MAX_UNCOMPRESSED */
    uint64_t max_records;      /* 0 = TABLE_MAX_RECORDS */
};

/*
 * Cell values are delivered as text: shared/inline strings as written; numbers in their
 * shortest round-trip form with '.' as decimal separator ("3.5", "12"); cells whose style is a
 * date format as ISO "YYYY-MM-DD" (with " HH:MM:SS" when the value has a time part), honouring
 * the 1900 leap-year bug and date1904; booleans as "1"/"0"; error cells as "" with
 * table_row.problem set. Gaps in cell references give empty fields; rows missing from the
 * sheet are not delivered (table_row.line tells the sheet row number).
 */
int xlsx_read_file(const char *path, const struct xlsx_options *o, table_row_fn fn, void *ctx,
                   struct err_ctx *e);
/** The same for an archive in memory (tests, fuzzing). */
int xlsx_read_memory(const void *data, size_t n, const struct xlsx_options *o, table_row_fn fn,
                     void *ctx, struct err_ctx *e);
/** True if the bytes start like a zip archive ("PK\3\4"). */
int xlsx_looks_like_zip(const void *data, size_t n);

#endif
