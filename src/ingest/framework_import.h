/*
 * framework_import.h: reading a quality framework from CSV or XLSX (the format that
 * report/framework_export.h writes, so regions can share frameworks). One header row with the
 * columns code, thema, criterium, bronsoort, bron, wet, productcategorieen, bewijs,
 * verificatie, gemeente, samengevoegde_bronnen (case, accents and punctuation ignored; order
 * free; bron, productcategorieen, bewijs, gemeente and samengevoegde_bronnen may be left out).
 * samengevoegde_bronnen is what the export writes for the sources merges recorded; an import
 * does not recreate merge history, so its values are read and not stored. All or nothing: every row
 * is checked first and any error in any row means nothing is written; the result then lists every
 * error (up to FWI_MAX_ERRORS) with file, line and column. See docs/framework.md.
 */
#ifndef DUIDING_INGEST_FRAMEWORK_IMPORT_H
#define DUIDING_INGEST_FRAMEWORK_IMPORT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/framework.h"
#include "store/store.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FWI_MAX_BYTES  (4u * 1024u * 1024u) /* a framework file larger than this is refused */
#define FWI_MAX_ERRORS 100

enum fwi_column {
    FWI_CODE,
    FWI_THEME,
    FWI_TEXT,
    FWI_SOURCE,
    FWI_SOURCE_REF,
    FWI_LAWS,
    FWI_CATEGORIES,
    FWI_EVIDENCE,
    FWI_VERIFY,
    FWI_GEMEENTE,
    FWI_MERGED, /* sources recorded by merges: exported for reading, ignored on import */
    FWI_NCOLUMNS
};

/** The header name of a column as written by the export ("code", "thema", ...). */
const char *fwi_column_name(enum fwi_column c);

struct fwi_error {
    uint64_t line;   /* CSV: physical line; XLSX: sheet row; 0 = the whole file */
    int column;      /* 1-based, 0 = the whole row */
    const char *msg; /* "bestand.csv, regel 4, kolom 3 (criterium): ..." ready to show */
};

struct fwi_result {
    int rows; /* data rows read (empty rows not counted) */
    int created, updated;
    struct fwi_error *errors;
    int nerrors;
    bool more_errors; /* more than FWI_MAX_ERRORS were found */
};

/**
 * Parses and checks a framework file (CSV, or XLSX when it starts like a zip). s may be NULL
 * (fuzzing): then the gemeente column is only checked for form. *rows / *nrows receive the
 * rows (arena). 0 when every row is valid; ERR_INVALID with r->errors otherwise; ERR_TOO_BIG
 * for a file over FWI_MAX_BYTES or with too many rows (also in r->errors).
 */
int framework_parse(struct arena *a, struct store *s, const char *file_name, const void *data,
                    size_t n, struct criterion_input **rows, uint64_t **lines, int *nrows,
                    struct fwi_result *r);

/**
 * Parses, checks and applies a file to framework fw (framework_apply). 0, ERR_INVALID /
 * ERR_TOO_BIG with r->errors, ERR_DENIED, ERR_NOT_FOUND, ERR_CONFLICT.
 */
int framework_import(struct arena *a, struct store *s, const struct actor *who, int64_t fw,
                     const char *file_name, const void *data, size_t n, struct fwi_result *r);

#endif
